/**
 * Stable codes of {@link MaskinportenError}. The first group comes from
 * getting tokens, the second from checking them (resource servers).
 *
 * | code | when |
 * | --- | --- |
 * | `ERR_INVALID_GRANT` | Maskinporten refused the grant for a reason not listed below (`MP-100` and others) |
 * | `ERR_WRONG_AUDIENCE` | `MP-110`: `aud` is not Maskinporten's issuer of this environment |
 * | `ERR_INVALID_CERTIFICATE` | `MP-120`: the business certificate is unknown, of the wrong environment, or not a business certificate |
 * | `ERR_EXPIRED_KEY` | `MP-121`: the registered key or certificate has expired |
 * | `ERR_JTI_REUSED` | `MP-012`: the assertion's `jti` was used before |
 * | `ERR_X5C_FORMAT` | `x5c` was not an array of base64 DER certificates |
 * | `ERR_CLOCK_SKEW` | the local clock differs from Maskinporten's `Date` header by more than the allowed skew |
 * | `ERR_INVALID_SCOPE` | a scope is unknown or not granted to the client (or to the delegating organisation) |
 * | `ERR_INVALID_CLIENT` | the client id is unknown or not allowed to use this grant |
 * | `ERR_SERVER` | Maskinporten kept answering 5xx (after bounded retries) |
 * | `ERR_NETWORK` | no answer: connection refused, reset or timed out (after bounded retries) |
 * | `ERR_INVALID_RESPONSE` | the answer could not be understood (not JSON, no `access_token`) |
 * | `ERR_METADATA` | the issuer's metadata could not be read or names another issuer |
 * | `ERR_KEY` | the private key or certificate could not be loaded or used |
 * | `ERR_TOKEN_MISSING` | a request to a protected API carried no bearer token |
 * | `ERR_TOKEN_MALFORMED` | the `Authorization` header is not one well-formed bearer token |
 * | `ERR_TOKEN_INVALID` | signature, algorithm, issuer or audience of an access token is wrong |
 * | `ERR_TOKEN_EXPIRED` | the access token has expired (or is not valid yet) |
 * | `ERR_INSUFFICIENT_SCOPE` | the access token lacks a required scope |
 * | `ERR_WRONG_CONSUMER` | the access token's `consumer` organisation is not an allowed one |
 * | `ERR_JWKS` | the issuer's keys could not be fetched |
 * | `ERR_INTROSPECTION` | the introspection endpoint failed or answered nonsense |
 */
export type MaskinportenErrorCode =
  | 'ERR_INVALID_GRANT'
  | 'ERR_WRONG_AUDIENCE'
  | 'ERR_INVALID_CERTIFICATE'
  | 'ERR_EXPIRED_KEY'
  | 'ERR_JTI_REUSED'
  | 'ERR_X5C_FORMAT'
  | 'ERR_CLOCK_SKEW'
  | 'ERR_INVALID_SCOPE'
  | 'ERR_INVALID_CLIENT'
  | 'ERR_SERVER'
  | 'ERR_NETWORK'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_METADATA'
  | 'ERR_KEY'
  | 'ERR_TOKEN_MISSING'
  | 'ERR_TOKEN_MALFORMED'
  | 'ERR_TOKEN_INVALID'
  | 'ERR_TOKEN_EXPIRED'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_WRONG_CONSUMER'
  | 'ERR_JWKS'
  | 'ERR_INTROSPECTION'

/** Every {@link MaskinportenErrorCode}, for exhaustive checks. */
export const MASKINPORTEN_ERROR_CODES: readonly MaskinportenErrorCode[] = Object.freeze([
  'ERR_INVALID_GRANT',
  'ERR_WRONG_AUDIENCE',
  'ERR_INVALID_CERTIFICATE',
  'ERR_EXPIRED_KEY',
  'ERR_JTI_REUSED',
  'ERR_X5C_FORMAT',
  'ERR_CLOCK_SKEW',
  'ERR_INVALID_SCOPE',
  'ERR_INVALID_CLIENT',
  'ERR_SERVER',
  'ERR_NETWORK',
  'ERR_INVALID_RESPONSE',
  'ERR_METADATA',
  'ERR_KEY',
  'ERR_TOKEN_MISSING',
  'ERR_TOKEN_MALFORMED',
  'ERR_TOKEN_INVALID',
  'ERR_TOKEN_EXPIRED',
  'ERR_INSUFFICIENT_SCOPE',
  'ERR_WRONG_CONSUMER',
  'ERR_JWKS',
  'ERR_INTROSPECTION',
] as const)

const CODES: ReadonlySet<string> = new Set(MASKINPORTEN_ERROR_CODES)

/** Options of {@link MaskinportenError}. */
export interface MaskinportenErrorOptions {
  /** HTTP status of the answer that caused the error, if any. */
  readonly status?: number
  /** OAuth `error` value (`invalid_grant`, `invalid_scope`, …). */
  readonly error?: string
  /** The `MP-xxx` code found in `error_description`. */
  readonly mpCode?: string
  /** Maskinporten's `error_description`, with secrets and national identity numbers removed. */
  readonly description?: string
  /** A correlation id from the server (`x-correlation-id`, `request-id`), for Digdir's support. */
  readonly requestId?: string
  /** Whether trying again later may succeed. Default false. */
  readonly retryable?: boolean
  /** Scopes a 403 `insufficient_scope` answer should name. */
  readonly requiredScopes?: readonly string[]
  readonly cause?: unknown
}

/**
 * The one error class of `@felles/maskinporten`. `code` is stable (a closed
 * union); `message` explains the documented cause in plain words. No private
 * key, assertion, access token or national identity number is ever part of
 * the message or of an enumerable field.
 *
 * @example
 * ```ts
 * try {
 *   await client.getToken()
 * } catch (e) {
 *   if (isMaskinportenError(e) && e.code === 'ERR_CLOCK_SKEW') alertOps(e.message)
 *   throw e
 * }
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_feilsoking
 */
export class MaskinportenError extends Error {
  override readonly name = 'MaskinportenError' as const
  readonly code: MaskinportenErrorCode
  readonly status: number | undefined
  readonly error: string | undefined
  readonly mpCode: string | undefined
  readonly description: string | undefined
  readonly requestId: string | undefined
  readonly retryable: boolean
  readonly requiredScopes: readonly string[] | undefined

  /**
   * @param code - The stable code.
   * @param message - A message without secrets or personal data.
   * @param options - Details from the server.
   */
  constructor(code: MaskinportenErrorCode, message: string, options: MaskinportenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.status = options.status
    this.error = options.error
    this.mpCode = options.mpCode
    this.description = options.description
    this.requestId = options.requestId
    this.retryable = options.retryable ?? false
    this.requiredScopes = options.requiredScopes
  }
}

/**
 * Type guard for {@link MaskinportenError} that works across duplicate
 * installs: it checks `name` and `code`, not `instanceof`.
 *
 * @param error - Anything caught.
 * @param code - Only match this code.
 * @returns `true` for a `MaskinportenError` (with that code).
 * @example
 * ```ts
 * if (isMaskinportenError(e, 'ERR_INVALID_SCOPE')) console.error(e.message)
 * ```
 */
export function isMaskinportenError(
  error: unknown,
  code?: MaskinportenErrorCode,
): error is MaskinportenError {
  if (!(error instanceof Error) || error.name !== 'MaskinportenError') return false
  const actual = (error as { code?: unknown }).code
  return typeof actual === 'string' && CODES.has(actual) && (code === undefined || actual === code)
}
