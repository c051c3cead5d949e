// Digdir's verification tests for ID-porten integrations, as named specs,
// against the mock over HTTP with two services (two clients) where needed.
import { createManualClock, type ManualClock } from '@felles/id-porten-mock'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Browser } from './support/browser.js'
import {
  choosePerson,
  type IdportenMock,
  login,
  logout,
  me,
  type RelyingParty,
  startIdportenMock,
  startRelyingParty,
} from './support/fixture.js'

describe("Digdir's verification tests", () => {
  let mock: IdportenMock
  let serviceA: RelyingParty
  let serviceB: RelyingParty

  beforeAll(async () => {
    mock = await startIdportenMock()
    serviceA = await startRelyingParty(mock)
    // Cookies ignore ports: the second service on the same host needs its own cookie name.
    serviceB = await startRelyingParty(mock, { options: { cookieName: 'service-b' } })
  })
  afterAll(async () => {
    await serviceA?.close()
    await serviceB?.close()
    await mock?.close()
  })

  it('SSO into the service: a user logged in elsewhere gets in without logging in again', async () => {
    const browser = new Browser()
    await login(browser, serviceB)
    expect(await me(browser, serviceB)).toBeDefined()
    const page = await browser.navigate(`${serviceA.app.url}/auth/login?returnTo=/min-side`)
    expect(page.body).not.toContain('name="person"')
    expect(page.url).toBe(`${serviceA.app.url}/min-side`)
    const a = await me(browser, serviceA)
    const b = await me(browser, serviceB)
    expect(a?.pid).toBe(b?.pid)
    expect(a?.sub).not.toBe(b?.sub) // pairwise subjects
  })

  it('SSO out of the service: after logging in here, another service needs no new login', async () => {
    const browser = new Browser()
    await login(browser, serviceA)
    const page = await browser.navigate(`${serviceB.app.url}/auth/login`)
    expect(page.body).not.toContain('name="person"')
    expect(await me(browser, serviceB)).toBeDefined()
  })

  it('single logout started from the service ends the sessions of both services', async () => {
    const browser = new Browser()
    await login(browser, serviceA)
    await browser.navigate(`${serviceB.app.url}/auth/login`)
    expect(await me(browser, serviceB)).toBeDefined()

    const { page, iframes } = await logout(browser, serviceA)
    expect(page.url).toBe(`${serviceA.app.url}/`)
    expect(iframes.map((u) => new URL(u).origin).sort()).toEqual([serviceA.app.url, serviceB.app.url].sort())
    expect(await me(browser, serviceA)).toBeUndefined()
    expect(await me(browser, serviceB)).toBeUndefined()
    // The SSO session is gone too: the next login shows the login page.
    const again = await browser.navigate(`${serviceA.app.url}/auth/login`)
    expect(again.body).toContain('name="person"')
  })

  it('single logout started by another service ends this service’s session through front-channel logout', async () => {
    const browser = new Browser()
    await login(browser, serviceA)
    await browser.navigate(`${serviceB.app.url}/auth/login`)
    const other = new Browser()
    await login(other, serviceA)

    const { iframes } = await logout(browser, serviceB)
    const ours = iframes.find((u) => u.startsWith(serviceA.auth.frontChannelLogoutUri))
    expect(ours).toBeDefined()
    expect(new URL(ours ?? '').searchParams.get('sid')).toBeTruthy()
    expect(await me(browser, serviceA)).toBeUndefined()
    expect(await me(browser, serviceB)).toBeUndefined()
    // Another user's session with this service is untouched.
    expect(await me(other, serviceA)).toBeDefined()
  })

  it('step-up: a route that needs level high sends a substantial session back to log in at high', async () => {
    const browser = new Browser()
    await login(browser, serviceA, { level: 'idporten-loa-substantial' })
    const before = await me(browser, serviceA)
    expect(before?.acr).toBe('idporten-loa-substantial')

    const stepUp = await browser.navigate(`${serviceA.app.url}/high`)
    expect(stepUp.body).toContain('name="person"') // the provider asks again
    expect(stepUp.hops.some((h) => h.url.includes('acr_values=idporten-loa-high'))).toBe(true)
    const page = await choosePerson(browser, stepUp, { level: 'idporten-loa-high' }, undefined)
    expect(page.url).toBe(`${serviceA.app.url}/high`)
    const after = JSON.parse(page.body) as Record<string, unknown>
    expect(after.acr).toBe('idporten-loa-high')
    expect(after.id).not.toBe(before?.id)
    expect(after.pid).toBe(before?.pid)
  })

  it('prompt=login forces a new authentication even with an SSO session', async () => {
    const browser = new Browser()
    await login(browser, serviceA)
    const sso = await browser.navigate(`${serviceA.app.url}/auth/login`)
    expect(sso.body).not.toContain('name="person"')
    const forced = await browser.navigate(`${serviceA.app.url}/auth/login?prompt=login`)
    expect(forced.body).toContain('name="person"')
    const done = await choosePerson(browser, forced, {}, undefined)
    expect(done.url).toBe(`${serviceA.app.url}/`)
  })

  it('locale: ui_locales reaches the login page and comes back in the session', async () => {
    const browser = new Browser()
    const page = await browser.navigate(`${serviceA.app.url}/auth/login?ui_locales=en`)
    expect(page.body).toMatch(/<html[^>]*lang="en"/)
    await choosePerson(browser, page, {}, undefined)
    expect((await me(browser, serviceA))?.locale).toBe('en')
  })
})

describe('Digdir verification test: session timeout after 30 minutes idle (fake clock)', () => {
  let mock: IdportenMock
  let rp: RelyingParty
  let clock: ManualClock

  // A fresh clock per test: logins must happen at real time (openid-client checks tokens against it).
  beforeEach(async () => {
    clock = createManualClock()
    mock = await startIdportenMock({ clock })
    rp = await startRelyingParty(mock, { options: { clock } })
  })
  afterEach(async () => {
    await rp?.close()
    await mock?.close()
  })

  it('ends the session after 30 minutes without activity, not before', async () => {
    const browser = new Browser()
    await login(browser, rp)
    clock.advance(29 * 60_000)
    expect(await me(browser, rp)).toBeDefined()
    clock.advance(29 * 60_000) // 58 minutes since login, 29 idle
    expect(await me(browser, rp)).toBeDefined()
    clock.advance(30 * 60_000)
    expect(await me(browser, rp)).toBeUndefined()
    // The cookie of the ended session was cleared.
    expect(browser.cookie('felles-session')).toBeUndefined()
  })

  it('ends an active session 120 minutes after login', async () => {
    const browser = new Browser()
    await login(browser, rp)
    for (let minutes = 25; minutes < 120; minutes += 25) {
      clock.advance(25 * 60_000)
      expect(await me(browser, rp), `after ${minutes} minutes`).toBeDefined()
    }
    clock.advance(20 * 60_000) // 120 minutes after login
    expect(await me(browser, rp)).toBeUndefined()
  })
})
