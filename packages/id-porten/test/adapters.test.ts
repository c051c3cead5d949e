// security.md cases 37–42 (sessions and cookies), through each framework
// adapter over real HTTP, with the mock as the provider.
import { createManualClock, type ManualClock } from '@felles/id-porten-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdapterName } from './support/apps.js'
import { Browser } from './support/browser.js'
import {
  type IdportenMock,
  login,
  logout,
  me,
  type RelyingParty,
  startIdportenMock,
  startRelyingParty,
} from './support/fixture.js'

const adapters: AdapterName[] = ['express', 'fastify', 'hono']

describe('express adapter behind express.urlencoded()', () => {
  let mock: IdportenMock
  let rp: RelyingParty
  beforeAll(async () => {
    mock = await startIdportenMock()
    rp = await startRelyingParty(mock, { adapter: 'express-with-body-parser' })
  })
  afterAll(async () => {
    await rp?.close()
    await mock?.close()
  })

  it('still reads the CSRF token of the logout form', async () => {
    const browser = new Browser()
    await login(browser, rp)
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const wrong = await browser.request(`${rp.app.url}/auth/logout/local`, {
      method: 'POST',
      headers: form,
      body: 'csrf=wrong',
    })
    expect(wrong.status).toBe(403)
    const csrf = String((await me(browser, rp))?.csrf)
    const ok = await browser.request(`${rp.app.url}/auth/logout/local`, {
      method: 'POST',
      headers: form,
      body: `csrf=${csrf}`,
    })
    expect(ok.status).toBe(303)
    expect(await me(browser, rp)).toBeUndefined()
  })
})

