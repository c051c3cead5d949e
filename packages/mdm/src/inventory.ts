import { z } from 'zod'
import type { DevicePage, DeviceRecord, MdmAdapter } from './adapter.js'
import type { Device, Vendor } from './model.js'
import { deviceInSchool, orgUnitWithin, resolveSchool, type School } from './schools.js'

/** Options of {@link MdmClient.inventory}. */
export interface InventoryOptions {
  /** Only these vendors. Default every configured adapter. */
  readonly vendors?: readonly Vendor[]
  /** Only these schools (by id). Default every configured school. */
  readonly schoolIds?: readonly string[]
  /**
   * Page requests per vendor at once (across its school listings). Default,
   * and at most, the adapter's `listConcurrency` (the vendor's limit, for
   * example Jamf's 5 connections).
   */
  readonly concurrency?: number
  /** Resume after the last page whose `cursor` was stored. */
  readonly cursor?: string
  /** Stops the inventory, including requests in flight. */
  readonly signal?: AbortSignal
}

/** How far an inventory has come, for a progress bar. */
export interface InventoryProgress {
  /** Devices handed on so far, including those before a resume. */
  readonly devices: number
  /** Listings (one per school and vendor, or one per vendor that cannot filter by school) finished. */
  readonly listingsDone: number
  /** Listings in this inventory. */
  readonly listingsTotal: number
  /**
   * The vendors' own device counts for the listings that gave one (Jamf
   * School, Jamf Pro), plus the devices handed on from listings that did not;
   * `null` until a vendor has given a count. An estimate: devices outside the
   * chosen schools are part of a Jamf Pro count.
   */
  readonly expectedDevices: number | null
}

/** One page of an inventory: one vendor's devices of one school. */
export interface InventoryPage {
  readonly vendor: Vendor
  /** The school every device on this page belongs to (checked in this package). */
  readonly schoolId: string
  readonly devices: readonly Device[]
  /**
   * Resumes the inventory after this page: store it once the page is
   * processed and pass it as `cursor` to continue. Opaque; it carries the
   * vendors' own page cursors. Pages cut from one vendor page (Jamf Pro,
   * sorted into schools here) share the cursor of the last of them; the
   * others carry the cursor from before, so nothing is skipped on a resume.
   */
  readonly cursor: string
  readonly progress: InventoryProgress
}

const DONE = 1
const CursorState = z.object({
  v: z.literal(1),
  n: z.number().int().nonnegative(),
  s: z.record(z.string().max(200), z.union([z.literal(DONE), z.string().max(8192)])),
})
type CursorState = z.infer<typeof CursorState>

function encodeCursor(state: CursorState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(state))
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  }
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function decodeCursor(cursor: string): CursorState {
  let parsed: unknown
  try {
    if (!/^[A-Za-z0-9_-]*$/.test(cursor)) throw new TypeError('not base64url')
    const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'))
    parsed = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    )
  } catch {
    parsed = undefined
  }
  const result = CursorState.safeParse(parsed)
  if (!result.success) throw new TypeError('cursor must come from an earlier inventory page')
  return result.data
}

/** @internal One listing: a vendor's devices of one school, or all of a vendor that sorts on our side. */
interface Listing {
  readonly key: string
  readonly adapter: MdmAdapter
  /** The school asked for at the vendor; absent for a whole-vendor listing. */
  readonly school?: School
  /** The part of a whole-vendor listing (the adapter's `listParts`). */
  readonly part?: string
}

/** @internal What the inventory needs from the client. */
export interface InventoryContext {
  readonly adapters: ReadonlyMap<Vendor, MdmAdapter>
  readonly schools: readonly School[]
  readonly vendorsFor: (school: School) => MdmAdapter[]
  readonly onScopeDrop: (event: { schoolId: string; vendor: Vendor; deviceId: string }) => void
}

/** @internal A FIFO semaphore: page requests of one vendor at once. */
interface Gate {
  free: number
  readonly queue: (() => void)[]
}

type Message =
  | {
      readonly kind: 'page'
      readonly listing: Listing
      readonly page: DevicePage
      readonly taken: () => void
    }
  | { readonly kind: 'done'; readonly listing: Listing }
  | { readonly kind: 'error'; readonly error: unknown }

/**
 * @internal The inventory behind {@link MdmClient.inventory}: school listings
 * run in parallel up to each vendor's limit, every device is checked against
 * its school here, and each listing holds one page while its previous one is
 * with the caller.
 */
