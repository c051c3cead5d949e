import { createHttpClient, type HttpClient, isHttpError } from '@felles/http'
import type { DeviceAction } from '../actions.js'
import type {
  CommandState,
  DevicePage,
  DeviceRecord,
  ListDevicesOptions,
  MdmAdapter,
  PerformResult,
} from '../adapter.js'
import { CAPABILITIES, type CapabilityMatrix } from '../capabilities.js'
import { MdmError } from '../errors.js'
import { oauthTokenCache } from '../internal/oauth-token.js'
import { toMdmError } from '../internal/vendor-error.js'
import type { Platform } from '../model.js'
import { sig, type TransportOptions, transport } from './common.js'

/** Options for {@link createJamfProAdapter}. */
export interface JamfProAdapterOptions extends TransportOptions {
  /** The Jamf Pro server, for example `https://kommune.jamfcloud.com`. */
  readonly serverUrl: string
  /** API client id (API roles and clients). */
  readonly clientId: string
  /** API client secret. Never logged. */
  readonly clientSecret: string
  /** `page-size` asked for. Jamf Pro silently caps it at 2,000; paging stops on `totalCount`. Default 500. */
  readonly pageSize?: number
  /** Connections at once. Jamf advises at most 5. Default 5. */
  readonly maxConcurrency?: number
  /**
   * Inventory pages asked for ahead of the one handed on (at most this many pages
   * in memory besides it). `0` reads one page at a time. Default 4.
   */
  readonly readAhead?: number
}

const COMMANDS: Partial<Record<DeviceAction['type'], string>> = {
  sync: 'UPDATE_INVENTORY',
  restart: 'RESTART_DEVICE',
  shutdown: 'SHUT_DOWN_DEVICE',
  lock: 'DEVICE_LOCK',
  enableLostMode: 'ENABLE_LOST_MODE',
  disableLostMode: 'DISABLE_LOST_MODE',
  locate: 'DEVICE_LOCATION',
  clearPasscode: 'CLEAR_PASSCODE',
  wipe: 'ERASE_DEVICE',
}

interface MobileInventory {
  mobileDeviceId: string
  general?: {
    udid?: string
    displayName?: string
    siteId?: string
    lastInventoryUpdateDate?: string
    osVersion?: string
    managed?: boolean
    supervised?: boolean
    lastEnrolledDate?: string
  }
  hardware?: { serialNumber?: string; model?: string }
  userAndLocation?: { username?: string }
  security?: { lostModeEnabled?: boolean }
}

interface MobileDetails {
  id: string
  name?: string
  serialNumber?: string
  osVersion?: string
  managed?: boolean
  lastInventoryUpdateTimestamp?: string
  lastEnrollmentTimestamp?: string
  site?: { id?: string }
  location?: { username?: string }
  ios?: { model?: string; supervised?: boolean }
  managementId?: string
}

interface Computer {
  id: string
  general?: {
    name?: string
    supervised?: boolean
    lastContactTime?: string
    lastEnrolledDate?: string
    site?: { id?: string }
    managementId?: string
    remoteManagement?: { managed?: boolean }
  }
  hardware?: { serialNumber?: string; model?: string }
  operatingSystem?: { version?: string }
  userAndLocation?: { username?: string }
}

const site = (id: string | undefined): string | null => (id === undefined || id === '-1' ? null : id)
const platformOfModel = (model: string | undefined): Platform =>
  (model ?? '').toLowerCase().includes('iphone') ? 'ios' : 'ipados'

function fromInventory(d: MobileInventory): DeviceRecord {
  return {
    id: `jamf-pro:m-${d.mobileDeviceId}`,
    vendor: 'jamf-pro',
    vendorId: `m-${d.mobileDeviceId}`,
    serialNumber: d.hardware?.serialNumber || null,
    name: d.general?.displayName ?? null,
    model: d.hardware?.model ?? null,
    platform: platformOfModel(d.hardware?.model),
    osVersion: d.general?.osVersion ?? null,
    owner: d.userAndLocation?.username || null,
    placement: { kind: 'jamf-pro-site', id: site(d.general?.siteId) },
    managed: d.general?.managed ?? true,
    supervised: d.general?.supervised ?? null,
    enrolledAt: d.general?.lastEnrolledDate ?? null,
    compliance: 'not-evaluated',
    lostMode: d.security?.lostModeEnabled ?? null,
    lastCheckIn: d.general?.lastInventoryUpdateDate ?? null,
    raw: d,
  }
}

