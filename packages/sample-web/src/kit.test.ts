import { startIdportenMock } from '@felles/id-porten-mock'
import {
  type Dialect,
  openTestDatabase,
  postgresAvailable,
  type TestDatabase,
} from '@felles/sample-municipality'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWebApp } from './app.js'
import { createAuth, fromMockClient, mockRegistration } from './auth.js'
import { html } from './html.js'
import { createI18n } from './i18n.js'
import { createLogger, type LogEntry } from './logger.js'
import { type Listening, listen } from './serve.js'
import { SqlSessionStore } from './session-store.js'
import { AppAgent, createOffsetClock, NATIONAL_ID_SHAPE, securitySuite } from './testing.js'

const hasPostgres = await postgresAvailable()
const texts = createI18n({
  nb: { service: 'Prøvetjeneste', hello: 'Hei' },
  nn: { service: 'Prøveteneste', hello: 'Hei' },
  en: { service: 'Test service', hello: 'Hello' },
})

describe.each(['sqlite', 'postgres'] as Dialect[])('kit on %s', (dialect) => {
  const skip = dialect === 'postgres' && !hasPostgres
  let mock: Awaited<ReturnType<typeof startIdportenMock>>
  let server: Listening
  let database: TestDatabase
  let store: SqlSessionStore
  const logs: LogEntry[] = []
  const clock = createOffsetClock()
  let cookieName = ''

  beforeAll(async () => {
    if (skip) return
    mock = await startIdportenMock()
    database = await openTestDatabase(dialect)
    server = await listen()
    const client = await mock.registerClient(mockRegistration(server.url, 'idporten', 'Prøve'))
    store = new SqlSessionStore(database.db, { now: clock.now, sweepIntervalMs: 0 })
    const auth = await createAuth({
      baseUrl: server.url,
      identity: { issuer: mock.issuer, client: fromMockClient(client) },
      store,
      cookieName: 'kit-test',
      cookieSecret: 'a test secret that is long enough for the sealer',
      clock,
    })
    cookieName = auth.auth.sessionCookieName
    const web = createWebApp({
      baseUrl: server.url,
      i18n: texts,
      serviceName: 'service',
      auth,
      logger: createLogger((e) => logs.push(e)),
      nav: (c) => [{ href: '/privat', label: c.var.t('hello') }],
    })
    web.app.get('/', (c) => web.render(c, { title: 'Start', main: html`<h1>${c.var.t('hello')}</h1>` }))
    web.app.get('/privat', web.requireSession(), (c) =>
      web.render(c, {
        title: 'Privat',
        main: html`<h1>Privat</h1><form method="post" action="/endre">${web.csrfField(c)}<button>Endre</button></form>`,
      }),
    )
    web.app.get('/hoy', web.requireSession({ acr: 'idporten-loa-high' }), (c) =>
      web.render(c, { title: 'Høy', main: html`<h1>Høyt nivå</h1>` }),
    )
    web.app.post('/endre', (c) => c.text('endret'))
    web.app.get('/feil', () => {
      throw new Error('boom with 21879498012 inside')
    })
    server.attach(web.app)
  })

  afterAll(async () => {
    store?.close()
    await server?.close()
    await database?.dispose()
    await mock?.close()
  })

  it.skipIf(skip)('serves pages with the layout, security headers and hashed assets', async () => {
    const agent = new AppAgent(server.url)
    const page = await agent.get('/')
    expect(page.status).toBe(200)
    expect(page.text).toContain('<html lang="nb"')
    expect(page.text).toContain('href="#main"')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(page.headers.get('content-security-policy')).not.toContain('unsafe-inline')
    expect(page.headers.get('x-content-type-options')).toBe('nosniff')
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    const css = /href="(\/assets\/[^"]+\.css)"/.exec(page.text)?.[1] as string
    const asset = await agent.request(css)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    const en = await agent.get('/lang/en?returnTo=%2F')
    expect(en.text).toContain('<html lang="en"')
    expect((await agent.request('/lang/nb?returnTo=//evil.example')).headers.get('location')).toBe('/')
  })

  it.skipIf(skip)(
    'logs in through the mock, keeps the session in SQL, steps up, and checks CSRF',
    async () => {
      const agent = new AppAgent(server.url)
      const first = await agent.request('/privat')
      expect(first.status).toBe(303)
      const page = await agent.loginFrom('/privat', { person: 0 })
      expect(page.text).toContain('<h1>Privat</h1>')
      expect(page.headers.get('cache-control')).toBe('no-store')
      const rows = await database.db.selectFrom('sessions').select(['id', 'sid']).execute()
      expect(rows.length).toBeGreaterThan(0)
      expect(rows.every((r) => r.sid !== null)).toBe(true)

      expect((await agent.post('/endre', {})).status).toBe(403)
      const csrf = await agent.csrf('/privat')
      expect((await agent.post('/endre', { csrf }, { origin: 'https://evil.example' })).status).toBe(403)
      expect((await agent.post('/endre', { csrf })).text).toBe('endret')
      const huge = await agent.post('/endre', { csrf, fil: 'x'.repeat(13 * 1024 * 1024) })
      expect(huge.status).toBe(413)
      expect(huge.text).toContain('Filen er for stor')

      const high = await agent.loginFrom('/hoy', { level: 'high' })
      expect(high.text).toContain('Høyt nivå')
      expect(agent.visited.some((u) => NATIONAL_ID_SHAPE.test(u))).toBe(false)
    },
  )

  it.skipIf(skip)('expires an idle session with the "session expired" page, then logs out', async () => {
    const agent = new AppAgent(server.url)
    await agent.loginFrom('/privat')
    clock.advance(31 * 60_000)
    const expired = await agent.request('/privat')
    clock.reset()
    expect(expired.status).toBe(401)
    expect(expired.text).toContain('Økten er utløpt')
    await agent.loginFrom('/privat')
    const out = await agent.logout()
    expect(out.status).toBe(200)
    expect((await agent.request('/privat')).status).toBe(303)
  })

  it.skipIf(skip)('answers 404 and 500 pages that reveal nothing, and logs no identifier', async () => {
    const agent = new AppAgent(server.url)
    const missing = await agent.get('/finnes-ikke')
    expect(missing.status).toBe(404)
    expect(missing.text).toContain('Fant ikke siden')
    const broken = await agent.get('/feil')
    expect(broken.status).toBe(500)
    expect(broken.text).not.toContain('boom')
    expect(broken.text).not.toMatch(NATIONAL_ID_SHAPE)
    expect(JSON.stringify(logs)).not.toMatch(NATIONAL_ID_SHAPE)
    expect(logs.some((l) => l.event === 'error')).toBe(true)
  })

  describe.skipIf(skip)('security.md 37–45', () => {
    securitySuite({
      context: () => ({
        appUrl: server.url,
        issuer: mock.issuer,
        clock,
        logs,
        sessionCookieName: cookieName,
      }),
      personalPaths: ['/privat'],
      forms: [{ path: '/endre' }],
    })
  })

  it.skipIf(skip)('consumes one-time keys once and sweeps expired rows', async () => {
    const soon = clock.now() + 1000
    expect(await store.consume('k1', soon)).toBe(true)
    expect(await store.consume('k1', soon)).toBe(false)
    clock.advance(2000)
    expect(await store.consume('k1', clock.now() + 1000)).toBe(true)
    clock.advance(2 * 3600_000)
    expect(await store.sweep()).toBeGreaterThan(0)
    clock.reset()
  })
})
