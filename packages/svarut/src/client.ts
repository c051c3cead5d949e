import { randomUUID } from 'node:crypto'
import {
  type Clock,
  createHttpClient,
  type FetchLike,
  type HttpClient,
  type HttpHooks,
  isHttpError,
  type RetryOptions,
  systemClock,
  type TokenProvider,
} from '@felles/http'
import { parseNationalId, scrubNationalIds } from '@felles/identifiers'
import { type CertificateInput, certificateToPem, readCertificate } from './cms/certificate.js'
import { encrypt } from './cms/encrypt.js'
import { contentSize, type FileContent, isRepeatable, readContent } from './content.js'
import { resolveEnvironment, type SvarUtEnvironment, type SvarUtUrls } from './environment.js'
import { SvarUtError } from './errors.js'
import { multipart, multipartLength, newBoundary, type Part, toWebStream } from './internal/multipart.js'
import { streamingFetch } from './internal/streaming-fetch.js'
import { createMemoryOutbox, type OutboxRecord, type OutboxStore } from './outbox.js'
import {
  type ForsendelseKind,
  ForsendelseStatuser,
  type NhnForsendelse,
  type OrganisasjonDokument,
  type OrganisasjonForsendelse,
  type PersonDokument,
  type PersonForsendelse,
  type PrintDokument,
  type PrintForsendelse,
  SendForsendelseResponse,
} from './schemas.js'
import {
  isRegression,
  mergeTimeline,
  normaliseStatus,
  type StatusInfo,
  type TimelineEntry,
} from './status.js'
import { assertValidForsendelse, MAX_NHN_BYTES, MAX_PRINTABLE_BYTES } from './validate.js'

/**
 * Supplies the Maskinporten bearer token (scope `ks:fiks`): a `@felles/http`
 * token provider function, or any object with `getToken()` (for example
 * `@felles/maskinporten`'s provider).
 */
export type SvarUtTokenProvider = TokenProvider | { getToken(): Promise<string> | string }

/** How the client resolves a send whose outcome is unknown before sending again. */
export interface ResendOptions {
  /** Sends in all, the first included. Default `3`. */
  readonly maxAttempts?: number
  /** Look-ups by `eksternReferanse` after an ambiguous failure. Default `3`. */
  readonly lookups?: number
  /** Wait before each look-up, in ms, so an upload SvarUt is still processing can land. Default `5_000`. */
  readonly lookupDelay?: number
}

/** Options of {@link createSvarUtClient}. */
export interface SvarUtClientOptions {
  /** `test`, `prod`, or an API base URL (`${mock.url}/api`). */
  readonly environment: SvarUtEnvironment
  /** The SvarUt account (`kontoId`, a UUID). */
  readonly kontoId: string
  /** Fiks integration id (header `IntegrasjonId`). */
  readonly integrationId: string
  /** Fiks integration password (header `IntegrasjonPassord`). Never logged. */
  readonly integrationPassword: string
  /** Maskinporten token provider. */
  readonly token: SvarUtTokenProvider
  /** Outbox recording each send's `eksternReferanse` → id. Default: in memory. */
  readonly outbox?: OutboxStore
  /** Timeout of a send (upload and answer), in ms. Default 16 minutes (SvarUt gives up after 15). */
  readonly sendTimeout?: number
  /** Timeout of other calls, in ms. Default `60_000`. */
  readonly timeout?: number
  /** Retries of safe calls (status, look-ups, v2 reads) by `@felles/http`. */
  readonly retry?: RetryOptions | false
  /** Ids per `status/sok` request. Default `100`. */
  readonly statusBatchSize?: number
  /** Accept synthetic test persons. Default: `true` except in `prod`. */
  readonly allowSyntheticIds?: boolean
  /** SvarUt's certificate for `kryptert` sends. Default: fetched from SvarUt once and cached. */
  readonly svarUtCertificate?: CertificateInput
  /** Makes a new `eksternReferanse` when a send has none. Default `felles-<uuid>`. Must hold no personal data. */
  readonly createReference?: () => string
  readonly resend?: ResendOptions
  readonly fetch?: FetchLike
  /** Time source for every wait (`@felles/http` `Clock`). */
  readonly clock?: Clock
  readonly random?: () => number
  readonly hooks?: HttpHooks
}

