import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { CommandKind, MockCommand } from '../commands.js'
import {
  basic,
  bearer,
  type Env,
  type Exchange,
  empty,
  json,
  parseForm,
  parseJson,
  type Reply,
  retryAfterHeader,
} from '../internal/http.js'
import { RenderCache } from '../internal/render-cache.js'
import { evaluateRsql, parseRsql, type RsqlNode, RsqlSyntaxError, rsqlFields } from '../internal/rsql.js'
import type { TokenInfo } from '../internal/tokens.js'
import { SlidingWindow } from '../internal/window.js'
import type { World } from '../world.js'

/** A Jamf Pro API client (OAuth client credentials) or user account (basic → bearer). */
export interface JamfProClient {
  readonly clientId: string
  readonly clientSecret: string
  /** Privileges (Jamf's names, e.g. `Read Mobile Devices`, `Send MDM Commands`). */
  readonly privileges: readonly string[]
}

/** Privileges of a full-access client. */
export const JAMF_PRO_PRIVILEGES: readonly string[] = [
  'Read Mobile Devices',
  'Update Mobile Devices',
  'Read Computers',
  'Update Computers',
  'Read Sites',
  'View MDM command information in Jamf Pro API',
  'Send MDM Commands',
]

/**
 * A check of one request and its response against Jamf Pro's OpenAPI document
 * (see `@felles/mdm-mock/openapi`): returns problems, or nothing when fine.
 */
export type JamfProValidator = (exchange: {
  readonly phase: 'request' | 'response'
  readonly method: string
  /** Path below `/api`, e.g. `/v2/mdm/commands`. */
  readonly path: string
  readonly query: URLSearchParams
  readonly status?: number
  readonly body: unknown
}) => readonly string[] | undefined

/** Options of the Jamf Pro emulator. */
export interface JamfProOptions {
  readonly clients: readonly JamfProClient[]
  /** Token lifetime; default 1800 s (30 minutes). */
  readonly tokenLifetimeSeconds?: number
  /** Largest page size; bigger values are capped silently. Default 2000. */
  readonly maxPageSize?: number
  /** Jamf platform gateway limit (requests per second per client); default off. */
  readonly gatewayRequestsPerSecond?: number
}

/** MDM command types accepted (11.7.1's enum plus the newer lost-mode, location and passcode commands). */
export const JAMF_PRO_COMMAND_TYPES: Readonly<Record<string, CommandKind>> = {
  DEVICE_LOCK: 'lock',
  ERASE_DEVICE: 'wipe',
  ENABLE_LOST_MODE: 'lostModeOn',
  DISABLE_LOST_MODE: 'lostModeOff',
  DEVICE_LOCATION: 'locate',
  PLAY_LOST_MODE_SOUND: 'playSound',
  RESTART_DEVICE: 'restart',
  SHUT_DOWN_DEVICE: 'shutdown',
  CLEAR_PASSCODE: 'clearPasscode',
  SETTINGS: 'settings',
  DEVICE_INFORMATION: 'deviceInformation',
  CLEAR_RESTRICTIONS_PASSWORD: 'other',
  DECLARATIVE_MANAGEMENT: 'other',
  DELETE_USER: 'other',
  LOG_OUT_USER: 'other',
  SET_RECOVERY_LOCK: 'other',
  SET_AUTO_ADMIN_PASSWORD: 'other',
}
/** Command types that are newer than the 11.7.1 OpenAPI document in ../shared/specs. */
export const JAMF_PRO_NEWER_COMMAND_TYPES: readonly string[] = [
  'DISABLE_LOST_MODE',
  'DEVICE_LOCATION',
  'PLAY_LOST_MODE_SOUND',
  'CLEAR_PASSCODE',
]

const CommandRequest = z.object({
  clientData: z.array(z.object({ managementId: z.string().min(1) }).loose()).min(1),
  commandData: z
    .object({
      commandType: z.string(),
      message: z.string().optional(),
      phoneNumber: z.string().optional(),
      pin: z.string().optional(),
      lostModeMessage: z.string().optional(),
      lostModePhone: z.string().optional(),
      lostModeFootnote: z.string().optional(),
    })
    .loose(),
})

const MOBILE_SECTIONS = [
  'GENERAL',
  'HARDWARE',
  'USER_AND_LOCATION',
  'PURCHASING',
  'SECURITY',
  'APPLICATIONS',
  'EBOOKS',
  'NETWORK',
  'SERVICE_SUBSCRIPTIONS',
  'CERTIFICATES',
  'PROFILES',
  'USER_PROFILES',
  'PROVISIONING_PROFILES',
  'SHARED_USERS',
  'EXTENSION_ATTRIBUTES',
]
const COMPUTER_SECTIONS = [
  'GENERAL',
  'DISK_ENCRYPTION',
  'PURCHASING',
  'APPLICATIONS',
  'STORAGE',
  'USER_AND_LOCATION',
  'CONFIGURATION_PROFILES',
  'PRINTERS',
  'SERVICES',
  'HARDWARE',
  'LOCAL_USER_ACCOUNTS',
  'CERTIFICATES',
  'ATTACHMENTS',
  'PLUGINS',
  'PACKAGE_RECEIPTS',
  'FONTS',
  'SECURITY',
  'OPERATING_SYSTEM',
  'LICENSED_SOFTWARE',
  'IBEACONS',
  'SOFTWARE_UPDATES',
  'EXTENSION_ATTRIBUTES',
  'CONTENT_CACHING',
  'GROUP_MEMBERSHIPS',
]

