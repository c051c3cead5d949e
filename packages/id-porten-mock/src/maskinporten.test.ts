import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { createRemoteJWKSet, importJWK, type JWK, jwtVerify, SignJWT } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from './clock.js'
import { startIdportenMock } from './mock.js'
import type { IdportenMock, RegisteredMaskinportenClient } from './types.js'

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
let mock: IdportenMock
let client: RegisteredMaskinportenClient
const clock = createManualClock()

beforeAll(async () => {
  mock = await startIdportenMock({ seed: 'maskinporten', clock })
  client = await mock.registerClient({
    issuer: 'maskinporten',
    scopes: ['ks:fiks', 'digdir:test'],
    delegations: [{ consumerOrg: mock.organisations[1]?.organisationNumber as string, scopes: ['ks:fiks'] }],
    onBehalfOf: ['sub-client-1'],
  })
})
afterAll(async () => {
  await mock.close()
})

interface GrantOptions {
  readonly claims?: Record<string, unknown>
  readonly header?: Record<string, unknown>
  readonly jwk?: JWK
  readonly iat?: number
  readonly lifetime?: number
  readonly alg?: string
}

async function assertion(c: RegisteredMaskinportenClient, options: GrantOptions = {}): Promise<string> {
  const key = c.keys[0]
  const jwk = options.jwk ?? key?.privateJwk ?? c.certificate?.privateJwk
  const iat = options.iat ?? Math.floor(clock.now() / 1000)
  return new SignJWT({
    aud: c.issuer,
    iss: c.clientId,
    scope: 'ks:fiks',
    jti: randomUUID(),
    iat,
    exp: iat + (options.lifetime ?? 120),
    ...options.claims,
  })
    .setProtectedHeader({
      alg: options.alg ?? 'RS256',
      ...(key === undefined ? {} : { kid: key.kid }),
      ...options.header,
    })
    .sign(await importJWK(jwk as JWK, options.alg ?? 'RS256'))
}

