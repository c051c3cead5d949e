import type {
  Request as ExpressRequest,
  Response as ExpressResponse,
  NextFunction,
  RequestHandler,
} from 'express'
import type { IdPortenClient, RequireSessionOptions, Session } from '../relying-party.js'

const sessions = new WeakMap<object, Session>()

/** What {@link idPortenExpress} returns. */
export interface ExpressIdPorten {
  /**
   * Mount once, before your routes: serves the login routes under the
   * client's `basePath` and reads the session of every other request.
   */
  readonly middleware: RequestHandler
  /** Protects a route: no session (or too low a level) → redirect to login; sets `Cache-Control: no-store`. */
  requireLogin(options?: RequireSessionOptions): RequestHandler
}

/**
 * Express adapter (4 and 5) for `@felles/id-porten`.
 *
 * @param auth - The relying party from `createIdPorten`.
 * @returns The middleware and a `requireLogin` guard.
 * @example
 * ```ts
 * const { middleware, requireLogin } = idPortenExpress(auth)
 * app.use(middleware)
 * app.get('/min-side', requireLogin(), (req, res) => { res.send(getSession(req)?.sub) })
 * ```
 */
export function idPortenExpress(auth: IdPortenClient): ExpressIdPorten {
  const middleware: RequestHandler = (req, res, next) => {
    run(auth, req, res, next).catch(next)
  }
  return {
    middleware,
    requireLogin(options = {}) {
      return (req, res, next) => {
        res.setHeader('Cache-Control', 'no-store')
        if (auth.satisfies(sessions.get(req), options.acr)) {
          next()
          return
        }
        res.redirect(303, auth.loginLocation(req.originalUrl, options.acr))
      }
    },
  }
}

/**
 * The session the middleware found for this request.
 *
 * @param req - An Express request that passed the middleware.
 * @returns The session, or `undefined`.
 * @example
 * ```ts
 * app.get('/', (req, res) => { res.send(getSession(req) ? 'logged in' : 'anonymous') })
 * ```
 */
export function getSession(req: ExpressRequest): Session | undefined {
  return sessions.get(req)
}

async function run(
  auth: IdPortenClient,
  req: ExpressRequest,
  res: ExpressResponse,
  next: NextFunction,
): Promise<void> {
  const path = req.path
  if (path.startsWith(`${auth.basePath}/`)) {
    const response = await auth.handle(await toFetchRequest(req))
    if (response !== undefined) {
      await send(res, response)
      return
    }
  }
  const lookup = await auth.readSession(req.headers.cookie)
  if (lookup.setCookie !== undefined) res.append('Set-Cookie', lookup.setCookie)
  if (lookup.session !== undefined) sessions.set(req, lookup.session)
  next()
}

async function toFetchRequest(req: ExpressRequest): Promise<Request> {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.set(name, value)
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.originalUrl}`
  const init: RequestInit = { method: req.method, headers }
  if (req.method === 'POST') {
    const parsed = (req as { body?: unknown }).body
    if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) {
      // A body parser ran first: re-encode what it found.
      init.body = new URLSearchParams(parsed as Record<string, string>).toString()
      headers.set('content-type', 'application/x-www-form-urlencoded')
    } else if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) {
      init.body = String(parsed)
    } else {
      init.body = await readBody(req)
    }
  }
  return new Request(url, init)
}

function readBody(req: ExpressRequest, limit = 16_384): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.destroy()
        reject(new Error('request body too large'))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status)
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue
    res.setHeader(name, value)
  }
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.append('Set-Cookie', cookies)
  res.end(Buffer.from(await response.arrayBuffer()))
}
