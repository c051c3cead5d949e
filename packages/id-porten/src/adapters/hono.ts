import type { MiddlewareHandler } from 'hono'
import type { IdPortenClient, RequireSessionOptions, Session } from '../relying-party.js'

/** Context variables the middleware sets: `c.get('idPortenSession')`. */
export interface IdPortenVariables {
  idPortenSession: Session | undefined
}

/** The environment type to give `new Hono<IdPortenEnv>()`. */
export interface IdPortenEnv {
  Variables: IdPortenVariables
}

/** What {@link idPortenHono} returns. */
export interface HonoIdPorten {
  /** `app.use(middleware)`: serves the login routes and sets `idPortenSession` on every request. */
  readonly middleware: MiddlewareHandler<IdPortenEnv>
  /** Protects a route (redirect to login, step-up; `Cache-Control: no-store`). */
  requireLogin(options?: RequireSessionOptions): MiddlewareHandler<IdPortenEnv>
}

/**
 * Hono 4 adapter for `@felles/id-porten` (works wherever Hono runs and Web
 * Crypto exists).
 *
 * @param auth - The relying party from `createIdPorten`.
 * @returns The middleware and a `requireLogin` guard.
 * @example
 * ```ts
 * const { middleware, requireLogin } = idPortenHono(auth)
 * const app = new Hono<IdPortenEnv>()
 * app.use(middleware)
 * app.get('/min-side', requireLogin(), (c) => c.text(c.get('idPortenSession')?.sub ?? ''))
 * ```
 */
export function idPortenHono(auth: IdPortenClient): HonoIdPorten {
  return {
    middleware: async (c, next) => {
      if (c.req.path.startsWith(`${auth.basePath}/`)) {
        const response = await auth.handle(c.req.raw)
        if (response !== undefined) return response
      }
      const lookup = await auth.readSession(c.req.header('cookie'))
      c.set('idPortenSession', lookup.session)
      await next()
      if (lookup.setCookie !== undefined) c.res.headers.append('set-cookie', lookup.setCookie)
      return undefined
    },
    requireLogin(options = {}) {
      return async (c, next) => {
        if (!auth.satisfies(c.get('idPortenSession'), options.acr)) {
          return c.redirect(auth.loginLocation(c.req.path + new URL(c.req.url).search, options.acr), 303)
        }
        await next()
        c.res.headers.set('cache-control', 'no-store')
        return undefined
      }
    },
  }
}
