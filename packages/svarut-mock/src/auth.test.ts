import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, startMock } from '../test/helpers.js'
import { createClock, type SvarUtMock } from './index.js'

const ISSUER = 'http://127.0.0.1/maskinporten-mock/'

describe('Maskinporten tokens and integration headers', () => {
  const clock = createClock({ start: '2026-05-04T12:00:00Z', mode: 'manual' })
  let mock: SvarUtMock
  let jwksMock: SvarUtMock
  let jwksServer: Server
  let privateKey: CryptoKey
  let otherKey: CryptoKey
  let jwk: JWK

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true })
    otherKey = (await generateKeyPair('RS256')).privateKey
    privateKey = pair.privateKey
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    mock = await startMock({
      clock,
      auth: { mode: 'maskinporten', issuer: ISSUER, jwks: { keys: [jwk] } },
    })
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
    const port = (jwksServer.address() as AddressInfo).port
    jwksMock = await startMock({
      clock,
      auth: { mode: 'maskinporten', issuer: ISSUER, jwksUrl: `http://127.0.0.1:${port}/jwks` },
    })
  })
  afterAll(async () => {
    await mock.close()
    await jwksMock.close()
    await new Promise((resolve) => jwksServer.close(resolve))
  })

  const token = async (
    claims: Record<string, unknown> = {},
    opts: { key?: CryptoKey; iss?: string; expSeconds?: number; kid?: string } = {},
  ): Promise<string> => {
    const now = Math.floor(clock.now() / 1000)
    return new SignJWT({
      scope: 'ks:fiks',
      consumer: {
        authority: 'iso6523-actorid-upis',
        ID: `0192:${mock.world.integrations[0]?.organisasjonsnummer}`,
      },
      client_id: 'felles-test',
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'k1' })
      .setIssuer(opts.iss ?? ISSUER)
      .setIssuedAt(now)
      .setExpirationTime(now + (opts.expSeconds ?? 120))
      .setJti(crypto.randomUUID())
      .sign(opts.key ?? privateKey)
  }

  const types = (m: SvarUtMock, t: string, headers: Record<string, string> = {}) =>
    call(m, 'GET', '/api/v2/forsendelsestyper', undefined, { authorization: `Bearer ${t}`, ...headers })

  it('accepts a valid token (local JWKS and JWKS fetched over HTTP)', async () => {
    expect((await types(mock, await token())).status).toBe(200)
    expect((await types(jwksMock, await token())).status).toBe(200)
  })

  it('rejects a wrong issuer, a missing scope, another key, an unknown kid', async () => {
    expect((await types(mock, await token({}, { iss: 'https://evil.example/' }))).status).toBe(401)
    expect((await types(mock, await token({ scope: 'ks:annet' }))).status).toBe(401)
    expect((await types(mock, await token({}, { key: otherKey }))).status).toBe(401)
    expect((await types(mock, await token({}, { kid: 'ukjent' }))).status).toBe(401)
  })

  it('rejects an expired token on the mock clock, beyond the 60 s tolerance', async () => {
    const t = await token({}, { expSeconds: 120 })
    clock.advance(170_000)
    expect((await types(mock, t)).status).toBe(200)
    clock.advance(20_000)
    const res = await types(mock, t)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('rejects alg none and HS256', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url')
    const now = Math.floor(clock.now() / 1000)
    const payload = enc({ iss: ISSUER, scope: 'ks:fiks', iat: now, exp: now + 60 })
    expect((await types(mock, `${enc({ alg: 'none' })}.${payload}.`)).status).toBe(401)
    const { createHmac } = await import('node:crypto')
    const head = enc({ alg: 'HS256', kid: 'k1' })
    const sig = createHmac('sha256', 'secret').update(`${head}.${payload}`).digest('base64url')
    expect((await types(mock, `${head}.${payload}.${sig}`)).status).toBe(401)
  })

  it('403 when the consumer is not the integration organisation', async () => {
    const res = await types(
      mock,
      await token({ consumer: { authority: 'iso6523-actorid-upis', ID: '0192:974760673' } }),
    )
    expect(res.status).toBe(403)
  })

  it('401 without or with wrong integration headers; neither password nor token in the answer', async () => {
    const t = await token()
    const wrong = await types(mock, t, { integrasjonpassord: 'feil-passord' })
    expect(wrong.status).toBe(401)
    const text = await wrong.text()
    expect(text).not.toContain('feil-passord')
    expect(text).not.toContain(t)
    const missing = await fetch(`${mock.apiUrl}/v2/forsendelsestyper`, {
      headers: { authorization: `Bearer ${t}` },
    })
    expect(missing.status).toBe(401)
    expect((await fetch(`${mock.apiUrl}/v2/forsendelsestyper`)).status).toBe(401)
  })

  it('403 for an account the integration may not use', async () => {
    const res = await call(
      mock,
      'POST',
      '/api/v3/kontoer/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b/forsendelser/status/sok',
      { id: [] },
      { authorization: `Bearer ${await token()}` },
    )
    expect(res.status).toBe(403)
  })

  it('static mode: the configured token or 401', async () => {
    const s = await startMock({ auth: { mode: 'static', token: 'lokal' } })
    try {
      expect((await types(s, 'lokal')).status).toBe(200)
      expect((await types(s, 'annen')).status).toBe(401)
      expect(s.credentials.token).toBe('lokal')
    } finally {
      await s.close()
    }
  })
})