/** A document to send: its metadata plus its bytes. */
export type DocumentInput<D> = D & {
  /** The bytes: `{ path }`, buffer, Blob, Node or Web stream. */
  readonly content: FileContent
  /** Size in bytes, for streams (lets the size limits be checked before upload). */
  readonly size?: number
}

/** A letter to a person: {@link PersonForsendelse} with documents carrying their bytes. */
export type PersonLetter = Omit<PersonForsendelse, 'dokumenter'> & {
  readonly dokumenter: readonly DocumentInput<PersonDokument>[]
}
/** A letter to an organisation. */
export type OrganisationLetter = Omit<OrganisasjonForsendelse, 'dokumenter'> & {
  readonly dokumenter: readonly DocumentInput<OrganisasjonDokument>[]
}
/** A print-only letter. */
export type PrintLetter = Omit<PrintForsendelse, 'dokumenter'> & {
  readonly dokumenter: readonly DocumentInput<PrintDokument>[]
}
/** A letter to a recipient in Norsk Helsenett: one PDF ≤ 18 MB. */
export type NhnLetter = NhnForsendelse & {
  readonly dokument: DocumentInput<{ readonly filnavn: string; readonly mimeType?: 'application/pdf' }>
}

/** Per-send options. */
export interface SendOptions {
  readonly signal?: AbortSignal
  /** Overrides the client's send timeout, in ms. */
  readonly timeout?: number
}

/** The outcome of a send. */
export interface SendResult {
  /** SvarUt's forsendelse id. */
  readonly id: string
  readonly eksternReferanse: string
  /** How the id was learnt: SvarUt's answer, a look-up after an ambiguous failure, or the outbox. */
  readonly resolvedBy: 'response' | 'lookup' | 'outbox'
  /** Uploads made (0 when resolved from the outbox or by look-up before sending). */
  readonly uploads: number
}

/** What {@link SvarUtClient.resolvePendingSends} found for one pending send. */
export interface PendingResolution {
  readonly eksternReferanse: string
  readonly kind: ForsendelseKind
  /** `sent`: SvarUt has it (id); `not-found`: it never arrived and can be sent again with the same reference. */
  readonly outcome: 'sent' | 'not-found'
  readonly id?: string
}

/** A status event of {@link SvarUtClient.watchStatus}. */
export interface StatusEvent {
  /** `change` for every new status (the first one too); `regression` when it went backwards. */
  readonly type: 'change' | 'regression'
  readonly status: StatusInfo
  readonly previous: StatusInfo | undefined
}

/**
 * Options of {@link SvarUtClient.watchStatus}. An id SvarUt does not answer
 * for keeps being polled until it does; pass a `signal` to stop early.
 */
export interface WatchOptions {
  /** Poll interval, in ms. Default `60_000`. */
  readonly interval?: number
  readonly signal?: AbortSignal
}

/** An entry of the event history (`hendelser`). */
export interface Hendelse {
  readonly tidspunkt: string
  readonly hendelse: string
}
/** An entry of the signing history. */
export interface Signeringshendelse {
  readonly tidspunkt: string
  readonly hendelse: string
  /** AVVIST_AV_SVARUT, VENTER_SIGNERING, SIGNERT_AV_MOTTAKER, AVVIST_AV_MOTTAKER, UTLOPT, or a newer value. */
  readonly status: string
}
/** Metadata of one document of a letter. */
export interface DokumentMetadata {
  readonly filnavn: string
  readonly mimeType: string
  readonly dokumentType?: string
  readonly storrelse: number
  readonly sha256Hash: string
  readonly nedlasningUrl: string
  readonly kanSigneres: boolean
  readonly signeringUrl?: string
  readonly ekstraMetadata?: readonly { readonly key: string; readonly value: string }[]
  readonly inneholderPersonsensitivInformasjon?: boolean
}
/** A SvarInn receiving system of an organisation. */
export interface Mottakersystem {
  readonly id: string
  readonly navn: string
  readonly organisasjonsnummer: string
  readonly forsendelseType: string
  readonly niva: number
}

