import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type AuthOptions, createTokenChecker, DEFAULT_STATIC_TOKEN } from './auth.js'
import { createClock, type MockClock } from './clock.js'
import { FAULT_HEADER, FaultBook, type FaultHandle, type FaultRule, parseFaultHeader } from './faults.js'
import { generateKeyAndCertificate } from './internal/certificate.js'
import { decryptCms, encryptCms } from './internal/cms.js'
import { fiksErrorBody, HttpError, invalid, isoWithOffset, readJson, writeJson } from './internal/http.js'
import { type CmsDecrypt, receiveMultipart } from './internal/send.js'
import { letterPage, lettersPage, notFoundPage, STYLE, UI_HEADERS } from './internal/ui.js'
import { zipStream } from './internal/zip.js'
import type { OperationName } from './operations.js'
import { builtinValidator, findSpecsDir, loadSpecValidator, type RequestValidator } from './validation.js'
import {
  type MockIntegration,
  type MockLetter,
  type MockSvarInnSystem,
  type SendKind,
  SvarUtWorld,
  type WorldOptions,
} from './world.js'

/** Options for {@link startSvarUtMock}. */
export interface SvarUtMockOptions {
  /** Port; default 0 (any free port). */
  readonly port?: number
  /** Interface; default `127.0.0.1`. */
  readonly host?: string
  /** The clock the world runs on; default a real-time {@link createClock}. */
  readonly clock?: MockClock
  /** People, organisations, accounts, integrations and timings. */
  readonly world?: WorldOptions
  /** Token checking; default `{ mode: 'static', token: 'svarut-mock-token' }`. */
  readonly auth?: AuthOptions
  /**
   * Official OpenAPI documents: a folder, `false` to use the mock's own
   * schemas, or `'auto'` (default) to look for `shared/specs/svarut` as
   * {@link findSpecsDir} does and fall back to the own schemas.
   */
  readonly specs?: string | false | 'auto'
  /** Replaces the validator entirely (for example one built on `@felles/svarut`'s zod schemas). */
  readonly validator?: RequestValidator
  /**
   * Replaces the CMS decryption the mock uses to prove encrypted uploads
   * valid and to show them (for example `@felles/svarut/cms`). Receives the
   * mock's private key.
   */
  readonly decrypt?: (source: AsyncIterable<Uint8Array>, privateKey: KeyObject) => AsyncIterable<Uint8Array>
  /** Folder for uploaded files; default a new temporary folder, removed on close. */
  readonly dataDir?: string
  /** The mock's key pair (PEM); default a fresh RSA-2048 key and self-signed certificate. */
  readonly key?: { readonly privateKeyPem: string; readonly certificatePem: string }
  /** Most ids in one `status/sok`; default 1000. */
  readonly maxStatusIds?: number
  /** Serve SvarInn downloads of a single document as a ZIP too; default false (the file itself). */
  readonly svarInnAlwaysZip?: boolean
  /** Refuse an `eksternReferanse` holding a national identity number; default true. */
  readonly strict?: boolean
  /**
   * Serve the control endpoints under `/_mock/` (letters as JSON, clock, faults) for use from
   * another process, such as with the CLI; default true.
   */
  readonly controlApi?: boolean
}

/** One request the mock answered. */
export interface RequestRecord {
  readonly operation: OperationName | 'ui' | 'unknown'
  readonly method: string
  /** Path without the query string. */
  readonly path: string
  /** Status sent, or 0 when the connection was dropped on purpose. */
  readonly status: number
  readonly at: number
}

/** The credentials a client needs for the default world. */
export interface MockCredentials {
  readonly kontoId: string
  readonly integrasjonId: string
  readonly integrasjonPassord: string
  /** The static bearer token (static mode only). */
  readonly token: string | undefined
}

/** A running SvarUt mock. */
export interface SvarUtMock {
  /** Origin, e.g. `http://127.0.0.1:41234`: the letters page is at `/`. */
  readonly url: string
  /** Base of REST v2/v3: `${url}/api` (what `https://svarut.ks.no/api` is in production). */
  readonly apiUrl: string
  /** Base of SvarInn: `${url}/tjenester`. */
  readonly svarInnUrl: string
  readonly clock: MockClock
  readonly world: SvarUtWorld
  readonly credentials: MockCredentials
  /** The mock's certificate (PEM), also served at `/forsendelse/publickey/hent`. */
  readonly certificatePem: string
  /** The mock's private key (PKCS#8 PEM): decrypts SvarInn downloads in tests. */
  readonly privateKeyPem: string
  /** Which rules check requests: `official`, `builtin` or your validator's name. */
  readonly validation: string
  /** The validator in use. */
  readonly validator: RequestValidator
  /** Folder holding uploaded documents. */
  readonly dataDir: string
  /** Installs a fault for the next matching request(s). */
  setFault(rule: FaultRule): FaultHandle
  /** Removes every fault. */
  clearFaults(): void
  /** Letters received, settled to the clock. */
  letters(): MockLetter[]
  /** Requests answered so far, oldest first. */
  requests(): RequestRecord[]
  /** Stops the server and removes the temporary data folder. */
  close(): Promise<void>
}

