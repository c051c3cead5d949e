import {
  createHttpClient,
  fullJitterDelay,
  type HttpClient,
  isHttpError,
  paginate,
  serverRetryDelay,
  systemClock,
} from '@felles/http'
import { type DeviceAction, isDestructive } from '../actions.js'
import type {
  CommandState,
  DevicePage,
  DeviceRecord,
  ListDevicesOptions,
  MdmAdapter,
  PerformManyResult,
  PerformResult,
} from '../adapter.js'
import { CAPABILITIES, type CapabilityMatrix } from '../capabilities.js'
import { MdmError } from '../errors.js'
import { oauthTokenCache } from '../internal/oauth-token.js'
import { mapWithConcurrency } from '../internal/pool.js'
import { mdmErrorFromStatus, toMdmError } from '../internal/vendor-error.js'
import type { Compliance, Platform } from '../model.js'
import type { School } from '../schools.js'
import { sig, type TransportOptions, transport } from './common.js'

/** Options for {@link createIntuneAdapter}. */
export interface IntuneAdapterOptions extends TransportOptions {
  readonly tenantId: string
  readonly clientId: string
  /** The app's client secret. Never logged. */
  readonly clientSecret: string
  /** Graph root. Default `https://graph.microsoft.com/v1.0`; use the beta root for scope tags. */
  readonly graphUrl?: string
  /** Token endpoint. Default `https://login.microsoftonline.com/{tenantId}/oauth2/v2.0/token`. */
  readonly tokenUrl?: string
  /** How schools are scoped: device categories (v1.0, default) or role scope tags (beta API). */
  readonly scopeBy?: 'category' | 'scopeTag'
  /** `$top` per page. Default 200. */
  readonly pageSize?: number
  /**
   * Bulk actions (`performMany`) through Graph `$batch`. `maxRetries`: how often a
   * throttled (429) item of a non-destructive action is sent again (default 6);
   * `writesPer20s`: the write budget paced on this side (default Graph's 200).
   */
  readonly batch?: { readonly maxRetries?: number; readonly writesPer20s?: number }
  /** Random source in [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: () => number
}

/** Graph's `$batch` limit: at most 20 requests in one batch. */
const BATCH_SIZE = 20
/** Device ids per filtered re-fetch (`id eq … or id eq …`), keeping the URL short. */
const IDS_PER_QUERY = 25

interface BatchItemResponse {
  id: string
  status: number
  headers?: Record<string, string>
  body?: unknown
}

const SELECT = [
  'id',
  'deviceName',
  'serialNumber',
  'model',
  'manufacturer',
  'operatingSystem',
  'osVersion',
  'userPrincipalName',
  'complianceState',
  'isSupervised',
  'deviceCategoryDisplayName',
  'enrolledDateTime',
  'lastSyncDateTime',
  'managementState',
  'deviceActionResults',
]

const ACTIONS: Partial<Record<DeviceAction['type'], string>> = {
  sync: 'syncDevice',
  restart: 'rebootNow',
  shutdown: 'shutDown',
  lock: 'remoteLock',
  disableLostMode: 'disableLostMode',
  locate: 'locateDevice',
  clearPasscode: 'resetPasscode',
  wipe: 'wipe',
  retire: 'retire',
}

interface ManagedDevice {
  id: string
  deviceName?: string | null
  serialNumber?: string | null
  model?: string | null
  operatingSystem?: string | null
  osVersion?: string | null
  userPrincipalName?: string | null
  complianceState?: string | null
  isSupervised?: boolean | null
  deviceCategoryDisplayName?: string | null
  roleScopeTagIds?: string[] | null
  enrolledDateTime?: string | null
  lastSyncDateTime?: string | null
  managementState?: string | null
  lostModeState?: string | null
  deviceActionResults?: { actionName?: string; actionState?: string; startDateTime?: string }[] | null
}

const odataString = (value: string): string => `'${value.replaceAll("'", "''")}'`

function platformOf(d: ManagedDevice): Platform {
  const os = (d.operatingSystem ?? '').toLowerCase()
  if (os.startsWith('windows')) return 'windows'
  if (os === 'ipados' || (os === 'ios' && (d.model ?? '').toLowerCase().includes('ipad'))) return 'ipados'
  if (os === 'ios') return 'ios'
  if (os === 'macos') return 'macos'
  if (os.startsWith('android')) return 'android'
  return 'other'
}

function complianceOf(state: string | null | undefined): Compliance {
  switch (state) {
    case 'compliant':
      return 'compliant'
    case 'noncompliant':
    case 'inGracePeriod':
      return 'noncompliant'
    case 'notApplicable':
      return 'not-evaluated'
    default:
      return 'unknown'
  }
}

/**
 * An adapter for Microsoft Intune through Microsoft Graph: client-credentials
 * tokens renewed before expiry (one request in flight), `@odata.nextLink`
 * paging one page at a time, Graph's throttling limits (2,000 requests and 200
 * writes per 20 s per app and tenant) and `Retry-After`, and Graph errors
 * mapped to `MdmError` with the request id kept. Schools are device categories
 * (v1.0) or role scope tags (beta).
 *
 * @param options - Tenant, app credentials and endpoints.
 * @returns The adapter.
 * @example
 * ```ts
 * const intune = createIntuneAdapter({ tenantId, clientId, clientSecret })
 * ```
 * @see https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice
 */
export function createIntuneAdapter(options: IntuneAdapterOptions): MdmAdapter {
  const graphUrl = (options.graphUrl ?? 'https://graph.microsoft.com/v1.0').replace(/\/$/, '')
  const tokenUrl =
    options.tokenUrl ??
    `https://login.microsoftonline.com/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`
  const scopeBy = options.scopeBy ?? 'category'
  const pageSize = options.pageSize ?? 200
  const common = transport(options)

  const tokens = oauthTokenCache({
    vendor: 'intune',
    url: tokenUrl,
    form: () =>
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    refreshBefore: 5 * 60_000,
    transport: options,
  })
  const graph: HttpClient = createHttpClient({
    ...common,
    baseUrl: `${graphUrl}/`,
    token: tokens.provider(),
    rateLimit: { requests: 2000, interval: 20_000 },
    maxConcurrency: 8,
    requestIdHeaders: ['request-id', 'client-request-id'],
  })
  const writes: HttpClient = createHttpClient({
    ...common,
    baseUrl: `${graphUrl}/`,
    token: tokens.provider(),
    rateLimit: { requests: 200, interval: 20_000 },
    maxConcurrency: 4,
    requestIdHeaders: ['request-id', 'client-request-id'],
  })

  const toRecord = (d: ManagedDevice): DeviceRecord => ({
    id: `intune:${d.id}`,
    vendor: 'intune',
    vendorId: d.id,
    serialNumber: d.serialNumber || null,
    name: d.deviceName ?? null,
    model: d.model ?? null,
    platform: platformOf(d),
    osVersion: d.osVersion ?? null,
    owner: d.userPrincipalName || null,
    placement:
      scopeBy === 'category'
        ? { kind: 'intune-category', name: d.deviceCategoryDisplayName ?? null }
        : { kind: 'intune-scope-tag', ids: (d.roleScopeTagIds ?? []).map(String) },
    managed: d.managementState !== 'retirePending' && d.managementState !== 'wipePending',
    supervised: d.isSupervised ?? null,
    enrolledAt: d.enrolledDateTime ?? null,
    compliance: complianceOf(d.complianceState),
    lostMode:
      d.lostModeState === undefined || d.lostModeState === null ? null : d.lostModeState === 'enabled',
    lastCheckIn: d.lastSyncDateTime ?? null,
    raw: d,
  })

  const select = scopeBy === 'scopeTag' ? [...SELECT, 'roleScopeTagIds'].join(',') : SELECT.join(',')
  const schoolFilter = (school: School | undefined): string | undefined => {
    const scope = school?.scopes.intune
    if (scope === undefined) return undefined
    if ('category' in scope) return `deviceCategoryDisplayName eq ${odataString(scope.category)}`
    return undefined // Graph cannot filter on roleScopeTagIds; Felles filters client-side.
  }

  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const maxRetries = Math.max(0, options.batch?.maxRetries ?? 6)
  const writeBudget = Math.max(1, options.batch?.writesPer20s ?? 200)
  // Graph counts every `$batch` item against its limits: the write budget is paced here per item.
  const writeTimes: number[] = []
  const paceWrites = async (count: number, signal: AbortSignal | undefined): Promise<void> => {
    const n = Math.min(count, writeBudget)
    for (;;) {
      const now = clock.now()
      while (writeTimes.length > 0 && (writeTimes[0] as number) <= now - 20_000) writeTimes.shift()
      if (writeTimes.length + n <= writeBudget) {
        for (let i = 0; i < n; i++) writeTimes.push(now)
        return
      }
      const oldest = writeTimes[writeTimes.length + n - writeBudget - 1] as number
      await clock.sleep(Math.max(1, oldest + 20_000 - now), signal)
    }
  }
  const batchClient: HttpClient = createHttpClient({
    ...common,
    baseUrl: `${graphUrl}/`,
    token: tokens.provider(),
    maxConcurrency: 1,
    requestIdHeaders: ['request-id', 'client-request-id'],
  })

  const adapter: MdmAdapter = {
    vendor: 'intune',
    capabilities: CAPABILITIES.intune as CapabilityMatrix,
    // Graph filters on the device category, not on role scope tags.
    schoolFilter: scopeBy === 'category' ? 'server' : 'client',
    listConcurrency: 8,

    async *listDevices(opts: ListDevicesOptions): AsyncIterable<DevicePage> {
      const filter = schoolFilter(opts.school)
      try {
        for await (const page of paginate<{ value: ManagedDevice[]; '@odata.nextLink'?: string }>(graph, {
          first: {
            url: 'deviceManagement/managedDevices',
            query: { $select: select, $top: pageSize, ...(filter === undefined ? {} : { $filter: filter }) },
          },
          next: (body) => body['@odata.nextLink'],
          ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }),
          ...sig(opts.signal),
        })) {
          yield { devices: page.body.value.map(toRecord), nextCursor: page.next ?? null }
        }
      } catch (error) {
        throw toMdmError('intune', error, 'listing devices')
      }
    },

