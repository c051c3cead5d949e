import { randomUUID } from 'node:crypto'
import { type DeviceRecord, isMdmError, resolveSchool, type School } from '@felles/mdm'
import type { Database } from '@felles/sample-municipality'
import {
  type DeviceRow,
  finishSyncRun,
  getSyncState,
  listSyncStates,
  type SyncStateRow,
  startSyncRun,
  storeSyncPage,
  sweepDevices,
} from '@felles/sample-municipality/schools'
import type { Kysely } from 'kysely'
import type { Fleet } from './mdm-connection.js'

/** The result of one vendor's sync run. */
export interface SyncSummary {
  readonly vendor: string
  readonly runId: string
  readonly state: 'done' | 'failed' | 'skipped'
  readonly resumed: boolean
  readonly devices: number
  readonly removed: number
  readonly error?: string
}

/** Options of {@link createInventorySync}. */
export interface InventorySyncOptions {
  readonly db: Kysely<Database>
  readonly fleet: Fleet
  readonly now?: () => Date
  /** Called after each stored page (tests use it to simulate a crash mid-run). */
  readonly afterPage?: (event: { vendor: string; pages: number }) => void | Promise<void>
  /**
   * How many vendors sync at once in {@link InventorySync.runAll}. Default 2: Jamf School hands
   * over its whole list in one response, so running every vendor at once adds their pages to it.
   */
  readonly concurrency?: number
  /** Reports a failed run (no secrets or personal data in it). */
  readonly onError?: (event: { vendor: string; error: string }) => void
}

/** The background inventory sync: one resumable run per vendor. */
export interface InventorySync {
  /** Runs (or resumes) every vendor's sync, in parallel. */
  runAll(): Promise<SyncSummary[]>
  /** Runs (or resumes) one vendor's sync; a run already going in this process is not started twice. */
  runVendor(vendor: string): Promise<SyncSummary>
  /** Progress of every vendor. */
  progress(): Promise<SyncStateRow[]>
  /** Whether a run is going in this process. */
  busy(): boolean
  /** Runs every `intervalMs` (first run at once) until {@link stop}. */
  start(intervalMs: number): void
  stop(): Promise<void>
}

const GROUP_OF_OU = /^\/?([^/]+)$/

/** Class or group of a device: Jamf School's class, Google's child org unit, else pupils/staff from the owner. */
function groupOf(record: DeviceRecord, school: School | undefined): string | null {
  const raw = record.raw as { class?: unknown } | null
  if (record.vendor === 'jamf-school' && raw !== null && typeof raw.class === 'string' && raw.class !== '')
    return raw.class
  if (record.placement.kind === 'google-org-unit' && record.placement.path !== null) {
    const base = school?.scopes.google?.orgUnitPath
    if (base !== undefined && record.placement.path.startsWith(`${base}/`)) {
      const rest = GROUP_OF_OU.exec(record.placement.path.slice(base.length + 1))
      if (rest?.[1] !== undefined) return rest[1]
    }
  }
  if (record.owner === null) return 'Felles'
  return /@elev\./i.test(record.owner) ? 'Elever' : 'Ansatte'
}

/** Maps a vendor record to an inventory row, with the school resolved by `@felles/mdm`'s boundary rules. */
export function toDeviceRow(
  record: DeviceRecord,
  schools: readonly School[],
  runId: string,
  at: string,
): DeviceRow {
  const schoolId = resolveSchool(schools, record.placement)
  const school = schoolId === null ? undefined : schools.find((s) => s.id === schoolId)
  return {
    id: record.id,
    vendor: record.vendor,
    vendor_id: record.vendorId,
    school_id: schoolId,
    serial_number: record.serialNumber,
    name: record.name,
    model: record.model,
    platform: record.platform,
    os_version: record.osVersion,
    device_group: groupOf(record, school),
    owner: record.owner,
    compliance: record.compliance,
    lost_mode: record.lostMode === null ? null : record.lostMode ? 1 : 0,
    supervised: record.supervised === null ? null : record.supervised ? 1 : 0,
    managed: record.managed ? 1 : 0,
    last_check_in: record.lastCheckIn,
    enrolled_at: record.enrolledAt,
    sync_run: runId,
    updated_at: at,
  }
}

