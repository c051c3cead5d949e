import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { MiB, makeFile, startBenchServer } from './harness.js'

// A 1 GiB document sent with sendToPerson (digital only: printable PDFs stop
// at 350 MB) against a raw streaming `fetch` POST of the same file to the same
// server (its own process), same run, alternating order. Each variant runs in
// a fresh process so its peak RSS growth is its own.
// Goals: peak RSS growth < 64 MiB; throughput >= 0.7x the raw POST.

const SIZE_MIB = 1024
const dir = mkdtempSync(join(tmpdir(), 'svarut-send-bench-'))
const file = join(dir, 'big.pdf')
const runner = fileURLToPath(new URL('./send-runner.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))
let server: { url: string; stop: () => void }
const samples: { name: string; growth: number; ms: number }[] = []

beforeAll(async () => {
  server = await startBenchServer()
  await makeFile(file, SIZE_MIB, Buffer.from('%PDF-1.7\n'))
}, 300_000)

function run(variant: 'raw' | 'ours'): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', runner, variant, server.url, file],
      { cwd: packageDir, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) return reject(error)
        samples.push({
          name: variant,
          ...(JSON.parse(stdout.trim().split('\n').pop() as string) as { growth: number; ms: number }),
        })
        resolve()
      },
    )
  })
}

describe('1 GiB streamed send', () => {
  bench(
    'sendToPerson vs raw streaming POST, alternating, fresh process each',
    async () => {
      for (let round = 0; round < 2; round++) {
        if (round % 2 === 0) {
          await run('ours')
          await run('raw')
        } else {
          await run('raw')
          await run('ours')
        }
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})

afterAll(() => {
  server?.stop()
  rmSync(dir, { recursive: true, force: true })
  if (samples.length === 0) return
  const best = (name: string) => Math.min(...samples.filter((s) => s.name === name).map((s) => s.ms))
  const peak = (name: string) => Math.max(...samples.filter((s) => s.name === name).map((s) => s.growth))
  const o = best('ours')
  const r = best('raw')
  process.stdout.write(
    `send ${SIZE_MIB} MiB: ours ${(SIZE_MIB / (o / 1000)).toFixed(0)} MiB/s, raw fetch POST ${(SIZE_MIB / (r / 1000)).toFixed(0)} MiB/s, ` +
      `ratio ${(r / o).toFixed(2)} (goal >= 0.7); peak RSS growth ours ${(peak('ours') / MiB).toFixed(1)} MiB ` +
      `(goal < 64), raw fetch ${(peak('raw') / MiB).toFixed(1)} MiB\n`,
  )
})
