// End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven
// by playwright-core): the Express example app, the mock's login page, the
// session, logout through the provider and back, signed out.
import { existsSync } from 'node:fs'
import type { RequestListener } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExampleApp } from '../examples/express-app.js'
import {
  type IdportenMock,
  type RelyingParty,
  startIdportenMock,
  startRelyingParty,
} from './support/fixture.js'

const CHROMIUM = '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
// CI installs Debian's chromium (.ci/run): there a missing browser is a failure, not a skip.
if (!available && process.env.CI)
  throw new Error(`${CHROMIUM} is missing in CI (install it with apt-get install -y chromium)`)
const title = available
  ? 'end to end in headless Chromium'
  : `end to end in headless Chromium — SKIPPED: ${CHROMIUM} not found (install it with \`apt-get install -y chromium\`)`

describe.skipIf(!available)(title, () => {
  let mock: IdportenMock
  let rp: RelyingParty
  let browser: import('playwright-core').Browser

  beforeAll(async () => {
    const { chromium } = await import('playwright-core')
    mock = await startIdportenMock()
    rp = await startRelyingParty(mock, { adapter: 'express' })
    // Swap the test app for the example app on the same server.
    ;(rp.app as unknown as { attach?: (l: RequestListener) => void }).attach?.(
      createExampleApp(rp.auth) as unknown as RequestListener,
    )
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await rp?.close()
    await mock?.close()
  })

  it('logs in on the mock, shows the session, logs out and lands back signed out', {
    timeout: 60_000,
  }, async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${rp.app.url}/`)
    expect(await page.textContent('#status')).toBe('Ikke innlogget')

    await page.click('#login')
    await page.waitForSelector('input[name="person"]')
    expect(new URL(page.url()).origin).toBe(mock.url)
    await page.check('input[name="level"][value="idporten-loa-high"]')
    await page.click('button[name="action"][value="login"]')

    await page.waitForURL(`${rp.app.url}/min-side`)
    expect(await page.textContent('#status')).toBe('Innlogget')
    expect(await page.textContent('#acr')).toBe('idporten-loa-high')
    const cookies = await context.cookies(rp.app.url)
    const session = cookies.find((c) => c.name === 'felles-session')
    expect(session?.httpOnly).toBe(true)
    expect(session?.sameSite).toBe('Lax')

    await page.click('#logout')
    await page.waitForURL(`${rp.app.url}/`, { timeout: 30_000 })
    await page.waitForSelector('#status')
    expect(await page.textContent('#status')).toBe('Ikke innlogget')
    expect((await context.cookies(rp.app.url)).find((c) => c.name === 'felles-session')).toBeUndefined()

    // Back to the personal page: it sends you to log in again, nothing personal is shown.
    await page.goto(`${rp.app.url}/min-side`)
    await page.waitForSelector('input[name="person"]')
    expect(new URL(page.url()).origin).toBe(mock.url)
    await context.close()
  })
})