describe.each(adapters)('%s adapter: sessions and cookies (security cases 37–42)', (adapter) => {
  let mock: IdportenMock
  let rp: RelyingParty
  let clock: ManualClock

  beforeAll(async () => {
    clock = createManualClock()
    mock = await startIdportenMock()
    rp = await startRelyingParty(mock, { adapter, options: { clock } })
  })
  afterAll(async () => {
    await rp?.close()
    await mock?.close()
  })

  it('serves the login routes and protects pages', async () => {
    const browser = new Browser()
    const anonymous = await browser.request(`${rp.app.url}/min-side`)
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toBe('/auth/login?returnTo=%2Fmin-side')
    const page = await login(browser, rp, { query: '?returnTo=/min-side' })
    expect(page.url).toBe(`${rp.app.url}/min-side`)
    expect(JSON.parse(page.body).acr).toBe('idporten-loa-substantial')
  })

  it('37: the session id changes at login; a planted id carries nothing over', async () => {
    const browser = new Browser()
    browser.setCookie('127.0.0.1', 'felles-session', 'planted-by-attacker')
    await login(browser, rp)
    const first = browser.cookie('felles-session')
    expect(first).toBeDefined()
    expect(first).not.toBe('planted-by-attacker')
    const session = await me(browser, rp)
    expect(session?.id).toBe(first)

    // Logging in again (SSO) gives a new id; the old one is dead.
    await browser.navigate(`${rp.app.url}/auth/login`)
    const second = browser.cookie('felles-session')
    expect(second).not.toBe(first)
    const stale = await fetch(`${rp.app.url}/me`, { headers: { cookie: `felles-session=${first}` } })
    expect(stale.status).toBe(401)
  })

  it('38: the session cookie is HttpOnly, SameSite=Lax, Path=/ and, on plain-http localhost only, without Secure', async () => {
    const browser = new Browser()
    await login(browser, rp)
    const cookie = browser.setCookies.find(
      (c) => c.startsWith('felles-session=') && !c.startsWith('felles-session=;'),
    )
    expect(cookie).toBeDefined()
    const attrs = (cookie ?? '').split(';').map((a) => a.trim())
    expect(attrs).toContain('HttpOnly')
    expect(attrs).toContain('SameSite=Lax')
    expect(attrs).toContain('Path=/')
    expect(attrs).not.toContain('Secure')
    expect(attrs.some((a) => a.toLowerCase().startsWith('domain='))).toBe(false)
  })

  it('38: behind https the session cookie is __Host- prefixed and Secure', async () => {
    const secure = await startRelyingParty(mock, {
      adapter,
      publicOrigin: (url) => url.replace('http://127.0.0.1', 'https://localhost'),
    })
    try {
      const browser = new Browser()
      const stop = await login(browser, secure, { stopAtCallback: true })
      // The TLS proxy would forward this to the app server over plain http.
      const local = new URL(stop.url)
      const direct = `${secure.app.url}${local.pathname}${local.search}`
      const response = await fetch(direct, {
        headers: { cookie: browser.cookieHeader(direct) },
        redirect: 'manual',
      })
      expect(response.status).toBe(303)
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('__Host-felles-session='))
      const attrs = (cookie ?? '').split(';').map((a) => a.trim())
      expect(attrs).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Lax', 'Path=/']))
      expect(attrs.some((a) => a.toLowerCase().startsWith('domain='))).toBe(false)
      const tx = browser.setCookies.find((c) => c.includes('-tx.'))
      expect(tx).toMatch(
        /^__Host-felles-session-tx\.[^=]+=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=600$/,
      )
    } finally {
      await secure.close()
    }
  })

  it('39: hostile returnTo values fall back to /', async () => {
    const browser = new Browser()
    await login(browser, rp) // an SSO session makes the next logins quick
    for (const returnTo of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '%2F%2Fevil.example',
      'javascript:alert(1)',
      '/ok\r\nSet-Cookie: x=y',
    ]) {
      const page = await browser.navigate(`${rp.app.url}/auth/login?returnTo=${encodeURIComponent(returnTo)}`)
      expect(page.url, returnTo).toBe(`${rp.app.url}/`)
    }
    const fine = await browser.navigate(
      `${rp.app.url}/auth/login?returnTo=${encodeURIComponent('/saker?id=1')}`,
    )
    expect(fine.url).toBe(`${rp.app.url}/saker?id=1`)
  })

  it('40: cross-site GET /logout has no effect; logout is a POST with a CSRF token', async () => {
    const browser = new Browser()
    await login(browser, rp)
    const session = await me(browser, rp)
    const csrf = String(session?.csrf)

    const get = await browser.request(`${rp.app.url}/auth/logout`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    })
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    const noToken = await browser.request(`${rp.app.url}/auth/logout`, {
      method: 'POST',
      headers: form,
      body: '',
    })
    expect(noToken.status).toBe(403)
    const wrong = await browser.request(`${rp.app.url}/auth/logout`, {
      method: 'POST',
      headers: form,
      body: 'csrf=wrong',
    })
    expect(wrong.status).toBe(403)
    const crossOrigin = await browser.request(`${rp.app.url}/auth/logout`, {
      method: 'POST',
      headers: { ...form, origin: 'https://evil.example' },
      body: `csrf=${csrf}`,
    })
    expect(crossOrigin.status).toBe(403)
    expect((await me(browser, rp))?.id).toBe(session?.id)

    const { page } = await logout(browser, rp)
    expect(page.url).toBe(`${rp.app.url}/`)
    expect(await me(browser, rp)).toBeUndefined()
  })

  it('40: local logout ends only the local session', async () => {
    const browser = new Browser()
    await login(browser, rp)
    const csrf = String((await me(browser, rp))?.csrf)
    const response = await browser.request(`${rp.app.url}/auth/logout/local`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `csrf=${csrf}`,
    })
    expect(response.status).toBe(303)
    expect(await me(browser, rp)).toBeUndefined()
    // The provider's SSO session is still there.
    const again = await browser.navigate(`${rp.app.url}/auth/login`)
    expect(again.body).not.toContain('name="person"')
  })

  it('41: front-channel logout ignores a wrong iss or unknown sid and ends only the matching session', async () => {
    const alice = new Browser()
    const bob = new Browser()
    await login(alice, rp)
    await login(bob, rp, { person: 1 })
    const aliceSid = String((await me(alice, rp))?.sid)
    expect(aliceSid).not.toBe(String((await me(bob, rp))?.sid))

    const url = (iss: string, sid: string): string =>
      `${rp.app.url}/auth/frontchannel-logout?iss=${encodeURIComponent(iss)}&sid=${encodeURIComponent(sid)}`
    const wrongIss = await fetch(url('https://idporten.no', aliceSid))
    expect(wrongIss.status).toBe(200)
    const unknownSid = await fetch(url(mock.issuer, 'unknown'))
    expect(unknownSid.status).toBe(200)
    expect(await me(alice, rp)).toBeDefined()

    const valid = await fetch(url(mock.issuer, aliceSid))
    expect(valid.status).toBe(200)
    expect(valid.headers.get('cache-control')).toBe('no-store')
    expect(valid.headers.get('content-security-policy')).toBe(`frame-ancestors ${mock.url}`)
    expect(await me(alice, rp)).toBeUndefined()
    expect(await me(bob, rp)).toBeDefined()
  })

  it('42: 30 minutes idle and 120 minutes absolute; personal pages are no-store; nothing personal after logout', async () => {
    // The back button after logout: the personal page now redirects to login.
    const leaving = new Browser()
    await login(leaving, rp)
    const page = await leaving.request(`${rp.app.url}/min-side`)
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    await page.body?.cancel()
    await logout(leaving, rp)
    const back = await leaving.request(`${rp.app.url}/min-side`)
    expect(back.status).toBe(303)
    expect(await back.text()).not.toMatch(/"sub"|"pid"/)

    // Logins happen before the clock moves: the mock signs tokens with real time.
    const idle = new Browser()
    const active = new Browser()
    await login(idle, rp)
    await login(active, rp, { person: 1 })
    clock.advance(29 * 60_000)
    expect(await me(idle, rp)).toBeDefined()
    expect(await me(active, rp)).toBeDefined()
    clock.advance(16 * 60_000)
    expect(await me(active, rp)).toBeDefined()
    clock.advance(14 * 60_000) // idle: 30 minutes since its last request
    expect(await me(idle, rp)).toBeUndefined()
    expect(await me(active, rp)).toBeDefined()
    for (let minute = 59; minute + 29 < 120; minute += 29) {
      clock.advance(29 * 60_000)
      expect(await me(active, rp), `minute ${minute + 29}`).toBeDefined()
    }
    clock.advance(4 * 60_000) // 121 minutes after login, a few minutes idle
    expect(await me(active, rp)).toBeUndefined()
  })
})
