import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type ClockOptions, createClock, type MockClock } from './clock.js'
import { CommandQueue, type CommandStatus, type MockCommand } from './commands.js'
import { type FaultSettings, FaultState, type FaultTarget } from './faults.js'
import type { Env, Exchange, Reply } from './internal/http.js'
import { TokenStore } from './internal/tokens.js'
import { GOOGLE_SCOPES, GoogleEmulator } from './vendors/google.js'
import { GRAPH_ROLES, GraphEmulator, type GraphLimits } from './vendors/graph.js'
import { JAMF_PRO_PRIVILEGES, JamfProEmulator, type JamfProValidator } from './vendors/jamf-pro.js'
import { JamfSchoolEmulator } from './vendors/jamf-school.js'
import { createWorld, type FleetMix, type VendorKey, type World } from './world.js'

/** Options for {@link startMdmMock}. */
export interface MdmMockOptions {
  /** Port on 127.0.0.1; default 0 (any free port). */
  readonly port?: number
  /** Seed of the municipality; same seed → same world. Default `felles`. */
  readonly seed?: string | number
  /** Number of schools. Default 30. */
  readonly schools?: number
  /** Number of devices across vendors. Default 3000. */
  readonly devices?: number
  /** Share of the fleet per kind. */
  readonly mix?: Partial<FleetMix>
  /** Share of devices in the IT stock (no school). Default 0.02. */
  readonly unassignedShare?: number
  /** Share of devices that never check in by themselves. Default 0.03. */
  readonly offlineShare?: number
  /** Municipality name. Default `Fjordvik`. */
  readonly municipality?: string
  /** Clock options (tests usually pass `{ mode: 'manual', start: '…' }`), or a clock of your own. */
  readonly clock?: ClockOptions | MockClock
  /** How often online devices check in (emulator time). Default 15 minutes. */
  readonly checkInIntervalMs?: number
  /** Latency added to every request of every vendor (fault switches can override per vendor). */
  readonly latencyMs?: number
  /** How latency is waited for; default `setTimeout`. Tests inject their own. */
  readonly delay?: (ms: number) => Promise<void>
  /** Graph throttling limits. */
  readonly graph?: GraphLimits
  /** Jamf Pro: OpenAPI validator (see `@felles/mdm-mock/openapi`), token lifetime, page cap, gateway limit. */
  readonly jamfPro?: {
    /** Check every Jamf Pro exchange against a validator (see `@felles/mdm-mock/openapi`). */
    readonly validator?: JamfProValidator
    /** Or: path of Jamf Pro's OpenAPI document; the validator is built from it (needs the optional peer `ajv`). */
    readonly openApiSpec?: string
    readonly tokenLifetimeSeconds?: number
    readonly maxPageSize?: number
    readonly gatewayRequestsPerSecond?: number
  }
  /** Google: quota, command lifetime, and an RSA key (PEM, PKCS#8) for the service account instead of a fresh one. */
  readonly google?: {
    readonly queriesPerMinute?: number
    readonly commandLifetimeMs?: number
    readonly privateKeyPem?: string
  }
}

/** Base URLs of the emulated APIs (all on one server, one path prefix per vendor). */
export interface MdmMockUrls {
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string
  /** Graph v1.0 root, e.g. `http://127.0.0.1:PORT/graph/v1.0` (stands for `https://graph.microsoft.com/v1.0`). */
  readonly graph: string
  /** Graph beta root (adds `roleScopeTagIds`, `enableLostMode`). */
  readonly graphBeta: string
  /** Jamf Pro server URL (append `/api/...`). */
  readonly jamfPro: string
  /** Jamf School API base (stands for `https://<tenant>.jamfcloud.com/api`). */
  readonly jamfSchool: string
  /** Google API root (stands for `https://admin.googleapis.com`). */
  readonly google: string
  /** Token endpoints per vendor. */
  readonly tokenEndpoints: {
    readonly graph: string
    readonly jamfPro: string
    readonly jamfProBasic: string
    readonly google: string
  }
}

