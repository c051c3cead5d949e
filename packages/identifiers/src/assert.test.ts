import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { assertNationalId, assertOrganisationNumber } from './assert.js'
import { IdentifierError, isIdentifierError } from './errors.js'

describe('assertNationalId', () => {
  it('returns the parsed number', () => {
    expect(assertNationalId('21879498012').kind).toBe('fnr')
  })

  it('throws a typed error naming the field and rule, never the number', () => {
    let caught: unknown
    try {
      assertNationalId('21879498012', { field: 'mottaker.fnr', allowSynthetic: false })
    } catch (error) {
      caught = error
    }
    expect(isIdentifierError(caught)).toBe(true)
    const error = caught as IdentifierError
    expect(error).toBeInstanceOf(IdentifierError)
    expect(error.name).toBe('IdentifierError')
    expect(error.code).toBe('ERR_INVALID_NATIONAL_ID')
    expect(error.reason).toBe('synthetic')
    expect(error.field).toBe('mottaker.fnr')
    expect(error.message).toContain('mottaker.fnr')
    const everything = `${error.message} ${JSON.stringify(error)} ${inspect(error)} ${error.stack}`
    expect(everything).not.toContain('21879498012')
  })

  it('throws for organisation numbers too', () => {
    expect(assertOrganisationNumber('991825827')).toBe('991825827')
    expect(() => assertOrganisationNumber('991825828', { field: 'org' })).toThrow(/org.*check digit/)
    expect(isIdentifierError(new Error('x'))).toBe(false)
  })
})
