import { containsNationalId } from '@felles/identifiers'
import { planRetryDelay } from './backoff.js'
import { type Classifier, type ClassifyInput, defaultClassifier, type Verdict } from './classify.js'
import { type Clock, systemClock } from './clock.js'
import { DEFAULT_REQUEST_ID_HEADERS, HttpError, type HttpErrorCode, type RequestSent } from './errors.js'
import { BodyTooLarge, decodeText, readBody, readText } from './internal/body.js'
import { canAbortByDispatcher, DispatchAbort } from './internal/dispatch-abort.js'
import { Limiter, RetryBudget } from './internal/limiter.js'
import { classifyNetworkError, describeNetworkError } from './internal/network.js'
import { CallScope, link, startTimer } from './internal/scope.js'
import { isSensitiveHeader, redactUrl } from './redact.js'
import { serverRetryDelay } from './retry-after.js'

/** The `fetch` the client calls: the global one by default, or undici's, or a test double. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>

/**
 * Creates a request body for one attempt. The client calls it again for every
 * retry and every redirect that keeps the body, so a streamed upload is read
 * afresh from its source instead of being buffered.
 */
export type BodyFactory = () => BodyInit | Promise<BodyInit>

/** A query parameter value; `undefined` and `null` are left out, arrays repeat the name. */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[]

/** What a {@link TokenProvider} is asked. */
export interface TokenRequest {
  /** Aborts when the request is aborted or passes its deadline. */
  readonly signal: AbortSignal
  /** The token the server just refused with 401; a cache should drop it if it still holds it. */
  readonly rejected?: string
}

/**
 * Supplies the bearer token for each attempt. Use `createTokenCache(...).provider()`
 * for single-flight renewal before expiry.
 */
export type TokenProvider = (request: TokenRequest) => Promise<string> | string

/** How failed attempts are retried. */
export interface RetryOptions {
  /** Attempts in all, the first included. `1` never retries. Default `4`. */
  readonly maxAttempts?: number
  /** Ceiling of the first retry's random wait, in ms. Default `300`. */
  readonly baseDelay?: number
  /** Largest ceiling of a retry's random wait, in ms. Default `30_000`. */
  readonly maxDelay?: number
  /**
   * The longest wait a server may ask for (`Retry-After`, `x-ratelimit-reset`)
   * before the client gives up with an error instead of waiting, in ms. Default `120_000`.
   */
  readonly maxRetryAfter?: number
}

/** A client-wide limit on the extra load retries may add. */
export interface RetryBudgetOptions {
  /** The most retries that can be made in a burst. Default `10`. */
  readonly tokens?: number
  /** The share of a retry each new request earns back. Default `0.1` (one retry per ten requests). */
  readonly ratio?: number
}

/** A request rate limit: at most `requests` attempts started per `interval`, with bursts up to `requests`. */
export interface RateLimitOptions {
  readonly requests: number
  /** The window, in ms. */
  readonly interval: number
}

/** Common fields of every hook event. */
export interface HttpEventBase {
  readonly method: string
  /** The request URL with query values redacted. */
  readonly url: string
}

/** Passed to {@link HttpHooks.onRequest} before each attempt is sent. */
export interface RequestEvent extends HttpEventBase {
  /** The attempt number, from 1. */
  readonly attempt: number
  /** Sets a header on this attempt, for trace propagation (`traceparent`) or a request id. */
  readonly setHeader: (name: string, value: string) => void
}

/** Passed to {@link HttpHooks.onResponse} when an attempt gets response headers. */
export interface ResponseEvent extends HttpEventBase {
  readonly attempt: number
  readonly status: number
  /** Milliseconds from sending to response headers. */
  readonly duration: number
}

/** Passed to {@link HttpHooks.onRetry} before the client waits to retry. */
export interface RetryEvent extends HttpEventBase {
  /** The attempt that failed. */
  readonly attempt: number
  /** How long the client will wait, in ms. */
  readonly delay: number
  /** Why the attempt failed. */
  readonly error: HttpError
}

/** Passed to {@link HttpHooks.onRateLimitWait} when a request waits for a rate limit. */
export interface RateLimitWaitEvent extends HttpEventBase {
  /** `concurrency` or `rate`: the client's own limits; `server`: the server asked (`Retry-After`). */
  readonly source: 'concurrency' | 'rate' | 'server'
  /** The expected wait in ms, when known. */
  readonly delay: number | undefined
}

