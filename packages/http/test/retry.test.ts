import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpClientOptions } from '../src/index.js'
import { createManualClock, type ManualClock } from '../src/testing.js'
import { closedPort, drain, httpDate, json, rejection, startServer, type TestServer } from './server.js'

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
  const client = createHttpClient({ baseUrl: server.url, clock, random: () => 1, timeout: false, ...options })
  return { clock, client }
}

describe('retries against a misbehaving server', () => {
  it('rides out a 503 storm with full-jitter exponential backoff', async () => {
    const path = unique('storm')
    server.route(path, (_req, res, hit) =>
      hit <= 3 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: hit }),
    )
    const { clock, client } = setup({ retry: { baseDelay: 100, maxDelay: 250 } })
    const result = client.send<{ ok: number }>(path)
    const waits: number[] = []
    for (let i = 0; i < 3; i++) {
      const wait = await clock.nextSleep()
      waits.push(wait)
      await clock.advance(wait)
    }
    const { body, attempts } = await result
    expect(body).toEqual({ ok: 4 })
    expect(attempts).toBe(4)
    // random() = 1 gives the ceiling: 100, 200, then capped at 250.
    expect(waits).toEqual([100, 200, 250])
  })

  it('gives up after maxAttempts with ERR_HTTP_STATUS, the status and the attempts made', async () => {
    const path = unique('storm-forever')
    server.route(path, (_req, res) => json(res, 503, { error: 'busy' }, { 'x-request-id': 'req-503' }))
    const { clock, client } = setup({ retry: { maxAttempts: 3, baseDelay: 10 } })
    const failed = rejection(client.json(path))
    await clock.advance(await clock.nextSleep())
    await clock.advance(await clock.nextSleep())
    const error = await failed
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.status).toBe(503)
    expect(error.attempts).toBe(3)
    expect(error.retryable).toBe(true)
    expect(error.requestId).toBe('req-503')
    expect(error.body).toEqual({ error: 'busy' })
    expect(server.hits(path)).toBe(3)
  })

  it.each([400, 401, 403, 404, 422])('never retries %i (security 24)', async (status) => {
    const path = unique(`final-${status}`)
    server.route(path, (_req, res) => json(res, status, { error: 'no' }))
    const { client } = setup()
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.status).toBe(status)
    expect(error.retryable).toBe(false)
    expect(server.hits(path)).toBe(1)
  })

  it('waits at least Retry-After seconds after a 429 (security 24, 32)', async () => {
    const path = unique('429-seconds')
    server.route(path, (_req, res, hit) =>
      hit === 1
        ? json(res, 429, { error: 'slow down' }, { 'retry-after': '7' })
        : json(res, 200, { ok: true }),
    )
    const { clock, client } = setup({ random: () => 0 })
    const result = client.json(path)
    const wait = await clock.nextSleep()
    expect(wait).toBe(7_000)
    await clock.advance(6_999)
    expect(server.hits(path)).toBe(1)
    await clock.advance(1)
    await expect(result).resolves.toEqual({ ok: true })
    expect(server.hits(path)).toBe(2)
  })

  it('waits at least until a Retry-After HTTP-date, measured against the server Date header', async () => {
    const path = unique('429-date')
    const serverNow = Date.UTC(2030, 4, 17, 12, 0, 0)
    server.route(path, (_req, res, hit) =>
      hit === 1
        ? json(res, 429, {}, { date: httpDate(serverNow), 'retry-after': httpDate(serverNow + 42_000) })
        : json(res, 200, { ok: true }),
    )
    // The local clock is far from the server's: only the server's own Date counts.
    const { clock, client } = setup({ random: () => 0 })
    const result = client.json(path)
    expect(await clock.nextSleep()).toBe(42_000)
    await clock.advance(42_000)
    await expect(result).resolves.toEqual({ ok: true })
  })

  it('honours x-ratelimit-reset as delta seconds and as epoch seconds', async () => {
    const delta = unique('reset-delta')
    server.route(delta, (_req, res, hit) =>
      hit === 1 ? json(res, 429, {}, { 'x-ratelimit-reset': '12' }) : json(res, 200, 'ok'),
    )
    const epoch = unique('reset-epoch')
    const serverNow = Date.UTC(2030, 0, 1)
    server.route(epoch, (_req, res, hit) =>
      hit === 1
        ? json(
            res,
            429,
            {},
            { date: httpDate(serverNow), 'x-ratelimit-reset': String(serverNow / 1000 + 30) },
          )
        : json(res, 200, 'ok'),
    )
    const { clock, client } = setup({ random: () => 0 })
    const a = client.json(delta)
    expect(await clock.nextSleep()).toBe(12_000)
    await clock.advance(12_000)
    await expect(a).resolves.toBe('ok')
    const b = client.json(epoch)
    expect(await clock.nextSleep()).toBe(30_000)
    await clock.advance(30_000)
    await expect(b).resolves.toBe('ok')
  })

  it('waits the longer of Retry-After and the backoff', async () => {
    const path = unique('429-short')
    server.route(path, (_req, res, hit) =>
      hit <= 2 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, 'ok'),
    )
    const { clock, client } = setup({ retry: { baseDelay: 1_500 } })
    const result = client.json(path)
    const first = await clock.nextSleep()
    await clock.advance(first)
    const second = await clock.nextSleep()
    await clock.advance(second)
    await result
    expect(first).toBe(1_500)
    expect(second).toBe(3_000)
  })

  it('fails at once with a clear error when Retry-After is longer than maxRetryAfter', async () => {
    const path = unique('429-long')
    server.route(path, (_req, res) => json(res, 429, {}, { 'retry-after': '3600' }))
    const { clock, client } = setup({ retry: { maxRetryAfter: 60_000 } })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_RATE_LIMITED')
    expect(error.status).toBe(429)
    expect(error.retryAfter).toBe(3_600_000)
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('asked to wait 3600 s, more than maxRetryAfter (60 s)')
    expect(clock.sleeps).toEqual([])
    expect(server.hits(path)).toBe(1)
  })

  it('treats a 503 with Retry-After like a 429: waits at least as long', async () => {
    const path = unique('503-ra')
    server.route(path, (_req, res, hit) =>
      hit === 1 ? json(res, 503, {}, { 'retry-after': '20' }) : json(res, 200, 'ok'),
    )
    const { clock, client } = setup({ random: () => 0 })
    const result = client.json(path)
    expect(await clock.nextSleep()).toBe(20_000)
    await clock.advance(20_000)
    await expect(result).resolves.toBe('ok')
  })

  it('retries a GET whose connection drops mid-body, and reads the whole body the second time', async () => {
    const path = unique('drop-mid-body')
    server.route(path, (_req, res, hit) => {
      if (hit === 1) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' })
        res.write('{"partial": "')
        setTimeout(() => res.destroy(), 5)
        return
      }
      json(res, 200, { whole: true })
    })
    const { clock, client } = setup()
    const result = client.json(path)
    await clock.advance(await clock.nextSleep())
    await expect(result).resolves.toEqual({ whole: true })
    expect(server.hits(path)).toBe(2)
  })

  it('retries connection refused, even for a POST, because the server never saw it', async () => {
    const port = await closedPort()
    const clock = createManualClock()
    const client = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      clock,
      random: () => 1,
      timeout: false,
    })
    const result = client.json({ url: '/send', method: 'POST', json: { letter: 1 } })
    const wait = await clock.nextSleep()
    // Bring the server up on that port during the backoff.
    const { createServer } = await import('node:http')
    const late = createServer((req, res) => {
      void drain(req).then(() => json(res, 201, { id: 'abc' }))
    })
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve))
    try {
      await clock.advance(wait)
      await expect(result).resolves.toEqual({ id: 'abc' })
    } finally {
      await new Promise<void>((resolve) => late.close(() => resolve()))
    }
  })

  it('reports connection refused as ERR_NETWORK with requestSent "no" when retries run out', async () => {
    const port = await closedPort()
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, retry: false })
    const error = await rejection(client.json('/x'))
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.requestSent).toBe('no')
    expect(error.message).toContain('connection refused (ECONNREFUSED)')
  })

  it('stops retrying once the retry budget is spent', async () => {
    const path = unique('budget')
    server.route(path, (_req, res) => json(res, 503, {}))
    const { clock, client } = setup({
      retryBudget: { tokens: 2, ratio: 0 },
      retry: { maxAttempts: 10, baseDelay: 1 },
    })
    const failed = rejection(client.json(path))
    await clock.advance(await clock.nextSleep())
    await clock.advance(await clock.nextSleep())
    const error = await failed
    expect(error.code).toBe('ERR_RETRY_BUDGET')
    expect(error.status).toBe(503)
    expect(error.attempts).toBe(3)
    const next = await rejection(client.json(path))
    expect(next.code).toBe('ERR_RETRY_BUDGET')
    expect(next.attempts).toBe(1)
  })
})

