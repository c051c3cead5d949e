import { decodeJwt } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configFor, type FakeRp, rpClient, startFakeRp, startFlow } from '../test/helpers.js'
import { MockBrowser } from './browser.js'
import { createManualClock } from './clock.js'
import { startIdportenMock } from './mock.js'
import type { MockPerson } from './persons.js'
import type { IdportenMock } from './types.js'

let mock: IdportenMock
let rp: FakeRp
const clock = createManualClock()

beforeAll(async () => {
  ;[mock, rp] = await Promise.all([startIdportenMock({ clock, seed: 'login-tests' }), startFakeRp()])
})
afterAll(async () => {
  await Promise.all([mock.close(), rp.close()])
})

describe('discovery', () => {
  it('publishes ID-porten metadata with its route names and exact issuer', async () => {
    const meta = (await (await fetch(mock.metadataUrls.idporten)).json()) as Record<string, unknown>
    expect(meta.issuer).toBe(mock.issuer)
    expect(mock.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(meta).toMatchObject({
      authorization_endpoint: `${mock.issuer}/authorize`,
      token_endpoint: `${mock.issuer}/token`,
      jwks_uri: `${mock.issuer}/jwks.json`,
      userinfo_endpoint: `${mock.issuer}/userinfo`,
      pushed_authorization_request_endpoint: `${mock.issuer}/par`,
      introspection_endpoint: `${mock.issuer}/token/introspect`,
      revocation_endpoint: `${mock.issuer}/token/revoke`,
      end_session_endpoint: `${mock.issuer}/logout`,
      code_challenge_methods_supported: ['S256'],
      acr_values_supported: expect.arrayContaining(['idporten-loa-substantial', 'idporten-loa-high']),
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['pairwise'],
      authorization_response_iss_parameter_supported: true,
      frontchannel_logout_supported: true,
      ui_locales_supported: ['nb', 'nn', 'en', 'se'],
    })
    const jwks = (await (await fetch(`${mock.issuer}/jwks.json`)).json()) as {
      keys: Record<string, unknown>[]
    }
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' })
    expect(jwks.keys[0]).not.toHaveProperty('d')
  })

  it('publishes Ansattporten under /ansattporten with its own issuer and key', async () => {
    const meta = (await (await fetch(mock.metadataUrls.ansattporten)).json()) as Record<string, unknown>
    expect(meta.issuer).toBe(`${mock.url}/ansattporten`)
    expect(meta.authorization_endpoint).toBe(`${mock.url}/ansattporten/authorize`)
    expect(meta.authorization_details_types_supported).toEqual(['ansattporten:altinn:service'])
    const a = (await (await fetch(`${mock.url}/ansattporten/jwks.json`)).json()) as {
      keys: { kid: string }[]
    }
    const b = (await (await fetch(`${mock.issuer}/jwks.json`)).json()) as { keys: { kid: string }[] }
    expect(a.keys[0]?.kid).not.toBe(b.keys[0]?.kid)
  })

  it('is quiet and serves a landing page with the persons', async () => {
    const res = await fetch(`${mock.url}/`)
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(html).toContain(mock.persons[0]?.name)
  })
})

describe('login', () => {
  it('runs authorization code + PKCE + PAR through the login form, with ID-porten claims', async () => {
    const client = await rpClient(mock, rp)
    const flow = await startFlow(mock, client, {
      params: { acr_values: 'idporten-loa-high', ui_locales: 'en' },
    })
    expect(flow.login.loginPages).toBe(1)
    expect(flow.login.url.searchParams.get('iss')).toBe(mock.issuer)
    const tokens = await flow.exchange()
    const claims = tokens.claims()
    const person = mock.persons[0]
    expect(claims).toMatchObject({
      iss: mock.issuer,
      aud: client.clientId,
      pid: person?.nationalId,
      acr: 'idporten-loa-high',
      amr: ['TestID'],
      locale: 'en',
    })
    expect(typeof claims?.sid).toBe('string')
    expect(typeof claims?.jti).toBe('string')
    expect(typeof claims?.auth_time).toBe('number')
    expect(claims?.sub).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(claims?.sub).not.toContain(person?.nationalId)
    expect((claims?.exp ?? 0) - (claims?.iat ?? 0)).toBe(120)
    expect(tokens.expires_in).toBe(120)
    expect(typeof tokens.refresh_token).toBe('string')

    const info = await oidc.fetchUserInfo(flow.config, tokens.access_token, claims?.sub as string)
    expect(info).toMatchObject({ sub: claims?.sub, pid: person?.nationalId, locale: 'en' })
  })

  it('requires PKCE for every client, confidential ones too', async () => {
    const client = await rpClient(mock, rp)
    const res = await fetch(
      `${mock.issuer}/authorize?${new URLSearchParams({
        client_id: client.clientId,
        response_type: 'code',
        scope: 'openid',
        redirect_uri: client.redirectUris[0] as string,
        state: 's',
        nonce: 'n',
      })}`,
      { redirect: 'manual' },
    )
    const location = new URL(res.headers.get('location') ?? '')
    expect(location.searchParams.get('error')).toBe('invalid_request')
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/)
  })

  it('gives each client its own pairwise sub for the same person, stable across logins', async () => {
    const a = await rpClient(mock, rp)
    const b = await rpClient(mock, rp)
    const browser = new MockBrowser()
    const subA = (await (await startFlow(mock, a, { browser, choice: { person: 1 } })).exchange()).claims()
      ?.sub
    const flowB = await startFlow(mock, b, { browser })
    expect(flowB.login.loginPages).toBe(0) // single sign-on
    const subB = (await flowB.exchange()).claims()?.sub
    const subA2 = (await (await startFlow(mock, a, { choice: { person: 1 } })).exchange()).claims()?.sub
    expect(subA).not.toBe(subB)
    expect(subA2).toBe(subA)
  })

  it('works with client_secret_basic, client_secret_post and without PAR', async () => {
    for (const authMethod of ['client_secret_basic', 'client_secret_post'] as const) {
      const client = await rpClient(mock, rp, { authMethod })
      expect(client.clientSecret).toBeTypeOf('string')
      const tokens = await (await startFlow(mock, client, { par: false })).exchange()
      expect(tokens.claims()?.pid).toBe(mock.persons[0]?.nationalId)
    }
  })

  it('steps up from substantial to high: the login page comes back for high', async () => {
    const client = await rpClient(mock, rp)
    const browser = new MockBrowser()
    const first = await startFlow(mock, client, {
      browser,
      params: { acr_values: 'idporten-loa-substantial' },
    })
    expect((await first.exchange()).claims()?.acr).toBe('idporten-loa-substantial')
    const again = await startFlow(mock, client, {
      browser,
      params: { acr_values: 'idporten-loa-substantial' },
    })
    expect(again.login.loginPages).toBe(0)
    const stepUp = await startFlow(mock, client, { browser, params: { acr_values: 'idporten-loa-high' } })
    expect(stepUp.login.loginPages).toBe(1)
    expect((await stepUp.exchange()).claims()?.acr).toBe('idporten-loa-high')
    const after = await startFlow(mock, client, {
      browser,
      params: { acr_values: 'idporten-loa-substantial' },
    })
    expect(after.login.loginPages).toBe(0)
    expect((await after.exchange()).claims()?.acr).toBe('idporten-loa-high')
  })

  it('only offers levels at or above the requested one', async () => {
    const client = await rpClient(mock, rp)
    await expect(
      startFlow(mock, client, {
        params: { acr_values: 'idporten-loa-high' },
        choice: { level: 'substantial' },
      }),
    ).rejects.toThrow(/not offered/)
  })

  it('forces a new login with prompt=login', async () => {
    const client = await rpClient(mock, rp)
    const browser = new MockBrowser()
    const first = await startFlow(mock, client, { browser })
    const t1 = (await first.exchange()).claims()
    clock.advance(5_000)
    const again = await startFlow(mock, client, { browser, params: { prompt: 'login' } })
    expect(again.login.loginPages).toBe(1)
    const t2 = (await again.exchange()).claims()
    expect(t2?.auth_time).toBeGreaterThan(t1?.auth_time as number)
  })

  it('logs another person in with prompt=login, ending the first session (front-channel page on the way)', async () => {
    const client = await rpClient(mock, rp)
    const browser = new MockBrowser()
    await (await startFlow(mock, client, { browser, choice: { person: 0 } })).exchange()
    rp.hits.length = 0
    const second = await startFlow(mock, client, {
      browser,
      params: { prompt: 'login' },
      choice: { person: 2 },
    })
    expect(second.login.loginPages).toBe(1)
    expect((await second.exchange()).claims()?.pid).toBe(mock.persons[2]?.nationalId)
  })

  it('endAllSessions ends single sign-on', async () => {
    const client = await rpClient(mock, rp)
    const browser = new MockBrowser()
    await startFlow(mock, client, { browser })
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(0)
    mock.endAllSessions()
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(1)
  })

  it('answers with response_mode=form_post (no script needed to read it)', async () => {
    const client = await rpClient(mock, rp)
    const flow = await startFlow(mock, client, { params: { response_mode: 'form_post' } })
    expect(flow.login.url.href).toBe(client.redirectUris[0])
    expect(flow.login.formPost).toMatchObject({
      state: flow.state,
      iss: mock.issuer,
      code: expect.any(String),
    })
  })

  it('answers 400 with the login page again for an unknown person or a level not offered', async () => {
    const client = await rpClient(mock, rp)
    const config = await configFor(mock, client)
    const browser = new MockBrowser()
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: client.redirectUris[0] as string,
      scope: 'openid',
      acr_values: 'idporten-loa-high',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    })
    const loginUrl = new URL((await browser.fetch(url)).headers.get('location') ?? '', url)
    for (const body of [
      { person: 'acct-nobody', level: 'idporten-loa-high', action: 'login' },
      { person: mock.persons[0]?.id as string, level: 'idporten-loa-substantial', action: 'login' },
    ]) {
      const res = await browser.fetch(loginUrl, { method: 'POST', body: new URLSearchParams(body) })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('<legend>Velg testperson</legend>')
    }
  })

  it('answers access_denied when the person presses Avbryt', async () => {
    const client = await rpClient(mock, rp)
    const flow = await startFlow(mock, client, { choice: { cancel: true } })
    expect(flow.login.url.searchParams.get('error')).toBe('access_denied')
    expect(flow.login.url.searchParams.get('state')).toBe(flow.state)
    expect(flow.login.url.searchParams.get('iss')).toBe(mock.issuer)
    await expect(flow.exchange()).rejects.toMatchObject({ error: 'access_denied' })
  })

  it('logs a foreign eID user in without pid', async () => {
    const client = await rpClient(mock, rp)
    const foreign = mock.persons.find((p) => p.kind === 'foreign') as MockPerson
    const claims = (
      await (await startFlow(mock, client, { choice: { person: foreign } })).exchange()
    ).claims()
    expect(claims).not.toHaveProperty('pid')
    expect(claims?.amr).toEqual(['eIDAS'])
    expect(claims?.acr).toBe('eidas-loa-substantial')
  })

  it('ends the SSO session after 30 minutes idle (clock) and after 120 minutes at most', async () => {
    const client = await rpClient(mock, rp)
    const browser = new MockBrowser()
    await startFlow(mock, client, { browser })
    clock.advance(29 * 60_000)
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(0)
    clock.advance(31 * 60_000)
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(1)
    // Active every 25 minutes: still ends 120 minutes after login.
    for (let i = 0; i < 4; i++) {
      clock.advance(25 * 60_000)
      expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(0)
    }
    clock.advance(25 * 60_000)
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(1)
  })

  it('introspects and revokes tokens', async () => {
    const client = await rpClient(mock, rp)
    const flow = await startFlow(mock, client)
    const tokens = await flow.exchange()
    const active = await oidc.tokenIntrospection(flow.config, tokens.access_token)
    expect(active).toMatchObject({
      active: true,
      client_id: client.clientId,
      sub: tokens.claims()?.sub,
      acr: 'idporten-loa-substantial',
    })
    expect(active.pid).toBe(mock.persons[0]?.nationalId)
    const refreshed = await oidc.refreshTokenGrant(flow.config, tokens.refresh_token as string)
    expect(refreshed.access_token).not.toBe(tokens.access_token)
    // The access token expires after 120 s on the mock's clock.
    clock.advance(121_000)
    expect((await oidc.tokenIntrospection(flow.config, refreshed.access_token)).active).toBe(false)
    const second = await oidc.refreshTokenGrant(flow.config, refreshed.refresh_token as string)
    expect((await oidc.tokenIntrospection(flow.config, second.access_token)).active).toBe(true)
    // Revoking an access token revokes the tokens of its grant (oidc-provider's policy).
    await oidc.tokenRevocation(flow.config, second.access_token)
    expect((await oidc.tokenIntrospection(flow.config, second.access_token)).active).toBe(false)
    expect((await oidc.tokenIntrospection(flow.config, second.refresh_token as string)).active).toBe(false)
  })

  it('issues a JWT access token for a requested resource (aud = resource)', async () => {
    const client = await rpClient(mock, rp, { scopes: ['openid', 'ks:fiks'] })
    const flow = await startFlow(mock, client, {
      params: { scope: 'openid ks:fiks', resource: 'https://api.example.test/' },
    })
    const tokens = await flow.exchange()
    const at = decodeJwt(tokens.access_token)
    expect(at).toMatchObject({
      iss: mock.issuer,
      aud: 'https://api.example.test/',
      scope: 'ks:fiks',
      client_id: client.clientId,
    })
    expect(at.pid).toBe(mock.persons[0]?.nationalId)
  })

  it('rejects a client assertion without kid or with another aud (Digdir rules)', async () => {
    const client = await rpClient(mock, rp)
    const flow = await startFlow(mock, client)
    const { SignJWT, importJWK } = await import('jose')
    const key = await importJWK(client.keys[0]?.privateJwk as never, 'RS256')
    const now = Math.floor(Date.now() / 1000)
    const assertion = await new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(client.clientId)
      .setSubject(client.clientId)
      .setAudience(mock.issuer)
      .setIssuedAt(now)
      .setExpirationTime(now + 60)
      .sign(key)
    const res = await fetch(`${mock.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: flow.login.url.searchParams.get('code') as string,
        redirect_uri: client.redirectUris[0] as string,
        code_verifier: flow.verifier,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }),
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ error: 'invalid_client' })
  })
})

describe('login page', () => {
  it('is accessible, script-free and keeps national ids out of URLs', async () => {
    const client = await rpClient(mock, rp, { clientName: 'Byggesak <Demo>' })
    const config = await configFor(mock, client)
    const browser = new MockBrowser()
    const url = await oidc.buildAuthorizationUrlWithPAR(config, {
      redirect_uri: client.redirectUris[0] as string,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 's',
      nonce: 'n',
    })
    const start = await browser.fetch(url)
    const loginUrl = new URL(start.headers.get('location') ?? '', url)
    expect(loginUrl.pathname).toMatch(/^\/login\/[\w-]+$/)
    const page = await browser.fetch(loginUrl)
    const html = await page.text()
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('cache-control')).toBe('no-store')
    expect(html).toMatch(/<html lang="nb">/)
    expect(html).toMatch(/<h1>Logg inn<\/h1>/)
    expect(html).toContain('Byggesak &lt;Demo&gt;')
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/)
    expect(html).not.toMatch(/\son\w+=/)
    expect(html).toMatch(/<form method="post"/)
    for (const m of html.matchAll(/<input [^>]*id="([^"]+)"/g)) expect(html).toContain(`<label for="${m[1]}"`)
    expect(html).toContain('<legend>Velg testperson</legend>')
    for (const p of mock.persons) {
      if (p.nationalId !== undefined) expect(html).toContain(p.nationalId)
    }
    for (const href of html.matchAll(/(?:href|action|src)="([^"]+)"/g)) {
      for (const p of mock.persons)
        if (p.nationalId !== undefined) expect(href[1]).not.toContain(p.nationalId)
    }
    const css = await fetch(`${mock.url}/assets/mock.css`)
    expect(css.headers.get('content-type')).toMatch(/text\/css/)
  })
})
