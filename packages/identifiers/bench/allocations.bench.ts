import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bench, describe } from 'vitest'

// Bytes allocated per call, measured in a child process (see allocation-probe.ts).
let printed = false

describe('allocations per call', () => {
  bench(
    'parseNationalId vs @navikt/fnrvalidator: bytes allocated per call',
    () => {
      if (printed) return
      printed = true
      const out = execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--max-semi-space-size=512',
          '--import',
          'tsx',
          fileURLToPath(new URL('./allocation-probe.ts', import.meta.url)),
        ],
        { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
      )
      const r = JSON.parse(out) as Record<string, number>
      const f = (n: number | undefined): string => (n ?? Number.NaN).toFixed(1)
      process.stdout.write(
        `\n[identifiers] bytes allocated per call — felles: valid ${f(r.oursValid)}, invalid ${f(r.oursInvalid)}; ` +
          `@navikt/fnrvalidator: valid ${f(r.baselineValid)}, invalid ${f(r.baselineInvalid)}\n`,
      )
    },
    { iterations: 1, warmupIterations: 0, time: 0 },
  )
})
