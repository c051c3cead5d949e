import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { CommandKind, MockCommand } from '../commands.js'
import { guid, hex } from '../internal/hash.js'
import {
  bearer,
  decodeCursor,
  type Env,
  type Exchange,
  empty,
  encodeCursor,
  iso,
  json,
  parseForm,
  parseJson,
  type Reply,
  retryAfterHeader,
} from '../internal/http.js'
import {
  evaluateFilter,
  type FilterNode,
  FilterSyntaxError,
  filterProperties,
  parseFilter,
} from '../internal/odata.js'
import { RenderCache } from '../internal/render-cache.js'
import type { TokenInfo } from '../internal/tokens.js'
import { SlidingWindow } from '../internal/window.js'
import type { World } from '../world.js'

/** Graph limits (per app per tenant, from Microsoft's throttling guidance for Intune). */
export interface GraphLimits {
  /** All requests per 20 s. Default 2000. */
  readonly requestsPer20s?: number
  /** Writes (POST/PATCH/PUT/DELETE) per 20 s. Default 200. */
  readonly writesPer20s?: number
  /** Every Nth natural 429 is sent without `Retry-After` (0 = never). Default 5. */
  readonly omitRetryAfterEvery?: number
  /** Largest `$top`; bigger values are capped silently. Default 1000. */
  readonly maxPageSize?: number
}

/** A Graph app registration the emulator accepts. */
export interface GraphClient {
  readonly clientId: string
  readonly clientSecret: string
  /** Application permissions granted (e.g. `DeviceManagementManagedDevices.PrivilegedOperations.All`). */
  readonly roles: readonly string[]
}

const READ = 'DeviceManagementManagedDevices.Read.All' as const
const READ_WRITE = 'DeviceManagementManagedDevices.ReadWrite.All' as const
const PRIVILEGED = 'DeviceManagementManagedDevices.PrivilegedOperations.All' as const

/** Graph's permission names, for building clients. */
export const GRAPH_ROLES: {
  readonly read: 'DeviceManagementManagedDevices.Read.All'
  readonly readWrite: 'DeviceManagementManagedDevices.ReadWrite.All'
  readonly privileged: 'DeviceManagementManagedDevices.PrivilegedOperations.All'
} = { read: READ, readWrite: READ_WRITE, privileged: PRIVILEGED }

/** managedDevice properties in the order of Graph's v1.0 metadata (entity `id` first). */
export const MANAGED_DEVICE_PROPERTIES: readonly string[] = [
  'id',
  'activationLockBypassCode',
  'androidSecurityPatchLevel',
  'azureADDeviceId',
  'azureADRegistered',
  'complianceGracePeriodExpirationDateTime',
  'complianceState',
  'configurationManagerClientEnabledFeatures',
  'deviceActionResults',
  'deviceCategoryDisplayName',
  'deviceEnrollmentType',
  'deviceHealthAttestationState',
  'deviceName',
  'deviceRegistrationState',
  'easActivated',
  'easActivationDateTime',
  'easDeviceId',
  'emailAddress',
  'enrolledDateTime',
  'enrollmentProfileName',
  'ethernetMacAddress',
  'exchangeAccessState',
  'exchangeAccessStateReason',
  'exchangeLastSuccessfulSyncDateTime',
  'freeStorageSpaceInBytes',
  'iccid',
  'imei',
  'isEncrypted',
  'isSupervised',
  'jailBroken',
  'lastSyncDateTime',
  'managedDeviceName',
  'managedDeviceOwnerType',
  'managementAgent',
  'managementCertificateExpirationDate',
  'managementState',
  'manufacturer',
  'meid',
  'model',
  'notes',
  'operatingSystem',
  'osVersion',
  'partnerReportedThreatState',
  'phoneNumber',
  'physicalMemoryInBytes',
  'remoteAssistanceSessionErrorDetails',
  'remoteAssistanceSessionUrl',
  'requireUserEnrollmentApproval',
  'serialNumber',
  'subscriberCarrier',
  'totalStorageSpaceInBytes',
  'udid',
  'userDisplayName',
  'userId',
  'userPrincipalName',
  'wiFiMacAddress',
]
const BETA_EXTRA = ['roleScopeTagIds']
const BETA_NAMES: readonly string[] = [...MANAGED_DEVICE_PROPERTIES, ...BETA_EXTRA]
const PROPERTY_SET = new Set(MANAGED_DEVICE_PROPERTIES)
const BETA_PROPERTY_SET = new Set([...MANAGED_DEVICE_PROPERTIES, ...BETA_EXTRA])

