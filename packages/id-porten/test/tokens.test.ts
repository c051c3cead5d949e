// Tokens, PAR and Ansattporten against the mock.
import { createManualClock } from '@felles/id-porten-mock'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isIdPortenError } from '../src/index.js'
import { Browser } from './support/browser.js'
import { type IdportenMock, login, me, startIdportenMock, startRelyingParty } from './support/fixture.js'

describe('tokens, PAR and Ansattporten', () => {
  let mock: IdportenMock
  beforeAll(async () => {
    mock = await startIdportenMock()
  })
  afterAll(async () => {
    await mock?.close()
  })

  it('refreshes an expiring access token once for many concurrent callers', async () => {
    const clock = createManualClock()
    const rp = await startRelyingParty(mock, { options: { clock } })
    try {
      const browser = new Browser()
      await login(browser, rp)
      const id = String((await me(browser, rp))?.id)
      const first = await rp.auth.accessToken(id)
      expect(await rp.auth.accessToken(id)).toBe(first)
      mock.clearRequests()
      clock.advance(115_000) // within 10 s of the access token's 120 s lifetime
      const tokens = await Promise.all(Array.from({ length: 8 }, () => rp.auth.accessToken(id)))
      expect(new Set(tokens).size).toBe(1)
      expect(tokens[0]).not.toBe(first)
      const refreshes = mock.requests.filter(
        (r) => r.clientId === rp.client.clientId && r.grantType === 'refresh_token',
      )
      expect(refreshes).toHaveLength(1)
      // The session is still there and keeps its identity.
      expect((await me(browser, rp))?.id).toBe(id)

      const gone = await rp.auth.accessToken('no-such-session').catch((e: unknown) => e)
      expect(isIdPortenError(gone) && gone.code).toBe('ERR_NO_SESSION')
    } finally {
      await rp.close()
    }
  })

  it('uses PAR when the provider offers it, and not when told never to', async () => {
    const auto = await startRelyingParty(mock)
    const never = await startRelyingParty(mock, { options: { par: 'never' } })
    try {
      mock.clearRequests()
      const browser = new Browser()
      const start = await browser.request(`${auto.app.url}/auth/login?ui_locales=nn&prompt=login`)
      const location = new URL(start.headers.get('location') ?? '')
      expect(location.searchParams.get('request_uri')).toMatch(/^urn:/)
      expect(location.searchParams.has('code_challenge')).toBe(false)
      expect(mock.requests.some((r) => r.endpoint === 'par' && r.clientId === auto.client.clientId)).toBe(
        true,
      )

      const direct = await browser.request(
        `${never.app.url}/auth/login?ui_locales=nn&prompt=login&acr_values=idporten-loa-high`,
      )
      const url = new URL(direct.headers.get('location') ?? '')
      expect(url.searchParams.get('code_challenge_method')).toBe('S256')
      expect(url.searchParams.get('ui_locales')).toBe('nn')
      expect(url.searchParams.get('prompt')).toBe('login')
      expect(url.searchParams.get('acr_values')).toBe('idporten-loa-high')
      expect(url.searchParams.get('state')).toBeTruthy()
      expect(url.searchParams.get('nonce')).toBeTruthy()
      expect(mock.requests.some((r) => r.endpoint === 'par' && r.clientId === never.client.clientId)).toBe(
        false,
      )
      expect((await login(new Browser(), never)).url).toBe(`${never.app.url}/`)

      // A lower level than the default, or an unknown one, cannot be asked for from the query.
      const low = await browser.request(
        `${never.app.url}/auth/login?acr_values=idporten-loa-low&ui_locales=xx`,
      )
      const lowUrl = new URL(low.headers.get('location') ?? '')
      expect(lowUrl.searchParams.get('acr_values')).toBe('idporten-loa-substantial')
      expect(lowUrl.searchParams.has('ui_locales')).toBe(false)
    } finally {
      await auto.close()
      await never.close()
    }
  })

  it('caches the metadata and fetches it again after metadataMaxAgeMs, without blocking logins', async () => {
    const clock = createManualClock()
    let discoveries = 0
    let jwksFetches = 0
    const rp = await startRelyingParty(mock, {
      options: {
        clock,
        metadataMaxAgeMs: 60_000,
        fetch: async (input, init) => {
          if (String(input).endsWith('/.well-known/openid-configuration')) discoveries++
          if (String(input).endsWith('/jwks.json')) jwksFetches++
          return fetch(input, init)
        },
      },
    })
    try {
      expect(discoveries).toBe(1)
      await login(new Browser(), rp)
      await login(new Browser(), rp)
      expect(discoveries).toBe(1)
      clock.advance(61_000)
      expect((await login(new Browser(), rp)).url).toBe(`${rp.app.url}/`)
      await vi.waitFor(() => expect(discoveries).toBe(2))
      expect((await login(new Browser(), rp)).url).toBe(`${rp.app.url}/`)
      expect(discoveries).toBe(2)
      // The signing keys survive rediscovery (same jwks_uri): fetched once, at the first login.
      expect(jwksFetches).toBe(1)
    } finally {
      await rp.close()
    }
  })

  it('fetches the signing keys again when rediscovery finds another jwks_uri', async () => {
    const clock = createManualClock()
    let discoveries = 0
    const jwksFetches: string[] = []
    const rp = await startRelyingParty(mock, {
      options: {
        clock,
        metadataMaxAgeMs: 60_000,
        fetch: async (input, init) => {
          const url = String(input)
          if (url.includes('/jwks.json')) jwksFetches.push(new URL(url).search)
          const response = await fetch(input, init)
          if (!url.endsWith('/.well-known/openid-configuration') || ++discoveries === 1) return response
          // The provider moves its keys (the mock serves them under any query).
          const metadata = (await response.json()) as Record<string, unknown>
          metadata.jwks_uri = `${String(metadata.jwks_uri)}?v=2`
          return Response.json(metadata)
        },
      },
    })
    try {
      await login(new Browser(), rp)
      expect(jwksFetches).toEqual([''])
      clock.advance(61_000)
      await login(new Browser(), rp)
      await vi.waitFor(() => expect(rp.auth.metadata.jwks_uri).toMatch(/\?v=2$/))
      expect((await login(new Browser(), rp)).url).toBe(`${rp.app.url}/`)
      expect(jwksFetches).toEqual(['', '?v=2'])
    } finally {
      await rp.close()
    }
  })

  it('Ansattporten: the chosen organisation arrives in authorization_details with reportees', async () => {
    const rp = await startRelyingParty(mock, {
      flavour: 'ansattporten',
      options: {
        authorizationDetails: [
          { type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:felles-test' },
        ],
      },
    })
    try {
      const browser = new Browser()
      const page = await login(browser, rp)
      expect(page.url).toBe(`${rp.app.url}/`)
      const claims = (await me(browser, rp))?.claims as {
        authorization_details?: { type: string; reportees?: { ID: string; Name?: string }[] }[]
      }
      const detail = claims.authorization_details?.[0]
      expect(detail?.type).toBe('ansattporten:altinn:service')
      expect(detail?.reportees?.length).toBeGreaterThan(0)
      expect(detail?.reportees?.[0]?.ID).toMatch(/^0192:\d{9}$/)
    } finally {
      await rp.close()
    }
  })
})
