import { describe, expect, it } from 'vitest'
import { birthDateOf, isValidNationalId, parseNationalId } from './national-id.js'

describe('parseNationalId', () => {
  it.each([
    ['21879498012', 'fnr', '1994-07-21'],
    ['20914695016', 'fnr', '1946-11-20'],
    ['01885897157', 'fnr', '1958-08-01'],
    ['45840375084', 'dnr', '2003-04-05'],
  ] as const)('accepts the published synthetic example %s', (value, kind, birthDate) => {
    const result = parseNationalId(value)
    expect(result.valid).toBe(true)
    if (!result.valid) return
    expect(result.kind).toBe(kind)
    expect(result.synthetic).toBe(true)
    expect(birthDateOf(result)).toBe(birthDate)
  })

  it('refuses synthetic persons when asked to', () => {
    expect(parseNationalId('21879498012', { allowSynthetic: false })).toEqual({
      valid: false,
      reason: 'synthetic',
    })
    expect(isValidNationalId('21879498012', { allowSynthetic: false })).toBe(false)
  })

  it('restricts kinds', () => {
    expect(parseNationalId('45840375084', { kinds: ['fnr'] })).toEqual({ valid: false, reason: 'kind' })
    expect(parseNationalId('45840375084', { kinds: ['dnr'] }).valid).toBe(true)
  })

  it.each([
    [12345, 'type'],
    ['2187949801', 'length'],
    ['218794980123', 'length'],
    ['2187949801a', 'format'],
    ['21879498013', 'checksum'],
    ['２1879498012', 'format'],
  ] as const)('rejects %s with reason %s', (value, reason) => {
    expect(parseNationalId(value)).toEqual({ valid: false, reason })
  })
})
