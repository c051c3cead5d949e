import { createSyntheticGenerator } from '@felles/identifiers'
import fc from 'fast-check'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { rsaKeyPair, testCertificate } from '../test/certs.js'
import { createGrant, grantClaims, MAX_GRANT_LIFETIME } from './grant.js'
import { loadSigningKey, SIGNING_ALGORITHMS, type SigningAlgorithm } from './keys.js'

const pair = rsaKeyPair()
const now = Date.now()
const certPem = testCertificate({
  key: pair,
  organisationNumber: '991825827',
  notBefore: new Date(now - 86_400_000),
  notAfter: new Date(now + 86_400_000),
})
const keys = await Promise.all(
  SIGNING_ALGORITHMS.flatMap((alg) => [
    loadSigningKey({ pem: pair.pkcs8Pem, kid: `kid-${alg}`, alg }),
    loadSigningKey({ pem: pair.pkcs8Pem, certificate: certPem, alg }),
  ]),
)
const gen = createSyntheticGenerator({ seed: 'grant-test' })
const pids = Array.from({ length: 5 }, () => gen.nationalId())

const scope = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(:[a-z0-9.]{1,10})?$/)
const issuer = fc.constantFrom(
  'https://test.maskinporten.no/',
  'https://maskinporten.no/',
  'http://127.0.0.1:4000/maskinporten/',
  'https://example.test/no-trailing-slash',
)
const grantInput = fc.record(
  {
    issuer,
    clientId: fc.uuid(),
    keyIndex: fc.nat({ max: keys.length - 1 }),
    scopes: fc.array(scope, { minLength: 1, maxLength: 4 }),
    lifetime: fc.integer({ min: 1, max: MAX_GRANT_LIFETIME }),
    now: fc.integer({ min: 1_700_000_000_000, max: 2_000_000_000_000 }),
    resource: fc.oneof(fc.webUrl(), fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 })),
    consumerOrg: fc.constantFrom('991825827', '889640782'),
    issOnBehalfOf: fc.stringMatching(/^[a-z]{1,10}$/),
    pid: fc.constantFrom(...pids),
    authorizationDetails: fc.constant([
      {
        type: 'urn:altinn:systemuser',
        systemuser_org: { authority: 'iso6523-actorid-upis', ID: '0192:991825827' },
      },
    ]),
  },
  { requiredKeys: ['issuer', 'clientId', 'keyIndex', 'scopes', 'lifetime', 'now'] },
)

describe('grants (security case 16)', { timeout: 30_000 }, () => {
  it('every grant follows Digdir’s rules: unique jti, exp − iat ≤ 120, aud exactly the issuer, allowed alg, kid or an x5c array', async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(grantInput, async (input) => {
        const key = keys[input.keyIndex]!
        const { keyIndex: _, ...options } = input
        const assertion = await createGrant({ ...options, key })
        const header = decodeProtectedHeader(assertion)
        expect(SIGNING_ALGORITHMS).toContain(header.alg as SigningAlgorithm)
        expect(header.alg).toBe(key.alg)
        if (key.kid !== undefined) {
          expect(header.kid).toBe(key.kid)
          expect(header.x5c).toBeUndefined()
        } else {
          expect(Array.isArray(header.x5c)).toBe(true)
          expect(header.x5c!.length).toBeGreaterThan(0)
          expect(header.kid).toBeUndefined()
        }
        const { payload } = await jwtVerify(assertion, pair.publicKey, {
          algorithms: [...SIGNING_ALGORITHMS],
          currentDate: new Date(input.now),
        })
        expect(payload.aud).toBe(input.issuer)
        expect(payload.iss).toBe(input.clientId)
        expect(payload.iat).toBe(Math.floor(input.now / 1000))
        expect(payload.exp! - payload.iat!).toBe(input.lifetime)
        expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(120)
        expect(typeof payload.jti).toBe('string')
        expect(seen.has(payload.jti!)).toBe(false)
        seen.add(payload.jti!)
        expect(payload.scope).toBe([...new Set(input.scopes)].sort().join(' '))
        if (input.resource === undefined) expect(payload.resource).toBeUndefined()
        else
          expect(payload.resource).toEqual(
            typeof input.resource === 'string' ? [input.resource] : input.resource,
          )
        expect(payload.consumer_org).toBe(input.consumerOrg)
        expect(payload.iss_onbehalfof).toBe(input.issOnBehalfOf)
        expect(payload.pid).toBe(input.pid)
        expect(payload.authorization_details).toEqual(input.authorizationDetails)
      }),
      { numRuns: 300 },
    )
    expect(seen.size).toBe(300)
  })

  it('refuses lifetimes above 120 s, empty scopes, invalid organisation numbers and pids, without echoing the pid', () => {
    const base = { issuer: 'https://test.maskinporten.no/', clientId: 'c', scopes: ['ks:fiks'] }
    expect(() => grantClaims({ ...base, lifetime: 121 })).toThrow(/120/)
    expect(() => grantClaims({ ...base, lifetime: 0 })).toThrow(TypeError)
    expect(() => grantClaims({ ...base, scopes: [] })).toThrow(/scope/)
    expect(() => grantClaims({ ...base, scopes: ['a b'] })).toThrow(/scope/)
    expect(() => grantClaims({ ...base, consumerOrg: '991825828' })).toThrow(/organisasjonsnummer/)
    const badPid = `${pids[0]!.slice(0, 10)}${(Number(pids[0]!.at(-1)) + 1) % 10}`
    let message = ''
    try {
      grantClaims({ ...base, pid: badPid })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/pid/)
    expect(message).not.toContain(badPid)
    expect(() => grantClaims({ ...base, resource: [] })).toThrow(/resource/)
    expect(() => grantClaims({ ...base, authorizationDetails: [{} as { type: string }] })).toThrow(/type/)
  })
})
