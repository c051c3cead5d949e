// security.md cases 1–15, each through the real mock over HTTP. Where the mock
// has no switch for a case (HS256 with the client secret, a provider without
// S256), the provider's answer is altered in transit by the relying party's
// own `fetch` option, as a man in the middle would.
import { inspect } from 'node:util'
import { createManualClock, type FaultName } from '@felles/id-porten-mock'
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  createIdPorten,
  type IdPortenError,
  isIdPortenError,
  localPreset,
  privateKeyJwt,
} from '../src/index.js'
import { Browser, type Page } from './support/browser.js'
import {
  COOKIE_SECRET,
  type IdportenMock,
  login,
  me,
  type RelyingParty,
  startIdportenMock,
  startRelyingParty,
  startRotatedIdportenMock,
} from './support/fixture.js'

const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/

function expectRejected(page: Page, code: string): void {
  expect(page.status, page.body.slice(0, 400)).toBeGreaterThanOrEqual(400)
  expect(page.body).toContain(`<code>${code}</code>`)
  expect(page.headers.get('cache-control')).toBe('no-store')
}

describe('security cases 1–15 against the mock', () => {
  let mock: IdportenMock
  let rp: RelyingParty
  const errors: IdPortenError[] = []

  beforeAll(async () => {
    mock = await startIdportenMock()
    rp = await startRelyingParty(mock, { options: { onError: (e) => errors.push(e) } })
  })
  afterAll(async () => {
    await rp?.close()
    await mock?.close()
  })
  afterEach(() => {
    mock.clearFaults()
    // No error object the relying party reported carries a token or a national identity number.
    for (const error of errors) {
      const shown = `${error.message} ${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`
      expect(shown).not.toMatch(JWT)
      expect(shown).not.toMatch(/\b\d{11}\b/)
    }
    errors.length = 0
  })

  async function loginWithFault(fault: FaultName): Promise<{ page: Page; browser: Browser }> {
    mock.setFault(rp.client.clientId, fault, { times: 1 })
    const browser = new Browser()
    const page = await login(browser, rp)
    return { page, browser }
  }

  it('1: an ID token signed by a key not in the JWKS is rejected', async () => {
    const { page, browser } = await loginWithFault('other-signing-key')
    expectRejected(page, 'ERR_ID_TOKEN_INVALID')
    expect(await me(browser, rp)).toBeUndefined()
  })

  it('2: alg none is rejected', async () => {
    const { page, browser } = await loginWithFault('alg-none')
    expectRejected(page, 'ERR_ID_TOKEN_INVALID')
    expect(await me(browser, rp)).toBeUndefined()
  })

  it('2: HS256 signed with the client secret is rejected', async () => {
    const local = await startRelyingParty(mock, {
      client: { authMethod: 'client_secret_basic' },
      options: {
        // Re-sign the ID token in transit with HS256 and the client's own secret.
        fetch: async (input, init) => {
          const response = await fetch(input, init)
          if (!String(input).endsWith('/token')) return response
          const body = (await response.json()) as Record<string, unknown>
          const claims = decodeJwt(String(body.id_token))
          body.id_token = await new SignJWT(claims)
            .setProtectedHeader({ alg: 'HS256' })
            .sign(new TextEncoder().encode(secret()))
          return Response.json(body, { status: response.status })
        },
      },
    })
    const secret = (): string => local.client.clientSecret ?? ''
    try {
      const browser = new Browser()
      expectRejected(await login(browser, local), 'ERR_ID_TOKEN_INVALID')
      expect(await me(browser, local)).toBeUndefined()
    } finally {
      await local.close()
    }
  })

  it('3: an unknown kid is rejected', async () => {
    const { page } = await loginWithFault('unknown-kid')
    expectRejected(page, 'ERR_ID_TOKEN_INVALID')
  })

  it('4: wrong iss, wrong aud and an extra untrusted aud are rejected', async () => {
    for (const fault of ['wrong-iss', 'wrong-aud', 'extra-aud'] as const) {
      const { page, browser } = await loginWithFault(fault)
      expectRejected(page, 'ERR_ID_TOKEN_INVALID')
      expect(await me(browser, rp)).toBeUndefined()
    }
  })

  it('5: expired, missing exp and iat far in the future are rejected', async () => {
    for (const fault of ['expired', 'missing-exp', 'iat-in-future'] as const) {
      const { page, browser } = await loginWithFault(fault)
      expectRejected(page, 'ERR_ID_TOKEN_INVALID')
      expect(await me(browser, rp)).toBeUndefined()
    }
  })

  it('5: the clock tolerance is configurable up to 60 s and no further', async () => {
    const base = {
      preset: localPreset(mock.issuer),
      clientId: rp.client.clientId,
      clientAuth: privateKeyJwt({ keys: [{ key: rp.client.keys[0]?.privateJwk as JsonWebKey, kid: 'k' }] }),
      baseUrl: rp.app.url,
      cookieSecret: COOKIE_SECRET,
    }
    await expect(createIdPorten({ ...base, clockToleranceSeconds: 61 })).rejects.toThrow(TypeError)
    await expect(createIdPorten({ ...base, clockToleranceSeconds: 60 })).resolves.toBeDefined()
  })

  it('6: a missing or wrong nonce is rejected', async () => {
    for (const fault of ['missing-nonce', 'wrong-nonce'] as const) {
      const { page, browser } = await loginWithFault(fault)
      expectRejected(page, 'ERR_ID_TOKEN_INVALID')
      expect(await me(browser, rp)).toBeUndefined()
    }
  })

  it('6, 7: a replayed callback (same state, same nonce) is rejected and creates no session', async () => {
    const browser = new Browser()
    const stop = await login(browser, rp, { stopAtCallback: true })
    const txCookies = browser.cookies
      .filter((c) => c.name.startsWith('felles-session-tx.'))
      .map((c) => ({ ...c }))
    expect(txCookies).toHaveLength(1)
    const first = await browser.navigate(stop.url)
    expect(first.url).toBe(`${rp.app.url}/`)
    const session = await me(browser, rp)
    expect(session?.sub).toBeTypeOf('string')

    // An attacker who kept the transaction cookie replays the whole callback.
    const attacker = new Browser()
    for (const c of txCookies) attacker.setCookie(c.host, c.name, c.value)
    const replay = await attacker.navigate(stop.url)
    expectRejected(replay, 'ERR_TRANSACTION_REPLAYED')
    expect(await me(attacker, rp)).toBeUndefined()
  })

  it('7: a callback without state, or with a wrong state, is rejected and creates no session', async () => {
    const browser = new Browser()
    const stop = await login(browser, rp, { stopAtCallback: true })
    const url = new URL(stop.url)
    url.searchParams.delete('state')
    expectRejected(await browser.navigate(url.href), 'ERR_STATE_MISMATCH')
    expect(await me(browser, rp)).toBeUndefined()

    const { page, browser: b2 } = await loginWithFault('response-wrong-state')
    expect(page.status).toBeGreaterThanOrEqual(400)
    expect(page.body).toMatch(/ERR_TRANSACTION_MISSING|ERR_STATE_MISMATCH/)
    expect(await me(b2, rp)).toBeUndefined()
  })

  it('8: an authorization response with a missing or wrong iss is rejected (mix-up)', async () => {
    for (const fault of ['response-missing-iss', 'response-wrong-iss'] as const) {
      const { page, browser } = await loginWithFault(fault)
      expectRejected(page, 'ERR_MIX_UP')
      expect(await me(browser, rp)).toBeUndefined()
    }
  })

  it('9: a discovery document whose issuer differs from the configured one stops start-up', async () => {
    const base = {
      clientId: rp.client.clientId,
      clientAuth: privateKeyJwt({ keys: [{ key: rp.client.keys[0]?.privateJwk as JsonWebKey, kid: 'k' }] }),
      baseUrl: rp.app.url,
      cookieSecret: COOKIE_SECRET,
    }
    for (const issuer of [`${mock.issuer}/`, mock.issuer.replace('127.0.0.1', 'localhost')]) {
      const error = await createIdPorten({ ...base, preset: localPreset(issuer) }).catch((e: unknown) => e)
      expect(isIdPortenError(error) && error.code).toBe('ERR_ISSUER_MISMATCH')
    }
  })

  it('10: a provider without S256 gets no login; each login has a fresh verifier of 43–128 characters', async () => {
    const noS256 = await startRelyingParty(mock, {
      options: {
        fetch: async (input, init) => {
          const response = await fetch(input, init)
          if (!String(input).endsWith('/.well-known/openid-configuration')) return response
          const metadata = (await response.json()) as Record<string, unknown>
          metadata.code_challenge_methods_supported = ['plain']
          return Response.json(metadata)
        },
      },
    })
    try {
      const browser = new Browser()
      const start = await browser.request(`${noS256.app.url}/auth/login`)
      expect(start.status).toBe(500)
      expect(start.headers.get('location')).toBeNull()
      expect(await start.text()).toContain('ERR_PKCE_UNSUPPORTED')
    } finally {
      await noS256.close()
    }

    const bodies: URLSearchParams[] = []
    const recording = await startRelyingParty(mock, {
      options: {
        fetch: async (input, init) => {
          if (init?.body instanceof URLSearchParams) bodies.push(new URLSearchParams(init.body))
          else if (typeof init?.body === 'string') bodies.push(new URLSearchParams(init.body))
          return fetch(input, init)
        },
      },
    })
    try {
      for (let i = 0; i < 3; i++) {
        const page = await login(new Browser(), recording)
        expect(page.url).toBe(`${recording.app.url}/`)
      }
      const verifiers = bodies.map((b) => b.get('code_verifier')).filter((v): v is string => v !== null)
      const challenges = bodies.map((b) => b.get('code_challenge')).filter((v): v is string => v !== null)
      expect(verifiers).toHaveLength(3)
      expect(new Set(verifiers).size).toBe(3)
      expect(new Set(challenges).size).toBe(3)
      for (const v of verifiers) expect(v.length >= 43 && v.length <= 128).toBe(true)
      for (const b of bodies.filter((x) => x.has('code_challenge'))) {
        expect(b.get('code_challenge_method')).toBe('S256')
        expect(b.get('state')?.length).toBeGreaterThanOrEqual(43)
        expect(b.get('nonce')?.length).toBeGreaterThanOrEqual(43)
      }
    } finally {
      await recording.close()
    }
  })

  it('11: a returned acr lower than required is rejected', async () => {
    mock.setFault(rp.client.clientId, 'lower-acr', { times: 1 })
    const browser = new Browser()
    const page = await login(browser, rp, {
      query: '?acr_values=idporten-loa-high',
      level: 'idporten-loa-high',
    })
    expectRejected(page, 'ERR_ACR_TOO_LOW')
    expect(await me(browser, rp)).toBeUndefined()
  })

  it('12: no pid (foreign eID user) is handled without crashing; the service decides', async () => {
    const { page, browser } = await loginWithFault('missing-pid')
    expect(page.url).toBe(`${rp.app.url}/`)
    const session = await me(browser, rp)
    expect(session?.pid).toBeUndefined()
    expect(session?.sub).toBeTypeOf('string')

    const foreignIndex = mock.persons.findIndex((p) => p.kind === 'foreign')
    const b2 = new Browser()
    await login(b2, rp, { person: foreignIndex })
    const foreign = await me(b2, rp)
    expect(foreign?.pid).toBeUndefined()
    expect(String(foreign?.acr)).toMatch(/^eidas-loa-/)

    const strict = await startRelyingParty(mock, { options: { requirePid: true } })
    try {
      const b3 = new Browser()
      expectRejected(await login(b3, strict, { person: foreignIndex }), 'ERR_PID_MISSING')
    } finally {
      await strict.close()
    }
  })

  it('pid is validated: synthetic test persons are refused where they are not allowed (production presets)', async () => {
    const production = await startRelyingParty(mock, { options: { allowSyntheticPid: false } })
    try {
      const browser = new Browser()
      const page = await login(browser, production)
      expectRejected(page, 'ERR_PID_INVALID')
      expect(page.body).not.toMatch(/\b\d{11}\b/)
      expect(await me(browser, production)).toBeUndefined()
    } finally {
      await production.close()
    }
  })

  it('sid is required when front-channel logout is on, and optional when it is off', async () => {
    const { page, browser } = await loginWithFault('missing-sid')
    expectRejected(page, 'ERR_SID_MISSING')
    expect(await me(browser, rp)).toBeUndefined()

    const noFrontChannel = await startRelyingParty(mock, { options: { frontChannelLogout: false } })
    try {
      mock.setFault(noFrontChannel.client.clientId, 'missing-sid', { times: 1 })
      const b2 = new Browser()
      expect((await login(b2, noFrontChannel)).url).toBe(`${noFrontChannel.app.url}/`)
      expect((await me(b2, noFrontChannel))?.sid).toBeUndefined()
      const route = await fetch(`${noFrontChannel.app.url}/auth/frontchannel-logout?iss=x&sid=y`)
      expect(await route.text()).toBe('page /auth/frontchannel-logout') // not served
    } finally {
      await noFrontChannel.close()
    }
  })

  it('max_age: auth_time is required and may not be older than max_age', async () => {
    const clock = createManualClock()
    const strict = await startRelyingParty(mock, { options: { maxAge: 60, clock } })
    try {
      const browser = new Browser()
      expect((await login(browser, strict)).url).toBe(`${strict.app.url}/`)
      expect((await me(browser, strict))?.claims).toHaveProperty('auth_time')
      // The provider's SSO session says the login was 95 s ago: too old for max_age 60 (+30 s tolerance).
      clock.advance(95_000)
      const again = await browser.navigate(`${strict.app.url}/auth/login`)
      expect(again.body).not.toContain('name="person"') // the mock, on real time, still finds the login fresh
      expectRejected(again, 'ERR_AUTH_TIME')
    } finally {
      await strict.close()
    }
  })

  it('13: an error response with HTML or script in error_description gives a generic page that reflects nothing', async () => {
    const { page, browser } = await loginWithFault('response-error-html')
    expectRejected(page, 'ERR_AUTHORIZATION_DENIED')
    expect(page.body).not.toMatch(/<script|onerror|alert\(|<img/i)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await me(browser, rp)).toBeUndefined()

    const cancelled = new Browser()
    expectRejected(await login(cancelled, rp, { cancel: true }), 'ERR_AUTHORIZATION_DENIED')
  })

  it('14: token endpoint 5xx or timeout fails closed and the code is never sent twice', async () => {
    const slow = await startRelyingParty(mock, { options: { httpTimeoutMs: 300 } })
    try {
      for (const fault of ['token-5xx', 'token-timeout'] as const) {
        mock.clearRequests()
        mock.setFault(slow.client.clientId, fault, { times: 1, delayMs: 5_000 })
        const browser = new Browser()
        const stop = await login(browser, slow, { stopAtCallback: true })
        expectRejected(await browser.navigate(stop.url), 'ERR_TOKEN_REQUEST_FAILED')
        expect(await me(browser, slow)).toBeUndefined()
        // Trying the same callback again does not reach the token endpoint.
        await browser.navigate(stop.url)
        const codeGrants = mock.requests.filter(
          (r) => r.clientId === slow.client.clientId && r.grantType === 'authorization_code',
        )
        expect(codeGrants).toHaveLength(1)
      }
    } finally {
      await slow.close()
    }
  })

  it('15: the client assertion has iss = sub = client_id, aud = issuer, a short exp, a unique jti and kid', async () => {
    const assertions: string[] = []
    const recording = await startRelyingParty(mock, {
      options: {
        fetch: async (input, init) => {
          const body =
            typeof init?.body === 'string' ? new URLSearchParams(init.body) : (init?.body as URLSearchParams)
          const assertion = body instanceof URLSearchParams ? body.get('client_assertion') : null
          if (assertion !== null) assertions.push(assertion)
          return fetch(input, init)
        },
      },
    })
    try {
      await login(new Browser(), recording)
      await login(new Browser(), recording)
      expect(assertions.length).toBeGreaterThanOrEqual(2)
      const jtis = new Set<string>()
      for (const assertion of assertions) {
        const header = decodeProtectedHeader(assertion)
        const claims = decodeJwt(assertion)
        expect(header.kid).toBe(recording.client.keys[0]?.kid)
        expect(header.alg).toBe('RS256')
        expect(claims.iss).toBe(recording.client.clientId)
        expect(claims.sub).toBe(recording.client.clientId)
        expect(claims.aud).toBe(mock.issuer)
        expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(120)
        expect(claims.jti).toBeTypeOf('string')
        jtis.add(String(claims.jti))
      }
      expect(jtis.size).toBe(assertions.length)
    } finally {
      await recording.close()
    }
  })
})

describe('security case 3: key rotation at the provider', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('rejects a new kid inside the JWKS refetch window and accepts it after the window', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    let mock = await startIdportenMock()
    const port = mock.port
    const rp = await startRelyingParty(mock)
    const jwk = rp.client.keys[0]?.publicJwk
    try {
      expect((await login(new Browser(), rp)).url).toBe(`${rp.app.url}/`)
      // The provider restarts with a new signing key on the same issuer.
      await mock.close()
      mock = await startRotatedIdportenMock({ port })
      await mock.registerClient({
        clientId: rp.client.clientId,
        redirectUris: rp.client.redirectUris,
        postLogoutRedirectUris: rp.client.postLogoutRedirectUris,
        frontchannelLogoutUri: rp.client.frontchannelLogoutUri ?? '',
        ...(jwk === undefined ? {} : { jwk }),
      })
      vi.setSystemTime(Date.now() + 10_000)
      expectRejected(await login(new Browser(), rp), 'ERR_ID_TOKEN_INVALID')
      vi.setSystemTime(Date.now() + 61_000)
      expect((await login(new Browser(), rp)).url).toBe(`${rp.app.url}/`)
    } finally {
      await rp.close()
      await mock.close()
    }
  })
})