/**
 * Observability hooks, called synchronously. They see redacted URLs and no
 * header values, so they can log freely; an exception thrown by a hook fails
 * the request.
 */
export interface HttpHooks {
  readonly onRequest?: (event: RequestEvent) => void
  readonly onResponse?: (event: ResponseEvent) => void
  readonly onRetry?: (event: RetryEvent) => void
  readonly onRateLimitWait?: (event: RateLimitWaitEvent) => void
}

/** Options of {@link createHttpClient}. Each can be overridden per request where {@link RequestOptions} has it. */
export interface HttpClientOptions {
  /** Resolved against for relative request URLs; absolute URLs must share its origin. */
  readonly baseUrl?: string | URL
  /** Sent with every request (a request's own headers win). */
  readonly headers?: HeadersInit
  /** Per-attempt timeout in ms, until response headers (and for buffered helpers until the body is read); `false` for none. Default `30_000`. */
  readonly timeout?: number | false
  /** Overall deadline in ms for a call: queueing, every attempt and every wait. Default none. */
  readonly deadline?: number
  /** Retry policy; `false` never retries. */
  readonly retry?: RetryOptions | false
  /** Client-wide retry budget; `false` for none. Default `{ tokens: 10, ratio: 0.1 }`. */
  readonly retryBudget?: RetryBudgetOptions | false
  /** Most attempts in flight at once (a streamed response holds its slot until its body is read or cancelled). Default unlimited. */
  readonly maxConcurrency?: number
  /** Client-side request rate limit. Default none. */
  readonly rateLimit?: RateLimitOptions
  /** Bearer token for every request; on 401 the client asks once more with the refused token and retries once. */
  readonly token?: TokenProvider
  /** Vendor rules for failed responses ({@link googleClassifier}, {@link jamfSchoolClassifier}). */
  readonly classify?: Classifier
  /** Largest body the buffered helpers (`json`, `send`, `text`, `bytes`) read, in bytes. Default 32 MiB. */
  readonly maxResponseBytes?: number
  /** How much of an error response's body is kept on the error, in bytes. Default 64 KiB. */
  readonly maxErrorBodyBytes?: number
  /** Extra response headers that carry request ids (added before the defaults). */
  readonly requestIdHeaders?: readonly string[]
  /** Extra request header names whose values are secret: never logged, dropped on a redirect to another origin. */
  readonly sensitiveHeaders?: readonly string[]
  /** Redirects followed per attempt (`0` returns a 3xx as an error). Secret headers are dropped when a redirect leaves the origin. Default `5`. */
  readonly maxRedirects?: number
  /** Allow a checksum-valid national identity number in a request URL. Default `false`: such a request is refused. */
  readonly allowNationalIdInUrl?: boolean
  /** Observability hooks. */
  readonly hooks?: HttpHooks
  /** The fetch implementation. Default the global `fetch`. */
  readonly fetch?: FetchLike
  /** Time source for every wait. Default {@link systemClock}. */
  readonly clock?: Clock
  /** Random source in [0, 1) for jitter. Default `Math.random`. */
  readonly random?: () => number
}

/** One request. */
export interface RequestOptions {
  /** Relative to `baseUrl`, or absolute with the same origin. */
  readonly url: string | URL
  /** Default `GET`. */
  readonly method?: string
  /** Appended to the URL. */
  readonly query?: Readonly<Record<string, QueryValue>>
  readonly headers?: HeadersInit
  /**
   * The body, or a {@link BodyFactory} that creates it for each attempt. A
   * `ReadableStream` given directly can be sent once only: it is never retried.
   */
  readonly body?: BodyInit | BodyFactory
  /** A value to send as JSON (sets `content-type: application/json`). Not together with `body`. */
  readonly json?: unknown
  /**
   * Whether repeating the request is harmless. Defaults to `true` for GET,
   * HEAD, OPTIONS, TRACE, PUT and DELETE. A request that is not idempotent is
   * retried only after failures that happened before the server could see it.
   */
  readonly idempotent?: boolean
  readonly timeout?: number | false
  readonly deadline?: number
  /** Aborts the call: waiting, queueing, the attempt in flight and any retry. */
  readonly signal?: AbortSignal
  readonly retry?: RetryOptions | false
  readonly classify?: Classifier
  readonly maxResponseBytes?: number
}