type Collection = 'mobileDetail' | 'mobile' | 'computers' | 'commands'

// Filterable and sortable fields per collection (from the OpenAPI descriptions;
// `siteId` is on the device but not filterable, as in Jamf Pro).
const MOBILE_FIELDS = [
  'displayName',
  'serialNumber',
  'udid',
  'username',
  'emailAddress',
  'fullName',
  'managed',
  'supervised',
  'osVersion',
  'osBuild',
  'model',
  'modelIdentifier',
  'lostModeEnabled',
  'mobileDeviceId',
  'assetTag',
  'wifiMacAddress',
  'lastInventoryUpdateDate',
  'building',
  'room',
  'position',
  'sharedIpad',
]
const COMPUTER_FIELDS = [
  'general.name',
  'udid',
  'id',
  'general.assetTag',
  'general.platform',
  'general.supervised',
  'general.managementId',
  'general.lastContactTime',
  'general.remoteManagement.managed',
  'hardware.serialNumber',
  'hardware.model',
  'hardware.modelIdentifier',
  'hardware.macAddress',
  'operatingSystem.version',
  'operatingSystem.build',
  'operatingSystem.name',
  'userAndLocation.username',
  'userAndLocation.email',
  'userAndLocation.realname',
]
const COMMAND_FIELDS = [
  'uuid',
  'clientManagementId',
  'command',
  'status',
  'clientType',
  'dateSent',
  'validAfter',
  'dateCompleted',
  'profileIdentifier',
  'active',
]

interface Listing {
  readonly key: string
  readonly version: number
  readonly indices: number[]
}

/** The Jamf Pro emulator. */
export class JamfProEmulator {
  private readonly env: Env
  private readonly options: JamfProOptions
  private readonly listings: Listing[] = []
  private readonly rendered = new RenderCache<Record<string, unknown>>()
  private readonly gateway = new Map<string, SlidingWindow>()
  /** Set by the server: validates requests/responses against the OpenAPI document. */
  validator: JamfProValidator | undefined
  /** Problems the validator reported (each also turned into a 400/500 answer). */
  readonly validationErrors: string[] = []

  constructor(env: Env, options: JamfProOptions) {
    this.env = env
    this.options = options
  }

  private get world(): World {
    return this.env.world
  }

  private apiError(status: number, code: string, description: string, field = '', id = '0'): Reply {
    return json(status, { httpStatus: status, errors: [{ code, field, description, id }] })
  }

  /** 503 answer: Jamf Pro's HTML maintenance page, not JSON. */
  unavailable(): Reply {
    return {
      status: 503,
      contentType: 'text/html;charset=UTF-8',
      text: '<!DOCTYPE html><html><head><title>Jamf Pro is unavailable</title></head><body><h1>Jamf Pro is temporarily unavailable</h1><p>Jamf Pro is starting up or undergoing maintenance. Try again later.</p></body></html>',
    }
  }

  /** Forced 429 answer. */
  throttled(): Reply {
    const f = this.env.faults.get('jamfPro')
    return {
      ...this.apiError(429, 'TOO_MANY_REQUESTS', 'Too many requests'),
      headers: retryAfterHeader(f.retryAfter, f.retryAfterSeconds ?? 2, this.env.now()),
    }
  }

  /** Handles a request below `/jamf-pro`. */
  async handle(ex: Exchange): Promise<Reply> {
    if (!ex.path.startsWith('/api/')) return this.apiError(404, 'NOT_FOUND', 'Not found')
    const path = ex.path.slice(4).replace(/\/+$/, '')
    if (path === '/oauth/token' && ex.method === 'POST') return this.oauthToken(ex)
    if (path === '/v1/auth/token' && ex.method === 'POST') return this.basicToken(ex)
    const token = bearer(ex.headers)
    const auth = this.env.tokens.check(token, 'jamfPro', this.env.now())
    if (auth === 'expired' || auth === 'invalid') {
      return this.apiError(401, 'INVALID_TOKEN', 'Unauthorized')
    }
    const gatewayReply = this.gatewayLimit(auth)
    if (gatewayReply) return gatewayReply

    let body: unknown
    try {
      body = parseJson(ex.body)
    } catch {
      return this.apiError(400, 'INVALID_JSON', 'Malformed JSON request body')
    }
    if (this.validator) {
      const problems =
        this.validator({ phase: 'request', method: ex.method, path, query: ex.query, body }) ?? []
      if (problems.length > 0) {
        this.validationErrors.push(...problems.map((p) => `request ${ex.method} ${path}: ${p}`))
        return json(400, {
          httpStatus: 400,
          errors: problems.map((p) => ({ code: 'INVALID_FIELD', field: '', description: p, id: '0' })),
        })
      }
    }
    this.env.queue.settle()
    const reply = this.route(ex, path, body, auth, token!)
    if (this.validator && reply.json !== undefined) {
      const problems =
        this.validator({
          phase: 'response',
          method: ex.method,
          path,
          query: ex.query,
          status: reply.status,
          body: reply.json,
        }) ?? []
      if (problems.length > 0) {
        this.validationErrors.push(
          ...problems.map((p) => `response ${ex.method} ${path} ${reply.status}: ${p}`),
        )
        return this.apiError(
          500,
          'MOCK_RESPONSE_INVALID',
          `Emulator response does not match the OpenAPI document: ${problems.join('; ')}`,
        )
      }
    }
    return reply
  }

