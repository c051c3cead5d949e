import { redactText, redactUrl, redactValue } from './redact.js'

/**
 * Stable codes of {@link HttpError}.
 *
 * | code | meaning |
 * | --- | --- |
 * | `ERR_HTTP_STATUS` | the server answered with a status that is not a success |
 * | `ERR_RATE_LIMITED` | the server rate-limited the request and it was not (or no longer) retried |
 * | `ERR_TIMEOUT` | an attempt took longer than its timeout |
 * | `ERR_DEADLINE` | the overall deadline passed while the request was queued, in flight or waiting |
 * | `ERR_ABORTED` | the caller's `AbortSignal` aborted |
 * | `ERR_NETWORK` | the connection failed (refused, reset, dropped mid-body, DNS) |
 * | `ERR_RETRY_BUDGET` | the client's retry budget was spent, so a retryable failure was not retried |
 * | `ERR_BODY_TOO_LARGE` | the response body was larger than `maxResponseBytes` |
 * | `ERR_INVALID_BODY` | the response body was not valid JSON |
 * | `ERR_REPEATED_PAGE` | a paginated API returned a page link it had returned before |
 */
export type HttpErrorCode =
  | 'ERR_HTTP_STATUS'
  | 'ERR_RATE_LIMITED'
  | 'ERR_TIMEOUT'
  | 'ERR_DEADLINE'
  | 'ERR_ABORTED'
  | 'ERR_NETWORK'
  | 'ERR_RETRY_BUDGET'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_INVALID_BODY'
  | 'ERR_REPEATED_PAGE'

const CODES: ReadonlySet<string> = new Set<HttpErrorCode>([
  'ERR_HTTP_STATUS',
  'ERR_RATE_LIMITED',
  'ERR_TIMEOUT',
  'ERR_DEADLINE',
  'ERR_ABORTED',
  'ERR_NETWORK',
  'ERR_RETRY_BUDGET',
  'ERR_BODY_TOO_LARGE',
  'ERR_INVALID_BODY',
  'ERR_REPEATED_PAGE',
])

/**
 * Whether the server may have received the request: `'no'` when the failure
 * happened before anything was sent (connection refused, DNS, aborted while
 * queued), `'unknown'` when it happened while the request or its response was
 * on the wire (reset, timeout), `'yes'` when the server answered.
 *
 * A non-idempotent request (a SvarUt send) that failed with `'unknown'` or
 * `'yes'` must be reconciled (for example through `eksternReferanse`) before it
 * is sent again.
 */
export type RequestSent = 'no' | 'unknown' | 'yes'

/** Options for {@link HttpError}. `url` and `body` are redacted by the constructor. */
export interface HttpErrorOptions {
  /** The request method. */
  readonly method: string
  /** The request URL; stored with query values, user info and national identity numbers redacted. */
  readonly url: string
  /** What went wrong, after `METHOD URL`. Scrubbed. A default per code is used when absent. */
  readonly message?: string
  /** The response status, when the server answered. */
  readonly status?: number
  /** Response headers to capture request ids from. */
  readonly headers?: Headers
  /** Names of the headers that carry request ids, in order of preference. */
  readonly requestIdHeaders?: readonly string[]
  /** The parsed (size-capped) response body; stored redacted. */
  readonly body?: unknown
  /** Whether the failure is transient. Defaults per code. */
  readonly retryable?: boolean
  /** How many attempts were made. Default 1. */
  readonly attempts?: number
  /** Whether the server may have seen the request. Default `'yes'` with a status, else `'unknown'`. */
  readonly requestSent?: RequestSent
  /** How long the server asked to wait before retrying, in milliseconds. */
  readonly retryAfter?: number
  /** A vendor-specific reason from a classifier (`userRateLimitExceeded`, `missing-permission`). */
  readonly reason?: string
  /** The underlying error. */
  readonly cause?: unknown
}

/**
 * Request-id headers captured by default, in order of preference. A client's
 * `requestIdHeaders` option adds to them.
 *
 * @example
 * ```ts
 * createHttpClient({ requestIdHeaders: ['x-fiks-request-id'] }) // then these defaults
 * ```
 */
export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = [
  'x-request-id',
  'request-id',
  'x-ms-request-id',
  'client-request-id',
  'x-correlation-id',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-cloud-trace-context',
]

const DEFAULT_MESSAGE: Record<HttpErrorCode, string> = {
  ERR_HTTP_STATUS: 'failed with an error status',
  ERR_RATE_LIMITED: 'was rate limited',
  ERR_TIMEOUT: 'timed out',
  ERR_DEADLINE: 'passed its deadline',
  ERR_ABORTED: 'was aborted by the caller',
  ERR_NETWORK: 'failed on the network',
  ERR_RETRY_BUDGET: 'was not retried: the retry budget is spent',
  ERR_BODY_TOO_LARGE: 'returned a body larger than allowed',
  ERR_INVALID_BODY: 'returned a body that is not valid JSON',
  ERR_REPEATED_PAGE: 'returned a page link it had returned before',
}

const RETRYABLE: Record<HttpErrorCode, boolean> = {
  ERR_HTTP_STATUS: false,
  ERR_RATE_LIMITED: true,
  ERR_TIMEOUT: true,
  ERR_DEADLINE: false,
  ERR_ABORTED: false,
  ERR_NETWORK: true,
  ERR_RETRY_BUDGET: false,
  ERR_BODY_TOO_LARGE: false,
  ERR_INVALID_BODY: false,
  ERR_REPEATED_PAGE: false,
}

