import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto'
import { z } from 'zod'
import type { CommandKind, MockCommand } from '../commands.js'
import { hex } from '../internal/hash.js'
import {
  bearer,
  decodeCursor,
  type Env,
  type Exchange,
  empty,
  encodeCursor,
  json,
  parseForm,
  parseJson,
  type Reply,
  retryAfterHeader,
} from '../internal/http.js'
import { RenderCache } from '../internal/render-cache.js'
import type { TokenInfo } from '../internal/tokens.js'
import { SlidingWindow } from '../internal/window.js'
import type { World } from '../world.js'

/** OAuth scopes of the ChromeOS device API. */
export const GOOGLE_SCOPES = {
  chromeos: 'https://www.googleapis.com/auth/admin.directory.device.chromeos',
  chromeosReadonly: 'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly',
  orgunitReadonly: 'https://www.googleapis.com/auth/admin.directory.orgunit.readonly',
  orgunit: 'https://www.googleapis.com/auth/admin.directory.orgunit',
} as const

/** A service account with domain-wide delegation. */
export interface GoogleServiceAccount {
  readonly clientEmail: string
  readonly clientId: string
  readonly privateKeyId: string
  /** PEM public key (SPKI) the emulator checks RS256 assertions with. */
  readonly publicKeyPem: string
  /** Scopes the domain administrator delegated to this client. */
  readonly delegatedScopes: readonly string[]
}

/** Options of the Google emulator. */
export interface GoogleOptions {
  readonly serviceAccounts: readonly GoogleServiceAccount[]
  /** Users that may be impersonated (`sub`) and may use the Admin SDK. */
  readonly admins: readonly string[]
  /** The customer id (`my_customer` always works too). */
  readonly customerId: string
  /** Accepted `aud` values besides the emulator's own token URL. */
  readonly audiences?: readonly string[]
  /** Queries per minute per user; default 2400. */
  readonly queriesPerMinute?: number
  /** How long an issued device command stays deliverable; default 72 hours. */
  readonly commandLifetimeMs?: number
}

const ActionBody = z.object({ action: z.string(), deprovisionReason: z.string().optional() })
const MoveBody = z.object({ deviceIds: z.array(z.string()).min(1) })
const IssueBody = z.object({
  commandType: z.enum(['REBOOT', 'TAKE_A_SCREENSHOT', 'SET_VOLUME', 'WIPE_USERS', 'REMOTE_POWERWASH']),
  payload: z.string().optional(),
})
const BatchStatusBody = z.object({
  deviceIds: z.array(z.string()).min(1).max(50),
  changeChromeOsDeviceStatusAction: z.enum([
    'CHANGE_CHROME_OS_DEVICE_STATUS_ACTION_DEPROVISION',
    'CHANGE_CHROME_OS_DEVICE_STATUS_ACTION_DISABLE',
    'CHANGE_CHROME_OS_DEVICE_STATUS_ACTION_REENABLE',
  ]),
  deprovisionReason: z.string().optional(),
})
const DEPROVISION_REASONS = [
  'same_model_replacement',
  'different_model_replacement',
  'retiring_device',
  'upgrade_transfer',
  'DEPROVISION_REASON_SAME_MODEL_REPLACEMENT',
  'DEPROVISION_REASON_DIFFERENT_MODEL_REPLACEMENT',
  'DEPROVISION_REASON_RETIRING_DEVICE',
  'DEPROVISION_REASON_UPGRADE_TRANSFER',
]
const COMMAND_KIND: Readonly<Record<string, CommandKind>> = {
  REBOOT: 'restart',
  TAKE_A_SCREENSHOT: 'screenshot',
  SET_VOLUME: 'setVolume',
  WIPE_USERS: 'wipeUsers',
  REMOTE_POWERWASH: 'wipe',
}

const BASIC_FIELDS = new Set([
  'kind',
  'etag',
  'deviceId',
  'serialNumber',
  'status',
  'lastSync',
  'supportEndDate',
  'annotatedUser',
  'annotatedLocation',
  'annotatedAssetId',
  'notes',
  'model',
  'meid',
  'orderNumber',
  'willAutoRenew',
  'osVersion',
  'platformVersion',
  'firmwareVersion',
  'macAddress',
  'bootMode',
  'lastEnrollmentTime',
  'orgUnitPath',
  'autoUpdateExpiration',
  'manufactureDate',
])

interface OrgUnit {
  readonly name: string
  readonly orgUnitPath: string
  readonly orgUnitId: string
  readonly parentOrgUnitPath: string
  readonly parentOrgUnitId: string
  readonly description: string
}

