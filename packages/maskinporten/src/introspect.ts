import { randomUUID } from 'node:crypto'
import {
  type Clock,
  createHttpClient,
  type FetchLike,
  type HttpClient,
  isHttpError,
  systemClock,
} from '@felles/http'
import { SignJWT } from 'jose'
import { MaskinportenError } from './errors.js'
import { checkUrl, fetchMetadata } from './internal/metadata.js'
import {
  loadSigningKey,
  type MaskinportenKeyInput,
  type MaskinportenSigningKey,
  privateKeyOf,
} from './keys.js'
import { type AccessTokenRequirements, checkRequirements, type VerifiedAccessToken } from './verify.js'

/** How the API authenticates to the introspection endpoint. */
export type IntrospectionClientAuth =
  | { readonly method: 'client_secret_basic'; readonly clientId: string; readonly clientSecret: string }
  | {
      readonly method: 'private_key_jwt'
      readonly clientId: string
      /** A key with `kid` registered for the client. */
      readonly key: MaskinportenKeyInput | MaskinportenSigningKey
    }

/** Options of {@link createTokenIntrospector}. */
export interface IntrospectionOptions extends AccessTokenRequirements {
  /** The issuer, exactly; the answer's `iss` must match when present. */
  readonly issuer: string
  /** Default `introspection_endpoint` from the issuer's metadata. */
  readonly endpoint?: string
  readonly metadataUrl?: string
  readonly clientAuth: IntrospectionClientAuth
  /** Leeway for `exp`, seconds, at most 60. Default 10. */
  readonly clockTolerance?: number
  readonly clock?: Clock
  readonly fetch?: FetchLike
}

/** An introspector from {@link createTokenIntrospector}. */
export interface TokenIntrospector {
  readonly issuer: string
  /** Asks the issuer about an (opaque) token and applies the requirements. */
  introspect(token: string, requirements?: AccessTokenRequirements): Promise<VerifiedAccessToken>
}

/**
 * Creates an RFC 7662 token introspector, for opaque access tokens (or to
 * learn that a JWT was revoked). The API authenticates with
 * `client_secret_basic` or `private_key_jwt`. Inactive tokens, another
 * issuer, expiry, missing scopes and a wrong consumer are refused with the
 * same errors as {@link verifyAccessToken}.
 *
 * @param options - Issuer, endpoint, client authentication and requirements.
 * @returns The introspector.
 * @throws {TypeError} for invalid options.
 * @example
 * ```ts
 * const introspector = createTokenIntrospector({
 *   issuer: 'https://test.idporten.no',
 *   clientAuth: { method: 'client_secret_basic', clientId: 'api', clientSecret: process.env.SECRET! },
 *   requiredScopes: ['kommune:api'],
 * })
 * const token = await introspector.introspect(opaque)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7662
 */
