// End to end in Debian's Chromium: central IT logs in on the Ansattporten mock's
// page, onboards a school and sees the start pack reach a final status in SvarUt;
// the school's administrator logs in, sees only their school's devices, puts an
// iPad in lost mode and sees the queued command complete after the device's
// simulated check-in. axe-core on every page; screenshots under test-results/.
import { fileURLToPath } from 'node:url'
import {
  axeViolations,
  describeBrowser,
  launchChromium,
  NATIONAL_ID_SHAPE,
  screenshot,
} from '@felles/sample-web/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { demoOrgnr, scopesOfWorldSchool } from '../src/seed.js'
import { type Harness, startHarness } from './harness.js'

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${page.url()}`).toEqual([])
  expect(page.url()).not.toMatch(NATIONAL_ID_SHAPE)
  await screenshot(page, APP_DIR, name)
}

/** Logs in on the mock's Ansattporten page as the given person (first organisation offered). */
async function login(page: Page, h: Harness, person: number, returnTo: string): Promise<void> {
  await page.goto(`${h.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`)
  await page.waitForSelector('input[name="person"]')
  await page.check(`input[name="person"][value="${h.idMock.persons[person]!.id}"]`)
  await Promise.all([page.waitForLoadState(), page.click('button[name="action"][value="login"]')])
  if (await page.$('input[name="organisation"]')) {
    await Promise.all([page.waitForURL(`${h.url}/**`), page.click('button[name="action"][value="login"]')])
  }
  await page.waitForURL(`${h.url}${returnTo}`)
}

describeBrowser('Skole-nettbrett in Chromium', () => {
  let h: Harness
  let browser: Browser
  beforeAll(async () => {
    h = await startHarness('sqlite', { seed: 'skole-http' })
    browser = await launchChromium()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await h?.close()
  })

  it('central IT onboards a school; its administrator puts an iPad in lost mode and sees the command complete', {
    timeout: 90_000,
  }, async () => {
    const school = h.unregistered
    const orgnr = demoOrgnr(88)
    h.svarutMock.world.addOrganisation({ organisasjonsnummer: orgnr, name: school.name, svarInn: [] })

    // Central IT.
    const central = await (await browser.newContext()).newPage()
    await central.goto(h.url)
    await checkPage(central, '01-start')
    await login(central, h, 0, '/skoler')
    await checkPage(central, '02-central-schools')
    await central.click('nav a[href="/skoler-ny"]')
    await checkPage(central, '03-onboarding-form')
    const scopes = scopesOfWorldSchool(school) as Record<string, Record<string, string>>
    await central.fill('#o-navn', school.name)
    await central.fill('#o-id', school.id)
    await central.fill('#o-orgnr', orgnr)
    await central.fill('#o-adresse', 'Skolevegen 12')
    await central.fill('#o-postnummer', '4012')
    await central.fill('#o-poststed', 'Fjordvik')
    await central.fill('#o-kontakt_navn', 'Kari IT')
    await central.fill('#o-kontakt_epost', 'kari.it@fjordvik.kommune.no')
    await central.fill('#o-jamf_school', scopes.jamfSchool!.locationId!)
    await central.fill('#o-jamf_pro', scopes.jamfPro!.siteId!)
    await central.fill('#o-intune', scopes.intune!.category!)
    await central.fill('#o-google', scopes.google!.orgUnitPath!)
    await Promise.all([
      central.waitForURL(`${h.url}/startpakker**`),
      central.click('main button[type="submit"]'),
    ])
    expect(await central.textContent('main')).toContain(school.name)
    await h.app.processOnboarding()
    expect(
      h.svarutMock.letters().filter((l) => l.eksternReferanse?.startsWith(`startpakke-${school.id}`)),
    ).toHaveLength(1)
    // Nine days on, the letter has gone through Altinn to print: a final status.
    h.svarutMock.clock.advance(9 * 86_400_000)
    await Promise.all([
      central.waitForURL(`${h.url}/startpakker`),
      central.click('main button[type="submit"]'),
    ])
    expect(await central.textContent('main')).toContain('PRINTET')
    expect(await central.$('td[data-final="1"]')).not.toBeNull()
    await checkPage(central, '04-startpack-final')
    await h.app.sync.runAll()

    // The new school's administrator.
    const admin = await (await browser.newContext()).newPage()
    await login(admin, h, 5, '/skoler')
    const links = await admin.$$eval('main a[href^="/skoler/"]', (as) =>
      as.map((a) => a.getAttribute('href')),
    )
    expect(links).toEqual([`/skoler/${school.id}`])
    await admin.click(`main a[href="/skoler/${school.id}"]`)
    await checkPage(admin, '05-fleet')
    const own = new Set(
      (
        await h.database.db
          .selectFrom('school_devices')
          .select('id')
          .where('school_id', '=', school.id)
          .execute()
      ).map((r) => r.id),
    )
    const shown = await admin.$$eval('tbody input[name="enhet"]', (inputs) =>
      inputs.map((i) => (i as HTMLInputElement).value),
    )
    expect(shown.length).toBeGreaterThan(0)
    for (const id of shown) expect(own.has(id)).toBe(true)

    const ipad = await h.database.db
      .selectFrom('school_devices')
      .select(['id', 'serial_number'])
      .where('school_id', '=', school.id)
      .where('vendor', '=', 'jamf-pro')
      .where('platform', '=', 'ipados')
      .where('supervised', '=', 1)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await admin.goto(`${h.url}/skoler/${school.id}/enheter/${encodeURIComponent(ipad.id)}`)
    await checkPage(admin, '06-device')
    await admin.click('#a-enableLostMode summary')
    await admin.fill('#a-enableLostMode-message', 'Funnet? Lever til skolens kontor.')
    await admin.fill('#a-enableLostMode-phone', '+47 51 00 00 00')
    await admin.fill('#a-enableLostMode-reason', 'Meldt mistet av eleven')
    await Promise.all([
      admin.waitForLoadState(),
      admin.click('form.sk-action button:has-text("Slå på mistet-modus")'),
    ])
    expect(await admin.textContent('main')).toContain('Venter på at enheten sjekker inn')
    expect(await admin.textContent('main')).toContain('Venter på enheten')
    await checkPage(admin, '07-lost-mode-queued')

    // The iPad checks in: the command is carried out, and the console shows it completed.
    h.mdmMock.checkIn(ipad.serial_number!)
    await admin.goto(`${h.url}/skoler/${school.id}/enheter/${encodeURIComponent(ipad.id)}`)
    expect(await admin.textContent('main')).toContain('Fullført')
    // Now in lost mode: the page offers to turn it off.
    expect(await admin.$('#a-disableLostMode-reason')).not.toBeNull()
    expect(await admin.$('#a-enableLostMode-reason')).toBeNull()
    await checkPage(admin, '08-lost-mode-completed')
    await admin.goto(`${h.url}/skoler/${school.id}/logg`)
    await checkPage(admin, '09-audit-log')
    await admin.goto(`${h.url}/skoler/${school.id}/rapport`)
    await checkPage(admin, '10-compliance-report')
  })
})
