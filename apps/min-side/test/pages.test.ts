import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Dialect, listCitizenCases, postgresAvailable, simplePdf } from '@felles/sample-municipality'
import { createLogger, silentSink } from '@felles/sample-web'
import { AppAgent, NATIONAL_ID_SHAPE } from '@felles/sample-web/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMinSide } from '../src/index.js'
import { type Fixture, startFixture } from './support.js'

const hasPostgres = await postgresAvailable()

describe.each(['sqlite', 'postgres'] as Dialect[])('Min side pages over HTTP on %s', (dialect) => {
  const skip = dialect === 'postgres' && !hasPostgres
  let f: Fixture
  beforeAll(async () => {
    if (skip) return
    f = await startFixture(dialect)
  })
  afterAll(async () => {
    await f?.close()
  })

  it.skipIf(skip)(
    'lists the cases with status, action needed and overdue marks, in three languages',
    async () => {
      const agent = new AppAgent(f.app.url)
      const page = await agent.loginFrom('/saker', { person: 0 })
      expect(page.status).toBe(200)
      expect(page.text).toContain('<h1 class="ds-heading" data-size="lg">Mine saker</h1>')
      expect(page.text.match(/<tr>/g)?.length).toBe(5) // header + 4 cases
      expect(page.text).toContain('Mangler dokumentasjon')
      expect(page.text).toContain('Du må gjøre noe')
      expect(page.text).toContain('Fristen er passert')
      expect(page.text).toMatch(/href="\/saker\/sak-[a-z2-7]{26}"/)
      await agent.get('/lang/nn?returnTo=%2Fsaker')
      const nn = await agent.get('/saker')
      expect(nn.text).toContain('<html lang="nn"')
      expect(nn.text).toContain('Sakene mine')
      expect(nn.text).toContain('Du må gjere noko')
      await agent.get('/lang/en?returnTo=%2Fsaker')
      const en = await agent.get('/saker')
      expect(en.text).toContain('Action needed')
      expect(en.text).toContain('Deadline passed')
      await agent.get('/lang/se?returnTo=%2F') // not offered (no complete North Sami texts): stays English
      expect((await agent.get('/saker')).text).toContain('<html lang="en"')
    },
  )

  it.skipIf(skip)(
    'shows a case with timeline, deadline, contact; a screened document needs level high',
    async () => {
      const me = f.persons[0] as Fixture['persons'][number]
      const rows = await listCitizenCases(f.database.db, me.nationalId)
      const waiting = rows.find((r) => r.status === 'mangler-dokumentasjon')
      expect(waiting).toBeDefined()
      const agent = new AppAgent(f.app.url)
      const page = await agent.loginFrom(`/saker/${waiting?.id}`, { person: 0, level: 'substantial' })
      expect(page.text).toContain('Dette trenger vi fra deg')
      expect(page.text).toContain('Historikk')
      expect(page.text).toContain('Kari Nordli')
      expect(page.text).toContain('Helseopplysninger (unntatt offentlighet)')
      expect(page.text).not.toContain('Legeerklæring')
      const links = [...page.text.matchAll(/href="(\/saker\/[^"]+\/dokumenter\/[^"]+)"/g)].map(
        (m) => m[1] as string,
      )
      expect(links).toHaveLength(3)
      const plain = await agent.request(links[0] as string)
      expect(plain.status).toBe(200)
      expect(plain.headers.get('content-type')).toBe('application/pdf')
      const screened = links[1] as string
      const stepUp = await agent.request(screened)
      expect(stepUp.status).toBe(303)
      expect(stepUp.headers.get('location')).toContain('acr_values=idporten-loa-high')
      const pdf = await agent.loginFrom(screened, { person: 0, level: 'high' })
      expect(pdf.status).toBe(200)
      expect(pdf.text.startsWith('%PDF-')).toBe(true)
      expect((await agent.get(`/saker/${waiting?.id}`)).text).toContain('Legeerklæring')
      expect((await agent.get('/okt')).text).toContain('Høyt (nivå 4)')
      expect((await agent.request(`/saker/${waiting?.id}/dokumenter/nope`)).status).toBe(404)
      const decided = rows.find((r) => r.status === 'svar-sendt')
      const decision = await agent.get(`/saker/${decided?.id}`)
      expect(decision.text).toContain('Innvilget')
      expect(decision.text).toContain('Du kan klage på vedtaket til og med')
      expect(decision.text).toContain('Solbakken barnehage fra 1. august')
      const overdue = rows.find((r) => r.caseType === 'skjenkebevilling')
      expect((await agent.get(`/saker/${overdue?.id}`)).text).toContain('Vi beklager at saken tar lengre tid')
      expect((await agent.request('/saker/..%2F..%2Fetc')).status).toBe(404)
    },
  )

  it.skipIf(skip)('lists letters with delivery status and serves their PDFs', async () => {
    const agent = new AppAgent(f.app.url)
    const page = await agent.loginFrom('/brev', { person: 0 })
    expect(page.text).toContain('Levert digitalt')
    expect(page.text).toContain('Sendt til utskrift')
    expect(page.text).toContain('Lest')
    const href = /href="(\/brev\/[0-9a-f-]{36})"/.exec(page.text)?.[1] as string
    const pdf = await agent.request(href)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('cache-control')).toBe('no-store')
    expect(pdf.text.startsWith('%PDF-')).toBe(true)
  })

  it.skipIf(skip)('a foreign eID user without a national id sees no cases', async () => {
    const foreign = f.mock.persons.find((p) => p.nationalId === undefined)
    expect(foreign).toBeDefined()
    const agent = new AppAgent(f.app.url)
    const page = await agent.loginFrom('/saker', { person: foreign?.id as string })
    expect(page.status).toBe(200)
    expect(page.text).toContain('uten norsk fødselsnummer')
    expect(page.text).not.toMatch(NATIONAL_ID_SHAPE)
  })

  it.skipIf(skip)(
    'fetches a letter sent through SvarUt from the SvarUt mock when no document is stored',
    async () => {
      const me = f.persons[0] as Fixture['persons'][number]
      const pdf = simplePdf('Brev via SvarUt', ['Fjellvik kommune'])
      const svarut = createServer((req, res) => {
        if (req.url === '/forsendelse/4a1d2c3e-0000-4000-8000-000000000001/1') {
          res.writeHead(200, { 'content-type': 'application/pdf' }).end(Buffer.from(pdf))
        } else res.writeHead(404).end()
      })
      await new Promise<void>((resolve) => svarut.listen(0, '127.0.0.1', resolve))
      const svarutUrl = `http://127.0.0.1:${(svarut.address() as AddressInfo).port}`
      const at = new Date().toISOString()
      await f.database.db
        .insertInto('letters')
        .values({
          id: '9c8b7a65-0000-4000-8000-00000000abcd',
          case_id: null,
          recipient_kind: 'person',
          recipient_pid: me.nationalId,
          recipient_orgnr: null,
          title: 'Brev via SvarUt',
          ekstern_referanse: 'felles-test-svarut-1',
          svarut_id: '4a1d2c3e-0000-4000-8000-000000000001',
          status: 'LEVERT_SDP',
          phase: 'delivered-digitally',
          final: 1,
          created_at: at,
          updated_at: at,
        })
        .execute()
      const withSvarUt = await startMinSide({
        port: 0,
        database: f.database,
        idportenMock: f.mock,
        seed: false,
        svarutUrl,
        logger: createLogger(silentSink),
      })
      try {
        const agent = new AppAgent(withSvarUt.url)
        const list = await agent.loginFrom('/brev', { person: 0 })
        expect(list.text).toContain('Brev via SvarUt')
        const letter = await agent.request('/brev/9c8b7a65-0000-4000-8000-00000000abcd')
        expect(letter.status).toBe(200)
        expect(letter.text.startsWith('%PDF-')).toBe(true)
        // Without the SvarUt mock configured, the same letter has nothing to show.
        const plain = new AppAgent(f.app.url)
        await plain.loginFrom('/brev', { person: 0 })
        expect((await plain.request('/brev/9c8b7a65-0000-4000-8000-00000000abcd')).status).toBe(404)
      } finally {
        await withSvarUt.close()
        svarut.close()
      }
    },
  )

  it.skipIf(skip)('sessions survive a restart of the app (SQL session store)', async () => {
    const agent = new AppAgent(f.app.url)
    await agent.loginFrom('/saker', { person: 0 })
    const rows = await f.database.db.selectFrom('sessions').select(['id', 'sid']).execute()
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((r) => r.sid !== null)).toBe(true)
    // A second instance on the same database (as after a restart): the same cookie is a valid session.
    const again = await startMinSide({
      port: 0,
      database: f.database,
      idportenMock: f.mock,
      seed: false,
      logger: createLogger(silentSink),
      cookieSecret: 'a test cookie secret that is long enough',
    })
    try {
      const restarted = new AppAgent(again.url, agent.browser)
      const page = await restarted.request('/saker')
      expect(page.status).toBe(200)
      expect(page.text).toContain('Mangler dokumentasjon')
    } finally {
      await again.close()
    }
    await f.database.db.deleteFrom('sessions').execute()
    expect((await agent.request('/saker')).status).not.toBe(200)
  })
})
