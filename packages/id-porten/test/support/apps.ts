import { createServer, type RequestListener } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { getSession as expressSession, idPortenExpress } from '../../src/adapters/express.js'
import { getSession as fastifySession, idPortenFastify } from '../../src/adapters/fastify.js'
import { type IdPortenEnv, idPortenHono } from '../../src/adapters/hono.js'
import type { IdPortenClient, Session } from '../../src/index.js'
import { listen, type Running } from './server.js'

export type AdapterName = 'express' | 'express-with-body-parser' | 'fastify' | 'hono'

/** A server whose request listener is attached once the relying party exists. */
export async function serveNode(): Promise<Running & { attach(listener: RequestListener): void }> {
  let current: RequestListener = (_req, res) => {
    res.statusCode = 503
    res.end()
  }
  const server = createServer((req, res) => current(req, res))
  const running = await listen(server)
  return {
    ...running,
    attach(listener) {
      current = listener
    },
  }
}

const view = (s: Session): Record<string, unknown> => ({
  id: s.id,
  sub: s.sub,
  pid: s.pid,
  acr: s.acr,
  sid: s.sid,
  locale: s.locale,
  csrf: s.csrfToken,
})

/**
 * The same small app in each framework: `/` public, `/me` the session as JSON
 * (401 without one), `/min-side` protected, `/high` needs level high.
 */
export async function mountApp(name: AdapterName, auth: IdPortenClient): Promise<RequestListener> {
  if (name === 'express' || name === 'express-with-body-parser') {
    const app = express()
    // An app that parses forms before our middleware: the adapter re-encodes what the parser found.
    if (name === 'express-with-body-parser') app.use(express.urlencoded({ extended: false }))
    const { middleware, requireLogin } = idPortenExpress(auth)
    app.use(middleware)
    app.get('/', (_req, res) => {
      res.send('page /')
    })
    app.get('/me', (req, res) => {
      const s = expressSession(req)
      if (s === undefined) res.status(401).send('anonymous')
      else res.json(view(s))
    })
    app.get('/min-side', requireLogin(), (req, res) => {
      res.json(view(expressSession(req) as Session))
    })
    app.get('/high', requireLogin({ acr: 'idporten-loa-high' }), (req, res) => {
      res.json(view(expressSession(req) as Session))
    })
    return app as unknown as RequestListener
  }
  if (name === 'fastify') {
    let listener: RequestListener | undefined
    const app = Fastify({
      serverFactory: (handler) => {
        listener = handler as RequestListener
        return createServer()
      },
    })
    const { plugin, requireLogin } = idPortenFastify(auth)
    await app.register(plugin)
    app.get('/', async () => 'page /')
    app.get('/me', async (req, reply) => {
      const s = fastifySession(req)
      if (s === undefined) return reply.status(401).send('anonymous')
      return view(s)
    })
    app.get('/min-side', { preHandler: requireLogin() }, async (req) => view(fastifySession(req) as Session))
    app.get('/high', { preHandler: requireLogin({ acr: 'idporten-loa-high' }) }, async (req) =>
      view(fastifySession(req) as Session),
    )
    await app.ready()
    return listener as RequestListener
  }
  const app = new Hono<IdPortenEnv>()
  const { middleware, requireLogin } = idPortenHono(auth)
  app.use(middleware)
  app.get('/', (c) => c.text('page /'))
  app.get('/me', (c) => {
    const s = c.get('idPortenSession')
    return s === undefined ? c.text('anonymous', 401) : c.json(view(s))
  })
  app.get('/min-side', requireLogin(), (c) => c.json(view(c.get('idPortenSession') as Session)))
  app.get('/high', requireLogin({ acr: 'idporten-loa-high' }), (c) =>
    c.json(view(c.get('idPortenSession') as Session)),
  )
  return getRequestListener(app.fetch)
}
