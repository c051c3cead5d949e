import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createHttpClient, type HttpClient } from '../src/index.js'
import { median, paired, startBenchServer } from './harness.js'

// Overhead per request: 10,000 small GETs through @felles/http with its
// defaults (30 s per-attempt timeout, retries, retry budget, size-capped JSON
// read) against raw `fetch(url).then(r => r.json())`: same server (its own
// process), same concurrency, same run, interleaved rounds. Goal: ratio ≤ 1.10.

const REQUESTS = 10_000
const CONCURRENCY = 16
const ROUNDS = 4

interface Sample {
  readonly wall: number
  readonly cpu: number
}

let server: { url: string; stop: () => void }
let client: HttpClient
let noTimeout: HttpClient
const results: Array<{ baseline: Sample; candidate: Sample; bare: Sample }> = []

async function fanOut(get: () => Promise<unknown>): Promise<Sample> {
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  let started = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (started < REQUESTS) {
        started++
        await get()
      }
    }),
  )
  const used = process.cpuUsage(cpuStart)
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 }
}

beforeAll(async () => {
  server = await startBenchServer()
  client = createHttpClient({ baseUrl: server.url })
  noTimeout = createHttpClient({ baseUrl: server.url, timeout: false })
  // Warm up both paths (JIT, keep-alive sockets).
  await fanOut(() => fetch(`${server.url}/small`).then((r) => r.json()))
  await fanOut(() => client.json('/small'))
  await fanOut(() => noTimeout.json('/small'))
}, 120_000)

afterAll(() => {
  server.stop()
  if (results.length === 0) return
  const us = (ms: number): string => ((ms * 1000) / REQUESTS).toFixed(1)
  const ratio = (pick: (r: (typeof results)[number]) => number): string =>
    median(results.map(pick)).toFixed(3)
  const m = (pick: (r: (typeof results)[number]) => number): number => median(results.map(pick))
  process.stdout.write(
    `\n[http] ${REQUESTS} small GETs at concurrency ${CONCURRENCY}, ${results.length} interleaved rounds (medians)\n` +
      `[http]   wall µs/request: raw fetch ${us(m((r) => r.baseline.wall))}, @felles/http ${us(m((r) => r.candidate.wall))}` +
      ` → ratio ${ratio((r) => r.candidate.wall / r.baseline.wall)} (goal ≤ 1.10)\n` +
      `[http]   client CPU µs/request: raw fetch ${us(m((r) => r.baseline.cpu))}, @felles/http ${us(m((r) => r.candidate.cpu))}` +
      ` → ratio ${ratio((r) => r.candidate.cpu / r.baseline.cpu)}\n` +
      `[http]   with timeout: false (no AbortSignal handed to fetch): wall ratio ${ratio((r) => r.bare.wall / r.baseline.wall)},` +
      ` CPU ratio ${ratio((r) => r.bare.cpu / r.baseline.cpu)}\n`,
  )
})

let round = 0
describe(`${REQUESTS} small GETs, concurrency ${CONCURRENCY}`, () => {
  bench(
    'raw fetch and @felles/http, interleaved',
    async () => {
      const r = round++
      const { baseline, candidate } = await paired(
        r,
        () => fanOut(() => fetch(`${server.url}/small`).then((res) => res.json())),
        () => fanOut(() => client.json('/small')),
      )
      const bare = await fanOut(() => noTimeout.json('/small'))
      results.push({ baseline, candidate, bare })
    },
    { iterations: ROUNDS, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})