/** A parsed response with its metadata. */
export interface HttpResult<T> {
  readonly status: number
  readonly headers: Headers
  /** The final URL (after redirects), unredacted. */
  readonly url: string
  readonly attempts: number
  readonly body: T
}

/** An HTTP client created by {@link createHttpClient}. */
export interface HttpClient {
  /**
   * Sends a request and resolves with the response once its headers arrive;
   * the body is left to the caller to stream. Rejects with {@link HttpError}
   * unless the status is 2xx. The per-attempt timeout ends at the headers; the
   * caller's signal and the deadline keep applying to the body.
   */
  request(options: RequestOptions | string): Promise<Response>
  /** Sends a request and parses the JSON body (`undefined` when empty), with status and headers. */
  send<T = unknown>(options: RequestOptions | string): Promise<HttpResult<T>>
  /** Sends a request and parses the JSON body (`undefined` when empty). */
  json<T = unknown>(options: RequestOptions | string): Promise<T>
  /** Sends a request and reads the body as UTF-8 text. */
  text(options: RequestOptions | string): Promise<string>
  /** Sends a request and reads the body as bytes. */
  bytes(options: RequestOptions | string): Promise<Uint8Array>
}

type Mode = 'stream' | 'json' | 'text' | 'bytes'

interface Outcome {
  readonly response: Response
  readonly body: unknown
  readonly attempts: number
}

/** A failed attempt, before the decision to retry. */
interface Failure {
  readonly code: HttpErrorCode
  readonly message: string
  /** A transient failure worth retrying when safe. */
  readonly transient: boolean
  readonly sent: RequestSent
  readonly verdict?: Verdict
  readonly status?: number
  readonly headers?: Headers
  readonly body?: unknown
  readonly serverDelay?: number
  readonly reason?: string
  readonly cause?: unknown
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])
const REDIRECTS = new Set([301, 302, 303, 307, 308])
const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i
const NEVER = new AbortController().signal
const noop = (): void => {}

