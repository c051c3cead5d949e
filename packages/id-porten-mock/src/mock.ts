import { createPrivateKey, createPublicKey } from 'node:crypto'
import { createServer, IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { CompactSign, compactVerify, decodeJwt, decodeProtectedHeader, type JWK } from 'jose'
import {
  type ClientRecord,
  clientKeyFrom,
  createMaskinportenRecord,
  createOidcRecord,
  createTestCa,
  issueBusinessCertificate,
  type MaskinportenContext,
  setJwks,
  type TestCa,
} from './clients.js'
import { type Clock, systemClock } from './clock.js'
import {
  type ActiveFault,
  CLOCK_FAULTS,
  type FaultName,
  type FaultOptions,
  FaultRegistry,
  parseFaultList,
  select,
  TOKEN_ENDPOINT_FAULTS,
} from './faults.js'
import { handleInteraction, sendHtml } from './interaction.js'
import { DEFAULT_LIFETIMES, type MockContext, type RequestNotes, setNotes } from './internal/context.js'
import { generateRsaKeyPair, type RsaKeyPair, rsaKeyPairFromKeyObjects } from './internal/keys.js'
import { buildPersons, type MockPerson } from './persons.js'
import {
  createMaskinportenProvider,
  type MaskinportenHandle,
  maskinportenError,
} from './providers/maskinporten.js'
import { createOidcProvider, type OidcProviderHandle } from './providers/oidc.js'
import type {
  ClientKey,
  ClientOptions,
  Flavour,
  IdportenMock,
  IdportenMockOptions,
  Lifetimes,
  MaskinportenClientOptions,
  MockIssuers,
  MockRequestLogEntry,
  OidcClientOptions,
  RegisteredClient,
  RegisteredMaskinportenClient,
  RegisteredOidcClient,
  TestBusinessCertificate,
} from './types.js'
import { AUTOSUBMIT_SCRIPT, STYLESHEET } from './ui/html.js'
import { errorPage, indexPage } from './ui/pages.js'

const BODY_LIMIT = 64 * 1024

const BACKCHANNEL: Readonly<Record<string, string>> = {
  '/token': 'token',
  '/par': 'par',
  '/token/introspect': 'introspection',
  '/token/revoke': 'revocation',
  '/userinfo': 'userinfo',
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > BODY_LIMIT) throw new BodyTooLarge('request body too large')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks, size)
}

/** A fresh request carrying `body`, for oidc-provider to read as if it were the original. */
function replay(req: IncomingMessage, body: Buffer, as?: { method: string; url: string }): IncomingMessage {
  const copy = new IncomingMessage(req.socket as Socket)
  copy.method = as?.method ?? req.method ?? 'POST'
  copy.url = as?.url ?? req.url ?? '/'
  copy.httpVersion = req.httpVersion
  copy.httpVersionMajor = req.httpVersionMajor
  copy.httpVersionMinor = req.httpVersionMinor
  copy.headers = { ...req.headers, 'content-length': String(body.length) }
  copy.rawHeaders = []
  for (const [name, value] of Object.entries(copy.headers)) {
    if (Array.isArray(value)) for (const v of value) copy.rawHeaders.push(name, v)
    else if (value !== undefined) copy.rawHeaders.push(name, value)
  }
  copy.push(body)
  copy.push(null)
  copy.complete = true
  return copy
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v)
  res.end(JSON.stringify(body))
}

/** The client a back-channel request is made for: `client_id`, Basic auth, or a client assertion's `iss`. */
function clientIdOf(req: IncomingMessage, form: URLSearchParams): string | undefined {
  const fromBody = form.get('client_id')
  if (fromBody) return fromBody
  const auth = req.headers.authorization
  if (typeof auth === 'string' && /^basic /i.test(auth)) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8')
    const id = decoded.slice(0, Math.max(0, decoded.indexOf(':')))
    try {
      return decodeURIComponent(id.replace(/\+/g, '%20'))
    } catch {
      return id
    }
  }
  const assertion = form.get('client_assertion')
  if (assertion) {
    try {
      const claims = decodeJwt(assertion)
      return typeof claims.iss === 'string' ? claims.iss : undefined
    } catch {
      return undefined
    }
  }
  return undefined
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref())