describe('non-idempotent requests are never retried once the server may have seen them', () => {
  it('does not retry a POST answered 503, but says it was sent', async () => {
    const path = unique('post-503')
    server.route(path, async (req, res) => {
      await drain(req)
      json(res, 503, {}, { 'retry-after': '1' })
    })
    const { client } = setup()
    const error = await rejection(client.json({ url: path, method: 'POST', json: { a: 1 } }))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.requestSent).toBe('yes')
    expect(error.retryAfter).toBe(1_000)
    expect(error.message).toContain('not retried: POST is not idempotent')
    expect(server.hits(path)).toBe(1)
  })

  it('does not retry a POST answered 429', async () => {
    const path = unique('post-429')
    server.route(path, async (req, res) => {
      await drain(req)
      json(res, 429, {}, { 'retry-after': '1' })
    })
    const { client } = setup()
    const error = await rejection(client.json({ url: path, method: 'POST', json: {} }))
    expect(error.code).toBe('ERR_RATE_LIMITED')
    expect(server.hits(path)).toBe(1)
  })

  it('does not retry a POST whose connection drops after the upload (outcome unknown)', async () => {
    const path = unique('post-drop')
    server.route(path, async (req, res) => {
      await drain(req)
      res.destroy()
    })
    const { client } = setup()
    const error = await rejection(client.json({ url: path, method: 'POST', body: 'letter' }))
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.requestSent).toBe('unknown')
    expect(server.hits(path)).toBe(1)
  })

  it('does not retry a POST whose response body drops mid-way', async () => {
    const path = unique('post-drop-body')
    server.route(path, async (req, res) => {
      await drain(req)
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' })
      res.write('{"id":')
      setTimeout(() => res.destroy(), 5)
    })
    const { client } = setup()
    const error = await rejection(client.json({ url: path, method: 'POST', body: 'letter' }))
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.requestSent).toBe('yes')
    expect(error.status).toBe(201)
    expect(server.hits(path)).toBe(1)
  })

  it('retries a POST the caller marks idempotent', async () => {
    const path = unique('post-idempotent')
    server.route(path, async (req, res, hit) => {
      await drain(req)
      if (hit === 1) json(res, 503, {})
      else json(res, 200, { token: 'ok' })
    })
    const { clock, client } = setup()
    const result = client.json({ url: path, method: 'POST', body: 'grant', idempotent: true })
    await clock.advance(await clock.nextSleep())
    await expect(result).resolves.toEqual({ token: 'ok' })
  })

  it('retries a PUT (idempotent by method)', async () => {
    const path = unique('put-503')
    server.route(path, async (req, res, hit) => {
      await drain(req)
      json(res, hit === 1 ? 503 : 200, {})
    })
    const { clock, client } = setup()
    const result = client.json({ url: path, method: 'PUT', json: { a: 1 } })
    await clock.advance(await clock.nextSleep())
    await expect(result).resolves.toEqual({})
  })
})
