import { createWorld } from '@felles/mdm-mock'
import { listAudit } from '@felles/sample-municipality/schools'
import { AppAgent, securitySuite } from '@felles/sample-web/testing'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoOrgnr, scopesOfWorldSchool } from '../src/seed.js'
import { type Harness, startHarness } from './harness.js'
import { engines, hasPostgres } from './helpers.js'

/** Device ids of a school as the console stored them. */
async function deviceIds(h: Harness, schoolId: string): Promise<string[]> {
  const rows = await h.database.db
    .selectFrom('school_devices')
    .select('id')
    .where('school_id', '=', schoolId)
    .execute()
  return rows.map((r) => r.id)
}

async function deviceWhere(
  h: Harness,
  schoolId: string,
  where: { vendor?: string; platform?: string; supervised?: number },
): Promise<{ id: string; serial_number: string | null; vendor_id: string }> {
  let q = h.database.db
    .selectFrom('school_devices')
    .select(['id', 'serial_number', 'vendor_id'])
    .where('school_id', '=', schoolId)
  if (where.vendor) q = q.where('vendor', '=', where.vendor)
  if (where.platform) q = q.where('platform', '=', where.platform)
  if (where.supervised !== undefined) q = q.where('supervised', '=', where.supervised)
  const row = await q.orderBy('id').executeTakeFirst()
  if (row === undefined) throw new Error('no such device in the test world')
  return row
}

// The emulator's schools follow from the seed alone, so paths are known before anything starts.
const SCHOOL_A = createWorld({ seed: 'skole-http', schools: 4, devices: 400, epoch: 0 }).schools[0]!.id

const path = (school: string, rest = ''): string => `/skoler/${encodeURIComponent(school)}${rest}`
const devicePath = (school: string, id: string, rest = ''): string =>
  path(school, `/enheter/${encodeURIComponent(id)}${rest}`)

