import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClientOptions } from '../src/index.js'
import { createManualClock, type ManualClock } from '../src/testing.js'
import { json, rejection, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

let n = 0
const unique = (name: string): string => `/${name}-${++n}`

function setup(options: HttpClientOptions = {}): {
  clock: ManualClock
  client: ReturnType<typeof createHttpClient>
} {
  const clock = createManualClock()
  const client = createHttpClient({ baseUrl: server.url, clock, random: () => 1, ...options })
  return { clock, client }
}

/** A route that never answers; `arrived(n)` resolves once `n` requests have come in. */
function stall(path: string): { arrived: (count?: number) => Promise<void> } {
  server.route(path, () => {})
  return {
    arrived: async (count = 1) => {
      while (server.hits(path) < count) await new Promise((resolve) => setTimeout(resolve, 1))
    },
  }
}

describe('timeouts', () => {
  it('times out an attempt whose server stalls, and retries a GET', async () => {
    const path = unique('stall')
    const { arrived } = stall(path)
    const { clock, client } = setup({ timeout: 1_000, retry: { maxAttempts: 2, baseDelay: 50 } })
    const failed = rejection(client.json(path))
    await arrived()
    expect(await clock.nextSleep()).toBe(1_000)
    await clock.advance(1_000)
    expect(await clock.nextSleep()).toBe(50)
    await clock.advance(50)
    await arrived(2)
    await clock.advance(1_000)
    const error = await failed
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(error.attempts).toBe(2)
    expect(error.requestSent).toBe('unknown')
    expect(error.message).toContain('timed out after 1000 ms')
    expect(server.hits(path)).toBe(2)
  })

  it('times out a slow drip while the body is read', async () => {
    const path = unique('drip')
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('[')
      const timer = setInterval(() => res.write('1,'), 20)
      res.on('close', () => clearInterval(timer))
    })
    let headersArrived: () => void = () => {}
    const headers = new Promise<void>((resolve) => {
      headersArrived = resolve
    })
    const { clock, client } = setup({
      timeout: 5_000,
      retry: false,
      hooks: { onResponse: () => headersArrived() },
    })
    const failed = rejection(client.json(path))
    await headers
    await new Promise((resolve) => setTimeout(resolve, 50)) // a few drips arrive
    await clock.advance(5_000)
    const error = await failed
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(error.status).toBe(200)
    expect(error.requestSent).toBe('yes')
    expect(error.message).toContain('while reading the response body')
  })

  it('uses a per-request timeout over the client default (a 16-minute send)', async () => {
    const path = unique('long-send')
    const { arrived } = stall(path)
    const { clock, client } = setup({ timeout: 1_000 })
    const failed = rejection(client.json({ url: path, method: 'POST', body: 'x', timeout: 16 * 60_000 }))
    await arrived()
    expect(await clock.nextSleep()).toBe(16 * 60_000)
    await clock.advance(16 * 60_000)
    const error = await failed
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(server.hits(path)).toBe(1)
  })
})

describe('deadline (security 25)', () => {
  it('ends a stalled request at the deadline with ERR_DEADLINE', async () => {
    const path = unique('deadline-stall')
    const { arrived } = stall(path)
    const { clock, client } = setup({ timeout: false, deadline: 3_000 })
    const failed = rejection(client.json(path))
    await arrived()
    await clock.advance(3_000)
    const error = await failed
    expect(error.code).toBe('ERR_DEADLINE')
    expect(error.retryable).toBe(false)
    expect(error.message).toContain('deadline of 3000 ms')
  })

  it('does not start a retry whose wait would pass the deadline', async () => {
    const path = unique('deadline-storm')
    server.route(path, (_req, res) => json(res, 503, {}))
    const { clock, client } = setup({
      timeout: false,
      deadline: 1_000,
      retry: { maxAttempts: 10, baseDelay: 400 },
    })
    const failed = rejection(client.json(path))
    expect(await clock.nextSleep()).toBe(1_000) // the deadline timer
    await clock.advance(await clock.nextSleep()) // the first backoff: 400 fits
    const error = await failed
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.message).toContain('would pass the deadline')
    const waits = clock.sleeps.slice(1)
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1_000)
  })

  it('fails with ERR_RATE_LIMITED when Retry-After reaches past the deadline', async () => {
    const path = unique('deadline-429')
    server.route(path, (_req, res) => json(res, 429, {}, { 'retry-after': '30' }))
    const { client } = setup({ timeout: false, deadline: 10_000 })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_RATE_LIMITED')
    expect(error.retryAfter).toBe(30_000)
    expect(server.hits(path)).toBe(1)
  })

  it('applies the deadline to a streamed response body after the headers', async () => {
    const path = unique('deadline-stream')
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.write('first')
    })
    const { clock, client } = setup({ timeout: 100, deadline: 5_000 })
    const response = await client.request(path)
    const reader = response.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('first')
    const next = reader.read().then(
      () => 'read',
      (error: unknown) => error,
    )
    await clock.advance(5_000)
    expect(await next).toMatchObject({ name: 'HttpError', code: 'ERR_DEADLINE', requestSent: 'yes' })
  })
})