type Platforms = 'windows' | 'ipad'
interface ActionSpec {
  readonly kind: CommandKind
  readonly platforms: readonly Platforms[]
  readonly beta?: boolean
}
/** Device actions (DeviceManagement.Actions) and where Intune supports them. */
const ACTIONS: Readonly<Record<string, ActionSpec>> = {
  syncDevice: { kind: 'sync', platforms: ['windows', 'ipad'] },
  rebootNow: { kind: 'restart', platforms: ['windows', 'ipad'] },
  shutDown: { kind: 'shutdown', platforms: ['ipad'] },
  remoteLock: { kind: 'lock', platforms: ['windows', 'ipad'] },
  resetPasscode: { kind: 'clearPasscode', platforms: ['ipad'] },
  recoverPasscode: { kind: 'other', platforms: ['ipad'] },
  wipe: { kind: 'wipe', platforms: ['windows', 'ipad'] },
  retire: { kind: 'retire', platforms: ['windows', 'ipad'] },
  locateDevice: { kind: 'locate', platforms: ['windows', 'ipad'] },
  disableLostMode: { kind: 'lostModeOff', platforms: ['ipad'] },
  enableLostMode: { kind: 'lostModeOn', platforms: ['ipad'], beta: true },
  playLostModeSound: { kind: 'playSound', platforms: ['ipad'], beta: true },
  bypassActivationLock: { kind: 'other', platforms: ['ipad'] },
  cleanWindowsDevice: { kind: 'other', platforms: ['windows'] },
  windowsDefenderScan: { kind: 'other', platforms: ['windows'] },
  windowsDefenderUpdateSignatures: { kind: 'other', platforms: ['windows'] },
  logoutSharedAppleDeviceActiveUser: { kind: 'other', platforms: ['ipad'] },
}

/** Names of the device actions the Graph emulator accepts. */
export const GRAPH_ACTIONS: readonly string[] = Object.keys(ACTIONS)

const BatchRequest = z.object({
  requests: z
    .array(
      z.object({
        id: z.string().min(1),
        method: z.string().min(1),
        url: z.string().min(1),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional(),
        dependsOn: z.array(z.string()).optional(),
      }),
    )
    .min(1),
})

const WipeBody = z
  .object({
    keepEnrollmentData: z.boolean().nullable().optional(),
    keepUserData: z.boolean().nullable().optional(),
    macOsUnlockCode: z.string().nullable().optional(),
    persistEsimDataPlan: z.boolean().nullable().optional(),
  })
  .loose()
const LostModeBody = z.object({
  message: z.string().optional(),
  phoneNumber: z.string().optional(),
  footer: z.string().optional(),
})

/** Options of the Graph emulator. */
export interface GraphOptions {
  readonly tenantId: string
  readonly clients: readonly GraphClient[]
  readonly limits?: GraphLimits
}

interface Listing {
  readonly key: string
  readonly version: number
  readonly indices: number[]
}

const EPOCH_ZERO = '0001-01-01T00:00:00Z'
/** Properties that change without the world changing (the clock, the command queue). */
const LIVE_PROPERTIES = ['lastSyncDateTime', 'deviceActionResults', 'managementState'] as const

/** The Microsoft Graph (Intune) emulator. */
export class GraphEmulator {
  private readonly env: Env
  private readonly options: GraphOptions
  private readonly all = new Map<string, SlidingWindow>()
  private readonly writes = new Map<string, SlidingWindow>()
  private naturalThrottles = 0
  private readonly listings: Listing[] = []
  private readonly rendered = new RenderCache<Record<string, unknown>>()
  /** Counters the tests and benchmarks read. */
  readonly counters: { batchRequests: number; batchItems: number; throttled: number } = {
    batchRequests: 0,
    batchItems: 0,
    throttled: 0,
  }

  constructor(env: Env, options: GraphOptions) {
    this.env = env
    this.options = options
  }

  private get world(): World {
    return this.env.world
  }

  /** 503 answer. */
  unavailable(ex: Exchange): Reply {
    return json(503, this.errorBody(ex, 'ServiceUnavailable', 'The service is temporarily unavailable.'), {
      'Retry-After': '1',
    })
  }

  /** Forced 429 answer (fault switch). */
  throttled(ex: Exchange): Reply {
    const f = this.env.faults.get('graph')
    return json(429, this.errorBody(ex, 'TooManyRequests', 'Too many requests.'), {
      ...retryAfterHeader(f.retryAfter, f.retryAfterSeconds ?? 2, this.env.now()),
    })
  }

