import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { createHttpClient, isHttpError } from '@felles/http'
import fc from 'fast-check'
import { base64url, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose'
import forge from 'node-forge'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rsaKeyPair } from '../test/certs.js'
import { type EmulatorFixture, registeredKey, startEmulator } from '../test/emulator.js'
import { createMaskinportenClient, type MaskinportenClientOptions, type MaskinportenEvent } from './client.js'
import { isMaskinportenError, type MaskinportenError } from './errors.js'
import { createAccessTokenVerifier } from './verify.js'

let fixture: EmulatorFixture
beforeAll(async () => {
  fixture = await startEmulator({
    scopes: ['ks:fiks', 'kommune:api'],
    delegations: [{ consumerOrg: '889640782' }],
  })
}, 30_000)
afterAll(async () => {
  await fixture.mock.close()
})

function options(extra: Partial<MaskinportenClientOptions> = {}): MaskinportenClientOptions {
  return {
    issuer: fixture.mock.issuers.maskinporten,
    clientId: fixture.registered.clientId,
    key: registeredKey(fixture.registered),
    scopes: ['ks:fiks'],
    clock: fixture.clock,
    ...extra,
  }
}

/** Grant requests the emulator sees while `fn` runs. */
async function counting<T>(fn: () => Promise<T>): Promise<{ result: T; requests: number }> {
  const before = fixture.grantRequests()
  const result = await fn()
  return { result, requests: fixture.grantRequests() - before }
}

/** Lets real I/O run until `predicate` holds (no timers: it yields to the event loop). */
async function until(predicate: () => boolean): Promise<void> {
  const deadline = performance.now() + 20_000
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error('condition not reached')
    await new Promise((resolve) => setImmediate(resolve))
  }
}

async function failure(promise: Promise<unknown>): Promise<MaskinportenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isMaskinportenError(error)) throw new Error(`expected a MaskinportenError, got ${String(error)}`)
  return error
}

