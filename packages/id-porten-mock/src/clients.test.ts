import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateRsaKeyPair } from './internal/keys.js'
import { startIdportenMock } from './mock.js'
import type { IdportenMock } from './types.js'

let mock: IdportenMock
beforeAll(async () => {
  mock = await startIdportenMock({
    seed: 'clients',
    persons: [{ nationalId: '21879498012', givenName: 'Kari', familyName: 'Nordmann' }, { nationalId: null }],
    clients: [
      {
        clientId: 'demo',
        authMethod: 'client_secret_basic',
        clientSecret: 'a-long-enough-secret',
        redirectUris: ['http://127.0.0.1:3000/cb'],
      },
    ],
  })
})
afterAll(async () => {
  await mock.close()
})

describe('registerClient', () => {
  it('registers clients from the start options and refuses duplicates', async () => {
    expect(mock.getClient('demo')).toMatchObject({
      kind: 'oidc',
      clientId: 'demo',
      authMethod: 'client_secret_basic',
    })
    await expect(
      mock.registerClient({ clientId: 'demo', redirectUris: ['http://127.0.0.1:3000/cb'] }),
    ).rejects.toThrow(/already registered/)
  })

  it('takes a public JWK, and keeps secrets out of JSON.stringify and util.inspect', async () => {
    const pair = await generateRsaKeyPair()
    const withKey = await mock.registerClient({
      redirectUris: ['http://localhost:4000/cb'],
      jwk: pair.publicJwk,
    })
    expect(withKey.keys).toEqual([
      { kid: pair.kid, publicJwk: expect.objectContaining({ n: pair.publicJwk.n }) },
    ])
    const withSecret = await mock.registerClient({
      redirectUris: ['http://localhost:4000/cb'],
      authMethod: 'client_secret_post',
    })
    expect(withSecret.clientSecret?.length).toBeGreaterThanOrEqual(32)
    const generated = await mock.registerClient({ redirectUris: ['http://localhost:4000/cb'] })
    for (const text of [
      JSON.stringify(withSecret),
      inspect(withSecret, { depth: 9 }),
      JSON.stringify(generated),
      inspect(generated, { depth: 9 }),
    ]) {
      expect(text).not.toContain(withSecret.clientSecret)
      expect(text).not.toContain(generated.keys[0]?.privateJwk?.d)
      expect(text).toContain('[redacted]')
    }
  })

  it('accepts several redirect hosts and validates the metadata', async () => {
    await expect(
      mock.registerClient({
        redirectUris: ['http://localhost:3000/cb', 'http://127.0.0.1:3000/cb'],
        authMethod: 'none',
      }),
    ).resolves.toMatchObject({ authMethod: 'none' })
    await expect(mock.registerClient({ redirectUris: [] })).rejects.toThrow(TypeError)
    await expect(mock.registerClient({ redirectUris: ['not a url'] })).rejects.toThrow(/absolute URI/)
    await expect(
      mock.registerClient({
        redirectUris: ['http://x/cb'],
        clientSecret: 'short',
        authMethod: 'client_secret_basic',
      }),
    ).rejects.toThrow(/16 characters/)
    await expect(
      mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'], organisationNumber: '123456789' }),
    ).rejects.toThrow(/organisationNumber/)
  })

  it('uses the given persons: synthetic numbers only, and a foreign user without pid', async () => {
    expect(mock.persons.map((p) => p.name)).toEqual(['Kari Nordmann', expect.any(String)])
    expect(mock.persons[1]).toMatchObject({ kind: 'foreign' })
    expect(mock.persons[1]).not.toHaveProperty('nationalId')
    await expect(startIdportenMock({ persons: [{ nationalId: '01010112345' }] })).rejects.toThrow(/synthetic/)
  })

  it('removes clients and refuses work after close', async () => {
    const c = await mock.registerClient({ redirectUris: ['http://127.0.0.1:1/cb'], authMethod: 'none' })
    mock.removeClient(c.clientId)
    expect(mock.getClient(c.clientId)).toBeUndefined()
    const other = await startIdportenMock()
    await other.close()
    await other.close()
    await expect(other.registerClient({ redirectUris: ['http://127.0.0.1:1/cb'] })).rejects.toThrow(/closed/)
  })
})
