import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fullJitterDelay, planRetryDelay } from './backoff.js'

const random01 = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })

describe('fullJitterDelay', () => {
  it('stays within [0, min(maxDelay, base × 2^(retry−1))]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        random01,
        (retry, baseDelay, maxDelay, r) => {
          const delay = fullJitterDelay(retry, { baseDelay, maxDelay }, () => r)
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(Math.min(maxDelay, baseDelay * 2 ** (retry - 1)))
          expect(Number.isInteger(delay)).toBe(true)
        },
      ),
    )
  })

  it('grows its ceiling exponentially until the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) =>
      fullJitterDelay(retry, { baseDelay: 100, maxDelay: 2_000 }, () => 1),
    )
    expect(ceilings).toEqual([100, 200, 400, 800, 1_600, 2_000])
  })
})

describe('planRetryDelay (property)', () => {
  const input = fc.record({
    retry: fc.integer({ min: 1, max: 20 }),
    baseDelay: fc.integer({ min: 0, max: 5_000 }),
    maxDelay: fc.integer({ min: 0, max: 120_000 }),
    serverDelay: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
    maxRetryAfter: fc.integer({ min: 0, max: 300_000 }),
    remaining: fc.option(fc.integer({ min: 0, max: 600_000 }), { nil: undefined }),
    r: random01,
  })

  it('never waits less than the server asked, never above the cap, never past the deadline', () => {
    fc.assert(
      fc.property(input, ({ r, ...rest }) => {
        const plan = planRetryDelay({ ...rest, random: () => r })
        if ('wait' in plan) {
          if (rest.serverDelay !== undefined) {
            expect(plan.wait).toBeGreaterThanOrEqual(rest.serverDelay)
            expect(plan.wait).toBeLessThanOrEqual(Math.max(rest.serverDelay, rest.maxDelay))
            expect(rest.serverDelay).toBeLessThanOrEqual(rest.maxRetryAfter)
          } else {
            expect(plan.wait).toBeLessThanOrEqual(rest.maxDelay)
          }
          if (rest.remaining !== undefined) expect(plan.wait).toBeLessThan(rest.remaining)
        } else if (plan.stop === 'retry-after-too-long') {
          expect(rest.serverDelay).toBeGreaterThan(rest.maxRetryAfter)
        } else {
          expect(rest.remaining).toBeDefined()
          expect(plan.wanted).toBeGreaterThanOrEqual(rest.remaining!)
        }
      }),
      { numRuns: 2_000 },
    )
  })
})
