import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, createTokenCache } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { drain, json, rejection, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

let n = 0
const unique = (name: string): string => `/${name}-${++n}`

/** A token endpoint on the test server that issues `token-1`, `token-2`, … valid for `lifetime` seconds. */
function tokenEndpoint(lifetime = 1_800): { path: string; issued: () => number } {
  const path = unique('token')
  let issued = 0
  server.route(path, async (req, res) => {
    await drain(req)
    const id = ++issued
    // Answer a little later so concurrent callers really overlap.
    setTimeout(() => json(res, 200, { access_token: `token-${id}`, expires_in: lifetime }), 20)
  })
  return { path, issued: () => issued }
}

function cacheFor(path: string, clock = createManualClock()) {
  const auth = createHttpClient({ baseUrl: server.url, clock })
  return createTokenCache(
    async (scope, { signal }) => {
      const body = await auth.json<{ access_token: string; expires_in: number }>({
        url: path,
        method: 'POST',
        body: new URLSearchParams({ scope }),
        signal,
        idempotent: true,
      })
      return { token: body.access_token, expiresIn: body.expires_in }
    },
    { refreshBefore: 60_000, clock },
  )
}

describe('createTokenCache', () => {
  it('makes exactly one token request for many concurrent callers (security 17)', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const all = await Promise.all(Array.from({ length: 50 }, () => tokens.get('ks:fiks')))
    expect(new Set(all)).toEqual(new Set(['token-1']))
    expect(endpoint.issued()).toBe(1)
  })

  it('keeps one flight per key', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const [a, b] = await Promise.all([tokens.get('scope-a'), tokens.get('scope-b'), tokens.get('scope-a')])
    expect(a).not.toBe(b)
    expect(endpoint.issued()).toBe(2)
  })

  it('renews before expiry, not after', async () => {
    const endpoint = tokenEndpoint(120)
    const clock = createManualClock()
    const tokens = cacheFor(endpoint.path, clock)
    expect(await tokens.get()).toBe('token-1')
    await clock.advance(59_000)
    expect(await tokens.get()).toBe('token-1')
    // 120 s lifetime, refreshBefore 60 s: renewed from 60 s on, while the old token is still valid.
    await clock.advance(1_000)
    expect(await tokens.get()).toBe('token-2')
    expect(endpoint.issued()).toBe(2)
  })

  it('caps the renewal margin at half the lifetime of a short-lived token', async () => {
    const endpoint = tokenEndpoint(30)
    const clock = createManualClock()
    const tokens = cacheFor(endpoint.path, clock)
    await tokens.get()
    await tokens.get()
    expect(endpoint.issued()).toBe(1)
    await clock.advance(15_000)
    await tokens.get()
    expect(endpoint.issued()).toBe(2)
  })

  it('replaces a refused token once, however many callers saw it refused', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const first = await tokens.get()
    const renewed = await Promise.all(
      Array.from({ length: 10 }, () => tokens.get('default', { rejected: first })),
    )
    expect(new Set(renewed)).toEqual(new Set(['token-2']))
    // A caller that reports the old token after renewal gets the new one without another fetch.
    expect(await tokens.get('default', { rejected: first })).toBe('token-2')
    expect(endpoint.issued()).toBe(2)
  })

  it('lets one caller stop waiting while the others get the token', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const controller = new AbortController()
    const leaving = tokens.get('default', { signal: controller.signal })
    const staying = tokens.get('default')
    controller.abort(new Error('gone'))
    await expect(leaving).rejects.toThrow('gone')
    await expect(staying).resolves.toBe('token-1')
  })

  it('does not cache a failure', async () => {
    const path = unique('token-flaky')
    server.route(path, async (req, res, hit) => {
      await drain(req)
      if (hit === 1) json(res, 400, { error: 'invalid_grant' })
      else json(res, 200, { access_token: 'fresh', expires_in: 60 })
    })
    const tokens = cacheFor(path)
    const error = await rejection(tokens.get())
    expect(error.status).toBe(400)
    expect(error.body).toEqual({ error: 'invalid_grant' })
    expect(await tokens.get()).toBe('fresh')
  })

  it('rejects a fetcher result without an expiry', async () => {
    const tokens = createTokenCache(async () => ({ token: 'x' }))
    await expect(tokens.get()).rejects.toThrow(TypeError)
  })
})

describe('token provider in the client', () => {
  it('sends the bearer token and retries once with a fresh token on 401 (security 18, 32)', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const api = unique('api')
    const seenTokens: string[] = []
    server.route(api, (req, res) => {
      seenTokens.push(req.headers.authorization ?? '')
      // The server revoked token-1 (an expired Jamf token): only later tokens work.
      if (req.headers.authorization === 'Bearer token-1') json(res, 401, { error: 'expired' })
      else json(res, 200, { devices: [] })
    })
    const client = createHttpClient({ baseUrl: server.url, token: tokens.provider(), timeout: false })
    await expect(client.json(api)).resolves.toEqual({ devices: [] })
    expect(seenTokens).toEqual(['Bearer token-1', 'Bearer token-2'])
    expect(endpoint.issued()).toBe(2)
  })

  it('gives up with ERR_HTTP_STATUS 401 when the fresh token is refused too', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const api = unique('api-401')
    server.route(api, (_req, res) => json(res, 401, { error: 'invalid_token' }))
    const client = createHttpClient({ baseUrl: server.url, token: tokens.provider(), timeout: false })
    const error = await rejection(client.json(api))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.status).toBe(401)
    expect(error.attempts).toBe(2)
    expect(endpoint.issued()).toBe(2)
    expect(server.hits(api)).toBe(2)
  })

  it('does not retry a 401 without a token provider', async () => {
    const api = unique('api-401-plain')
    server.route(api, (_req, res) => json(res, 401, {}))
    const client = createHttpClient({ baseUrl: server.url })
    expect((await rejection(client.json(api))).status).toBe(401)
    expect(server.hits(api)).toBe(1)
  })

  it('renews once for many concurrent requests that all got 401', async () => {
    const endpoint = tokenEndpoint()
    const tokens = cacheFor(endpoint.path)
    const api = unique('api-burst')
    server.route(api, (req, res) =>
      req.headers.authorization === 'Bearer token-1' ? json(res, 401, {}) : json(res, 200, 'ok'),
    )
    const client = createHttpClient({ baseUrl: server.url, token: tokens.provider(), timeout: false })
    await tokens.get()
    const results = await Promise.all(Array.from({ length: 20 }, () => client.json(api)))
    expect(results.every((r) => r === 'ok')).toBe(true)
    expect(endpoint.issued()).toBe(2)
  })
})