describe('AbortSignal (security 25)', () => {
  it('rejects at once without sending when the signal already aborted', async () => {
    const path = unique('pre-aborted')
    server.route(path, (_req, res) => json(res, 200, {}))
    const { client } = setup()
    const error = await rejection(client.json({ url: path, signal: AbortSignal.abort() }))
    expect(error.code).toBe('ERR_ABORTED')
    expect(error.attempts).toBe(0)
    expect(error.requestSent).toBe('no')
    expect(server.hits(path)).toBe(0)
  })

  it('stops a request in flight', async () => {
    const path = unique('abort-stall')
    const { arrived } = stall(path)
    const { client } = setup({ timeout: false })
    const controller = new AbortController()
    const failed = rejection(client.json({ url: path, signal: controller.signal }))
    await arrived()
    controller.abort(new Error('user left'))
    const error = await failed
    expect(error.code).toBe('ERR_ABORTED')
    expect(error.requestSent).toBe('unknown')
    expect((error.cause as Error).message).toBe('user left')
  })

  it('stops waiting for a retry at once, and sends nothing more', async () => {
    const path = unique('abort-backoff')
    server.route(path, (_req, res) => json(res, 429, {}, { 'retry-after': '60' }))
    const { clock, client } = setup({ timeout: false })
    const controller = new AbortController()
    const failed = rejection(client.json({ url: path, signal: controller.signal }))
    expect(await clock.nextSleep()).toBeGreaterThanOrEqual(60_000)
    controller.abort()
    const error = await failed
    expect(error.code).toBe('ERR_ABORTED')
    expect(clock.pending).toBe(0)
    await clock.advance(120_000)
    expect(server.hits(path)).toBe(1)
  })
})

describe('client-side limits', () => {
  it('keeps at most maxConcurrency requests in flight', async () => {
    const path = unique('concurrency')
    let active = 0
    let peak = 0
    const waiting: Array<() => void> = []
    server.route(path, (_req, res) => {
      active++
      peak = Math.max(peak, active)
      waiting.push(() => {
        active--
        json(res, 200, 'ok')
      })
    })
    const events: string[] = []
    const { client } = setup({
      maxConcurrency: 2,
      timeout: false,
      hooks: { onRateLimitWait: (e) => events.push(e.source) },
    })
    const all = Promise.all(Array.from({ length: 5 }, () => client.json(path)))
    for (let served = 0; served < 5; served++) {
      while (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 2))
      expect(active).toBeLessThanOrEqual(2)
      waiting.shift()!()
    }
    await expect(all).resolves.toEqual(['ok', 'ok', 'ok', 'ok', 'ok'])
    expect(peak).toBe(2)
    expect(events).toEqual(['concurrency', 'concurrency', 'concurrency'])
  })

  it('spaces requests by the token bucket, and a queued request honours abort', async () => {
    const path = unique('rate')
    server.route(path, (_req, res) => json(res, 200, 'ok'))
    const waits: Array<number | undefined> = []
    const { clock, client } = setup({
      rateLimit: { requests: 2, interval: 1_000 },
      timeout: false,
      hooks: { onRateLimitWait: (e) => waits.push(e.delay) },
    })
    await client.json(path)
    await client.json(path)
    const third = client.json(path)
    const controller = new AbortController()
    const fourth = rejection(client.json({ url: path, signal: controller.signal }))
    expect(await clock.nextSleep()).toBe(500)
    expect(waits).toEqual([500, undefined])
    controller.abort()
    expect((await fourth).code).toBe('ERR_ABORTED')
    expect(server.hits(path)).toBe(2)
    await clock.advance(500)
    await expect(third).resolves.toBe('ok')
    expect(server.hits(path)).toBe(3)
  })

  it('ends a queued request at its deadline', async () => {
    const path = unique('rate-deadline')
    server.route(path, (_req, res) => json(res, 200, 'ok'))
    const { clock, client } = setup({ rateLimit: { requests: 1, interval: 60_000 }, timeout: false })
    await client.json(path)
    const late = rejection(client.json({ url: path, deadline: 1_000 }))
    await clock.advance(1_000)
    const error = await late
    expect(error.code).toBe('ERR_DEADLINE')
    expect(error.requestSent).toBe('no')
    expect(server.hits(path)).toBe(1)
  })
})