async function keyPairFrom(jwk: JWK | undefined): Promise<RsaKeyPair> {
  if (jwk === undefined) return generateRsaKeyPair()
  if (jwk.kty !== 'RSA' || typeof jwk.d !== 'string')
    throw new TypeError('signingKeys must be private RSA JWKs')
  const privateKey = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  return rsaKeyPairFromKeyObjects(privateKey, createPublicKey(privateKey), jwk.kid)
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

/**
 * Starts a local ID-porten, Ansattporten and Maskinporten on one HTTP server.
 *
 * ID-porten's issuer is the server's base URL; Ansattporten lives under
 * `/ansattporten` and Maskinporten under `/maskinporten/` (its issuer keeps
 * the trailing slash, as the real one does). Nothing is printed.
 *
 * @param options - Port, seed, persons, clients, clock and lifetimes.
 * @returns The running mock; call `close()` when done.
 * @throws RangeError for a bad port, lifetime or person list; TypeError for invalid clients;
 *   the listen error when the port is taken.
 * @see https://docs.digdir.no/ (ID-porten, Ansattporten and Maskinporten integration guides)
 * @example
 * ```ts
 * const mock = await startIdportenMock()
 * const client = await mock.registerClient({ redirectUris: ['http://127.0.0.1:3000/callback'] })
 * // discovery(new URL(mock.issuer), client.clientId, {}, PrivateKeyJwt(client.keys[0].privateJwk), …)
 * await mock.close()
 * ```
 */
export async function startIdportenMock(options: IdportenMockOptions = {}): Promise<IdportenMock> {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError('port must be 0–65535')
  const host = options.host ?? '127.0.0.1'
  const clock: Clock = options.clock ?? systemClock
  const seed = String(options.seed ?? 'felles')
  const lifetimes: Lifetimes = { ...DEFAULT_LIFETIMES, ...options.lifetimes }
  for (const [name, value] of Object.entries(lifetimes)) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`lifetimes.${name} must be a positive whole number`)
  }
  const { persons, organisations } = buildPersons(seed, options.persons)
  for (const [name, jwk] of Object.entries(options.signingKeys ?? {})) {
    if (jwk !== undefined && (jwk.kty !== 'RSA' || typeof jwk.d !== 'string')) {
      throw new TypeError(`signingKeys.${name} must be a private RSA JWK`)
    }
  }

  let idporten: OidcProviderHandle | undefined
  let ansattporten: OidcProviderHandle | undefined
  const callbacks = new Map<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>()
  const hanging = new Set<ServerResponse>()
  const requests: MockRequestLogEntry[] = []
  let closed = false

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error' })
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const actualPort = (server.address() as AddressInfo).port
  const url = `http://${urlHost(host)}:${actualPort}`
  const issuers: MockIssuers = Object.freeze({
    idporten: url,
    ansattporten: `${url}/ansattporten`,
    maskinporten: `${url}/maskinporten/`,
  })
  const metadataUrls: MockIssuers = Object.freeze({
    idporten: `${url}/.well-known/openid-configuration`,
    ansattporten: `${url}/ansattporten/.well-known/openid-configuration`,
    maskinporten: `${url}/maskinporten/.well-known/oauth-authorization-server`,
  })

  let caPromise: Promise<TestCa> | undefined
  const ca = (): Promise<TestCa> => {
    caPromise ??= createTestCa()
    return caPromise
  }
  let otherKeyPromise: Promise<RsaKeyPair> | undefined
  const otherKey = (): Promise<RsaKeyPair> => {
    otherKeyPromise ??= generateRsaKeyPair()
    return otherKeyPromise
  }

  const context: MockContext = {
    clock,
    seed,
    persons,
    personsById: new Map(persons.map((p) => [p.id, p])),
    organisations,
    faults: new FaultRegistry(),
    clients: new Map<string, ClientRecord>(),
    lifetimes,
    sessionLocales: new Map(),
    codeFaults: new Map(),
    issuers,
    ca,
  }

  // Start-up waits only for ID-porten (key generation dominates); Ansattporten
  // and Maskinporten are prepared in the background and awaited on first use.
  try {
    idporten = await createOidcProvider(
      'idporten',
      context,
      await keyPairFrom(options.signingKeys?.idporten),
      otherKey,
    )
    callbacks.set('idporten', idporten.provider.callback())
  } catch (error) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw error
  }
  const ansattportenReady: Promise<OidcProviderHandle> = (async () => {
    const handle = await createOidcProvider(
      'ansattporten',
      context,
      await keyPairFrom(options.signingKeys?.ansattporten),
      otherKey,
    )
    ansattporten = handle
    callbacks.set('ansattporten', handle.provider.callback())
    return handle
  })()
  const maskinportenReady: Promise<MaskinportenHandle> = (async () => {
    const handle = await createMaskinportenProvider(
      context,
      await keyPairFrom(options.signingKeys?.maskinporten),
    )
    callbacks.set('maskinporten', handle.provider.callback())
    return handle
  })()
  // Failures surface where the provider is used; do not let them go unhandled meanwhile.
  ansattportenReady.catch(() => {})
  maskinportenReady.catch(() => {})
  const idportenHandle = idporten
  const oidcHandle = (flavour: 'idporten' | 'ansattporten'): Promise<OidcProviderHandle> =>
    flavour === 'idporten' ? Promise.resolve(idportenHandle) : ansattportenReady

  const forward = async (
    flavour: Flavour,
    mountPath: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const callback = callbacks.get(flavour)
    if (callback === undefined) throw new Error('provider not ready')
    if (mountPath !== '') {
      const original = req.url ?? '/'
      let stripped = original.slice(mountPath.length)
      if (!stripped.startsWith('/')) stripped = `/${stripped}`
      ;(req as IncomingMessage & { originalUrl?: string }).originalUrl = original
      req.url = stripped
    }
    await callback(req, res)
  }

  const logEntry = (
    flavour: Flavour,
    endpoint: string,
    clientId: string | undefined,
    form: URLSearchParams,
    res: ServerResponse,
  ): MockRequestLogEntry & { faults: FaultName[] } => {
    const grantType = form.get('grant_type')
    const entry: MockRequestLogEntry & { faults: FaultName[] } = {
      at: clock.now(),
      flavour,
      endpoint,
      ...(clientId === undefined ? {} : { clientId }),
      ...(grantType === null ? {} : { grantType }),
      faults: [],
    }
    requests.push(entry)
    res.once('finish', () => {
      entry.status = res.statusCode
    })
    return entry
  }

  /** Applies token-endpoint faults; returns true when the request has been answered (or left hanging). */
  const tokenFaults = async (
    res: ServerResponse,
    faults: readonly ActiveFault[],
    entry: { faults: FaultName[] },
  ) => {
    for (const fault of faults) entry.faults.push(fault.name)
    const slow = faults.find((f) => f.name === 'slow')
    if (slow !== undefined) await sleep(slow.delayMs ?? 2000)
    const timeout = faults.find((f) => f.name === 'token-timeout')
    if (timeout !== undefined) {
      hanging.add(res)
      res.once('close', () => hanging.delete(res))
      if (timeout.delayMs !== undefined) {
        setTimeout(() => res.destroy(), timeout.delayMs).unref()
      }
      return true
    }
    const failure = faults.find((f) => f.name === 'token-5xx')
    if (failure !== undefined) {
      sendJson(res, failure.status ?? 503, {
        error: 'server_error',
        error_description: 'The token endpoint is unavailable (mock fault)',
      })
      return true
    }
    return false
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (closed) {
      res.destroy()
      return
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    res.setHeader('Date', new Date(clock.now()).toUTCString())

    if (req.method === 'GET' || req.method === 'HEAD') {
      if (path === '/assets/mock.css' || path === '/assets/autosubmit.js') {
        res.statusCode = 200
        res.setHeader(
          'Content-Type',
          path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
        )
        res.setHeader('Cache-Control', 'no-cache')
        res.setHeader('X-Content-Type-Options', 'nosniff')
        res.end(path.endsWith('.css') ? STYLESHEET : AUTOSUBMIT_SCRIPT)
        return
      }
      if (path === '/favicon.ico') {
        res.statusCode = 204
        res.setHeader('Cache-Control', 'max-age=86400')
        res.end()
        return
      }
      if (path === '/') {
        sendHtml(
          res,
          200,
          indexPage({
            issuers: {
              'ID-porten': { issuer: issuers.idporten, metadata: metadataUrls.idporten },
              Ansattporten: { issuer: issuers.ansattporten, metadata: metadataUrls.ansattporten },
              Maskinporten: { issuer: issuers.maskinporten, metadata: metadataUrls.maskinporten },
            },
            persons,
          }),
        )
        return
      }
      if (
        path === '/maskinporten/.well-known/oauth-authorization-server' ||
        path === '/.well-known/oauth-authorization-server/maskinporten/' ||
        path === '/.well-known/oauth-authorization-server/maskinporten'
      ) {
        sendJson(res, 200, (await maskinportenReady).metadata(), {
          'Access-Control-Allow-Origin': '*',
          'Cache-Control': 'max-age=300',
        })
        return
      }
    }

    if (path === '/maskinporten' || path.startsWith('/maskinporten/')) {
      await handleMaskinporten(req, res, path.slice('/maskinporten'.length) || '/')
      return
    }
    const handle = await oidcHandle(
      path === '/ansattporten' || path.startsWith('/ansattporten/') ? 'ansattporten' : 'idporten',
    )
    await handleOidc(handle, req, res, path.slice(handle.mountPath.length) || '/')
  }

  async function handleOidc(
    handle: OidcProviderHandle,
    req: IncomingMessage,
    res: ServerResponse,
    relative: string,
  ): Promise<void> {
    const login = /^\/login\/([A-Za-z0-9_-]{1,64})$/.exec(relative)
    if (login !== null) {
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.statusCode = 405
        res.end()
        return
      }
      let form: URLSearchParams | undefined
      if (req.method === 'POST') {
        try {
          form = new URLSearchParams((await readBody(req)).toString('utf8'))
        } catch {
          sendHtml(res, 413, errorPage('nb', handle.brand, 'invalid_request'))
          return
        }
      }
      await handleInteraction(handle, context, req, res, login[1] as string, form)
      return
    }

    if (relative === '/jwks.json' && req.method === 'GET') {
      // The published key set follows rotateSigningKey(); oidc-provider's own keeps its first key.
      sendJson(
        res,
        200,
        { keys: handle.keys.published.map((k) => k.publicJwk) },
        { 'Cache-Control': 'max-age=300' },
      )
      return
    }
    if (relative === '/logout' && (req.method === 'GET' || req.method === 'POST')) {
      await handleLogout(handle, req, res)
      return
    }
    const endpoint = req.method === 'POST' ? BACKCHANNEL[relative] : undefined
    if (endpoint === undefined) {
      await forward(handle.flavour, handle.mountPath, req, res)
      return
    }

    let body: Buffer
    try {
      body = await readBody(req)
    } catch {
      sendJson(res, 413, { error: 'invalid_request', error_description: 'request body too large' })
      return
    }
    const form = new URLSearchParams(body.toString('utf8'))
    const clientId = clientIdOf(req, form)
    const requested = parseFaultList(req.headers['x-mock-fault'])
    const entry = logEntry(handle.flavour, endpoint, clientId, form, res)
    if (endpoint === 'token') {
      const faults = [
        ...context.faults.take(clientId, TOKEN_ENDPOINT_FAULTS),
        ...select(requested, TOKEN_ENDPOINT_FAULTS),
      ]
      if (await tokenFaults(res, faults, entry)) return
    }
    const code = form.get('code')
    const notes: RequestNotes = {
      ...(clientId === undefined ? {} : { clientId }),
      faults: requested,
      ...(code === null ? {} : { code }),
      clockOffsetSeconds: 0,
      applied: entry.faults,
    }
    const copy = replay(req, body)
    setNotes(copy, notes)
    await forward(handle.flavour, handle.mountPath, copy, res)
  }

  /**
   * RP-initiated logout. A POST form (Digdir's advice: keeps id_token_hint out
   * of URLs and logs) is handed on as a GET inside the process, never as a
   * redirect: oidc-provider accepts POST only with SameSite=None cookies,
   * which need https. An id_token_hint signed with a rotated key is checked
   * here and re-signed with the key oidc-provider validates with.
   */
  async function handleLogout(
    handle: OidcProviderHandle,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    let params: URLSearchParams
    if (req.method === 'POST') {
      try {
        params = new URLSearchParams((await readBody(req)).toString('utf8'))
      } catch {
        sendHtml(res, 413, errorPage('nb', handle.brand, 'invalid_request'))
        return
      }
    } else {
      params = new URLSearchParams((req.url ?? '').split('?')[1] ?? '')
    }
    const hint = params.get('id_token_hint')
    if (hint !== null && handle.keys.active !== handle.signingKey) {
      try {
        const kid = decodeProtectedHeader(hint).kid
        const key = handle.keys.published.find((k) => k.kid === kid && k !== handle.signingKey)
        if (key !== undefined) {
          const { payload } = await compactVerify(hint, key.publicKey)
          const resigned = await new CompactSign(payload)
            .setProtectedHeader({ alg: 'RS256', kid: handle.signingKey.kid, typ: 'JWT' })
            .sign(handle.signingKey.privateKey)
          params.set('id_token_hint', resigned)
        }
      } catch {
        // Leave the hint as it is: oidc-provider refuses it.
      }
    }
    const copy = replay(req, Buffer.alloc(0), { method: 'GET', url: `${handle.mountPath}/logout?${params}` })
    delete copy.headers['content-type']
    delete copy.headers['content-length']
    await forward(handle.flavour, handle.mountPath, copy, res)
  }

  async function handleMaskinporten(
    req: IncomingMessage,
    res: ServerResponse,
    relative: string,
  ): Promise<void> {
    const mp = await maskinportenReady
    if (relative !== '/token' || req.method !== 'POST') {
      if (req.method === 'GET' && relative === '/.well-known/openid-configuration') {
        sendJson(res, 200, mp.metadata())
        return
      }
      await forward('maskinporten', mp.mountPath, req, res)
      return
    }
    let body: Buffer
    try {
      body = await readBody(req)
    } catch {
      sendJson(res, 413, { error: 'invalid_request', error_description: 'request body too large' })
      return
    }
    const form = new URLSearchParams(body.toString('utf8'))
    const assertion = form.get('assertion')
    let clientId: string | undefined
    if (assertion !== null) {
      try {
        const iss = decodeJwt(assertion).iss
        clientId = typeof iss === 'string' ? iss : undefined
      } catch {
        clientId = undefined
      }
    }
    const requested = parseFaultList(req.headers['x-mock-fault'])
    const entry = logEntry('maskinporten', 'token', clientId, form, res)
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      sendJson(res, 400, {
        error: 'unsupported_grant_type',
        error_description: 'Only the jwt-bearer grant is supported',
      })
      return
    }
    if (assertion === null || clientId === undefined) {
      sendJson(res, 400, maskinportenError('MP-002'))
      return
    }
    if (context.clients.get(clientId)?.kind !== 'maskinporten') {
      sendJson(res, 401, maskinportenError('MP-001'))
      return
    }
    const faults = [
      ...context.faults.take(clientId, new Set([...TOKEN_ENDPOINT_FAULTS, ...CLOCK_FAULTS])),
      ...select(requested, new Set([...TOKEN_ENDPOINT_FAULTS, ...CLOCK_FAULTS])),
    ]
    const offsetFault = faults.find((f) => f.name === 'clock-offset')
    const clockOffsetSeconds = offsetFault === undefined ? 0 : (offsetFault.offsetSeconds ?? 60)
    if (offsetFault !== undefined) {
      entry.faults.push('clock-offset')
      res.setHeader('Date', new Date(clock.now() + clockOffsetSeconds * 1000).toUTCString())
    }
    if (
      await tokenFaults(
        res,
        faults.filter((f) => f.name !== 'clock-offset'),
        entry,
      )
    )
      return
    // Maskinporten requests carry no client authentication: the client is the assertion's iss.
    const given = form.get('client_id')
    if (given !== null && given !== clientId) {
      sendJson(res, 401, maskinportenError('MP-001', 'client_id differs from the assertion iss'))
      return
    }
    form.set('client_id', clientId)
    const copy = replay(req, Buffer.from(form.toString(), 'utf8'))
    copy.headers['content-type'] = 'application/x-www-form-urlencoded'
    setNotes(copy, { clientId, faults: requested, clockOffsetSeconds, applied: entry.faults })
    await forward('maskinporten', mp.mountPath, copy, res)
  }

  const mpContext: MaskinportenContext = {
    issuer: issuers.maskinporten,
    tokenEndpoint: `${issuers.maskinporten}token`,
    defaultOrganisation: organisations[0] as { organisationNumber: string; name: string },
    organisationName: (orgnr) =>
      organisations.find((o) => o.organisationNumber === orgnr)?.name ?? `Virksomhet ${orgnr}`,
    ca,
  }

  const registerClient = async (clientOptions: ClientOptions): Promise<RegisteredClient> => {
    if (closed) throw new Error('the mock is closed')
    if (clientOptions.clientId !== undefined && context.clients.has(clientOptions.clientId)) {
      throw new Error(`client "${clientOptions.clientId}" is already registered`)
    }
    if (clientOptions.issuer === 'maskinporten') {
      const record = await createMaskinportenRecord(clientOptions, mpContext)
      const id = record.registered.clientId
      if (context.clients.has(id)) throw new Error(`client "${id}" is already registered`)
      context.clients.set(id, record)
      try {
        await (await maskinportenReady).provider.Client.find(id)
      } catch (error) {
        context.clients.delete(id)
        const description = (error as { error_description?: string }).error_description
        throw new TypeError(`invalid client metadata: ${description ?? (error as Error).message}`)
      }
      return record.registered
    }
    const flavour = clientOptions.issuer ?? 'idporten'
    if (flavour !== 'idporten' && flavour !== 'ansattporten')
      throw new TypeError(`unknown issuer "${String(flavour)}"`)
    const record = await createOidcRecord(clientOptions, issuers[flavour])
    const id = record.registered.clientId
    if (context.clients.has(id)) throw new Error(`client "${id}" is already registered`)
    context.clients.set(id, record)
    try {
      await (await oidcHandle(flavour)).provider.Client.find(id)
    } catch (error) {
      context.clients.delete(id)
      const description = (error as { error_description?: string }).error_description
      throw new TypeError(`invalid client metadata: ${description ?? (error as Error).message}`)
    }
    return record.registered
  }

  const requireClient = (clientId: string): ClientRecord => {
    const record = context.clients.get(clientId)
    if (record === undefined) throw new Error(`unknown client "${clientId}"`)
    return record
  }

  for (const clientOptions of options.clients ?? []) {
    try {
      await registerClient(clientOptions)
    } catch (error) {
      closed = true
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      throw error
    }
  }

  const mock: IdportenMock = {
    url,
    port: actualPort,
    issuer: issuers.idporten,
    issuers,
    metadataUrls,
    persons: Object.freeze([...persons]) as readonly MockPerson[],
    organisations: Object.freeze([...organisations]),
    clock,
    testCa: async () => (await ca()).pem,
    registerClient: registerClient as IdportenMock['registerClient'],
    getClient: (clientId) => context.clients.get(clientId)?.registered,
    removeClient: (clientId) => {
      context.clients.delete(clientId)
      context.faults.clear(clientId)
    },
    async addClientKey(clientId: string, jwk?: JWK): Promise<ClientKey> {
      const record = requireClient(clientId)
      if (record.kind === 'oidc' && record.registered.authMethod !== 'private_key_jwt') {
        throw new Error('only private_key_jwt clients have keys')
      }
      const { key, publicKey } = await clientKeyFrom(jwk)
      if (record.registered.keys.some((k) => k.kid === key.kid))
        throw new Error(`key "${key.kid}" is already registered`)
      if (record.registered.keys.length >= 5) throw new Error('a client has at most 5 keys')
      ;(record.registered.keys as ClientKey[]).push(key)
      if (record.kind === 'oidc') setJwks(record.metadata, record.registered.keys)
      else record.keys.set(key.kid, publicKey)
      return key
    },
    removeClientKey(clientId: string, kid: string): void {
      const record = requireClient(clientId)
      const keys = record.registered.keys as ClientKey[]
      const index = keys.findIndex((k) => k.kid === kid)
      if (index === -1) throw new Error(`unknown key "${kid}"`)
      keys.splice(index, 1)
      if (record.kind === 'oidc') setJwks(record.metadata, keys)
      else record.keys.delete(kid)
    },
    async issueCertificate(
      clientId: string,
      certificateOptions?: { readonly notAfter?: Date },
    ): Promise<TestBusinessCertificate> {
      const record = requireClient(clientId)
      if (record.kind !== 'maskinporten' || !record.certificateTrust) {
        throw new Error('only Maskinporten clients with certificate trust have certificates')
      }
      const orgnr = record.registered.organisationNumber
      return issueBusinessCertificate(
        await ca(),
        orgnr,
        mpContext.organisationName(orgnr),
        certificateOptions?.notAfter,
      )
    },
    async rotateSigningKey(
      flavour: 'idporten' | 'ansattporten' = 'idporten',
      rotateOptions?: { readonly keepOld?: boolean },
    ) {
      const handle = await oidcHandle(flavour)
      const next = await generateRsaKeyPair()
      handle.keys.published = rotateOptions?.keepOld === false ? [next] : [next, ...handle.keys.published]
      handle.keys.active = next
      return { kid: next.kid, publicJwk: next.publicJwk }
    },
    setFault(clientId: string, fault: FaultName, faultOptions?: FaultOptions): void {
      requireClient(clientId)
      context.faults.set(clientId, fault, faultOptions)
    },
    clearFaults(clientId?: string): void {
      context.faults.clear(clientId)
    },
    get requests() {
      return requests
    },
    clearRequests(): void {
      requests.length = 0
    },
    endAllSessions(): void {
      idporten?.store.deleteAll('Session')
      ansattporten?.store.deleteAll('Session')
      context.sessionLocales.clear()
    },
    async close(): Promise<void> {
      if (closed) return
      closed = true
      await Promise.allSettled([ansattportenReady, maskinportenReady])
      for (const res of hanging) res.destroy()
      hanging.clear()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return mock
}

export type {
  MaskinportenClientOptions,
  OidcClientOptions,
  RegisteredMaskinportenClient,
  RegisteredOidcClient,
}
