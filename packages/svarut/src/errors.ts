/**
 * Stable codes of {@link SvarUtError}.
 *
 * | code | meaning | retryable |
 * | --- | --- | --- |
 * | `ERR_VALIDATION` | pre-flight validation failed; `field` names the field | no |
 * | `ERR_REMOTE` | SvarUt answered with an error (`status`, `errorId`, `errorCode`, `errorJson`) | 429/5xx |
 * | `ERR_UNAUTHORIZED` | 401: token or integration credentials wrong | no |
 * | `ERR_FORBIDDEN` | 403: the integration lacks access to the account | no |
 * | `ERR_NETWORK` | the connection failed before an answer arrived | depends on the operation |
 * | `ERR_TIMEOUT` | the request or overall deadline ran out | depends on the operation |
 * | `ERR_ABORTED` | the caller's `AbortSignal` fired | no |
 * | `ERR_SEND_OUTCOME_UNKNOWN` | a send may or may not have been accepted and the lookup could not tell | no (resolve first) |
 * | `ERR_DUPLICATE_SEND` | one `eksternReferanse` maps to several letters | no |
 * | `ERR_INVALID_RESPONSE` | SvarUt's answer did not have the documented shape | no |
 * | `ERR_INTEGRITY` | a downloaded file's SHA-256 differs from the metadata | no |
 * | `ERR_CMS_MALFORMED` | not a well-formed CMS EnvelopedData (or truncated) | no |
 * | `ERR_CMS_UNSUPPORTED` | an algorithm this package does not implement | no |
 * | `ERR_CMS_NO_RECIPIENT` | no RecipientInfo could be opened with the given key | no |
 * | `ERR_CMS_DECRYPT` | the content did not decrypt (wrong key, tampered or bad padding) | no |
 * | `ERR_CONFIG` | client configuration is incomplete | no |
 */
export type SvarUtErrorCode =
  | 'ERR_VALIDATION'
  | 'ERR_REMOTE'
  | 'ERR_UNAUTHORIZED'
  | 'ERR_FORBIDDEN'
  | 'ERR_NETWORK'
  | 'ERR_TIMEOUT'
  | 'ERR_ABORTED'
  | 'ERR_SEND_OUTCOME_UNKNOWN'
  | 'ERR_DUPLICATE_SEND'
  | 'ERR_INVALID_RESPONSE'
  | 'ERR_INTEGRITY'
  | 'ERR_CMS_MALFORMED'
  | 'ERR_CMS_UNSUPPORTED'
  | 'ERR_CMS_NO_RECIPIENT'
  | 'ERR_CMS_DECRYPT'
  | 'ERR_CONFIG'

const CODES: ReadonlySet<string> = new Set<SvarUtErrorCode>([
  'ERR_VALIDATION',
  'ERR_REMOTE',
  'ERR_UNAUTHORIZED',
  'ERR_FORBIDDEN',
  'ERR_NETWORK',
  'ERR_TIMEOUT',
  'ERR_ABORTED',
  'ERR_SEND_OUTCOME_UNKNOWN',
  'ERR_DUPLICATE_SEND',
  'ERR_INVALID_RESPONSE',
  'ERR_INTEGRITY',
  'ERR_CMS_MALFORMED',
  'ERR_CMS_UNSUPPORTED',
  'ERR_CMS_NO_RECIPIENT',
  'ERR_CMS_DECRYPT',
  'ERR_CONFIG',
])

/** Options for {@link SvarUtError}. */
export interface SvarUtErrorOptions {
  /** The field (JSON path) that broke a rule, for `ERR_VALIDATION`. */
  readonly field?: string
  /** The validation rule that was broken, for `ERR_VALIDATION`. */
  readonly rule?: string
  /** HTTP status of the remote answer. */
  readonly status?: number
  /** SvarUt's `errorId` (support needs it). */
  readonly errorId?: string
  /** SvarUt's `errorCode`. */
  readonly errorCode?: string
  /** SvarUt's `errorJson`: documented as a string, sent as an object. */
  readonly errorJson?: unknown
  /** Whether repeating the same request may succeed. */
  readonly retryable?: boolean
  /** The `eksternReferanse` of the send concerned (never personal data). */
  readonly eksternReferanse?: string
  readonly cause?: unknown
}

/**
 * The one error class of `@felles/svarut`. Its message never contains a
 * fødselsnummer, token, password or key; remote failures keep SvarUt's
 * `errorId`, `errorCode` and `errorJson`.
 *
 * @example
 * ```ts
 * try { await client.sendToPerson(input) }
 * catch (e) { if (isSvarUtError(e)) console.error(e.code, e.field, e.errorId) }
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export class SvarUtError extends Error {
  override readonly name = 'SvarUtError' as const
  readonly code: SvarUtErrorCode
  readonly field: string | undefined
  readonly rule: string | undefined
  readonly status: number | undefined
  readonly errorId: string | undefined
  readonly errorCode: string | undefined
  readonly errorJson: unknown
  readonly retryable: boolean
  readonly eksternReferanse: string | undefined

  /**
   * @param code - Stable error code.
   * @param message - Human-readable message; must not contain personal data.
   * @param options - Details.
   */
  constructor(code: SvarUtErrorCode, message: string, options: SvarUtErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field
    this.rule = options.rule
    this.status = options.status
    this.errorId = options.errorId
    this.errorCode = options.errorCode
    this.errorJson = options.errorJson
    this.retryable = options.retryable ?? false
    this.eksternReferanse = options.eksternReferanse
  }
}

/**
 * Type guard for {@link SvarUtError} that works across duplicate installs
 * (checks `name` and `code`, not `instanceof`).
 *
 * @param error - Anything caught.
 * @param code - Optionally, the code it must have.
 * @returns `true` for a `SvarUtError` (with that code).
 * @example
 * ```ts
 * if (isSvarUtError(e, 'ERR_VALIDATION')) console.error(e.field)
 * ```
 */
export function isSvarUtError(error: unknown, code?: SvarUtErrorCode): error is SvarUtError {
  if (!(error instanceof Error) || error.name !== 'SvarUtError') return false
  const c = (error as { code?: unknown }).code
  return typeof c === 'string' && CODES.has(c) && (code === undefined || c === code)
}
