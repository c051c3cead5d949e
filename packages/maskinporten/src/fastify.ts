import { type BearerCheck, createBearerCheck, type ProtectOptions } from './protect.js'
import type { VerifiedAccessToken } from './verify.js'

/** The parts of a Fastify request the hook reads and writes. */
export interface FastifyLikeRequest {
  readonly headers: { readonly authorization?: string | undefined }
  accessToken?: VerifiedAccessToken | null
}

/** The parts of a Fastify reply the hook uses. */
export interface FastifyLikeReply {
  code(statusCode: number): FastifyLikeReply
  header(name: string, value: string): FastifyLikeReply
  send(payload?: unknown): FastifyLikeReply
}

/** A Fastify `onRequest`/`preHandler` hook. */
export type FastifyHook = (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<void>

/**
 * A Fastify 5 hook (use it as `onRequest` or `preHandler`, app-wide or per
 * route) that admits only requests with a valid access token: the verified
 * token lands on `request.accessToken` (declare it with
 * `app.decorateRequest('accessToken', null)`); otherwise it answers 401 or
 * 403 with an RFC 6750 `WWW-Authenticate` header and a JSON body.
 *
 * @param options - Issuer, requirements, realm, optional introspection.
 * @returns The hook.
 * @throws {TypeError} for invalid options.
 * @example
 * ```ts
 * import { requireAccessToken } from '@felles/maskinporten/fastify'
 * app.decorateRequest('accessToken', null)
 * app.addHook('onRequest', requireAccessToken({ issuer: 'https://maskinporten.no/', requiredScopes: ['kommune:api'] }))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function requireAccessToken(options: ProtectOptions): FastifyHook {
  const check: BearerCheck = createBearerCheck(options)
  return async (request, reply) => {
    const result = await check(request.headers.authorization)
    if (result.ok) {
      request.accessToken = result.token
      return
    }
    if (result.wwwAuthenticate !== undefined) reply.header('WWW-Authenticate', result.wwwAuthenticate)
    reply.header('Cache-Control', 'no-store').code(result.status).send(result.body)
  }
}

export type { ProtectOptions } from './protect.js'
export type { VerifiedAccessToken } from './verify.js'