type FieldMask = Map<string, FieldMask | true>

/** Parses Google's partial-response `fields` syntax: `a,b(c,d),e/f`. */
export function parseFields(text: string): FieldMask {
  let pos = 0
  const list = (): FieldMask => {
    const mask: FieldMask = new Map()
    for (;;) {
      const m = /^[A-Za-z0-9_*]+(?:\/[A-Za-z0-9_*]+)*/.exec(text.slice(pos))
      if (!m) throw new SyntaxError(`Invalid field selection at ${pos}`)
      pos += m[0].length
      const path = m[0].split('/')
      let sub: FieldMask | true = true
      if (text[pos] === '(') {
        pos++
        sub = list()
        if (text[pos] !== ')') throw new SyntaxError('Missing ) in field selection')
        pos++
      }
      let target = mask
      for (let k = 0; k < path.length - 1; k++) {
        const existing = target.get(path[k]!)
        const next: FieldMask = existing instanceof Map ? existing : new Map()
        target.set(path[k]!, next)
        target = next
      }
      const last = path[path.length - 1]!
      const existing = target.get(last)
      if (existing instanceof Map && sub instanceof Map) for (const [k, v] of sub) existing.set(k, v)
      else target.set(last, sub)
      if (text[pos] === ',') {
        pos++
        continue
      }
      return mask
    }
  }
  const mask = list()
  if (pos !== text.length) throw new SyntaxError(`Unexpected '${text.slice(pos)}' in field selection`)
  return mask
}

function applyMask(value: unknown, mask: FieldMask): unknown {
  if (Array.isArray(value)) return value.map((v) => applyMask(v, mask))
  if (!value || typeof value !== 'object') return value
  if (mask.has('*')) return value
  const out: Record<string, unknown> = {}
  for (const [k, sub] of mask) {
    const v = (value as Record<string, unknown>)[k]
    if (v === undefined) continue
    out[k] = sub === true ? v : applyMask(v, sub)
  }
  return out
}

/** The Google Admin SDK (Directory API, ChromeOS devices and org units) emulator. */
export class GoogleEmulator {
  private readonly env: Env
  private readonly options: GoogleOptions
  private readonly keys = new Map<string, KeyObject>()
  private readonly windows = new Map<string, SlidingWindow>()
  private readonly rendered = new RenderCache<Record<string, unknown>>()
  private readonly listings = new Map<string, { version: number; indices: number[] }>()
  private readonly orgUnits: OrgUnit[]
  private commandCounter: number
  /** Counters tests read. */
  readonly counters: { rateLimited: number } = { rateLimited: 0 }

  constructor(env: Env, options: GoogleOptions) {
    this.env = env
    this.options = options
    for (const sa of options.serviceAccounts) this.keys.set(sa.clientEmail, createPublicKey(sa.publicKeyPem))
    this.commandCounter = 1_000_000 + (env.world.seed % 1_000_000)
    this.orgUnits = this.buildOrgUnits()
  }

  private get world(): World {
    return this.env.world
  }

  private buildOrgUnits(): OrgUnit[] {
    const w = this.world
    const rootId = `id:03ph8a2z${hex(w.seed, 0, 600, 8)}`
    const schoolsId = `id:03ph8a2z${hex(w.seed, 1, 600, 8)}`
    const units: OrgUnit[] = [
      {
        name: 'Skoler',
        orgUnitPath: '/Skoler',
        orgUnitId: schoolsId,
        parentOrgUnitPath: '/',
        parentOrgUnitId: rootId,
        description: `Grunnskolene i ${w.municipality}`,
      },
      {
        name: 'Lager',
        orgUnitPath: '/Lager',
        orgUnitId: `id:03ph8a2z${hex(w.seed, 2, 600, 8)}`,
        parentOrgUnitPath: '/',
        parentOrgUnitId: rootId,
        description: 'IT-tjenestens lager',
      },
    ]
    for (const s of w.schools) {
      units.push({
        name: s.name,
        orgUnitPath: s.google.orgUnitPath,
        orgUnitId: s.google.orgUnitId,
        parentOrgUnitPath: '/Skoler',
        parentOrgUnitId: schoolsId,
        description: s.id,
      })
      for (const [k, child] of ['Elever', 'Ansatte'].entries()) {
        units.push({
          name: child,
          orgUnitPath: `${s.google.orgUnitPath}/${child}`,
          orgUnitId: `id:03ph8a2z${hex(w.seed, s.index, 610 + k, 8)}`,
          parentOrgUnitPath: s.google.orgUnitPath,
          parentOrgUnitId: s.google.orgUnitId,
          description: `${child} ved ${s.name}`,
        })
      }
    }
    return units
  }