describe.each(engines)('skole-nettbrett over HTTP on %s', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres
  let h: Harness
  let adminA: AppAgent
  beforeAll(async () => {
    if (skip) return
    h = await startHarness(engine)
    expect(h.schoolA).toBe(SCHOOL_A)
    adminA = new AppAgent(h.url)
    await adminA.login({ person: 1 })
  }, 120_000)
  afterAll(async () => {
    if (!skip) await h.close()
  })

  describe.skipIf(skip)('per-school delegation', () => {
    it('a school administrator sees their own school only', async () => {
      const home = await adminA.get('/')
      expect(home.status).toBe(200)
      expect(home.text).toContain(path(h.schoolA))
      expect(home.text).not.toContain(path(h.schoolB))
      const fleet = await adminA.get(path(h.schoolA))
      expect(fleet.status).toBe(200)
      const own = await deviceIds(h, h.schoolA)
      expect(own.length).toBeGreaterThan(20)
      for (const id of await deviceIds(h, h.schoolB)) expect(fleet.text).not.toContain(encodeURIComponent(id))
      for (const p of [
        path(h.schoolB),
        path(h.schoolB, '/logg'),
        path(h.schoolB, '/logg.csv'),
        path(h.schoolB, '/enheter.csv'),
        path(h.schoolB, '/rapport'),
      ]) {
        expect((await adminA.get(p)).status).toBe(404)
      }
    })

    it('central IT sees every school; an administrator keyed on a reportee organisation sees that school', async () => {
      const central = new AppAgent(h.url)
      await central.login({ person: 0 })
      const home = await central.get('/')
      for (const s of [h.schoolA, h.schoolB, h.schoolC]) expect(home.text).toContain(path(s))
      const byOrg = new AppAgent(h.url)
      await byOrg.login({ person: 3, organisation: h.idMock.organisations[3]!.organisationNumber })
      expect((await byOrg.get(path(h.schoolC))).status).toBe(200)
      expect((await byOrg.get(path(h.schoolA))).status).toBe(404)
      const nobody = new AppAgent(h.url)
      await nobody.login({ person: 4 })
      expect((await nobody.get('/')).status).toBe(403)
      expect((await nobody.get(path(h.schoolA))).status).toBe(403)
    })

    it('property: no ids or filters let an administrator list, view, act on or export another school’s devices or log', async () => {
      const foreign = [...(await deviceIds(h, h.schoolB)), ...(await deviceIds(h, h.schoolC))]
      // Another school's activity in the log, which A must never see.
      const adminB = new AppAgent(h.url)
      await adminB.login({ person: 2 })
      const bDevice = await deviceWhere(h, h.schoolB, { vendor: 'intune' })
      const csrfB = await adminB.csrf(devicePath(h.schoolB, bDevice.id))
      expect(
        (
          await adminB.post(devicePath(h.schoolB, bDevice.id, '/handling'), {
            csrf: csrfB,
            handling: 'sync',
            begrunnelse: 'Test fra B',
          })
        ).status,
      ).toBe(200)
      const csrf = await adminA.csrf(path(h.schoolA))
      const commandsBefore = h.mdmMock.commands().length
      const anyId = fc.oneof(
        fc.constantFrom(...foreign),
        fc.string({ maxLength: 60 }),
        fc
          .constantFrom('intune:', 'jamf-school:', 'google:', 'jamf-pro:')
          .chain((p) => fc.string({ maxLength: 40 }).map((s) => p + s)),
      )
      const anySchool = fc.oneof(
        fc.constantFrom(h.schoolB, h.schoolC, h.unregistered.id),
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
      )
      await fc.assert(
        fc.asyncProperty(
          anyId,
          anySchool,
          fc.array(anyId, { minLength: 1, maxLength: 4 }),
          async (id, school, many) => {
            const results = await Promise.all([
              adminA.request(devicePath(h.schoolA, id)),
              adminA.request(devicePath(school, id)),
              adminA.request(path(school)),
              adminA.request(path(school, '/enheter.csv')),
              adminA.request(path(school, '/logg.csv')),
              adminA.request(
                `${path(h.schoolA)}?serienummer=${encodeURIComponent(id)}&plattform=${encodeURIComponent(school)}`,
              ),
              adminA.post(devicePath(h.schoolA, id, '/handling'), {
                csrf,
                handling: 'restart',
                begrunnelse: 'Property test',
              }),
              adminA.post(devicePath(school, id, '/handling'), {
                csrf,
                handling: 'restart',
                begrunnelse: 'Property test',
              }),
              adminA.request(path(h.schoolA, '/handlinger'), {
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: new URLSearchParams([
                  ['csrf', csrf],
                  ['handling', 'restart'],
                  ['begrunnelse', 'Property test'],
                  ...many.map((m) => ['enhet', m] as [string, string]),
                ]),
              }),
            ])
            const [ownView, otherView, otherList, otherCsv, otherLog, filtered, act, otherAct, bulk] = results
            // A bulk selection answers with a result per device; a foreign id is never a device link there.
            expect(bulk!.status).toBe(200)
            for (const m of many) {
              if (!(await deviceIds(h, h.schoolA)).includes(m)) {
                expect(bulk!.text).not.toContain(`/enheter/${encodeURIComponent(m)}"`)
              }
            }
            if (!(await deviceIds(h, h.schoolA)).includes(id)) {
              expect(ownView!.status).toBe(404)
              expect([403, 404]).toContain(act!.status)
            }
            for (const r of [otherView, otherList, otherCsv, otherLog, otherAct]) expect(r!.status).toBe(404)
            expect(filtered!.status).toBe(200)
            // No row of another school's device (rows link to the device page).
            for (const f of foreign)
              expect(filtered!.text).not.toContain(`/enheter/${encodeURIComponent(f)}"`)
          },
        ),
        { numRuns: 15 },
      )
      // Bulk over a mix: foreign ids are refused one by one, never sent.
      const own = await deviceWhere(h, h.schoolA, { vendor: 'intune' })
      const bulk = new URLSearchParams({ csrf, handling: 'sync', begrunnelse: 'Bulk med fremmede' })
      for (const id of [own.id, ...foreign.slice(0, 3)]) bulk.append('enhet', id)
      const page = await adminA.request(path(h.schoolA, '/handlinger'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: bulk,
      })
      expect(page.status).toBe(200)
      expect(page.text.match(/data-outcome="refused"/g)).toHaveLength(3)
      // Nothing reached a vendor for a foreign device: only the two syncs (B's and A's own) are new.
      const sent = h.mdmMock.commands().slice(commandsBefore)
      const schoolsHit = sent.map((command) => h.mdmMock.world.schoolAt(command.deviceIndex)?.id)
      expect(schoolsHit.filter((s) => s !== h.schoolA)).toEqual([])
      // A's log and export never show B's entries.
      const log = await adminA.get(path(h.schoolA, '/logg.csv'))
      expect(log.status).toBe(200)
      expect(log.text).not.toContain('Test fra B')
      expect(log.text).not.toContain(h.schoolB)
      const entries = await listAudit(h.database.db, { schoolIds: [h.schoolB] })
      expect(entries.some((e) => e.reason === 'Test fra B')).toBe(true)
    })
  })

  describe.skipIf(skip)('fleet, exports, report and sync progress', () => {
    it('filters and serial search narrow the list; the CSV export holds exactly the school’s devices', async () => {
      const own = await deviceIds(h, h.schoolA)
      const ipads = await h.database.db
        .selectFrom('school_devices')
        .select(['id', 'serial_number'])
        .where('school_id', '=', h.schoolA)
        .where('platform', '=', 'ipados')
        .execute()
      const filtered = await adminA.get(`${path(h.schoolA)}?plattform=ipados`)
      expect(filtered.text).toContain(`${ipads.length} enheter`)
      const serial = ipads[0]!.serial_number!
      const search = await adminA.get(`${path(h.schoolA)}?serienummer=${serial.slice(0, 6).toLowerCase()}`)
      expect(search.text).toContain(`/enheter/${encodeURIComponent(ipads[0]!.id)}"`)
      const csv = await adminA.get(path(h.schoolA, '/enheter.csv'))
      expect(csv.status).toBe(200)
      expect(csv.headers.get('content-type')).toContain('text/csv')
      const lines = csv.text
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/)
      expect(lines[0]).toMatch(/^navn;serienummer;/)
      expect(lines).toHaveLength(own.length + 1)
      for (const id of own.slice(0, 10)) expect(csv.text).toContain(id)
    })

    it('the compliance report has the chart with its table; sync progress is for central IT only', async () => {
      const report = await adminA.get(path(h.schoolA, '/rapport'))
      expect(report.status).toBe(200)
      expect(report.text).toMatch(/<svg[^>]*role="img"/)
      expect(report.text).toContain('<table class="felles-chart-table"')
      expect((await adminA.get('/synk')).status).toBe(404)
      expect((await adminA.get('/skoler-ny')).status).toBe(404)
      const central = new AppAgent(h.url)
      await central.login({ person: 0 })
      const sync = await central.get('/synk')
      expect(sync.status).toBe(200)
      expect(sync.text.match(/data-state="done"/g)).toHaveLength(4)
    })
  })

  describe.skipIf(skip)('destructive actions', () => {
    it('refuse without a matching serial and a reason, and go through with both', async () => {
      const d = await deviceWhere(h, h.schoolA, { vendor: 'jamf-school' })
      const confirm = await adminA.post(devicePath(h.schoolA, d.id, '/bekreft'), {
        csrf: await adminA.csrf(devicePath(h.schoolA, d.id)),
        handling: 'wipe',
      })
      expect(confirm.status).toBe(200)
      expect(confirm.text).toContain('name="serienummer"')
      const csrf = await adminA.csrf(devicePath(h.schoolA, d.id))
      const before = h.mdmMock.commands().length
      const attempts = [
        { serienummer: '', begrunnelse: 'Stjålet, anmeldt' },
        { serienummer: 'WRONG123', begrunnelse: 'Stjålet, anmeldt' },
        { serienummer: d.serial_number!, begrunnelse: '' },
        { serienummer: d.serial_number!, begrunnelse: 'kort' },
      ]
      for (const fields of attempts) {
        const r = await adminA.post(devicePath(h.schoolA, d.id, '/handling'), {
          csrf,
          handling: 'wipe',
          ...fields,
        })
        expect(r.status).toBe(400)
      }
      expect(h.mdmMock.commands().length).toBe(before)
      const ok = await adminA.post(devicePath(h.schoolA, d.id, '/handling'), {
        csrf,
        handling: 'wipe',
        serienummer: d.serial_number!.toLowerCase(),
        begrunnelse: 'Stjålet, politianmeldelse 2026-1',
      })
      expect(ok.status).toBe(200)
      const audit = await listAudit(h.database.db, { schoolIds: [h.schoolA], deviceId: d.id })
      expect(audit[0]).toMatchObject({ action: 'wipe', outcome: 'queued', actor_name: 'Admin A' })
      // Bulk wipe is refused outright.
      const bulk = await adminA.post(path(h.schoolA, '/handlinger'), {
        csrf,
        handling: 'wipe',
        begrunnelse: 'Alt skal slettes',
        enhet: d.id,
      })
      expect(bulk.status).toBe(400)
    })
  })

  describe.skipIf(skip)('vendor outages', () => {
    it.each([
      ['unavailable', { unavailable: true }, 'ERR_MDM_UNAVAILABLE', /svarer ikke akkurat nå/],
      ['throttled', { throttle: true }, 'ERR_MDM_RATE_LIMITED', /for mange forespørsler/],
    ] as const)('%s: a clear message and an audit entry', async (_name, fault, code, message) => {
      const d = await deviceWhere(h, h.schoolA, { vendor: 'intune', platform: 'windows' })
      const csrf = await adminA.csrf(devicePath(h.schoolA, d.id))
      const reason = `Omstart under feil ${code}`
      h.mdmMock.setFault('graph', fault)
      try {
        const page = await adminA.post(devicePath(h.schoolA, d.id, '/handling'), {
          csrf,
          handling: 'restart',
          begrunnelse: reason,
        })
        expect(page.status).toBe(502)
        expect(page.text).toMatch(message)
        expect(page.text).not.toMatch(/Error:|\sat \S+:\d+/)
      } finally {
        h.mdmMock.clearFaults()
      }
      const audit = await listAudit(h.database.db, { schoolIds: [h.schoolA], deviceId: d.id })
      const entry = audit.find((a) => a.reason === reason)
      expect(entry).toMatchObject({ outcome: 'failed', error_code: code, action: 'restart' })
    })
  })

  describe.skipIf(skip)('start pack', () => {
    it('central IT registers a school; the start pack reaches the school through SvarUt to a final status', async () => {
      const central = new AppAgent(h.url)
      await central.login({ person: 0 })
      const school = h.unregistered
      const orgnr = demoOrgnr(77)
      h.svarutMock.world.addOrganisation({ organisasjonsnummer: orgnr, name: school.name, svarInn: [] })
      const scopes = scopesOfWorldSchool(school) as Record<string, Record<string, string>>
      const form = {
        csrf: await central.csrf('/skoler-ny'),
        navn: school.name,
        id: school.id,
        orgnr,
        adresse: 'Skolevegen 99',
        postnummer: '4099',
        poststed: 'Fjordvik',
        kontakt_navn: 'Ola IT',
        kontakt_epost: 'ola.it@fjordvik.kommune.no',
        kontakt_telefon: '+47 51 00 00 99',
        jamf_school: scopes.jamfSchool!.locationId!,
        jamf_pro: scopes.jamfPro!.siteId!,
        intune: scopes.intune!.category!,
        google: scopes.google!.orgUnitPath!,
      }
      // Validation first: a bad organisation number is refused, nothing sent.
      const bad = await central.post('/skoler', { ...form, orgnr: '123456789' })
      expect(bad.status).toBe(400)
      expect(bad.text).toContain('ds-alert')
      // A school administrator cannot register schools.
      const csrfA = await adminA.csrf(path(h.schoolA))
      expect((await adminA.post('/skoler', { ...form, csrf: csrfA })).status).toBe(404)

      const created = await central.post('/skoler', form)
      expect(created.status).toBe(303)
      await h.app.processOnboarding()
      await h.app.processOnboarding()
      const letters = h.svarutMock
        .letters()
        .filter((l) => l.eksternReferanse?.startsWith(`startpakke-${school.id}`))
      expect(letters).toHaveLength(1)
      expect(letters[0]!.documents).toHaveLength(2)
      let page = await central.get('/startpakker')
      expect(page.text).toContain(school.name)
      expect(page.text).toContain('data-final="0"')
      h.svarutMock.clock.advance(9 * 86_400_000)
      await h.app.processOnboarding()
      page = await central.get('/startpakker')
      expect(page.text).toMatch(/data-status="PRINTET"/)
      expect(page.text).toContain('data-final="1"')
      // The new school's devices come in with the next sync, and central IT sees them.
      await h.app.sync.runAll()
      const fleet = await central.get(path(school.id))
      expect(fleet.status).toBe(200)
      expect(fleet.text).toContain('/enheter/')
    })
  })

  describe.skipIf(skip)('security cases 37–45', () => {
    securitySuite({
      context: () => ({
        appUrl: h.url,
        issuer: `${h.idMock.url}/ansattporten`,
        clock: h.clock,
        logs: h.logs,
        sessionCookieName: 'skole-nettbrett',
      }),
      personalPaths: ['/skoler', path(SCHOOL_A), path(SCHOOL_A, '/logg'), path(SCHOOL_A, '/rapport')],
      person: { person: 1 },
      otherPerson: { person: 2 },
      foreign: async () => ({
        paths: [path(h.schoolB), path(h.schoolB, '/logg')],
        hidden: [h.idMock.persons[2]!.nationalId!],
      }),
      forms: [
        { path: '/synk' },
        { path: path(SCHOOL_A, '/handlinger'), fields: { handling: 'sync', begrunnelse: 'x' } },
      ],
    })
  })
})
