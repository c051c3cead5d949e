import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { combineClassifiers, createHttpClient, googleClassifier, jamfSchoolClassifier } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { json, rejection, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

let n = 0
const unique = (name: string): string => `/${name}-${++n}`

const googleQuota = (reason: string) => ({
  error: {
    code: 403,
    message: 'Quota exceeded for quota metric',
    errors: [{ message: 'Quota exceeded', domain: 'usageLimits', reason }],
  },
})

describe('Google Admin SDK: 403 rate limits (security 32)', () => {
  it.each(['userRateLimitExceeded', 'rateLimitExceeded', 'quotaExceeded'])(
    'backs off and retries a 403 %s',
    async (reason) => {
      const path = unique('google')
      server.route(path, (_req, res, hit) =>
        hit === 1 ? json(res, 403, googleQuota(reason)) : json(res, 200, { chromeosdevices: [] }),
      )
      const clock = createManualClock()
      const client = createHttpClient({
        baseUrl: server.url,
        classify: googleClassifier,
        clock,
        random: () => 1,
      })
      const result = client.json(path)
      // The per-attempt timeout timer first, then the backoff.
      expect(await clock.nextSleep()).toBe(30_000)
      expect(await clock.nextSleep()).toBe(300)
      await clock.advance(300)
      await expect(result).resolves.toEqual({ chromeosdevices: [] })
    },
  )

  it('reports an exhausted quota as ERR_RATE_LIMITED with the reason', async () => {
    const path = unique('google-exhausted')
    server.route(path, (_req, res) => json(res, 403, googleQuota('userRateLimitExceeded')))
    const client = createHttpClient({ baseUrl: server.url, classify: googleClassifier, retry: false })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_RATE_LIMITED')
    expect(error.reason).toBe('userRateLimitExceeded')
    expect(error.message).toContain('(userRateLimitExceeded)')
  })

  it('keeps any other 403 final', async () => {
    const path = unique('google-forbidden')
    server.route(path, (_req, res) =>
      json(res, 403, { error: { code: 403, errors: [{ reason: 'forbidden', domain: 'global' }] } }),
    )
    const client = createHttpClient({ baseUrl: server.url, classify: googleClassifier })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(server.hits(path)).toBe(1)
  })
})

const jamfFixture = fileURLToPath(
  new URL('../../../../shared/specs/mdm/jamf-school/GET_devices__405.json', import.meta.url),
)

describe('Jamf School: 405 means a missing permission', () => {
  it('fails at once with reason missing-permission', async () => {
    const path = unique('jamf-405')
    const body = existsSync(jamfFixture)
      ? JSON.parse(readFileSync(jamfFixture, 'utf8'))
      : { error: { code: 405, message: 'Requested method (GET) not allowed using this API key' } }
    server.route(path, (_req, res) => json(res, 405, body))
    const client = createHttpClient({ baseUrl: server.url, classify: jamfSchoolClassifier })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.status).toBe(405)
    expect(error.reason).toBe('missing-permission')
    expect(error.body).toEqual(body)
    expect(server.hits(path)).toBe(1)
  })
})

describe('classifier chaining', () => {
  it('lets a vendor rule retry a status the defaults treat as final', async () => {
    const path = unique('conflict')
    server.route(path, (_req, res, hit) => json(res, hit === 1 ? 409 : 200, {}))
    const clock = createManualClock()
    const client = createHttpClient({
      baseUrl: server.url,
      clock,
      timeout: false,
      classify: combineClassifiers(googleClassifier, (r) =>
        r.status === 409 ? { verdict: 'retry' } : undefined,
      ),
    })
    const result = client.json(path)
    await clock.advance(await clock.nextSleep())
    await expect(result).resolves.toEqual({})
  })

  it('lets a classifier dictate the wait', async () => {
    const path = unique('custom-wait')
    server.route(path, (_req, res, hit) => json(res, hit === 1 ? 503 : 200, {}))
    const clock = createManualClock()
    const client = createHttpClient({
      baseUrl: server.url,
      clock,
      timeout: false,
      classify: () => ({ verdict: 'rate-limited', retryAfter: 9_000 }),
    })
    const result = client.json(path)
    expect(await clock.nextSleep()).toBeGreaterThanOrEqual(9_000)
    await clock.advance(9_000)
    await expect(result).resolves.toEqual({})
  })
})
