import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bench, describe } from 'vitest'
import { createClock, type SvarUtMock, startSvarUtMock } from '../src/index.js'
import { PDF, send } from '../test/helpers.js'

// Streamed send of 256 MiB into the mock (multipart parsing, hashing, CRC, disk) against a raw
// streaming POST of the same bytes to a bare node:http server that only counts them, in the same run.
const MiB = 1024 * 1024
const SIZE = 256 * MiB
const chunk = Buffer.alloc(MiB, 0x20)
async function* body(): AsyncGenerator<Uint8Array> {
  yield PDF
  for (let sent = PDF.length; sent < SIZE; sent += MiB) yield chunk.subarray(0, Math.min(MiB, SIZE - sent))
}

async function sendToMock(mock: SvarUtMock): Promise<{ ms: number; rss: number }> {
  const before = process.memoryUsage().rss
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const start = performance.now()
  const p = mock.world.personOn('digital')
  const res = await send(
    mock,
    'person',
    { tittel: 'Bench', kunDigitalLevering: true, mottaker: { navn: p.name, digitalId: p.digitalId } },
    [{ filnavn: 'bench.pdf', mimeType: 'application/pdf', body: body() }],
  )
  if (res.status !== 200) throw new Error(`mock answered ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
  const ms = performance.now() - start
  clearInterval(timer)
  await mock.world.clear()
  return { ms, rss: Math.max(peak, process.memoryUsage().rss) - before }
}

async function rawPost(url: string): Promise<number> {
  const start = performance.now()
  const it = body()
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      const r = await it.next()
      if (r.done) c.close()
      else c.enqueue(r.value)
    },
  })
  const res = await fetch(url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
  await res.text()
  return performance.now() - start
}

let printed = false

describe('256 MiB streamed upload', () => {
  bench(
    'mock send vs raw streaming POST to a bare node:http server (3 rounds each, printed)',
    async () => {
      if (printed) return
      printed = true
      const mock = await startSvarUtMock({ clock: createClock({ mode: 'manual' }) })
      const raw = createServer((req, res) => {
        let n = 0
        req.on('data', (c: Buffer) => {
          n += c.length
        })
        req.on('end', () => res.end(String(n)))
      })
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
      const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/`
      try {
        await rawPost(url) // warm-up of both paths
        await sendToMock(mock)
        const ours: number[] = []
        const base: number[] = []
        let rss = 0
        for (let i = 0; i < 3; i++) {
          const r = await sendToMock(mock)
          ours.push(r.ms)
          rss = Math.max(rss, r.rss)
          base.push(await rawPost(url))
        }
        const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
        const mibps = (ms: number) => (SIZE / MiB / (ms / 1000)).toFixed(0)
        process.stdout.write(
          `\n[svarut-mock] 256 MiB streamed send: mock ${mibps(med(ours))} MiB/s, raw POST ${mibps(med(base))} MiB/s, ` +
            `throughput ratio ${(med(base) / med(ours)).toFixed(2)}; peak RSS growth ${(rss / MiB).toFixed(1)} MiB\n`,
        )
      } finally {
        await mock.close()
        raw.close()
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  )
})
