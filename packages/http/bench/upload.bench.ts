import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createHttpClient, type HttpClient } from '../src/index.js'
import { canCollect, median, paired, startBenchServer } from './harness.js'

// A 1 GiB streamed upload through @felles/http (PUT with a body factory)
// against raw fetch with the same generated stream: same server (its own
// process), same run, interleaved rounds. Reports this process's peak RSS
// growth during each upload (goal < 50 MiB) and the throughput ratio (goal ≥ 0.9).

const SIZE = 1024 * 1024 * 1024
const CHUNK = 64 * 1024
const MiB = 1024 * 1024
const ROUNDS = 3

interface Sample {
  readonly seconds: number
  readonly growth: number
}

let server: { url: string; stop: () => void }
let client: HttpClient
const results: Array<{ baseline: Sample; candidate: Sample }> = []

// Chunks come from a fixed pool of 32 × 64 KiB (2 MiB) that is reused, so the
// RSS figure shows what the transport holds on to rather than how fast the
// allocator returns 16,384 fresh 64 KiB buffers per GiB. The server only counts bytes.
const POOL = Array.from({ length: 32 }, (_, i) => new Uint8Array(CHUNK).fill(i))

/** The same generated source for both: 1 GiB in 64 KiB chunks, produced on demand (pull), as read from a file. */
function generated(size: number): ReadableStream<Uint8Array> {
  let sent = 0
  let next = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) {
        controller.close()
        return
      }
      const chunk = POOL[next++ % POOL.length]!.subarray(0, Math.min(CHUNK, size - sent))
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
}

const raw = (size: number) => async (): Promise<{ bytes: number }> => {
  const init = { method: 'PUT', body: generated(size), duplex: 'half' } as RequestInit
  const response = await fetch(`${server.url}/upload`, init)
  return (await response.json()) as { bytes: number }
}
const viaClient = (size: number) => (): Promise<{ bytes: number }> =>
  client.json<{ bytes: number }>({ url: '/upload', method: 'PUT', body: () => generated(size) })

function measured(upload: () => Promise<{ bytes: number }>): () => Promise<Sample> {
  return async () => {
    const baseline = process.memoryUsage.rss()
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss())
    }, 5)
    const start = performance.now()
    const { bytes } = await upload()
    const seconds = (performance.now() - start) / 1000
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage.rss())
    if (bytes !== SIZE) throw new Error(`server received ${bytes} bytes, expected ${SIZE}`)
    return { seconds, growth: peak - baseline }
  }
}

beforeAll(async () => {
  server = await startBenchServer()
  client = createHttpClient({ baseUrl: server.url, timeout: 120_000 })
  // Warm up both paths with 256 MiB each: the first large upload of a process
  // grows its heap whichever path makes it.
  await raw(256 * MiB)()
  await viaClient(256 * MiB)()
}, 120_000)

afterAll(() => {
  server.stop()
  if (results.length === 0) return
  const rate = (s: Sample): number => SIZE / MiB / s.seconds
  const peak = (pick: (r: (typeof results)[number]) => Sample): string =>
    (Math.max(...results.map((r) => pick(r).growth)) / MiB).toFixed(1)
  process.stdout.write(
    `\n[http] 1 GiB streamed upload, ${results.length} interleaved rounds\n` +
      `[http]   throughput (median): raw fetch ${median(results.map((r) => rate(r.baseline))).toFixed(0)} MiB/s,` +
      ` @felles/http ${median(results.map((r) => rate(r.candidate))).toFixed(0)} MiB/s` +
      ` → ratio ${median(results.map((r) => rate(r.candidate) / rate(r.baseline))).toFixed(3)} (goal ≥ 0.9)\n` +
      `[http]   peak RSS growth (worst round): raw fetch ${peak((r) => r.baseline)} MiB,` +
      ` @felles/http ${peak((r) => r.candidate)} MiB (goal < 50 MiB; full GC between runs: ${canCollect})\n`,
  )
})

let round = 0
describe('1 GiB streamed upload', () => {
  bench(
    'raw fetch and @felles/http, interleaved',
    async () => {
      results.push(await paired(round++, measured(raw(SIZE)), measured(viaClient(SIZE))))
    },
    { iterations: ROUNDS, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})
