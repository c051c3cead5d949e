// Client authentication against the mock: private_key_jwt with PEM keys, key
// rotation with several keys, x5c from a business certificate, client secrets.
import { execFileSync, spawnSync } from 'node:child_process'
import { createPrivateKey } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { decodeProtectedHeader } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { businessCertificateFromPkcs12, clientSecretBasic, privateKeyJwt, x5cFromPem } from '../src/index.js'
import { Browser } from './support/browser.js'
import { type IdportenMock, login, me, startIdportenMock, startRelyingParty } from './support/fixture.js'

const hasOpenssl = spawnSync('openssl', ['version']).status === 0

describe('client authentication', () => {
  let mock: IdportenMock
  beforeAll(async () => {
    mock = await startIdportenMock()
  })
  afterAll(async () => {
    await mock?.close()
  })

  it('keeps key material out of JSON and util.inspect', () => {
    const auth = privateKeyJwt({ keys: [{ key: 'PRIVATE-KEY-MATERIAL', kid: 'k1' }] })
    expect(JSON.stringify(auth)).toBe('{"method":"private_key_jwt","kid":"k1"}')
    expect(inspect(auth)).not.toContain('PRIVATE-KEY-MATERIAL')
    const secret = clientSecretBasic('very-secret-value')
    expect(`${JSON.stringify(secret)} ${inspect(secret)}`).not.toContain('very-secret-value')
  })

  it('refuses misuse with TypeError', () => {
    expect(() => privateKeyJwt({ keys: [] })).toThrow(TypeError)
    expect(() => privateKeyJwt({ keys: [{ key: 'x', kid: '' }] })).toThrow(TypeError)
    expect(() => privateKeyJwt({ keys: [{ key: 'x', kid: 'a' }], activeKid: 'b' })).toThrow(TypeError)
    expect(() => clientSecretBasic('')).toThrow(TypeError)
    expect(() => x5cFromPem('nothing here')).toThrow(TypeError)
  })

  it.each(['pkcs8', 'pkcs1'] as const)('logs in with a %s PEM key', async (type) => {
    const rp = await startRelyingParty(mock)
    const jwk = rp.client.keys[0]?.privateJwk as JsonWebKey
    const pem = createPrivateKey({ key: jwk as never, format: 'jwk' })
      .export({ format: 'pem', type })
      .toString()
    const pemRp = await startRelyingParty(mock, {
      client: { jwk: rp.client.keys[0]?.publicJwk as never },
      options: { clientAuth: privateKeyJwt({ keys: [{ key: pem, kid: rp.client.keys[0]?.kid ?? '' }] }) },
    })
    try {
      const browser = new Browser()
      expect((await login(browser, pemRp)).url).toBe(`${pemRp.app.url}/`)
      expect(await me(browser, pemRp)).toBeDefined()
    } finally {
      await rp.close()
      await pemRp.close()
    }
  })

  it('signs with the active key of several (rotation) and sends x5c from a business certificate', async () => {
    const mp = await mock.registerClient({
      issuer: 'maskinporten',
      scopes: ['test:scope'],
      trust: 'certificate',
    })
    const certificate = mp.certificate
    if (certificate === undefined) throw new Error('the mock issued no certificate')
    const headers: Record<string, unknown>[] = []
    let secondKid = ''
    const rp = await startRelyingParty(mock, {
      prepare: async (client) => {
        const first = client.keys[0]
        const second = await mock.addClientKey(client.clientId, {
          ...certificate.privateJwk,
          kid: 'business-cert',
        })
        secondKid = second.kid
        return {
          clientAuth: privateKeyJwt({
            keys: [
              { key: first?.privateJwk as JsonWebKey, kid: first?.kid ?? '' },
              { key: certificate.privateKeyPem, kid: second.kid },
            ],
            activeKid: second.kid,
            x5c: x5cFromPem(certificate.chainPem),
          }),
        }
      },
      options: {
        fetch: async (input, init) => {
          const body = typeof init?.body === 'string' ? new URLSearchParams(init.body) : init?.body
          const assertion = body instanceof URLSearchParams ? body.get('client_assertion') : null
          if (assertion !== null) headers.push(decodeProtectedHeader(assertion) as Record<string, unknown>)
          return fetch(input, init)
        },
      },
    })
    try {
      const browser = new Browser()
      expect((await login(browser, rp)).url).toBe(`${rp.app.url}/`)
      expect(await me(browser, rp)).toBeDefined()
      expect(headers.length).toBeGreaterThan(0)
      for (const header of headers) {
        expect(header.kid).toBe(secondKid)
        expect(header.x5c).toEqual(certificate.x5c)
      }
    } finally {
      await rp.close()
    }
  })

  it.skipIf(!hasOpenssl)(
    'reads a business certificate from PKCS#12 (PBES2/AES, as OpenSSL 3 writes it) and logs in with it',
    async () => {
      const mp = await mock.registerClient({
        issuer: 'maskinporten',
        scopes: ['test:scope'],
        trust: 'certificate',
      })
      const certificate = mp.certificate
      if (certificate === undefined) throw new Error('the mock issued no certificate')
      const dir = mkdtempSync(join(tmpdir(), 'felles-p12-'))
      try {
        writeFileSync(join(dir, 'key.pem'), certificate.privateKeyPem)
        writeFileSync(join(dir, 'chain.pem'), certificate.chainPem)
        execFileSync('openssl', [
          'pkcs12',
          '-export',
          '-inkey',
          join(dir, 'key.pem'),
          '-in',
          join(dir, 'chain.pem'),
          '-passout',
          'pass:hemmelig',
          '-out',
          join(dir, 'cert.p12'),
        ])
        const p12 = readFileSync(join(dir, 'cert.p12'))
        await expect(businessCertificateFromPkcs12(p12, 'feil passord')).rejects.toThrow(TypeError)
        await expect(businessCertificateFromPkcs12(new Uint8Array([1, 2, 3]), 'x')).rejects.toThrow(TypeError)
        const { key, x5c } = await businessCertificateFromPkcs12(p12, 'hemmelig')
        expect(x5c).toEqual(certificate.x5c)
        const rp = await startRelyingParty(mock, {
          prepare: async (client) => {
            const added = await mock.addClientKey(client.clientId, { ...certificate.privateJwk, kid: 'p12' })
            return { clientAuth: privateKeyJwt({ keys: [{ key, kid: added.kid }], x5c }) }
          },
        })
        try {
          const browser = new Browser()
          expect((await login(browser, rp)).url).toBe(`${rp.app.url}/`)
        } finally {
          await rp.close()
        }
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  )

  it('authenticates with client_secret_basic and client_secret_post', async () => {
    for (const authMethod of ['client_secret_basic', 'client_secret_post'] as const) {
      const rp = await startRelyingParty(mock, { client: { authMethod } })
      try {
        const browser = new Browser()
        expect((await login(browser, rp)).url).toBe(`${rp.app.url}/`)
        expect(await me(browser, rp)).toBeDefined()
      } finally {
        await rp.close()
      }
    }
  })
})