  private gatewayLimit(auth: TokenInfo): Reply | undefined {
    const limit = this.options.gatewayRequestsPerSecond
    if (!limit) return undefined
    let w = this.gateway.get(auth.clientId)
    if (!w) {
      w = new SlidingWindow(limit, 1000)
      this.gateway.set(auth.clientId, w)
    }
    const now = this.env.now()
    if (!w.take(now)) {
      return {
        ...this.apiError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'),
        headers: {
          'x-ratelimit-limit': String(limit),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(w.waitMs(now) / 1000)),
        },
      }
    }
    return undefined
  }

  private tokenLifetimeMs(): number {
    return (this.options.tokenLifetimeSeconds ?? 1800) * 1000
  }

  private oauthToken(ex: Exchange): Reply {
    const form = parseForm(ex.body)
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' })
    const client = this.options.clients.find((c) => c.clientId === form.get('client_id'))
    if (!client || client.clientSecret !== form.get('client_secret'))
      return json(401, { error: 'invalid_client' })
    const lifetime = this.tokenLifetimeMs()
    const token = this.env.tokens.issue(
      { vendor: 'jamfPro', clientId: client.clientId, roles: new Set(client.privileges) },
      this.env.now() + lifetime,
    )
    return json(200, {
      access_token: token,
      scope: 'api-role:1',
      token_type: 'Bearer',
      expires_in: lifetime / 1000 - 1,
    })
  }

  private basicToken(ex: Exchange): Reply {
    const cred = basic(ex.headers)
    const client = this.options.clients.find((c) => c.clientId === cred?.user)
    if (!cred || !client || client.clientSecret !== cred.password) {
      return this.apiError(401, 'INVALID_CREDENTIALS', 'Authentication failed')
    }
    const expiresAt = this.env.now() + this.tokenLifetimeMs()
    const token = this.env.tokens.issue(
      { vendor: 'jamfPro', clientId: client.clientId, roles: new Set(client.privileges) },
      expiresAt,
    )
    return json(200, { token, expires: new Date(expiresAt).toISOString() })
  }

  private requires(auth: TokenInfo, privilege: string): Reply | undefined {
    return auth.roles.has(privilege)
      ? undefined
      : this.apiError(403, 'INVALID_PRIVILEGE', `Forbidden: requires ${privilege}`)
  }

  private route(ex: Exchange, path: string, body: unknown, auth: TokenInfo, token: string): Reply {
    const m = ex.method
    const q = ex.query
    const base = `${ex.origin}/jamf-pro/api`
    if (path === '/v1/auth/keep-alive' && m === 'POST') {
      this.env.tokens.revoke(token)
      const expiresAt = this.env.now() + this.tokenLifetimeMs()
      const fresh = this.env.tokens.issue(
        { vendor: 'jamfPro', clientId: auth.clientId, roles: auth.roles },
        expiresAt,
      )
      return json(200, { token: fresh, expires: new Date(expiresAt).toISOString() })
    }
    if (path === '/v1/auth/invalidate-token' && m === 'POST') {
      this.env.tokens.revoke(token)
      return empty(204)
    }
    if (path === '/v1/sites' && m === 'GET') {
      return (
        this.requires(auth, 'Read Sites') ??
        json(
          200,
          this.world.schools.map((s) => this.site(s.index)),
        )
      )
    }
    const siteObjects = /^\/v1\/sites\/([^/]+)\/objects$/.exec(path)
    if (siteObjects && m === 'GET')
      return this.requires(auth, 'Read Sites') ?? this.siteObjects(q, siteObjects[1]!)
    if (path === '/v2/mobile-devices' && m === 'GET') {
      return this.requires(auth, 'Read Mobile Devices') ?? this.page(q, 'mobile', (i) => this.mobileV2(i))
    }
    if (path === '/v2/mobile-devices/detail' && m === 'GET') {
      const denied = this.requires(auth, 'Read Mobile Devices')
      if (denied) return denied
      const sections = this.sections(q, MOBILE_SECTIONS)
      if (!Array.isArray(sections)) return sections
      return this.page(q, 'mobileDetail', (i) => this.listedMobile(i, sections))
    }
    const mobile = /^\/v2\/mobile-devices\/([^/]+)(\/detail)?$/.exec(path)
    if (mobile) {
      const index = this.world.byJamfProId(mobile[1]!, 'mobile')
      if (index < 0) return this.apiError(404, 'INVALID_ID', 'Mobile device not found', 'id')
      if (m === 'GET') {
        return (
          this.requires(auth, 'Read Mobile Devices') ??
          json(200, mobile[2] ? this.mobileDetails(index) : this.mobileV2(index))
        )
      }
      if (m === 'PATCH' && !mobile[2]) {
        return this.requires(auth, 'Update Mobile Devices') ?? this.patchDevice(index, body, 'mobile')
      }
    }
    if (path === '/v1/computers-inventory' && m === 'GET') {
      const denied = this.requires(auth, 'Read Computers')
      if (denied) return denied
      const sections = this.sections(q, COMPUTER_SECTIONS)
      if (!Array.isArray(sections)) return sections
      return this.page(q, 'computers', (i) => this.listedComputer(i, sections))
    }
    const computer = /^\/v1\/computers-inventory(-detail)?\/([^/]+)$/.exec(path)
    if (computer) {
      const index = this.world.byJamfProId(computer[2]!, 'computer')
      if (index < 0) return this.apiError(404, 'INVALID_ID', 'Computer not found', 'id')
      if (m === 'GET') {
        const denied = this.requires(auth, 'Read Computers')
        if (denied) return denied
        const sections = computer[1] ? COMPUTER_SECTIONS : this.sections(q, COMPUTER_SECTIONS)
        if (!Array.isArray(sections)) return sections
        return json(200, this.computer(index, sections))
      }
      if (m === 'PATCH' && computer[1]) {
        return this.requires(auth, 'Update Computers') ?? this.patchDevice(index, body, 'computer')
      }
    }
    if (path === '/v2/mdm/commands' && m === 'POST') {
      return this.requires(auth, 'Send MDM Commands') ?? this.postCommand(body, base)
    }
    if (path === '/v2/mdm/commands' && m === 'GET') {
      return this.requires(auth, 'View MDM command information in Jamf Pro API') ?? this.listCommands(q)
    }
    return this.apiError(404, 'NOT_FOUND', `No resource ${m} ${path}`)
  }

  private site(schoolIndex: number): { id: string; name: string } {
    const s = this.world.schools[schoolIndex]
    return s ? { id: s.jamfPro.siteId, name: s.name } : { id: '-1', name: 'None' }
  }

  private sections(q: URLSearchParams, allowed: readonly string[]): string[] | Reply {
    const raw = q.getAll('section').flatMap((s) => s.split(','))
    const sections = raw.length === 0 ? ['GENERAL'] : raw.map((s) => s.trim().toUpperCase())
    for (const s of sections) {
      if (!allowed.includes(s)) return this.apiError(400, 'INVALID_FIELD', `Invalid section ${s}`, 'section')
    }
    return sections
  }

  private pageParams(q: URLSearchParams): { page: number; size: number } | Reply {
    const page = Number(q.get('page') ?? '0')
    const size = Number(q.get('page-size') ?? q.get('pagesize') ?? q.get('size') ?? '100')
    if (!Number.isInteger(page) || page < 0)
      return this.apiError(400, 'INVALID_PARAM', 'page must be >= 0', 'page')
    if (!Number.isInteger(size) || size < 1) {
      return this.apiError(400, 'INVALID_PARAM', 'page-size must be >= 1', 'page-size')
    }
    // Jamf Pro caps page-size at 2000 without saying so.
    return { page, size: Math.min(size, this.options.maxPageSize ?? 2000) }
  }

  private fieldValue(collection: Collection, index: number, field: string): string | undefined {
    const w = this.world
    const owner = w.owner(index)
    const lost = w.lostMode(index)
    switch (collection === 'computers' ? `c:${field}` : field) {
      case 'displayName':
      case 'c:general.name':
        return w.deviceName(index)
      case 'serialNumber':
      case 'c:hardware.serialNumber':
        return w.serial(index)
      case 'udid':
      case 'c:udid':
        return w.udid(index)
      case 'username':
      case 'c:userAndLocation.username':
        return owner?.username ?? ''
      case 'emailAddress':
      case 'c:userAndLocation.email':
        return owner?.email ?? ''
      case 'fullName':
      case 'c:userAndLocation.realname':
        return owner ? `${owner.firstName} ${owner.lastName}` : ''
      case 'managed':
      case 'c:general.remoteManagement.managed':
        return String(w.managed(index))
      case 'supervised':
      case 'c:general.supervised':
        return String(w.supervised(index))
      case 'osVersion':
      case 'c:operatingSystem.version':
        return w.osVersion(index)
      case 'osBuild':
      case 'c:operatingSystem.build':
        return w.osBuild(index)
      case 'c:operatingSystem.name':
        return 'macOS'
      case 'model':
      case 'c:hardware.model':
        return w.appleModel(index).name
      case 'modelIdentifier':
      case 'c:hardware.modelIdentifier':
        return w.appleModel(index).identifier
      case 'lostModeEnabled':
        return String(lost !== undefined)
      case 'mobileDeviceId':
      case 'id':
      case 'c:id':
        return w.jamfProId(index)
      case 'name':
        return w.deviceName(index)
      case 'assetTag':
      case 'c:general.assetTag':
        return w.assetTag(index)
      case 'wifiMacAddress':
      case 'c:hardware.macAddress':
        return w.macAddress(index)
      case 'lastInventoryUpdateDate':
      case 'c:general.lastContactTime':
        return new Date(w.lastSeen(index, this.env.now())).toISOString()
      case 'c:general.platform':
        return 'Mac'
      case 'c:general.managementId':
        return w.managementId(index)
      case 'building':
        return w.schoolAt(index)?.name ?? ''
      case 'position':
        return owner?.teacher ? 'Lærer' : ''
      case 'sharedIpad':
        return 'false'
      default:
        return ''
    }
  }

  private page(
    q: URLSearchParams,
    collection: Exclude<Collection, 'commands'>,
    render: (i: number) => unknown,
  ): Reply {
    const p = this.pageParams(q)
    if ('status' in p) return p
    const fields = collection === 'computers' ? COMPUTER_FIELDS : MOBILE_FIELDS
    const filterText = collection === 'mobile' ? '' : (q.get('filter') ?? '')
    let filter: RsqlNode | undefined
    if (filterText) {
      try {
        filter = parseRsql(filterText)
      } catch (e) {
        return this.apiError(
          400,
          'INVALID_FILTER',
          e instanceof RsqlSyntaxError ? e.message : 'Invalid filter',
          'filter',
        )
      }
      for (const f of rsqlFields(filter)) {
        if (!fields.includes(f))
          return this.apiError(400, 'INVALID_FIELD', `Field ${f} is not filterable`, 'filter')
      }
    }
    const defaultSort =
      collection === 'mobile' ? 'id:asc' : collection === 'computers' ? 'general.name:asc' : 'displayName:asc'
    const sortText = q.getAll('sort').join(',') || defaultSort
    const sort: { field: string; dir: number }[] = []
    for (const part of sortText.split(',').filter(Boolean)) {
      const [field, dir = 'asc'] = part.split(':')
      const sortable = collection === 'mobile' ? ['id', 'name', 'serialNumber', 'udid'] : [...fields, 'id']
      if (!field || !sortable.includes(field) || !['asc', 'desc'].includes(dir.toLowerCase())) {
        return this.apiError(400, 'INVALID_FIELD', `Invalid sort ${part}`, 'sort')
      }
      sort.push({ field, dir: dir.toLowerCase() === 'desc' ? -1 : 1 })
    }
    const listing = this.listing(collection, filter, filterText, sort)
    const start = p.page * p.size
    const results = listing.indices.slice(start, start + p.size).map(render)
    return json(200, { totalCount: listing.indices.length, results })
  }

  private listing(
    collection: Exclude<Collection, 'commands'>,
    filter: RsqlNode | undefined,
    filterText: string,
    sort: readonly { field: string; dir: number }[],
  ): Listing {
    const f = this.env.faults.get('jamfPro')
    const key = JSON.stringify([collection, filterText, sort, f.ignoreFilter ?? false, f.filterLeak ?? 0])
    const cached = this.listings.find((l) => l.key === key && l.version === this.world.version)
    if (cached) return cached
    const w = this.world
    const kind = collection === 'computers' ? 'jamfProMac' : 'jamfProIpad'
    const ignore = Array.isArray(f.ignoreFilter) ? new Set(f.ignoreFilter as readonly string[]) : undefined
    const leak = f.filterLeak ?? 0
    const indices: number[] = []
    for (const i of w.indicesOfKind(kind)) {
      if (!w.present(i)) continue
      if (!filter || f.ignoreFilter === true) indices.push(i)
      else if (evaluateRsql(filter, (field) => this.fieldValue(collection, i, field), ignore)) indices.push(i)
      else if (leak > 0 && (i * 2654435761) % 1000 < leak * 1000) indices.push(i)
    }
    const keys = sort.map(
      (s) => new Map(indices.map((i) => [i, this.fieldValue(collection, i, s.field) ?? ''])),
    )
    indices.sort((a, b) => {
      for (let k = 0; k < sort.length; k++) {
        const s = sort[k]!
        const x = keys[k]!.get(a)!
        const y = keys[k]!.get(b)!
        const numeric = s.field === 'id' || s.field === 'mobileDeviceId'
        const c = numeric ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0
        if (c !== 0) return s.dir * c
      }
      return a - b
    })
    const listing = { key, version: w.version, indices }
    this.listings.unshift(listing)
    if (this.listings.length > 16) this.listings.pop()
    return listing
  }

  private siteObjects(q: URLSearchParams, siteId: string): Reply {
    const school = this.world.schools.find((s) => s.jamfPro.siteId === siteId)
    if (!school) return this.apiError(404, 'INVALID_ID', 'Site not found', 'id')
    const p = this.pageParams(q)
    if ('status' in p) return p
    const filterText = q.get('filter') ?? 'objectType=="User"'
    let filter: RsqlNode
    try {
      filter = parseRsql(filterText)
    } catch (e) {
      return this.apiError(400, 'INVALID_FILTER', e instanceof Error ? e.message : 'Invalid filter', 'filter')
    }
    const out: { siteId: string; objectType: string; objectId: string }[] = []
    const w = this.world
    for (const [kind, objectType] of [
      ['jamfProIpad', 'Mobile Device'],
      ['jamfProMac', 'Computer'],
    ] as const) {
      for (const i of w.indicesOfKind(kind)) {
        if (!w.present(i) || w.schoolIndexOf(i) !== school.index) continue
        const objectId = w.jamfProId(i)
        const value = (field: string): string | undefined =>
          field === 'objectType' ? objectType : field === 'objectId' ? objectId : undefined
        if (evaluateRsql(filter, value)) out.push({ siteId, objectType, objectId })
      }
    }
    return json(200, out.slice(p.page * p.size, (p.page + 1) * p.size))
  }

  private mobileV2(index: number): Record<string, unknown> {
    const w = this.world
    const model = w.appleModel(index)
    return {
      id: w.jamfProId(index),
      name: w.deviceName(index),
      serialNumber: w.serial(index),
      wifiMacAddress: w.macAddress(index),
      udid: w.udid(index),
      phoneNumber: '',
      model: model.name,
      modelIdentifier: model.identifier,
      username: w.owner(index)?.username ?? '',
      type: 'ios',
      managementId: w.managementId(index),
      softwareUpdateDeviceId: 'J271AP',
    }
  }

  /** An inventory record of a list page: rendered once per world version, its check-in time read fresh. */
  private listedMobile(index: number, sections: readonly string[]): Record<string, unknown> {
    const base = this.rendered.get(this.world.version, `m|${sections.join(',')}`, index, () =>
      this.mobileInventory(index, sections),
    )
    const general = base.general as Record<string, unknown> | undefined
    if (general === undefined) return base
    const seen = new Date(this.world.lastSeen(index, this.env.now())).toISOString()
    return { ...base, general: { ...general, lastInventoryUpdateDate: seen } }
  }

  /** A computer of a list page: rendered once per world version, its check-in times read fresh. */
  private listedComputer(index: number, sections: readonly string[]): Record<string, unknown> {
    const base = this.rendered.get(this.world.version, `c|${sections.join(',')}`, index, () =>
      this.computer(index, sections),
    )
    const general = base.general as Record<string, unknown> | undefined
    if (general === undefined) return base
    const seen = new Date(this.world.lastSeen(index, this.env.now())).toISOString()
    return { ...base, general: { ...general, reportDate: seen, lastContactTime: seen } }
  }

  private mobileInventory(index: number, sections: readonly string[]): Record<string, unknown> {
    const w = this.world
    const now = this.env.now()
    const model = w.appleModel(index)
    const owner = w.owner(index)
    const school = w.schoolAt(index)
    const storage = w.storage(index)
    const lost = w.lostMode(index)
    const location = w.overrideOf(index)?.location
    const out: Record<string, unknown> = { mobileDeviceId: w.jamfProId(index), deviceType: 'iOS' }
    const has = (s: string): boolean => sections.includes(s)
    if (has('GENERAL')) {
      out.general = {
        udid: w.udid(index),
        displayName: w.deviceName(index),
        assetTag: w.assetTag(index),
        siteId: school ? school.jamfPro.siteId : '-1',
        lastInventoryUpdateDate: new Date(w.lastSeen(index, now)).toISOString(),
        osVersion: w.osVersion(index),
        osBuild: w.osBuild(index),
        softwareUpdateDeviceId: 'J271AP',
        ipAddress: `10.${20 + (school?.index ?? 0)}.${index % 250}.${(index >> 8) % 250}`,
        managed: w.managed(index),
        supervised: w.supervised(index),
        deviceOwnershipType: 'Institutional',
        enrollmentMethodPrestage: { mobileDevicePrestageId: '1', profileName: 'ADE Lærer-iPad' },
        enrollmentSessionTokenValid: true,
        lastEnrolledDate: new Date(w.enrolledAt(index)).toISOString(),
        mdmProfileExpirationDate: new Date(w.enrolledAt(index) + 2 * 365 * 86_400_000).toISOString(),
        timeZone: 'Europe/Oslo',
        declarativeDeviceManagementEnabled: true,
        extensionAttributes: [],
        sharedIpad: false,
        diagnosticAndUsageReportingEnabled: false,
        appAnalyticsEnabled: false,
        residentUsers: 0,
        quotaSize: 0,
        temporarySessionOnly: false,
        temporarySessionTimeout: 0,
        userSessionTimeout: 0,
        syncedToComputer: 0,
        maximumSharediPadUsersStored: 0,
        deviceLocatorServiceEnabled: true,
        doNotDisturbEnabled: false,
        cloudBackupEnabled: false,
        locationServicesForSelfServiceMobileEnabled: false,
        itunesStoreAccountActive: false,
        exchangeDeviceId: '',
        tethered: false,
      }
    }
    if (has('HARDWARE')) {
      const capacityMb = Math.round(storage.total / 1_048_576)
      const availableSpaceMb = Math.round(storage.free / 1_048_576)
      out.hardware = {
        capacityMb,
        availableSpaceMb,
        usedSpacePercentage: Math.round(100 - (availableSpaceMb / capacityMb) * 100),
        batteryLevel: w.battery(index),
        serialNumber: w.serial(index),
        wifiMacAddress: w.macAddress(index),
        bluetoothMacAddress: w.macAddress(index).replace(/^02/, '06'),
        modemFirmwareVersion: '',
        model: model.name,
        modelIdentifier: model.identifier,
        modelNumber: model.number,
        bluetoothLowEnergyCapable: true,
        deviceId: w.jamfProId(index),
        extensionAttributes: [],
      }
    }
    if (has('USER_AND_LOCATION')) {
      out.userAndLocation = {
        username: owner?.username ?? '',
        realName: owner ? `${owner.firstName} ${owner.lastName}` : '',
        emailAddress: owner?.email ?? '',
        position: owner?.teacher ? 'Lærer' : '',
        phoneNumber: '',
        departmentId: '-1',
        buildingId: school ? String(school.index + 1) : '-1',
        room: '',
        building: school?.name ?? '',
        department: '',
        extensionAttributes: [],
      }
    }
    if (has('SECURITY')) {
      out.security = {
        dataProtected: true,
        blockLevelEncryptionCapable: true,
        fileLevelEncryptionCapable: true,
        passcodePresent: true,
        passcodeCompliant: true,
        passcodeCompliantWithProfile: true,
        hardwareEncryption: 3,
        activationLockEnabled: false,
        jailBreakDetected: false,
        passcodeLockGracePeriodEnforcedSeconds: 0,
        personalDeviceProfileCurrent: false,
        lostModeEnabled: lost !== undefined,
        lostModePersistent: false,
        lostModeMessage: lost?.message ?? '',
        lostModePhoneNumber: lost?.phoneNumber ?? '',
        lostModeFootnote: lost?.footnote ?? '',
        ...(location && lost
          ? {
              lostModeLocation: {
                lastLocationUpdate: new Date(location.at).toISOString(),
                lostModeLocationHorizontalAccuracyMeters: 15,
                lostModeLocationVerticalAccuracyMeters: 10,
                lostModeLocationAltitudeMeters: 20,
                lostModeLocationSpeedMetersPerSecond: 0,
                lostModeLocationCourseDegrees: 0,
                lostModeLocationTimestamp: new Date(location.at)
                  .toISOString()
                  .replace('T', ' ')
                  .replace(/\.\d+Z$/, ' UTC'),
              },
            }
          : {}),
      }
    }
    for (const s of [
      'APPLICATIONS',
      'EBOOKS',
      'CERTIFICATES',
      'PROFILES',
      'USER_PROFILES',
      'PROVISIONING_PROFILES',
      'SHARED_USERS',
      'SERVICE_SUBSCRIPTIONS',
    ]) {
      if (has(s)) out[camel(s)] = []
    }
    if (has('EXTENSION_ATTRIBUTES')) out.extensionAttributes = []
    return out
  }

  private mobileDetails(index: number): Record<string, unknown> {
    const w = this.world
    const owner = w.owner(index)
    const model = w.appleModel(index)
    const school = w.schoolAt(index)
    return {
      id: w.jamfProId(index),
      name: w.deviceName(index),
      enforceName: false,
      assetTag: w.assetTag(index),
      lastInventoryUpdateTimestamp: new Date(w.lastSeen(index, this.env.now())).toISOString(),
      osVersion: w.osVersion(index),
      osBuild: w.osBuild(index),
      serialNumber: w.serial(index),
      udid: w.udid(index),
      wifiMacAddress: w.macAddress(index),
      managed: w.managed(index),
      timeZone: 'Europe/Oslo',
      initialEntryTimestamp: new Date(w.enrolledAt(index)).toISOString(),
      lastEnrollmentTimestamp: new Date(w.enrolledAt(index)).toISOString(),
      deviceOwnershipLevel: 'Institutional',
      enrollmentMethod: 'Automated Device Enrollment',
      site: this.site(school?.index ?? -1),
      extensionAttributes: [],
      location: {
        username: owner?.username ?? '',
        realName: owner ? `${owner.firstName} ${owner.lastName}` : '',
        emailAddress: owner?.email ?? '',
        position: owner?.teacher ? 'Lærer' : '',
        phoneNumber: '',
        departmentId: '-1',
        buildingId: school ? String(school.index + 1) : '-1',
        room: '',
      },
      type: 'ios',
      ios: {
        model: model.name,
        modelIdentifier: model.identifier,
        modelNumber: model.number,
        supervised: w.supervised(index),
        batteryLevel: w.battery(index),
        capacityMb: Math.round(w.storage(index).total / 1_048_576),
        availableMb: Math.round(w.storage(index).free / 1_048_576),
        shared: false,
        security: {
          dataProtected: true,
          passcodePresent: true,
          passcodeCompliant: true,
          hardwareEncryption: 3,
          activationLockEnabled: false,
          jailBreakDetected: false,
        },
      },
      managementId: w.managementId(index),
    }
  }

  private computer(index: number, sections: readonly string[]): Record<string, unknown> {
    const w = this.world
    const now = this.env.now()
    const owner = w.owner(index)
    const model = w.appleModel(index)
    const school = w.schoolAt(index)
    const has = (s: string): boolean => sections.includes(s)
    const out: Record<string, unknown> = { id: w.jamfProId(index), udid: w.udid(index) }
    if (has('GENERAL')) {
      out.general = {
        name: w.deviceName(index),
        lastIpAddress: `10.${20 + (school?.index ?? 0)}.1.${index % 250}`,
        lastReportedIp: `10.${20 + (school?.index ?? 0)}.1.${index % 250}`,
        jamfBinaryVersion: '11.7.1-t1720787325',
        platform: 'Mac',
        assetTag: w.assetTag(index),
        remoteManagement: { managed: w.managed(index), managementUsername: 'jamfadmin' },
        supervised: w.supervised(index),
        mdmCapable: { capable: true, capableUsers: owner ? [owner.username] : [] },
        reportDate: new Date(w.lastSeen(index, now)).toISOString(),
        lastContactTime: new Date(w.lastSeen(index, now)).toISOString(),
        lastEnrolledDate: new Date(w.enrolledAt(index)).toISOString(),
        initialEntryDate: new Date(w.enrolledAt(index)).toISOString().slice(0, 10),
        site: this.site(school?.index ?? -1),
        itunesStoreAccountActive: false,
        enrolledViaAutomatedDeviceEnrollment: true,
        userApprovedMdm: true,
        declarativeDeviceManagementEnabled: true,
        extensionAttributes: [],
        managementId: w.managementId(index),
      }
    }
    if (has('HARDWARE')) {
      out.hardware = {
        make: 'Apple',
        model: model.name,
        modelIdentifier: model.identifier,
        serialNumber: w.serial(index),
        processorType: 'Apple M-series',
        processorArchitecture: 'arm64',
        coreCount: 8,
        totalRamMegabytes: 8192,
        macAddress: w.macAddress(index),
        batteryCapacityPercent: w.battery(index),
        bleCapable: true,
        supportsIosAppInstalls: true,
        appleSilicon: true,
        extensionAttributes: [],
      }
    }
    if (has('OPERATING_SYSTEM')) {
      out.operatingSystem = {
        name: 'macOS',
        version: w.osVersion(index),
        build: '24D70',
        fileVault2Status: w.encrypted(index) ? 'ALL_ENCRYPTED' : 'NOT_ENCRYPTED',
        extensionAttributes: [],
      }
    }
    if (has('USER_AND_LOCATION')) {
      out.userAndLocation = {
        username: owner?.username ?? '',
        realname: owner ? `${owner.firstName} ${owner.lastName}` : '',
        email: owner?.email ?? '',
        position: owner?.teacher ? 'Lærer' : '',
        phone: '',
        departmentId: '-1',
        buildingId: school ? String(school.index + 1) : '-1',
        room: '',
        extensionAttributes: [],
      }
    }
    for (const s of [
      'APPLICATIONS',
      'CONFIGURATION_PROFILES',
      'PRINTERS',
      'SERVICES',
      'LOCAL_USER_ACCOUNTS',
      'CERTIFICATES',
      'ATTACHMENTS',
      'PLUGINS',
      'FONTS',
      'LICENSED_SOFTWARE',
      'IBEACONS',
      'SOFTWARE_UPDATES',
      'EXTENSION_ATTRIBUTES',
      'GROUP_MEMBERSHIPS',
    ]) {
      if (has(s)) out[camel(s)] = []
    }
    return out
  }

  private patchDevice(index: number, body: unknown, type: 'mobile' | 'computer'): Reply {
    if (!body || typeof body !== 'object') return this.apiError(400, 'INVALID_JSON', 'Body required')
    const b = body as Record<string, unknown>
    const general = (type === 'computer' ? b.general : b) as Record<string, unknown> | undefined
    const siteId = general?.siteId
    if (siteId !== undefined) {
      const school = this.world.schools.find((s) => s.jamfPro.siteId === String(siteId))
      if (!school && String(siteId) !== '-1')
        return this.apiError(400, 'INVALID_FIELD', 'Unknown site', 'siteId')
      this.world.moveToSchool(index, school ? school.index : -1)
    }
    if (typeof general?.name === 'string') this.world.update(index, { name: general.name })
    if (typeof general?.assetTag === 'string') this.world.update(index, { assetTag: general.assetTag })
    return json(200, type === 'mobile' ? this.mobileDetails(index) : this.computer(index, COMPUTER_SECTIONS))
  }

  private postCommand(body: unknown, base: string): Reply {
    const parsed = CommandRequest.safeParse(body)
    if (!parsed.success) return this.apiError(400, 'INVALID_FIELD', 'Invalid command request', 'commandData')
    const { clientData, commandData } = parsed.data
    const kind = JAMF_PRO_COMMAND_TYPES[commandData.commandType]
    if (!kind) {
      return this.apiError(
        400,
        'INVALID_FIELD',
        `Unknown command type ${commandData.commandType}`,
        'commandData.commandType',
      )
    }
    if (kind === 'lostModeOn' && !commandData.lostModeMessage && !commandData.lostModePhone) {
      return this.apiError(
        400,
        'INVALID_FIELD',
        'lostModeMessage or lostModePhone is required',
        'commandData',
      )
    }
    const targets: number[] = []
    for (const c of clientData) {
      const index = this.world.byManagementId(c.managementId)
      if (index < 0 || !this.world.present(index)) {
        return this.apiError(
          400,
          'INVALID_MANAGEMENT_ID',
          'Management id not found',
          'clientData.managementId',
          c.managementId,
        )
      }
      targets.push(index)
    }
    const out = targets.map((index) => {
      const id = randomUUID()
      this.env.queue.enqueue({
        id,
        vendor: 'jamfPro',
        deviceIndex: index,
        kind,
        vendorType: commandData.commandType,
        params: {
          message: commandData.lostModeMessage ?? commandData.message,
          phoneNumber: commandData.lostModePhone ?? commandData.phoneNumber,
          footnote: commandData.lostModeFootnote,
        },
      })
      return { id, href: `${base}/v2/mdm/commands?filter=uuid%3D%3D${id}` }
    })
    return json(201, out)
  }

  private commandField(c: MockCommand, field: string): string {
    switch (field) {
      case 'uuid':
        return c.id
      case 'clientManagementId':
        return this.world.managementId(c.deviceIndex)
      case 'command':
        return c.vendorType
      case 'status':
        return c.status === 'pending' ? 'Pending' : c.status === 'completed' ? 'Acknowledged' : 'Error'
      case 'clientType':
        return this.world.kindOf(c.deviceIndex) === 'jamfProMac' ? 'COMPUTER' : 'MOBILE_DEVICE'
      case 'dateSent':
      case 'validAfter':
        return new Date(c.queuedAt).toISOString()
      case 'dateCompleted':
        return c.completedAt === undefined ? '' : new Date(c.completedAt).toISOString()
      case 'active':
        return String(c.status === 'pending')
      default:
        return ''
    }
  }

  private listCommands(q: URLSearchParams): Reply {
    const filterText = q.get('filter') ?? ''
    if (!filterText)
      return this.apiError(400, 'INVALID_FILTER', 'At least one filter field is required', 'filter')
    let filter: RsqlNode
    try {
      filter = parseRsql(filterText)
    } catch (e) {
      return this.apiError(400, 'INVALID_FILTER', e instanceof Error ? e.message : 'Invalid filter', 'filter')
    }
    for (const f of rsqlFields(filter)) {
      if (!COMMAND_FIELDS.includes(f))
        return this.apiError(400, 'INVALID_FIELD', `Field ${f} is not filterable`, 'filter')
    }
    const p = this.pageParams(q)
    if ('status' in p) return p
    const matches = this.env.queue
      .list({ vendor: 'jamfPro' })
      .filter((c) => evaluateRsql(filter, (field) => this.commandField(c, field)))
    const results = matches.slice(p.page * p.size, (p.page + 1) * p.size).map((c) => ({
      uuid: c.id,
      dateSent: new Date(c.queuedAt).toISOString(),
      client: {
        managementId: this.world.managementId(c.deviceIndex),
        clientType: this.world.kindOf(c.deviceIndex) === 'jamfProMac' ? 'COMPUTER' : 'MOBILE_DEVICE',
      },
      commandState: c.status === 'pending' ? 'PENDING' : c.status === 'completed' ? 'ACKNOWLEDGED' : 'ERROR',
      commandType: c.vendorType,
    }))
    return json(200, { totalCount: matches.length, results })
  }
}

function camel(section: string): string {
  return section.toLowerCase().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase())
}