export function createTokenIntrospector(options: IntrospectionOptions): TokenIntrospector {
  const issuer = options.issuer
  if (typeof issuer !== 'string' || issuer === '') throw new TypeError('issuer is required')
  checkUrl(issuer, 'issuer')
  if (options.endpoint !== undefined) checkUrl(options.endpoint, 'endpoint')
  const auth = options.clientAuth
  if (auth === undefined || typeof auth.clientId !== 'string' || auth.clientId === '') {
    throw new TypeError('clientAuth with a clientId is required')
  }
  const tolerance = options.clockTolerance ?? 10
  if (!(tolerance >= 0 && tolerance <= 60)) throw new TypeError('clockTolerance must be from 0 to 60 seconds')
  const clock = options.clock ?? systemClock
  const http: HttpClient = createHttpClient({
    clock,
    timeout: 10_000,
    retry: { maxAttempts: 2 },
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  })
  let endpoint: Promise<string> | undefined =
    options.endpoint === undefined ? undefined : Promise.resolve(options.endpoint)
  let key: Promise<MaskinportenSigningKey> | undefined

  function resolveEndpoint(): Promise<string> {
    if (endpoint !== undefined) return endpoint
    const started = fetchMetadata(http, issuer, options.metadataUrl).then((metadata) => {
      if (typeof metadata.introspection_endpoint !== 'string') {
        throw new MaskinportenError(
          'ERR_METADATA',
          `The metadata of issuer "${issuer}" has no introspection_endpoint`,
        )
      }
      checkUrl(metadata.introspection_endpoint, 'introspection_endpoint')
      return metadata.introspection_endpoint
    })
    endpoint = started
    started.catch(() => {
      if (endpoint === started) endpoint = undefined
    })
    return started
  }

  async function authenticate(body: URLSearchParams, headers: Record<string, string>): Promise<void> {
    if (auth.method === 'client_secret_basic') {
      const encode = (v: string): string => encodeURIComponent(v).replace(/%20/g, '+')
      headers.authorization = `Basic ${Buffer.from(`${encode(auth.clientId)}:${encode(auth.clientSecret)}`).toString('base64')}`
      return
    }
    key ??= loadSigningKey(auth.key)
    const signing = await key
    if (signing.kid === undefined) throw new TypeError('private_key_jwt needs a key with a kid')
    const iat = Math.floor(clock.now() / 1000)
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: signing.alg, kid: signing.kid })
      .setIssuer(auth.clientId)
      .setSubject(auth.clientId)
      .setAudience(issuer)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .setJti(randomUUID())
      .sign(privateKeyOf(signing))
    body.set('client_id', auth.clientId)
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    body.set('client_assertion', assertion)
  }

  const base: AccessTokenRequirements = options
  return {
    issuer,
    async introspect(token: string, requirements?: AccessTokenRequirements): Promise<VerifiedAccessToken> {
      if (typeof token !== 'string' || token === '') {
        throw new MaskinportenError('ERR_TOKEN_MISSING', 'No access token was given', { status: 401 })
      }
      const req = requirements === undefined ? base : { ...base, ...requirements }
      const url = await resolveEndpoint()
      const body = new URLSearchParams({ token, token_type_hint: 'access_token' })
      const headers: Record<string, string> = { accept: 'application/json' }
      await authenticate(body, headers)
      let answer: Record<string, unknown>
      try {
        answer = await http.json<Record<string, unknown>>({
          url,
          method: 'POST',
          body,
          headers,
          idempotent: true,
        })
      } catch (error) {
        throw new MaskinportenError(
          'ERR_INTROSPECTION',
          `Token introspection at the issuer failed${isHttpError(error) && error.status !== undefined ? ` with status ${error.status}` : ''}`,
          { retryable: isHttpError(error) ? error.retryable : false, cause: error },
        )
      }
      if (answer === null || typeof answer !== 'object' || typeof answer.active !== 'boolean') {
        throw new MaskinportenError('ERR_INTROSPECTION', 'The introspection answer has no "active"')
      }
      if (!answer.active) {
        throw new MaskinportenError(
          'ERR_TOKEN_INVALID',
          'The access token is not valid: the issuer says it is not active',
          {
            status: 401,
          },
        )
      }
      if (answer.iss !== undefined && answer.iss !== issuer) {
        throw new MaskinportenError(
          'ERR_TOKEN_INVALID',
          'The access token is not valid: it was issued by another issuer',
          {
            status: 401,
          },
        )
      }
      const now = clock.now() / 1000
      if (typeof answer.exp === 'number' && answer.exp + tolerance < now) {
        throw new MaskinportenError('ERR_TOKEN_EXPIRED', 'The access token has expired', { status: 401 })
      }
      const aud =
        answer.aud === undefined
          ? []
          : typeof answer.aud === 'string'
            ? [answer.aud]
            : (answer.aud as string[])
      const wanted =
        req.audience === undefined
          ? undefined
          : typeof req.audience === 'string'
            ? [req.audience]
            : req.audience
      if (wanted !== undefined && !aud.some((a) => wanted.includes(a))) {
        throw new MaskinportenError(
          'ERR_TOKEN_INVALID',
          'The access token is not valid: it is meant for another audience',
          {
            status: 401,
          },
        )
      }
      const { scopes, consumer } = checkRequirements(answer, req)
      return {
        issuer,
        subject: typeof answer.sub === 'string' ? answer.sub : undefined,
        clientId: typeof answer.client_id === 'string' ? answer.client_id : undefined,
        scopes,
        consumer,
        audience: aud,
        expiresAt: typeof answer.exp === 'number' ? answer.exp * 1000 : Number.POSITIVE_INFINITY,
        claims: answer,
      }
    },
  }
}
