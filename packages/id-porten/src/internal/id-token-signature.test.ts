import { constants, generateKeyPairSync, type KeyObject, sign } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clock } from '../clock.js'
import { isIdPortenError } from '../errors.js'
import { createIdTokenVerifier, createJwksKeySet, verifyCompactJws } from './id-token-signature.js'

type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512'

/** A JWK as a JWKS serves it (the DOM type has no `kid` or `use`). */
type Jwk = Record<string, unknown>

interface Pair {
  readonly privateKey: KeyObject
  readonly publicJwk: JsonWebKey
}

function pair(type: 'rsa' | 'ec', size: number | string): Pair {
  const { privateKey, publicKey } =
    type === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: size as number })
      : generateKeyPairSync('ec', { namedCurve: size as string })
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) }
}

const b64 = (value: string | Uint8Array): string => Buffer.from(value).toString('base64url')

function signToken(
  alg: Alg,
  header: Record<string, unknown>,
  key: KeyObject,
  payload: Record<string, unknown> = { iss: 'https://test.idporten.no', sub: 'abc', nonce: 'n' },
): string {
  const input = `${b64(JSON.stringify({ alg, ...header }))}.${b64(JSON.stringify(payload))}`
  const hash = `sha${alg.slice(2)}`
  const data = Buffer.from(input)
  const signature = alg.startsWith('ES')
    ? sign(hash, data, { key, dsaEncoding: 'ieee-p1363' })
    : alg.startsWith('PS')
      ? sign(hash, data, {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: Number(alg.slice(2)) / 8,
        })
      : sign(hash, data, key)
  return `${input}.${b64(signature)}`
}

/** Runs a verification to its end, sync or async, and returns the error it fails with. */
async function failure(run: () => Promise<void> | undefined): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  return undefined
}

async function expectInvalid(token: string, run: () => Promise<void> | undefined): Promise<string> {
  const error = await failure(run)
  expect(isIdPortenError(error) && error.code, String(error)).toBe('ERR_ID_TOKEN_INVALID')
  const message = (error as Error).message
  for (const part of token.split('.')) if (part.length > 8) expect(message).not.toContain(part)
  return message
}

let rsa: Pair
let otherRsa: Pair
let shortRsa: Pair
let ec: Pair
let otherEc: Pair
let ec384: Pair

beforeAll(() => {
  rsa = pair('rsa', 2048)
  otherRsa = pair('rsa', 2048)
  shortRsa = pair('rsa', 1024)
  ec = pair('ec', 'P-256')
  otherEc = pair('ec', 'P-256')
  ec384 = pair('ec', 'P-384')
})

const ALL: Alg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']

