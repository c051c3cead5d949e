// End to end in Debian's Chromium: log in on the mock's page, see the cases,
// open a case, step up to level high for a screened document, open a letter,
// log out through ID-porten; a second person cannot reach the first person's
// case; the idle limit ends the session. axe-core on every page; screenshots
// of each main page under apps/min-side/test-results/.
import { fileURLToPath } from 'node:url'
import {
  type Dialect,
  listCitizenCases,
  listCitizenLetters,
  postgresAvailable,
} from '@felles/sample-municipality'
import {
  axeViolations,
  describeBrowser,
  launchChromium,
  NATIONAL_ID_SHAPE,
  screenshot,
} from '@felles/sample-web/testing'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Fixture, startFixture } from './support.js'

const APP_DIR = fileURLToPath(new URL('..', import.meta.url))
const hasPostgres = await postgresAvailable()

async function checkPage(page: Page, name: string | undefined): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${page.url()}`).toEqual([])
  expect(page.url()).not.toMatch(NATIONAL_ID_SHAPE)
  if (name !== undefined) await screenshot(page, APP_DIR, name)
}

async function loginOnMock(page: Page, personId: string, level?: 'substantial' | 'high'): Promise<void> {
  await page.waitForSelector('input[name="person"]')
  await page.check(`input[name="person"][value="${personId}"]`)
  if (level !== undefined) await page.check(`input[name="level"][value="idporten-loa-${level}"]`)
}

describeBrowser('Min side in Chromium', () => {
  describe.each(['sqlite', 'postgres'] as Dialect[])('on %s', (dialect) => {
    const skip = dialect === 'postgres' && !hasPostgres
    let f: Fixture
    let browser: Browser

    beforeAll(async () => {
      if (skip) return
      f = await startFixture(dialect)
      browser = await launchChromium()
    })
    afterAll(async () => {
      await browser?.close()
      await f?.close()
    })

    it.skipIf(skip)(
      'logs in, shows cases, steps up for a screened document, opens a letter, logs out',
      {
        timeout: 60_000,
      },
      async () => {
        const shots = dialect === 'sqlite'
        const me = f.persons[0] as Fixture['persons'][number]
        const context = await browser.newContext()
        const page = await context.newPage()
        await page.goto(`${f.app.url}/`)
        expect(await page.textContent('h1')).toBe('Min side')
        await checkPage(page, shots ? 'start' : undefined)

        await page.click('main a[href^="/auth/login"]')
        expect(new URL(page.url()).origin).toBe(f.mock.url)
        await loginOnMock(page, me.id)
        await Promise.all([
          page.waitForURL(`${f.app.url}/`),
          page.click('button[name="action"][value="login"]'),
        ])
        expect(await page.textContent('h1')).toContain('Hei')
        await checkPage(page, shots ? 'oversikt' : undefined)

        await page.click('nav a[href="/saker"]')
        await page.waitForURL(`${f.app.url}/saker`)
        const rows = await page.locator('table tbody tr').count()
        expect(rows).toBe(4)
        expect(await page.textContent('table')).toContain('Du må gjøre noe')
        expect(await page.textContent('table')).toContain('Fristen er passert')
        await checkPage(page, shots ? 'saker' : undefined)

        await page.click('a:has-text("Tilbygg til enebolig")')
        await page.waitForSelector('#asked')
        expect(await page.textContent('main')).toContain('situasjonsplan')
        expect(await page.textContent('main')).toContain('Historikk')
        expect(await page.textContent('main')).not.toContain('Legeerklæring')
        await checkPage(page, shots ? 'sak' : undefined)

        // The screened document: step up to level high at ID-porten, then the PDF.
        const caseUrl = page.url()
        const screened = page.locator('li:has(.ds-tag[data-color="warning"]) a[href*="/dokumenter/"]')
        const docHref = (await screened.getAttribute('href')) as string
        await screened.click()
        await page.waitForSelector('input[name="level"][value="idporten-loa-high"]')
        expect(new URL(page.url()).origin).toBe(f.mock.url)
        await loginOnMock(page, me.id, 'high')
        const [pdf] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith(docHref) && r.status() === 200),
          page.click('button[name="action"][value="login"]').catch(() => undefined),
        ])
        expect(pdf.headers()['content-type']).toBe('application/pdf')
        // Chromium's PDF viewer stands in for the body: fetch the bytes with the same cookies.
        const bytes = await context.request.get(`${f.app.url}${docHref}`)
        expect(bytes.status()).toBe(200)
        expect((await bytes.body()).subarray(0, 5).toString()).toBe('%PDF-')
        await page.goto(caseUrl)
        expect(await page.textContent('main')).toContain('Legeerklæring')

        await page.goto(`${f.app.url}/brev`)
        expect(await page.locator('table tbody tr').count()).toBe(4)
        await checkPage(page, shots ? 'brev' : undefined)
        const letterHref = (await page.locator('table tbody a').first().getAttribute('href')) as string
        const letter = await context.request.get(`${f.app.url}${letterHref}`)
        expect(letter.headers()['content-type']).toBe('application/pdf')
        expect((await letter.body()).subarray(0, 5).toString()).toBe('%PDF-')

        await page.click('a[lang="nn"]')
        expect(await page.textContent('h1')).toBe('Breva mine')
        expect(await page.getAttribute('html', 'lang')).toBe('nn')
        await page.click('a[lang="nb"]')

        await page.goto(`${f.app.url}/okt`)
        expect(await page.textContent('main')).toContain('Høyt (nivå 4)')
        await checkPage(page, shots ? 'okt' : undefined)
        await page.click('main button[type="submit"]')
        await page.waitForURL(`${f.app.url}/`, { timeout: 20_000 })
        await page.waitForSelector('main a[href^="/auth/login"]')
        await page.goto(`${f.app.url}/saker`)
        expect(new URL(page.url()).origin).toBe(f.mock.url)
        await context.close()
      },
    )

    it.skipIf(skip)(
      "a second person gets 404 for the first person's case, and the idle limit ends the session",
      {
        timeout: 60_000,
      },
      async () => {
        const shots = dialect === 'sqlite'
        const [first, second] = f.persons as [Fixture['persons'][number], Fixture['persons'][number]]
        const [theirCase] = await listCitizenCases(f.database.db, first.nationalId)
        const [theirLetter] = await listCitizenLetters(f.database.db, first.nationalId)
        const context = await browser.newContext()
        const page = await context.newPage()
        await page.goto(`${f.app.url}/saker`)
        await loginOnMock(page, second.id)
        await Promise.all([
          page.waitForURL(`${f.app.url}/saker`),
          page.click('button[name="action"][value="login"]'),
        ])
        const response = await page.goto(`${f.app.url}/saker/${theirCase?.id}`)
        expect(response?.status()).toBe(404)
        expect(await page.textContent('h1')).toBe('Fant ikke siden')
        expect(await page.content()).not.toContain(first.name)
        await checkPage(page, shots ? 'ikke-funnet' : undefined)
        expect((await page.goto(`${f.app.url}/brev/${theirLetter?.id}`))?.status()).toBe(404)
        for (const path of ['/personvern', '/tilgjengelighet', '/lang/en?returnTo=%2Fsaker']) {
          await page.goto(`${f.app.url}${path}`)
          await checkPage(page, undefined)
        }
        expect(await page.getAttribute('html', 'lang')).toBe('en')
        await page.goto(`${f.app.url}/lang/nb?returnTo=%2F`)

        f.clock.advance(31 * 60_000)
        try {
          const expired = await page.goto(`${f.app.url}/saker`)
          expect(expired?.status()).toBe(401)
          expect(await page.textContent('h1')).toBe('Økten er utløpt')
          await checkPage(page, shots ? 'okt-utlopt' : undefined)
        } finally {
          f.clock.reset()
        }
        expect(JSON.stringify(f.logs)).not.toMatch(NATIONAL_ID_SHAPE)
        await context.close()
      },
    )
  })
})