const describe = (error: unknown): string =>
  isMdmError(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.name : 'error'

/**
 * Creates the inventory sync. Each vendor's run stores every page together with
 * the cursor of the next one, so a run that crashed or failed resumes after the
 * last stored page; when the listing is complete, devices the run did not see
 * are removed.
 */
export function createInventorySync(options: InventorySyncOptions): InventorySync {
  const { db, fleet } = options
  const now = options.now ?? (() => new Date())
  const running = new Map<string, Promise<SyncSummary>>()
  let timer: NodeJS.Timeout | undefined
  let loop: Promise<unknown> = Promise.resolve()

  const run = async (vendor: string): Promise<SyncSummary> => {
    const adapter = fleet.adapters.find((a) => a.vendor === vendor)
    if (adapter === undefined) throw new TypeError(`no adapter for ${vendor}`)
    const state = await getSyncState(db, vendor)
    let runId: string
    let cursor: string | undefined
    let resumed = false
    let listed = false
    if (
      state !== undefined &&
      state.run_id !== null &&
      (state.state === 'running' || state.state === 'failed')
    ) {
      runId = state.run_id
      resumed = state.pages > 0
      cursor = state.cursor ?? undefined
      listed = state.pages > 0 && state.cursor === null
    } else {
      runId = randomUUID()
      await startSyncRun(db, vendor, runId, now())
    }
    try {
      if (!listed) {
        let pages = state?.run_id === runId ? state.pages : 0
        const schools = fleet.schools()
        for await (const page of adapter.listDevices(cursor === undefined ? {} : { cursor })) {
          const at = now().toISOString()
          const rows = page.devices.map((d) => toDeviceRow(d, schools, runId, at))
          const stored = await storeSyncPage(db, vendor, runId, { rows, cursor: page.nextCursor }, now())
          if (!stored) throw new Error('The sync run was replaced by another')
          pages++
          await options.afterPage?.({ vendor, pages })
        }
      }
      const removed = await sweepDevices(db, vendor, runId)
      await finishSyncRun(db, vendor, runId, { state: 'done', removed }, now())
      const done = await getSyncState(db, vendor)
      return { vendor, runId, state: 'done', resumed, devices: done?.devices_seen ?? 0, removed }
    } catch (error) {
      const message = describe(error)
      await finishSyncRun(db, vendor, runId, { state: 'failed', error: message }, now())
      options.onError?.({ vendor, error: message })
      return { vendor, runId, state: 'failed', resumed, devices: 0, removed: 0, error: message }
    }
  }

  const runVendor = (vendor: string): Promise<SyncSummary> => {
    const going = running.get(vendor)
    if (going !== undefined) return going
    const started = run(vendor).finally(() => running.delete(vendor))
    running.set(vendor, started)
    return started
  }

  const runAll = async (): Promise<SyncSummary[]> => {
    const vendors = fleet.adapters.map((a) => a.vendor)
    const results: SyncSummary[] = new Array(vendors.length)
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < vendors.length) {
        const index = next++
        results[index] = await runVendor(vendors[index] as string)
      }
    }
    const width = Math.max(1, Math.min(options.concurrency ?? 2, vendors.length))
    await Promise.all(Array.from({ length: width }, worker))
    return results
  }

  return {
    runAll,
    runVendor,
    progress: () => listSyncStates(db),
    busy: () => running.size > 0,
    start(intervalMs) {
      if (timer !== undefined) return
      const tick = (): void => {
        loop = runAll().catch(() => undefined)
      }
      tick()
      timer = setInterval(tick, intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      await loop
      await Promise.all(running.values())
    },
  }
}