function positive(name: string, value: number | undefined, allowZero = false): void {
  if (value === undefined) return
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw new TypeError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number`)
  }
}

function checkRetry(retry: RetryOptions | false | undefined): void {
  if (retry === undefined || retry === false) return
  positive('retry.maxAttempts', retry.maxAttempts)
  positive('retry.baseDelay', retry.baseDelay, true)
  positive('retry.maxDelay', retry.maxDelay, true)
  positive('retry.maxRetryAfter', retry.maxRetryAfter, true)
}

function headerRecord(
  init: HeadersInit | undefined,
  into: Record<string, string> = {},
): Record<string, string> {
  if (init === undefined) return into
  if (init instanceof Headers) {
    init.forEach((value, name) => {
      into[name] = value
    })
  } else if (Array.isArray(init)) {
    for (const [name, value] of init as [string, string][]) into[name.toLowerCase()] = value
  } else {
    for (const [name, value] of Object.entries(init as Record<string, string>))
      into[name.toLowerCase()] = value
  }
  return into
}

function appendQuery(href: string, query: Readonly<Record<string, QueryValue>>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v))
    else params.append(name, String(value))
  }
  const search = params.toString()
  if (search === '') return href
  return `${href}${href.includes('?') ? '&' : '?'}${search}`
}

function isStream(body: unknown): body is ReadableStream {
  return typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
}

function cancelBody(body: BodyInit | undefined): void {
  if (isStream(body) && !body.locked) body.cancel().catch(noop)
}

function statusLine(response: Response): string {
  return response.statusText === '' ? String(response.status) : `${response.status} ${response.statusText}`
}

function parseErrorBody(bytes: Uint8Array, truncated: boolean, contentType: string | null): unknown {
  if (bytes.byteLength === 0) return undefined
  const text = decodeText(bytes)
  if (!truncated && contentType !== null && /json/i.test(contentType)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return truncated ? `${text}…` : text
}

/**
 * Streams `response`'s body through unchanged and calls `done` once when it
 * ends, fails or is cancelled, so the call's resources (the concurrency slot,
 * the deadline timer, the listener on the caller's signal) live exactly as long
 * as the body. A failure while streaming reaches the reader as an `HttpError`.
 */
function onBodyDone(response: Response, done: () => void, mapError: (error: unknown) => unknown): Response {
  const source = response.body
  if (source === null) {
    done()
    return response
  }
  let finished = false
  const finish = (): void => {
    if (finished) return
    finished = true
    done()
  }
  const reader = source.getReader()
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done: end, value } = await reader.read()
          if (end) {
            finish()
            controller.close()
          } else controller.enqueue(value)
        } catch (error) {
          finish()
          controller.error(mapError(error))
        }
      },
      cancel(reason) {
        finish()
        return reader.cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  const wrapped = new Response(body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  Object.defineProperty(wrapped, 'url', { value: response.url })
  return wrapped
}

/**
 * Creates an HTTP client over `fetch` that does the hard parts once for every
 * Felles integration: per-attempt timeouts and an overall deadline, retries
 * with full-jitter backoff that never wait less than the server asked and
 * never repeat a request the server may already have acted on, client-side
 * concurrency and rate limits, bearer tokens renewed on 401, streamed uploads
 * that re-stream on retry, size-capped bodies, and typed errors with secrets
 * and national identity numbers redacted.
 *
 * @param options - Base URL, default headers, limits and hooks.
 * @returns The client.
 * @throws {TypeError} When an option is out of range.
 * @example
 * ```ts
 * const graph = createHttpClient({
 *   baseUrl: 'https://graph.microsoft.com/v1.0',
 *   token: tokens.provider(),
 *   timeout: 10_000,
 *   deadline: 60_000,
 *   maxConcurrency: 4,
 * })
 * const devices = await graph.json<{ value: unknown[] }>({ url: '/deviceManagement/managedDevices', query: { $top: 100 } })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2 (idempotent methods)
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  positive('timeout', options.timeout === false ? undefined : options.timeout)
  positive('deadline', options.deadline)
  positive('maxConcurrency', options.maxConcurrency)
  positive('maxResponseBytes', options.maxResponseBytes, true)
  positive('maxErrorBodyBytes', options.maxErrorBodyBytes, true)
  positive('maxRedirects', options.maxRedirects, true)
  checkRetry(options.retry)
  if (options.rateLimit !== undefined) {
    positive('rateLimit.requests', options.rateLimit.requests)
    positive('rateLimit.interval', options.rateLimit.interval)
  }

  const fetchImpl: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const useDispatcher = options.fetch === undefined
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const hooks = options.hooks ?? {}
  const hasHooks =
    hooks.onRequest !== undefined ||
    hooks.onResponse !== undefined ||
    hooks.onRetry !== undefined ||
    hooks.onRateLimitWait !== undefined
  const baseUrl = options.baseUrl === undefined ? undefined : String(options.baseUrl).replace(/\/+$/, '')
  const baseOrigin = baseUrl === undefined ? undefined : new URL(baseUrl).origin
  const defaultHeaders = headerRecord(options.headers)
  const clientRetry = options.retry === false ? { maxAttempts: 1 } : (options.retry ?? {})
  const requestIdHeaders = [...(options.requestIdHeaders ?? []), ...DEFAULT_REQUEST_ID_HEADERS]
  const sensitive = new Set((options.sensitiveHeaders ?? []).map((h) => h.toLowerCase()))
  const maxRedirects = options.maxRedirects ?? 5
  const maxErrorBody = options.maxErrorBodyBytes ?? 64 * 1024
  const budget =
    options.retryBudget === false
      ? undefined
      : new RetryBudget(options.retryBudget?.tokens ?? 10, options.retryBudget?.ratio ?? 0.1)
  const limiter =
    options.maxConcurrency === undefined && options.rateLimit === undefined
      ? undefined
      : new Limiter({
          maxConcurrency: options.maxConcurrency ?? Number.POSITIVE_INFINITY,
          rate: options.rateLimit,
          clock,
        })

  function resolveUrl(url: string | URL, query: RequestOptions['query']): string {
    const text = String(url)
    let href: string
    if (ABSOLUTE.test(text)) {
      if (baseOrigin !== undefined && new URL(text).origin !== baseOrigin) {
        throw new TypeError(
          `Refusing a request to ${new URL(text).origin}: the client's base URL is ${baseOrigin}`,
        )
      }
      href = text
    } else if (baseUrl === undefined) {
      throw new TypeError('A relative request URL needs the baseUrl option')
    } else {
      href =
        text === '' ? baseUrl : `${baseUrl}${text.startsWith('/') || text.startsWith('?') ? '' : '/'}${text}`
    }
    if (query !== undefined) href = appendQuery(href, query)
    if (options.allowNationalIdInUrl !== true && containsNationalId(href)) {
      throw new TypeError(
        'The request URL contains a national identity number; personal data must not travel in URLs (send it in the body, or set allowNationalIdInUrl)',
      )
    }
    return href
  }

  async function execute(input: RequestOptions | string, mode: Mode): Promise<Outcome> {
    const req: RequestOptions = typeof input === 'string' ? { url: input } : input
    const method = (req.method ?? 'GET').toUpperCase()
    const href = resolveUrl(req.url, req.query)
    if (req.body !== undefined && req.json !== undefined)
      throw new TypeError('Give either body or json, not both')
    checkRetry(req.retry)
    positive('timeout', req.timeout === false ? undefined : req.timeout)
    positive('deadline', req.deadline)
    const retry: RetryOptions =
      req.retry === false
        ? { maxAttempts: 1 }
        : req.retry === undefined
          ? clientRetry
          : { ...clientRetry, ...req.retry }
    const maxAttempts = retry.maxAttempts ?? 4
    const timeout = req.timeout ?? options.timeout ?? 30_000
    const deadline = req.deadline ?? options.deadline
    const classify = req.classify ?? options.classify
    const maxBytes = req.maxResponseBytes ?? options.maxResponseBytes ?? 32 * 1024 * 1024
    const idempotent = req.idempotent ?? IDEMPOTENT.has(method)
    const source = req.json !== undefined ? JSON.stringify(req.json) : req.body
    const replayable = !isStream(source)

    const headers = headerRecord(req.headers, { ...defaultHeaders })
    if (req.json !== undefined && headers['content-type'] === undefined)
      headers['content-type'] = 'application/json'
    if ((mode === 'json' || mode === 'stream') && headers.accept === undefined) {
      headers.accept = mode === 'json' ? 'application/json' : '*/*'
    }

    let safeUrl: string | undefined
    const logUrl = (): string => {
      safeUrl ??= redactUrl(href)
      return safeUrl
    }
    const scope = new CallScope(req.signal, deadline, clock)
    let attempts = 0
    let token: string | undefined
    let rejectedToken: string | undefined
    let refreshed = false
    let keepScope = false

    const error = (
      code: HttpErrorCode,
      fields: Omit<Failure, 'code' | 'transient'> & { retryable?: boolean },
    ) =>
      new HttpError(code, {
        method,
        url: href,
        message: fields.message,
        attempts,
        requestSent: fields.sent,
        requestIdHeaders,
        ...(fields.status === undefined ? {} : { status: fields.status }),
        ...(fields.headers === undefined ? {} : { headers: fields.headers }),
        ...(fields.body === undefined ? {} : { body: fields.body }),
        ...(fields.retryable === undefined ? {} : { retryable: fields.retryable }),
        ...(fields.serverDelay === undefined ? {} : { retryAfter: fields.serverDelay }),
        ...(fields.reason === undefined ? {} : { reason: fields.reason }),
        ...(fields.cause === undefined ? {} : { cause: fields.cause }),
      })

    /** The error for a wait or an attempt cut short by the caller or the deadline; `undefined` when neither. */
    const scopeError = (sent: RequestSent): HttpError | undefined => {
      if (scope.state === 'aborted') {
        return error('ERR_ABORTED', { message: 'was aborted by the caller', sent, cause: req.signal?.reason })
      }
      if (scope.state === 'deadline') {
        return error('ERR_DEADLINE', { message: `passed its deadline of ${deadline} ms`, sent })
      }
      return undefined
    }

    const fail = (f: Failure, note = ''): HttpError =>
      error(f.code, { ...f, message: f.message + note, retryable: f.transient })

    async function resolveBody(): Promise<BodyInit | undefined> {
      return typeof source === 'function' ? await source() : source
    }

    /** One fetch, following redirects by hand so secrets never follow a redirect to another origin. */
    async function fetchFollowing(
      attemptHeaders: Record<string, string>,
      first: BodyInit | undefined,
      signal: AbortSignal | undefined,
      cutter: DispatchAbort | undefined,
    ): Promise<{ response: Response; body: BodyInit | undefined }> {
      let url = href
      let currentMethod = method
      let body = first
      let hdrs = attemptHeaders
      for (let hop = 0; ; hop++) {
        const init: RequestInit & { duplex?: 'half'; dispatcher?: unknown } = {
          method: currentMethod,
          headers: hdrs,
          redirect: 'manual',
        }
        if (signal !== undefined) init.signal = signal
        if (body !== undefined) init.body = body
        if (isStream(body)) init.duplex = 'half'
        let response: Response
        if (cutter === undefined) response = await fetchImpl(url, init)
        else {
          init.dispatcher = cutter.dispatcher
          response = await cutter.guard(fetchImpl(url, init))
        }
        if (!REDIRECTS.has(response.status) || maxRedirects === 0) return { response, body }
        const location = response.headers.get('location')
        if (location === null) return { response, body }
        const next = new URL(location, url)
        const keepsBody = response.status === 307 || response.status === 308
        if (hop >= maxRedirects || !/^https?:$/.test(next.protocol) || (keepsBody && !replayable)) {
          return { response, body }
        }
        await response.body?.cancel().catch(noop)
        if (next.origin !== new URL(url).origin) {
          hdrs = Object.fromEntries(
            Object.entries(hdrs).filter(([name]) => !isSensitiveHeader(name, sensitive)),
          )
        }
        if (keepsBody) body = await resolveBody()
        else {
          if (currentMethod !== 'GET' && currentMethod !== 'HEAD') currentMethod = 'GET'
          body = undefined
          const { 'content-type': _type, 'content-length': _length, ...rest } = hdrs
          hdrs = rest
        }
        url = next.href
      }
    }

    async function readSuccess(response: Response): Promise<unknown> {
      if (mode === 'bytes') return (await readBody(response, maxBytes, 'throw')).bytes
      const text = await readText(response, maxBytes)
      if (mode === 'text') return text
      if (text === '') return undefined
      try {
        return JSON.parse(text)
      } catch (cause) {
        throw new SyntaxError('invalid JSON', { cause })
      }
    }

    /** Decides whether to retry `f`; resolves to wait and go on, or rejects with the final error. */
    async function retryOrThrow(f: Failure): Promise<void> {
      if (
        f.verdict === 'refresh-token' &&
        options.token !== undefined &&
        !refreshed &&
        replayable &&
        scope.state === 'active'
      ) {
        refreshed = true
        rejectedToken = token
        hooks.onRetry?.({ method, url: logUrl(), attempt: attempts, delay: 0, error: fail(f) })
        return
      }
      if (!f.transient) throw fail(f)
      if (!idempotent && f.sent !== 'no') {
        throw fail(f, `; not retried: ${method} is not idempotent and the server may have received it`)
      }
      if (!replayable) {
        throw fail(
          f,
          '; not retried: the body is a one-shot stream (pass a function that creates it to allow retries)',
        )
      }
      if (attempts >= maxAttempts) throw fail(f)
      const plan = planRetryDelay({
        retry: attempts,
        baseDelay: retry.baseDelay ?? 300,
        maxDelay: retry.maxDelay ?? 30_000,
        maxRetryAfter: retry.maxRetryAfter ?? 120_000,
        serverDelay: f.serverDelay,
        remaining: deadline === undefined ? undefined : deadline - (clock.now() - started),
        random,
      })
      if ('stop' in plan) {
        const seconds = Math.ceil(plan.wanted / 1000)
        throw fail(
          f,
          plan.stop === 'deadline'
            ? `; not retried: waiting ${seconds} s would pass the deadline of ${deadline} ms`
            : `; the server asked to wait ${seconds} s, more than maxRetryAfter (${Math.ceil((retry.maxRetryAfter ?? 120_000) / 1000)} s)`,
        )
      }
      if (budget !== undefined && !budget.withdraw()) {
        throw error('ERR_RETRY_BUDGET', {
          ...f,
          message: `${f.message}; not retried: the client's retry budget is spent`,
          cause: fail(f),
        })
      }
      if (hasHooks) {
        hooks.onRetry?.({ method, url: logUrl(), attempt: attempts, delay: plan.wait, error: fail(f) })
        if (f.serverDelay !== undefined) {
          hooks.onRateLimitWait?.({ method, url: logUrl(), source: 'server', delay: plan.wait })
        }
      }
      try {
        await clock.sleep(plan.wait, scope.signal)
      } catch (cause) {
        throw scopeError('no') ?? cause
      }
    }

    const started = clock.now()
    budget?.deposit()
    try {
      for (;;) {
        const aborted = scopeError('no')
        if (aborted !== undefined) throw aborted
        let release = noop
        if (limiter !== undefined) {
          const waitFor = limiter.wouldWait()
          if (waitFor !== undefined) {
            hooks.onRateLimitWait?.({
              method,
              url: logUrl(),
              source: waitFor,
              delay: waitFor === 'rate' ? limiter.rateDelay() : undefined,
            })
          }
          try {
            release = await limiter.acquire(scope.signal)
          } catch (cause) {
            throw scopeError('no') ?? cause
          }
        }
        let attemptHeaders = headers
        let bodyInit: BodyInit | undefined
        try {
          if (options.token !== undefined) {
            const request: TokenRequest =
              rejectedToken === undefined
                ? { signal: scope.signal ?? NEVER }
                : { signal: scope.signal ?? NEVER, rejected: rejectedToken }
            token = await options.token(request)
            attemptHeaders = { ...headers, authorization: `Bearer ${token}` }
          }
          bodyInit = await resolveBody()
          attempts++
          if (hooks.onRequest !== undefined) {
            if (attemptHeaders === headers) attemptHeaders = { ...headers }
            const target = attemptHeaders
            hooks.onRequest({
              method,
              url: logUrl(),
              attempt: attempts,
              setHeader: (name, value) => {
                target[name.toLowerCase()] = value
              },
            })
          }
        } catch (cause) {
          release()
          cancelBody(bodyInit)
          throw scopeError('no') ?? cause
        }

        // An attempt needs its own controller only for its timeout; without one, the
        // call's signal (caller + deadline), or none at all, goes to fetch as it is.
        // With only a timeout, Node's fetch is cut through its dispatcher instead
        // of a signal, which costs it much less (internal/dispatch-abort.ts).
        let timedOut = false
        let signal = scope.signal
        let cutter: DispatchAbort | undefined
        let unlink = noop
        let stopTimer = noop
        if (timeout !== false && signal === undefined && useDispatcher && canAbortByDispatcher()) {
          const attempt = new DispatchAbort()
          cutter = attempt
          stopTimer = startTimer(clock, timeout, () => {
            timedOut = true
            attempt.abort(new DOMException(`The attempt timed out after ${timeout} ms`, 'TimeoutError'))
          })
        } else if (timeout !== false) {
          const controller = new AbortController()
          signal = controller.signal
          if (scope.signal !== undefined) unlink = link(scope.signal, controller)
          stopTimer = startTimer(clock, timeout, () => {
            timedOut = true
            controller.abort(new DOMException(`The attempt timed out after ${timeout} ms`, 'TimeoutError'))
          })
        }
        const cleanup = (): void => {
          stopTimer()
          unlink()
          release()
        }
        const sentAt = hasHooks ? clock.now() : 0

        let response: Response
        try {
          const result = await fetchFollowing(attemptHeaders, bodyInit, signal, cutter)
          response = result.response
          bodyInit = result.body
        } catch (cause) {
          cleanup()
          cancelBody(bodyInit)
          const cut = scopeError('unknown')
          if (cut !== undefined) throw cut
          if (timedOut) {
            await retryOrThrow({
              code: 'ERR_TIMEOUT',
              message: `timed out after ${timeout} ms`,
              transient: true,
              sent: 'unknown',
              cause,
            })
            continue
          }
          const net = classifyNetworkError(cause)
          if (!net.network) throw cause
          await retryOrThrow({
            code: 'ERR_NETWORK',
            message: `failed: ${describeNetworkError(net.code)}`,
            transient: true,
            sent: net.sent,
            cause,
          })
          continue
        }

        if (hooks.onResponse !== undefined) {
          try {
            hooks.onResponse({
              method,
              url: logUrl(),
              attempt: attempts,
              status: response.status,
              duration: clock.now() - sentAt,
            })
          } catch (hookError) {
            cleanup()
            await response.body?.cancel().catch(noop)
            throw hookError
          }
        }

        if (response.ok) {
          if (mode === 'stream') {
            stopTimer()
            stopTimer = noop
            keepScope = true
            const done = (): void => {
              cleanup()
              scope.dispose()
            }
            const bodyError = (cause: unknown): unknown =>
              scopeError('yes') ??
              error('ERR_NETWORK', {
                message: `failed while streaming the response body: ${describeNetworkError(classifyNetworkError(cause).code)}`,
                sent: 'yes',
                status: response.status,
                headers: response.headers,
                cause,
              })
            return { response: onBodyDone(response, done, bodyError), body: undefined, attempts }
          }
          try {
            const body = await readSuccess(response)
            cleanup()
            return { response, body, attempts }
          } catch (cause) {
            cleanup()
            const cut = scopeError('yes')
            if (cut !== undefined) throw cut
            if (cause instanceof BodyTooLarge) {
              throw error('ERR_BODY_TOO_LARGE', {
                message: `returned a body larger than ${cause.limit} bytes (maxResponseBytes)`,
                sent: 'yes',
                status: response.status,
                headers: response.headers,
              })
            }
            if (cause instanceof SyntaxError) {
              throw error('ERR_INVALID_BODY', {
                message: `answered ${statusLine(response)} with a body that is not valid JSON`,
                sent: 'yes',
                status: response.status,
                headers: response.headers,
              })
            }
            await retryOrThrow({
              code: timedOut ? 'ERR_TIMEOUT' : 'ERR_NETWORK',
              message: timedOut
                ? `timed out after ${timeout} ms while reading the response body`
                : `failed while reading the response body: ${describeNetworkError(classifyNetworkError(cause).code)}`,
              transient: true,
              sent: 'yes',
              status: response.status,
              headers: response.headers,
              cause,
            })
            continue
          }
        }

        // Not a success: keep a capped, parsed copy of the body for the classifier and the error.
        let errorBody: unknown
        try {
          const { bytes, truncated } = await readBody(response, maxErrorBody, 'truncate')
          errorBody = parseErrorBody(bytes, truncated, response.headers.get('content-type'))
        } catch {
          errorBody = undefined
        }
        cleanup()
        const cut = scopeError('yes')
        if (cut !== undefined) throw cut
        const classifyInput: ClassifyInput = {
          method,
          status: response.status,
          headers: response.headers,
          body: errorBody,
        }
        const verdict = classify?.(classifyInput) ?? defaultClassifier(classifyInput)
        const rateLimited = verdict.verdict === 'rate-limited'
        const serverDelay =
          verdict.retryAfter ??
          (verdict.verdict === 'fail' && !response.headers.has('retry-after')
            ? undefined
            : serverRetryDelay(response.headers, { now: clock.now(), rateLimitHeaders: rateLimited }))
        await retryOrThrow({
          code: rateLimited ? 'ERR_RATE_LIMITED' : 'ERR_HTTP_STATUS',
          message: `answered ${statusLine(response)}${verdict.reason === undefined ? '' : ` (${verdict.reason})`}`,
          transient: verdict.verdict === 'retry' || rateLimited,
          sent: 'yes',
          verdict: verdict.verdict,
          status: response.status,
          headers: response.headers,
          body: errorBody,
          ...(serverDelay === undefined ? {} : { serverDelay }),
          ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
        })
      }
    } finally {
      if (!keepScope) scope.dispose()
    }
  }

  return {
    async request(options) {
      return (await execute(options, 'stream')).response
    },
    async send<T>(options: RequestOptions | string): Promise<HttpResult<T>> {
      const { response, body, attempts } = await execute(options, 'json')
      return {
        status: response.status,
        headers: response.headers,
        url: response.url,
        attempts,
        body: body as T,
      }
    },
    async json<T>(options: RequestOptions | string): Promise<T> {
      return (await execute(options, 'json')).body as T
    },
    async text(options) {
      return (await execute(options, 'text')).body as string
    },
    async bytes(options) {
      return (await execute(options, 'bytes')).body as Uint8Array
    },
  }
}