  private error(status: number, reason: string, message: string, extra: Record<string, unknown> = {}): Reply {
    const domain = reason.endsWith('Exceeded') ? 'usageLimits' : 'global'
    const statusText: Record<number, string> = {
      400: 'INVALID_ARGUMENT',
      401: 'UNAUTHENTICATED',
      403: 'PERMISSION_DENIED',
      404: 'NOT_FOUND',
      412: 'FAILED_PRECONDITION',
      503: 'UNAVAILABLE',
    }
    return json(status, {
      error: {
        code: status,
        message,
        errors: [{ message, domain, reason, ...extra }],
        ...(statusText[status] ? { status: statusText[status] } : {}),
      },
    })
  }

  /** 503 answer. */
  unavailable(): Reply {
    return this.error(503, 'backendError', 'The service is currently unavailable.')
  }

  /** Forced rate-limit answer: Google says 403, not 429. */
  throttled(): Reply {
    const f = this.env.faults.get('google')
    const reason = f.rateLimitReason ?? 'userRateLimitExceeded'
    const reply = this.rateLimitReply(reason)
    return f.retryAfter && f.retryAfter !== 'omit'
      ? { ...reply, headers: retryAfterHeader(f.retryAfter, f.retryAfterSeconds ?? 2, this.env.now()) }
      : reply
  }

  private rateLimitReply(reason: string): Reply {
    this.counters.rateLimited++
    const message =
      reason === 'quotaExceeded'
        ? "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service 'admin.googleapis.com'."
        : reason === 'rateLimitExceeded'
          ? 'Rate Limit Exceeded'
          : "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com'."
    return this.error(403, reason, message)
  }

  /** Handles the token endpoint (below `/google-oauth`) and the API (below `/google`). */
  async handle(ex: Exchange, area: 'api' | 'token'): Promise<Reply> {
    if (area === 'token') return this.token(ex)
    const token = bearer(ex.headers)
    const auth = this.env.tokens.check(token, 'google', this.env.now())
    if (auth === 'expired' || auth === 'invalid') {
      return this.error(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        { location: 'Authorization', locationType: 'header' },
      )
    }
    if (!auth.subject) {
      // A service account without impersonation is not an administrator.
      return this.error(403, 'forbidden', 'Not Authorized to access this resource/api')
    }
    const limited = this.limit(auth)
    if (limited) return limited
    const m = /^\/admin\/directory\/v1\/customer\/([^/]+)\/(devices\/chromeos|orgunits)(.*)$/.exec(ex.path)
    if (!m) return this.error(404, 'notFound', 'Not Found')
    const customer = decodeURIComponent(m[1]!)
    if (customer !== 'my_customer' && customer !== this.options.customerId) {
      return this.error(403, 'forbidden', 'Not Authorized to access this resource/api')
    }
    let body: unknown
    try {
      body = parseJson(ex.body)
    } catch {
      return this.error(400, 'parseError', 'Parse Error')
    }
    this.env.queue.settle()
    if (m[2] === 'orgunits') return this.orgunits(ex, decodeURIComponent(m[3]!), auth)
    return this.devices(ex, m[3]!, body, auth)
  }

  private limit(auth: TokenInfo): Reply | undefined {
    const key = auth.subject ?? auth.clientId
    let w = this.windows.get(key)
    if (!w) {
      w = new SlidingWindow(this.options.queriesPerMinute ?? 2400, 60_000)
      this.windows.set(key, w)
    }
    if (!w.take(this.env.now())) return this.rateLimitReply('userRateLimitExceeded')
    return undefined
  }

