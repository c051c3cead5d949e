/** @internal Raised by the relying party's fetch for a 5xx answer, so the failure is never mistaken for a bad token. */
export class UpstreamStatusError extends Error {
  override readonly name = 'UpstreamStatusError'
  readonly status: number
  constructor(status: number) {
    super(`the provider answered HTTP ${status}`)
    this.status = status
  }
}

/**
 * @internal A fetch for openid-client that turns 5xx answers into errors.
 * Timeouts come from openid-client's own per-request signal (which also
 * covers reading the body), set from `httpTimeoutMs`; this wrapper adds no
 * timer, buffer or signal of its own on the hot path.
 */
export function createProviderFetch(
  base: typeof fetch,
): (url: string, options: RequestInit) => Promise<Response> {
  return async (url, options) => {
    const response = await base(url, options)
    if (response.status >= 500) {
      await response.body?.cancel().catch(() => {})
      throw new UpstreamStatusError(response.status)
    }
    return response
  }
}

/**
 * @internal Whether an error means the provider could not be reached or failed
 * (not a protocol error). openid-client wraps fetch failures, so the cause
 * chain is searched.
 */
export function isTransportError(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if (current instanceof UpstreamStatusError) return true
    const code = (current as { code?: unknown }).code
    if (code === 'OAUTH_TIMEOUT' || code === 'OAUTH_ABORT') return true
    if (
      current.name === 'AbortError' ||
      current.name === 'TimeoutError' ||
      current.message === 'fetch failed'
    ) {
      return true
    }
    current = current.cause
  }
  return false
}
