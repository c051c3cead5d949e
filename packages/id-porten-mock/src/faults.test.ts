import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeRp, type Flow, rpClient, startFakeRp, startFlow } from '../test/helpers.js'
import { type FaultName, parseFaultList } from './faults.js'
import { startIdportenMock } from './mock.js'
import type { IdportenMock, RegisteredOidcClient } from './types.js'

let mock: IdportenMock
let rp: FakeRp
let client: RegisteredOidcClient

beforeAll(async () => {
  ;[mock, rp] = await Promise.all([startIdportenMock({ seed: 'faults' }), startFakeRp()])
  client = await rpClient(mock, rp, { authMethod: 'client_secret_basic' })
})
afterAll(async () => {
  await Promise.all([mock.close(), rp.close()])
})

/** Exchanges the code by hand, so the raw (tampered) ID token can be inspected. */
async function rawExchange(flow: Flow, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      ...headers,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: flow.login.url.searchParams.get('code') as string,
      redirect_uri: client.redirectUris[0] as string,
      code_verifier: flow.verifier,
    }),
  })
}

async function idTokenWith(fault: FaultName): Promise<{ token: string; flow: Flow }> {
  mock.setFault(client.clientId, fault, { times: 1 })
  const flow = await startFlow(mock, client, { params: { acr_values: 'idporten-loa-high' } })
  const res = await rawExchange(flow)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { id_token: string }
  return { token: body.id_token, flow }
}

const jwks = (): ReturnType<typeof createRemoteJWKSet> =>
  createRemoteJWKSet(new URL(`${mock.issuer}/jwks.json`))

describe('ID token faults', () => {
  it('wrong-iss, wrong-aud, extra-aud, wrong-nonce, lower-acr, missing-pid, missing-sid change one claim each', async () => {
    const cases: [FaultName, (claims: Record<string, unknown>, flow: Flow) => void][] = [
      ['wrong-iss', (c) => expect(c.iss).not.toBe(mock.issuer)],
      ['wrong-aud', (c) => expect(c.aud).not.toBe(client.clientId)],
      ['extra-aud', (c) => expect(c.aud).toEqual([client.clientId, 'untrusted-client'])],
      ['wrong-nonce', (c, flow) => expect(c.nonce).not.toBe(flow.nonce)],
      ['missing-nonce', (c) => expect(c).not.toHaveProperty('nonce')],
      ['lower-acr', (c) => expect(c.acr).toBe('idporten-loa-substantial')],
      ['missing-pid', (c) => expect(c).not.toHaveProperty('pid')],
      ['missing-sid', (c) => expect(c).not.toHaveProperty('sid')],
    ]
    for (const [fault, check] of cases) {
      const { token, flow } = await idTokenWith(fault)
      const { payload } = await jwtVerify(token, jwks())
      check(payload as Record<string, unknown>, flow)
    }
  })

  it('expired, missing-exp and iat-in-future move the timestamps', async () => {
    const now = Math.floor(Date.now() / 1000)
    const expired = decodeJwt((await idTokenWith('expired')).token)
    expect(expired.exp).toBeLessThan(now - 300)
    expect(decodeJwt((await idTokenWith('missing-exp')).token)).not.toHaveProperty('exp')
    expect(decodeJwt((await idTokenWith('iat-in-future')).token).iat).toBeGreaterThan(now + 3000)
  })

  it('other-signing-key, unknown-kid and alg-none fail signature verification', async () => {
    const other = await idTokenWith('other-signing-key')
    const realKid = decodeProtectedHeader((await idTokenWith('missing-sid')).token).kid
    expect(decodeProtectedHeader(other.token).kid).toBe(realKid)
    await expect(jwtVerify(other.token, jwks())).rejects.toThrow(/signature/)
    const unknown = await idTokenWith('unknown-kid')
    expect(decodeProtectedHeader(unknown.token).kid).not.toBe(realKid)
    await expect(jwtVerify(unknown.token, jwks())).rejects.toThrow()
    const none = await idTokenWith('alg-none')
    expect(decodeProtectedHeader(none.token).alg).toBe('none')
    expect(none.token.endsWith('.')).toBe(true)
  })

  it('openid-client (with signature checks) rejects the tampered tokens', async () => {
    for (const fault of ['wrong-iss', 'wrong-aud', 'wrong-nonce', 'expired', 'other-signing-key'] as const) {
      mock.setFault(client.clientId, fault, { times: 1 })
      const flow = await startFlow(mock, client)
      await expect(flow.exchange(), fault).rejects.toThrow()
    }
    // Without a fault the same flow passes, and the fault was used up.
    await expect((await startFlow(mock, client)).exchange()).resolves.toBeDefined()
  })

  it('accepts faults per login (mock_fault) and per request (X-Mock-Fault)', async () => {
    const flow = await startFlow(mock, client, { params: { mock_fault: 'missing-pid,wrong-nonce' } })
    const body = (await (await rawExchange(flow)).json()) as { id_token: string }
    const claims = decodeJwt(body.id_token)
    expect(claims).not.toHaveProperty('pid')
    expect(claims.nonce).not.toBe(flow.nonce)

    const second = await startFlow(mock, client)
    const res = await rawExchange(second, { 'x-mock-fault': 'lower-acr, wrong-aud' })
    const tampered = decodeJwt(((await res.json()) as { id_token: string }).id_token)
    expect(tampered.aud).toBe('another-client')
    expect(tampered.acr).toBe('idporten-loa-low')
    expect(mock.requests.at(-1)?.faults).toEqual(expect.arrayContaining(['lower-acr', 'wrong-aud']))
  })
})