  private errorBody(ex: Exchange | undefined, code: string, message: string): unknown {
    return {
      error: {
        code,
        message,
        innerError: {
          date: iso(this.env.now()),
          'request-id': ex?.requestId ?? randomUUID(),
          'client-request-id': String(ex?.headers['client-request-id'] ?? ex?.requestId ?? randomUUID()),
        },
      },
    }
  }

  private error(ex: Exchange | undefined, status: number, code: string, message: string): Reply {
    return json(status, this.errorBody(ex, code, message))
  }

  /** Handles one HTTP request below `/graph` or `/microsoft-login`. */
  async handle(ex: Exchange, area: 'api' | 'login'): Promise<Reply> {
    if (area === 'login') return this.token(ex)
    const m = /^\/(v1\.0|beta)(\/.*)$/.exec(ex.path)
    if (!m) return this.error(ex, 400, 'BadRequest', 'Invalid version.')
    const version = m[1] as 'v1.0' | 'beta'
    const rest = m[2]!
    const auth = this.authenticate(ex)
    if (!('clientId' in auth)) return auth
    if (rest === '/$batch' && ex.method === 'POST') return this.batch(ex, version, auth)
    return this.route(ex, version, rest, ex.method, ex.query, ex.body, auth, ex.url)
  }

  private token(ex: Exchange): Reply {
    const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(ex.path)
    if (!m || ex.method !== 'POST') return json(404, { error: 'not_found' })
    const aad = (status: number, error: string, code: number, description: string): Reply =>
      json(status, {
        error,
        error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${randomUUID()}\r\nCorrelation ID: ${randomUUID()}\r\nTimestamp: ${iso(this.env.now())}`,
        error_codes: [code],
        timestamp: iso(this.env.now()),
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      })
    const tenant = decodeURIComponent(m[1]!)
    if (tenant !== this.options.tenantId && tenant !== this.world.domain) {
      return aad(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`)
    }
    const form = parseForm(ex.body)
    if (form.get('grant_type') !== 'client_credentials') {
      return aad(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.')
    }
    const client = this.options.clients.find((c) => c.clientId === form.get('client_id'))
    if (!client) {
      return aad(400, 'unauthorized_client', 700016, 'Application was not found in the directory.')
    }
    if (form.get('client_secret') !== client.clientSecret) {
      return aad(401, 'invalid_client', 7000215, 'Invalid client secret provided.')
    }
    const scope = form.get('scope') ?? ''
    if (scope !== 'https://graph.microsoft.com/.default') {
      return aad(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid.`)
    }
    const expiresIn = 3599
    const token = this.env.tokens.issue(
      { vendor: 'graph', clientId: client.clientId, roles: new Set(client.roles) },
      this.env.now() + expiresIn * 1000,
    )
    return json(200, {
      token_type: 'Bearer',
      expires_in: expiresIn,
      ext_expires_in: expiresIn,
      access_token: token,
    })
  }

  private authenticate(ex: Exchange): TokenInfo | Reply {
    const token = bearer(ex.headers)
    if (!token) return this.error(ex, 401, 'InvalidAuthenticationToken', 'Access token is empty.')
    const info = this.env.tokens.check(token, 'graph', this.env.now())
    if (info === 'expired') {
      return this.error(
        ex,
        401,
        'InvalidAuthenticationToken',
        'Lifetime validation failed, the token is expired.',
      )
    }
    if (info === 'invalid') return this.error(ex, 401, 'InvalidAuthenticationToken', 'Invalid JWT token.')
    return info
  }

  /** Applies the per-app throttling windows; a reply when throttled. */
  private limit(ex: Exchange | undefined, clientId: string, method: string): Reply | undefined {
    const limits = this.options.limits ?? {}
    const now = this.env.now()
    if (this.env.faults.take('graph', 'throttle')) {
      this.counters.throttled++
      const f = this.env.faults.get('graph')
      return json(429, this.errorBody(ex, 'TooManyRequests', 'Too many requests.'), {
        ...retryAfterHeader(f.retryAfter, f.retryAfterSeconds ?? 2, now),
      })
    }
    let all = this.all.get(clientId)
    if (!all) {
      all = new SlidingWindow(limits.requestsPer20s ?? 2000, 20_000)
      this.all.set(clientId, all)
    }
    let writes = this.writes.get(clientId)
    if (!writes) {
      writes = new SlidingWindow(limits.writesPer20s ?? 200, 20_000)
      this.writes.set(clientId, writes)
    }
    const isWrite = method !== 'GET' && method !== 'HEAD'
    const wait = Math.max(all.waitMs(now), isWrite ? writes.waitMs(now) : 0)
    if (wait > 0) {
      this.counters.throttled++
      this.naturalThrottles++
      const every = limits.omitRetryAfterEvery ?? 5
      const omit = every > 0 && this.naturalThrottles % every === 0
      return json(
        429,
        this.errorBody(ex, 'TooManyRequests', 'Too many requests, retry later.'),
        omit ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(wait / 1000))) },
      )
    }
    all.take(now)
    if (isWrite) writes.take(now)
    return undefined
  }

  private async batch(ex: Exchange, version: 'v1.0' | 'beta', auth: TokenInfo): Promise<Reply> {
    let parsed: z.infer<typeof BatchRequest>
    try {
      const result = BatchRequest.safeParse(parseJson(ex.body))
      if (!result.success) return this.error(ex, 400, 'BadRequest', 'Invalid batch payload format.')
      parsed = result.data
    } catch {
      return this.error(ex, 400, 'BadRequest', 'Unable to read JSON request payload.')
    }
    if (parsed.requests.length > 20) {
      return this.error(ex, 400, 'BadRequest', 'Number of batch requests exceeds the limit of 20.')
    }
    const ids = new Set(parsed.requests.map((r) => r.id))
    if (ids.size !== parsed.requests.length) {
      return this.error(ex, 400, 'BadRequest', 'Batch request ids must be unique.')
    }
    this.counters.batchRequests++
    const responses: unknown[] = []
    for (const item of parsed.requests) {
      this.counters.batchItems++
      const url = new URL(item.url.startsWith('/') ? item.url : `/${item.url}`, 'http://batch.invalid')
      const body = item.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(item.body))
      const reply = this.route(
        undefined,
        version,
        url.pathname,
        item.method.toUpperCase(),
        url.searchParams,
        body,
        auth,
        `${ex.origin}/graph/${version}${url.pathname}${url.search}`,
      )
      const headers: Record<string, string> = { ...(reply.headers ?? {}) }
      if (reply.json !== undefined) headers['Content-Type'] = 'application/json'
      responses.push({
        id: item.id,
        status: reply.status,
        headers,
        ...(reply.json === undefined ? {} : { body: reply.json }),
      })
    }
    return json(200, { responses })
  }

  private route(
    ex: Exchange | undefined,
    version: 'v1.0' | 'beta',
    path: string,
    method: string,
    query: URLSearchParams,
    body: Buffer,
    auth: TokenInfo,
    url: string,
  ): Reply {
    const throttled = this.limit(ex, auth.clientId, method)
    if (throttled) return throttled
    this.env.queue.settle()
    const p = path.replace(/\/+$/, '')
    const base = `${url.slice(0, url.indexOf(`/graph/${version}`))}/graph/${version}`
    if (p === '/deviceManagement/managedDevices') {
      if (method !== 'GET') return this.error(ex, 405, 'BadRequest', 'Method not allowed.')
      if (!this.can(auth, 'read')) return this.forbidden(ex, READ)
      return this.list(ex, version, query, base, url)
    }
    if (p === '/deviceManagement/deviceCategories' && method === 'GET') {
      return json(200, {
        '@odata.context': `https://graph.microsoft.com/${version}/$metadata#deviceManagement/deviceCategories`,
        value: this.world.schools.map((s) => ({
          id: s.intune.categoryId,
          description: s.id,
          displayName: s.name,
        })),
      })
    }
    if (p === '/deviceManagement/roleScopeTags' && method === 'GET' && version === 'beta') {
      return json(200, {
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#deviceManagement/roleScopeTags',
        value: [
          { id: '0', displayName: 'Default', description: '', isBuiltIn: true },
          ...this.world.schools.map((s) => ({
            id: s.intune.scopeTagId,
            displayName: s.name,
            description: s.id,
            isBuiltIn: false,
          })),
        ],
      })
    }
    const dm = /^\/deviceManagement\/managedDevices\/([^/]+)(?:\/(.+))?$/.exec(p)
    if (!dm)
      return this.error(ex, 400, 'BadRequest', `Resource not found for the segment '${p.split('/').pop()}'.`)
    const id = decodeURIComponent(dm[1]!)
    const index = this.world.byGraphId(id)
    const sub = dm[2]
    if (index < 0 || !this.world.present(index)) return this.notFound(ex)
    if (sub === undefined) {
      if (method === 'GET') {
        if (!this.can(auth, 'read')) return this.forbidden(ex, READ)
        const select = this.select(query.get('$select'), version)
        if (!Array.isArray(select)) return this.error(ex, 400, 'BadRequest', select.error)
        return json(200, {
          '@odata.context': `https://graph.microsoft.com/${version}/$metadata#deviceManagement/managedDevices/$entity`,
          ...this.render(index, version, select.length > 0 ? select : undefined),
        })
      }
      if (method === 'PATCH') return this.patch(ex, version, index, body, auth)
      return this.error(ex, 405, 'BadRequest', 'Method not allowed.')
    }
    if (sub === 'deviceCategory/$ref' && method === 'PUT') {
      if (!this.can(auth, 'write')) return this.forbidden(ex, READ_WRITE)
      let ref: unknown
      try {
        ref = parseJson(body)
      } catch {
        return this.error(ex, 400, 'BadRequest', 'Invalid JSON.')
      }
      const target = (ref as { '@odata.id'?: unknown } | undefined)?.['@odata.id']
      const catId = typeof target === 'string' ? /deviceCategories\/([^/?]+)$/.exec(target)?.[1] : undefined
      const school = this.world.schools.find((s) => s.intune.categoryId === catId)
      if (!school) return this.error(ex, 400, 'BadRequest', 'Invalid @odata.id for deviceCategory.')
      this.world.moveToSchool(index, school.index)
      return empty(204)
    }
    if (method !== 'POST') return this.error(ex, 405, 'BadRequest', 'Method not allowed.')
    const actionName = sub.replace(/^microsoft\.graph\./, '')
    const spec = ACTIONS[actionName]
    if (!spec || (spec.beta && version !== 'beta')) {
      return this.error(ex, 400, 'BadRequest', `Resource not found for the segment '${sub}'.`)
    }
    if (!this.can(auth, 'privileged')) return this.forbidden(ex, PRIVILEGED)
    const platform: Platforms = this.world.platformOf(index) === 'Windows' ? 'windows' : 'ipad'
    if (!spec.platforms.includes(platform)) {
      return this.error(
        ex,
        400,
        'BadRequest',
        `The action '${actionName}' is not supported on this device platform.`,
      )
    }
    let params: Record<string, unknown> = {}
    try {
      const parsed = parseJson(body)
      if (actionName === 'wipe') {
        const r = WipeBody.safeParse(parsed ?? {})
        if (!r.success) return this.error(ex, 400, 'BadRequest', 'Invalid wipe parameters.')
        params = r.data
      } else if (actionName === 'enableLostMode') {
        const r = LostModeBody.safeParse(parsed ?? {})
        if (!r.success || (!r.data.message && !r.data.phoneNumber)) {
          return this.error(ex, 400, 'BadRequest', 'A message or a phone number is required.')
        }
        params = { message: r.data.message, phoneNumber: r.data.phoneNumber, footnote: r.data.footer }
      }
    } catch {
      return this.error(ex, 400, 'BadRequest', 'Invalid JSON.')
    }
    this.env.queue.enqueue({
      vendor: 'graph',
      deviceIndex: index,
      kind: spec.kind,
      vendorType: actionName,
      params,
    })
    return empty(204)
  }

