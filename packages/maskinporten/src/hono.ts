import type { MiddlewareHandler } from 'hono'
import { type BearerCheck, createBearerCheck, type ProtectOptions } from './protect.js'
import type { VerifiedAccessToken } from './verify.js'

/** Hono context variables set by {@link requireAccessToken}. */
export interface AccessTokenVariables {
  accessToken: VerifiedAccessToken
}

/**
 * Hono middleware that admits only requests with a valid access token: the
 * verified token is `c.get('accessToken')`; otherwise it answers 401 or 403
 * with an RFC 6750 `WWW-Authenticate` header and a JSON body.
 *
 * @param options - Issuer, requirements, realm, optional introspection.
 * @returns The middleware.
 * @throws {TypeError} for invalid options.
 * @example
 * ```ts
 * import { requireAccessToken } from '@felles/maskinporten/hono'
 * const app = new Hono<{ Variables: AccessTokenVariables }>()
 * app.use('/api/*', requireAccessToken({ issuer: 'https://maskinporten.no/', requiredScopes: ['kommune:api'] }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireAccessToken(
  options: ProtectOptions,
): MiddlewareHandler<{ Variables: AccessTokenVariables }> {
  const check: BearerCheck = createBearerCheck(options)
  return async (c, next) => {
    const result = await check(c.req.header('authorization'))
    if (result.ok) {
      c.set('accessToken', result.token)
      await next()
      return
    }
    const headers: Record<string, string> = { 'Cache-Control': 'no-store' }
    if (result.wwwAuthenticate !== undefined) headers['WWW-Authenticate'] = result.wwwAuthenticate
    return c.json(result.body, result.status, headers)
  }
}

export type { ProtectOptions } from './protect.js'
export type { VerifiedAccessToken } from './verify.js'
