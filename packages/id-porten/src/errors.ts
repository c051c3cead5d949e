/**
 * Stable codes of {@link IdPortenError}. New codes may be added in minor
 * releases; existing codes never change meaning.
 */
export type IdPortenErrorCode =
  | 'ERR_DISCOVERY_FAILED'
  | 'ERR_ISSUER_MISMATCH'
  | 'ERR_PKCE_UNSUPPORTED'
  | 'ERR_PAR_FAILED'
  | 'ERR_TRANSACTION_MISSING'
  | 'ERR_TRANSACTION_REPLAYED'
  | 'ERR_STATE_MISMATCH'
  | 'ERR_MIX_UP'
  | 'ERR_AUTHORIZATION_DENIED'
  | 'ERR_TOKEN_REQUEST_FAILED'
  | 'ERR_ID_TOKEN_INVALID'
  | 'ERR_ACR_TOO_LOW'
  | 'ERR_PID_INVALID'
  | 'ERR_PID_MISSING'
  | 'ERR_SID_MISSING'
  | 'ERR_AUTH_TIME'
  | 'ERR_CLAIMS_INVALID'
  | 'ERR_REFRESH_FAILED'
  | 'ERR_NO_SESSION'
  | 'ERR_CSRF'

/** HTTP status a relying party answers with for each code (used by the built-in error page). */
const STATUS: { readonly [C in IdPortenErrorCode]: number } = {
  ERR_DISCOVERY_FAILED: 503,
  ERR_ISSUER_MISMATCH: 500,
  ERR_PKCE_UNSUPPORTED: 500,
  ERR_PAR_FAILED: 502,
  ERR_TRANSACTION_MISSING: 400,
  ERR_TRANSACTION_REPLAYED: 400,
  ERR_STATE_MISMATCH: 400,
  ERR_MIX_UP: 400,
  ERR_AUTHORIZATION_DENIED: 403,
  ERR_TOKEN_REQUEST_FAILED: 502,
  ERR_ID_TOKEN_INVALID: 400,
  ERR_ACR_TOO_LOW: 403,
  ERR_PID_INVALID: 403,
  ERR_PID_MISSING: 403,
  ERR_SID_MISSING: 400,
  ERR_AUTH_TIME: 400,
  ERR_CLAIMS_INVALID: 400,
  ERR_REFRESH_FAILED: 401,
  ERR_NO_SESSION: 401,
  ERR_CSRF: 403,
}

/** Options for {@link IdPortenError}. */
export interface IdPortenErrorOptions {
  /**
   * The underlying failure. Pass only sanitised errors: the relying party
   * replaces errors from openid-client (whose fields may hold tokens or claims)
   * with a copy that keeps only `name`, `code` and `message`.
   */
  readonly cause?: unknown
  /** For `ERR_AUTHORIZATION_DENIED`: the OAuth `error` code, when it is a well-formed code. */
  readonly oauthError?: string
  /** Whether trying again (a new login, a new refresh) may succeed. Default `false`. */
  readonly retryable?: boolean
}

/**
 * The error type of `@felles/id-porten`. Its `code` is stable; its message
 * never contains a token, a code, a national identity number or any other
 * claim value.
 *
 * @example
 * ```ts
 * try { await auth.accessToken(session) }
 * catch (e) { if (isIdPortenError(e) && e.code === 'ERR_REFRESH_FAILED') {  } }
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_guide_idporten
 */
export class IdPortenError extends Error {
  override readonly name = 'IdPortenError' as const
  /** The stable code. */
  readonly code: IdPortenErrorCode
  /** HTTP status the built-in error page uses. */
  readonly status: number
  /** Whether a new attempt may succeed. */
  readonly retryable: boolean
  /** The provider's `error` code for `ERR_AUTHORIZATION_DENIED` (for example `access_denied`). */
  readonly oauthError: string | undefined

  /**
   * @param code - The stable code.
   * @param message - A message without personal data or tokens.
   * @param options - Cause, OAuth error code, retryability.
   */
  constructor(code: IdPortenErrorCode, message: string, options: IdPortenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = STATUS[code]
    this.retryable = options.retryable ?? false
    this.oauthError = options.oauthError
  }
}

/**
 * Type guard for {@link IdPortenError} that works across duplicate installs
 * (it checks `name` and `code`, not `instanceof`).
 *
 * @param error - Anything caught.
 * @returns `true` for an `IdPortenError`.
 * @example
 * ```ts
 * if (isIdPortenError(e)) console.error(e.code)
 * ```
 */
export function isIdPortenError(error: unknown): error is IdPortenError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { name?: unknown }).name === 'IdPortenError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    Object.hasOwn(STATUS, (error as { code: string }).code)
  )
}

/**
 * @internal Copies only the harmless parts of an error from a dependency:
 * openid-client's errors carry the response, parameters or JWT claims in
 * enumerable fields, which must not reach logs.
 */
export function sanitizedCause(error: unknown): Error | undefined {
  if (!(error instanceof Error)) return undefined
  const copy = new Error(scrubMessage(error.message))
  copy.name = error.name
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') Object.defineProperty(copy, 'code', { value: code, enumerable: true })
  const status = (error as { status?: unknown }).status
  if (typeof status === 'number') Object.defineProperty(copy, 'status', { value: status, enumerable: true })
  return copy
}

// Messages from openid-client name claims, not values; drop anything that looks
// like a JWT, a long opaque token or an 11-digit number just in case.
function scrubMessage(message: string): string {
  return message
    .replace(/[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(\.[A-Za-z0-9_-]*)?/g, '[redacted]')
    .replace(/\b\d{11}\b/g, '[redacted]')
    .replace(/[A-Za-z0-9_-]{32,}/g, '[redacted]')
}