interface Route {
  readonly method: string
  readonly pattern: RegExp
  readonly operation: OperationName
  readonly names: readonly string[]
}

const UUIDISH = '([^/]+)'
const route = (method: string, path: string, operation: OperationName): Route => {
  const names: string[] = []
  const source = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name)
    return UUIDISH
  })
  return { method, pattern: new RegExp(`^${source}$`), operation, names }
}

const ROUTES: readonly Route[] = [
  route('POST', '/api/v3/kontoer/{kontoId}/forsendelser/status/sok', 'status.sok'),
  route('POST', '/api/v3/kontoer/{kontoId}/forsendelser/person', 'send.person'),
  route('POST', '/api/v3/kontoer/{kontoId}/forsendelser/organisasjon', 'send.organisasjon'),
  route('POST', '/api/v3/kontoer/{kontoId}/forsendelser/nhn', 'send.nhn'),
  route('POST', '/api/v3/kontoer/{kontoId}/forsendelser/print', 'send.print'),
  route('GET', '/api/v2/forsendelser/{forsendelseId}/hendelser', 'hendelser'),
  route('GET', '/api/v2/forsendelser/{forsendelseId}/signeringshendelser', 'signeringshendelser'),
  route('GET', '/api/v2/forsendelser/{forsendelseId}/metadata', 'metadata'),
  route('GET', '/api/v2/kontoer/{kontoId}/forsendelser/metadata', 'eksternref.metadata'),
  route('GET', '/api/v2/kontoer/{kontoId}/forsendelser', 'eksternref'),
  route('POST', '/api/v2/forsendelser/{forsendelseId}/lest', 'lest'),
  route('DELETE', '/api/v2/forsendelser/{forsendelseId}/dokumenter', 'slett'),
  route('GET', '/api/v2/forsendelsestyper', 'forsendelsestyper'),
  route('GET', '/api/v2/mottakersystem', 'mottakersystem'),
  route('GET', '/tjenester/svarinn/mottaker/hentNyeForsendelser', 'svarinn.v1.list'),
  route('GET', '/tjenester/svarinn/forsendelse/{forsendelseId}', 'svarinn.v1.download'),
  route('POST', '/tjenester/svarinn/kvitterMottak/forsendelse/{forsendelseId}', 'svarinn.v1.kvitter'),
  route('POST', '/tjenester/svarinn/mottakFeilet/forsendelse/{forsendelseId}', 'svarinn.v1.feilet'),
  route('GET', '/tjenester/svarinn/v2/forsendelser', 'svarinn.v2.list'),
  route('GET', '/tjenester/svarinn/v2/forsendelser/{forsendelseId}', 'svarinn.v2.download'),
  route('PATCH', '/tjenester/svarinn/v2/forsendelser/{forsendelseId}/status', 'svarinn.v2.status'),
  route('GET', '/forsendelse/publickey/hent', 'publickey'),
]

interface Ctx {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly operation: OperationName
  readonly path: string
  readonly params: Record<string, string>
  readonly query: URLSearchParams
  fault: FaultRule | undefined
  integration?: MockIntegration
  svarInnSystem?: MockSvarInnSystem
  dropped: boolean
}

const SEND_KIND: Partial<Record<OperationName, SendKind>> = {
  'send.person': 'person',
  'send.organisasjon': 'organisasjon',
  'send.nhn': 'nhn',
  'send.print': 'print',
}