  private patch(
    ex: Exchange | undefined,
    version: string,
    index: number,
    body: Buffer,
    auth: TokenInfo,
  ): Reply {
    if (!this.can(auth, 'write')) return this.forbidden(ex, READ_WRITE)
    let patch: unknown
    try {
      patch = parseJson(body)
    } catch {
      return this.error(ex, 400, 'BadRequest', 'Invalid JSON.')
    }
    if (!patch || typeof patch !== 'object') return this.error(ex, 400, 'BadRequest', 'Empty payload.')
    const p = patch as Record<string, unknown>
    if (p.roleScopeTagIds !== undefined) {
      if (version !== 'beta') {
        return this.error(ex, 400, 'BadRequest', "Could not find a property named 'roleScopeTagIds'.")
      }
      const tags = Array.isArray(p.roleScopeTagIds)
        ? p.roleScopeTagIds.map(String).filter((t) => t !== '0')
        : []
      const school = this.world.schools.find((s) => tags.includes(s.intune.scopeTagId))
      this.world.moveToSchool(index, school ? school.index : -1)
    }
    if (typeof p.notes === 'string') this.world.update(index, { notes: p.notes })
    if (typeof p.deviceName === 'string') this.world.update(index, { name: p.deviceName })
    return empty(204)
  }

