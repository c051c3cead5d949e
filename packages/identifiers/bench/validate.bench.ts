import { createRequire } from 'node:module'
import { afterAll, bench, describe } from 'vitest'
import { createSyntheticGenerator, parseNationalId } from '../src/index.js'

// Validation throughput against @navikt/fnrvalidator on the same inputs, in the same run.
const require = createRequire(import.meta.url)
const oracle = require('@navikt/fnrvalidator') as { idnr(value: string): { status: string } }

const gen = createSyntheticGenerator({ seed: 'bench' })
const inputs: string[] = []
for (let i = 0; i < 1_000; i++) {
  const id = gen.nationalId({ kind: i % 4 === 0 ? 'dnr' : 'fnr' })
  // Three valid numbers for each one with a broken check digit.
  inputs.push(i % 4 === 3 ? `${id.slice(0, 10)}${(Number(id[10]) + 1) % 10}` : id)
}

let sink = 0
const timings: Record<string, { ms: number; runs: number }> = {}

function timed(name: string, fn: () => void): () => void {
  return () => {
    const start = performance.now()
    fn()
    const t = timings[name] ?? { ms: 0, runs: 0 }
    t.ms += performance.now() - start
    t.runs++
    timings[name] = t
  }
}

describe('validate 1,000 national identity numbers', () => {
  bench(
    '@felles/identifiers parseNationalId',
    timed('felles', () => {
      for (const value of inputs) if (parseNationalId(value).valid) sink++
    }),
    { time: 2_000 },
  )
  bench(
    '@navikt/fnrvalidator idnr (baseline)',
    timed('baseline', () => {
      for (const value of inputs) if (oracle.idnr(value).status === 'valid') sink++
    }),
    { time: 2_000 },
  )
})

afterAll(() => {
  const felles = timings.felles
  const baseline = timings.baseline
  if (felles === undefined || baseline === undefined || sink < 0) return
  const perNumber = (t: { ms: number; runs: number }): number => (t.ms * 1e6) / (t.runs * inputs.length)
  process.stdout.write(
    `\n[identifiers] ns per number — felles: ${perNumber(felles).toFixed(1)}, @navikt/fnrvalidator: ${perNumber(baseline).toFixed(1)}; ` +
      `ratio ${(perNumber(baseline) / perNumber(felles)).toFixed(1)}x faster (goal ≥ 3x)\n`,
  )
})
