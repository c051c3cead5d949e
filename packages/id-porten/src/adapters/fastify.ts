import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify'
import type { IdPortenClient, RequireSessionOptions, Session } from '../relying-party.js'

const sessions = new WeakMap<object, Session>()

/** What {@link idPortenFastify} returns. */
export interface FastifyIdPorten {
  /** Register with `app.register(plugin)`: the login routes and a session hook for every request. */
  readonly plugin: (app: FastifyInstance) => Promise<void>
  /** A `preHandler` that protects a route (redirect to login, step-up; `Cache-Control: no-store`). */
  requireLogin(options?: RequireSessionOptions): preHandlerHookHandler
}

/**
 * Fastify 5 adapter for `@felles/id-porten`. The plugin is not encapsulated,
 * so its session hook sees every route.
 *
 * @param auth - The relying party from `createIdPorten`.
 * @returns The plugin and a `requireLogin` guard.
 * @example
 * ```ts
 * const { plugin, requireLogin } = idPortenFastify(auth)
 * await app.register(plugin)
 * app.get('/min-side', { preHandler: requireLogin() }, async (req) => getSession(req)?.sub)
 * ```
 */
export function idPortenFastify(auth: IdPortenClient): FastifyIdPorten {
  const plugin = async (app: FastifyInstance): Promise<void> => {
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 16_384 },
        (_req, body, done) => {
          done(null, body)
        },
      )
    }
    const route = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const response = await auth.handle(toFetchRequest(request))
      if (response === undefined) {
        await reply.callNotFound()
        return
      }
      await send(reply, response)
    }
    for (const path of ['/login', '/callback', '/logout/callback', '/frontchannel-logout', '/logout.js']) {
      app.get(auth.basePath + path, route)
    }
    for (const path of ['/logout', '/logout/local']) {
      app.route({
        method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
        url: auth.basePath + path,
        handler: route,
      })
    }
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(`${auth.basePath}/`)) return
      const lookup = await auth.readSession(request.headers.cookie)
      if (lookup.setCookie !== undefined) reply.header('set-cookie', lookup.setCookie)
      if (lookup.session !== undefined) sessions.set(request, lookup.session)
    })
  }
  ;(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true
  return {
    plugin,
    requireLogin(options = {}) {
      return async (request, reply) => {
        reply.header('cache-control', 'no-store')
        if (auth.satisfies(sessions.get(request), options.acr)) return
        await reply.redirect(auth.loginLocation(request.url, options.acr), 303)
      }
    },
  }
}

/**
 * The session the plugin's hook found for this request.
 *
 * @param request - A Fastify request.
 * @returns The session, or `undefined`.
 * @example
 * ```ts
 * app.get('/', async (req) => (getSession(req) ? 'logged in' : 'anonymous'))
 * ```
 */
export function getSession(request: FastifyRequest): Session | undefined {
  return sessions.get(request)
}

function toFetchRequest(request: FastifyRequest): Request {
  const headers = new Headers()
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, String(value))
  }
  const init: RequestInit = { method: request.method, headers }
  if (request.method === 'POST') {
    const body = request.body
    if (typeof body === 'string') init.body = body
    else if (body !== null && typeof body === 'object') {
      init.body = new URLSearchParams(body as Record<string, string>).toString()
      headers.set('content-type', 'application/x-www-form-urlencoded')
    }
  }
  return new Request(`http://${request.headers.host ?? 'localhost'}${request.url}`, init)
}

async function send(reply: FastifyReply, response: Response): Promise<void> {
  reply.status(response.status)
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') reply.header(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) reply.header('set-cookie', cookies)
  await reply.send(Buffer.from(await response.arrayBuffer()))
}
