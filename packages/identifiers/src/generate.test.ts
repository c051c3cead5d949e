import { describe, expect, it } from 'vitest'
import { createSyntheticGenerator } from './generate.js'
import { birthDateOf, parseNationalId } from './national-id.js'
import { parseOrganisationNumber } from './organisation-number.js'

describe('createSyntheticGenerator', () => {
  it('is deterministic for a seed', () => {
    const a = createSyntheticGenerator({ seed: 'demo' })
    const b = createSyntheticGenerator({ seed: 'demo' })
    const c = createSyntheticGenerator({ seed: 'other' })
    const seqA = Array.from({ length: 20 }, () => a.person())
    expect(Array.from({ length: 20 }, () => b.person())).toEqual(seqA)
    expect(Array.from({ length: 20 }, () => c.person())).not.toEqual(seqA)
  })

  it('only makes valid synthetic numbers that match the person', () => {
    const gen = createSyntheticGenerator({ seed: 1 })
    for (let i = 0; i < 5_000; i++) {
      const kind = i % 3 === 0 ? 'dnr' : 'fnr'
      const person = gen.person({ kind, minYear: 1900, maxYear: 2039 })
      const parsed = parseNationalId(person.nationalId, { rules: 'legacy' })
      expect(parsed.valid).toBe(true)
      if (!parsed.valid) return
      expect(parsed.synthetic).toBe(true)
      expect(parsed.kind).toBe(kind)
      expect(birthDateOf(parsed)).toBe(person.birthDate)
      expect(parsed.gender).toBe(person.gender)
      expect(person.name).toBe(`${person.givenName} ${person.familyName}`)
    }
  })

  it('respects gender and year bounds', () => {
    const gen = createSyntheticGenerator({ seed: 2 })
    for (let i = 0; i < 500; i++) {
      const p = gen.person({ gender: 'female', minYear: 2001, maxYear: 2003 })
      expect(p.gender).toBe('female')
      expect(Number(p.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(2001)
      expect(Number(p.birthDate.slice(0, 4))).toBeLessThanOrEqual(2003)
    }
    expect(() => gen.person({ minYear: 2010, maxYear: 2000 })).toThrow(RangeError)
  })

  it('makes valid organisation numbers', () => {
    const gen = createSyntheticGenerator({ seed: 3 })
    for (let i = 0; i < 2_000; i++) {
      const orgnr = gen.organisationNumber()
      expect(parseOrganisationNumber(orgnr)).toEqual({ valid: true })
      expect(orgnr[0] === '8' || orgnr[0] === '9').toBe(true)
    }
  })
})