  private can(auth: TokenInfo, need: 'read' | 'write' | 'privileged'): boolean {
    const r = auth.roles
    if (need === 'privileged') return r.has(PRIVILEGED)
    if (need === 'write') return r.has(READ_WRITE)
    return r.has(READ) || r.has(READ_WRITE)
  }

  private forbidden(ex: Exchange | undefined, role: string): Reply {
    return this.error(
      ex,
      403,
      'Forbidden',
      `Application is not authorized to perform this operation. Application must have one of the following scopes: ${role}`,
    )
  }

  private notFound(ex: Exchange | undefined): Reply {
    // Intune wraps its own error document as a JSON string in `message`.
    const inner = JSON.stringify({
      _version: 3,
      Message: `An error has occurred - Operation ID (for customer support): ${randomUUID()} - Activity ID: ${randomUUID()} - Url: https://fef.msua06.manage.microsoft.com/DeviceFE/StatelessDeviceFEService/deviceManagement/managedDevices`,
      CustomApiErrorPhrase: '',
      RetryAfter: null,
      ErrorSourceService: '',
      HttpHeaders: '{}',
    })
    return this.error(ex, 404, 'ResourceNotFound', inner)
  }

  private select(raw: string | null, version: string): string[] | { error: string } {
    if (!raw) return []
    const names = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const allowed = version === 'beta' ? BETA_PROPERTY_SET : PROPERTY_SET
    for (const n of names) {
      if (!allowed.has(n)) {
        return { error: `Could not find a property named '${n}' on type 'microsoft.graph.managedDevice'.` }
      }
    }
    return names
  }