/**
 * Starts a local SvarUt and SvarInn on 127.0.0.1: REST v3 send and status,
 * the REST v2 operations, SvarInn v1 and v2, and the public-key endpoint,
 * every request checked against the official OpenAPI documents (or the
 * mock's own schemas), a simulated world on a controllable clock, fault
 * injection, and a page listing the letters at `/`. Quiet: it never writes to
 * the console.
 *
 * @param options - world, clock, auth, specs, faults and storage
 * @returns the running mock
 * @throws {Error} when the port is taken or the specs folder is unreadable
 * @example
 * ```ts
 * const clock = createClock({ mode: 'manual' })
 * const mock = await startSvarUtMock({ clock })
 * const { kontoId, integrasjonId, integrasjonPassord, token } = mock.credentials
 * // … send with the client against mock.apiUrl …
 * clock.advance(10 * 60_000)
 * mock.letters()[0]?.status // 'LEVERT_SDP' for a person with a digital mailbox
 * await mock.close()
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export async function startSvarUtMock(options: SvarUtMockOptions = {}): Promise<SvarUtMock> {
  const clock = options.clock ?? createClock()
  const world = new SvarUtWorld(clock, options.world)
  const auth: AuthOptions = options.auth ?? { mode: 'static', token: DEFAULT_STATIC_TOKEN }
  const checkToken = createTokenChecker(auth, clock)
  const validator = options.validator ?? pickValidator(options.specs ?? 'auto')
  const ownDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'felles-svarut-mock-')))
  const keys = options.key
    ? {
        privateKey: createPrivateKey(options.key.privateKeyPem),
        certificate: new X509Certificate(options.key.certificatePem),
        certificatePem: options.key.certificatePem,
      }
    : await generateKeyAndCertificate('SvarUt mock', new Date(clock.now() - 86_400_000))
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const decrypt: CmsDecrypt = (source) =>
    options.decrypt ? options.decrypt(source, keys.privateKey) : decryptCms(source, keys.privateKey)
  const faults = new FaultBook()
  const log: RequestRecord[] = []
  const maxStatusIds = options.maxStatusIds ?? 1000
  const sockets = new Set<Socket>()
  let baseUrl = ''

  const avsenderOf = (kontoId: string): { navn: string; organisasjonsnummer: string } =>
    world.accounts.find((a) => a.kontoId === kontoId)?.avsender ?? {
      navn: 'SvarUt mock',
      organisasjonsnummer: '',
    }

  const certificateFor = (system: MockSvarInnSystem): X509Certificate =>
    system.certificatePem ? new X509Certificate(system.certificatePem) : keys.certificate

  const record = (
    ctx: Pick<Ctx, 'req' | 'path'> & { operation: RequestRecord['operation'] },
    status: number,
  ): void => {
    log.push({
      operation: ctx.operation,
      method: ctx.req.method ?? 'GET',
      path: ctx.path,
      status,
      at: clock.now(),
    })
  }

  const drop = (ctx: Ctx): void => {
    if (ctx.dropped) return
    ctx.dropped = true
    record(ctx, 0)
    ctx.req.socket.destroy()
  }

  const json = (ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (ctx.fault?.kind === 'loseResponse') {
      drop(ctx)
      return
    }
    record(ctx, status)
    writeJson(ctx.res, status, body, headers)
  }

  const empty = (ctx: Ctx, status: number): void => {
    if (ctx.fault?.kind === 'loseResponse') {
      drop(ctx)
      return
    }
    record(ctx, status)
    ctx.res.writeHead(status, { 'cache-control': 'no-store' }).end()
  }

  const errorOut = (ctx: Ctx, error: HttpError): void => {
    record(ctx, error.status)
    if (ctx.res.headersSent) {
      ctx.res.destroy()
      return
    }
    const headers: Record<string, string> = { ...error.headers }
    if (!ctx.req.complete) headers.connection = 'close'
    writeJson(
      ctx.res,
      error.status,
      fiksErrorBody(clock.now(), error.status, ctx.path, error.message, error.code, error.issues),
      headers,
    )
    if (!ctx.req.complete) ctx.req.resume()
  }

  const authenticate = async (ctx: Ctx): Promise<void> => {
    const svarinn = ctx.operation.startsWith('svarinn.')
    const authz = ctx.req.headers.authorization ?? ''
    if (svarinn && /^Basic\s/i.test(authz)) {
      const [user, ...rest] = Buffer.from(authz.replace(/^Basic\s+/i, ''), 'base64')
        .toString('utf8')
        .split(':')
      const system = world.svarInnSystems().find((s) => s.id === user && s.passord === rest.join(':'))
      if (!system)
        throw new HttpError(401, 'unauthenticated', 'Ugyldig brukernavn eller passord for mottakersystemet')
      ctx.svarInnSystem = system
      return
    }
    const token = await checkToken(ctx.req.headers)
    if (!token.ok)
      throw new HttpError(401, 'unauthenticated', token.reason, undefined, { 'www-authenticate': 'Bearer' })
    const id = header(ctx.req, 'integrasjonid')
    const password = header(ctx.req, 'integrasjonpassord')
    if (!id || !password)
      throw new HttpError(401, 'unauthenticated', 'IntegrasjonId og IntegrasjonPassord må oppgis')
    const integration = world.integrations.find((i) => i.integrasjonId === id)
    if (!integration || integration.passord !== password)
      throw new HttpError(401, 'unauthenticated', 'Ukjent integrasjon eller feil passord')
    if (
      auth.mode === 'maskinporten' &&
      auth.checkConsumer !== false &&
      token.consumer !== integration.organisasjonsnummer
    )
      throw new HttpError(403, 'forbidden', 'Tokenets consumer er ikke integrasjonens organisasjon')
    ctx.integration = integration
    if (svarinn) {
      const system = world.svarInnSystems().find((s) => integration.svarInnSystemIds.includes(s.id))
      if (!system)
        throw new HttpError(403, 'forbidden', 'Integrasjonen har ikke tilgang til noe mottakersystem')
      ctx.svarInnSystem = system
    }
  }

  const requireKonto = (ctx: Ctx): string => {
    const kontoId = ctx.params.kontoId as string
    if (!ctx.integration?.kontoIds.includes(kontoId) || !world.accounts.some((a) => a.kontoId === kontoId))
      throw new HttpError(403, 'forbidden', 'Integrasjonen har ikke tilgang til kontoen')
    return kontoId
  }

  const ownLetter = (ctx: Ctx) => {
    const state = world.state(ctx.params.forsendelseId as string)
    if (!state || !ctx.integration?.kontoIds.includes(state.kontoId))
      throw new HttpError(404, 'notFound', 'Fant ikke forsendelsen')
    return state
  }

  const svarInnLetter = (ctx: Ctx) => {
    const state = world.state(ctx.params.forsendelseId as string)
    if (!state || state.svarInnSystemId !== ctx.svarInnSystem?.id)
      throw new HttpError(404, 'notFound', 'Fant ikke forsendelsen')
    return state
  }

  const validateBody = (ctx: Ctx, body: unknown): void => {
    const issues = validator.body(ctx.operation, body)
    if (issues.length) throw invalid(issues)
  }

  const handlers: Record<OperationName, (ctx: Ctx) => Promise<void>> = {
    'send.person': (ctx) => handleSend(ctx),
    'send.organisasjon': (ctx) => handleSend(ctx),
    'send.nhn': (ctx) => handleSend(ctx),
    'send.print': (ctx) => handleSend(ctx),
    'status.sok': async (ctx) => {
      const kontoId = requireKonto(ctx)
      const body = await readJson(ctx.req)
      validateBody(ctx, body)
      const ids = ((body as { id?: unknown[] } | undefined)?.id ?? []) as string[]
      if (ids.length > maxStatusIds)
        throw invalid([{ field: 'id', message: `at most ${maxStatusIds} ids per request` }])
      world.settle()
      const statuser = [...new Set(ids)].flatMap((id) => {
        const l = world.state(id)
        if (!l || l.kontoId !== kontoId) return []
        return [{ id: l.id, sisteStatusEndring: isoWithOffset(l.sisteStatusEndring), status: l.status }]
      })
      json(ctx, 200, { statuser })
    },
    hendelser: async (ctx) => {
      const l = ownLetter(ctx)
      json(ctx, 200, {
        hendelser: l.hendelser.map((h) => ({ tidspunkt: isoWithOffset(h.tidspunkt), hendelse: h.hendelse })),
      })
    },
    signeringshendelser: async (ctx) => {
      const l = ownLetter(ctx)
      json(ctx, 200, {
        hendelser: l.signeringshendelser.map((h) => ({
          tidspunkt: isoWithOffset(h.tidspunkt),
          status: h.status,
          hendelse: h.hendelse,
        })),
      })
    },
    metadata: async (ctx) => {
      const l = ownLetter(ctx)
      json(ctx, 200, {
        dokumenter: l.documents.map((d, i) => ({
          filnavn: d.filnavn,
          mimeType: d.mimeType,
          dokumentType: typeof d.meta.dokumentType === 'string' ? d.meta.dokumentType : '',
          storrelse: d.size,
          sha256Hash: d.sha256,
          nedlasningUrl: `${baseUrl}/forsendelse/${l.id}/${i + 1}`,
          kanSigneres: d.meta.skalSigneres === true,
          ...(d.meta.skalSigneres === true
            ? { signeringUrl: `${baseUrl}/forsendelse/${l.id}/${i + 1}/signering` }
            : {}),
          ekstraMetadata: Array.isArray(d.meta.ekstraMetadata) ? d.meta.ekstraMetadata : [],
          inneholderPersonsensitivInformasjon: d.meta.inneholderPersonsensitivInformasjon === true,
        })),
      })
    },
    eksternref: async (ctx) => {
      const kontoId = requireKonto(ctx)
      const found = world.findByEksternReferanse(kontoId, ctx.query.get('eksternRef') ?? '')
      json(ctx, 200, { forsendelseIds: found.map((l) => l.id) })
    },
    'eksternref.metadata': async (ctx) => {
      const kontoId = requireKonto(ctx)
      const found = world.findByEksternReferanse(kontoId, ctx.query.get('eksternRef') ?? '')
      json(ctx, 200, {
        forsendelser: found.map((l) => ({
          id: l.id,
          dato: isoWithOffset(l.mottatt),
          ...(typeof l.forsendelse.avgivendeSystem === 'string'
            ? { avgivendeSystem: l.forsendelse.avgivendeSystem }
            : {}),
        })),
      })
    },
    lest: async (ctx) => {
      const body = await readJson(ctx.req)
      validateBody(ctx, body)
      const l = ownLetter(ctx)
      const b = body as { eksterntSystemnavn?: string }
      world.markReadExternally(l, b.eksterntSystemnavn)
      empty(ctx, 204)
    },
    slett: async (ctx) => {
      const l = ownLetter(ctx)
      const type = ctx.query.get('slettetype') === 'ALLE' ? 'ALLE' : 'ORIGINALDOKUMENTER'
      const paths = world.deleteDocuments(l, type)
      await Promise.all(paths.map((p) => rm(p, { force: true })))
      empty(ctx, 204)
    },
    forsendelsestyper: async (ctx) => {
      json(ctx, 200, { forsendelsestyper: [...world.forsendelsestyper] })
    },
    mottakersystem: async (ctx) => {
      const orgnr = ctx.query.get('organisasjonsnummer')
      const type = ctx.query.get('forsendelseType')
      const niva = ctx.query.get('niva')
      const systems = world
        .svarInnSystems()
        .filter((s) => !orgnr || s.organisasjonsnummer === orgnr)
        .filter((s) => !type || s.forsendelsestyper.length === 0 || s.forsendelsestyper.includes(type))
        .filter((s) => !niva || s.niva >= Number(niva))
      json(ctx, 200, {
        mottakersystemer: systems.map((s) => ({
          id: s.id,
          navn: s.navn,
          organisasjonsnummer: s.organisasjonsnummer,
          forsendelseType: type ?? s.forsendelsestyper[0] ?? '',
          niva: s.niva,
        })),
      })
    },
    'svarinn.v1.list': async (ctx) => {
      const system = ctx.svarInnSystem as MockSvarInnSystem
      json(
        ctx,
        200,
        world
          .svarInnQueue(system.id)
          .map((l) =>
            svarInnV1Item(l, `${baseUrl}/tjenester/svarinn/forsendelse/${l.id}`, avsenderOf(l.kontoId).navn),
          ),
      )
    },
    'svarinn.v2.list': async (ctx) => {
      const system = ctx.svarInnSystem as MockSvarInnSystem
      json(
        ctx,
        200,
        world
          .svarInnQueue(system.id)
          .map((l) =>
            svarInnV2Item(l, `${baseUrl}/tjenester/svarinn/v2/forsendelser/${l.id}`, avsenderOf(l.kontoId)),
          ),
      )
    },
    'svarinn.v1.download': (ctx) => download(ctx),
    'svarinn.v2.download': (ctx) => download(ctx),
    'svarinn.v1.kvitter': async (ctx) => {
      const l = svarInnLetter(ctx)
      world.svarInnReceived(l, (ctx.svarInnSystem as MockSvarInnSystem).navn)
      empty(ctx, 200)
    },
    'svarinn.v1.feilet': async (ctx) => {
      const body = await readJson(ctx.req)
      validateBody(ctx, body)
      const l = svarInnLetter(ctx)
      const b = body as { feilmelding: string; permanent: boolean }
      world.svarInnFailed(l, b.feilmelding, b.permanent)
      empty(ctx, 200)
    },
    'svarinn.v2.status': async (ctx) => {
      const body = await readJson(ctx.req)
      validateBody(ctx, body)
      const l = svarInnLetter(ctx)
      const b = (body ?? {}) as { status?: string; feil?: { feilmelding: string; permanent: boolean } }
      if (b.status === 'MOTTATT') world.svarInnReceived(l, (ctx.svarInnSystem as MockSvarInnSystem).navn)
      else if (b.status === 'FEILET') {
        if (!b.feil) throw invalid([{ field: 'feil', message: 'is required when status is FEILET' }])
        world.svarInnFailed(l, b.feil.feilmelding, b.feil.permanent)
      } else throw invalid([{ field: 'status', message: 'is required' }])
      empty(ctx, 204)
    },
    publickey: async (ctx) => {
      if (ctx.fault?.kind === 'loseResponse') {
        drop(ctx)
        return
      }
      record(ctx, 200)
      ctx.res.writeHead(200, { 'content-type': 'text/plain;charset=UTF-8', 'cache-control': 'no-store' })
      ctx.res.end(keys.certificatePem)
    },
  }

  async function download(ctx: Ctx): Promise<void> {
    const l = svarInnLetter(ctx)
    const system = ctx.svarInnSystem as MockSvarInnSystem
    const docs = l.documents
    if (docs.length === 0) throw new HttpError(404, 'notFound', 'Dokumentene er slettet')
    const single = docs.length === 1 && !options.svarInnAlwaysZip ? docs[0] : undefined
    const plain: AsyncIterable<Uint8Array> = single
      ? createReadStream(single.path)
      : zipStream(
          docs.map((d) => ({ name: d.filnavn, path: d.path, size: d.size, crc32: d.crc32 })),
          new Date(l.mottatt),
        )
    if (ctx.fault?.kind === 'loseResponse') {
      drop(ctx)
      return
    }
    record(ctx, 200)
    const filename = single ? single.filnavn : `${l.id}.zip`
    ctx.res.writeHead(200, {
      'content-type': single ? single.mimeType : 'application/zip',
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`,
      'cache-control': 'no-store',
    })
    await pipeline(Readable.from(encryptCms(plain, certificateFor(system))), ctx.res)
  }

  async function handleSend(ctx: Ctx): Promise<void> {
    const kontoId = requireKonto(ctx)
    const kind = SEND_KIND[ctx.operation] as SendKind
    const fault = ctx.fault
    const received = await receiveMultipart(ctx.req, {
      kind,
      dataDir,
      now: clock.now(),
      validateJson: (value) => validator.body(ctx.operation, value),
      decrypt,
      strict: options.strict !== false,
      ...(fault?.kind === 'resetMidUpload'
        ? {
            onBytes: (n: number) => {
              if (n >= (fault.afterBytes ?? 64 * 1024) && !ctx.dropped) drop(ctx)
            },
          }
        : {}),
    })
    if (ctx.dropped) return
    const letter = world.receive({
      kontoId,
      kind,
      forsendelse: received.forsendelse,
      documents: received.documents,
      intakeFailure: fault?.kind === 'intakeFailure',
    })
    json(ctx, 200, { id: letter.id })
  }

  const serveUi = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const ui = { req, path, operation: 'ui' as const }
    if (req.method === 'GET' && path === '/_mock/style.css') {
      res
        .writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-store' })
        .end(STYLE)
      record(ui, 200)
      return true
    }
    if (req.method === 'GET' && (path === '/' || path === '/brev')) {
      res.writeHead(200, UI_HEADERS).end(lettersPage(world.letters(), clock.now()))
      record(ui, 200)
      return true
    }
    let m = /^\/brev\/([0-9a-f-]{36})$/.exec(path)
    if (req.method === 'GET' && m) {
      const l = world.letter(m[1] as string)
      res.writeHead(l ? 200 : 404, UI_HEADERS).end(l ? letterPage(l) : notFoundPage())
      record(ui, l ? 200 : 404)
      return true
    }
    m = /^\/brev\/([0-9a-f-]{36})\/les$/.exec(path)
    if (req.method === 'POST' && m) {
      req.resume()
      const id = m[1] as string
      if (!world.letter(id)) {
        res.writeHead(404, UI_HEADERS).end(notFoundPage())
        record(ui, 404)
        return true
      }
      world.read(id)
      res.writeHead(303, { location: `/brev/${id}`, 'cache-control': 'no-store' }).end()
      record(ui, 303)
      return true
    }
    if (path.startsWith('/_mock/') && options.controlApi !== false) return controlApi(req, res, path)
    m = /^\/forsendelse\/([0-9a-f-]{36})\/(\d+)$/.exec(path)
    if (req.method === 'GET' && m) {
      const doc = world.letter(m[1] as string)?.documents[Number(m[2]) - 1]
      if (!doc) {
        res.writeHead(404, UI_HEADERS).end(notFoundPage())
        record(ui, 404)
        return true
      }
      res.writeHead(200, {
        'content-type': doc.mimeType,
        'content-length': String(doc.size),
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(doc.filnavn)}`,
        'content-security-policy': 'sandbox',
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      })
      record(ui, 200)
      await pipeline(createReadStream(doc.path), res)
      return true
    }
    return false
  }

  // For the CLI and out-of-process tests: what the handle offers in-process.
  const controlApi = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> => {
    const ui = { req, path, operation: 'ui' as const }
    const answer = (status: number, body?: unknown): true => {
      record(ui, status)
      if (body === undefined) res.writeHead(status, { 'cache-control': 'no-store' }).end()
      else writeJson(res, status, body)
      return true
    }
    try {
      if (req.method === 'GET' && path === '/_mock/letters')
        return answer(
          200,
          world.letters().map((l) => ({
            id: l.id,
            kind: l.kind,
            tittel: l.tittel,
            status: l.status,
            sisteStatusEndring: isoWithOffset(l.sisteStatusEndring),
            eksternReferanse: l.eksternReferanse,
            documents: l.documents.map((d) => ({ filnavn: d.filnavn, size: d.size, sha256: d.sha256 })),
          })),
        )
      if (req.method === 'POST' && path === '/_mock/clock') {
        const body = ((await readJson(req)) ?? {}) as { advanceMs?: unknown; set?: unknown }
        if (typeof body.advanceMs === 'number') clock.advance(body.advanceMs)
        if (typeof body.set === 'string' || typeof body.set === 'number') clock.set(body.set)
        return answer(200, { now: isoWithOffset(clock.now()) })
      }
      if (req.method === 'POST' && path === '/_mock/faults') {
        faults.add((await readJson(req)) as FaultRule)
        return answer(204)
      }
      if (req.method === 'DELETE' && path === '/_mock/faults') {
        req.resume()
        faults.clear()
        return answer(204)
      }
    } catch (error) {
      return answer(400, { message: error instanceof Error ? error.message : 'bad request' })
    }
    return false
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://mock')
    const path = url.pathname
    const matches = ROUTES.filter((r) => r.pattern.test(path))
    const r = matches.find((x) => x.method === req.method)
    if (!r) {
      if (await serveUi(req, res, path)) return
      const ctx = { req, path, operation: 'unknown' as const }
      const status = matches.length ? 405 : 404
      record(ctx, status)
      req.resume()
      writeJson(
        res,
        status,
        fiksErrorBody(
          clock.now(),
          status,
          path,
          status === 405 ? 'Metoden er ikke tillatt' : 'Fant ikke ressursen',
          status === 405 ? 'methodNotAllowed' : 'notFound',
        ),
      )
      return
    }
    const exec = r.pattern.exec(path) as RegExpExecArray
    const params: Record<string, string> = {}
    r.names.forEach((n, i) => {
      params[n] = decodeURIComponent(exec[i + 1] as string)
    })
    const ctx: Ctx = {
      req,
      res,
      operation: r.operation,
      path,
      params,
      query: url.searchParams,
      fault: parseFaultHeader(req.headers[FAULT_HEADER]) ?? faults.take(r.operation),
      dropped: false,
    }
    try {
      const fault = ctx.fault
      if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000))
      if (fault?.kind === 'rateLimit' || fault?.kind === 'unavailable') {
        const seconds = fault.retryAfterSeconds ?? (fault.kind === 'rateLimit' ? 1 : undefined)
        const headers: Record<string, string> = {}
        if (seconds !== undefined)
          headers['retry-after'] = fault.retryAfterAsDate
            ? new Date(clock.now() + seconds * 1000).toUTCString()
            : String(seconds)
        throw fault.kind === 'rateLimit'
          ? new HttpError(429, 'rateLimited', 'For mange forespørsler', undefined, headers)
          : new HttpError(503, 'unavailable', 'Tjenesten er midlertidig utilgjengelig', undefined, headers)
      }
      if (r.operation !== 'publickey') await authenticate(ctx)
      const query: Record<string, string> = {}
      for (const [k, v] of url.searchParams) query[k] = v
      const issues = validator.params(r.operation, { ...query, ...params })
      if (issues.length) throw invalid(issues)
      await handlers[r.operation](ctx)
    } catch (error) {
      if (ctx.dropped) return
      if (error instanceof HttpError) return errorOut(ctx, error)
      errorOut(ctx, new HttpError(500, 'internal', 'Intern feil i SvarUt-mocken'))
    }
  }

  const server = createServer({ requestTimeout: 0, headersTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch(() => {
      res.destroy()
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  baseUrl = `http://${host}:${address.port}`
  const integration = world.integrations[0]
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api`,
    svarInnUrl: `${baseUrl}/tjenester`,
    clock,
    world,
    credentials: {
      kontoId: world.accounts[0]?.kontoId ?? '',
      integrasjonId: integration?.integrasjonId ?? '',
      integrasjonPassord: integration?.passord ?? '',
      token: auth.mode === 'static' ? (auth.token ?? DEFAULT_STATIC_TOKEN) : undefined,
    },
    certificatePem: keys.certificatePem,
    privateKeyPem,
    validation: validator.source,
    validator,
    dataDir,
    setFault: (rule) => faults.add(rule),
    clearFaults: () => faults.clear(),
    letters: () => world.letters(),
    requests: () => [...log],
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      })
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true })
    },
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function pickValidator(specs: string | false | 'auto'): RequestValidator {
  if (specs === false) return builtinValidator()
  if (specs === 'auto') {
    const dir = findSpecsDir()
    return dir ? loadSpecValidator(dir) : builtinValidator()
  }
  return loadSpecValidator(specs)
}

type LetterLike = Pick<
  MockLetter,
  'id' | 'tittel' | 'mottatt' | 'documents' | 'forsendelse' | 'eksternReferanse'
>

function nonEmpty<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== null) out[k] = v
  return out as Partial<T>
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function svarInnV1Item(l: LetterLike, downloadUrl: string, avsender: string): Record<string, unknown> {
  const f = l.forsendelse
  const m = (f.mottaker ?? {}) as Record<string, unknown>
  const a = (m.adresse ?? {}) as Record<string, unknown>
  const svar = f.svarSendesTil as Record<string, unknown> | undefined
  const sa = (svar?.adresse ?? {}) as Record<string, unknown>
  const lenker = Array.isArray(f.lenker) ? (f.lenker as Record<string, unknown>[]) : []
  return nonEmpty({
    id: l.id,
    tittel: l.tittel,
    date: l.mottatt,
    status: 'Klar for mottak',
    niva: f.sikkerhetsniva === 'HOYESTE' ? '4' : '3',
    mottaker: nonEmpty({
      navn: str(m.navn) ?? '',
      orgnr: str(m.digitalId),
      adresse1: str(a.adresselinje1),
      adresse2: str(a.adresselinje2),
      adresse3: str(a.adresselinje3),
      postnr: str(a.postnummer),
      poststed: str(a.poststed),
    }),
    avsender: { navn: avsender },
    filmetadata: l.documents.map((d) =>
      nonEmpty({
        filnavn: d.filnavn,
        mimetype: d.mimeType,
        sha256hash: d.sha256,
        size: d.size,
        dokumentType: str(d.meta.dokumentType),
        ekstraMetadata: Array.isArray(d.meta.ekstraMetadata) ? d.meta.ekstraMetadata : undefined,
      }),
    ),
    svarSendesTil: svar
      ? nonEmpty({
          navn: str(svar.navn) ?? '',
          orgnr: svar.type === 'ORGANISASJON' ? str(svar.digitalId) : undefined,
          adresse1: str(sa.adresselinje1),
          postnr: str(sa.postnummer),
          poststed: str(sa.poststed),
        })
      : undefined,
    svarPaForsendelse: str(f.svarPaForsendelseId),
    forsendelseType: str(f.forsendelsestype),
    eksternRef: l.eksternReferanse,
    korrelasjonsid: str(f.korrelasjonsid),
    lenker: lenker.map((x) =>
      nonEmpty({ urlLenke: str(x.url) ?? '', urlTekst: str(x.tekst) ?? '', ledetekst: str(x.ledetekst) }),
    ),
    downloadUrl,
    avgivendeSystem: str(f.avgivendeSystem),
    avgivendeSystemAktor: str(f.avgivendeSystemAktor),
    taushetsbelagtPost: f.taushetsbelagtPost === true,
    metadataFraAvleverendeSystem: f.metadataFraAvleverendeSystem as Record<string, unknown> | undefined,
  })
}

function svarInnV2Item(
  l: LetterLike,
  nedlastingslenke: string,
  avsender: { navn: string; organisasjonsnummer: string },
): Record<string, unknown> {
  const f = l.forsendelse
  const m = (f.mottaker ?? {}) as Record<string, unknown>
  const a = (m.adresse ?? {}) as Record<string, unknown>
  const svar = f.svarSendesTil as Record<string, unknown> | undefined
  const sa = (svar?.adresse ?? {}) as Record<string, unknown>
  const lenker = Array.isArray(f.lenker) ? (f.lenker as Record<string, unknown>[]) : []
  const postadresse = (navn: unknown, x: Record<string, unknown>) =>
    nonEmpty({
      navn: str(navn) ?? '',
      adresselinje1: str(x.adresselinje1),
      adresselinje2: str(x.adresselinje2),
      adresselinje3: str(x.adresselinje3),
      postnummer: str(x.postnummer),
      poststed: str(x.poststed),
      land: str(x.landkode),
    })
  return nonEmpty({
    id: l.id,
    avsender: { organisasjonsnummer: avsender.organisasjonsnummer, postadresse: { navn: avsender.navn } },
    mottaker: nonEmpty({ organisasjonsnummer: str(m.digitalId), postadresse: postadresse(m.navn, a) }),
    tittel: l.tittel,
    dato: isoWithOffset(l.mottatt),
    sikkerhetsniva: f.sikkerhetsniva === 'HOYESTE' ? 'HOYESTE' : 'BETYDELIG',
    taushetsbelagtPost: f.taushetsbelagtPost === true,
    filer: l.documents.map((d) =>
      nonEmpty({
        filnavn: d.filnavn,
        mimeType: d.mimeType,
        hash: d.sha256,
        storrelse: d.size,
        type: str(d.meta.dokumentType),
        ekstraMetadata: Array.isArray(d.meta.ekstraMetadata) ? d.meta.ekstraMetadata : undefined,
      }),
    ),
    svarSendesTil: svar
      ? nonEmpty({
          organisasjonsnummer: svar.type === 'ORGANISASJON' ? str(svar.digitalId) : undefined,
          postadresse: postadresse(svar.navn, sa),
        })
      : undefined,
    svarPaForsendelse: str(f.svarPaForsendelseId),
    type: str(f.forsendelsestype),
    eksternRef: l.eksternReferanse,
    lenker: lenker.map((x) =>
      nonEmpty({ lenke: str(x.url) ?? '', tekst: str(x.tekst) ?? '', ledetekst: str(x.ledetekst) }),
    ),
    nedlastingslenke,
    avgivendeSystem: str(f.avgivendeSystem),
  })
}
