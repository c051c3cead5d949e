import { createHash } from 'node:crypto'
import { inspect } from 'node:util'
import {
  type Clock,
  createHttpClient,
  createTokenCache,
  type FetchLike,
  fullJitterDelay,
  type HttpClient,
  isHttpError,
  parseHttpDate,
  systemClock,
  type TokenProvider,
  type TokenRequest,
} from '@felles/http'
import { JWT_BEARER_GRANT_TYPE, MASKINPORTEN_ISSUERS, type MaskinportenEnvironment } from './environments.js'
import { isMaskinportenError, MaskinportenError } from './errors.js'
import {
  type AuthorizationDetail,
  grantClaims,
  normaliseRequest,
  signGrant,
  type TokenRequestOptions,
} from './grant.js'
import { checkUrl, fetchMetadata } from './internal/metadata.js'
import { skewText, tokenError } from './internal/token-errors.js'
import {
  loadSigningKey,
  type MaskinportenKeyInput,
  type MaskinportenSigningKey,
  type SigningKey,
} from './keys.js'

/** Something that receives warnings; a `pino`/`console`-like logger fits. */
export interface MaskinportenLogger {
  warn(message: string, details?: Readonly<Record<string, unknown>>): void
}

/** Events of a {@link MaskinportenClient}, for metrics and logs. None carries a key, grant, token or pid. */
export type MaskinportenEvent =
  | {
      readonly type: 'certificate-expiring'
      readonly thumbprint: string
      readonly kid: string | undefined
      readonly subject: string | undefined
      readonly notAfter: string
      readonly daysLeft: number
    }
  | { readonly type: 'token-request'; readonly attempt: number; readonly jti: string; readonly key: string }
  | {
      readonly type: 'token-issued'
      readonly expiresIn: number
      readonly scope: string
      readonly attempts: number
    }
  | { readonly type: 'retry'; readonly attempt: number; readonly delay: number; readonly code: string }
  | { readonly type: 'clock-skew'; readonly skewSeconds: number }

/** Options of {@link createMaskinportenClient}. */
export interface MaskinportenClientOptions {
  /** `test` or `prod`; or give `issuer`. */
  readonly environment?: MaskinportenEnvironment
  /** The issuer exactly as in its metadata (Maskinporten's has a trailing slash), for emulators and new environments. */
  readonly issuer?: string
  /** Where the metadata is. Default `{issuer}.well-known/oauth-authorization-server`. */
  readonly metadataUrl?: string
  /** Skip discovery and post grants here. */
  readonly tokenEndpoint?: string
  /** The client id (integration id) from Digdir's self-service. */
  readonly clientId: string
  /**
   * The key, or several for rotation: the first one whose certificate is
   * currently valid signs (keys without a certificate are always valid), so a
   * new certificate can be deployed before it starts to be valid.
   */
  readonly key:
    | MaskinportenKeyInput
    | MaskinportenSigningKey
    | readonly (MaskinportenKeyInput | MaskinportenSigningKey)[]
  /** Default scopes of {@link MaskinportenClient.getToken}. */
  readonly scopes: readonly string[]
  /** Default `resource` (RFC 8707). */
  readonly resource?: string | readonly string[]
  /** Default `consumer_org`. */
  readonly consumerOrg?: string
  /** Default `iss_onbehalfof`. */
  readonly issOnBehalfOf?: string
  /** Default `authorization_details`. */
  readonly authorizationDetails?: readonly AuthorizationDetail[]
  /** `exp − iat` of each grant in seconds, at most 120. Default 60. */
  readonly grantLifetime?: number
  /** Renew a token this many ms before it expires (at most half its lifetime). Default 30_000. */
  readonly refreshBefore?: number
  /** Attempts per token fetch for 5xx, 429 and network failures, each with a new grant. Default 3. */
  readonly maxAttempts?: number
  /** Ceiling of the first retry's random wait, ms. Default 250. */
  readonly retryBaseDelay?: number
  /** Largest wait between attempts, ms. Default 5_000. */
  readonly retryMaxDelay?: number
  /** Per-attempt timeout, ms. Default 10_000. */
  readonly timeout?: number
  /** Clock difference to Maskinporten's `Date` header (seconds) above which a refused grant is reported as clock skew. Default 10. */
  readonly maxClockSkew?: number
  /** Warn when a certificate expires within this many days. Default 30. */
  readonly expiryWarningDays?: number
  /** Receives warnings (certificate expiry, clock skew). */
  readonly logger?: MaskinportenLogger
  /** Receives every {@link MaskinportenEvent}. */
  readonly onEvent?: (event: MaskinportenEvent) => void
  /** Time source (grant `iat`, expiry, backoff). Default the system clock. */
  readonly clock?: Clock
  readonly fetch?: FetchLike
  /** Random source for backoff jitter. Default `Math.random`. */
  readonly random?: () => number
}

