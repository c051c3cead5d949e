import { type Clock, createHttpClient, type FetchLike, type HttpClient, systemClock } from '@felles/http'
import { type JWTPayload, errors as joseErrors, jwtVerify } from 'jose'
import { MaskinportenError } from './errors.js'
import { NoMatchingKey, RemoteKeySet } from './internal/jwks-cache.js'
import { checkUrl } from './internal/metadata.js'

/** Algorithms accepted for access tokens by default: what ID-porten and Maskinporten sign with. */
export const DEFAULT_ACCESS_TOKEN_ALGORITHMS: readonly string[] = Object.freeze(['RS256', 'RS384', 'RS512'])

/** What an API requires of an access token. */
export interface AccessTokenRequirements {
  /** The `aud` the token must carry (one of them, when several are given). */
  readonly audience?: string | readonly string[]
  /** Scopes the token must all have. */
  readonly requiredScopes?: readonly string[]
  /** Allowed `consumer` organisations (Maskinporten): 9-digit organisasjonsnummer or `0192:` + it. */
  readonly consumer?: string | readonly string[]
}

/** Options of {@link verifyAccessToken} and {@link createAccessTokenVerifier}. */
export interface VerifyAccessTokenOptions extends AccessTokenRequirements {
  /** The issuer, exactly (`https://maskinporten.no/` with its slash, `https://idporten.no` without). */
  readonly issuer: string
  /** The key set URL; default `jwks_uri` from the issuer's metadata. */
  readonly jwksUri?: string
  /** The metadata URL; default derived from the issuer. */
  readonly metadataUrl?: string
  /** Accepted `alg` values. Default RS256, RS384, RS512 (never `none` or HMAC). */
  readonly algorithms?: readonly string[]
  /** Leeway for `exp`, `nbf` and `iat`, seconds, at most 60. Default 10. */
  readonly clockTolerance?: number
  /** How long the key set is kept, ms. Default 24 h. */
  readonly jwksMaxAge?: number
  /** Least time between refetches caused by an unknown `kid`, ms. Default 60_000. */
  readonly jwksCooldown?: number
  readonly clock?: Clock
  readonly fetch?: FetchLike
}

/** A verified (or introspected) access token. */
export interface VerifiedAccessToken {
  readonly issuer: string
  /** `sub`, when present (ID-porten: the pairwise subject; Maskinporten: often absent). */
  readonly subject: string | undefined
  /** `client_id` of the client the token was issued to. */
  readonly clientId: string | undefined
  readonly scopes: readonly string[]
  /** The consumer's organisasjonsnummer (Maskinporten `consumer.ID` without `0192:`). */
  readonly consumer: string | undefined
  readonly audience: readonly string[]
  /** Epoch ms. */
  readonly expiresAt: number
  /** Every claim as received. May hold personal data (`pid`): do not log it. */
  readonly claims: Readonly<JWTPayload>
}

/** A reusable verifier with its own key cache, from {@link createAccessTokenVerifier}. */
export interface AccessTokenVerifier {
  readonly issuer: string
  /** Verifies a token; `requirements` override the verifier's for this call. */
  verify(token: string, requirements?: AccessTokenRequirements): Promise<VerifiedAccessToken>
}

const MAX_TOLERANCE = 60

function list(value: string | readonly string[] | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined
  return typeof value === 'string' ? [value] : value
}

function consumerId(value: string): string {
  return /^\d{9}$/.test(value) ? `0192:${value}` : value
}

/** @internal Scope and consumer checks shared by JWT verification and introspection. */
export function checkRequirements(
  payload: Readonly<Record<string, unknown>>,
  requirements: AccessTokenRequirements,
): { scopes: string[]; consumer: string | undefined } {
  const scopeClaim = payload.scope ?? payload.scp
  const scopes =
    typeof scopeClaim === 'string'
      ? scopeClaim.split(' ').filter((s) => s !== '')
      : Array.isArray(scopeClaim)
        ? scopeClaim.filter((s): s is string => typeof s === 'string')
        : []
  const required = requirements.requiredScopes ?? []
  const missing = required.filter((s) => !scopes.includes(s))
  if (missing.length > 0) {
    throw new MaskinportenError(
      'ERR_INSUFFICIENT_SCOPE',
      `The access token lacks the scope ${missing.join(' ')}`,
      {
        status: 403,
        requiredScopes: required,
      },
    )
  }
  const consumerClaim = payload.consumer as { ID?: unknown } | undefined
  const id = typeof consumerClaim?.ID === 'string' ? consumerClaim.ID : undefined
  const allowed = list(requirements.consumer)
  if (allowed !== undefined && (id === undefined || !allowed.map(consumerId).includes(id))) {
    throw new MaskinportenError(
      'ERR_WRONG_CONSUMER',
      id === undefined
        ? 'The access token names no consumer organisation'
        : 'The access token was issued to an organisation that may not use this API',
      { status: 403 },
    )
  }
  return { scopes, consumer: id?.startsWith('0192:') ? id.slice(5) : id }
}

