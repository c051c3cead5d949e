// The benchmarks' load generators against a real local server: they send what they are asked to,
// count what comes back, and measure latency from when each request was due.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { autocannonLoad, formatLoadRow, steadyLoad } from './load.js'

let server: Server
let url: string
const seen: { path: string; cookie: string | undefined; at: number }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', cookie: req.headers.cookie, at: performance.now() })
    if (req.url === '/slow') {
      setTimeout(() => res.end('slow'), 40)
      return
    }
    res.statusCode = req.url === '/missing' ? 404 : 200
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('steadyLoad', () => {
  it('sends rate × duration requests in turn, with their headers, and counts non-2xx answers', async () => {
    seen.length = 0
    const result = await steadyLoad({
      url,
      rate: 100,
      duration: 1,
      arrivals: 'even',
      requests: [{ path: '/a', headers: { cookie: 'x=1' } }, { path: '/missing' }],
    })
    expect(result.tool).toBe('steady')
    expect(result.requests).toBe(100)
    expect(result.errors).toBe(0)
    expect(result.non2xx).toBe(50)
    expect(seen.filter((s) => s.path === '/a' && s.cookie === 'x=1')).toHaveLength(50)
    // Evenly spaced: 100 requests over about a second, not all at once.
    const span = (seen.at(-1)?.at ?? 0) - (seen[0]?.at ?? 0)
    expect(span).toBeGreaterThan(900)
    expect(result.latency.p50).toBeLessThan(result.latency.max + 0.001)
    expect(formatLoadRow('row', result)).toContain('100 answers')
  })

  it('charges a slow server for the requests due behind it (latency from when each was due)', async () => {
    // One connection, answers after 40 ms, a request due every 10 ms: each waits for those before it.
    const result = await steadyLoad({
      url,
      rate: 100,
      duration: 0.5,
      connections: 1,
      arrivals: 'even',
      requests: [{ path: '/slow' }],
    })
    expect(result.requests).toBe(50)
    // The last is due at 490 ms and answered after 50 × 40 ms = 2,000 ms: about 1.5 s late.
    expect(result.latency.max).toBeGreaterThan(1_000)
  })

  it('draws Poisson arrivals by default: the same mean rate, uneven gaps', async () => {
    seen.length = 0
    const result = await steadyLoad({ url, rate: 200, duration: 1, requests: [{ path: '/p' }] })
    expect(result.requests).toBe(200)
    const gaps = seen.slice(1).map((s, i) => s.at - (seen[i]?.at ?? 0))
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    expect(mean).toBeGreaterThan(3)
    expect(mean).toBeLessThan(8)
    expect(Math.max(...gaps)).toBeGreaterThan(12) // evenly spaced would stay near 5 ms
  })

  it('refuses an empty request list and a rate or duration that is not positive', async () => {
    await expect(steadyLoad({ url, rate: 1, duration: 1, requests: [] })).rejects.toThrow(/requests/)
    await expect(steadyLoad({ url, rate: 0, duration: 1, requests: [{ path: '/' }] })).rejects.toThrow(/rate/)
    await expect(steadyLoad({ url, rate: 1, duration: 0, requests: [{ path: '/' }] })).rejects.toThrow(
      /duration/,
    )
  })
})

describe('autocannonLoad', () => {
  it('drives autocannon at the rate asked and reports its answers', async () => {
    const result = await autocannonLoad({
      url,
      rate: 50,
      duration: 1,
      connections: 5,
      requests: [{ path: '/b' }],
    })
    expect(result.tool).toBe('autocannon')
    expect(result.requests).toBeGreaterThanOrEqual(45)
    expect(result.requests).toBeLessThanOrEqual(60)
    expect(result.errors).toBe(0)
    expect(result.non2xx).toBe(0)
  })
})