/** Google service-account key file, as downloaded from the Cloud console. */
export interface GoogleServiceAccountKey {
  readonly type: 'service_account'
  readonly project_id: string
  readonly private_key_id: string
  readonly private_key: string
  readonly client_email: string
  readonly client_id: string
  readonly auth_uri: string
  readonly token_uri: string
}

/** Credentials the emulator accepts (synthetic; derived from the seed, except the Google key). */
export interface MdmMockCredentials {
  /** Graph app with read, read-write and privileged operations. */
  readonly graph: {
    readonly tenantId: string
    readonly clientId: string
    readonly clientSecret: string
    readonly scope: string
  }
  /** Graph app with `DeviceManagementManagedDevices.Read.All` only. */
  readonly graphReadOnly: {
    readonly tenantId: string
    readonly clientId: string
    readonly clientSecret: string
    readonly scope: string
  }
  /** Jamf Pro API client (OAuth client credentials; also accepted as basic auth on `/api/v1/auth/token`). */
  readonly jamfPro: { readonly clientId: string; readonly clientSecret: string }
  /** Jamf Pro API client without `Send MDM Commands`. */
  readonly jamfProReadOnly: { readonly clientId: string; readonly clientSecret: string }
  /** Jamf School API key with every permission. */
  readonly jamfSchool: { readonly networkId: string; readonly apiKey: string; readonly protocolVersion: '3' }
  /** Jamf School API key allowed GET only (others answer 405). */
  readonly jamfSchoolReadOnly: {
    readonly networkId: string
    readonly apiKey: string
    readonly protocolVersion: '3'
  }
  /** Google service account with domain-wide delegation, the admin to impersonate, and the customer id. */
  readonly google: {
    readonly serviceAccountKey: GoogleServiceAccountKey
    readonly adminEmail: string
    readonly customerId: string
    readonly scopes: readonly string[]
  }
}

/** Per-vendor request statistics. */
export interface VendorStats {
  requests: number
  statuses: Record<number, number>
  inFlight: number
  maxInFlight: number
}

/** Request statistics and vendor counters. */
export interface MdmMockStats {
  readonly graph: VendorStats & { batchRequests: number; batchItems: number; throttled: number }
  readonly jamfPro: VendorStats
  readonly jamfSchool: VendorStats
  readonly google: VendorStats & { rateLimited: number }
}

/** One logged request. */
export interface LoggedRequest {
  readonly vendor: VendorKey | 'none'
  readonly method: string
  readonly path: string
  readonly status: number
  /** Emulator time. */
  readonly at: number
}

/** A running emulator. */
export interface MdmMock {
  readonly urls: MdmMockUrls
  readonly credentials: MdmMockCredentials
  /** The emulator's clock: `clock.advance(31 * 60_000)` expires Jamf Pro tokens and delivers queued commands. */
  readonly clock: MockClock
  /** The municipality and the ground truth ("which school owns device X"). */
  readonly world: World
  /** Sets fault switches for a vendor (or `all`); `null` clears them. */
  setFault(target: FaultTarget, settings: FaultSettings | null): void
  /** Clears every fault switch. */
  clearFaults(): void
  /** A device (any identifier: vendor id, UDID, serial) checks in now; returns the commands it completed. */
  checkIn(deviceId: string | number): MockCommand[]
  /** Commands queued so far, optionally filtered. */
  commands(filter?: { vendor?: VendorKey; deviceId?: string | number; status?: CommandStatus }): MockCommand[]
  /** Request counters per vendor. */
  stats(): MdmMockStats
  /** The last requests (at most 10,000), oldest first. */
  requests(): readonly LoggedRequest[]
  /** Jamf Pro OpenAPI validation problems (with a validator configured) and internal errors; empty when all is well. */
  problems(): readonly string[]
  /** Stops the server. */
  close(): Promise<void>
}

let cachedKey: { privateKeyPem: string; publicKeyPem: string } | undefined