  private list(
    ex: Exchange | undefined,
    version: 'v1.0' | 'beta',
    query: URLSearchParams,
    base: string,
    url: string,
  ): Reply {
    const select = this.select(query.get('$select'), version)
    if (!Array.isArray(select)) return this.error(ex, 400, 'BadRequest', select.error)
    if (query.has('$search'))
      return this.error(ex, 400, 'BadRequest', "Query option '$search' is not supported.")
    const maxPage = this.options.limits?.maxPageSize ?? 1000
    const topRaw = query.get('$top')
    let top = maxPage
    if (topRaw !== null) {
      const n = Number(topRaw)
      if (!Number.isInteger(n) || n < 0)
        return this.error(ex, 400, 'BadRequest', `Invalid value '${topRaw}' for $top.`)
      top = Math.min(n, maxPage)
    }
    const filterText = query.get('$filter')
    let filter: FilterNode | undefined
    if (filterText) {
      try {
        filter = parseFilter(filterText)
      } catch (e) {
        return this.error(
          ex,
          400,
          'BadRequest',
          e instanceof FilterSyntaxError ? e.message : 'Invalid filter.',
        )
      }
      const allowed = version === 'beta' ? BETA_PROPERTY_SET : PROPERTY_SET
      for (const prop of filterProperties(filter)) {
        if (!allowed.has(prop)) {
          return this.error(
            ex,
            400,
            'BadRequest',
            `Could not find a property named '${prop}' on type 'microsoft.graph.managedDevice'.`,
          )
        }
      }
    }
    const orderBy = query.get('$orderby') ?? ''
    const listing = this.listing(version, filter, filterText ?? '', orderBy)
    if ('error' in listing) return this.error(ex, 400, 'BadRequest', listing.error)
    let offset = 0
    const skip = query.get('$skiptoken')
    if (skip !== null) {
      const cursor = decodeCursor(skip)
      if (!cursor || typeof cursor.o !== 'number') {
        return this.error(ex, 400, 'BadRequest', 'The skip token is invalid or has expired.')
      }
      offset = cursor.o
    }
    const page = listing.indices.slice(offset, offset + top)
    const value = page.map((i) => this.renderListed(i, version, select.length > 0 ? select : undefined))
    const out: Record<string, unknown> = {
      '@odata.context': `https://graph.microsoft.com/${version}/$metadata#deviceManagement/managedDevices${select.length > 0 ? `(${select.join(',')})` : ''}`,
    }
    if ((query.get('$count') ?? '').toLowerCase() === 'true') out['@odata.count'] = listing.indices.length
    if (offset + top < listing.indices.length && top > 0) {
      const f = this.env.faults.get('graph')
      if (f.repeatNextPage && skip !== null) {
        out['@odata.nextLink'] = url
      } else {
        const next = new URLSearchParams()
        for (const [k, v] of query) if (k !== '$skiptoken') next.append(k, v)
        next.set('$skiptoken', encodeCursor({ o: offset + top, v: listing.version }))
        out['@odata.nextLink'] =
          `${base}/deviceManagement/managedDevices?${next.toString().replace(/%24/g, '$')}`
      }
    }
    out.value = value
    return json(200, out)
  }