function fromDetails(d: MobileDetails): DeviceRecord {
  return {
    id: `jamf-pro:m-${d.id}`,
    vendor: 'jamf-pro',
    vendorId: `m-${d.id}`,
    serialNumber: d.serialNumber || null,
    name: d.name ?? null,
    model: d.ios?.model ?? null,
    platform: platformOfModel(d.ios?.model),
    osVersion: d.osVersion ?? null,
    owner: d.location?.username || null,
    placement: { kind: 'jamf-pro-site', id: site(d.site?.id) },
    managed: d.managed ?? true,
    supervised: d.ios?.supervised ?? null,
    enrolledAt: d.lastEnrollmentTimestamp ?? null,
    compliance: 'not-evaluated',
    lostMode: null,
    lastCheckIn: d.lastInventoryUpdateTimestamp ?? null,
    raw: d,
  }
}

function fromComputer(d: Computer): DeviceRecord {
  return {
    id: `jamf-pro:c-${d.id}`,
    vendor: 'jamf-pro',
    vendorId: `c-${d.id}`,
    serialNumber: d.hardware?.serialNumber || null,
    name: d.general?.name ?? null,
    model: d.hardware?.model ?? null,
    platform: 'macos',
    osVersion: d.operatingSystem?.version ?? null,
    owner: d.userAndLocation?.username || null,
    placement: { kind: 'jamf-pro-site', id: site(d.general?.site?.id) },
    managed: d.general?.remoteManagement?.managed ?? true,
    supervised: d.general?.supervised ?? null,
    enrolledAt: d.general?.lastEnrolledDate ?? null,
    compliance: 'not-evaluated',
    lostMode: null,
    lastCheckIn: d.general?.lastContactTime ?? null,
    raw: d,
  }
}

/**
 * An adapter for Jamf Pro (iPads and Macs): OAuth client-credentials tokens
 * (about 30 minutes) renewed before expiry with one request in flight; the
 * mobile-device and computer inventories paged by `page`/`page-size` and ended
 * on `totalCount` (Jamf Pro caps the page size silently); sites as the school
 * boundary (the site is read from each device, since it cannot be filtered on);
 * MDM commands by management id, followed with the command list; at most five
 * connections at once.
 *
 * Device ids are `m-<id>` for mobile devices and `c-<id>` for computers, since
 * Jamf Pro numbers the two separately.
 *
 * @param options - Server and API client.
 * @returns The adapter.
 * @example
 * ```ts
 * const jamfPro = createJamfProAdapter({ serverUrl: 'https://kommune.jamfcloud.com', clientId, clientSecret })
 * ```
 * @see https://developer.jamf.com/jamf-pro/reference
 */