export async function* runInventory(
  context: InventoryContext,
  options: InventoryOptions,
): AsyncGenerator<InventoryPage, void, undefined> {
  const state = options.cursor === undefined ? { v: 1 as const, n: 0, s: {} } : decodeCursor(options.cursor)
  const concurrency = options.concurrency
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
    throw new TypeError('concurrency must be a whole number of at least 1')
  }
  const wantedSchools =
    options.schoolIds === undefined ? undefined : new Set<string>(options.schoolIds as readonly string[])
  if (wantedSchools !== undefined) {
    for (const id of wantedSchools) {
      if (!context.schools.some((s) => s.id === id)) throw new TypeError(`no school ${JSON.stringify(id)}`)
    }
  }
  const schools = context.schools.filter((s) => wantedSchools === undefined || wantedSchools.has(s.id))
  const schoolIds: ReadonlySet<string> = new Set(schools.map((s) => s.id))
  const vendors = options.vendors === undefined ? undefined : new Set<Vendor>(options.vendors)

  // One queue of listings per vendor: vendors' limits are their own, so they run side by side.
  const queues = new Map<MdmAdapter, Listing[]>()
  const all: Listing[] = []
  for (const adapter of context.adapters.values()) {
    if (vendors !== undefined && !vendors.has(adapter.vendor)) continue
    const served = schools.filter((s) => context.vendorsFor(s).includes(adapter))
    if (served.length === 0) continue
    const listings: Listing[] =
      (adapter.schoolFilter ?? 'server') === 'client'
        ? adapter.listParts === undefined || adapter.listParts.length === 0
          ? [{ key: adapter.vendor, adapter }]
          : adapter.listParts.map((part) => ({ key: `${adapter.vendor}/${part}`, adapter, part }))
        : served.map((school) => ({ key: `${adapter.vendor}:${school.id}`, adapter, school }))
    all.push(...listings)
    queues.set(
      adapter,
      listings.filter((l) => state.s[l.key] !== DONE),
    )
  }
  const counts = new Map<string, number>()
  const done = (): number => all.filter((l) => state.s[l.key] === DONE).length
  let devicesSeen = state.n
  let devicesWithoutCount = 0
  const expected = (): number | null => {
    if (counts.size === 0) return null
    let sum = 0
    for (const l of all) sum += counts.get(l.key) ?? 0
    // Listings without a vendor count contribute what they have handed on.
    return Math.max(sum + devicesWithoutCount, devicesSeen)
  }

  // One controller per running listing (not one shared signal: dozens of requests in flight
  // would each hang a listener on it), all aborted when the inventory stops.
  const controllers = new Set<AbortController>()
  let stopped = false
  const stop = (reason?: unknown): void => {
    stopped = true
    for (const controller of controllers) controller.abort(reason)
    // Listings waiting for a permit see `stopped` and end.
    for (const waiter of [...gateWaiters]) waiter()
  }
  let wake: (() => void) | undefined
  const onAbort = (): void => {
    stop(options.signal?.reason)
    wake?.()
    wake = undefined
  }
  if (options.signal?.aborted) throw options.signal.reason
  options.signal?.addEventListener('abort', onAbort, { once: true })

  // A tiny channel: producers push and wait until their page is taken; the loop below takes.
  const inbox: Message[] = []
  const push = (message: Message): void => {
    if (stopped) {
      // Nobody takes pages any more: let the producer end.
      if (message.kind === 'page') message.taken()
      return
    }
    inbox.push(message)
    wake?.()
    wake = undefined
  }

  // Per vendor: `width` page requests at once (a permit is held from asking a listing for its next
  // page until the page is in), among up to twice as many open listings. Permits go in FIFO order,
  // so a listing's next page queues behind the first pages of others (breadth first): cursor chains
  // of different lengths then end close together, instead of the last listings started running
  // their whole chains alone with the other connections idle.
  const gateWaiters = new Set<() => void>()
  const acquire = (gate: Gate): Promise<void> => {
    if (gate.free > 0) {
      gate.free--
      return Promise.resolve()
    }
    return new Promise<void>((resolve) => {
      const waiter = (): void => {
        gateWaiters.delete(waiter)
        resolve()
      }
      gateWaiters.add(waiter)
      gate.queue.push(waiter)
    })
  }
  const release = (gate: Gate): void => {
    const next = gate.queue.shift()
    if (next === undefined) gate.free++
    else next()
  }

  const runListing = async (listing: Listing, gate: Gate): Promise<void> => {
    const resume = state.s[listing.key]
    const controller = new AbortController()
    controllers.add(controller)
    try {
      const pages = listing.adapter
        .listDevices({
          ...(listing.school === undefined ? {} : { school: listing.school }),
          ...(listing.part === undefined ? {} : { part: listing.part }),
          ...(typeof resume === 'string' ? { cursor: resume } : {}),
          signal: controller.signal,
        })
        [Symbol.asyncIterator]()
      try {
        for (;;) {
          await acquire(gate)
          if (stopped) {
            release(gate)
            return
          }
          let next: IteratorResult<DevicePage>
          try {
            next = await pages.next()
          } finally {
            release(gate)
          }
          if (next.done === true) break
          if (stopped) return
          // Wait until the caller has this page before asking for the next: one page per listing.
          await new Promise<void>((taken) => push({ kind: 'page', listing, page: next.value, taken }))
          if (stopped) return
        }
      } finally {
        if (stopped) await pages.return?.().catch(() => undefined)
      }
      push({ kind: 'done', listing })
    } finally {
      controllers.delete(controller)
    }
  }

  let running = 0
  const workers: Promise<void>[] = []
  for (const [adapter, queue] of queues) {
    const limit = Math.max(1, adapter.listConcurrency ?? 4)
    const width = concurrency === undefined ? limit : Math.min(concurrency, limit)
    const gate: Gate = { free: width, queue: [] }
    const open = Math.min(2 * width, queue.length)
    for (let w = 0; w < open; w++) {
      running++
      workers.push(
        (async () => {
          try {
            for (let listing = queue.shift(); listing !== undefined; listing = queue.shift()) {
              await runListing(listing, gate)
              if (stopped) return
            }
          } catch (error) {
            push({ kind: 'error', error })
          } finally {
            running--
            wake?.()
            wake = undefined
          }
        })(),
      )
    }
  }

  try {
    for (;;) {
      // An aborted inventory ends with the abort reason, never as if it were complete.
      if (options.signal?.aborted) throw options.signal.reason
      const message = inbox.shift()
      if (message === undefined) {
        if (running === 0) return
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        continue
      }
      if (message.kind === 'error') throw message.error
      const { listing } = message
      if (message.kind === 'done') {
        state.s[listing.key] = DONE
        continue
      }
      const { page } = message
      // The caller now holds this page: the listing may fetch its next one meanwhile.
      message.taken()
      const groups = [...sortPage(context, listing, page.devices, schoolIds)]
      // A whole-vendor page can hold several schools: all but the last of its pages carry the
      // cursor from before it, so a job that stops between them gets the vendor page again.
      const before = groups.length > 1 ? encodeCursor(state) : ''
      if (page.totalCount !== undefined) counts.set(listing.key, page.totalCount)
      state.s[listing.key] = page.nextCursor ?? DONE
      let handed = 0
      for (const [, devices] of groups) handed += devices.length
      if (page.totalCount === undefined) devicesWithoutCount += handed
      const from = devicesSeen
      devicesSeen += handed
      state.n = devicesSeen
      const after = encodeCursor(state)
      const listingsDone = done()
      let sofar = from
      for (const [k, [schoolId, devices]] of groups.entries()) {
        sofar += devices.length
        yield {
          vendor: listing.adapter.vendor,
          schoolId,
          devices,
          cursor: k === groups.length - 1 ? after : before,
          progress: {
            devices: sofar,
            listingsDone,
            listingsTotal: all.length,
            expectedDevices: expected(),
          },
        }
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    stop()
    // Let producers waiting for their page to be taken see the stop and end.
    for (const message of inbox.splice(0)) if (message.kind === 'page') message.taken()
    await Promise.allSettled(workers)
  }
}

/**
 * Sorts one vendor page into schools: a school listing keeps only the school's
 * devices (anything else is a vendor filter gone wrong and is reported); a
 * whole-vendor listing hands each device to the school its placement names.
 */
function sortPage(
  context: InventoryContext,
  listing: Listing,
  records: readonly DeviceRecord[],
  schools: ReadonlySet<string>,
): Map<string, Device[]> {
  const groups = new Map<string, Device[]>()
  const vendor = listing.adapter.vendor
  const school = listing.school
  // Only when another school's scope can claim the same devices (nested org units, a shared
  // location) does the owner have to be resolved among all schools; otherwise it is this school.
  const shared = school !== undefined && context.schools.some((other) => mayShare(vendor, school, other))
  for (const record of records) {
    let schoolId: string | null
    if (school !== undefined) {
      if (record.vendor !== vendor || !deviceInSchool(school, record)) {
        context.onScopeDrop({ schoolId: school.id, vendor, deviceId: record.id })
        continue
      }
      schoolId = shared ? resolveSchool(context.schools, record.placement) : school.id
      // Overlapping scopes: the device is the school's its placement resolves to, and is listed there.
      if (schoolId !== school.id) continue
    } else {
      schoolId = record.vendor === vendor ? resolveSchool(context.schools, record.placement) : null
      if (schoolId === null || !schools.has(schoolId)) continue
    }
    const id = schoolId
    const group = groups.get(id) ?? []
    group.push({ ...record, schoolId: id })
    groups.set(id, group)
  }
  if (groups.size === 0 && listing.school !== undefined) groups.set(listing.school.id, [])
  return groups
}

/** Whether another school's scope in a vendor can hold devices of `school`'s scope too. */
function mayShare(vendor: Vendor, school: School, other: School): boolean {
  if (other === school) return false
  const a = school.scopes
  const b = other.scopes
  switch (vendor) {
    case 'intune':
      // A device can carry several scope tags; categories are one per device.
      return a.intune !== undefined && 'category' in a.intune
        ? b.intune !== undefined && 'category' in b.intune && b.intune.category === a.intune.category
        : b.intune !== undefined
    case 'jamf-pro':
      return a.jamfPro !== undefined && a.jamfPro.siteId === b.jamfPro?.siteId
    case 'jamf-school':
      return a.jamfSchool !== undefined && a.jamfSchool.locationId === b.jamfSchool?.locationId
    case 'google':
      return (
        a.google !== undefined &&
        b.google !== undefined &&
        (orgUnitWithin(a.google.orgUnitPath, b.google.orgUnitPath) ||
          orgUnitWithin(b.google.orgUnitPath, a.google.orgUnitPath))
      )
  }
}