    async getDevice(vendorId, opts = {}) {
      try {
        const d = await graph.json<ManagedDevice>({
          url: `deviceManagement/managedDevices/${encodeURIComponent(vendorId)}`,
          query: { $select: select },
          ...sig(opts.signal),
        })
        return toRecord(d)
      } catch (error) {
        if (isHttpError(error) && (error.status === 404 || error.status === 400)) return null
        throw toMdmError('intune', error, 'reading a device')
      }
    },

    async findBySerial(serialNumber, opts = {}) {
      try {
        const body = await graph.json<{ value: ManagedDevice[] }>({
          url: 'deviceManagement/managedDevices',
          query: { $select: select, $filter: `serialNumber eq ${odataString(serialNumber)}` },
          ...sig(opts.signal),
        })
        return body.value.map(toRecord)
      } catch (error) {
        throw toMdmError('intune', error, 'searching by serial number')
      }
    },

    async perform(device, action, opts): Promise<PerformResult> {
      const name = ACTIONS[action.type]
      if (name === undefined) {
        throw new MdmError('ERR_MDM_UNSUPPORTED', `Intune has no ${action.type} in Graph v1.0`, {
          vendor: 'intune',
        })
      }
      const json = action.type === 'wipe' ? { keepEnrollmentData: false, keepUserData: false } : undefined
      try {
        await writes.send({
          url: `deviceManagement/managedDevices/${encodeURIComponent(device.vendorId)}/${name}`,
          method: 'POST',
          ...(json === undefined ? {} : { json }),
          // A device action is never repeated blindly: only a failure known to be before the server saw it is retried.
          idempotent: false,
          ...(action.type === 'wipe' || action.type === 'retire' ? { retry: false as const } : {}),
          ...sig(opts.signal),
        })
      } catch (error) {
        throw toMdmError('intune', error, `${action.type}`)
      }
      return { outcome: 'queued', commandId: `${name}@${device.vendorId}` }
    },