// Real HTTP to the emulator: generous timeouts for a busy CI machine; nothing here waits on real time.
describe('createMaskinportenClient against the emulator', { timeout: 30_000 }, () => {
  it('gets a token with a registered key (kid), caches it, and the token verifies', async () => {
    const client = createMaskinportenClient(options())
    const { result: token, requests } = await counting(async () => {
      const first = await client.getToken()
      expect(await client.getToken()).toBe(first)
      expect(await client.getToken({ scopes: ['ks:fiks'] })).toBe(first)
      return first
    })
    expect(requests).toBe(1)
    const verified = await createAccessTokenVerifier({
      issuer: fixture.mock.issuers.maskinporten,
      clock: fixture.clock,
      requiredScopes: ['ks:fiks'],
      consumer: fixture.registered.organisationNumber,
    }).verify(token)
    expect(verified.clientId).toBe(fixture.registered.clientId)
    expect(verified.claims.client_amr).toBe('private_key_jwt')
  })

  it('verifyAccessToken accepts the emulator’s tokens and rejects forged ones', async () => {
    const client = createMaskinportenClient(options())
    const token = await client.getToken({ resource: 'https://api.kommune.no' })
    const issuer = fixture.mock.issuers.maskinporten
    const verifier = createAccessTokenVerifier({
      issuer,
      clock: fixture.clock,
      audience: 'https://api.kommune.no',
      requiredScopes: ['ks:fiks'],
      consumer: fixture.registered.organisationNumber,
    })
    const outcome = (candidate: string, requirements?: Parameters<typeof verifier.verify>[1]) =>
      verifier.verify(candidate, requirements).then(
        () => 'accepted',
        (e: unknown) => (isMaskinportenError(e) ? e.code : String(e)),
      )
    expect(await outcome(token)).toBe('accepted')
    const { kid } = decodeProtectedHeader(token)
    const payload = decodeJwt(token)
    const forgedKey = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: kid! })
      .sign(rsaKeyPair('forger').privateKey)
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', kid }))}.${token.split('.')[1]}.`
    const jwks = (await (await fetch(`${issuer}jwk`)).json()) as { keys: Array<{ n: string }> }
    const confused = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256', kid: kid! })
      .sign(new TextEncoder().encode(jwks.keys[0]!.n))
    expect(await outcome(forgedKey)).toBe('ERR_TOKEN_INVALID')
    expect(await outcome(none)).toBe('ERR_TOKEN_INVALID')
    expect(await outcome(confused)).toBe('ERR_TOKEN_INVALID')
    expect(await outcome(token, { audience: 'https://other.api' })).toBe('ERR_TOKEN_INVALID')
    expect(await outcome(token, { requiredScopes: ['kommune:api'] })).toBe('ERR_INSUFFICIENT_SCOPE')
    expect(await outcome(token, { consumer: '889640782' })).toBe('ERR_WRONG_CONSUMER')
    await fixture.clock.advance((payload.exp! - payload.iat!) * 1000 + 11_000)
    expect(await outcome(token)).toBe('ERR_TOKEN_EXPIRED')
  })

  it('keys the cache on scopes (sorted), resource and consumer_org', async () => {
    const client = createMaskinportenClient(options())
    const { requests } = await counting(async () => {
      const both = await client.getToken({ scopes: ['kommune:api', 'ks:fiks'] })
      expect(await client.getToken({ scopes: ['ks:fiks', 'kommune:api'] })).toBe(both)
      const withResource = await client.getToken({ resource: 'https://api.kommune.no' })
      expect(withResource).not.toBe(both)
      expect(decodeJwt(withResource).aud).toBe('https://api.kommune.no')
      const delegated = await client.getToken({ consumerOrg: '889640782' })
      expect((decodeJwt(delegated).consumer as { ID: string }).ID).toBe('0192:889640782')
      expect(await client.getToken({ consumerOrg: '889640782' })).toBe(delegated)
    })
    expect(requests).toBe(3)
  })

  it('authenticates with a business certificate as PEM and as PKCS#12 (x5c)', async () => {
    const certified = await fixture.mock.registerClient({
      issuer: 'maskinporten',
      scopes: ['ks:fiks'],
      trust: 'certificate',
    })
    const certificate = certified.certificate!
    const p12 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(certificate.privateKeyPem),
      (certificate.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
        (pem) => forge.pki.certificateFromPem(pem),
      ),
      'passord',
      { algorithm: 'aes256' },
    )
    const keys = [
      { pem: certificate.privateKeyPem, certificate: certificate.chainPem },
      { pkcs12: Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), passphrase: 'passord' },
    ]
    for (const key of keys) {
      const client = createMaskinportenClient(options({ clientId: certified.clientId, key }))
      const token = await client.getToken()
      expect(decodeJwt(token).client_amr).toBe('virksomhetssertifikat')
      expect(client.keys[0]?.x5c).toHaveLength(2)
    }
  })

  it('50+ concurrent callers in any order cause exactly one grant request (security case 17)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.integer({ min: 50, max: 80 }), async (s, callers) => {
        const client = createMaskinportenClient(
          options({ fetch: s.scheduleFunction((url, init) => fetch(url, init)) }),
        )
        const before = fixture.grantRequests()
        const calls = Array.from({ length: callers }, (_, i) =>
          s.schedule(Promise.resolve(i), `caller ${i}`).then(() => client.getToken()),
        )
        // Releases scheduled tasks (callers arriving, the metadata and token responses) in a random order.
        const tokens = await s.waitFor(Promise.all(calls))
        expect(tokens).toHaveLength(callers)
        expect(new Set(tokens).size).toBe(1)
        expect(fixture.grantRequests() - before).toBe(1)
      }),
      { numRuns: 15 },
    )
  })

  it('renews shortly before expiry, once, however many callers ask', async () => {
    const client = createMaskinportenClient(options({ refreshBefore: 30_000 }))
    const first = await client.getToken()
    const lifetime = (decodeJwt(first).exp! - decodeJwt(first).iat!) * 1000
    await fixture.clock.advance(lifetime - 30_001)
    const early = await counting(() => Promise.all(Array.from({ length: 20 }, () => client.getToken())))
    expect(early.requests).toBe(0)
    expect(new Set(early.result)).toEqual(new Set([first]))
    await fixture.clock.advance(2)
    const renewed = await counting(() => Promise.all(Array.from({ length: 20 }, () => client.getToken())))
    expect(renewed.requests).toBe(1)
    expect(new Set(renewed.result).size).toBe(1)
    expect(renewed.result[0]).not.toBe(first)
  })

  it('a 401 from the API fetches a new token once, then gives up with a typed error (security case 18)', async () => {
    const client = createMaskinportenClient(options())
    const verifier = createAccessTokenVerifier({
      issuer: fixture.mock.issuers.maskinporten,
      clock: fixture.clock,
    })
    const refuse = new Set<string>()
    let mode: 'refuse-first' | 'refuse-all' = 'refuse-first'
    const seen: string[] = []
    const api: Server = createServer((req, res) => {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      seen.push(token)
      verifier.verify(token).then(
        () => {
          const refused = mode === 'refuse-all' || (refuse.size === 0 && seen.length === 1)
          if (refused) refuse.add(token)
          res.writeHead(refused ? 401 : 200, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ ok: !refused }))
        },
        () => {
          res.writeHead(401).end()
        },
      )
    })
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve))
    try {
      const http = createHttpClient({
        baseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
        token: client.tokenProvider(),
        clock: fixture.clock,
        retry: false,
      })
      const first = await counting(() => http.json<{ ok: boolean }>('/svarut'))
      expect(first.result).toEqual({ ok: true })
      expect(first.requests).toBe(2)
      expect(seen).toHaveLength(2)
      expect(seen[0]).not.toBe(seen[1])

      mode = 'refuse-all'
      seen.length = 0
      const error = await http.json('/svarut').catch((e: unknown) => e)
      expect(isHttpError(error) && error.status === 401).toBe(true)
      expect(seen).toHaveLength(2)
      expect(JSON.stringify(error)).not.toContain(seen[0]!.split('.')[1]!)
    } finally {
      await new Promise<void>((resolve) => api.close(() => resolve()))
    }
  })

  it('never retries invalid_grant or invalid_scope, and names the cause (security case 19)', async () => {
    const unknownScope = await counting(() =>
      failure(createMaskinportenClient(options({ scopes: ['skatteetaten:x'] })).getToken()),
    )
    expect(unknownScope.requests).toBe(1)
    expect(unknownScope.result.code).toBe('ERR_INVALID_SCOPE')
    expect(unknownScope.result.message).toMatch(/not granted to this client/)

    const other = await fixture.mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
    const wrongKey = await counting(() =>
      failure(
        createMaskinportenClient(
          options({ key: { ...registeredKey(other), kid: registeredKey(fixture.registered).kid } }),
        ).getToken(),
      ),
    )
    expect(wrongKey.requests).toBe(1)
    expect(wrongKey.result).toMatchObject({
      code: 'ERR_INVALID_GRANT',
      status: 400,
      error: 'invalid_grant',
      retryable: false,
    })

    // aud must be the issuer exactly: a client configured for another environment is told so.
    const wrongAud = await counting(() =>
      failure(
        createMaskinportenClient(
          options({
            issuer: 'https://test.maskinporten.no/',
            tokenEndpoint: `${fixture.mock.issuers.maskinporten}token`,
          }),
        ).getToken(),
      ),
    )
    expect(wrongAud.requests).toBe(1)
    expect(wrongAud.result.code).toBe('ERR_WRONG_AUDIENCE')
    expect(wrongAud.result.message).toContain('trailing slash')
  })

  it('retries 5xx with bounded backoff and a new jti per attempt, then succeeds or gives up (security case 19)', async () => {
    const events: MaskinportenEvent[] = []
    const client = createMaskinportenClient(
      options({
        onEvent: (e) => events.push(e),
        maxAttempts: 3,
        retryBaseDelay: 100,
        retryMaxDelay: 1_000,
        random: () => 0.999,
      }),
    )
    fixture.mock.setFault(fixture.registered.clientId, 'token-5xx', { times: 2, status: 503 })
    const retries = (list: MaskinportenEvent[]) => list.flatMap((e) => (e.type === 'retry' ? [e] : []))
    const pending = counting(() => client.getToken())
    for (let i = 1; i <= 2; i++) {
      await until(() => retries(events).length >= i)
      // Let exactly the backoff pass (the transport's own timeouts sleep on the same clock).
      await fixture.clock.advance(retries(events)[i - 1]!.delay)
    }
    const { result: token, requests } = await pending
    expect(token).toMatch(/^eyJ/)
    expect(requests).toBe(3)
    expect(retries(events).map((e) => [e.delay, e.code])).toEqual([
      [99, 'ERR_SERVER'],
      [199, 'ERR_SERVER'],
    ])
    const jtis = events.flatMap((e) => (e.type === 'token-request' ? [e.jti] : []))
    expect(jtis).toHaveLength(3)
    expect(new Set(jtis).size).toBe(3)

    fixture.mock.setFault(fixture.registered.clientId, 'token-5xx', { status: 500 })
    try {
      const stubbornEvents: MaskinportenEvent[] = []
      const stubborn = createMaskinportenClient(
        options({ maxAttempts: 3, retryMaxDelay: 1_000, onEvent: (e) => stubbornEvents.push(e) }),
      )
      const failing = counting(() => failure(stubborn.getToken()))
      for (let i = 1; i <= 2; i++) {
        await until(() => retries(stubbornEvents).length >= i)
        const delay = retries(stubbornEvents)[i - 1]!.delay
        expect(delay).toBeLessThanOrEqual(1_000)
        await fixture.clock.advance(delay)
      }
      const { result: error, requests: attempts } = await failing
      expect(attempts).toBe(3)
      expect(error).toMatchObject({ code: 'ERR_SERVER', status: 500, retryable: true })
    } finally {
      fixture.mock.clearFaults(fixture.registered.clientId)
    }
  })

  it('reports clock skew from the Date header with a clear error, without retrying', async () => {
    const warnings: string[] = []
    const client = createMaskinportenClient(options({ logger: { warn: (m) => warnings.push(m) } }))
    fixture.mock.setFault(fixture.registered.clientId, 'clock-offset', { offsetSeconds: 60 })
    try {
      const { result: error, requests } = await counting(() => failure(client.getToken()))
      expect(requests).toBe(1)
      expect(error.code).toBe('ERR_CLOCK_SKEW')
      expect(error.message).toMatch(/local clock is (59|60|61) s behind Maskinporten's/)
      expect(error.message).toMatch(/NTP/)
      expect(warnings.join('\n')).toMatch(/behind/)
    } finally {
      fixture.mock.clearFaults(fixture.registered.clientId)
    }
  })

  it('rotates keys without a restart (security case 20)', async () => {
    const rotating = await fixture.mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
    const client = createMaskinportenClient(
      options({ clientId: rotating.clientId, key: registeredKey(rotating) }),
    )
    await client.getToken()
    const next = await fixture.mock.addClientKey(rotating.clientId)
    await client.rotateKeys({ jwk: next.privateJwk!, kid: next.kid })
    fixture.mock.removeClientKey(rotating.clientId, registeredKey(rotating).kid)
    client.invalidate()
    const token = await client.getToken()
    expect(decodeJwt(token).client_id).toBe(rotating.clientId)
    expect(client.keys.map((k) => k.kid)).toEqual([next.kid])
  })

  it('signs with the first currently valid certificate of several, and warns before one expires', async () => {
    const certified = await fixture.mock.registerClient({
      issuer: 'maskinporten',
      scopes: ['ks:fiks'],
      trust: 'certificate',
    })
    const now = fixture.clock.now()
    const soon = await fixture.mock.issueCertificate(certified.clientId, {
      notAfter: new Date(now + 10 * 86_400_000),
    })
    const events: MaskinportenEvent[] = []
    const warnings: string[] = []
    const client = createMaskinportenClient(
      options({
        clientId: certified.clientId,
        key: [{ pem: soon.privateKeyPem, certificate: soon.chainPem }],
        onEvent: (e) => events.push(e),
        logger: { warn: (m) => warnings.push(m) },
      }),
    )
    await client.getToken()
    const expiring = events.filter((e) => e.type === 'certificate-expiring')
    expect(expiring).toHaveLength(1)
    expect(expiring[0]).toMatchObject({ daysLeft: 9 })
    expect(warnings.join('\n')).toMatch(/expires on .* \(9 days left\)/)

    // A newer certificate goes first; once the old one has expired the new one signs, no restart.
    const later = certified.certificate!
    await client.rotateKeys([
      { pem: soon.privateKeyPem, certificate: soon.chainPem },
      { pem: later.privateKeyPem, certificate: later.chainPem },
    ])
    client.invalidate()
    await fixture.clock.advance(11 * 86_400_000)
    const token = await client.getToken()
    expect(decodeJwt(token).client_amr).toBe('virksomhetssertifikat')
    const used = events.flatMap((e) => (e.type === 'token-request' ? [e.key] : []))
    expect(used.at(-1)).toBe(client.keys[1]!.thumbprint)
    expect(used.at(-1)).not.toBe(client.keys[0]!.thumbprint)

    // With only the expired certificate left, the client says so without asking Maskinporten.
    const stale = createMaskinportenClient(
      options({ clientId: certified.clientId, key: { pem: soon.privateKeyPem, certificate: soon.chainPem } }),
    )
    const expired = await counting(() => failure(stale.getToken()))
    expect(expired.requests).toBe(0)
    expect(expired.result.code).toBe('ERR_EXPIRED_KEY')
    expect(expired.result.message).toMatch(/not valid now/)
  })

  it('keeps the private key out of logs, events, errors, JSON.stringify and util.inspect (security case 21)', async () => {
    const jwk = registeredKey(fixture.registered).jwk
    const secrets = [jwk.d!, jwk.p!, jwk.q!, jwk.dp!]
    const captured: unknown[] = []
    const client = createMaskinportenClient(
      options({
        onEvent: (e) => captured.push(e),
        logger: { warn: (m, d) => captured.push(m, d) },
        scopes: ['not:granted'],
      }),
    )
    captured.push(await failure(client.getToken()))
    fixture.mock.setFault(fixture.registered.clientId, 'clock-offset', { offsetSeconds: -90 })
    captured.push(await failure(client.getToken({ scopes: ['ks:fiks'] })))
    fixture.mock.clearFaults(fixture.registered.clientId)
    captured.push(client, client.keys)
    const shown = captured
      .map((value) =>
        [
          JSON.stringify(value),
          inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true, getters: true }),
          value instanceof Error
            ? `${value.stack}\n${inspect(value.cause, { depth: 10, showHidden: true })}`
            : '',
        ].join('\n'),
      )
      .join('\n')
    expect(shown.length).toBeGreaterThan(500)
    for (const secret of secrets) expect(shown).not.toContain(secret)
  })
})