  private token(ex: Exchange): Reply {
    if (ex.path !== '/token' || ex.method !== 'POST') return json(404, { error: 'not_found' })
    const form = parseForm(ex.body)
    const grant = form.get('grant_type')
    if (grant !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return json(400, {
        error: 'unsupported_grant_type',
        error_description: `Invalid grant_type: ${grant ?? ''}`,
      })
    }
    const assertion = form.get('assertion') ?? ''
    const parts = assertion.split('.')
    const invalid = (description: string): Reply =>
      json(400, { error: 'invalid_grant', error_description: description })
    if (parts.length !== 3) return invalid('Invalid JWT: malformed')
    let header: Record<string, unknown>
    let claims: Record<string, unknown>
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'))
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'))
    } catch {
      return invalid('Invalid JWT: malformed')
    }
    if (header.alg !== 'RS256') return invalid('Invalid JWT Signature.')
    const iss = String(claims.iss ?? '')
    const sa = this.options.serviceAccounts.find((s) => s.clientEmail === iss)
    const key = this.keys.get(iss)
    if (!sa || !key) return invalid('Invalid JWT Signature.')
    if (header.kid !== undefined && header.kid !== sa.privateKeyId) return invalid('Invalid JWT Signature.')
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      key,
      Buffer.from(parts[2]!, 'base64url'),
    )
    if (!ok) return invalid('Invalid JWT Signature.')
    const audiences = [
      `${ex.origin}/google-oauth/token`,
      'https://oauth2.googleapis.com/token',
      ...(this.options.audiences ?? []),
    ]
    if (!audiences.includes(String(claims.aud))) return invalid('Invalid JWT: Failed audience check.')
    const now = this.env.now() / 1000
    const iat = Number(claims.iat)
    const exp = Number(claims.exp)
    if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp - iat > 3600 || exp < now || iat > now + 300) {
      return invalid(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      )
    }
    const scopes = String(claims.scope ?? '')
      .split(' ')
      .filter(Boolean)
    if (scopes.length === 0)
      return json(400, { error: 'invalid_scope', error_description: 'Empty or missing scope not allowed.' })
    const sub = claims.sub === undefined ? undefined : String(claims.sub)
    if (sub !== undefined) {
      if (!scopes.every((s) => sa.delegatedScopes.includes(s))) {
        return json(401, {
          error: 'unauthorized_client',
          error_description:
            'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        })
      }
      if (!this.options.admins.includes(sub)) return invalid('Invalid email or User ID')
    }
    const expiresIn = 3599
    const token = this.env.tokens.issue(
      { vendor: 'google', clientId: sa.clientId, roles: new Set(scopes), ...(sub ? { subject: sub } : {}) },
      this.env.now() + expiresIn * 1000,
    )
    return json(200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' })
  }

  private canRead(auth: TokenInfo, kind: 'chromeos' | 'orgunit'): boolean {
    return kind === 'chromeos'
      ? auth.roles.has(GOOGLE_SCOPES.chromeos) || auth.roles.has(GOOGLE_SCOPES.chromeosReadonly)
      : auth.roles.has(GOOGLE_SCOPES.orgunit) || auth.roles.has(GOOGLE_SCOPES.orgunitReadonly)
  }

  private insufficient(): Reply {
    return this.error(403, 'insufficientPermissions', 'Request had insufficient authentication scopes.')
  }

  private fields(ex: Exchange, value: unknown): Reply {
    const f = ex.query.get('fields')
    if (!f) return json(200, value)
    try {
      return json(200, applyMask(value, parseFields(f)))
    } catch (e) {
      return this.error(
        400,
        'invalidParameter',
        `Invalid field selection ${e instanceof Error ? e.message : ''}`,
      )
    }
  }

  private orgunits(ex: Exchange, rest: string, auth: TokenInfo): Reply {
    if (!this.canRead(auth, 'orgunit')) return this.insufficient()
    if (ex.method !== 'GET') return this.error(403, 'forbidden', 'Not Authorized to access this resource/api')
    const kind = { kind: 'admin#directory#orgUnit' }
    const render = (u: OrgUnit): Record<string, unknown> => ({
      ...kind,
      etag: `"${createHash('sha1').update(u.orgUnitId).digest('base64url')}"`,
      ...u,
      blockInheritance: false,
    })
    if (rest === '' || rest === '/') {
      const parent = ex.query.get('orgUnitPath') ?? '/'
      const type = ex.query.get('type') ?? 'children'
      const parentUnit = parent === '/' ? undefined : this.findOu(parent)
      if (parent !== '/' && !parentUnit) return this.error(404, 'notFound', 'Org unit not found')
      const path = parentUnit?.orgUnitPath ?? '/'
      const units = this.orgUnits.filter((u) =>
        type === 'all' || type === 'all_including_parent'
          ? (path === '/' ? true : u.orgUnitPath.startsWith(`${path}/`)) ||
            (type === 'all_including_parent' && u.orgUnitPath === path)
          : u.parentOrgUnitPath === path,
      )
      return this.fields(ex, {
        kind: 'admin#directory#orgUnits',
        etag: '"orgunits"',
        organizationUnits: units.map(render),
      })
    }
    const unit = this.findOu(rest.replace(/^\//, ''))
    return unit ? this.fields(ex, render(unit)) : this.error(404, 'notFound', 'Org unit not found')
  }

  private findOu(pathOrId: string): OrgUnit | undefined {
    if (pathOrId.startsWith('id:')) return this.orgUnits.find((u) => u.orgUnitId === pathOrId)
    const p = `/${pathOrId.replace(/^\/+/, '')}`.toLowerCase()
    return this.orgUnits.find((u) => u.orgUnitPath.toLowerCase() === p)
  }

  private devices(ex: Exchange, rest: string, body: unknown, auth: TokenInfo): Reply {
    const w = this.world
    const m = ex.method
    const canWrite = auth.roles.has(GOOGLE_SCOPES.chromeos)
    if (!this.canRead(auth, 'chromeos')) return this.insufficient()
    if (rest === '' && m === 'GET') return this.list(ex)
    if (rest === '/moveDevicesToOu' && m === 'POST') {
      if (!canWrite) return this.insufficient()
      const target = this.findOu(ex.query.get('orgUnitPath') ?? '')
      if (!target) return this.error(400, 'invalid', 'Invalid Input: INVALID_OU_ID')
      const parsed = MoveBody.safeParse(body)
      if (!parsed.success) return this.error(400, 'invalid', 'Invalid Input: deviceIds')
      const indices = parsed.data.deviceIds.map((id) => w.byGoogleId(id))
      if (indices.some((i) => i < 0)) return this.error(400, 'invalid', 'Invalid Input: INVALID_DEVICE_ID')
      for (const i of indices) this.moveTo(i, target)
      return empty(204)
    }
    if (rest === ':batchChangeStatus' && m === 'POST') {
      if (!canWrite) return this.insufficient()
      const parsed = BatchStatusBody.safeParse(body)
      if (!parsed.success) return this.error(400, 'invalid', 'Invalid Input')
      const action = parsed.data.changeChromeOsDeviceStatusAction
        .replace('CHANGE_CHROME_OS_DEVICE_STATUS_ACTION_', '')
        .toLowerCase()
      const results = parsed.data.deviceIds.map((deviceId) => {
        const i = w.byGoogleId(deviceId)
        if (i < 0) return { deviceId, error: { code: 5, message: 'Device not found.' } }
        const problem = this.changeStatus(i, action, parsed.data.deprovisionReason)
        return problem ? { deviceId, error: { code: 9, message: problem } } : { deviceId, response: {} }
      })
      return json(200, { changeChromeOsDeviceStatusResults: results })
    }
    const dm = /^\/([^/:]+)(?::issueCommand|\/action|\/commands\/([^/]+))?$/.exec(rest)
    if (!dm) return this.error(404, 'notFound', 'Not Found')
    const index = w.byGoogleId(decodeURIComponent(dm[1]!))
    if (index < 0) return this.error(404, 'notFound', 'Resource Not Found: deviceId')
    if (rest.endsWith('/action') && m === 'POST') {
      if (!canWrite) return this.insufficient()
      const parsed = ActionBody.safeParse(body)
      if (!parsed.success) return this.error(400, 'invalid', 'Invalid Input: action')
      const problem = this.changeStatus(index, parsed.data.action, parsed.data.deprovisionReason)
      if (problem === 'invalid-action')
        return this.error(400, 'invalid', `Invalid Input: ${parsed.data.action}`)
      if (problem === 'reason') return this.error(400, 'invalid', 'Invalid Input: deprovision_reason')
      if (problem) return this.error(412, 'conditionNotMet', problem)
      return empty(204)
    }
    if (rest.endsWith(':issueCommand') && m === 'POST') {
      if (!canWrite) return this.insufficient()
      const parsed = IssueBody.safeParse(body)
      if (!parsed.success) return this.error(400, 'invalid', "Invalid value at 'command_type'")
      if (w.chromeStatus(index) !== 'ACTIVE') {
        return this.error(400, 'failedPrecondition', 'Precondition check failed: the device is not active.')
      }
      const commandId = String(++this.commandCounter)
      this.env.queue.enqueue({
        id: `google-${commandId}`,
        vendor: 'google',
        deviceIndex: index,
        kind: COMMAND_KIND[parsed.data.commandType] ?? 'other',
        vendorType: parsed.data.commandType,
        params: parsed.data.payload === undefined ? {} : { payload: parsed.data.payload },
        expiresAt: this.env.now() + (this.options.commandLifetimeMs ?? 72 * 3_600_000),
      })
      return json(200, { commandId })
    }
    if (dm[2] !== undefined && m === 'GET') {
      const c = this.env.queue.get(`google-${dm[2]}`)
      if (!c || c.deviceIndex !== index) return this.error(404, 'notFound', 'Command not found')
      return this.fields(ex, this.renderCommand(c))
    }
    if (rest === `/${dm[1]}`) {
      if (m === 'GET') return this.fields(ex, this.render(index, ex.query.get('projection') ?? 'FULL'))
      if (m === 'PATCH' || m === 'PUT') {
        if (!canWrite) return this.insufficient()
        const patch = (body ?? {}) as Record<string, unknown>
        const update: Record<string, string> = {}
        if (typeof patch.annotatedUser === 'string') update.annotatedUser = patch.annotatedUser
        if (typeof patch.notes === 'string') w.update(index, { notes: patch.notes })
        if (typeof patch.annotatedAssetId === 'string') w.update(index, { assetTag: patch.annotatedAssetId })
        if (typeof patch.orgUnitPath === 'string') {
          const target = this.findOu(patch.orgUnitPath)
          if (!target) return this.error(400, 'invalid', 'Invalid Input: INVALID_OU_ID')
          this.moveTo(index, target)
        }
        return this.fields(ex, this.render(index, ex.query.get('projection') ?? 'FULL'))
      }
    }
    return this.error(404, 'notFound', 'Not Found')
  }

  private moveTo(index: number, unit: OrgUnit): void {
    const w = this.world
    const school = w.schools.find(
      (s) =>
        unit.orgUnitPath === s.google.orgUnitPath || unit.orgUnitPath.startsWith(`${s.google.orgUnitPath}/`),
    )
    if (!school) {
      w.moveToSchool(index, -1, '')
      return
    }
    const sub =
      unit.orgUnitPath === school.google.orgUnitPath
        ? ''
        : unit.orgUnitPath.slice(school.google.orgUnitPath.length + 1)
    w.moveToSchool(index, school.index, sub)
  }

  private changeStatus(index: number, action: string, reason?: string): string | undefined {
    const w = this.world
    const status = w.chromeStatus(index)
    switch (action) {
      case 'disable':
        if (status === 'DEPROVISIONED') return 'Illegal device state transition.'
        if (status === 'DISABLED') return undefined
        w.setChromeStatus(index, 'DISABLED')
        return undefined
      case 'reenable':
        if (status !== 'DISABLED') return 'Illegal device state transition.'
        w.setChromeStatus(index, 'ACTIVE')
        return undefined
      case 'deprovision':
        if (!reason || !DEPROVISION_REASONS.includes(reason)) return 'reason'
        if (status === 'DEPROVISIONED') return 'Illegal device state transition.'
        w.setChromeStatus(index, 'DEPROVISIONED')
        return undefined
      default:
        return 'invalid-action'
    }
  }

  private list(ex: Exchange): Reply {
    const q = ex.query
    const w = this.world
    const maxRaw = q.get('maxResults')
    let max = 100
    if (maxRaw !== null) {
      max = Number(maxRaw)
      if (!Number.isInteger(max) || max < 1 || max > 300) {
        return this.error(
          400,
          'invalid',
          `Invalid value '${maxRaw}'. Values must be within the range: [1, 300]`,
        )
      }
    }
    const f = this.env.faults.get('google')
    const ignored = (name: string): boolean =>
      f.ignoreFilter === true ||
      (Array.isArray(f.ignoreFilter) && (f.ignoreFilter as readonly string[]).includes(name))
    const ouParam = q.get('orgUnitPath')
    let ou: OrgUnit | undefined
    if (ouParam && ouParam !== '/') {
      ou = this.findOu(ouParam)
      if (!ou) return this.error(400, 'invalid', 'Invalid Input: INVALID_OU_ID')
    }
    const children = q.get('includeChildOrgunits') === 'true'
    const query = q.get('query') ?? ''
    const terms = this.parseQuery(query)
    const orderBy = q.get('orderBy')
    const desc = q.get('sortOrder') === 'DESCENDING'
    const leak = f.filterLeak ?? 0
    const now = this.env.now()
    // The matching devices of one query, kept while the world stays as it is (not for a sort on
    // lastSync, which moves with the clock): paging through 50,000 devices scans them once.
    const listingKey = JSON.stringify([
      ou?.orgUnitPath ?? null,
      children,
      query,
      orderBy,
      desc,
      f.ignoreFilter ?? false,
      leak,
    ])
    const cached = orderBy === 'lastSync' ? undefined : this.listings.get(listingKey)
    let matches: number[]
    if (cached !== undefined && cached.version === w.version) {
      matches = cached.indices
    } else {
      matches = this.match(ou, children, terms, orderBy, desc, leak, ignored, now)
      if (orderBy !== 'lastSync') {
        if (this.listings.size >= 64) this.listings.clear()
        this.listings.set(listingKey, { version: w.version, indices: matches })
      }
    }
    let offset = 0
    const token = q.get('pageToken')
    if (token) {
      const c = decodeCursor(token)
      if (!c || typeof c.o !== 'number') return this.error(400, 'invalid', 'Invalid Input: pageToken')
      offset = c.o
    }
    const projection = q.get('projection') ?? 'FULL'
    const page = matches.slice(offset, offset + max).map((i) => this.renderListed(i, projection))
    const out: Record<string, unknown> = { kind: 'admin#directory#chromeosdevices', etag: `"${w.version}"` }
    if (page.length > 0) out.chromeosdevices = page
    if (offset + max < matches.length) {
      out.nextPageToken =
        f.repeatNextPage && token ? token : encodeCursor({ o: offset + max, q: query.length })
    }
    return this.fields(ex, out)
  }

  private match(
    ou: OrgUnit | undefined,
    children: boolean,
    terms: { key: string; value: string }[],
    orderBy: string | null,
    desc: boolean,
    leak: number,
    ignored: (name: string) => boolean,
    now: number,
  ): number[] {
    const w = this.world
    const matches: number[] = []
    for (const i of w.indicesOfKind('chromebook')) {
      let ok = true
      if (ou && !ignored('orgUnitPath')) {
        const path = w.orgUnitPath(i).toLowerCase()
        const target = ou.orgUnitPath.toLowerCase()
        ok = path === target || (children && path.startsWith(`${target}/`))
      }
      if (ok && terms.length > 0 && !ignored('query')) ok = terms.every((t) => this.matchTerm(i, t))
      if (ok || (leak > 0 && (i * 2654435761) % 1000 < leak * 1000)) matches.push(i)
    }
    if (orderBy) {
      const key = (i: number): string | number =>
        orderBy === 'serialNumber'
          ? w.serial(i)
          : orderBy === 'lastSync'
            ? w.lastSeen(i, now)
            : orderBy === 'status'
              ? w.chromeStatus(i)
              : orderBy === 'notes'
                ? w.notes(i)
                : orderBy === 'annotatedUser'
                  ? (w.owner(i)?.email ?? '')
                  : orderBy === 'annotatedLocation'
                    ? (w.schoolAt(i)?.name ?? '')
                    : 0
      const keys = new Map(matches.map((i) => [i, key(i)]))
      matches.sort((a, b) => {
        const x = keys.get(a)!
        const y = keys.get(b)!
        const c = x < y ? -1 : x > y ? 1 : a - b
        return desc ? -c : c
      })
    }
    return matches
  }

  private parseQuery(query: string): { key: string; value: string }[] {
    const terms: { key: string; value: string }[] = []
    const re = /(\w+):("([^"]*)"|\S+)|"([^"]*)"|(\S+)/g
    for (const m of query.matchAll(re)) {
      if (m[1]) terms.push({ key: m[1].toLowerCase(), value: (m[3] ?? m[2] ?? '').toLowerCase() })
      else terms.push({ key: '', value: (m[4] ?? m[5] ?? '').toLowerCase() })
    }
    return terms
  }

  private matchTerm(i: number, t: { key: string; value: string }): boolean {
    const w = this.world
    const serial = w.serial(i).toLowerCase()
    const user = (w.owner(i)?.email ?? '').toLowerCase()
    const location = (w.schoolAt(i)?.name ?? '').toLowerCase()
    const notes = w.notes(i).toLowerCase()
    const asset = w.assetTag(i).toLowerCase()
    switch (t.key) {
      case 'id':
        return serial.includes(t.value)
      case 'asset_id':
        return asset.includes(t.value)
      case 'user':
        return user.includes(t.value)
      case 'location':
        return location.includes(t.value)
      case 'note':
        return notes.includes(t.value)
      case 'status':
        return w.chromeStatus(i).toLowerCase() === t.value
      case '':
        return [serial, user, location, notes, asset].some((x) => x.includes(t.value))
      default:
        return false
    }
  }

  /** A device of a list page: rendered once per world version, its last sync (and that day's activity) read fresh. */
  private renderListed(index: number, projection: string): Record<string, unknown> {
    const base = this.rendered.get(this.world.version, projection, index, () =>
      this.render(index, projection),
    )
    if (!('lastSync' in base) && !('activeTimeRanges' in base)) return base
    const fresh = this.render(index, projection, true)
    return { ...base, ...fresh }
  }

  /** Renders a ChromeOsDevice as the Directory API returns it. */
  render(index: number, projection: string, liveOnly = false): Record<string, unknown> {
    const w = this.world
    const now = this.env.now()
    if (liveOnly) {
      // Only the fields that move with the clock (for `renderListed`), as `full` below has them.
      const seen = w.lastSeen(index, now)
      const live: Record<string, unknown> = {
        lastSync: new Date(seen).toISOString(),
        activeTimeRanges: [
          {
            activeTime: 3_600_000 + (index % 7) * 600_000,
            date: new Date(seen).toISOString().slice(0, 10),
          },
        ],
      }
      if (projection === 'BASIC') for (const k of Object.keys(live)) if (!BASIC_FIELDS.has(k)) delete live[k]
      return live
    }
    const owner = w.owner(index)
    const school = w.schoolAt(index)
    const enrolled = w.enrolledAt(index)
    const lastSync = w.lastSeen(index, now)
    const storage = w.storage(index)
    const mac = w.macAddress(index, '').toLowerCase()
    const version = w.osVersion(index)
    const full: Record<string, unknown> = {
      kind: 'admin#directory#chromeosdevice',
      etag: `"${hex(w.seed, index, 800 + (w.version % 1000), 27)}"`,
      deviceId: w.googleId(index),
      serialNumber: w.serial(index),
      status: w.chromeStatus(index),
      lastSync: new Date(lastSync).toISOString(),
      supportEndDate: new Date(Date.UTC(2031, 5, 1)).toISOString(),
      annotatedUser: owner?.email ?? '',
      annotatedLocation: school?.name ?? 'Lager',
      annotatedAssetId: w.assetTag(index),
      notes: w.notes(index),
      model: w.chromebookModel(index).model,
      meid: '',
      orderNumber: '',
      willAutoRenew: false,
      osVersion: version,
      platformVersion: `${16000 + (Number(version.split('.')[2]) % 1000)}.68.0 (Official Build) stable-channel`,
      firmwareVersion: 'Google_Dedede.13606.612.0',
      macAddress: mac,
      bootMode: 'Verified',
      lastEnrollmentTime: new Date(enrolled).toISOString(),
      orgUnitPath: w.orgUnitPath(index),
      autoUpdateExpiration: String(Date.UTC(2031, 5, 1)),
      manufactureDate: new Date(enrolled - 60 * 86_400_000).toISOString().slice(0, 10),
      recentUsers: owner ? [{ type: 'USER_TYPE_MANAGED', email: owner.email }] : [],
      activeTimeRanges: [
        {
          activeTime: 3_600_000 + (index % 7) * 600_000,
          date: new Date(lastSync).toISOString().slice(0, 10),
        },
      ],
      lastKnownNetwork: [
        {
          ipAddress: `10.${60 + (school?.index ?? 0)}.${(index >> 8) % 250}.${index % 250}`,
          wanIpAddress: '192.0.2.10',
        },
      ],
      systemRamTotal: '8589934592',
      diskVolumeReports: [
        {
          volumeInfo: [
            {
              volumeId: '/home/chronos/user',
              storageFree: String(storage.free),
              storageTotal: String(storage.total),
            },
          ],
        },
      ],
      tpmVersionInfo: {
        family: '322e3000',
        specLevel: '116',
        manufacturer: '43524f53',
        tpmModel: '1',
        firmwareVersion: '0',
        vendorSpecific: 'xCG fTPM',
      },
    }
    if (projection === 'BASIC') {
      const basic: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(full)) if (BASIC_FIELDS.has(k)) basic[k] = v
      return basic
    }
    return full
  }

  private renderCommand(c: MockCommand): Record<string, unknown> {
    const state =
      c.status === 'pending'
        ? 'PENDING'
        : c.status === 'expired'
          ? 'EXPIRED'
          : c.status === 'canceled'
            ? 'CANCELLED'
            : 'EXECUTED_BY_CLIENT'
    const out: Record<string, unknown> = {
      commandId: c.id.replace(/^google-/, ''),
      type: c.vendorType,
      issueTime: new Date(c.queuedAt).toISOString(),
      state,
      ...(c.expiresAt === undefined ? {} : { commandExpireTime: new Date(c.expiresAt).toISOString() }),
      ...(typeof c.params.payload === 'string' ? { payload: c.params.payload } : {}),
    }
    if (c.status === 'completed' || c.status === 'failed') {
      out.commandResult = {
        result: c.status === 'completed' ? 'SUCCESS' : 'FAILURE',
        executeTime: new Date(c.completedAt ?? c.queuedAt).toISOString(),
        ...(c.error ? { errorMessage: c.error } : {}),
      }
    }
    return out
  }
}
