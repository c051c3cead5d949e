import { type BearerCheck, createBearerCheck, type ProtectOptions } from './protect.js'
import type { VerifiedAccessToken } from './verify.js'

/** The parts of an Express request the middleware reads and writes. */
export interface ExpressLikeRequest {
  readonly headers: { readonly authorization?: string | undefined }
  accessToken?: VerifiedAccessToken
}

/** The parts of an Express response the middleware uses. */
export interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse
  setHeader(name: string, value: string): unknown
  json(body: unknown): unknown
  locals?: Record<string, unknown>
}

/** An Express middleware. */
export type ExpressMiddleware = (
  req: ExpressLikeRequest,
  res: ExpressLikeResponse,
  next: (error?: unknown) => void,
) => void

/**
 * Express middleware (4 and 5) that admits only requests with a valid
 * access token from the issuer: the verified token lands on
 * `req.accessToken` and `res.locals.accessToken`; otherwise it answers 401
 * or 403 with an RFC 6750 `WWW-Authenticate` header and a JSON body (400 for
 * a malformed header, 503 when the issuer's keys cannot be fetched).
 *
 * @param options - Issuer, requirements, realm, optional introspection.
 * @returns The middleware.
 * @throws {TypeError} for invalid options.
 * @example
 * ```ts
 * import { requireAccessToken } from '@felles/maskinporten/express'
 * app.use('/api', requireAccessToken({ issuer: 'https://maskinporten.no/', requiredScopes: ['kommune:api'] }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireAccessToken(options: ProtectOptions): ExpressMiddleware {
  const check: BearerCheck = createBearerCheck(options)
  return (req, res, next) => {
    check(req.headers.authorization).then(
      (result) => {
        if (result.ok) {
          req.accessToken = result.token
          if (res.locals !== undefined) res.locals.accessToken = result.token
          next()
          return
        }
        if (result.wwwAuthenticate !== undefined) res.setHeader('WWW-Authenticate', result.wwwAuthenticate)
        res.setHeader('Cache-Control', 'no-store')
        res.status(result.status).json(result.body)
      },
      (error: unknown) => next(error),
    )
  }
}

export type { ProtectOptions } from './protect.js'
export type { VerifiedAccessToken } from './verify.js'
