import type { TokenProvider, TokenRequest } from './client.js'
import { type Clock, systemClock } from './clock.js'

/** What a token fetcher returns: the token and when it expires (one of `expiresIn` or `expiresAt`). */
export interface FetchedToken {
  readonly token: string
  /** Lifetime in seconds from now, as OAuth's `expires_in`. */
  readonly expiresIn?: number
  /** Expiry as epoch milliseconds. */
  readonly expiresAt?: number
}

/** Fetches a new token for `key`. Called at most once at a time per key. */
export type FetchToken = (key: string, context: { readonly signal: AbortSignal }) => Promise<FetchedToken>

/** Options of {@link createTokenCache}. */
export interface TokenCacheOptions {
  /**
   * Renew this many ms before expiry. Capped at half the token's lifetime so a
   * short-lived token is not renewed on every call. Default `60_000`.
   */
  readonly refreshBefore?: number
  /** Time source. Default {@link systemClock}. */
  readonly clock?: Clock
}

/** Options of {@link TokenCache.get}. */
export interface TokenGetOptions {
  /** Stops this caller waiting; the fetch goes on while other callers wait for it. */
  readonly signal?: AbortSignal
  /** A token the server refused: fetch a new one unless the cache has already moved on. */
  readonly rejected?: string
}

/** A cache of tokens by key with single-flight renewal, from {@link createTokenCache}. */
export interface TokenCache {
  /** A valid token for `key` (default `'default'`), fetching one when none is cached or it is due for renewal. */
  get(key?: string, options?: TokenGetOptions): Promise<string>
  /** Forgets the token for `key` (all keys when omitted). */
  invalidate(key?: string): void
  /** A {@link TokenProvider} for `createHttpClient({ token })` that uses `key`. */
  provider(key?: string): TokenProvider
}

interface Entry {
  token: string
  refreshAt: number
  expiresAt: number
}

interface Flight {
  promise: Promise<Entry>
  readonly controller: AbortController
  waiters: number
}

/**
 * Caches tokens (Maskinporten, Entra ID, Jamf) by key. However many callers
 * ask at once, one fetch per key is in flight; a token is renewed
 * `refreshBefore` ms before it expires; a token a server refused (401) is
 * replaced once, not once per caller. When every waiting caller has aborted,
 * the fetch is aborted too.
 *
 * @param fetchToken - Fetches a token for a key.
 * @param options - Renewal margin and clock.
 * @returns The cache.
 * @throws {TypeError} When `fetchToken` returns no usable expiry.
 * @example
 * ```ts
 * const tokens = createTokenCache(async (scope, { signal }) => {
 *   const body = await auth.json<{ access_token: string; expires_in: number }>({
 *     url: '/token', method: 'POST', body: new URLSearchParams({ scope }), signal, idempotent: true,
 *   })
 *   return { token: body.access_token, expiresIn: body.expires_in }
 * }, { refreshBefore: 30_000 })
 * const api = createHttpClient({ baseUrl: 'https://api.example.no', token: tokens.provider('ks:fiks') })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1 (expires_in)
 */
export function createTokenCache(fetchToken: FetchToken, options: TokenCacheOptions = {}): TokenCache {
  const clock = options.clock ?? systemClock
  const refreshBefore = options.refreshBefore ?? 60_000
  if (!(refreshBefore >= 0)) throw new TypeError('refreshBefore must be a non-negative number')
  const entries = new Map<string, Entry>()
  const flights = new Map<string, Flight>()

  function start(key: string): Flight {
    const controller = new AbortController()
    const flight: Flight = { promise: Promise.resolve() as unknown as Promise<Entry>, controller, waiters: 0 }
    flights.set(key, flight)
    flight.promise = (async (): Promise<Entry> => {
      const fetched = await fetchToken(key, { signal: controller.signal })
      const now = clock.now()
      const expiresAt =
        fetched.expiresAt ?? (fetched.expiresIn === undefined ? undefined : now + fetched.expiresIn * 1000)
      if (
        typeof fetched?.token !== 'string' ||
        fetched.token === '' ||
        expiresAt === undefined ||
        !(expiresAt > 0)
      ) {
        throw new TypeError('fetchToken must resolve to { token, expiresIn } or { token, expiresAt }')
      }
      const lifetime = Math.max(0, expiresAt - now)
      const entry = {
        token: fetched.token,
        expiresAt,
        refreshAt: expiresAt - Math.min(refreshBefore, lifetime / 2),
      }
      if (flights.get(key) === flight) entries.set(key, entry)
      return entry
    })()
    flight.promise.then(
      () => {
        if (flights.get(key) === flight) flights.delete(key)
      },
      () => {
        if (flights.get(key) === flight) flights.delete(key)
      },
    )
    return flight
  }

  function wait(key: string, flight: Flight, signal: AbortSignal | undefined): Promise<string> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    flight.waiters++
    return new Promise<string>((resolve, reject) => {
      let settled = false
      const onAbort = (): void => {
        settled = true
        flight.waiters--
        if (flight.waiters === 0 && flights.get(key) === flight) {
          flights.delete(key)
          flight.controller.abort(signal?.reason)
        }
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const leave = (): boolean => {
        signal?.removeEventListener('abort', onAbort)
        if (settled) return false
        flight.waiters--
        return true
      }
      flight.promise.then(
        (entry) => {
          if (leave()) resolve(entry.token)
        },
        (error: unknown) => {
          if (leave()) reject(error)
        },
      )
    })
  }

  const cache: TokenCache = {
    get(key = 'default', getOptions = {}) {
      const entry = entries.get(key)
      if (entry !== undefined && getOptions.rejected !== undefined && entry.token === getOptions.rejected) {
        entries.delete(key)
      } else if (entry !== undefined && clock.now() < entry.refreshAt) {
        return Promise.resolve(entry.token)
      }
      const flight = flights.get(key) ?? start(key)
      return wait(key, flight, getOptions.signal)
    },
    invalidate(key) {
      if (key === undefined) entries.clear()
      else entries.delete(key)
    },
    provider(key = 'default') {
      return (request: TokenRequest) =>
        cache.get(key, request.rejected === undefined ? { signal: request.signal } : request)
    },
  }
  return cache
}