  private listing(
    version: 'v1.0' | 'beta',
    filter: FilterNode | undefined,
    filterText: string,
    orderBy: string,
  ): Listing | { error: string } {
    const f = this.env.faults.get('graph')
    const ignore = f.ignoreFilter
    const key = JSON.stringify([
      version,
      filterText,
      orderBy,
      ignore ?? false,
      f.neAsEq ?? false,
      f.filterLeak ?? 0,
    ])
    const cached = this.listings.find((l) => l.key === key && l.version === this.world.version)
    if (cached) return cached
    const w = this.world
    const quirks = {
      ...(Array.isArray(ignore) ? { ignore: new Set(ignore as readonly string[]) } : {}),
      ...(f.neAsEq ? { neAsEq: true } : {}),
    }
    const skipFilter = ignore === true || !filter
    const leak = f.filterLeak ?? 0
    const indices: number[] = []
    for (const i of w.indices('graph')) {
      if (!w.present(i)) continue
      if (skipFilter) {
        indices.push(i)
        continue
      }
      const record = this.render(i, version, undefined, true)
      if (evaluateFilter(filter!, (prop) => record[prop], quirks)) indices.push(i)
      else if (leak > 0 && (i * 2654435761) % 1000 < leak * 1000) indices.push(i)
    }
    if (orderBy) {
      const m = /^(\w+)(?:\s+(asc|desc))?$/i.exec(orderBy.trim())
      if (!m || !PROPERTY_SET.has(m[1]!)) return { error: `Invalid $orderby '${orderBy}'.` }
      const prop = m[1]!
      const dir = (m[2] ?? 'asc').toLowerCase() === 'desc' ? -1 : 1
      const keys = new Map(indices.map((i) => [i, String(this.render(i, version, [prop])[prop] ?? '')]))
      indices.sort(
        (a, b) => dir * (keys.get(a)! < keys.get(b)! ? -1 : keys.get(a)! > keys.get(b)! ? 1 : a - b),
      )
    }
    const listing = { key, version: w.version, indices }
    this.listings.unshift(listing)
    // Room for one filtered listing per school of a large municipality (an inventory runs them side by side).
    if (this.listings.length > 128) this.listings.pop()
    return listing
  }

  /**
   * A managedDevice of a list page: rendered once per world version (and API
   * version and `$select`), with the properties that follow the clock or the
   * command queue read fresh.
   */
  private renderListed(
    index: number,
    version: 'v1.0' | 'beta',
    select?: readonly string[],
  ): Record<string, unknown> {
    const variant = `${version}|${select?.join(',') ?? '*'}`
    const base = this.rendered.get(this.world.version, variant, index, () =>
      this.render(index, version, select),
    )
    const names = select ?? (version === 'beta' ? BETA_NAMES : MANAGED_DEVICE_PROPERTIES)
    const live = LIVE_PROPERTIES.filter((p) => names.includes(p))
    if (live.length === 0) return base
    const get = this.getter(index, select)
    const out = { ...base }
    for (const p of live) out[p] = get(p)
    return out
  }

  /** Renders a managedDevice as Graph returns it (only the selected properties are computed). */
  render(
    index: number,
    version: 'v1.0' | 'beta',
    select?: readonly string[],
    forFilter = false,
  ): Record<string, unknown> {
    const get = this.getter(index, select)
    if (forFilter) {
      // Lazy record for filter evaluation: only the properties a filter touches are computed.
      return new Proxy({} as Record<string, unknown>, { get: (_t, prop: string) => get(prop) })
    }
    const names = select ?? (version === 'beta' ? BETA_NAMES : MANAGED_DEVICE_PROPERTIES)
    const out: Record<string, unknown> = {}
    for (const n of names) out[n] = get(n)
    return out
  }

