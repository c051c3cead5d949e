import { type ActionResult, type ActionType, DeviceAction, isDestructive } from './actions.js'
import type { CommandState, DeviceRecord, MdmAdapter, PerformManyResult } from './adapter.js'
import { canPerform } from './capabilities.js'
import { isMdmError, MdmError } from './errors.js'
import { mapWithConcurrency } from './internal/pool.js'
import { type InventoryOptions, type InventoryPage, runInventory } from './inventory.js'
import type { Device, Vendor } from './model.js'
import { deviceInSchool, resolveSchool, School } from './schools.js'

/** Events for logging and metrics; never carry tokens or personal data beyond device ids. */
export interface MdmEvents {
  /** A vendor returned a device outside the school asked for (an ignored filter); Felles dropped it. */
  onScopeDrop?(event: { schoolId: string; vendor: Vendor; deviceId: string }): void
  /** An action was sent, refused, failed or dry-run. */
  onAction?(event: { schoolId: string | null; result: ActionResult; reason: string }): void
}

/** Options for {@link createMdmClient}. */
export interface MdmClientOptions {
  /** One adapter per vendor the municipality runs. */
  readonly adapters: readonly MdmAdapter[]
  /** The schools and their vendor scopes (validated). */
  readonly schools: readonly School[]
  /** How many devices a bulk action works on at once. Default 4. */
  readonly bulkConcurrency?: number
  readonly events?: MdmEvents
}

/** Options of an action. */
export interface ActOptions {
  /** Why; required (at least 5 characters) for destructive actions, recorded for all. */
  readonly reason: string
  /** Check everything and send nothing. */
  readonly dryRun?: boolean
  readonly signal?: AbortSignal
}

/** A compliance summary for one school. */
export interface ComplianceSummary {
  readonly schoolId: string
  readonly total: number
  readonly nonCompliant: number
  readonly outdatedOs: number
  readonly notSeen: number
  /** Device ids per finding, for drill-down. */
  readonly devices: {
    readonly nonCompliant: string[]
    readonly outdatedOs: string[]
    readonly notSeen: string[]
  }
}

/** Options of {@link SchoolView.complianceSummary}. */
export interface ComplianceOptions {
  /** "Now", for the not-seen rule. */
  readonly now: Date
  /** Devices not seen for this many days count as not seen. Default 30. */
  readonly notSeenDays?: number
  /** Minimum OS versions per platform, for example `{ ipados: '17.0' }`. */
  readonly minimumOsVersions?: Partial<Record<Device['platform'], string>>
  readonly signal?: AbortSignal
}

/** Everything a school's administrator may do: one school's devices only. */
export interface SchoolView {
  readonly school: School
  /** Every device of the school across vendors, one vendor page in memory at a time. */
  devices(options?: { signal?: AbortSignal }): AsyncIterable<Device>
  /** One device by its Felles id; `ERR_MDM_NOT_FOUND` when absent or another school's. */
  getDevice(id: string, options?: { signal?: AbortSignal }): Promise<Device>
  /** The school's devices with a serial number. */
  findBySerial(serialNumber: string, options?: { signal?: AbortSignal }): Promise<Device[]>
  /** One action on one device of this school. Never throws for vendor failures: see `outcome`. */
  act(id: string, action: DeviceAction, options: ActOptions): Promise<ActionResult>
  /** One action on many devices: a result per device, in input order. */
  actMany(ids: readonly string[], action: DeviceAction, options: ActOptions): Promise<ActionResult[]>
  /** Follows up a queued command. */
  commandState(id: string, commandId: string, options?: { signal?: AbortSignal }): Promise<CommandState>
  complianceSummary(options: ComplianceOptions): Promise<ComplianceSummary>
}

