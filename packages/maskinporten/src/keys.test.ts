import { generateKeyPairSync } from 'node:crypto'
import { inspect } from 'node:util'
import { decodeProtectedHeader, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { rsaKeyPair, testCertificate, testPkcs12 } from '../test/certs.js'
import { isMaskinportenError } from './errors.js'
import { createGrant } from './grant.js'
import { loadSigningKey } from './keys.js'

const ISSUER = 'https://test.maskinporten.no/'
const day = 86_400_000
const now = Date.now()

const key = rsaKeyPair()
const jwk = key.privateKey.export({ format: 'jwk' })
const ca = rsaKeyPair('ca')
const caPem = testCertificate({
  key: ca,
  commonName: 'Test CA',
  notBefore: new Date(now - 10 * day),
  notAfter: new Date(now + 3650 * day),
  ca: true,
})
const leafPem = testCertificate({
  key,
  organisationNumber: '991825827',
  notBefore: new Date(now - day),
  notAfter: new Date(now + 365 * day),
  issuer: { key: ca, certPem: caPem },
})

/** Everything a leak check looks for: the private exponent and primes, and the PEM body. */
const secrets = [jwk.d!, jwk.p!, jwk.q!, key.pkcs8Pem.split('\n')[1]!]

function expectNoSecret(value: unknown): void {
  const shown = [
    JSON.stringify(value) ?? '',
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
    String(value),
    value instanceof Error ? `${value.stack} ${JSON.stringify(Object.getOwnPropertyDescriptors(value))}` : '',
  ].join('\n')
  for (const secret of secrets) expect(shown).not.toContain(secret)
}

async function verifyWith(assertion: string): Promise<void> {
  await jwtVerify(assertion, key.publicKey, { audience: ISSUER, algorithms: ['RS256', 'RS384', 'RS512'] })
}

describe('loadSigningKey', { timeout: 20_000 }, () => {
  it('loads a JWK with kid and signs grants with kid in the header', async () => {
    const loaded = await loadSigningKey({ jwk: { ...jwk, kid: 'k1' } })
    expect(loaded.kid).toBe('k1')
    expect(loaded.x5c).toBeUndefined()
    const assertion = await createGrant({ issuer: ISSUER, clientId: 'c', key: loaded, scopes: ['ks:fiks'] })
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', kid: 'k1' })
    await verifyWith(assertion)
  })

  it('loads PKCS#8, PKCS#1 and encrypted PEM', async () => {
    const pkcs1 = key.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()
    const encrypted = key.privateKey
      .export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'hemmelig' })
      .toString()
    for (const input of [
      { pem: key.pkcs8Pem, kid: 'a' },
      { pem: pkcs1, kid: 'b' },
      { pem: encrypted, passphrase: 'hemmelig', kid: 'c', alg: 'RS512' as const },
    ]) {
      const loaded = await loadSigningKey(input)
      const assertion = await createGrant({ issuer: ISSUER, clientId: 'c', key: loaded, scopes: ['s'] })
      expect(decodeProtectedHeader(assertion).kid).toBe(input.kid)
      await verifyWith(assertion)
    }
    const wrong = await loadSigningKey({ pem: encrypted, passphrase: 'feil', kid: 'x' }).catch(
      (e: unknown) => e,
    )
    expect(isMaskinportenError(wrong, 'ERR_KEY')).toBe(true)
    expectNoSecret(wrong)
  })

  it('sends a PEM key with its certificate chain as an x5c array, leaf first', async () => {
    const loaded = await loadSigningKey({ pem: key.pkcs8Pem, certificate: `${caPem}\n${leafPem}` })
    expect(loaded.kid).toBeUndefined()
    expect(loaded.organisationNumber).toBe('991825827')
    const header = decodeProtectedHeader(
      await createGrant({ issuer: ISSUER, clientId: 'c', key: loaded, scopes: ['s'] }),
    )
    expect(Array.isArray(header.x5c)).toBe(true)
    expect(header.x5c).toHaveLength(2)
    expect(header.kid).toBeUndefined()
    const leafDer = leafPem.replace(/-----[^-]+-----|\s/g, '')
    expect(header.x5c?.[0]).toBe(leafDer)
  })

  it('opens PKCS#12 files (AES and 3DES) and uses the chain as x5c', async () => {
    for (const algorithm of ['aes256', '3des'] as const) {
      const p12 = testPkcs12(key, [leafPem, caPem], 'passord', algorithm)
      const loaded = await loadSigningKey({ pkcs12: p12, passphrase: 'passord' })
      expect(loaded.x5c).toHaveLength(2)
      expect(loaded.notAfter).toBeGreaterThan(now + 300 * day)
      await verifyWith(await createGrant({ issuer: ISSUER, clientId: 'c', key: loaded, scopes: ['s'] }))
      const asBase64 = await loadSigningKey({
        pkcs12: Buffer.from(p12).toString('base64'),
        passphrase: 'passord',
      })
      expect(asBase64.thumbprint).toBe(loaded.thumbprint)
    }
    const wrong = await loadSigningKey({
      pkcs12: testPkcs12(key, [leafPem], 'passord'),
      passphrase: 'x',
    }).catch((e: unknown) => e)
    expect(isMaskinportenError(wrong, 'ERR_KEY')).toBe(true)
    expect((wrong as Error).message).toMatch(/passphrase/)
  })

  it('refuses a certificate of another key, non-RSA keys, short keys and keys without kid or certificate', async () => {
    const other = rsaKeyPair('other')
    const otherPem = testCertificate({
      key: other,
      notBefore: new Date(now - day),
      notAfter: new Date(now + day),
    })
    const cases = [
      loadSigningKey({ pem: key.pkcs8Pem, certificate: otherPem }),
      loadSigningKey({
        pem: generateKeyPairSync('ec', { namedCurve: 'P-256' })
          .privateKey.export({ format: 'pem', type: 'pkcs8' })
          .toString(),
        kid: 'ec',
      }),
      loadSigningKey({ pem: rsaKeyPair('short', 1024).pkcs8Pem, kid: 'short' }),
      loadSigningKey({ pem: key.pkcs8Pem }),
      loadSigningKey({ jwk: { kty: 'RSA', n: jwk.n!, e: jwk.e!, kid: 'public' } }),
    ]
    const messages: string[] = []
    for (const attempt of cases) {
      const error = await attempt.catch((e: unknown) => e)
      expect(isMaskinportenError(error, 'ERR_KEY')).toBe(true)
      expectNoSecret(error)
      messages.push((error as Error).message)
    }
    expect(messages[0]).toMatch(/does not belong/)
    expect(messages[1]).toMatch(/RSA/)
    expect(messages[2]).toMatch(/2048/)
    expect(messages[3]).toMatch(/kid .* or a business certificate/)
    expect(messages[4]).toMatch(/not a private key/)
    await expect(loadSigningKey({ jwk, kid: 'k', alg: 'HS256' as 'RS256' })).rejects.toThrow(TypeError)
  })

  it('never shows the private key in JSON.stringify, util.inspect, Object.keys or spread', async () => {
    const loaded = await loadSigningKey({ jwk, kid: 'k1', certificate: leafPem })
    expectNoSecret(loaded)
    expectNoSecret({ ...loaded })
    expectNoSecret(Object.getOwnPropertyDescriptors(loaded))
    expect(JSON.parse(JSON.stringify(loaded))).toMatchObject({
      kid: 'k1',
      alg: 'RS256',
      organisationNumber: '991825827',
    })
    expect(inspect(loaded)).toMatch(/^MaskinportenSigningKey /)
  })
})
