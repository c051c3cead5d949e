/**
 * What to do with a response that is not a success:
 * - `retry`: a transient failure; retried with backoff when that is safe.
 * - `rate-limited`: the server is shedding load; retried after the wait it asks for (or backoff).
 * - `refresh-token`: the credentials were refused; retried once with a fresh token when the client has a token provider.
 * - `fail`: final.
 */
export type Verdict = 'retry' | 'rate-limited' | 'refresh-token' | 'fail'

/** A classifier's answer. */
export interface Classification {
  readonly verdict: Verdict
  /** A vendor-specific reason, copied to `HttpError.reason` (`userRateLimitExceeded`, `missing-permission`). */
  readonly reason?: string
  /** Overrides the wait the headers ask for, in milliseconds. */
  readonly retryAfter?: number
}

/** What a classifier sees of a response that is not a success (2xx). */
export interface ClassifyInput {
  readonly method: string
  readonly status: number
  readonly headers: Headers
  /** The body, parsed as JSON when it is JSON, else text; size-capped; `undefined` when empty or unreadable. */
  readonly body: unknown
}

/**
 * A per-vendor hook that decides how a failed response is treated. Return
 * `undefined` to leave the decision to {@link defaultClassifier}.
 */
export type Classifier = (input: ClassifyInput) => Classification | undefined

/**
 * The default rules: 429 is a rate limit; 408, 500, 502, 503 and 504 are
 * transient; 401 asks for a fresh token; everything else is final.
 *
 * @param input - The response.
 * @returns The classification.
 * @example
 * ```ts
 * defaultClassifier({ method: 'GET', status: 503, headers: new Headers(), body: undefined }) // { verdict: 'retry' }
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-15 and https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
export function defaultClassifier(input: ClassifyInput): Classification {
  switch (input.status) {
    case 429:
      return { verdict: 'rate-limited' }
    case 401:
      return { verdict: 'refresh-token' }
    case 408:
    case 500:
    case 502:
    case 503:
    case 504:
      return { verdict: 'retry' }
    default:
      return { verdict: 'fail' }
  }
}

const GOOGLE_RATE_REASONS = new Set([
  'rateLimitExceeded',
  'userRateLimitExceeded',
  'quotaExceeded',
  'RATE_LIMIT_EXCEEDED',
])

function googleReason(body: unknown): string | undefined {
  const error = (body as { error?: { errors?: unknown; details?: unknown } } | undefined)?.error
  if (error === undefined || error === null || typeof error !== 'object') return undefined
  const lists = [error.errors, error.details].filter(Array.isArray) as unknown[][]
  for (const list of lists) {
    for (const item of list) {
      const reason = (item as { reason?: unknown } | null)?.reason
      if (typeof reason === 'string' && GOOGLE_RATE_REASONS.has(reason)) return reason
    }
  }
  return undefined
}

/**
 * Google Workspace APIs (Admin SDK Directory) answer quota exhaustion with
 * 403 and a reason of `userRateLimitExceeded`, `rateLimitExceeded` or
 * `quotaExceeded`, not 429. This classifier treats those as rate limits (so they
 * are retried with backoff) and leaves other 403s final.
 *
 * @param input - The response.
 * @returns A rate-limit classification for Google's quota 403s, else `undefined`.
 * @example
 * ```ts
 * const google = createHttpClient({ baseUrl: 'https://admin.googleapis.com', classify: googleClassifier })
 * ```
 * @see https://developers.google.com/admin-sdk/directory/v1/limits
 */
export const googleClassifier: Classifier = (input) => {
  if (input.status !== 403) return undefined
  const reason = googleReason(input.body)
  return reason === undefined ? undefined : { verdict: 'rate-limited', reason }
}

/**
 * Jamf School answers 405 when the API key lacks the permission for an
 * endpoint. This classifier makes that a final failure with reason
 * `missing-permission`, so the error says what to fix.
 *
 * @param input - The response.
 * @returns A final classification for 405, else `undefined`.
 * @example
 * ```ts
 * const jamf = createHttpClient({ baseUrl: 'https://example.jamfcloud.com/api', classify: jamfSchoolClassifier })
 * ```
 * @see https://developer.jamf.com/jamf-school/docs
 */
export const jamfSchoolClassifier: Classifier = (input) =>
  input.status === 405 ? { verdict: 'fail', reason: 'missing-permission' } : undefined

/**
 * Chains classifiers: the first that returns an answer wins.
 *
 * @param classifiers - Classifiers in order.
 * @returns One classifier.
 * @example
 * ```ts
 * const classify = combineClassifiers(googleClassifier, (r) => (r.status === 409 ? { verdict: 'retry' } : undefined))
 * ```
 */
export function combineClassifiers(...classifiers: readonly Classifier[]): Classifier {
  return (input) => {
    for (const classify of classifiers) {
      const answer = classify(input)
      if (answer !== undefined) return answer
    }
    return undefined
  }
}