/** The SvarUt client made by {@link createSvarUtClient}. */
export interface SvarUtClient {
  /** Sends to a person (fødselsnummer/D-nummer): digital mailbox, else print. */
  sendToPerson(letter: PersonLetter, options?: SendOptions): Promise<SendResult>
  /** Sends to an organisation (organisasjonsnummer): SvarInn, Altinn, else print. */
  sendToOrganisation(letter: OrganisationLetter, options?: SendOptions): Promise<SendResult>
  /** Sends to a recipient in Norsk Helsenett. */
  sendToNhn(letter: NhnLetter, options?: SendOptions): Promise<SendResult>
  /** Sends straight to print and post. */
  sendToPrint(letter: PrintLetter, options?: SendOptions): Promise<SendResult>
  /** Resolves sends left `pending` in the outbox (after a crash) by looking their references up. */
  resolvePendingSends(options?: { readonly signal?: AbortSignal }): Promise<PendingResolution[]>
  /** Current statuses, batched over `status/sok` (ceil(n / batch size) requests). */
  getStatuses(ids: readonly string[], options?: { readonly signal?: AbortSignal }): Promise<StatusInfo[]>
  /** Polls until every letter reaches a final status, yielding changes and regressions. */
  watchStatus(ids: readonly string[], options?: WatchOptions): AsyncGenerator<StatusEvent>
  /** Status, `hendelser` and `signeringshendelser` merged into one timeline. */
  getTimeline(id: string, options?: { readonly signal?: AbortSignal }): Promise<TimelineEntry[]>
  getHendelser(id: string, options?: { readonly signal?: AbortSignal }): Promise<Hendelse[]>
  getSigneringshendelser(
    id: string,
    options?: { readonly signal?: AbortSignal },
  ): Promise<Signeringshendelse[]>
  getMetadata(id: string, options?: { readonly signal?: AbortSignal }): Promise<DokumentMetadata[]>
  /** Ids of the letters sent with this `eksternReferanse` (normally 0 or 1). */
  findByExternalReference(
    eksternReferanse: string,
    options?: { readonly signal?: AbortSignal },
  ): Promise<string[]>
  /** Marks a letter read (stops notification and print). */
  markRead(
    id: string,
    read: { readonly fnr: string; readonly tidspunkt?: Date | string; readonly eksterntSystemnavn?: string },
    options?: { readonly signal?: AbortSignal },
  ): Promise<void>
  /** Deletes the letter's documents. */
  deleteDocuments(
    id: string,
    slettetype: 'ORIGINALDOKUMENTER' | 'ALLE',
    options?: { readonly signal?: AbortSignal },
  ): Promise<void>
  getForsendelsestyper(options?: { readonly signal?: AbortSignal }): Promise<string[]>
  /** Will this organisation receive the letter in SvarInn? Its receiving systems. */
  findMottakersystem(
    query: {
      readonly organisasjonsnummer: string
      readonly forsendelseType?: string
      readonly niva?: number
    },
    options?: { readonly signal?: AbortSignal },
  ): Promise<Mottakersystem[]>
  /** SvarUt's certificate (PEM), fetched once and cached. */
  getSvarUtCertificate(options?: { readonly signal?: AbortSignal }): Promise<string>
  /** The resolved URLs. */
  readonly urls: SvarUtUrls
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const DEFINITE_REJECTION = new Set([400, 401, 403, 404, 405, 409, 413, 415, 422])

function assertId(id: string, name = 'id'): string {
  if (typeof id !== 'string' || !UUID.test(id)) throw new TypeError(`${name} must be a UUID`)
  return encodeURIComponent(id)
}

/**
 * Maps any failure of a call to a {@link SvarUtError}, keeping SvarUt's
 * `errorId`, `errorCode` and `errorJson`.
 *
 * @internal
 */
export function toSvarUtError(error: unknown, eksternReferanse?: string): SvarUtError {
  if (error instanceof SvarUtError) return error
  const ref = eksternReferanse === undefined ? {} : { eksternReferanse }
  if (isHttpError(error)) {
    const body = (error.body !== null && typeof error.body === 'object' ? error.body : {}) as Record<
      string,
      unknown
    >
    const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
    const details = {
      ...ref,
      errorId: str(body.errorId) ?? error.requestId,
      errorCode: str(body.errorCode),
      errorJson: body.errorJson,
      cause: error,
    }
    const clean = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined))
    const message = str(body.message)
    const detail = message === undefined ? undefined : scrubNationalIds(message).slice(0, 300)
    switch (error.code) {
      case 'ERR_ABORTED':
        return new SvarUtError('ERR_ABORTED', 'The call was aborted', clean)
      case 'ERR_TIMEOUT':
      case 'ERR_DEADLINE':
        return new SvarUtError('ERR_TIMEOUT', 'SvarUt did not answer in time', { ...clean, retryable: true })
      case 'ERR_NETWORK':
        return new SvarUtError('ERR_NETWORK', 'The connection to SvarUt failed', {
          ...clean,
          retryable: true,
        })
      case 'ERR_INVALID_BODY':
        return new SvarUtError('ERR_INVALID_RESPONSE', 'SvarUt answered with a body that is not JSON', clean)
      default: {
        const status = error.status
        const base = { ...clean, ...(status === undefined ? {} : { status }) }
        if (status === 401) {
          return new SvarUtError(
            'ERR_UNAUTHORIZED',
            'SvarUt refused the token or integration credentials (401)',
            base,
          )
        }
        if (status === 403) {
          return new SvarUtError('ERR_FORBIDDEN', 'The integration has no access to this account (403)', base)
        }
        return new SvarUtError(
          'ERR_REMOTE',
          `SvarUt answered ${status ?? 'with an error'}${detail ? `: ${detail}` : ''}`,
          { ...base, retryable: status === 429 || (status !== undefined && status >= 500) },
        )
      }
    }
  }
  return new SvarUtError('ERR_NETWORK', 'The call to SvarUt failed', {
    ...ref,
    cause: error,
    retryable: true,
  })
}

