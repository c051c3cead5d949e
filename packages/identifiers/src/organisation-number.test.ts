import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isValidOrganisationNumber, parseOrganisationNumber } from './organisation-number.js'

describe('parseOrganisationNumber', () => {
  it.each(['991825827', '889640782'])('accepts the public example %s', (value) => {
    expect(parseOrganisationNumber(value)).toEqual({ valid: true })
    expect(isValidOrganisationNumber(value)).toBe(true)
  })

  it.each([
    [null, 'type'],
    ['99182582', 'length'],
    ['99182582x', 'format'],
    ['991825828', 'checksum'],
  ] as const)('rejects %s as %s', (value, reason) => {
    expect(parseOrganisationNumber(value)).toEqual({ valid: false, reason })
  })

  it('agrees with a straightforward modulus-11 implementation', () => {
    const reference = (s: string): boolean => {
      const w = [3, 2, 7, 6, 5, 4, 3, 2]
      const sum = w.reduce((acc, wi, i) => acc + wi * Number(s[i]), 0)
      const c = 11 - (sum % 11)
      return c !== 10 && (c === 11 ? 0 : c) === Number(s[8])
    }
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (s) => {
        expect(isValidOrganisationNumber(s)).toBe(reference(s))
      }),
      { numRuns: 20_000 },
    )
  })
})