/** The municipality's whole fleet, for the central IT service, and a view per school. */
export interface MdmClient {
  readonly schools: readonly School[]
  /** A view limited to one school. */
  forSchool(schoolId: string): SchoolView
  /** Every device of every vendor, with its resolved school (`null` when no school claims it). */
  allDevices(options?: { signal?: AbortSignal }): AsyncIterable<Device>
  /**
   * The schools' devices page by page, for a sync job: each vendor's school
   * listings run in parallel up to the vendor's limit, every device is checked
   * against its school here, and every page carries a cursor to resume from
   * and progress counts. Each device appears once, on a page of the school its
   * placement resolves to; devices of no configured school are not listed
   * (see `allDevices`).
   */
  inventory(options?: InventoryOptions): AsyncIterable<InventoryPage>
  /** Devices with a serial number across every vendor, with their resolved school (central IT only). */
  findBySerial(serialNumber: string, options?: { signal?: AbortSignal }): Promise<Device[]>
  /** Moves a device between schools, where the vendor supports it (central IT only). */
  moveDevice(
    id: string,
    toSchoolId: string,
    options: { reason: string; signal?: AbortSignal },
  ): Promise<Device>
}

const ID = /^(intune|jamf-pro|jamf-school|google):(.{1,200})$/

/** @internal Compares dotted version strings numerically (`17.10` > `17.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Creates the fleet client: one interface over the configured vendor adapters,
 * with the school boundary enforced in this code on every call. A device is
 * returned to a school's caller only when its vendor placement matches the
 * school's scope, whatever the vendor's filter claimed; every action re-fetches
 * the device and checks its school first; destructive actions need a reason,
 * support dry-run and are never retried.
 *
 * @param options - Adapters, schools and limits.
 * @returns The client.
 * @throws `TypeError` when a school is invalid, ids repeat, or two adapters share a vendor.
 * @example
 * ```ts
 * const mdm = createMdmClient({ adapters: [jamfSchool, intune], schools })
 * for await (const device of mdm.forSchool('lia-skole').devices()) console.log(device.serialNumber)
 * ```
 */