function invalid(text: string): MaskinportenError {
  return new MaskinportenError('ERR_TOKEN_INVALID', `The access token is not valid: ${text}`, { status: 401 })
}

/**
 * Maps jose's errors to ours. jose's claim errors carry the payload (which can
 * hold a pid), so they are never kept as `cause`.
 */
function mapJoseError(error: unknown): unknown {
  if (error instanceof MaskinportenError) return error
  if (error instanceof NoMatchingKey) return invalid(error.message)
  if (error instanceof joseErrors.JWTExpired) {
    return new MaskinportenError('ERR_TOKEN_EXPIRED', 'The access token has expired', { status: 401 })
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const what: Record<string, string> = {
      iss: 'it was issued by another issuer',
      aud: 'it is meant for another audience',
      nbf: 'it is not valid yet',
      exp: 'it has no expiry (exp)',
      iat: 'its iat is not a valid time',
    }
    return invalid(what[error.claim] ?? `the ${error.claim} claim is wrong`)
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return invalid('its signing algorithm is not allowed')
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return invalid('the signature does not verify')
  if (error instanceof joseErrors.JWKSNoMatchingKey) return invalid('no key of the issuer matches')
  if (error instanceof joseErrors.JOSEError) return invalid('it is not a well-formed signed JWT')
  if (error instanceof TypeError) return invalid('it is not a well-formed signed JWT')
  return error
}

/**
 * Creates a verifier for JWT access tokens from Maskinporten or ID-porten:
 * signature by a key in the issuer's JWKS (cached about 24 h, refetched on an
 * unknown `kid` at most once per cooldown), allowed algorithm (never `none`
 * or HMAC), exact issuer, audience, expiry with bounded leeway, `iat` not in
 * the future, required scopes and consumer organisation.
 *
 * @param options - Issuer and requirements.
 * @returns A verifier that keeps its key set between calls.
 * @throws {TypeError} for invalid options (a tolerance above 60 s, a non-https issuer).
 * @example
 * ```ts
 * const verifier = createAccessTokenVerifier({ issuer: 'https://test.maskinporten.no/', requiredScopes: ['kommune:api'] })
 * const token = await verifier.verify(bearer)
 * console.log(token.consumer)
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_api_provider
 */
export function createAccessTokenVerifier(options: VerifyAccessTokenOptions): AccessTokenVerifier {
  const issuer = options.issuer
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer is required')
  checkUrl(issuer, 'issuer')
  if (options.jwksUri !== undefined) checkUrl(options.jwksUri, 'jwksUri')
  const tolerance = options.clockTolerance ?? 10
  if (!(tolerance >= 0 && tolerance <= MAX_TOLERANCE)) {
    throw new TypeError(`clockTolerance must be from 0 to ${MAX_TOLERANCE} seconds`)
  }
  const algorithms = [...(options.algorithms ?? DEFAULT_ACCESS_TOKEN_ALGORITHMS)]
  if (algorithms.length === 0 || algorithms.some((a) => a === 'none' || /^HS/i.test(a))) {
    throw new TypeError('algorithms must be asymmetric (no "none", no HMAC)')
  }
  const clock = options.clock ?? systemClock
  const http: HttpClient = createHttpClient({
    clock,
    timeout: 10_000,
    retry: { maxAttempts: 2 },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  const keySet = new RemoteKeySet({
    issuer,
    jwksUri: options.jwksUri,
    metadataUrl: options.metadataUrl,
    maxAge: options.jwksMaxAge ?? 86_400_000,
    cooldown: options.jwksCooldown ?? 60_000,
    clock,
    http,
  })
  const base: AccessTokenRequirements = options
  const resolveKey = (header: import('jose').JWSHeaderParameters) => keySet.get(header)
  const systemTime = clock === systemClock

  const verifier: AccessTokenVerifier = {
    issuer,
    async verify(token: string, requirements?: AccessTokenRequirements): Promise<VerifiedAccessToken> {
      if (typeof token !== 'string' || token === '') {
        throw new MaskinportenError('ERR_TOKEN_MISSING', 'No access token was given', { status: 401 })
      }
      const req = requirements === undefined ? base : { ...base, ...requirements }
      const audience = list(req.audience)
      const now = systemTime ? undefined : new Date(clock.now())
      let payload: JWTPayload
      try {
        const result = await jwtVerify(token, resolveKey, {
          issuer,
          algorithms,
          clockTolerance: tolerance,
          requiredClaims: ['exp'],
          ...(audience === undefined ? {} : { audience: [...audience] }),
          ...(now === undefined ? {} : { currentDate: now }),
        })
        payload = result.payload
      } catch (error) {
        throw mapJoseError(error)
      }
      const nowSeconds = (now?.getTime() ?? Date.now()) / 1000
      if (typeof payload.iat === 'number' && payload.iat > nowSeconds + tolerance) {
        throw invalid('its iat is in the future')
      }
      const { scopes, consumer } = checkRequirements(payload as Record<string, unknown>, req)
      const aud =
        payload.aud === undefined ? [] : typeof payload.aud === 'string' ? [payload.aud] : payload.aud
      return {
        issuer,
        subject: payload.sub,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : undefined,
        scopes,
        consumer,
        audience: aud,
        expiresAt: (payload.exp as number) * 1000,
        claims: payload,
      }
    },
  }
  return verifier
}

const shared = new Map<string, AccessTokenVerifier>()

/**
 * Verifies a JWT access token from Maskinporten or ID-porten (see
 * {@link createAccessTokenVerifier} for the checks). Verifiers, and so their
 * key caches, are shared per issuer, key-set URL, algorithms and tolerance;
 * give `clock` or `fetch` to {@link createAccessTokenVerifier} instead.
 *
 * @param token - The bearer token (without `Bearer `).
 * @param options - Issuer and requirements.
 * @returns The verified token.
 * @throws {MaskinportenError} `ERR_TOKEN_INVALID`, `ERR_TOKEN_EXPIRED`, `ERR_INSUFFICIENT_SCOPE`, `ERR_WRONG_CONSUMER`, `ERR_JWKS`.
 * @example
 * ```ts
 * const token = await verifyAccessToken(bearer, {
 *   issuer: 'https://maskinporten.no/',
 *   audience: 'https://api.kommune.no',
 *   requiredScopes: ['kommune:api.read'],
 *   consumer: '991825827',
 * })
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_api_provider
 */
export function verifyAccessToken(
  token: string,
  options: VerifyAccessTokenOptions,
): Promise<VerifiedAccessToken> {
  if (options.clock !== undefined || options.fetch !== undefined) {
    return createAccessTokenVerifier(options).verify(token)
  }
  const id = [
    options.issuer,
    options.jwksUri ?? '',
    options.metadataUrl ?? '',
    (options.algorithms ?? DEFAULT_ACCESS_TOKEN_ALGORITHMS).join(','),
    options.clockTolerance ?? '',
    options.jwksMaxAge ?? '',
    options.jwksCooldown ?? '',
  ].join('|')
  let verifier = shared.get(id)
  if (verifier === undefined) {
    verifier = createAccessTokenVerifier({
      issuer: options.issuer,
      ...(options.jwksUri === undefined ? {} : { jwksUri: options.jwksUri }),
      ...(options.metadataUrl === undefined ? {} : { metadataUrl: options.metadataUrl }),
      ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
      ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
      ...(options.jwksMaxAge === undefined ? {} : { jwksMaxAge: options.jwksMaxAge }),
      ...(options.jwksCooldown === undefined ? {} : { jwksCooldown: options.jwksCooldown }),
    })
    if (shared.size >= 100) shared.clear()
    shared.set(id, verifier)
  }
  return verifier.verify(token, options)
}
