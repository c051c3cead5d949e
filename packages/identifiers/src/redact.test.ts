import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSyntheticGenerator } from './generate.js'
import { containsNationalId, mask, scrubNationalIds } from './redact.js'

describe('mask', () => {
  it('keeps only the birth-date part', () => {
    expect(mask('21879498012')).toBe('218794*****')
  })
  it('masks anything else whole', () => {
    expect(mask('abc')).toBe('***')
    expect(mask('')).toBe('*')
    expect(mask('2187949801')).toBe('**********')
  })
})

describe('scrubNationalIds', () => {
  it('removes valid numbers, also written with a space', () => {
    expect(scrubNationalIds('fnr=21879498012&x=1')).toBe('fnr=***********&x=1')
    expect(scrubNationalIds('person 218794 98012 not found')).toBe('person *********** not found')
    expect(scrubNationalIds('a 45840375084 b', { replacement: '[fnr]' })).toBe('a [fnr] b')
  })

  it('leaves other digit runs alone', () => {
    expect(scrubNationalIds('order 21879498013, phone 4798765432')).toBe(
      'order 21879498013, phone 4798765432',
    )
    expect(scrubNationalIds('218794980120')).toBe('218794980120')
  })

  it('finds every generated number embedded in random text', () => {
    const gen = createSyntheticGenerator({ seed: 'scrub' })
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (before, after) => {
        const id = gen.nationalId({ kind: Math.random() < 0.5 ? 'fnr' : 'dnr' })
        // Digits touching the number would make it a longer run, which is not a number.
        const text = `${before.replace(/\d$/, '')} ${id} ${after}`
        const scrubbed = scrubNationalIds(text)
        expect(scrubbed).not.toContain(id)
        expect(containsNationalId(scrubbed)).toBe(false)
        expect(containsNationalId(text)).toBe(true)
      }),
      { numRuns: 2_000 },
    )
  })
})
