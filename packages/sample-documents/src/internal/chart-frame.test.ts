import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { niceScale } from './chart-frame.js'

describe('niceScale', () => {
  it('covers the data and zero with a handful of round ticks', () => {
    // Values a dashboard shows; below 1e-9 they print as 0 (subnormals even underflow in the division).
    const value = fc.double({ min: -1e9, max: 1e9, noNaN: true }).map((v) => (Math.abs(v) < 1e-9 ? 0 : v))
    fc.assert(
      fc.property(value, value, (a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        const scale = niceScale(lo, hi)
        expect(scale.min).toBeLessThanOrEqual(Math.min(0, lo))
        expect(scale.max).toBeGreaterThanOrEqual(Math.max(0, hi))
        expect(scale.ticks).toContain(0)
        expect(scale.ticks.length).toBeGreaterThanOrEqual(2)
        expect(scale.ticks.length).toBeLessThanOrEqual(12)
        expect(scale.ticks[0]).toBe(scale.min)
        expect(scale.ticks.at(-1)).toBe(scale.max)
        // Evenly spaced, with a step of 1, 2, 2.5 or 5 times a power of ten.
        const step = (scale.ticks[1] ?? 0) - (scale.ticks[0] ?? 0)
        const mantissa = step / 10 ** Math.floor(Math.log10(step))
        expect([1, 2, 2.5, 5, 10].some((m) => Math.abs(m - mantissa) < 1e-6)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('gives a unit axis for all-zero data', () => {
    expect(niceScale(0, 0)).toEqual({ min: 0, max: 1, ticks: [0, 0.2, 0.4, 0.6, 0.8, 1] })
  })
})