/** Options of {@link MaskinportenClient.getToken}: what to ask for, plus a signal. */
export interface GetTokenOptions extends TokenRequestOptions {
  /** Stops waiting (the fetch goes on for other callers). */
  readonly signal?: AbortSignal
}

/** A Maskinporten client from {@link createMaskinportenClient}. */
export interface MaskinportenClient {
  /** Maskinporten's issuer (the `aud` of every grant). */
  readonly issuer: string
  readonly clientId: string
  /** The keys in use, in order of preference (public information only). */
  readonly keys: readonly MaskinportenSigningKey[]
  /**
   * An access token for the client's scopes (or those asked for). Cached per
   * issuer, client, sorted scopes, resource, consumer_org, pid and
   * authorization_details; one request in flight per key however many
   * callers wait; renewed before expiry.
   */
  getToken(options?: GetTokenOptions): Promise<string>
  /** A token provider for `createHttpClient({ token })` of `@felles/http`: a 401 from the API fetches a new token once. */
  tokenProvider(options?: TokenRequestOptions): TokenProvider
  /** Replaces the keys without a restart; cached tokens stay valid. */
  rotateKeys(
    key:
      | MaskinportenKeyInput
      | MaskinportenSigningKey
      | readonly (MaskinportenKeyInput | MaskinportenSigningKey)[],
  ): Promise<void>
  /** Forgets cached tokens: those of one request, or all. */
  invalidate(options?: TokenRequestOptions): void
}

const DAY = 86_400_000

function hash(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22)
}

function toArray<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T]
}

interface Normalised {
  readonly scopes: readonly string[]
  readonly resource: readonly string[] | undefined
  readonly consumerOrg: string | undefined
  readonly issOnBehalfOf: string | undefined
  readonly pid: string | undefined
  readonly authorizationDetails: readonly AuthorizationDetail[] | undefined
}

/**
 * Creates a Maskinporten client: it builds grants to Digdir's rules, signs
 * them with your key (JWK, PEM, PKCS#12 business certificate or registered
 * key), and caches the tokens.
 *
 * @param options - Environment or issuer, client id, key(s), scopes and tuning.
 * @returns The client; keys are loaded lazily on the first token request (or by {@link MaskinportenClient.rotateKeys}).
 * @throws {TypeError} for missing or invalid options.
 * @example
 * ```ts
 * const maskinporten = createMaskinportenClient({
 *   environment: 'test',
 *   clientId: process.env.MASKINPORTEN_CLIENT_ID!,
 *   key: { pem: process.env.MASKINPORTEN_KEY!, kid: process.env.MASKINPORTEN_KID! },
 *   scopes: ['ks:fiks'],
 * })
 * const api = createHttpClient({ baseUrl: 'https://svarut.ks.no', token: maskinporten.tokenProvider() })
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_token
 */