/** The plain, redacted form of an {@link HttpError} returned by `toJSON()`. */
export interface HttpErrorJSON {
  readonly name: 'HttpError'
  readonly code: HttpErrorCode
  readonly message: string
  readonly method: string
  readonly url: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly requestIds: Readonly<Record<string, string>>
  readonly retryable: boolean
  readonly attempts: number
  readonly requestSent: RequestSent
  readonly retryAfter: number | undefined
  readonly reason: string | undefined
  readonly body: unknown
  readonly cause: { readonly name: string; readonly message: string; readonly code?: string } | undefined
}

function captureRequestIds(headers: Headers | undefined, names: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {}
  if (headers === undefined) return ids
  for (const name of names) {
    const value = headers.get(name)
    if (value !== null && value !== '') ids[name.toLowerCase()] = redactText(value.slice(0, 200))
  }
  return ids
}

function causeSummary(cause: unknown): HttpErrorJSON['cause'] {
  if (cause === undefined) return undefined
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code
    return {
      name: cause.name,
      message: redactText(cause.message),
      ...(typeof code === 'string' ? { code } : {}),
    }
  }
  return { name: typeof cause, message: redactText(String(cause)) }
}

/**
 * The one error class of `@felles/http`. Every failure of a request (status,
 * timeout, deadline, abort, network, rate limit, retry budget, body size,
 * pagination) is an `HttpError` with a stable {@link HttpErrorCode}.
 *
 * Nothing secret or personal survives into it: the URL keeps only query
 * parameter names, the body is redacted, and the message, `toJSON()` and
 * `util.inspect()` output are scrubbed of tokens, passwords, cookies and
 * national identity numbers.
 *
 * @example
 * ```ts
 * try {
 *   await client.json('/devices')
 * } catch (error) {
 *   if (isHttpError(error) && error.code === 'ERR_RATE_LIMITED') console.warn(error.retryAfter, error.requestId)
 *   throw error
 * }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110 (HTTP semantics)
 */
export class HttpError extends Error {
  override readonly name = 'HttpError' as const
  /** The stable error code. */
  readonly code: HttpErrorCode
  /** The response status, when the server answered. */
  readonly status: number | undefined
  /** The request method. */
  readonly method: string
  /** The request URL with query values, user info and national identity numbers redacted. */
  readonly url: string
  /** The first request id found in the response headers (`x-request-id`, `request-id`, …). */
  readonly requestId: string | undefined
  /** Every request id header found, by lower-case header name. */
  readonly requestIds: Readonly<Record<string, string>>
  /** The parsed response body (JSON or text), size-capped and redacted. */
  readonly body: unknown
  /** Whether the failure is transient: the same request may succeed later. It does not say a retry is safe; see `requestSent`. */
  readonly retryable: boolean
  /** How many attempts were made (0 when none was sent). */
  readonly attempts: number
  /** Whether the server may have received the request. */
  readonly requestSent: RequestSent
  /** How long the server asked to wait before retrying, in milliseconds. */
  readonly retryAfter: number | undefined
  /** A vendor-specific reason from a classifier. */
  readonly reason: string | undefined

  /**
   * @param code - The error code.
   * @param options - What is known about the request and the failure.
   */
  constructor(code: HttpErrorCode, options: HttpErrorOptions) {
    const url = redactUrl(options.url)
    const requestIds = captureRequestIds(
      options.headers,
      options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS,
    )
    const requestId = Object.values(requestIds)[0]
    const attempts = options.attempts ?? 1
    const detail = options.message ?? DEFAULT_MESSAGE[code]
    const tail =
      (attempts > 1 ? ` after ${attempts} attempts` : '') +
      (requestId === undefined ? '' : ` (request id ${requestId})`)
    super(redactText(`${options.method} ${url} ${detail}${tail}`), { cause: options.cause })
    this.code = code
    this.status = options.status
    this.method = options.method
    this.url = url
    this.requestId = requestId
    this.requestIds = requestIds
    this.body = redactValue(options.body)
    this.retryable = options.retryable ?? RETRYABLE[code]
    this.attempts = attempts
    this.requestSent = options.requestSent ?? (options.status === undefined ? 'unknown' : 'yes')
    this.retryAfter = options.retryAfter
    this.reason = options.reason
  }

  /**
   * The redacted, plain form for `JSON.stringify` and structured logs.
   *
   * @returns Every field, the message, and a summary of the cause.
   */
  toJSON(): HttpErrorJSON {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      method: this.method,
      url: this.url,
      status: this.status,
      requestId: this.requestId,
      requestIds: this.requestIds,
      retryable: this.retryable,
      attempts: this.attempts,
      requestSent: this.requestSent,
      retryAfter: this.retryAfter,
      reason: this.reason,
      body: this.body,
      cause: causeSummary(this.cause),
    }
  }
}

// Node's `util.inspect` (and so `console.log`) shows the redacted fields and the
// stack, never the raw cause. Defined on the prototype through the registered
// symbol so the core needs no `node:util` import.
Object.defineProperty(HttpError.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: function inspectHttpError(
    this: HttpError,
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    const { name, message, ...fields } = this.toJSON()
    const frames = (this.stack ?? '')
      .split('\n')
      .filter((line) => /^\s+at /.test(line))
      .join('\n')
    return `${name} [${this.code}]: ${message}${frames === '' ? '' : `\n${frames}`} ${inspect(fields, options)}`
  },
})

/**
 * Type guard for {@link HttpError} that works across duplicate installs (it
 * checks `name` and `code`, not `instanceof`).
 *
 * @param error - Anything caught.
 * @returns `true` for an `HttpError`.
 * @example
 * ```ts
 * if (isHttpError(error) && error.retryable) scheduleLater()
 * ```
 */
export function isHttpError(error: unknown): error is HttpError {
  return (
    error instanceof Error &&
    error.name === 'HttpError' &&
    CODES.has((error as { code?: unknown }).code as string)
  )
}