  private getter(index: number, select: readonly string[] | undefined): (property: string) => unknown {
    const w = this.world
    const windows = w.platformOf(index) === 'Windows'
    let ownerMemo: ReturnType<World['owner']> | undefined | null
    const owner = (): ReturnType<World['owner']> => {
      if (ownerMemo === undefined) ownerMemo = w.owner(index)
      return ownerMemo
    }
    const enrolled = (): number => w.enrolledAt(index)
    const commands = (): readonly MockCommand[] =>
      w.present(index) ? this.env.queue.forDevice(index).filter((c) => c.vendor === 'graph') : []
    const pending = (name: string): boolean =>
      commands().some((c) => c.vendorType === name && c.status === 'pending')
    const stamp = (): string => {
      const date = new Date(enrolled())
      const h = date.getUTCHours()
      return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}_${h % 12 === 0 ? 12 : h % 12}:${String(date.getUTCMinutes()).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`
    }
    return (p: string): unknown => {
      switch (p) {
        case 'id':
          return w.graphId(index)
        case 'activationLockBypassCode':
        case 'configurationManagerClientEnabledFeatures':
        case 'deviceHealthAttestationState':
        case 'ethernetMacAddress':
        case 'iccid':
        case 'remoteAssistanceSessionErrorDetails':
        case 'remoteAssistanceSessionUrl':
        case 'requireUserEnrollmentApproval':
          return null
        case 'androidSecurityPatchLevel':
        case 'easDeviceId':
        case 'imei':
        case 'meid':
        case 'phoneNumber':
        case 'subscriberCarrier':
          return ''
        case 'azureADDeviceId':
          return guid(hex(w.seed, index, 700, 32))
        case 'azureADRegistered':
          return true
        case 'complianceGracePeriodExpirationDateTime':
          return '9999-12-31T23:59:59Z'
        case 'complianceState':
          return w.compliance(index)
        case 'deviceActionResults':
          return actionResults(commands())
        case 'deviceCategoryDisplayName':
          return w.schoolAt(index)?.name ?? 'Unknown'
        case 'deviceEnrollmentType':
          return windows ? 'windowsAzureADJoin' : 'appleBulkWithoutUser'
        case 'deviceName':
          return w.deviceName(index)
        case 'deviceRegistrationState':
          return 'registered'
        case 'easActivated':
          return false
        case 'easActivationDateTime':
        case 'exchangeLastSuccessfulSyncDateTime':
          return EPOCH_ZERO
        case 'emailAddress':
          return owner()?.email ?? ''
        case 'enrolledDateTime':
          return iso(enrolled())
        case 'enrollmentProfileName':
          return windows ? 'Autopilot Elev' : 'ADE iPad Elev'
        case 'exchangeAccessState':
        case 'exchangeAccessStateReason':
          return 'none'
        case 'freeStorageSpaceInBytes':
          return w.storage(index).free
        case 'isEncrypted':
          return w.encrypted(index)
        case 'isSupervised':
          return w.supervised(index)
        case 'jailBroken':
          return windows ? 'Unknown' : 'False'
        case 'lastSyncDateTime':
          return iso(w.lastSeen(index, this.env.now()))
        case 'managedDeviceName': {
          const o = owner()
          return o
            ? `${o.username}_${windows ? 'Windows' : 'iPad'}_${stamp()}`
            : `${w.deviceName(index)}_${stamp()}`
        }
        case 'managedDeviceOwnerType':
          return 'company'
        case 'managementAgent':
          return 'mdm'
        case 'managementCertificateExpirationDate':
          return iso(enrolled() + 365 * 86_400_000)
        case 'managementState':
          return pending('wipe') ? 'wipePending' : pending('retire') ? 'retirePending' : 'managed'
        case 'manufacturer':
          return windows ? w.windowsModel(index).manufacturer : 'Apple'
        case 'model':
          return windows ? w.windowsModel(index).model : w.appleModel(index).name
        case 'notes':
          return w.notes(index) === '' ? null : w.notes(index)
        case 'operatingSystem':
          return windows ? 'Windows' : 'iPadOS'
        case 'osVersion':
          return w.osVersion(index)
        case 'partnerReportedThreatState':
          return 'unknown'
        case 'physicalMemoryInBytes':
          // Intune reports 0 unless the property is asked for with $select.
          return select?.includes('physicalMemoryInBytes') ? (windows ? 17_179_869_184 : 4_294_967_296) : 0
        case 'serialNumber':
          return w.serial(index)
        case 'totalStorageSpaceInBytes':
          return w.storage(index).total
        case 'udid':
          return windows ? null : w.udid(index)
        case 'userDisplayName': {
          const o = owner()
          return o ? `${o.firstName} ${o.lastName}` : null
        }
        case 'userId': {
          const o = owner()
          return o ? guid(hex(w.seed, o.userId, 701, 32)) : null
        }
        case 'userPrincipalName':
          return owner()?.email ?? null
        case 'wiFiMacAddress':
          return w.macAddress(index, '')
        case 'roleScopeTagIds': {
          const school = w.schoolAt(index)
          return school ? ['0', school.intune.scopeTagId] : ['0']
        }
        default:
          return undefined
      }
    }
  }
}

function actionResults(commands: readonly MockCommand[]): unknown[] {
  const latest = new Map<string, MockCommand>()
  for (const c of commands) latest.set(c.vendorType, c)
  return [...latest.values()].map((c) => ({
    actionName: c.vendorType,
    actionState:
      c.status === 'pending'
        ? 'pending'
        : c.status === 'completed'
          ? 'done'
          : c.status === 'canceled'
            ? 'canceled'
            : c.error?.includes('not supported')
              ? 'notSupported'
              : 'failed',
    startDateTime: iso(c.queuedAt),
    lastUpdatedDateTime: iso(c.completedAt ?? c.queuedAt),
  }))
}
