import type { IncomingHttpHeaders } from 'node:http'
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify } from 'jose'
import type { MockClock } from './clock.js'

/**
 * How the mock checks the `Authorization: Bearer` token.
 *
 * - `static`: the token must equal `token` (quick local use).
 * - `maskinporten`: an RS256 JWT from a trusted issuer (for example
 *   `@felles/id-porten-mock`), verified with its JWKS, with scope `ks:fiks`,
 *   the right issuer, not expired on the mock clock, and a `consumer`
 *   organisation equal to the integration's.
 * - `none`: no token needed (integration headers are still checked).
 */
export type AuthOptions =
  | { readonly mode: 'static'; readonly token?: string }
  | {
      readonly mode: 'maskinporten'
      /** Expected `iss`. */
      readonly issuer: string
      /** JWKS URL of the issuer (fetched and cached by jose). */
      readonly jwksUrl?: string | URL
      /** Or the key set itself. */
      readonly jwks?: JSONWebKeySet
      /** Required scope; default `ks:fiks`. */
      readonly scope?: string
      /** Expected `aud`, if any. */
      readonly audience?: string
      /** Allowed clock skew in seconds; default 60. */
      readonly clockToleranceSeconds?: number
      /** Require `consumer` to match the integration's organisation; default true. */
      readonly checkConsumer?: boolean
    }
  | { readonly mode: 'none' }

/** Default static token when no `auth` option is given. */
export const DEFAULT_STATIC_TOKEN = 'svarut-mock-token'

/** Outcome of a token check. */
export type TokenCheck =
  | { readonly ok: true; readonly consumer: string | undefined }
  | { readonly ok: false; readonly reason: string }

export type TokenChecker = (headers: IncomingHttpHeaders) => Promise<TokenCheck>

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization
  if (!h) return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h)
  return m?.[1]
}

/** Organisation number from a Maskinporten `consumer` claim (`0192:123456789`). */
export function consumerOrganisation(payload: JWTPayload): string | undefined {
  const consumer = payload.consumer as { ID?: unknown } | undefined
  const id = typeof consumer?.ID === 'string' ? consumer.ID : undefined
  return id?.split(':').at(-1)
}

export function createTokenChecker(options: AuthOptions, clock: MockClock): TokenChecker {
  if (options.mode === 'none') return async () => ({ ok: true, consumer: undefined })
  if (options.mode === 'static') {
    const expected = options.token ?? DEFAULT_STATIC_TOKEN
    return async (headers) => {
      const token = bearer(headers)
      if (!token) return { ok: false, reason: 'Bearer token mangler' }
      return token === expected ? { ok: true, consumer: undefined } : { ok: false, reason: 'Ugyldig token' }
    }
  }
  if (!options.jwks && !options.jwksUrl) throw new TypeError('auth.maskinporten needs jwks or jwksUrl')
  const keys = options.jwks
    ? createLocalJWKSet(options.jwks)
    : createRemoteJWKSet(new URL(String(options.jwksUrl)), { cacheMaxAge: 60_000, cooldownDuration: 0 })
  const scope = options.scope ?? 'ks:fiks'
  return async (headers) => {
    const token = bearer(headers)
    if (!token) return { ok: false, reason: 'Bearer token mangler' }
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        algorithms: ['RS256'],
        currentDate: clock.date(),
        clockTolerance: options.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iat'],
        ...(options.audience ? { audience: options.audience } : {}),
      })
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : []
      if (!scopes.includes(scope)) return { ok: false, reason: `Token mangler scope ${scope}` }
      return { ok: true, consumer: consumerOrganisation(payload) }
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID'
      return { ok: false, reason: `Ugyldig token (${code})` }
    }
  }
}
