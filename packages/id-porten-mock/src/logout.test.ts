import { decodeProtectedHeader } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeRp, rpClient, startFakeRp, startFlow } from '../test/helpers.js'
import { MockBrowser } from './browser.js'
import { startIdportenMock } from './mock.js'
import type { IdportenMock } from './types.js'

let mock: IdportenMock
let rpA: FakeRp
let rpB: FakeRp

beforeAll(async () => {
  ;[mock, rpA, rpB] = await Promise.all([startIdportenMock(), startFakeRp(), startFakeRp()])
})
afterAll(async () => {
  await Promise.all([mock.close(), rpA.close(), rpB.close()])
})

describe('RP-initiated logout with front-channel logout', () => {
  it('loads an iframe with iss and sid for every client in the session, then returns with state', async () => {
    const a = await rpClient(mock, rpA, { clientName: 'Tjeneste A' })
    const b = await rpClient(mock, rpB, { clientName: 'Tjeneste B' })
    const browser = new MockBrowser()
    const flowA = await startFlow(mock, a, { browser })
    const idTokenA = (await flowA.exchange()).id_token as string
    const flowB = await startFlow(mock, b, { browser })
    expect(flowB.login.loginPages).toBe(0)
    const tokensB = await flowB.exchange()
    const claimsB = tokensB.claims()

    const endSession = oidc.buildEndSessionUrl(flowA.config, {
      id_token_hint: idTokenA,
      post_logout_redirect_uri: `${rpA.url}/logged-out`,
      state: 'logout-state',
    })
    // POST, as an auto-submitting form would (keeps the ID token out of URLs and logs).
    const form = Object.fromEntries(endSession.searchParams)
    const result = await browser.logout(new URL(endSession.pathname, endSession), { form })

    expect(result.redirect.href).toBe(`${rpA.url}/logged-out?state=logout-state`)
    expect(result.frontChannel).toHaveLength(2)
    const hitA = rpA.hits.find((u) => u.pathname === '/frontchannel-logout')
    const hitB = rpB.hits.find((u) => u.pathname === '/frontchannel-logout')
    expect(hitA?.searchParams.get('iss')).toBe(mock.issuer)
    expect(hitB?.searchParams.get('iss')).toBe(mock.issuer)
    expect(hitB?.searchParams.get('sid')).toBe(claimsB?.sid)
    expect(hitA?.searchParams.get('sid')).toEqual(expect.any(String))
    for (const frame of result.frontChannel) expect(frame.status).toBe(200)

    // The SSO session is gone: the next login shows the login page again.
    expect((await startFlow(mock, b, { browser })).login.loginPages).toBe(1)
    // Tokens with only openid are revoked at logout.
    expect((await oidc.tokenIntrospection(flowB.config, tokensB.access_token)).active).toBe(false)
  })

  it('sends no sid when the client did not ask for it, and skips clients without a front-channel URI', async () => {
    const a = await rpClient(mock, rpA, { frontchannelLogoutSessionRequired: false })
    const b = await mock.registerClient({ redirectUris: [`${rpB.url}/callback`] })
    const browser = new MockBrowser()
    const tokensA = await (await startFlow(mock, a, { browser })).exchange()
    expect(tokensA.claims()).not.toHaveProperty('sid')
    await (await startFlow(mock, b, { browser })).exchange()
    rpA.hits.length = 0
    const result = await browser.logout(
      `${mock.issuer}/logout?${new URLSearchParams({ id_token_hint: tokensA.id_token as string })}`,
    )
    expect(result.frontChannel).toHaveLength(1)
    expect(rpA.hits[0]?.searchParams.has('sid')).toBe(false)
    // Without a post_logout_redirect_uri the person stays on the mock's logged-out page.
    expect(result.redirect.origin).toBe(mock.url)
  })

  it('rotates the signing key: new kid in ID tokens and JWKS, and hints signed with it still log out', async () => {
    const a = await rpClient(mock, rpA)
    const before = (await (await fetch(`${mock.issuer}/jwks.json`)).json()) as { keys: { kid: string }[] }
    const { kid } = await mock.rotateSigningKey()
    const after = (await (await fetch(`${mock.issuer}/jwks.json`)).json()) as { keys: { kid: string }[] }
    expect(after.keys.map((k) => k.kid)).toEqual([kid, ...before.keys.map((k) => k.kid)])
    const browser = new MockBrowser()
    const flow = await startFlow(mock, a, { browser })
    const tokens = await flow.exchange() // openid-client verifies the signature against the JWKS
    expect(decodeProtectedHeader(tokens.id_token as string).kid).toBe(kid)
    const result = await browser.logout(
      oidc.buildEndSessionUrl(flow.config, {
        id_token_hint: tokens.id_token as string,
        post_logout_redirect_uri: `${rpA.url}/logged-out`,
      }),
    )
    expect(result.redirect.href).toBe(`${rpA.url}/logged-out`)
    await mock.rotateSigningKey('idporten', { keepOld: false })
    const only = (await (await fetch(`${mock.issuer}/jwks.json`)).json()) as { keys: { kid: string }[] }
    expect(only.keys).toHaveLength(1)
    expect(only.keys[0]?.kid).not.toBe(kid)
  })

  it('refuses an unregistered post_logout_redirect_uri', async () => {
    const a = await rpClient(mock, rpA)
    const browser = new MockBrowser()
    const tokens = await (await startFlow(mock, a, { browser })).exchange()
    const res = await browser.fetch(
      `${mock.issuer}/logout?${new URLSearchParams({ id_token_hint: tokens.id_token as string, post_logout_redirect_uri: 'https://evil.example/' })}`,
    )
    expect(res.status).toBe(400)
    const html = await res.text()
    expect(html).toContain('invalid_request')
    expect(html).not.toContain('evil.example')
  })
})