async function grant(
  jwt: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; res: Response }> {
  const res = await fetch(`${mock.issuers.maskinporten}token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: jwt }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, res }
}

const jwks = (): ReturnType<typeof createRemoteJWKSet> =>
  createRemoteJWKSet(new URL(`${mock.issuers.maskinporten}jwk`))

describe('Maskinporten metadata', () => {
  it('publishes RFC 8414 metadata with the trailing-slash issuer at both well-known locations', async () => {
    expect(mock.issuers.maskinporten).toBe(`${mock.url}/maskinporten/`)
    for (const url of [
      `${mock.url}/maskinporten/.well-known/oauth-authorization-server`,
      `${mock.url}/.well-known/oauth-authorization-server/maskinporten/`,
    ]) {
      const meta = (await (await fetch(url)).json()) as Record<string, unknown>
      expect(meta).toEqual({
        issuer: mock.issuers.maskinporten,
        token_endpoint: `${mock.issuers.maskinporten}token`,
        jwks_uri: `${mock.issuers.maskinporten}jwk`,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        grant_types_supported: [JWT_BEARER],
        token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512'],
        authorization_details_types_supported: ['urn:altinn:systemuser'],
      })
    }
  })
})

describe('Maskinporten grants', () => {
  it('issues a signed token for a grant with a registered key (openid-client genericGrantRequest)', async () => {
    const config = await oidc.discovery(
      new URL(mock.issuers.maskinporten),
      client.clientId,
      {},
      oidc.None(),
      {
        algorithm: 'oauth2',
        execute: [oidc.allowInsecureRequests],
      },
    )
    const tokens = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion: await assertion(client) })
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 120, scope: 'ks:fiks' })
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks(), {
      issuer: mock.issuers.maskinporten,
    })
    expect(protectedHeader.alg).toBe('RS256')
    expect(payload).toMatchObject({
      aud: 'unspecified',
      scope: 'ks:fiks',
      client_id: client.clientId,
      client_amr: 'private_key_jwt',
      token_type: 'Bearer',
      consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${client.organisationNumber}` },
    })
    expect((payload.exp as number) - (payload.iat as number)).toBe(120)
  })

  it('turns resource into aud and carries pid, iss_onbehalfof and authorization_details', async () => {
    const pid = mock.persons[0]?.nationalId
    const res = await grant(
      await assertion(client, {
        claims: {
          resource: ['https://svarut.example.test/'],
          pid,
          iss_onbehalfof: 'sub-client-1',
          authorization_details: [
            { type: 'urn:altinn:systemuser', systemuser_org: { ID: '0192:991825827' } },
          ],
        },
      }),
    )
    expect(res.status).toBe(200)
    const { payload } = await jwtVerify(res.body.access_token as string, jwks())
    expect(payload).toMatchObject({
      aud: 'https://svarut.example.test/',
      pid,
      iss_onbehalfof: 'sub-client-1',
    })
    expect(payload.authorization_details).toEqual([
      { type: 'urn:altinn:systemuser', systemuser_org: { ID: '0192:991825827' } },
    ])
  })

  it('accepts consumer_org with a delegation: consumer is the delegating organisation, supplier the client', async () => {
    const consumerOrg = mock.organisations[1]?.organisationNumber
    const res = await grant(await assertion(client, { claims: { consumer_org: consumerOrg } }))
    expect(res.status).toBe(200)
    const { payload } = await jwtVerify(res.body.access_token as string, jwks())
    expect(payload).toMatchObject({
      consumer: { ID: `0192:${consumerOrg}` },
      supplier: { ID: `0192:${client.organisationNumber}` },
    })
    const notDelegatedScope = await grant(
      await assertion(client, { claims: { consumer_org: consumerOrg, scope: 'digdir:test' } }),
    )
    expect(notDelegatedScope.body.error_description).toMatch(/MP-010/)
    const noDelegation = await grant(
      await assertion(client, { claims: { consumer_org: mock.organisations[2]?.organisationNumber } }),
    )
    expect(noDelegation.body.error_description).toMatch(/\(MP-011\)$/)
  })

  it('accepts a business certificate as x5c (an array) and refuses it as a string or from another organisation', async () => {
    const certClient = await mock.registerClient({
      issuer: 'maskinporten',
      scopes: ['ks:fiks'],
      trust: 'certificate',
    })
    const cert = certClient.certificate
    expect(cert?.x5c).toHaveLength(2)
    const ok = await grant(await assertion(certClient, { header: { x5c: cert?.x5c } }))
    expect(ok.status).toBe(200)
    const { payload } = await jwtVerify(ok.body.access_token as string, jwks())
    expect(payload.client_amr).toBe('virksomhetssertifikat')

    const asString = await grant(await assertion(certClient, { header: { x5c: cert?.x5c[0] } }))
    expect(asString).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(asString.body.error_description).toMatch(/x5c.*\(MP-004\)$/)

    const other = await mock.registerClient({
      issuer: 'maskinporten',
      scopes: ['ks:fiks'],
      trust: 'certificate',
      organisationNumber: mock.organisations[3]?.organisationNumber as string,
    })
    const mixedUp = await grant(
      await assertion(certClient, {
        header: { x5c: other.certificate?.x5c },
        jwk: other.certificate?.privateJwk as JWK,
      }),
    )
    expect(mixedUp.body.error_description).toMatch(/another organisation.*\(MP-005\)$/)
  })

  it.each([
    ['bad aud', { claims: { aud: 'https://maskinporten.no/' } }, 'MP-006'],
    ['aud without the trailing slash', { claims: { aud: 'no-slash' } }, 'MP-006'],
    ['expired', { iat: -300, lifetime: 100 }, 'MP-009'],
    ['exp - iat > 120', { lifetime: 121 }, 'MP-008'],
    ['iat 11 s in the future', { iat: 11 }, 'MP-007'],
    ['iat 11 s in the past', { iat: -11 }, 'MP-007'],
    ['scope not allowed', { claims: { scope: 'ks:fiks skatteetaten:secret' } }, 'MP-010'],
    ['unknown kid', { header: { kid: 'not-registered' } }, 'MP-005'],
    ['HS256', { alg: 'HS256', jwk: { kty: 'oct', k: Buffer.alloc(32, 1).toString('base64url') } }, 'MP-003'],
    ['resource as a string', { claims: { resource: 'https://api.example.test/' } }, 'MP-014'],
  ] as const)('refuses %s', async (_name, raw, code) => {
    const options = raw as GrantOptions & { iat?: number }
    if (options.claims?.aud === 'no-slash') {
      Object.assign(options, { claims: { aud: mock.issuers.maskinporten.slice(0, -1) } })
    }
    const now = Math.floor(clock.now() / 1000)
    const jwt = await assertion(client, {
      ...options,
      ...(options.iat === undefined ? {} : { iat: now + options.iat }),
    } as GrantOptions)
    const res = await grant(jwt)
    expect(res.status).toBe(400)
    expect(res.body.error_description).toMatch(new RegExp(`\\(${code}\\)$`))
  })

  it('refuses a grant signed by another key under the registered kid', async () => {
    const other = await mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
    const res = await grant(await assertion(client, { jwk: other.keys[0]?.privateJwk as JWK }))
    expect(res.body.error_description).toMatch(/\(MP-005\)$/)
  })

  it('refuses a reused jti (MP-012) and an unknown client (MP-001)', async () => {
    const jwt = await assertion(client)
    expect((await grant(jwt)).status).toBe(200)
    const again = await grant(jwt)
    expect(again).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(again.body.error_description).toMatch(/jti.*\(MP-012\)$/)
    const unknown = await grant(await assertion({ ...client, clientId: 'nobody' }))
    expect(unknown).toMatchObject({ status: 401, body: { error: 'invalid_client' } })
    expect(unknown.body.error_description).toMatch(/\(MP-001\)$/)
  })

  it('rotates keys without restart: add, use, remove', async () => {
    const rotating = await mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
    const oldKey = rotating.keys[0]
    const newKey = await mock.addClientKey(rotating.clientId)
    const signWith = async (key: typeof newKey): Promise<string> =>
      assertion(rotating, { jwk: key.privateJwk as JWK, header: { kid: key.kid } })
    expect((await grant(await signWith(newKey))).status).toBe(200)
    expect((await grant(await signWith(oldKey as typeof newKey))).status).toBe(200)
    mock.removeClientKey(rotating.clientId, oldKey?.kid as string)
    expect((await grant(await signWith(oldKey as typeof newKey))).body.error_description).toMatch(/MP-005/)
    expect((await grant(await signWith(newKey))).status).toBe(200)
  })

  it('accepts exactly the grants within ±10 s and exp - iat ≤ 120 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -40, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        async (skew, lifetime) => {
          const iat = Math.floor(clock.now() / 1000) + skew
          const res = await grant(await assertion(client, { iat, lifetime }))
          const expected =
            Math.abs(skew) <= 10 && lifetime <= 120 && iat + lifetime >= Math.floor(clock.now() / 1000) - 10
          expect(res.status === 200).toBe(expected)
        },
      ),
      { numRuns: 40 },
    )
  })
})