/** Whether a failed send may have created a letter (so it must be looked up before any resend). */
function ambiguous(error: unknown): boolean {
  if (!isHttpError(error)) return true
  if (error.requestSent === 'no') return false
  if (error.status !== undefined && DEFINITE_REJECTION.has(error.status)) return false
  return true
}

/**
 * Creates a SvarUt client for REST v3 (send, status) and v2 (history,
 * metadata, look-ups) over `@felles/http`: Maskinporten bearer token plus
 * `IntegrasjonId`/`IntegrasjonPassord` on every call, redacted in errors.
 *
 * Sends are validated completely before any byte is uploaded, stream their
 * files (never buffered, never base64), and are idempotent through
 * `eksternReferanse` and the outbox: after any ambiguous failure the client
 * looks the reference up before it sends again, so a retry never produces a
 * second letter.
 *
 * @param options - Environment, account, integration credentials, token provider.
 * @returns The client.
 * @throws TypeError when a required option is missing.
 * @example
 * ```ts
 * const svarut = createSvarUtClient({ environment: 'test', kontoId, integrationId, integrationPassword, token })
 * const { id } = await svarut.sendToPerson({
 *   tittel: 'Vedtak',
 *   mottaker: { navn: 'Kari Nordmann', digitalId: fnr },
 *   dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: { path: 'vedtak.pdf' } }],
 * })
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export function createSvarUtClient(options: SvarUtClientOptions): SvarUtClient {
  for (const key of ['kontoId', 'integrationId', 'integrationPassword', 'token'] as const) {
    if (!options[key]) throw new TypeError(`createSvarUtClient: ${key} is required`)
  }
  const kontoId = assertId(options.kontoId, 'kontoId')
  const urls = resolveEnvironment(options.environment)
  const clock = options.clock ?? systemClock
  const outbox = options.outbox ?? createMemoryOutbox()
  const sendTimeout = options.sendTimeout ?? 16 * 60_000
  const batchSize = options.statusBatchSize ?? 100
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new TypeError('statusBatchSize must be a positive integer')
  const allowSyntheticIds = options.allowSyntheticIds ?? options.environment !== 'prod'
  const createReference = options.createReference ?? ((): string => `felles-${randomUUID()}`)
  const maxUploads = options.resend?.maxAttempts ?? 3
  const lookups = options.resend?.lookups ?? 3
  const lookupDelay = options.resend?.lookupDelay ?? 5_000
  const provider = options.token
  const token: TokenProvider = typeof provider === 'function' ? provider : () => provider.getToken()

  const http: HttpClient = createHttpClient({
    baseUrl: urls.api,
    headers: { IntegrasjonId: options.integrationId, IntegrasjonPassord: options.integrationPassword },
    sensitiveHeaders: ['IntegrasjonPassord', 'IntegrasjonId'],
    token,
    timeout: options.timeout ?? 60_000,
    clock,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    // Safe calls share the budget; sends are never retried once SvarUt may have seen them.
    retryBudget: false,
  })
  // Sends go through node:http so a streamed body keeps backpressure (see internal/streaming-fetch.ts).
  const uploads: HttpClient =
    options.fetch === undefined
      ? createHttpClient({
          baseUrl: urls.api,
          headers: { IntegrasjonId: options.integrationId, IntegrasjonPassord: options.integrationPassword },
          sensitiveHeaders: ['IntegrasjonPassord', 'IntegrasjonId'],
          token,
          clock,
          fetch: streamingFetch,
          ...(options.random === undefined ? {} : { random: options.random }),
          ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
          retryBudget: false,
        })
      : http

  const call = async <T>(request: Parameters<HttpClient['json']>[0]): Promise<T> => {
    try {
      return await http.json<T>(request)
    } catch (error) {
      throw toSvarUtError(error)
    }
  }

  let certificate: Promise<string> | undefined
  const getSvarUtCertificate = (opts: { readonly signal?: AbortSignal } = {}): Promise<string> => {
    if (options.svarUtCertificate !== undefined) {
      return Promise.resolve(certificateToPem(options.svarUtCertificate))
    }
    certificate ??= (async () => {
      try {
        const pem = await http.text({ url: urls.publicKey, ...(opts.signal ? { signal: opts.signal } : {}) })
        readCertificate(pem)
        return pem
      } catch (error) {
        certificate = undefined
        throw toSvarUtError(error)
      }
    })()
    return certificate
  }

  const findByExternalReference = async (
    eksternReferanse: string,
    opts: { readonly signal?: AbortSignal } = {},
  ): Promise<string[]> => {
    const body = await call<{ forsendelseIds?: unknown }>({
      url: `/v2/kontoer/${kontoId}/forsendelser`,
      query: { eksternRef: eksternReferanse },
      ...(opts.signal ? { signal: opts.signal } : {}),
    })
    if (!Array.isArray(body?.forsendelseIds)) {
      throw new SvarUtError('ERR_INVALID_RESPONSE', 'The eksternRef look-up answer has no forsendelseIds')
    }
    return body.forsendelseIds.filter((x): x is string => typeof x === 'string')
  }

  /** Looks the reference up; `undefined` when SvarUt has no such letter. */
  const lookupOnce = async (ref: string, signal: AbortSignal | undefined): Promise<string | undefined> => {
    const ids = await findByExternalReference(ref, signal ? { signal } : {})
    if (ids.length > 1) {
      throw new SvarUtError('ERR_DUPLICATE_SEND', `${ids.length} letters carry this eksternReferanse`, {
        eksternReferanse: ref,
        errorJson: ids,
      })
    }
    return ids[0]
  }

  const lookupPatiently = async (
    ref: string,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> => {
    for (let i = 0; i < lookups; i++) {
      if (lookupDelay > 0) await clock.sleep(lookupDelay, signal)
      const id = await lookupOnce(ref, signal)
      if (id !== undefined) return id
    }
    return undefined
  }

  const record = (ref: string, kind: ForsendelseKind, state: OutboxRecord['state'], id?: string) => {
    const now = clock.now()
    return outbox.get(ref).then((old) =>
      outbox.put({
        eksternReferanse: ref,
        kind,
        kontoId: options.kontoId,
        state,
        ...(id === undefined ? {} : { id }),
        createdAt: old?.createdAt ?? now,
        updatedAt: now,
      }),
    )
  }

  async function upload(
    kind: ForsendelseKind,
    json: Record<string, unknown>,
    documents: readonly DocumentInput<{ readonly filnavn: string; readonly mimeType?: string }>[],
    cert: string | undefined,
    sendOptions: SendOptions,
    state: { uploadError?: SvarUtError; opened: Set<number> },
  ): Promise<string> {
    const jsonText = Buffer.from(JSON.stringify(json))
    const printable = kind === 'print' || (kind !== 'nhn' && json.kunDigitalLevering !== true)
    const limit =
      kind === 'nhn' ? MAX_NHN_BYTES : printable ? MAX_PRINTABLE_BYTES - 1 : Number.POSITIVE_INFINITY
    const boundary = newBoundary()
    const sizes = await Promise.all(
      documents.map((d) => (d.size === undefined ? contentSize(d.content) : d.size)),
    )
    let counted = 0
    const parts: Part[] = [
      {
        name: 'forsendelse',
        contentType: 'application/json',
        size: jsonText.length,
        body: async function* () {
          yield jsonText
        },
      },
      ...documents.map((d, i): Part => {
        const countsToLimit =
          kind === 'nhn' ||
          (printable && (d as { skalEkskluderesFraUtskrift?: boolean }).skalEkskluderesFraUtskrift !== true)
        return {
          name: kind === 'nhn' ? 'dokument' : 'dokumenter',
          filename: d.filnavn,
          contentType: d.mimeType ?? 'application/pdf',
          size: cert ? undefined : sizes[i],
          body: async function* () {
            if (!isRepeatable(d.content)) {
              if (state.opened.has(i)) {
                throw new SvarUtError(
                  'ERR_SEND_OUTCOME_UNKNOWN',
                  'A stream document cannot be uploaded twice',
                )
              }
              state.opened.add(i)
            }
            const plain = readContent(d.content)
            const source = cert ? encrypt(plain, { certificate: cert }) : plain
            for await (const chunk of source) {
              if (countsToLimit && !cert) {
                counted += chunk.byteLength
                if (counted > limit) {
                  state.uploadError = new SvarUtError(
                    'ERR_VALIDATION',
                    kind === 'nhn'
                      ? 'The NHN document is larger than 18 MB'
                      : 'Printable PDFs together must be smaller than 350 MB',
                    { field: kind === 'nhn' ? 'dokument' : 'dokumenter', rule: 'size-limit' },
                  )
                  throw state.uploadError
                }
              }
              yield chunk
            }
          },
        }
      }),
    ]
    // With node:http a known length avoids chunked encoding (some proxies refuse it).
    const length = uploads !== http ? multipartLength(boundary, parts) : undefined
    const body = await uploads.json<unknown>({
      url: `/v3/kontoer/${kontoId}/forsendelser/${kind}`,
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        ...(length === undefined ? {} : { 'content-length': String(length) }),
      },
      body: () => toWebStream(multipart(boundary, parts)),
      idempotent: false,
      timeout: sendOptions.timeout ?? sendTimeout,
      ...(sendOptions.signal ? { signal: sendOptions.signal } : {}),
    })
    const parsed = SendForsendelseResponse.safeParse(body)
    if (!parsed.success) {
      throw new SvarUtError('ERR_INVALID_RESPONSE', 'SvarUt accepted the send but its answer has no id')
    }
    return parsed.data.id
  }

  async function send(
    kind: ForsendelseKind,
    letter: Record<string, unknown>,
    documents: readonly DocumentInput<{ readonly filnavn: string; readonly mimeType?: string }>[],
    sendOptions: SendOptions = {},
  ): Promise<SendResult> {
    const signal = sendOptions.signal
    const eksternReferanse =
      typeof letter.eksternReferanse === 'string' ? letter.eksternReferanse : createReference()
    const meta = documents.map(({ content: _c, size: _s, ...m }) => m)
    const json: Record<string, unknown> =
      kind === 'nhn' ? { ...letter, eksternReferanse } : { ...letter, eksternReferanse, dokumenter: meta }
    delete json.dokument
    // Pre-flight: nothing is uploaded unless every rule holds.
    await assertValidForsendelse(
      kind,
      { ...json, dokumenter: documents },
      { allowSyntheticIds, now: clock.now() },
    )

    const existing = await outbox.get(eksternReferanse)
    if (existing?.state === 'sent' && existing.id !== undefined) {
      return { id: existing.id, eksternReferanse, resolvedBy: 'outbox', uploads: 0 }
    }
    if (existing?.state === 'pending') {
      // A previous run may have sent it: never upload again before looking.
      const id = await lookupOnce(eksternReferanse, signal)
      if (id !== undefined) {
        await record(eksternReferanse, kind, 'sent', id)
        return { id, eksternReferanse, resolvedBy: 'lookup', uploads: 0 }
      }
    }
    await record(eksternReferanse, kind, 'pending')
    const cert = json.kryptert === true ? await getSvarUtCertificate(signal ? { signal } : {}) : undefined
    const state: { uploadError?: SvarUtError; opened: Set<number> } = { opened: new Set() }
    for (let uploads = 1; ; uploads++) {
      try {
        const id = await upload(kind, json, documents, cert, sendOptions, state)
        await record(eksternReferanse, kind, 'sent', id)
        return { id, eksternReferanse, resolvedBy: 'response', uploads }
      } catch (error) {
        if (state.uploadError) {
          // We cut the upload ourselves: an incomplete multipart body never becomes a letter.
          await record(eksternReferanse, kind, 'rejected')
          throw state.uploadError
        }
        const failure = toSvarUtError(error, eksternReferanse)
        if (failure.code === 'ERR_ABORTED' || signal?.aborted) throw failure
        if (!ambiguous(error) && !(error instanceof SvarUtError)) {
          await record(eksternReferanse, kind, 'rejected')
          throw failure
        }
        let id: string | undefined
        try {
          id = await lookupPatiently(eksternReferanse, signal)
        } catch (lookupError) {
          throw new SvarUtError(
            'ERR_SEND_OUTCOME_UNKNOWN',
            'The send failed ambiguously and the eksternReferanse look-up failed; resolve it before resending',
            { eksternReferanse, cause: lookupError },
          )
        }
        if (id !== undefined) {
          await record(eksternReferanse, kind, 'sent', id)
          return { id, eksternReferanse, resolvedBy: 'lookup', uploads }
        }
        const canResend = uploads < maxUploads && documents.every((d) => isRepeatable(d.content))
        if (!canResend) {
          throw new SvarUtError(
            'ERR_SEND_OUTCOME_UNKNOWN',
            'The send failed and SvarUt has no letter with this eksternReferanse yet; it stays pending in the outbox',
            { eksternReferanse, cause: failure },
          )
        }
        if (isHttpError(error) && error.retryAfter !== undefined) await clock.sleep(error.retryAfter, signal)
      }
    }
  }

  const opt = (o: { readonly signal?: AbortSignal } | undefined) => (o?.signal ? { signal: o.signal } : {})

  const getStatuses = async (
    ids: readonly string[],
    o?: { readonly signal?: AbortSignal },
  ): Promise<StatusInfo[]> => {
    for (const id of ids) assertId(id)
    const out: StatusInfo[] = []
    for (let i = 0; i < ids.length; i += batchSize) {
      const batch = ids.slice(i, i + batchSize)
      const body = await call<unknown>({
        url: `/v3/kontoer/${kontoId}/forsendelser/status/sok`,
        method: 'POST',
        json: { id: batch },
        idempotent: true,
        ...opt(o),
      })
      const parsed = ForsendelseStatuser.safeParse(body)
      if (!parsed.success)
        throw new SvarUtError('ERR_INVALID_RESPONSE', 'status/sok answered without statuser')
      for (const s of parsed.data.statuser) out.push(normaliseStatus(s.id, s.status, s.sisteStatusEndring))
    }
    return out
  }

  async function* watchStatus(ids: readonly string[], o: WatchOptions = {}): AsyncGenerator<StatusEvent> {
    const interval = o.interval ?? 60_000
    const last = new Map<string, StatusInfo>()
    let open = [...new Set(ids)]
    while (open.length > 0) {
      const statuses = await getStatuses(open, opt(o))
      for (const status of statuses) {
        const previous = last.get(status.id)
        if (previous?.status === status.status) continue
        last.set(status.id, status)
        yield {
          type: previous !== undefined && isRegression(previous, status) ? 'regression' : 'change',
          status,
          previous,
        }
      }
      open = open.filter((id) => !last.get(id)?.final)
      if (open.length > 0) await clock.sleep(interval, o.signal)
    }
  }

  const getHendelser = async (id: string, o?: { readonly signal?: AbortSignal }): Promise<Hendelse[]> => {
    const body = await call<{ hendelser?: Hendelse[] }>({
      url: `/v2/forsendelser/${assertId(id)}/hendelser`,
      ...opt(o),
    })
    return body?.hendelser ?? []
  }
  const getSigneringshendelser = async (
    id: string,
    o?: { readonly signal?: AbortSignal },
  ): Promise<Signeringshendelse[]> => {
    const body = await call<{ hendelser?: Signeringshendelse[] }>({
      url: `/v2/forsendelser/${assertId(id)}/signeringshendelser`,
      ...opt(o),
    })
    return body?.hendelser ?? []
  }

  return {
    urls,
    sendToPerson: (letter, o) => send('person', { ...letter }, letter.dokumenter, o),
    sendToOrganisation: (letter, o) => send('organisasjon', { ...letter }, letter.dokumenter, o),
    sendToPrint: (letter, o) => send('print', { ...letter }, letter.dokumenter, o),
    sendToNhn: (letter, o) => {
      const { dokument, ...rest } = letter
      return send('nhn', rest, [{ mimeType: 'application/pdf', ...dokument }], o)
    },
    async resolvePendingSends(o) {
      const out: PendingResolution[] = []
      for (const r of await outbox.pending()) {
        if (r.kontoId !== options.kontoId) continue
        const id = await lookupOnce(r.eksternReferanse, o?.signal)
        if (id !== undefined) {
          await record(r.eksternReferanse, r.kind, 'sent', id)
          out.push({ eksternReferanse: r.eksternReferanse, kind: r.kind, outcome: 'sent', id })
        } else {
          out.push({ eksternReferanse: r.eksternReferanse, kind: r.kind, outcome: 'not-found' })
        }
      }
      return out
    },
    getStatuses,
    watchStatus,
    async getTimeline(id, o) {
      const [status, hendelser, signeringshendelser] = await Promise.all([
        getStatuses([id], o).then((s) => s[0]),
        getHendelser(id, o),
        getSigneringshendelser(id, o),
      ])
      return mergeTimeline({ ...(status ? { status } : {}), hendelser, signeringshendelser })
    },
    getHendelser,
    getSigneringshendelser,
    async getMetadata(id, o) {
      const body = await call<{ dokumenter?: DokumentMetadata[] }>({
        url: `/v2/forsendelser/${assertId(id)}/metadata`,
        ...opt(o),
      })
      return body?.dokumenter ?? []
    },
    findByExternalReference,
    async markRead(id, read, o) {
      const r = parseNationalId(read.fnr, { allowSynthetic: allowSyntheticIds })
      if (!r.valid) {
        throw new SvarUtError('ERR_VALIDATION', `fnr is not a valid fødselsnummer (${r.reason})`, {
          field: 'fnr',
          rule: 'checksum',
        })
      }
      const tidspunkt = read.tidspunkt ?? new Date(clock.now())
      await call({
        url: `/v2/forsendelser/${assertId(id)}/lest`,
        method: 'POST',
        json: {
          fnr: read.fnr,
          tidspunkt: typeof tidspunkt === 'string' ? tidspunkt : tidspunkt.toISOString(),
          ...(read.eksterntSystemnavn === undefined ? {} : { eksterntSystemnavn: read.eksterntSystemnavn }),
        },
        idempotent: true,
        ...opt(o),
      })
    },
    async deleteDocuments(id, slettetype, o) {
      if (slettetype !== 'ORIGINALDOKUMENTER' && slettetype !== 'ALLE') {
        throw new TypeError('slettetype must be ORIGINALDOKUMENTER or ALLE')
      }
      await call({
        url: `/v2/forsendelser/${assertId(id)}/dokumenter`,
        method: 'DELETE',
        query: { slettetype },
        ...opt(o),
      })
    },
    async getForsendelsestyper(o) {
      const body = await call<{ forsendelsestyper?: string[] }>({ url: '/v2/forsendelsestyper', ...opt(o) })
      return body?.forsendelsestyper ?? []
    },
    async findMottakersystem(query, o) {
      const body = await call<{ mottakersystemer?: Mottakersystem[] }>({
        url: '/v2/mottakersystem',
        query: {
          organisasjonsnummer: query.organisasjonsnummer,
          forsendelseType: query.forsendelseType,
          niva: query.niva,
        },
        ...opt(o),
      })
      return body?.mottakersystemer ?? []
    },
    getSvarUtCertificate,
  }
}