    async getDevices(vendorIds, opts = {}) {
      const wanted = new Set(vendorIds)
      const chunks: string[][] = []
      const ids = [...wanted]
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) chunks.push(ids.slice(i, i + IDS_PER_QUERY))
      const found = new Map<string, DeviceRecord>()
      await mapWithConcurrency(chunks, 4, async (chunk) => {
        const filter = chunk.map((id) => `id eq ${odataString(id)}`).join(' or ')
        try {
          for await (const page of paginate<{ value: ManagedDevice[]; '@odata.nextLink'?: string }>(graph, {
            first: {
              url: 'deviceManagement/managedDevices',
              query: { $select: select, $top: Math.max(pageSize, chunk.length), $filter: filter },
            },
            next: (body) => body['@odata.nextLink'],
            ...sig(opts.signal),
          })) {
            // A filter Graph ignored returns other devices too: only the ids asked for are kept.
            for (const d of page.body.value) if (wanted.has(d.id)) found.set(d.id, toRecord(d))
          }
        } catch (error) {
          throw toMdmError('intune', error, 'reading devices')
        }
      })
      return found
    },

    async performMany(devices, action, opts): Promise<PerformManyResult[]> {
      const name = ACTIONS[action.type]
      if (name === undefined) {
        const error = new MdmError('ERR_MDM_UNSUPPORTED', `Intune has no ${action.type} in Graph v1.0`, {
          vendor: 'intune',
        })
        return devices.map(() => ({ ok: false as const, error }))
      }
      const destructive = isDestructive(action.type)
      const body = action.type === 'wipe' ? { keepEnrollmentData: false, keepUserData: false } : undefined
      const results = new Array<PerformManyResult | undefined>(devices.length)
      const tries = new Array<number>(devices.length).fill(0)
      const queue = devices.map((_, i) => i)
      while (queue.length > 0) {
        const chunk = queue.splice(0, BATCH_SIZE)
        await paceWrites(chunk.length, opts.signal)
        let responses: BatchItemResponse[]
        try {
          const answer = await batchClient.json<{ responses?: BatchItemResponse[] }>({
            url: '$batch',
            method: 'POST',
            json: {
              requests: chunk.map((i) => ({
                id: String(i),
                method: 'POST',
                url: `/deviceManagement/managedDevices/${encodeURIComponent((devices[i] as DeviceRecord).vendorId)}/${name}`,
                ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body }),
              })),
            },
            // Only a failure known to be before Graph saw the batch is retried; destructive batches never.
            idempotent: false,
            ...(destructive ? { retry: false as const } : {}),
            ...sig(opts.signal),
          })
          responses = answer?.responses ?? []
        } catch (error) {
          const mapped = toMdmError('intune', error, `${action.type} ($batch)`)
          if (!(mapped instanceof MdmError)) throw mapped
          for (const i of chunk) results[i] = { ok: false, error: mapped }
          continue
        }
        const byId = new Map(responses.map((r) => [String(r.id), r]))
        const again: number[] = []
        let wait = 0
        let throttled = false
        for (const i of chunk) {
          const item = byId.get(String(i))
          const vendorId = (devices[i] as DeviceRecord).vendorId
          if (item === undefined) {
            results[i] = {
              ok: false,
              error: new MdmError(
                'ERR_MDM_UNAVAILABLE',
                `intune: ${action.type} got no answer in the batch`,
                {
                  vendor: 'intune',
                },
              ),
            }
          } else if (item.status >= 200 && item.status < 300) {
            results[i] = { ok: true, result: { outcome: 'queued', commandId: `${name}@${vendorId}` } }
          } else {
            const headers = new Headers(item.headers ?? {})
            if (item.status === 429) {
              // Honoured for every later batch, even when this item is not sent again.
              throttled = true
              const asked = serverRetryDelay(headers, { now: clock.now() })
              wait = Math.max(
                wait,
                asked ?? fullJitterDelay(tries[i]! + 1, { baseDelay: 1_000, maxDelay: 32_000 }, random),
              )
              // A destructive item is never sent again: it fails as rate-limited.
              if (!destructive && tries[i]! < maxRetries) {
                tries[i] = tries[i]! + 1
                again.push(i)
                continue
              }
            }
            const innerId = (item.body as { error?: { innerError?: Record<string, unknown> } } | undefined)
              ?.error?.innerError?.['request-id']
            const requestId = headers.get('request-id') ?? (typeof innerId === 'string' ? innerId : undefined)
            results[i] = {
              ok: false,
              error: mdmErrorFromStatus('intune', item.status, item.body, requestId, action.type),
            }
          }
        }
        if (throttled) {
          // Graph asked this client to slow down: every later batch waits too, not only the throttled items.
          queue.unshift(...again)
          if (queue.length > 0) await clock.sleep(wait, opts.signal)
        }
      }
      return results as PerformManyResult[]
    },

    async commandState(device, commandId, opts = {}): Promise<CommandState> {
      const name = commandId.split('@')[0]
      const fresh = await adapter.getDevice(device.vendorId, opts)
      const results = ((fresh?.raw as ManagedDevice | undefined)?.deviceActionResults ?? []).filter(
        (r) => r.actionName === name,
      )
      const last = results.at(-1)
      switch (last?.actionState) {
        case 'pending':
          return 'pending'
        case 'active':
          return 'sent'
        case 'done':
          return 'completed'
        case 'failed':
        case 'notSupported':
          return 'failed'
        case 'canceled':
          return 'expired'
        default:
          return 'unknown'
      }
    },
  }
  return adapter
}
