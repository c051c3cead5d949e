// End to end in Debian's Chromium: an officer logs in through Ansattporten
// (the mock), creates a case for a synthetic citizen, moves it through
// statuses, records the decision, sends a decision letter and sees it become
// read; in a second browser context the citizen logs in to Min side (same
// database, started in-process) and sees the new status and the letter.
// axe-core on every page; screenshots under apps/saksbehandling/test-results/.
import { fileURLToPath } from 'node:url'
import { type MinSide, startMinSide } from '@felles/min-side'
import { type Dialect, postgresAvailable } from '@felles/sample-municipality'
import { createLogger } from '@felles/sample-web'
import {
  axeViolations,
  describeBrowser,
  launchChromium,
  NATIONAL_ID_SHAPE,
  screenshot,
} from '@felles/sample-web/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fixture, startFixture } from './support/fixture.js'

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))
const hasPostgres = await postgresAvailable()

async function checkPage(page: Page, name: string | undefined): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${page.url()}`).toEqual([])
  expect(page.url()).not.toMatch(NATIONAL_ID_SHAPE)
  if (name !== undefined) await screenshot(page, APP_DIR, name)
}

async function until(page: Page, check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await page.waitForTimeout(250)
    await page.reload()
  }
}

describeBrowser('Saksbehandling in Chromium', () => {
  describe.each(['sqlite', 'postgres'] as Dialect[])('on %s', (dialect) => {
    const skip = dialect === 'postgres' && !hasPostgres
    let f: Fixture
    let minSide: MinSide
    let browser: Browser

    beforeAll(async () => {
      if (skip) return
      f = await startFixture(dialect)
      minSide = await startMinSide({
        port: 0,
        database: f.database,
        idportenMock: f.idporten,
        logger: createLogger(() => {}),
        cookieSecret: 'another test cookie secret, long enough',
      })
      browser = await launchChromium()
    }, 120_000)
    afterAll(async () => {
      await browser?.close()
      await minSide?.close()
      await f?.close()
    })

    it.skipIf(skip)(
      'officer: case → statuses → decision letter read; citizen: sees it on Min side',
      { timeout: 180_000 },
      async () => {
        const shots = dialect === 'sqlite'
        const officerPerson = f.idporten.persons[4] as (typeof f.idporten.persons)[number]
        const citizen = f.idporten.persons[2] as (typeof f.idporten.persons)[number]
        const municipality = f.app.municipality.organizationNumber

        // --- the officer
        const officerContext = await browser.newContext()
        const page = await officerContext.newPage()
        await page.goto(`${f.app.url}/`)
        await checkPage(page, shots ? 'start' : undefined)
        await page.click('main a[href^="/auth/login"]')
        expect(new URL(page.url()).origin).toBe(f.idporten.url)
        await page.waitForSelector('input[name="person"]')
        await page.check(`input[name="person"][value="${officerPerson.id}"]`)
        await page.click('button[name="action"][value="login"]')
        await page.waitForSelector('input[name="organisation"]')
        await page.check(`input[name="organisation"][value="${municipality}"]`)
        await Promise.all([
          page.waitForURL(`${f.app.url}/saker`),
          page.click('button[name="action"][value="login"]'),
        ])
        expect(await page.textContent('h1')).toBe('Saker')
        await checkPage(page, shots ? 'saker' : undefined)

        await page.click('nav a[href="/saker/ny"]')
        await page.waitForURL(`${f.app.url}/saker/ny`)
        await page.fill('#f-partyId', '12345678901')
        await page.click('main form[action="/saker/ny"] button[type="submit"]')
        expect(await page.textContent('#f-partyId-error')).toContain('Ikke et gyldig')
        await checkPage(page, shots ? 'ny-sak-feil' : undefined)
        await page.selectOption('#f-track', 'byggesak:ordinary')
        await page.fill('#f-title', 'Tilbygg til bolig')
        await page.fill('#f-partyId', citizen.nationalId as string)
        await page.fill('#f-partyName', citizen.name)
        await page.fill('#f-address', 'Fjellveien 12')
        await page.fill('#f-postalCode', '5750')
        await page.fill('#f-city', 'Fjellvik')
        await Promise.all([
          page.waitForURL(/\/saker\/sak-[a-z2-7]+\?lagret=1$/),
          page.click('main form[action="/saker/ny"] button[type="submit"]'),
        ])
        const casePath = new URL(page.url()).pathname
        expect(await page.textContent('main')).not.toContain(citizen.nationalId as string)
        await checkPage(page, shots ? 'sak-ny' : undefined)

        for (const status of ['under-behandling', 'til-uttale', 'intern-vurdering']) {
          await page.selectOption('#f-statusType', status)
          await Promise.all([
            page.waitForURL(/lagret=1$/),
            page.click(`form[action="${casePath}/status"] button`),
          ])
        }
        await page.selectOption('#f-outcome', 'granted')
        await page.fill('#f-summary', 'Tiltaket er i tråd med reguleringsplanen.')
        await Promise.all([
          page.waitForURL(/lagret=1$/),
          page.click(`form[action="${casePath}/resultat"] button`),
        ])
        await page.selectOption('#f-statusType', 'vedtak')
        await Promise.all([
          page.waitForURL(/lagret=1$/),
          page.click(`form[action="${casePath}/status"] button`),
        ])
        expect(await page.textContent('#current-status')).toBe('Vedtak fattet')

        await page.selectOption('#f-letterKind', 'decision')
        await page.fill('#f-letterTitle', 'Vedtak om tilbygg')
        await page.fill('#f-letterBody', 'Søknaden om tilbygg er innvilget.\n\nDu kan klage innen tre uker.')
        await Promise.all([page.waitForURL(/brev=1$/), page.click(`form[action="${casePath}/brev"] button`)])
        const letter = await (async () => {
          const deadline = Date.now() + 30_000
          for (;;) {
            const found = f.svarut.letters().find((l) => l.tittel === 'Vedtak om tilbygg')
            if (found) return found
            if (Date.now() > deadline) throw new Error('the letter never reached SvarUt')
            await page.waitForTimeout(200)
          }
        })()
        await until(
          page,
          async () => (await page.textContent('main'))?.includes('Vedtak sendt') ?? false,
          'Vedtak sendt',
        )
        await until(
          page,
          async () => (await page.locator('[data-letter-phase="delivered-digitally"]').count()) > 0,
          'Levert digitalt',
        )
        if (shots) await screenshot(page, APP_DIR, 'sak-brev-levert')
        // The citizen opens it (notified through Altinn).
        f.svarut.world.read(letter.id)
        await until(page, async () => (await page.locator('[data-letter-phase="read"]').count()) > 0, 'Lest')
        expect(await page.textContent('main')).toContain('Lest')
        await checkPage(page, shots ? 'sak-brev-lest' : undefined)

        await page.goto(`${f.app.url}${casePath}/dialogporten`)
        await checkPage(page, shots ? 'dialogporten' : undefined)
        await page.goto(`${f.app.url}/gevinster`)
        expect(await page.locator('svg[role="img"]').count()).toBeGreaterThanOrEqual(3)
        await checkPage(page, shots ? 'gevinster' : undefined)
        await officerContext.close()

        // --- the citizen, on Min side
        const citizenContext = await browser.newContext()
        const mine = await citizenContext.newPage()
        await mine.goto(`${minSide.url}/saker`)
        await mine.waitForSelector('input[name="person"]')
        await mine.check(`input[name="person"][value="${citizen.id}"]`)
        await Promise.all([
          mine.waitForURL(`${minSide.url}/saker`),
          mine.click('button[name="action"][value="login"]'),
        ])
        await mine.click('a:has-text("Tilbygg til bolig")')
        const caseText = (await mine.textContent('main')) ?? ''
        expect(caseText).toContain('Tilbygg til bolig')
        expect(caseText).toMatch(/Vedtak/)
        if (shots) await screenshot(mine, APP_DIR, 'min-side-sak')
        await mine.goto(`${minSide.url}/brev`)
        expect(await mine.textContent('main')).toContain('Vedtak om tilbygg')
        if (shots) await screenshot(mine, APP_DIR, 'min-side-brev')
        await citizenContext.close()
      },
    )
  })
})
