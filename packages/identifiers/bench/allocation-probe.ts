// Run by allocations.bench.ts in a child process with a large young generation
// and --expose-gc, so that no scavenge happens while counting: the growth of
// the used heap divided by the number of calls is the bytes allocated per call.
import { createRequire } from 'node:module'
import { createSyntheticGenerator, parseNationalId } from '../src/index.js'

const require = createRequire(import.meta.url)
const oracle = require('@navikt/fnrvalidator') as { idnr(value: string): { status: string } }
const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')

const gen = createSyntheticGenerator({ seed: 'alloc' })
const valid = Array.from({ length: 1_000 }, () => gen.nationalId())
const invalid = valid.map((id) => `${id.slice(0, 10)}${(Number(id[10]) + 1) % 10}`)
const calls = 100_000
let sink = 0

function bytesPerCall(inputs: string[], fn: (value: string) => boolean): number {
  for (let i = 0; i < 20_000; i++) if (fn(inputs[i % inputs.length] as string)) sink++ // warm up (JIT)
  gc?.()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < calls; i++) if (fn(inputs[i % inputs.length] as string)) sink++
  const after = process.memoryUsage().heapUsed
  return (after - before) / calls
}

const ours = (v: string): boolean => parseNationalId(v).valid
const theirs = (v: string): boolean => oracle.idnr(v).status === 'valid'
const result = {
  oursValid: bytesPerCall(valid, ours),
  oursInvalid: bytesPerCall(invalid, ours),
  baselineValid: bytesPerCall(valid, theirs),
  baselineInvalid: bytesPerCall(invalid, theirs),
  sink,
}
process.stdout.write(JSON.stringify(result))