export function createMdmClient(options: MdmClientOptions): MdmClient {
  const schools = options.schools.map((s, i) => {
    const parsed = School.safeParse(s)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new TypeError(`schools[${i}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
    }
    return parsed.data
  })
  if (new Set(schools.map((s) => s.id)).size !== schools.length)
    throw new TypeError('school ids must be unique')
  const adapters = new Map<Vendor, MdmAdapter>()
  for (const adapter of options.adapters) {
    if (adapters.has(adapter.vendor)) throw new TypeError(`two adapters for ${adapter.vendor}`)
    adapters.set(adapter.vendor, adapter)
  }
  const bulkConcurrency = Math.max(1, options.bulkConcurrency ?? 4)
  const events = options.events ?? {}

  const withSchool = (record: DeviceRecord): Device => ({
    ...record,
    schoolId: resolveSchool(schools, record.placement),
  })

  const parseId = (id: string): { adapter: MdmAdapter; vendorId: string } => {
    const match = ID.exec(id)
    const adapter = match ? adapters.get(match[1] as Vendor) : undefined
    if (!match || !adapter) throw new MdmError('ERR_MDM_NOT_FOUND', 'No such device', { field: 'id' })
    return { adapter, vendorId: match[2] as string }
  }

  const SCOPE_KEY = {
    intune: 'intune',
    'jamf-pro': 'jamfPro',
    'jamf-school': 'jamfSchool',
    google: 'google',
  } as const
  const vendorsFor = (school: School): MdmAdapter[] =>
    [...adapters.values()].filter((a) => school.scopes[SCOPE_KEY[a.vendor]] !== undefined)

  const schoolView = (school: School): SchoolView => {
    const fetchOwn = async (
      id: string,
      signal?: AbortSignal,
    ): Promise<{ adapter: MdmAdapter; device: Device }> => {
      const { adapter, vendorId } = parseId(id)
      const record = await adapter.getDevice(vendorId, signal ? { signal } : {})
      // Another school's device is reported exactly like a missing one: nothing leaks.
      if (record === null || record.vendor !== adapter.vendor || !deviceInSchool(school, record)) {
        throw new MdmError('ERR_MDM_NOT_FOUND', 'No such device in this school', { vendor: adapter.vendor })
      }
      return { adapter, device: withSchool(record) }
    }

    const act = async (id: string, input: DeviceAction, opts: ActOptions): Promise<ActionResult> => {
      const parsedAction = DeviceAction.safeParse(input)
      const type = (input as { type?: ActionType }).type ?? ('sync' as ActionType)
      const refuse = (reason: string, errorCode: string): ActionResult => ({
        deviceId: id,
        action: type,
        outcome: 'refused',
        reason,
        errorCode,
      })
      let result: ActionResult
      if (!parsedAction.success) {
        const issue = parsedAction.error.issues[0]
        result = refuse(
          `action.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
          'ERR_MDM_VALIDATION',
        )
      } else if (isDestructive(type) && (typeof opts.reason !== 'string' || opts.reason.trim().length < 5)) {
        result = refuse(`${type} needs a reason of at least 5 characters`, 'ERR_MDM_VALIDATION')
      } else {
        try {
          const { adapter, device } = await fetchOwn(id, opts.signal)
          const can = canPerform(device.vendor, device.platform, type, device)
          if (!can.ok) {
            result = refuse(can.why, 'ERR_MDM_UNSUPPORTED')
          } else if (opts.dryRun === true) {
            result = { deviceId: id, action: type, outcome: 'dry-run' }
          } else {
            const sent = await adapter.perform(device, parsedAction.data, {
              reason: opts.reason,
              ...(opts.signal ? { signal: opts.signal } : {}),
            })
            result = {
              deviceId: id,
              action: type,
              outcome: sent.outcome,
              ...(sent.commandId === undefined ? {} : { commandId: sent.commandId }),
            }
          }
        } catch (error) {
          if (!isMdmError(error)) throw error
          result = {
            deviceId: id,
            action: type,
            outcome: error.code === 'ERR_MDM_NOT_FOUND' ? 'refused' : 'failed',
            reason: error.message,
            errorCode: error.code,
          }
        }
      }
      events.onAction?.({ schoolId: school.id, result, reason: opts.reason })
      return result
    }

    /**
     * Bulk path for an adapter with `performMany` (Intune `$batch`): every device is
     * re-fetched fresh (`getDevices`, else one by one) and checked against the school
     * here, before the vendor's bulk call gets only the devices that passed.
     */
    const bulk = async (
      adapter: MdmAdapter & Required<Pick<MdmAdapter, 'performMany'>>,
      items: readonly { index: number; id: string; vendorId: string }[],
      action: DeviceAction,
      opts: ActOptions,
      results: ActionResult[],
    ): Promise<void> => {
      const type = action.type
      const signal = opts.signal ? { signal: opts.signal } : {}
      const failAll = (error: MdmError): void => {
        for (const item of items) {
          results[item.index] = {
            deviceId: item.id,
            action: type,
            outcome: 'failed',
            reason: error.message,
            errorCode: error.code,
          }
        }
      }
      let fresh: ReadonlyMap<string, DeviceRecord | null>
      try {
        if (adapter.getDevices !== undefined) {
          fresh = await adapter.getDevices([...new Set(items.map((i) => i.vendorId))], signal)
        } else {
          const ids = [...new Set(items.map((i) => i.vendorId))]
          const records = await mapWithConcurrency(ids, bulkConcurrency, (v) => adapter.getDevice(v, signal))
          fresh = new Map(ids.map((v, k) => [v, records[k] ?? null]))
        }
      } catch (error) {
        if (!isMdmError(error)) throw error
        return failAll(error)
      }
      const toSend: { index: number; id: string; device: Device }[] = []
      for (const item of items) {
        const record = fresh.get(item.vendorId) ?? null
        // The same check as `act`: another school's device is reported exactly like a missing one.
        if (
          record === null ||
          record.vendor !== adapter.vendor ||
          record.vendorId !== item.vendorId ||
          !deviceInSchool(school, record)
        ) {
          results[item.index] = {
            deviceId: item.id,
            action: type,
            outcome: 'refused',
            reason: 'No such device in this school',
            errorCode: 'ERR_MDM_NOT_FOUND',
          }
          continue
        }
        const device = withSchool(record)
        const can = canPerform(device.vendor, device.platform, type, device)
        if (!can.ok) {
          results[item.index] = {
            deviceId: item.id,
            action: type,
            outcome: 'refused',
            reason: can.why,
            errorCode: 'ERR_MDM_UNSUPPORTED',
          }
        } else if (opts.dryRun === true) {
          results[item.index] = { deviceId: item.id, action: type, outcome: 'dry-run' }
        } else {
          toSend.push({ index: item.index, id: item.id, device })
        }
      }
      if (toSend.length === 0) return
      let sent: PerformManyResult[]
      try {
        sent = await adapter.performMany(
          toSend.map((t) => t.device),
          action,
          { reason: opts.reason, ...signal },
        )
      } catch (error) {
        if (!isMdmError(error)) throw error
        for (const t of toSend) {
          results[t.index] = {
            deviceId: t.id,
            action: type,
            outcome: 'failed',
            reason: error.message,
            errorCode: error.code,
          }
        }
        return
      }
      toSend.forEach((t, k) => {
        const answer = sent[k]
        if (answer?.ok === true) {
          results[t.index] = {
            deviceId: t.id,
            action: type,
            outcome: answer.result.outcome,
            ...(answer.result.commandId === undefined ? {} : { commandId: answer.result.commandId }),
          }
        } else {
          const error =
            answer?.error ??
            new MdmError('ERR_MDM_UNAVAILABLE', 'The vendor gave no answer for this device', {
              vendor: adapter.vendor,
            })
          results[t.index] = {
            deviceId: t.id,
            action: type,
            outcome: error.code === 'ERR_MDM_NOT_FOUND' ? 'refused' : 'failed',
            reason: error.message,
            errorCode: error.code,
          }
        }
      })
    }

    const actMany = async (
      ids: readonly string[],
      input: DeviceAction,
      opts: ActOptions,
    ): Promise<ActionResult[]> => {
      const parsedAction = DeviceAction.safeParse(input)
      const type = (input as { type?: ActionType }).type ?? ('sync' as ActionType)
      const invalid =
        !parsedAction.success ||
        (isDestructive(type) && (typeof opts.reason !== 'string' || opts.reason.trim().length < 5))
      const results = new Array<ActionResult>(ids.length)
      const groups = new Map<
        MdmAdapter & Required<Pick<MdmAdapter, 'performMany'>>,
        { index: number; id: string; vendorId: string }[]
      >()
      const single: number[] = []
      ids.forEach((id, index) => {
        const match = invalid ? null : ID.exec(id)
        const adapter = match ? adapters.get(match[1] as Vendor) : undefined
        if (match && adapter?.performMany !== undefined) {
          const key = adapter as MdmAdapter & Required<Pick<MdmAdapter, 'performMany'>>
          const group = groups.get(key) ?? []
          group.push({ index, id, vendorId: match[2] as string })
          groups.set(key, group)
        } else {
          single.push(index)
        }
      })
      // Invalid input and vendors without a bulk form go one by one (`act` reports each).
      await mapWithConcurrency(single, bulkConcurrency, async (index) => {
        results[index] = await act(ids[index] as string, input, opts)
      })
      if (parsedAction.success) {
        for (const [adapter, items] of groups) {
          await bulk(adapter, items, parsedAction.data, opts, results)
          for (const item of items) {
            events.onAction?.({
              schoolId: school.id,
              result: results[item.index] as ActionResult,
              reason: opts.reason,
            })
          }
        }
      }
      return results
    }

    return {
      school,
      async *devices(opts = {}) {
        for (const adapter of vendorsFor(school)) {
          for await (const page of adapter.listDevices({
            school,
            ...(opts.signal ? { signal: opts.signal } : {}),
          })) {
            for (const record of page.devices) {
              if (deviceInSchool(school, record) && record.vendor === adapter.vendor) {
                yield withSchool(record)
              } else {
                events.onScopeDrop?.({ schoolId: school.id, vendor: adapter.vendor, deviceId: record.id })
              }
            }
          }
        }
      },
      getDevice: async (id, opts = {}) => (await fetchOwn(id, opts.signal)).device,
      async findBySerial(serialNumber, opts = {}) {
        const found: Device[] = []
        for (const adapter of vendorsFor(school)) {
          for (const record of await adapter.findBySerial(
            serialNumber,
            opts.signal ? { signal: opts.signal } : {},
          )) {
            if (deviceInSchool(school, record) && record.serialNumber === serialNumber)
              found.push(withSchool(record))
          }
        }
        return found
      },
      act,
      actMany,
      async commandState(id, commandId, opts = {}) {
        const { adapter, device } = await fetchOwn(id, opts.signal)
        if (adapter.commandState === undefined) return 'unknown'
        return adapter.commandState(device, commandId, opts.signal ? { signal: opts.signal } : {})
      },
      async complianceSummary(opts) {
        const notSeenMs = (opts.notSeenDays ?? 30) * 86_400_000
        const findings = { nonCompliant: [] as string[], outdatedOs: [] as string[], notSeen: [] as string[] }
        let total = 0
        for await (const device of this.devices(opts.signal ? { signal: opts.signal } : {})) {
          total++
          if (device.compliance === 'noncompliant') findings.nonCompliant.push(device.id)
          const minimum = opts.minimumOsVersions?.[device.platform]
          if (
            minimum !== undefined &&
            device.osVersion !== null &&
            compareVersions(device.osVersion, minimum) < 0
          ) {
            findings.outdatedOs.push(device.id)
          }
          const seen = device.lastCheckIn === null ? Number.NaN : Date.parse(device.lastCheckIn)
          if (!(opts.now.getTime() - seen < notSeenMs)) findings.notSeen.push(device.id)
        }
        return {
          schoolId: school.id,
          total,
          nonCompliant: findings.nonCompliant.length,
          outdatedOs: findings.outdatedOs.length,
          notSeen: findings.notSeen.length,
          devices: findings,
        }
      },
    }
  }

  const views = new Map(schools.map((s) => [s.id, schoolView(s)]))

  return {
    schools,
    forSchool(schoolId) {
      const view = views.get(schoolId)
      if (view === undefined) throw new MdmError('ERR_MDM_NOT_FOUND', 'No such school', { field: 'schoolId' })
      return view
    },
    inventory: (opts = {}) =>
      runInventory(
        {
          adapters,
          schools,
          vendorsFor,
          onScopeDrop: (event) => events.onScopeDrop?.(event),
        },
        opts,
      ),
    async *allDevices(opts = {}) {
      for (const adapter of adapters.values()) {
        for await (const page of adapter.listDevices(opts.signal ? { signal: opts.signal } : {})) {
          for (const record of page.devices) yield withSchool(record)
        }
      }
    },
    async findBySerial(serialNumber, opts = {}) {
      const found: Device[] = []
      for (const adapter of adapters.values()) {
        for (const record of await adapter.findBySerial(
          serialNumber,
          opts.signal ? { signal: opts.signal } : {},
        )) {
          if (record.serialNumber === serialNumber) found.push(withSchool(record))
        }
      }
      return found
    },
    async moveDevice(id, toSchoolId, opts) {
      const to = schools.find((s) => s.id === toSchoolId)
      if (to === undefined) throw new MdmError('ERR_MDM_NOT_FOUND', 'No such school', { field: 'toSchoolId' })
      if (opts.reason.trim().length < 5) {
        throw new MdmError('ERR_MDM_VALIDATION', 'Moving a device needs a reason of at least 5 characters', {
          field: 'reason',
        })
      }
      const { adapter, vendorId } = parseId(id)
      if (adapter.moveDevice === undefined) {
        throw new MdmError('ERR_MDM_UNSUPPORTED', `${adapter.vendor} does not support moving devices`, {
          vendor: adapter.vendor,
        })
      }
      const signal = opts.signal ? { signal: opts.signal } : {}
      const record = await adapter.getDevice(vendorId, signal)
      if (record === null)
        throw new MdmError('ERR_MDM_NOT_FOUND', 'No such device', { vendor: adapter.vendor })
      await adapter.moveDevice(record, to, signal)
      const moved = await adapter.getDevice(vendorId, signal)
      if (moved === null || !deviceInSchool(to, moved)) {
        throw new MdmError('ERR_MDM_CONFLICT', 'The vendor did not move the device to the school', {
          vendor: adapter.vendor,
        })
      }
      return withSchool(moved)
    },
  }
}
