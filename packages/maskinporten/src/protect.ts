import { isMaskinportenError, MaskinportenError } from './errors.js'
import { createTokenIntrospector, type IntrospectionOptions } from './introspect.js'
import {
  createAccessTokenVerifier,
  type VerifiedAccessToken,
  type VerifyAccessTokenOptions,
} from './verify.js'

/** Options of the Express, Fastify and Hono middleware. */
export interface ProtectOptions extends VerifyAccessTokenOptions {
  /** `realm` of the `WWW-Authenticate` header. Default `api`. */
  readonly realm?: string
  /**
   * Introspection for opaque (non-JWT) tokens. Without it only JWT access
   * tokens are accepted. The introspector's `issuer` defaults to `issuer`.
   */
  readonly introspection?: Omit<IntrospectionOptions, 'issuer'> & { readonly issuer?: string }
  /** A custom check instead of the built-in verifier (tests, several issuers). */
  readonly verify?: (token: string) => Promise<VerifiedAccessToken>
}

/** The outcome of checking one request's `Authorization` header. */
export type ProtectResult =
  | { readonly ok: true; readonly token: VerifiedAccessToken }
  | {
      readonly ok: false
      readonly status: 400 | 401 | 403 | 503
      /** Set the header only when present (a 503 has none). */
      readonly wwwAuthenticate: string | undefined
      readonly body: { readonly error: string; readonly error_description: string }
      readonly error: MaskinportenError
    }

/** A function that checks an `Authorization` header value, from {@link createBearerCheck}. */
export type BearerCheck = (authorization: string | readonly string[] | undefined) => Promise<ProtectResult>

// RFC 6750 §3: error_description and scope use %x20-21 / %x23-5B / %x5D-7E.
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '')}"`

/**
 * Builds an RFC 6750 `WWW-Authenticate` value.
 *
 * @param realm - The realm.
 * @param error - `invalid_request`, `invalid_token` or `insufficient_scope`; none for a request without credentials.
 * @param description - A human-readable reason (characters outside RFC 6750's set are dropped).
 * @param scope - Scopes needed, for `insufficient_scope`.
 * @returns The header value.
 * @example
 * ```ts
 * bearerChallenge('api', 'invalid_token', 'The access token has expired')
 * // 'Bearer realm="api", error="invalid_token", error_description="The access token has expired"'
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function bearerChallenge(
  realm: string,
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope',
  description?: string,
  scope?: readonly string[],
): string {
  const parts = [`realm=${quoted(realm)}`]
  if (error !== undefined) parts.push(`error=${quoted(error)}`)
  if (description !== undefined) parts.push(`error_description=${quoted(description)}`)
  if (scope !== undefined && scope.length > 0) parts.push(`scope=${quoted(scope.join(' '))}`)
  return `Bearer ${parts.join(', ')}`
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/**
 * Creates the framework-independent check behind the middleware: it reads
 * the bearer token, verifies a JWT (or introspects an opaque token), and
 * says what to answer: 401 without or with an invalid token, 403 for a
 * missing scope or another consumer, 400 for a malformed header, 503 when the
 * issuer's keys cannot be fetched.
 *
 * @param options - Verification options, realm, and optional introspection.
 * @returns The check.
 * @throws {TypeError} for invalid options.
 * @example
 * ```ts
 * const check = createBearerCheck({ issuer: 'https://maskinporten.no/', requiredScopes: ['kommune:api'] })
 * const result = await check(request.headers.authorization)
 * if (!result.ok) respond(result.status, result.wwwAuthenticate, result.body)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750
 */
export function createBearerCheck(options: ProtectOptions): BearerCheck {
  const realm = options.realm ?? 'api'
  const verifier = options.verify === undefined ? createAccessTokenVerifier(options) : undefined
  const introspector =
    options.introspection === undefined
      ? undefined
      : createTokenIntrospector({
          ...options.introspection,
          issuer: options.introspection.issuer ?? options.issuer,
          ...(options.introspection.requiredScopes === undefined && options.requiredScopes !== undefined
            ? { requiredScopes: options.requiredScopes }
            : {}),
          ...(options.introspection.consumer === undefined && options.consumer !== undefined
            ? { consumer: options.consumer }
            : {}),
          ...(options.introspection.audience === undefined && options.audience !== undefined
            ? { audience: options.audience }
            : {}),
        })

  const check = (token: string): Promise<VerifiedAccessToken> => {
    if (options.verify !== undefined) return options.verify(token)
    if (!JWT_SHAPE.test(token)) {
      if (introspector !== undefined) return introspector.introspect(token)
      return Promise.reject(
        new MaskinportenError('ERR_TOKEN_INVALID', 'The access token is not valid: it is not a JWT', {
          status: 401,
        }),
      )
    }
    return verifier!.verify(token)
  }

  return async (authorization) => {
    if (authorization === undefined || authorization === '') {
      const error = new MaskinportenError(
        'ERR_TOKEN_MISSING',
        'No bearer token in the Authorization header',
        {
          status: 401,
        },
      )
      return {
        ok: false,
        status: 401,
        wwwAuthenticate: bearerChallenge(realm),
        body: { error: 'unauthorized', error_description: error.message },
        error,
      }
    }
    const match = typeof authorization === 'string' ? BEARER.exec(authorization) : null
    if (match === null) {
      const error = new MaskinportenError(
        'ERR_TOKEN_MALFORMED',
        'The Authorization header must be "Bearer" and one token',
        { status: 400 },
      )
      return {
        ok: false,
        status: 400,
        wwwAuthenticate: bearerChallenge(realm, 'invalid_request', error.message),
        body: { error: 'invalid_request', error_description: error.message },
        error,
      }
    }
    try {
      return { ok: true, token: await check(match[1]!) }
    } catch (caught) {
      const error = isMaskinportenError(caught)
        ? caught
        : new MaskinportenError('ERR_TOKEN_INVALID', 'The access token could not be checked', {
            status: 401,
            cause: caught,
          })
      if (error.code === 'ERR_INSUFFICIENT_SCOPE' || error.code === 'ERR_WRONG_CONSUMER') {
        return {
          ok: false,
          status: 403,
          wwwAuthenticate: bearerChallenge(realm, 'insufficient_scope', error.message, error.requiredScopes),
          body: { error: 'insufficient_scope', error_description: error.message },
          error,
        }
      }
      if (error.code === 'ERR_JWKS' || error.code === 'ERR_INTROSPECTION' || error.code === 'ERR_METADATA') {
        return {
          ok: false,
          status: 503,
          wwwAuthenticate: undefined,
          body: {
            error: 'temporarily_unavailable',
            error_description: 'The access token cannot be checked now',
          },
          error,
        }
      }
      return {
        ok: false,
        status: 401,
        wwwAuthenticate: bearerChallenge(realm, 'invalid_token', error.message),
        body: { error: 'invalid_token', error_description: error.message },
        error,
      }
    }
  }
}
