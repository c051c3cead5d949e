/**
 * @internal The fetch openid-client gets: the app's own (tracing, proxies)
 * when it gives one, else none, so openid-client calls the global `fetch`
 * itself. No wrapper sits on the hot path: a 5xx answer is recognised from
 * openid-client's error instead (see {@link isTransportError}). Timeouts
 * come from openid-client's own per-request signal (which also covers
 * reading the body), set from `httpTimeoutMs`.
 */
export function createProviderFetch(
  base: typeof fetch | undefined,
): ((url: string, options: RequestInit) => Promise<Response>) | undefined {
  return base === undefined ? undefined : (url, options) => base(url, options)
}

function serverErrorStatus(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const status = (value as { status?: unknown }).status
  return typeof status === 'number' && status >= 500 && status <= 599
}

/**
 * @internal Whether an error means the provider could not be reached or failed
 * (not a protocol error): a network failure, a timeout, or an HTTP 5xx answer
 * (openid-client raises those as a `ResponseBodyError` with the status, or as
 * an error whose cause is the `Response`). openid-client wraps fetch failures,
 * so the cause chain is searched.
 */
export function isTransportError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT') return true
    if (
      current.name === 'AbortError' ||
      current.name === 'TimeoutError' ||
      current.message === 'fetch failed'
    ) {
      return true
    }
    if (current.name === 'ResponseBodyError' && serverErrorStatus(current)) return true
    if (serverErrorStatus((current as { response?: unknown }).response)) return true
    const cause = current.cause
    if (typeof Response !== 'undefined' && cause instanceof Response && serverErrorStatus(cause)) return true
    current = cause
  }
  return false
}