describe('Maskinporten faults', () => {
  it('token-5xx, slow and token-timeout', async () => {
    mock.setFault(client.clientId, 'token-5xx', { times: 1 })
    expect((await grant(await assertion(client))).status).toBe(503)
    expect((await grant(await assertion(client))).status).toBe(200)
    const started = performance.now()
    expect((await grant(await assertion(client), { 'x-mock-fault': 'slow=100' })).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    mock.setFault(client.clientId, 'token-timeout', { times: 1 })
    await expect(
      fetch(`${mock.issuers.maskinporten}token`, {
        method: 'POST',
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: await assertion(client) }),
        signal: AbortSignal.timeout(200),
      }),
    ).rejects.toThrow()
    expect(
      mock.requests.filter((r) => r.flavour === 'maskinporten' && r.faults.includes('token-timeout')),
    ).toHaveLength(1)
  })

  it('clock-offset moves Maskinporten’s clock and Date header', async () => {
    mock.setFault(client.clientId, 'clock-offset', { offsetSeconds: 60, times: 2 })
    const now = Math.floor(clock.now() / 1000)
    const skewed = await grant(await assertion(client, { iat: now }))
    expect(skewed.body.error_description).toMatch(/MP-007/)
    expect(Date.parse(skewed.res.headers.get('date') as string) / 1000).toBeGreaterThanOrEqual(now + 59)
    const adjusted = await grant(await assertion(client, { iat: now + 60 }))
    expect(adjusted.status).toBe(200)
    expect((await grant(await assertion(client, { iat: now }))).status).toBe(200)
  })

  it('follows the injected clock', async () => {
    const realNow = Math.floor(clock.now() / 1000)
    clock.advance(600_000)
    try {
      expect((await grant(await assertion(client, { iat: realNow }))).body.error_description).toMatch(
        /MP-009/,
      )
      expect((await grant(await assertion(client))).status).toBe(200)
    } finally {
      clock.advance(-600_000)
    }
  })
})