describe('authorization response faults', () => {
  it('access-denied and response-error-html replace the code with an error', async () => {
    mock.setFault(client.clientId, 'access-denied', { times: 1 })
    const denied = await startFlow(mock, client)
    expect(denied.login.url.searchParams.get('error')).toBe('access_denied')
    expect(denied.login.url.searchParams.has('code')).toBe(false)
    expect(denied.login.url.searchParams.get('state')).toBe(denied.state)
    await expect(denied.exchange()).rejects.toMatchObject({ error: 'access_denied' })

    const html = await startFlow(mock, client, { params: { mock_fault: 'response-error-html' } })
    expect(html.login.url.searchParams.get('error_description')).toContain('<script>')
  })

  it('response-wrong-iss, response-missing-iss and response-wrong-state break the RFC 9207 / state checks', async () => {
    for (const fault of ['response-wrong-iss', 'response-missing-iss', 'response-wrong-state'] as const) {
      mock.setFault(client.clientId, fault, { times: 1 })
      const flow = await startFlow(mock, client)
      const params = flow.login.url.searchParams
      if (fault === 'response-wrong-iss') expect(params.get('iss')).not.toBe(mock.issuer)
      if (fault === 'response-missing-iss') expect(params.has('iss')).toBe(false)
      if (fault === 'response-wrong-state') expect(params.get('state')).not.toBe(flow.state)
      await expect(flow.exchange(), fault).rejects.toThrow()
    }
  })
})

describe('token endpoint faults', () => {
  it('token-5xx answers 503 before the code is used, so the code still works afterwards', async () => {
    mock.setFault(client.clientId, 'token-5xx', { times: 1 })
    const flow = await startFlow(mock, client)
    const failed = await rawExchange(flow)
    expect(failed.status).toBe(503)
    expect(await failed.json()).toMatchObject({ error: 'server_error' })
    const entry = mock.requests.at(-1)
    expect(entry).toMatchObject({
      endpoint: 'token',
      clientId: client.clientId,
      faults: ['token-5xx'],
      status: 503,
    })
    expect((await rawExchange(flow)).status).toBe(200)
    const custom = await rawExchange(await startFlow(mock, client), { 'x-mock-fault': 'token-5xx=502' })
    expect(custom.status).toBe(502)
  })

  it('token-timeout hangs until the client gives up; with a delay the connection is dropped', async () => {
    mock.setFault(client.clientId, 'token-timeout', { times: 1 })
    const flow = await startFlow(mock, client)
    const config = await oidc.discovery(
      new URL(mock.issuer),
      client.clientId,
      {},
      oidc.ClientSecretBasic(client.clientSecret),
      {
        execute: [oidc.allowInsecureRequests],
        timeout: 0.3,
      },
    )
    await expect(
      oidc.authorizationCodeGrant(config, flow.login.url, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      }),
    ).rejects.toThrow()
    const dropped = await startFlow(mock, client)
    await expect(rawExchange(dropped, { 'x-mock-fault': 'token-timeout=50' })).rejects.toThrow(/fetch failed/)
  })

  it('slow delays the answer, then answers normally', async () => {
    const flow = await startFlow(mock, client)
    const started = performance.now()
    const res = await rawExchange(flow, { 'x-mock-fault': 'slow=150' })
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('clearFaults ends client faults; setFault refuses unknown clients and names', () => {
    mock.setFault(client.clientId, 'wrong-iss')
    mock.clearFaults(client.clientId)
    expect(() => mock.setFault('nobody', 'wrong-iss')).toThrow(/unknown client/)
    expect(() => mock.setFault(client.clientId, 'nonsense' as FaultName)).toThrow(/unknown fault/)
    expect(() => mock.setFault(client.clientId, 'token-5xx', { status: 404 })).toThrow(/500–599/)
  })

  it('parses fault lists leniently', () => {
    expect(parseFaultList('slow=10, token-5xx=500,clock-offset=-30, bogus, wrong-iss')).toEqual([
      { name: 'slow', delayMs: 10 },
      { name: 'token-5xx', status: 500 },
      { name: 'clock-offset', offsetSeconds: -30 },
      { name: 'wrong-iss' },
    ])
    expect(parseFaultList(undefined)).toEqual([])
  })
})