function googleKeyPair(privateKeyPem?: string): { privateKeyPem: string; publicKeyPem: string } {
  if (privateKeyPem) {
    const pub = createPublicKey(createPrivateKey(privateKeyPem))
      .export({ type: 'spki', format: 'pem' })
      .toString()
    return { privateKeyPem, publicKeyPem: pub }
  }
  if (!cachedKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    cachedKey = {
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }
  }
  return cachedKey
}

function derive(seed: string, label: string, length: number): string {
  return createHash('sha256').update(`${seed}:${label}`).digest('hex').slice(0, length)
}

function guidOf(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-${hex32.slice(12, 16)}-${hex32.slice(16, 20)}-${hex32.slice(20, 32)}`
}

function newStats(): VendorStats {
  return { requests: 0, statuses: {}, inFlight: 0, maxInFlight: 0 }
}

function readBody(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) {
        reject(new Error('Request body too large'))
        req.destroy()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

async function send(res: ServerResponse, reply: Reply, requestId: string, now: number): Promise<void> {
  // `Date` comes from the emulator clock, so an HTTP-date Retry-After measured
  // against it means what it says even when the clock is manual.
  const headers: Record<string, string> = {
    Date: new Date(now).toUTCString(),
    'request-id': requestId,
    ...(reply.headers ?? {}),
  }
  if (reply.chunks) {
    res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', ...headers })
    for (const chunk of reply.chunks) {
      if (res.destroyed) return
      if (!res.write(chunk)) {
        // Wait for the client to read on, or for it to go away.
        await new Promise<void>((r) => {
          const done = (): void => {
            res.off('drain', done)
            res.off('close', done)
            r()
          }
          res.once('drain', done)
          res.once('close', done)
        })
      }
    }
    res.end()
    return
  }
  if (reply.json !== undefined) {
    const body = JSON.stringify(reply.json)
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType ?? 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    })
    res.end(body)
    return
  }
  if (reply.text !== undefined) {
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(reply.text)),
      ...headers,
    })
    res.end(reply.text)
    return
  }
  res.writeHead(reply.status, headers)
  res.end()
}

/**
 * Starts the four emulators on one HTTP server at 127.0.0.1, each under its
 * own path prefix (`/graph`, `/microsoft-login`, `/jamf-pro`, `/jamf-school`,
 * `/google`, `/google-oauth`), over a seeded municipality.
 *
 * @param options - world size and seed, clock, limits and validators
 * @returns the running emulator with its URLs, credentials, clock, world and fault switches
 * @throws {TypeError} when options are out of range
 * @example
 * ```ts
 * const mock = await startMdmMock({ seed: 'demo', devices: 5000, clock: { mode: 'manual' } })
 * const res = await fetch(mock.urls.tokenEndpoints.jamfPro, {
 *   method: 'POST',
 *   body: new URLSearchParams({ grant_type: 'client_credentials', client_id: mock.credentials.jamfPro.clientId, client_secret: mock.credentials.jamfPro.clientSecret }),
 * })
 * await mock.close()
 * ```
 * @see https://learn.microsoft.com/graph/api/resources/intune-devices-manageddevice
 * @see https://developer.jamf.com/jamf-pro/reference
 * @see https://developers.google.com/admin-sdk/directory/reference/rest/v1/chromeosdevices
 */
export async function startMdmMock(options: MdmMockOptions = {}): Promise<MdmMock> {
  const clockOpt = options.clock
  const clock: MockClock =
    clockOpt && typeof (clockOpt as MockClock).now === 'function'
      ? (clockOpt as MockClock)
      : createClock((clockOpt as ClockOptions | undefined) ?? {})
  const seedText = String(options.seed ?? 'felles')
  const world = createWorld({
    seed: seedText,
    epoch: clock.now(),
    ...(options.schools === undefined ? {} : { schools: options.schools }),
    ...(options.devices === undefined ? {} : { devices: options.devices }),
    ...(options.mix === undefined ? {} : { mix: options.mix }),
    ...(options.unassignedShare === undefined ? {} : { unassignedShare: options.unassignedShare }),
    ...(options.offlineShare === undefined ? {} : { offlineShare: options.offlineShare }),
    ...(options.municipality === undefined ? {} : { municipality: options.municipality }),
    ...(options.checkInIntervalMs === undefined ? {} : { checkInIntervalMs: options.checkInIntervalMs }),
  })
  const now = (): number => clock.now()
  const faults = new FaultState()
  const tokens = new TokenStore()
  const queue = new CommandQueue(world, now)
  const env: Env = { world, clock, queue, faults, tokens, now }

  const tenantId = guidOf(derive(seedText, 'tenant', 32))
  const credentials: Omit<MdmMockCredentials, 'google'> = {
    graph: {
      tenantId,
      clientId: guidOf(derive(seedText, 'graph-client', 32)),
      clientSecret: `gs~${derive(seedText, 'graph-secret', 37)}`,
      scope: 'https://graph.microsoft.com/.default',
    },
    graphReadOnly: {
      tenantId,
      clientId: guidOf(derive(seedText, 'graph-ro-client', 32)),
      clientSecret: `gs~${derive(seedText, 'graph-ro-secret', 37)}`,
      scope: 'https://graph.microsoft.com/.default',
    },
    jamfPro: {
      clientId: guidOf(derive(seedText, 'jamf-pro-client', 32)),
      clientSecret: derive(seedText, 'jamf-pro-secret', 48),
    },
    jamfProReadOnly: {
      clientId: guidOf(derive(seedText, 'jamf-pro-ro-client', 32)),
      clientSecret: derive(seedText, 'jamf-pro-ro-secret', 48),
    },
    jamfSchool: {
      networkId: String(
        (Number.parseInt(derive(seedText, 'jamf-school-network', 7), 16) % 90_000_000) + 10_000_000,
      ),
      apiKey: derive(seedText, 'jamf-school-key', 32).toUpperCase(),
      protocolVersion: '3',
    },
    jamfSchoolReadOnly: {
      networkId: String(
        (Number.parseInt(derive(seedText, 'jamf-school-network', 7), 16) % 90_000_000) + 10_000_000,
      ),
      apiKey: derive(seedText, 'jamf-school-ro-key', 32).toUpperCase(),
      protocolVersion: '3',
    },
  }
  const keyPair = googleKeyPair(options.google?.privateKeyPem)
  const projectId = `${world.domain.split('.')[0]}-mdm`
  const clientEmail = `mdm-sync@${projectId}.iam.gserviceaccount.com`
  const googleClientId = String(BigInt(`0x${derive(seedText, 'google-client', 15)}`))
  const privateKeyId = derive(seedText, 'google-key-id', 40)
  const adminEmail = `it-admin@${world.domain}`
  const customerId = `C0${derive(seedText, 'google-customer', 7)}`

  const graph = new GraphEmulator(env, {
    tenantId,
    clients: [
      {
        clientId: credentials.graph.clientId,
        clientSecret: credentials.graph.clientSecret,
        roles: [GRAPH_ROLES.read, GRAPH_ROLES.readWrite, GRAPH_ROLES.privileged],
      },
      {
        clientId: credentials.graphReadOnly.clientId,
        clientSecret: credentials.graphReadOnly.clientSecret,
        roles: [GRAPH_ROLES.read],
      },
    ],
    ...(options.graph ? { limits: options.graph } : {}),
  })
  const jamfPro = new JamfProEmulator(env, {
    clients: [
      { ...credentials.jamfPro, privileges: JAMF_PRO_PRIVILEGES },
      {
        ...credentials.jamfProReadOnly,
        privileges: JAMF_PRO_PRIVILEGES.filter((p) => p !== 'Send MDM Commands'),
      },
    ],
    ...(options.jamfPro?.tokenLifetimeSeconds === undefined
      ? {}
      : { tokenLifetimeSeconds: options.jamfPro.tokenLifetimeSeconds }),
    ...(options.jamfPro?.maxPageSize === undefined ? {} : { maxPageSize: options.jamfPro.maxPageSize }),
    ...(options.jamfPro?.gatewayRequestsPerSecond === undefined
      ? {}
      : { gatewayRequestsPerSecond: options.jamfPro.gatewayRequestsPerSecond }),
  })
  jamfPro.validator = options.jamfPro?.validator
  if (!jamfPro.validator && options.jamfPro?.openApiSpec) {
    const { createJamfProValidator } = await import('./openapi.js')
    jamfPro.validator = await createJamfProValidator({ specFile: options.jamfPro.openApiSpec })
  }
  const jamfSchool = new JamfSchoolEmulator(env, {
    keys: [
      {
        networkId: credentials.jamfSchool.networkId,
        apiKey: credentials.jamfSchool.apiKey,
        methods: ['GET', 'POST', 'PUT', 'DELETE'],
      },
      {
        networkId: credentials.jamfSchoolReadOnly.networkId,
        apiKey: credentials.jamfSchoolReadOnly.apiKey,
        methods: ['GET'],
      },
    ],
  })
  const google = new GoogleEmulator(env, {
    serviceAccounts: [
      {
        clientEmail,
        clientId: googleClientId,
        privateKeyId,
        publicKeyPem: keyPair.publicKeyPem,
        delegatedScopes: Object.values(GOOGLE_SCOPES),
      },
    ],
    admins: [adminEmail],
    customerId,
    ...(options.google?.queriesPerMinute === undefined
      ? {}
      : { queriesPerMinute: options.google.queriesPerMinute }),
    ...(options.google?.commandLifetimeMs === undefined
      ? {}
      : { commandLifetimeMs: options.google.commandLifetimeMs }),
  })

  const stats = { graph: newStats(), jamfPro: newStats(), jamfSchool: newStats(), google: newStats() }
  const log: LoggedRequest[] = []
  const internalErrors: string[] = []
  const delay = options.delay ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let origin = ''

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID()
    const url = new URL(req.url ?? '/', origin)
    const segments = url.pathname.split('/')
    const prefix = segments[1] ?? ''
    const route: Record<string, [VendorKey, string]> = {
      graph: ['graph', 'api'],
      'microsoft-login': ['graph', 'login'],
      'jamf-pro': ['jamfPro', 'api'],
      'jamf-school': ['jamfSchool', 'api'],
      google: ['google', 'api'],
      'google-oauth': ['google', 'token'],
    }
    const target = route[prefix]
    if (!target) {
      const reply: Reply =
        url.pathname === '/'
          ? { status: 200, json: { name: '@felles/mdm-mock', urls: mock.urls } }
          : { status: 404, json: { error: 'Unknown emulator prefix' } }
      await send(res, reply, requestId, now())
      log.push({
        vendor: 'none',
        method: req.method ?? 'GET',
        path: url.pathname,
        status: reply.status,
        at: now(),
      })
      return
    }
    const [vendor, area] = target
    const s = stats[vendor]
    s.requests++
    s.inFlight++
    s.maxInFlight = Math.max(s.maxInFlight, s.inFlight)
    let status = 500
    try {
      const body = await readBody(req)
      const f = faults.get(vendor)
      const latency = f.latencyMs ?? options.latencyMs ?? 0
      if (latency > 0) await delay(latency)
      if (faults.takeExpireTokens(vendor)) tokens.expireAll(vendor, now())
      const ex: Exchange = {
        vendor,
        method: (req.method ?? 'GET').toUpperCase(),
        path: url.pathname.slice(prefix.length + 1) || '/',
        rawPath: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        origin,
        url: url.toString(),
        requestId,
      }
      const isTokenCall =
        area === 'login' || area === 'token' || /\/(oauth\/token|v1\/auth\/token)$/.test(ex.path)
      let reply: Reply
      if (faults.take(vendor, 'unavailable')) {
        reply =
          vendor === 'graph'
            ? graph.unavailable(ex)
            : vendor === 'jamfPro'
              ? jamfPro.unavailable()
              : vendor === 'jamfSchool'
                ? jamfSchool.unavailable()
                : google.unavailable()
      } else if (vendor !== 'graph' && !isTokenCall && faults.take(vendor, 'throttle')) {
        reply =
          vendor === 'jamfPro'
            ? jamfPro.throttled()
            : vendor === 'jamfSchool'
              ? jamfSchool.throttled()
              : google.throttled()
      } else if (vendor === 'graph') {
        reply = await graph.handle(ex, area as 'api' | 'login')
      } else if (vendor === 'jamfPro') {
        reply = await jamfPro.handle(ex)
      } else if (vendor === 'jamfSchool') {
        reply = await jamfSchool.handle(ex)
      } else {
        reply = await google.handle(ex, area as 'api' | 'token')
      }
      status = reply.status
      await send(res, reply, requestId, now())
    } catch (error) {
      internalErrors.push(
        `${req.method} ${url.pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      )
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json', Date: new Date(now()).toUTCString() })
        res.end(JSON.stringify({ error: 'emulator internal error', requestId }))
      } else res.destroy()
    } finally {
      s.inFlight--
      s.statuses[status] = (s.statuses[status] ?? 0) + 1
      log.push({ vendor, method: req.method ?? 'GET', path: url.pathname + url.search, status, at: now() })
      if (log.length > 10_000) log.splice(0, log.length - 10_000)
      if (s.requests % 1000 === 0) tokens.sweep(now())
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res)
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`

  const urls: MdmMockUrls = {
    origin,
    graph: `${origin}/graph/v1.0`,
    graphBeta: `${origin}/graph/beta`,
    jamfPro: `${origin}/jamf-pro`,
    jamfSchool: `${origin}/jamf-school/api`,
    google: `${origin}/google`,
    tokenEndpoints: {
      graph: `${origin}/microsoft-login/${tenantId}/oauth2/v2.0/token`,
      jamfPro: `${origin}/jamf-pro/api/oauth/token`,
      jamfProBasic: `${origin}/jamf-pro/api/v1/auth/token`,
      google: `${origin}/google-oauth/token`,
    },
  }
  const fullCredentials: MdmMockCredentials = {
    ...credentials,
    google: {
      serviceAccountKey: {
        type: 'service_account',
        project_id: projectId,
        private_key_id: privateKeyId,
        private_key: keyPair.privateKeyPem,
        client_email: clientEmail,
        client_id: googleClientId,
        auth_uri: `${origin}/google-oauth/auth`,
        token_uri: urls.tokenEndpoints.google,
      },
      adminEmail,
      customerId,
      scopes: [GOOGLE_SCOPES.chromeos, GOOGLE_SCOPES.orgunitReadonly],
    },
  }

  const mock: MdmMock = {
    urls,
    credentials: fullCredentials,
    clock,
    world,
    setFault: (target, settings) => faults.set(target, settings),
    clearFaults: () => faults.set('all', null),
    checkIn(deviceId) {
      const index = world.resolve(deviceId)
      if (index < 0) throw new TypeError('Unknown device')
      return queue.checkIn(index)
    },
    commands(filter = {}) {
      const deviceIndex = filter.deviceId === undefined ? undefined : world.resolve(filter.deviceId)
      return queue.list({
        ...(filter.vendor ? { vendor: filter.vendor } : {}),
        ...(deviceIndex === undefined ? {} : { deviceIndex }),
        ...(filter.status ? { status: filter.status } : {}),
      })
    },
    stats: () => ({
      graph: { ...stats.graph, ...graph.counters },
      jamfPro: { ...stats.jamfPro },
      jamfSchool: { ...stats.jamfSchool },
      google: { ...stats.google, ...google.counters },
    }),
    requests: () => [...log],
    problems: () => [...jamfPro.validationErrors, ...internalErrors],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()))
        server.closeAllConnections()
      }),
  }
  return mock
}