export function createJamfProAdapter(options: JamfProAdapterOptions): MdmAdapter {
  const server = options.serverUrl.replace(/\/$/, '')
  const pageSize = Math.max(1, options.pageSize ?? 500)
  const readAhead = Math.max(0, Math.floor(options.readAhead ?? 4))
  const common = transport(options)
  const tokens = oauthTokenCache({
    vendor: 'jamf-pro',
    url: `${server}/api/oauth/token`,
    form: () =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
      }),
    refreshBefore: 2 * 60_000,
    transport: options,
  })
  const api: HttpClient = createHttpClient({
    ...common,
    baseUrl: `${server}/api/`,
    token: tokens.provider(),
    maxConcurrency: options.maxConcurrency ?? 5,
  })

  /** Pages of one inventory, ending on totalCount; the cursor is `<collection>:<page>`. */
  async function* pages<T>(
    collection: 'm' | 'c',
    url: string,
    sections: string[],
    map: (item: T) => DeviceRecord,
    startPage: number,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<DevicePage> {
    type Body = { totalCount: number; results: T[] }
    const fetchPage = (page: number): Promise<Body> =>
      api.json<Body>({
        url,
        query: { section: sections, page, 'page-size': pageSize, sort: 'id:asc' },
        ...sig(signal),
      })
    // Once the first page tells the total and the real page size, later pages are asked for ahead,
    // at most `readAhead` of them (within the 5 connections), and handed on in order.
    const ahead = new Map<number, Promise<Body>>()
    let planned = startPage
    let lastPage = startPage
    const topUp = (from: number): void => {
      for (let p = Math.max(from, planned + 1); p <= lastPage && ahead.size < readAhead; p = planned + 1) {
        const pending = fetchPage(p)
        pending.catch(() => undefined) // awaited in order below; never an unhandled rejection
        ahead.set(p, pending)
        planned = p
      }
    }
    // Before the first answer tells the total, the page after it is asked for too (a guess that
    // costs one empty answer when the inventory fits on one page), so a short listing takes one round.
    if (readAhead > 0) {
      const first = fetchPage(startPage)
      first.catch(() => undefined)
      ahead.set(startPage, first)
      lastPage = startPage + 1
      topUp(startPage + 1)
    }
    let seen = startPage * pageSize
    for (let page = startPage; ; page++) {
      const body = await (ahead.get(page) ?? fetchPage(page))
      ahead.delete(page)
      // The server may cap page-size below what was asked: count what came, stop on totalCount.
      seen = page === startPage ? startPage * pageSize + body.results.length : seen + body.results.length
      const done = body.results.length === 0 || seen >= body.totalCount
      if (page === startPage && !done) {
        lastPage = page + Math.ceil((body.totalCount - seen) / body.results.length)
      }
      if (!done) topUp(page + 1)
      yield {
        devices: body.results.map(map),
        nextCursor: done ? null : `${collection}:${page + 1}`,
        totalCount: body.totalCount,
      }
      if (done) return
    }
  }

  const parseVendorId = (vendorId: string): { kind: 'm' | 'c'; id: string } => {
    const match = /^([mc])-(\d+)$/.exec(vendorId)
    if (!match) throw new MdmError('ERR_MDM_NOT_FOUND', 'No such Jamf Pro device', { vendor: 'jamf-pro' })
    return { kind: match[1] as 'm' | 'c', id: match[2] as string }
  }

  const managementIdOf = (device: DeviceRecord): string => {
    const raw = device.raw as MobileDetails & Computer
    const id = raw.managementId ?? raw.general?.managementId
    if (id === undefined) {
      throw new MdmError('ERR_MDM_CONFLICT', 'Jamf Pro gave no management id for this device', {
        vendor: 'jamf-pro',
      })
    }
    return id
  }

  const adapter: MdmAdapter = {
    vendor: 'jamf-pro',
    capabilities: CAPABILITIES['jamf-pro'] as CapabilityMatrix,
    // Sites cannot be filtered on: one listing, sorted into schools by Felles.
    schoolFilter: 'client',
    listConcurrency: Math.max(1, options.maxConcurrency ?? 5),
    listParts: ['mobile', 'computer'],

    async *listDevices(opts: ListDevicesOptions): AsyncIterable<DevicePage> {
      if (opts.part !== undefined && opts.part !== 'mobile' && opts.part !== 'computer') {
        throw new TypeError('part must be "mobile" or "computer"')
      }
      const only = opts.part === undefined ? undefined : opts.part === 'mobile' ? 'm' : 'c'
      const [from, fromPage] = (opts.cursor ?? `${only ?? 'm'}:0`).split(':')
      const startPage = Number(fromPage)
      if (
        (from !== 'm' && from !== 'c') ||
        (only !== undefined && from !== only) ||
        !Number.isInteger(startPage) ||
        startPage < 0
      ) {
        throw new TypeError('cursor must come from an earlier page')
      }
      let mobiles = 0
      try {
        if (from === 'm') {
          for await (const page of pages<MobileInventory>(
            'm',
            'v2/mobile-devices/detail',
            ['GENERAL', 'HARDWARE', 'USER_AND_LOCATION', 'SECURITY'],
            fromInventory,
            startPage,
            opts.signal,
          )) {
            mobiles = page.totalCount ?? 0
            // After the last mobile page, the computers follow (unless only the mobiles were asked for).
            yield page.nextCursor === null && only === undefined ? { ...page, nextCursor: 'c:0' } : page
          }
          if (only === 'm') return
        }
        for await (const page of pages<Computer>(
          'c',
          'v1/computers-inventory',
          ['GENERAL', 'HARDWARE', 'OPERATING_SYSTEM', 'USER_AND_LOCATION'],
          fromComputer,
          from === 'c' ? startPage : 0,
          opts.signal,
        )) {
          // The count covers both collections once the mobile total is known (not after a resume into computers).
          yield { ...page, totalCount: mobiles + (page.totalCount ?? 0) }
        }
      } catch (error) {
        throw toMdmError('jamf-pro', error, 'listing devices')
      }
    },

    async getDevice(vendorId, opts = {}) {
      const { kind, id } = parseVendorId(vendorId)
      try {
        if (kind === 'm') {
          return fromDetails(
            await api.json<MobileDetails>({ url: `v2/mobile-devices/${id}/detail`, ...sig(opts.signal) }),
          )
        }
        return fromComputer(
          await api.json<Computer>({ url: `v1/computers-inventory-detail/${id}`, ...sig(opts.signal) }),
        )
      } catch (error) {
        if (isHttpError(error) && error.status === 404) return null
        throw toMdmError('jamf-pro', error, 'reading a device')
      }
    },

    async findBySerial(serialNumber, opts = {}) {
      const rsql = (field: string): string => `${field}=="${serialNumber.replaceAll('"', '')}"`
      try {
        const [mobile, computers] = await Promise.all([
          api.json<{ results: { id: string }[] }>({
            url: 'v2/mobile-devices',
            query: { filter: rsql('serialNumber') },
            ...sig(opts.signal),
          }),
          api.json<{ results: Computer[] }>({
            url: 'v1/computers-inventory',
            query: { section: ['GENERAL', 'HARDWARE'], filter: rsql('hardware.serialNumber') },
            ...sig(opts.signal),
          }),
        ])
        const found = await Promise.all(mobile.results.map((m) => adapter.getDevice(`m-${m.id}`, opts)))
        return [...found.filter((d): d is DeviceRecord => d !== null), ...computers.results.map(fromComputer)]
      } catch (error) {
        throw toMdmError('jamf-pro', error, 'searching by serial number')
      }
    },

    async perform(device, action, opts): Promise<PerformResult> {
      const commandType = COMMANDS[action.type]
      if (commandType === undefined) {
        throw new MdmError('ERR_MDM_UNSUPPORTED', `Jamf Pro has no ${action.type} command`, {
          vendor: 'jamf-pro',
        })
      }
      const commandData: Record<string, unknown> = { commandType }
      if (action.type === 'lock') {
        if (action.message !== undefined) commandData.message = action.message
        if (action.phoneNumber !== undefined) commandData.phoneNumber = action.phoneNumber
        if (action.pin !== undefined) commandData.pin = action.pin
      }
      if (action.type === 'enableLostMode') {
        commandData.lostModeMessage = action.message
        if (action.phoneNumber !== undefined) commandData.lostModePhone = action.phoneNumber
      }
      try {
        const created = await api.json<{ id: string }[]>({
          url: 'v2/mdm/commands',
          method: 'POST',
          json: { clientData: [{ managementId: managementIdOf(device) }], commandData },
          idempotent: false,
          ...(action.type === 'wipe' ? { retry: false as const } : {}),
          ...sig(opts.signal),
        })
        const id = created[0]?.id
        return { outcome: 'queued', ...(id === undefined ? {} : { commandId: id }) }
      } catch (error) {
        throw toMdmError('jamf-pro', error, action.type)
      }
    },

    async commandState(_device, commandId, opts = {}): Promise<CommandState> {
      try {
        const body = await api.json<{ results: { commandState?: string }[] }>({
          url: 'v2/mdm/commands',
          query: { filter: `uuid=="${commandId.replaceAll('"', '')}"` },
          ...sig(opts.signal),
        })
        switch (body.results[0]?.commandState) {
          case 'PENDING':
            return 'pending'
          case 'ACKNOWLEDGED':
          case 'COMPLETED':
            return 'completed'
          case 'ERROR':
          case 'FAILED':
            return 'failed'
          case 'NOT_NOW':
            return 'sent'
          default:
            return 'unknown'
        }
      } catch (error) {
        throw toMdmError('jamf-pro', error, 'reading a command')
      }
    },
  }
  return adapter
}