export function createMaskinportenClient(options: MaskinportenClientOptions): MaskinportenClient {
  if (options === null || typeof options !== 'object') throw new TypeError('options are required')
  const issuer =
    options.issuer ??
    (options.environment === undefined ? undefined : MASKINPORTEN_ISSUERS[options.environment])
  if (issuer === undefined) throw new TypeError('Give environment ("test" or "prod") or issuer')
  if (
    options.issuer !== undefined &&
    options.environment !== undefined &&
    MASKINPORTEN_ISSUERS[options.environment] !== options.issuer
  ) {
    throw new TypeError('environment and issuer disagree: give one of them')
  }
  checkUrl(issuer, 'issuer')
  if (options.tokenEndpoint !== undefined) checkUrl(options.tokenEndpoint, 'tokenEndpoint')
  if (options.metadataUrl !== undefined) checkUrl(options.metadataUrl, 'metadataUrl')
  const clientId = options.clientId
  if (typeof clientId !== 'string' || clientId === '') throw new TypeError('clientId is required')
  if (options.key === undefined || options.key === null) throw new TypeError('key is required')
  const defaults: Normalised = normalise(options, {
    scopes: options.scopes,
    resource: undefined,
    consumerOrg: undefined,
    issOnBehalfOf: undefined,
    pid: undefined,
    authorizationDetails: undefined,
  })
  const grantLifetime = options.grantLifetime ?? 60
  // Validates the lifetime once, up front.
  grantClaims({ issuer, clientId, scopes: defaults.scopes, lifetime: grantLifetime, now: 0 })
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const maxAttempts = options.maxAttempts ?? 3
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 10) {
    throw new TypeError('maxAttempts must be a whole number from 1 to 10')
  }
  const backoff = { baseDelay: options.retryBaseDelay ?? 250, maxDelay: options.retryMaxDelay ?? 5_000 }
  const maxSkew = options.maxClockSkew ?? 10
  const warnWithin = (options.expiryWarningDays ?? 30) * DAY
  const http: HttpClient = createHttpClient({
    retry: false,
    timeout: options.timeout ?? 10_000,
    clock,
    maxRedirects: 0,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })

  let keyInput = options.key
  let keys: SigningKey[] | undefined
  let loading: Promise<SigningKey[]> | undefined
  const warned = new Map<string, number>()
  let tokenEndpoint: Promise<string> | undefined =
    options.tokenEndpoint === undefined ? undefined : Promise.resolve(options.tokenEndpoint)
  let metadataFetchedAt = 0
  const pending = new Map<string, Normalised>()

  const emit = (event: MaskinportenEvent): void => {
    options.onEvent?.(event)
  }

  function loadKeys(): Promise<SigningKey[]> {
    if (keys !== undefined) return Promise.resolve(keys)
    if (loading !== undefined) return loading
    const input = keyInput
    const started = (async (): Promise<SigningKey[]> => {
      const list = toArray(input)
      if (list.length === 0) throw new TypeError('key must not be an empty array')
      const loaded = (await Promise.all(list.map((k) => loadSigningKey(k)))) as SigningKey[]
      return loaded
    })()
    loading = started
    started.then(
      (loaded) => {
        if (loading === started) {
          keys = loaded
          loading = undefined
        }
      },
      () => {
        if (loading === started) loading = undefined
      },
    )
    return started
  }

  function warnExpiring(list: readonly SigningKey[], now: number): void {
    for (const key of list) {
      if (key.notAfter === undefined || key.notAfter - now > warnWithin) continue
      const last = warned.get(key.thumbprint)
      if (last !== undefined && now - last < DAY) continue
      warned.set(key.thumbprint, now)
      const daysLeft = Math.floor((key.notAfter - now) / DAY)
      const notAfter = new Date(key.notAfter).toISOString()
      emit({
        type: 'certificate-expiring',
        thumbprint: key.thumbprint,
        kid: key.kid,
        subject: key.subject,
        notAfter,
        daysLeft,
      })
      options.logger?.warn(
        daysLeft < 0
          ? `Maskinporten certificate ${key.subject ?? key.thumbprint} expired on ${notAfter}`
          : `Maskinporten certificate ${key.subject ?? key.thumbprint} expires on ${notAfter} (${daysLeft} days left): order and deploy a new one`,
        { thumbprint: key.thumbprint, notAfter, daysLeft },
      )
    }
  }

  function chooseKey(list: readonly SigningKey[], now: number): SigningKey {
    warnExpiring(list, now)
    const usable = list.find(
      (k) =>
        (k.notBefore === undefined || k.notBefore <= now) && (k.notAfter === undefined || now < k.notAfter),
    )
    if (usable !== undefined) return usable
    const first = list[0]!
    throw new MaskinportenError(
      'ERR_EXPIRED_KEY',
      list.length === 1
        ? `The certificate (${first.label}) is not valid now (valid ${new Date(first.notBefore ?? 0).toISOString()} to ${new Date(first.notAfter ?? 0).toISOString()}); rotate to a new one`
        : `None of the ${list.length} certificates is valid now; rotate to a new one`,
    )
  }

  function endpoint(signal: AbortSignal): Promise<string> {
    if (
      tokenEndpoint !== undefined &&
      (options.tokenEndpoint !== undefined || clock.now() - metadataFetchedAt < DAY)
    ) {
      return tokenEndpoint
    }
    const started = fetchMetadata(http, issuer!, options.metadataUrl, signal).then((metadata) => {
      if (typeof metadata.token_endpoint !== 'string') {
        throw new MaskinportenError(
          'ERR_METADATA',
          `The metadata of issuer "${issuer}" has no token_endpoint`,
        )
      }
      checkUrl(metadata.token_endpoint, 'token_endpoint')
      metadataFetchedAt = clock.now()
      return metadata.token_endpoint
    })
    tokenEndpoint = started
    started.catch(() => {
      if (tokenEndpoint === started) tokenEndpoint = undefined
    })
    return started
  }

  async function fetchToken(
    cacheKey: string,
    signal: AbortSignal,
  ): Promise<{ token: string; expiresIn: number }> {
    const request = pending.get(cacheKey)
    if (request === undefined) throw new Error('No request for this cache key')
    const list = await loadKeys()
    // Throws `failure` unless it may be retried; otherwise waits the backoff (a new grant follows).
    const retry = async (attempt: number, failure: MaskinportenError): Promise<void> => {
      if (!failure.retryable || attempt >= maxAttempts) throw failure
      const delay = fullJitterDelay(attempt, backoff, random)
      emit({ type: 'retry', attempt, delay, code: failure.code })
      await clock.sleep(delay, signal)
    }
    for (let attempt = 1; ; attempt++) {
      let url: string
      try {
        url = await endpoint(signal)
      } catch (error) {
        if (!isMaskinportenError(error)) throw error
        await retry(attempt, error)
        continue
      }
      const now = clock.now()
      const key = chooseKey(list, now)
      const claims = grantClaims({
        issuer: issuer!,
        clientId,
        scopes: request.scopes,
        now,
        lifetime: grantLifetime,
        ...(request.resource === undefined ? {} : { resource: request.resource }),
        ...(request.consumerOrg === undefined ? {} : { consumerOrg: request.consumerOrg }),
        ...(request.issOnBehalfOf === undefined ? {} : { issOnBehalfOf: request.issOnBehalfOf }),
        ...(request.pid === undefined ? {} : { pid: request.pid }),
        ...(request.authorizationDetails === undefined
          ? {}
          : { authorizationDetails: request.authorizationDetails }),
      })
      const assertion = await signGrant(claims, key)
      emit({ type: 'token-request', attempt, jti: claims.jti, key: key.kid ?? key.thumbprint })
      let errorHeaders: Headers | undefined
      let failure: MaskinportenError
      try {
        const result = await http.send<Record<string, unknown>>({
          url,
          method: 'POST',
          headers: { accept: 'application/json' },
          body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT_TYPE, assertion }),
          idempotent: false,
          signal,
          classify: (input) => {
            errorHeaders = input.headers
            return { verdict: 'fail' }
          },
        })
        const skew = skewOf(result.headers, clock.now())
        if (skew !== undefined && Math.abs(skew) > maxSkew) noteSkew(skew)
        const body = result.body
        const token = body?.access_token
        const expiresIn = body?.expires_in
        if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
          throw new MaskinportenError(
            'ERR_INVALID_RESPONSE',
            'Maskinporten answered without a usable access_token and expires_in',
            { status: result.status },
          )
        }
        emit({
          type: 'token-issued',
          expiresIn,
          scope: typeof body.scope === 'string' ? body.scope : claims.scope,
          attempts: attempt,
        })
        return { token, expiresIn }
      } catch (error) {
        if (error instanceof MaskinportenError) throw error
        if (!isHttpError(error)) throw error
        if (error.code === 'ERR_ABORTED') throw error
        if (error.code === 'ERR_INVALID_BODY' || error.code === 'ERR_BODY_TOO_LARGE') {
          throw new MaskinportenError(
            'ERR_INVALID_RESPONSE',
            'Maskinporten answered with a body that is not JSON',
            {
              ...(error.status === undefined ? {} : { status: error.status }),
              cause: error,
            },
          )
        }
        if (error.status !== undefined) {
          failure = tokenError({
            status: error.status,
            body: error.body,
            skewSeconds: errorHeaders === undefined ? undefined : skewOf(errorHeaders, clock.now()),
            maxSkewSeconds: maxSkew,
            requestId: error.requestId,
            issuer: issuer!,
          })
          if (failure.code === 'ERR_CLOCK_SKEW' && errorHeaders !== undefined) {
            const skew = skewOf(errorHeaders, clock.now())
            if (skew !== undefined) noteSkew(skew)
          }
        } else {
          failure = new MaskinportenError(
            'ERR_NETWORK',
            `Maskinporten could not be reached (${error.code === 'ERR_TIMEOUT' ? 'timed out' : 'network error'})`,
            { retryable: true, cause: error },
          )
        }
      }
      await retry(attempt, failure)
    }
  }

  function noteSkew(skewSeconds: number): void {
    emit({ type: 'clock-skew', skewSeconds })
    options.logger?.warn(`Maskinporten: ${skewText(skewSeconds)}; grants are refused beyond ±10 s`, {
      skewSeconds,
    })
  }

  const cache = createTokenCache((cacheKey, { signal }) => fetchToken(cacheKey, signal), {
    refreshBefore: options.refreshBefore ?? 30_000,
    clock,
  })

  function normaliseCall(request: TokenRequestOptions | undefined): Normalised {
    if (request === undefined) return defaults
    return normalise(request, defaults)
  }

  function cacheKeyOf(request: Normalised): string {
    return [
      issuer,
      clientId,
      request.scopes.join(' '),
      request.resource === undefined ? '' : [...request.resource].sort().join(' '),
      request.consumerOrg ?? '',
      request.issOnBehalfOf ?? '',
      // The pid is a national identity number: only its hash is part of the key.
      request.pid === undefined ? '' : hash(`pid:${request.pid}`),
      request.authorizationDetails === undefined ? '' : hash(JSON.stringify(request.authorizationDetails)),
    ].join('|')
  }

  const defaultKey = cacheKeyOf(defaults)
  pending.set(defaultKey, defaults)

  function keyFor(request: TokenRequestOptions | undefined): string {
    if (request === undefined) return defaultKey
    const normalised = normaliseCall(request)
    const key = cacheKeyOf(normalised)
    if (!pending.has(key)) pending.set(key, normalised)
    return key
  }

  const client: MaskinportenClient = {
    issuer,
    clientId,
    get keys(): readonly MaskinportenSigningKey[] {
      return keys ?? []
    },
    getToken(getOptions?: GetTokenOptions): Promise<string> {
      if (getOptions === undefined) return cache.get(defaultKey)
      const { signal, ...request } = getOptions
      const key = keyFor(Object.keys(request).length === 0 ? undefined : request)
      return cache.get(key, signal === undefined ? {} : { signal })
    },
    tokenProvider(request?: TokenRequestOptions): TokenProvider {
      const key = keyFor(request)
      return (tokenRequest: TokenRequest) => cache.get(key, tokenRequest)
    },
    async rotateKeys(key): Promise<void> {
      const list = toArray(key)
      if (list.length === 0) throw new TypeError('key must not be an empty array')
      const loaded = (await Promise.all(list.map((k) => loadSigningKey(k)))) as SigningKey[]
      keyInput = key
      loading = undefined
      keys = loaded
      warnExpiring(loaded, clock.now())
    },
    invalidate(request?: TokenRequestOptions): void {
      if (request === undefined) cache.invalidate()
      else cache.invalidate(keyFor(request))
    },
  }
  Object.defineProperty(client, inspect.custom, {
    value: () => `MaskinportenClient { issuer: '${issuer}', clientId: '${clientId}' }`,
  })
  Object.defineProperty(client, 'toJSON', { value: () => ({ issuer, clientId }) })
  return client
}

function normalise(request: TokenRequestOptions, defaults: Normalised): Normalised {
  const scopes = request.scopes ?? defaults.scopes
  const { scopes: sorted, resource } = normaliseRequest({ ...request, scopes })
  return {
    scopes: sorted,
    resource: resource ?? defaults.resource,
    consumerOrg: request.consumerOrg ?? defaults.consumerOrg,
    issOnBehalfOf: request.issOnBehalfOf ?? defaults.issOnBehalfOf,
    pid: request.pid ?? defaults.pid,
    authorizationDetails: request.authorizationDetails ?? defaults.authorizationDetails,
  }
}

/** Local clock minus the server's `Date`, in seconds (the header has whole seconds). */
function skewOf(headers: Headers, now: number): number | undefined {
  const date = headers.get('date')
  if (date === null) return undefined
  const server = parseHttpDate(date)
  if (server === undefined) return undefined
  return (now - server) / 1000
}