describe.each([
  ['node:crypto', {}],
  ['Web Crypto only', { webCryptoOnly: true }],
] as const)('verifyCompactJws, %s', (_name, options) => {
  const set = (...keys: Jwk[]) => createJwksKeySet({ keys }, options)
  const standard = () =>
    set(
      { ...rsa.publicJwk, kid: 'rsa', use: 'sig' },
      { ...ec.publicJwk, kid: 'ec', alg: 'ES256' },
      { ...ec384.publicJwk, kid: 'ec384' },
    )

  it('accepts RS256, PS256 and ES256 signatures by a key of the set', async () => {
    const keys = standard()
    for (const [alg, kid, key] of [
      ['RS256', 'rsa', rsa.privateKey],
      ['RS512', 'rsa', rsa.privateKey],
      ['PS256', 'rsa', rsa.privateKey],
      ['PS384', 'rsa', rsa.privateKey],
      ['ES256', 'ec', ec.privateKey],
      ['ES384', 'ec384', ec384.privateKey],
    ] as const) {
      const token = signToken(alg, { kid, typ: 'JWT' }, key)
      expect(await failure(() => verifyCompactJws(token, keys, [alg])), alg).toBeUndefined()
    }
  })

  it('verifies synchronously on the node:crypto path once the keys are there', () => {
    const token = signToken('RS256', { kid: 'rsa' }, rsa.privateKey)
    const result = verifyCompactJws(token, standard(), ['RS256'])
    if ('webCryptoOnly' in options) expect(result).toBeInstanceOf(Promise)
    else expect(result).toBeUndefined()
    return result
  })

  it('refuses a signature by another key, a tampered payload and a tampered header', async () => {
    const keys = standard()
    const wrong = signToken('RS256', { kid: 'rsa' }, otherRsa.privateKey)
    await expectInvalid(wrong, () => verifyCompactJws(wrong, keys, ['RS256']))

    const good = signToken('RS256', { kid: 'rsa' }, rsa.privateKey)
    const [header, payload, signature] = good.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
    const payloadTampered = `${header}.${b64(JSON.stringify({ ...claims, sub: 'someone else' }))}.${signature}`
    await expectInvalid(payloadTampered, () => verifyCompactJws(payloadTampered, keys, ['RS256']))
    const headerTampered = `${b64(JSON.stringify({ alg: 'RS256', kid: 'rsa', typ: 'JWT' }))}.${payload}.${signature}`
    await expectInvalid(headerTampered, () => verifyCompactJws(headerTampered, keys, ['RS256']))
    const es = signToken('ES256', { kid: 'ec' }, ec.privateKey)
    const [esHeader, , esSignature] = es.split('.') as [string, string, string]
    const esTampered = `${esHeader}.${b64('{"sub":"x"}')}.${esSignature}`
    await expectInvalid(esTampered, () => verifyCompactJws(esTampered, keys, ['ES256']))
    // The untampered token passes: the refusals above are the tampering's doing.
    expect(await failure(() => verifyCompactJws(good, keys, ['RS256']))).toBeUndefined()
  })

  it('accepts only allowed algorithms; none and HS256 never', async () => {
    const keys = standard()
    const ps = signToken('PS256', { kid: 'rsa' }, rsa.privateKey)
    expect(await expectInvalid(ps, () => verifyCompactJws(ps, keys, ['RS256']))).toMatch(/alg is not allowed/)
    const rs = signToken('RS256', { kid: 'rsa' }, rsa.privateKey)
    await expectInvalid(rs, () => verifyCompactJws(rs, keys, ['PS256', 'ES256']))

    const claims = b64('{"sub":"abc"}')
    const none = `${b64('{"alg":"none"}')}.${claims}.`
    await expectInvalid(none, () => verifyCompactJws(none, keys, ['RS256', 'none']))
    const hs = `${b64('{"alg":"HS256","kid":"rsa"}')}.${claims}.${b64('x'.repeat(32))}`
    await expectInvalid(hs, () => verifyCompactJws(hs, keys, ['RS256', 'HS256']))
    const noAlg = `${b64('{"kid":"rsa"}')}.${claims}.${rs.split('.')[2]}`
    await expectInvalid(noAlg, () => verifyCompactJws(noAlg, keys, ['RS256']))
  })

  it('refuses an algorithm that does not fit the key type or curve', async () => {
    const keys = standard()
    // RS256 naming the EC key's kid (signed by an RSA key), ES256 naming the RSA key's kid.
    const rsWithEc = signToken('RS256', { kid: 'ec' }, rsa.privateKey)
    await expectInvalid(rsWithEc, () => verifyCompactJws(rsWithEc, keys, ALL))
    const esWithRsa = signToken('ES256', { kid: 'rsa' }, ec.privateKey)
    await expectInvalid(esWithRsa, () => verifyCompactJws(esWithRsa, keys, ALL))
    // ES256 naming the P-384 key.
    const wrongCurve = signToken('ES256', { kid: 'ec384' }, ec.privateKey)
    await expectInvalid(wrongCurve, () => verifyCompactJws(wrongCurve, keys, ALL))
    // The EC key's JWK says ES256 only; a P-256 key under ES384 never fits anyway, and RS* not at all.
    const es384WithEc = signToken('ES384', { kid: 'ec' }, ec.privateKey)
    await expectInvalid(es384WithEc, () => verifyCompactJws(es384WithEc, keys, ALL))
  })

  it('refuses a key whose JWK alg differs from the header alg, whose use is enc, or without verify in key_ops', async () => {
    const keys = set(
      { ...rsa.publicJwk, kid: 'rs512-only', alg: 'RS512' },
      { ...otherRsa.publicJwk, kid: 'enc', use: 'enc' },
      { ...otherRsa.publicJwk, kid: 'encrypt-ops', key_ops: ['encrypt'] },
      { ...otherRsa.publicJwk, kid: 'verify-ops', key_ops: ['verify'] },
    )
    const rs256 = signToken('RS256', { kid: 'rs512-only' }, rsa.privateKey)
    await expectInvalid(rs256, () => verifyCompactJws(rs256, keys, ['RS256', 'RS512']))
    const rs512 = signToken('RS512', { kid: 'rs512-only' }, rsa.privateKey)
    expect(await failure(() => verifyCompactJws(rs512, keys, ['RS256', 'RS512']))).toBeUndefined()
    const enc = signToken('RS256', { kid: 'enc' }, otherRsa.privateKey)
    await expectInvalid(enc, () => verifyCompactJws(enc, keys, ['RS256']))
    const ops = signToken('RS256', { kid: 'encrypt-ops' }, otherRsa.privateKey)
    await expectInvalid(ops, () => verifyCompactJws(ops, keys, ['RS256']))
    const verifyOps = signToken('RS256', { kid: 'verify-ops' }, otherRsa.privateKey)
    expect(await failure(() => verifyCompactJws(verifyOps, keys, ['RS256']))).toBeUndefined()
  })

  it('refuses RSA keys under 2048 bits', async () => {
    const keys = set({ ...shortRsa.publicJwk, kid: 'short' })
    expect(keys.keys).toHaveLength(0)
    const token = signToken('RS256', { kid: 'short' }, shortRsa.privateKey)
    await expectInvalid(token, () => verifyCompactJws(token, keys, ['RS256']))
  })

  it('refuses a header with crit, even with a good signature', async () => {
    const keys = standard()
    const token = signToken('RS256', { kid: 'rsa', crit: ['exp'], exp: 1 }, rsa.privateKey)
    expect(await expectInvalid(token, () => verifyCompactJws(token, keys, ['RS256']))).toMatch(/crit/)
    const b64false = signToken('RS256', { kid: 'rsa', crit: ['b64'], b64: false }, rsa.privateKey)
    await expectInvalid(b64false, () => verifyCompactJws(b64false, keys, ['RS256']))
  })

  it('ignores jku, x5u and jwk in the header: only keys of the set count', async () => {
    const keys = standard()
    const elsewhere = {
      jku: 'https://attacker.example/jwks.json',
      x5u: 'https://attacker.example/cert.pem',
    }
    const good = signToken('RS256', { kid: 'rsa', ...elsewhere, jwk: otherRsa.publicJwk }, rsa.privateKey)
    expect(await failure(() => verifyCompactJws(good, keys, ['RS256']))).toBeUndefined()
    const attacker = signToken(
      'RS256',
      { kid: 'rsa', ...elsewhere, jwk: otherRsa.publicJwk },
      otherRsa.privateKey,
    )
    await expectInvalid(attacker, () => verifyCompactJws(attacker, keys, ['RS256']))
    const attackerNoKid = signToken('RS256', { ...elsewhere, jwk: otherRsa.publicJwk }, otherRsa.privateKey)
    await expectInvalid(attackerNoKid, () => verifyCompactJws(attackerNoKid, keys, ['RS256']))
  })

  it('without a kid, uses the one fitting key, and refuses when two fit', async () => {
    const one = set({ ...rsa.publicJwk }, { ...ec.publicJwk }, { ...otherRsa.publicJwk, use: 'enc' })
    const token = signToken('RS256', {}, rsa.privateKey)
    expect(await failure(() => verifyCompactJws(token, one, ['RS256']))).toBeUndefined()
    const es = signToken('ES256', {}, ec.privateKey)
    expect(await failure(() => verifyCompactJws(es, one, ['ES256']))).toBeUndefined()

    const two = set({ ...rsa.publicJwk, kid: 'a' }, { ...otherRsa.publicJwk, kid: 'b' })
    expect(await expectInvalid(token, () => verifyCompactJws(token, two, ['RS256']))).toMatch(/several/)
    const twoEc = set({ ...ec.publicJwk }, { ...otherEc.publicJwk })
    await expectInvalid(es, () => verifyCompactJws(es, twoEc, ['ES256']))
    // Two keys under one kid are as ambiguous.
    const sameKid = set({ ...rsa.publicJwk, kid: 'k' }, { ...otherRsa.publicJwk, kid: 'k' })
    const withKid = signToken('RS256', { kid: 'k' }, rsa.privateKey)
    await expectInvalid(withKid, () => verifyCompactJws(withKid, sameKid, ['RS256']))
  })

  it('refuses tokens of two or four parts, a header that is not JSON or not an object, and odd encodings', async () => {
    const keys = standard()
    const good = signToken('RS256', { kid: 'rsa' }, rsa.privateKey)
    const [header, payload, signature] = good.split('.') as [string, string, string]
    const claims = payload
    const cases = [
      `${header}.${payload}`,
      `${good}.${signature}`,
      `${header}.${payload}.${signature}.`,
      `.${payload}.${signature}`,
      `${header}..${signature}`,
      `${header}.${payload}.`,
      `${b64('{"alg":"RS256",')}.${claims}.${signature}`,
      `${b64('["RS256"]')}.${claims}.${signature}`,
      `${b64('null')}.${claims}.${signature}`,
      `${b64('{"alg":"RS256","kid":7}')}.${claims}.${signature}`,
      `${header}=.${payload}.${signature}`,
      `${header}.${payload}.${signature}=`,
      `${header}.${payload}.${signature.slice(0, -4)}`,
      ` ${good}`,
    ]
    for (const token of cases) await expectInvalid(token, () => verifyCompactJws(token, keys, ['RS256']))
    // A signature whose last character has a unused bit set decodes to the same bytes: refused.
    const last = signature.at(-1) as string
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const flipped = alphabet[alphabet.indexOf(last) ^ 1] as string
    expect(Buffer.from(signature.slice(0, -1) + flipped, 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    )
    const malleable = `${header}.${payload}.${signature.slice(0, -1)}${flipped}`
    await expectInvalid(malleable, () => verifyCompactJws(malleable, keys, ['RS256']))
    expect(await failure(() => verifyCompactJws(good, keys, ['RS256']))).toBeUndefined()
  })

  it('throws only ERR_ID_TOKEN_INVALID for arbitrary input', async () => {
    const keys = standard()
    const part = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/)
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.tuple(part, part, part).map((parts) => parts.join('.')),
          fc
            .tuple(fc.jsonValue(), part, part)
            .map(([h, p, s]) => `${b64(JSON.stringify(h) ?? '')}.${p}.${s}`),
          fc
            .record({ alg: fc.constantFrom(...ALL, 'none', 'HS256'), kid: fc.constantFrom('rsa', 'ec', 'x') })
            .chain((h) => fc.tuple(fc.constant(h), part, part))
            .map(([h, p, s]) => `${b64(JSON.stringify(h))}.${p}.${s}`),
        ),
        async (token) => {
          const error = await failure(() => verifyCompactJws(token, keys, ALL))
          expect(isIdPortenError(error) && error.code).toBe('ERR_ID_TOKEN_INVALID')
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('createJwksKeySet', () => {
  it('keeps only RSA and EC public keys meant for signatures, without private members', () => {
    const { d: _d, ...ecPublic } = ec.privateKey.export({ format: 'jwk' })
    const keys = createJwksKeySet({
      keys: [
        { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'with-private-parts' },
        { ...ecPublic, kid: 'ec' },
        { kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' },
        { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'ed' },
        { ...ec.publicJwk, kid: 'bad-alg', alg: 'RS256' },
        { ...ec.publicJwk, kid: 'bad-crv', crv: 'P-192' },
        { ...rsa.publicJwk, kid: 7 },
        { ...rsa.publicJwk, kid: 'hs', alg: 'HS256' },
        { ...rsa.publicJwk, kid: 'broken', n: 'not base64url!' },
        'not an object',
        null,
      ],
    })
    expect(keys.keys.map((k) => k.kid)).toEqual(['with-private-parts', 'ec'])
    expect(keys.keys[0]?.jwk).not.toHaveProperty('d')
    expect(keys.byKid.get('ec')).toHaveLength(1)
  })

  it('refuses documents that are not key sets', () => {
    for (const document of [null, [], {}, { keys: {} }, 'keys']) {
      expect(() => createJwksKeySet(document)).toThrow(/not a key set/)
    }
  })
})

interface JwksServer {
  readonly url: string
  jwks: unknown
  status: number
  body: string | undefined
  requests: number
  close(): Promise<void>
}

async function startJwksServer(): Promise<JwksServer> {
  const state = {
    jwks: { keys: [] } as unknown,
    status: 200,
    body: undefined as string | undefined,
    requests: 0,
  }
  const server: Server = createServer((request, response) => {
    state.requests++
    if (request.url !== '/jwks') {
      response.writeHead(404).end()
      return
    }
    response
      .writeHead(state.status, { 'content-type': 'application/json' })
      .end(state.body ?? JSON.stringify(state.jwks))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/jwks`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  })
}

describe('createIdTokenVerifier: fetching the JWKS over HTTP', () => {
  let server: JwksServer
  let now = Date.parse('2026-01-01T12:00:00Z')
  const clock: Clock = { now: () => now }
  const verifier = (options: { allowInsecureRequests?: boolean; webCryptoOnly?: boolean } = {}) =>
    createIdTokenVerifier({
      jwksUri: server.url,
      allowInsecureRequests: options.allowInsecureRequests ?? true,
      allowedAlgorithms: ['RS256'],
      timeoutMs: 5000,
      clock,
      ...(options.webCryptoOnly === true ? { webCryptoOnly: true } : {}),
    })
  const run = (v: ReturnType<typeof verifier>, token: string) => failure(() => v.verify(token))

  beforeAll(async () => {
    server = await startJwksServer()
  })
  afterAll(async () => {
    await server?.close()
  })
  const reset = (keys: Jwk[]) => {
    server.jwks = { keys }
    server.status = 200
    server.body = undefined
    server.requests = 0
  }

  it.each([
    ['node:crypto', false],
    ['Web Crypto only', true],
  ] as const)('fetches once for 20 concurrent first verifications (%s)', async (_name, webCryptoOnly) => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    const v = verifier({ webCryptoOnly })
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    const results = await Promise.all(Array.from({ length: 20 }, () => run(v, token)))
    expect(results).toEqual(Array.from({ length: 20 }, () => undefined))
    expect(server.requests).toBe(1)
    // Cached afterwards, and synchronous on the node:crypto path.
    const again = v.verify(token)
    expect(again === undefined).toBe(!webCryptoOnly)
    await again
    expect(server.requests).toBe(1)
  })

  it('refetches for an unknown kid only when the last fetch is 60 s old, once for concurrent callers', async () => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    const v = verifier()
    expect(await run(v, signToken('RS256', { kid: 'a' }, rsa.privateKey))).toBeUndefined()
    expect(server.requests).toBe(1)

    // The provider rotates to key b.
    server.jwks = { keys: [{ ...otherRsa.publicJwk, kid: 'b' }] }
    const rotated = signToken('RS256', { kid: 'b' }, otherRsa.privateKey)
    now += 10_000
    expect(isIdPortenError(await run(v, rotated))).toBe(true)
    now += 49_999
    expect(isIdPortenError(await run(v, rotated))).toBe(true)
    expect(server.requests).toBe(1)

    now += 1
    const results = await Promise.all(Array.from({ length: 20 }, () => run(v, rotated)))
    expect(results).toEqual(Array.from({ length: 20 }, () => undefined))
    expect(server.requests).toBe(2)

    // Another unknown kid right after: no request.
    const unknown = signToken('RS256', { kid: 'c' }, rsa.privateKey)
    expect(isIdPortenError(await run(v, unknown))).toBe(true)
    expect(server.requests).toBe(2)
    // A known kid with a bad signature never causes a request.
    now += 120_000
    expect(isIdPortenError(await run(v, signToken('RS256', { kid: 'b' }, rsa.privateKey)))).toBe(true)
    expect(server.requests).toBe(2)
  })

  it('fetches again after an hour', async () => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    const v = verifier()
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    expect(await run(v, token)).toBeUndefined()
    now += 59 * 60_000
    expect(await run(v, token)).toBeUndefined()
    expect(server.requests).toBe(1)
    // Key a is withdrawn: after an hour it is no longer accepted.
    server.jwks = { keys: [{ ...otherRsa.publicJwk, kid: 'b' }] }
    now += 60_000
    expect(isIdPortenError(await run(v, token))).toBe(true)
    expect(server.requests).toBe(2)
  })

  it('a failed fetch is an error, keeps the keys it had and is tried again', async () => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    server.status = 503
    const v = verifier()
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    const error = await run(v, token)
    expect(isIdPortenError(error) && [error.code, error.retryable]).toEqual(['ERR_ID_TOKEN_INVALID', true])
    server.status = 200
    expect(await run(v, token)).toBeUndefined()
    expect(server.requests).toBe(2)

    // A failed refetch for an unknown kid leaves the cached keys in use.
    now += 61_000
    server.body = 'not json'
    const unknown = signToken('RS256', { kid: 'b' }, otherRsa.privateKey)
    expect(await run(v, unknown)).toMatchObject({ code: 'ERR_ID_TOKEN_INVALID', retryable: true })
    expect(server.requests).toBe(3)
    expect(await run(v, token)).toBeUndefined()
    expect(server.requests).toBe(3)
    // The next unknown kid may ask again, since no fetch succeeded.
    server.body = undefined
    server.jwks = {
      keys: [
        { ...rsa.publicJwk, kid: 'a' },
        { ...otherRsa.publicJwk, kid: 'b' },
      ],
    }
    expect(await run(v, unknown)).toBeUndefined()
    expect(server.requests).toBe(4)
  })

  it('refuses a JWKS larger than 512 KiB and one that is not a key set', async () => {
    reset([])
    server.body = JSON.stringify({ keys: [{ ...rsa.publicJwk, kid: 'a' }], padding: 'x'.repeat(600 * 1024) })
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    expect(await run(verifier(), token)).toMatchObject({ message: expect.stringMatching(/too large/) })
    server.body = '{"keys":"none"}'
    expect(await run(verifier(), token)).toMatchObject({ code: 'ERR_ID_TOKEN_INVALID' })
  })

  it('refuses a plain-http jwks_uri unless insecure requests are allowed, without a request', async () => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    const error = await run(verifier({ allowInsecureRequests: false }), token)
    expect(error).toMatchObject({ code: 'ERR_ID_TOKEN_INVALID', message: expect.stringMatching(/https/) })
    expect(server.requests).toBe(0)
  })

  it('refuses a malformed token before any request', async () => {
    reset([{ ...rsa.publicJwk, kid: 'a' }])
    const token = signToken('RS256', { kid: 'a' }, rsa.privateKey)
    expect(isIdPortenError(await run(verifier(), token.slice(0, token.lastIndexOf('.'))))).toBe(true)
    expect(server.requests).toBe(0)
  })
})
