import { createManualClock } from '@felles/http/testing'
import fc from 'fast-check'
import { base64url, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rsaKeyPair } from '../test/certs.js'
import { startTestIssuer, type TestIssuer } from '../test/issuer.js'
import { isMaskinportenError, type MaskinportenErrorCode } from './errors.js'
import { createAccessTokenVerifier, verifyAccessToken } from './verify.js'

let issuer: TestIssuer
beforeAll(async () => {
  issuer = await startTestIssuer()
})
afterAll(async () => {
  await issuer.close()
})

const clock = createManualClock({ now: Date.now() })
const nowSeconds = (): number => Math.floor(clock.now() / 1000)

function claims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: issuer.issuer,
    aud: 'https://api.kommune.no',
    scope: 'kommune:api.read kommune:api.write',
    client_id: 'client-1',
    consumer: { authority: 'iso6523-actorid-upis', ID: '0192:991825827' },
    iat: nowSeconds(),
    exp: nowSeconds() + 120,
    ...extra,
  }
}

async function rejection(promise: Promise<unknown>): Promise<MaskinportenErrorCode | string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (error === undefined) return 'accepted'
  if (!isMaskinportenError(error)) throw error
  return error.code
}

describe('createAccessTokenVerifier', { timeout: 20_000 }, () => {
  it('accepts a good token and returns scopes, consumer and client', async () => {
    const verifier = createAccessTokenVerifier({
      issuer: issuer.issuer,
      clock,
      requiredScopes: ['kommune:api.read'],
    })
    const token = await verifier.verify(await issuer.sign(claims()))
    expect(token).toMatchObject({
      issuer: issuer.issuer,
      clientId: 'client-1',
      consumer: '991825827',
      scopes: ['kommune:api.read', 'kommune:api.write'],
      audience: ['https://api.kommune.no'],
    })
  })

  it('rejects forged tokens: another key, alg none, HS256, wrong issuer or audience, missing scope, other consumer, expired', async () => {
    const verifier = createAccessTokenVerifier({
      issuer: issuer.issuer,
      audience: 'https://api.kommune.no',
      requiredScopes: ['kommune:api.read'],
      consumer: ['991825827'],
      clock,
    })
    const good = await issuer.sign(claims())
    const [header, payload] = good.split('.') as [string, string]
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${payload}.`
    const hs256 = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .sign(new TextEncoder().encode('a shared secret that is long enough'))
    const tampered = `${header}.${base64url.encode(JSON.stringify({ ...claims(), scope: 'kommune:api.read admin' }))}.${good.split('.')[2]}`
    const cases: Array<[string, string | Promise<string>, MaskinportenErrorCode | 'accepted']> = [
      ['good', good, 'accepted'],
      [
        'other key, same kid',
        await issuer.sign(claims(), { key: rsaKeyPair('forger') }),
        'ERR_TOKEN_INVALID',
      ],
      ['alg none', none, 'ERR_TOKEN_INVALID'],
      ['HS256', hs256, 'ERR_TOKEN_INVALID'],
      ['tampered payload', tampered, 'ERR_TOKEN_INVALID'],
      ['wrong issuer', await issuer.sign(claims({ iss: 'https://maskinporten.no/' })), 'ERR_TOKEN_INVALID'],
      [
        'issuer without its trailing slash',
        await issuer.sign(claims({ iss: issuer.issuer.slice(0, -1) })),
        'ERR_TOKEN_INVALID',
      ],
      ['wrong audience', await issuer.sign(claims({ aud: 'https://other.api' })), 'ERR_TOKEN_INVALID'],
      ['missing scope', await issuer.sign(claims({ scope: 'kommune:api.write' })), 'ERR_INSUFFICIENT_SCOPE'],
      [
        'other consumer',
        await issuer.sign(claims({ consumer: { authority: 'iso6523-actorid-upis', ID: '0192:889640782' } })),
        'ERR_WRONG_CONSUMER',
      ],
      ['expired', await issuer.sign(claims({ exp: nowSeconds() - 11 })), 'ERR_TOKEN_EXPIRED'],
      ['no exp', await issuer.sign(claims({ exp: undefined })), 'ERR_TOKEN_INVALID'],
      ['iat in the future', await issuer.sign(claims({ iat: nowSeconds() + 300 })), 'ERR_TOKEN_INVALID'],
      ['not a JWT', 'not-a-token', 'ERR_TOKEN_INVALID'],
      ['empty', '', 'ERR_TOKEN_MISSING'],
    ]
    for (const [name, token, expected] of cases) {
      expect([name, await rejection(verifier.verify(await token))]).toEqual([name, expected])
    }
  })

  it('lets a token expire on the injected clock, with the configured tolerance', async () => {
    const verifier = createAccessTokenVerifier({ issuer: issuer.issuer, clock, clockTolerance: 5 })
    const token = await issuer.sign(claims({ exp: nowSeconds() + 60 }))
    expect(await rejection(verifier.verify(token))).toBe('accepted')
    await clock.advance(64_000)
    expect(await rejection(verifier.verify(token))).toBe('accepted')
    await clock.advance(2_000)
    expect(await rejection(verifier.verify(token))).toBe('ERR_TOKEN_EXPIRED')
    expect(() => createAccessTokenVerifier({ issuer: issuer.issuer, clockTolerance: 61 })).toThrow(TypeError)
    expect(() => createAccessTokenVerifier({ issuer: issuer.issuer, algorithms: ['HS256'] })).toThrow(
      TypeError,
    )
  })

  it('caches the JWKS, refetches on an unknown kid at most once per cooldown, and accepts rotated keys', async () => {
    const local = await startTestIssuer()
    try {
      const verifier = createAccessTokenVerifier({ issuer: local.issuer, clock, jwksCooldown: 60_000 })
      const sign = (extra: Record<string, unknown> = {}) =>
        local.sign({ iss: local.issuer, scope: 's', iat: nowSeconds(), exp: nowSeconds() + 120, ...extra })
      for (let i = 0; i < 5; i++) expect(await rejection(verifier.verify(await sign()))).toBe('accepted')
      expect(local.jwksFetches).toBe(1)

      // A forged kid within the cooldown of the first fetch: rejected without a refetch.
      const unknown = await local.sign(
        { iss: local.issuer, exp: nowSeconds() + 60 },
        { kid: 'nope', key: rsaKeyPair('forger') },
      )
      expect(await rejection(verifier.verify(unknown))).toBe('ERR_TOKEN_INVALID')
      expect(local.jwksFetches).toBe(1)

      // The issuer rotates; once the cooldown has passed, the new kid triggers one refetch.
      local.rotate()
      const rotated = await sign()
      expect(await rejection(verifier.verify(rotated))).toBe('ERR_TOKEN_INVALID')
      expect(local.jwksFetches).toBe(1)
      await clock.advance(60_000)
      const fresh = await sign()
      expect(await rejection(verifier.verify(fresh))).toBe('accepted')
      expect(local.jwksFetches).toBe(2)
      // Concurrent unknown kids share one refetch and stay within the cooldown afterwards.
      await clock.advance(60_000)
      const forged = await Promise.all(Array.from({ length: 20 }, () => rejection(verifier.verify(unknown))))
      expect(new Set(forged)).toEqual(new Set(['ERR_TOKEN_INVALID']))
      expect(local.jwksFetches).toBe(3)

      // After about 24 h the key set is fetched again even for known kids.
      await clock.advance(86_400_000)
      expect(await rejection(verifier.verify(await sign()))).toBe('accepted')
      expect(local.jwksFetches).toBe(4)
    } finally {
      await local.close()
    }
  })

  it('keeps using the keys it has when the issuer is down, and reports ERR_JWKS when it has none', async () => {
    const local = await startTestIssuer()
    const verifier = createAccessTokenVerifier({ issuer: local.issuer, clock })
    const token = await local.sign({ iss: local.issuer, iat: nowSeconds(), exp: nowSeconds() + 600 })
    expect(await rejection(verifier.verify(token))).toBe('accepted')
    await local.close()
    await clock.advance(86_400_000 - 100_000)
    expect(
      await rejection(
        verifier.verify(await local.sign({ iss: local.issuer, iat: nowSeconds(), exp: nowSeconds() + 600 })),
      ),
    ).toBe('accepted')
    const cold = createAccessTokenVerifier({ issuer: local.issuer, clock })
    const sleepsBefore = clock.sleeps.length
    const outcome = rejection(cold.verify(token))
    // The metadata fetch is retried once after a backoff on the injected clock.
    while (clock.sleeps.length === sleepsBefore) await new Promise((resolve) => setTimeout(resolve, 1))
    await clock.advanceToNext()
    expect(await outcome).toBe('ERR_JWKS')
  })

  it('rejects every single-character change to a good token (property)', async () => {
    const verifier = createAccessTokenVerifier({ issuer: issuer.issuer, clock })
    const good = await issuer.sign(claims({ exp: nowSeconds() + 3600 }))
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: good.length - 1 }),
        fc.constantFrom(...alphabet),
        async (index, char) => {
          fc.pre(good[index] !== char)
          const changed = `${good.slice(0, index)}${char}${good.slice(index + 1)}`
          const outcome = await rejection(verifier.verify(changed))
          // A change in the last character of a base64url segment can leave the decoded bytes equal.
          if (outcome === 'accepted') {
            expect(Buffer.from(changed.split('.')[2] ?? '', 'base64url')).toEqual(
              Buffer.from(good.split('.')[2]!, 'base64url'),
            )
          } else {
            expect(['ERR_TOKEN_INVALID', 'ERR_TOKEN_EXPIRED']).toContain(outcome)
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('verifyAccessToken', () => {
  it('shares one key cache per issuer between calls', async () => {
    const local = await startTestIssuer()
    try {
      for (let i = 0; i < 3; i++) {
        const token = await local.sign({
          iss: local.issuer,
          scope: 'a b',
          exp: Math.floor(Date.now() / 1000) + 60,
        })
        await expect(
          verifyAccessToken(token, { issuer: local.issuer, requiredScopes: ['a'] }),
        ).resolves.toMatchObject({
          scopes: ['a', 'b'],
        })
      }
      expect(local.jwksFetches).toBe(1)
      const token = await local.sign({
        iss: local.issuer,
        scope: 'a',
        exp: Math.floor(Date.now() / 1000) + 60,
      })
      expect(await rejection(verifyAccessToken(token, { issuer: local.issuer, requiredScopes: ['b'] }))).toBe(
        'ERR_INSUFFICIENT_SCOPE',
      )
    } finally {
      await local.close()
    }
  })
})
