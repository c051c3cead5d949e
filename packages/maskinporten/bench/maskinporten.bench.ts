import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createAccessTokenVerifier, createMaskinportenClient, type MaskinportenClient } from '../src/index.js'
import { rsaKeyPair } from '../test/certs.js'
import { startTestIssuer, type TestIssuer } from '../test/issuer.js'

// A token endpoint that counts grant requests; it checks nothing, so the figures are the client's own cost.
let grantRequests = 0
const tokenServer = createServer((req, res) => {
  grantRequests++
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', date: new Date().toUTCString() })
    res.end(
      JSON.stringify({
        access_token: `token-${grantRequests}`,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: 'ks:fiks',
      }),
    )
  })
})
await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve))
const tokenEndpoint = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`
const key = rsaKeyPair('bench')

function client(): MaskinportenClient {
  return createMaskinportenClient({
    issuer: 'https://test.maskinporten.no/',
    tokenEndpoint,
    clientId: 'bench-client',
    key: { pem: key.pkcs8Pem, kid: 'bench-kid' },
    scopes: ['ks:fiks'],
  })
}

const warm = client()
const map = new Map<string, string>([['https://test.maskinporten.no/|bench-client|ks:fiks', 'token']])
const lookupKey = 'https://test.maskinporten.no/|bench-client|ks:fiks'
const mapLookup = async (): Promise<string> => map.get(lookupKey)!

let issuer: TestIssuer
let tokens: string[] = []
let jwks: JSONWebKeySet
let verifier: ReturnType<typeof createAccessTokenVerifier>
let localSet: ReturnType<typeof createLocalJWKSet>
let sink = 0
const timings: Record<string, { ms: number; runs: number }> = {}
const BATCH = 200

function timed(name: string, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    const start = performance.now()
    await fn()
    const t = timings[name] ?? { ms: 0, runs: 0 }
    t.ms += performance.now() - start
    t.runs++
    timings[name] = t
  }
}

let coldRounds = 0
let coldRequests = 0

beforeAll(async () => {
  await warm.getToken()
  issuer = await startTestIssuer()
  const now = Math.floor(Date.now() / 1000)
  tokens = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      issuer.sign({ iss: issuer.issuer, scope: 'ks:fiks', client_id: `c${i}`, iat: now, exp: now + 3600 }),
    ),
  )
  jwks = (await (await fetch(issuer.jwksUri)).json()) as JSONWebKeySet
  localSet = createLocalJWKSet(jwks)
  verifier = createAccessTokenVerifier({
    issuer: issuer.issuer,
    jwksUri: issuer.jwksUri,
    requiredScopes: ['ks:fiks'],
  })
  await verifier.verify(tokens[0]!)
  await jwtVerify(tokens[0]!, localSet, { issuer: issuer.issuer, algorithms: ['RS256'] })
})

describe(`getToken() on a warm cache, ${BATCH} calls`, () => {
  bench(
    '@felles/maskinporten getToken (warm)',
    timed('getToken', async () => {
      for (let i = 0; i < BATCH; i++) if ((await warm.getToken()).length > 0) sink++
    }),
    { time: 1_500 },
  )
  bench(
    'bare Map lookup in an async function (baseline)',
    timed('map', async () => {
      for (let i = 0; i < BATCH; i++) if ((await mapLookup()).length > 0) sink++
    }),
    { time: 1_500 },
  )
})

describe('1,000 concurrent cold callers', () => {
  bench(
    '1,000 getToken() on a fresh client',
    async () => {
      const fresh = client()
      const before = grantRequests
      const results = await Promise.all(Array.from({ length: 1_000 }, () => fresh.getToken()))
      coldRequests += grantRequests - before
      coldRounds++
      sink += new Set(results).size
    },
    { time: 1_500, iterations: 5 },
  )
})

describe(`verify ${BATCH} access tokens (RS256, same key set)`, () => {
  bench(
    '@felles/maskinporten verifier.verify',
    timed('verify', async () => {
      for (let i = 0; i < BATCH; i++)
        if ((await verifier.verify(tokens[i % tokens.length]!)).scopes.length > 0) sink++
    }),
    { time: 2_000 },
  )
  bench(
    'jose.jwtVerify with createLocalJWKSet (baseline)',
    timed('jose', async () => {
      for (let i = 0; i < BATCH; i++) {
        const { payload } = await jwtVerify(tokens[i % tokens.length]!, localSet, {
          issuer: issuer.issuer,
          algorithms: ['RS256'],
        })
        if (payload.scope !== undefined) sink++
      }
    }),
    { time: 2_000 },
  )
})

afterAll(async () => {
  await issuer?.close()
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()))
  const per = (name: string): number | undefined => {
    const t = timings[name]
    return t === undefined ? undefined : (t.ms * 1e6) / (t.runs * BATCH)
  }
  const lines: string[] = []
  const getToken = per('getToken')
  const mapNs = per('map')
  if (getToken !== undefined && mapNs !== undefined) {
    lines.push(
      `[maskinporten] warm getToken: ${getToken.toFixed(0)} ns/call, bare Map lookup: ${mapNs.toFixed(0)} ns/call; ratio ${(getToken / mapNs).toFixed(2)}x the lookup`,
    )
  }
  if (coldRounds > 0) {
    lines.push(
      `[maskinporten] 1,000 concurrent cold callers: ${coldRequests} grant request(s) in ${coldRounds} round(s) = ${(coldRequests / coldRounds).toFixed(2)} per 1,000 callers (goal 1)`,
    )
  }
  const ours = per('verify')
  const jose = per('jose')
  if (ours !== undefined && jose !== undefined) {
    lines.push(
      `[maskinporten] verify: ${(ours / 1000).toFixed(1)} µs/token, raw jose.jwtVerify: ${(jose / 1000).toFixed(1)} µs/token; throughput ratio ${(jose / ours).toFixed(2)} (goal ≥ 0.9)`,
    )
  }
  if (sink >= 0) process.stdout.write(`\n${lines.join('\n')}\n`)
})
