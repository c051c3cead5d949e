import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { IdPortenError, isIdPortenError, sanitizedCause } from './errors.js'

describe('IdPortenError', () => {
  it('has a stable code, an HTTP status and a guard that works without instanceof', () => {
    const error = new IdPortenError('ERR_ACR_TOO_LOW', 'too low')
    expect(error.name).toBe('IdPortenError')
    expect(error.status).toBe(403)
    expect(error.retryable).toBe(false)
    expect(isIdPortenError(error)).toBe(true)
    expect(isIdPortenError({ name: 'IdPortenError', code: 'ERR_ACR_TOO_LOW' })).toBe(true)
    expect(isIdPortenError({ name: 'IdPortenError', code: 'ERR_MADE_UP' })).toBe(false)
    expect(isIdPortenError(new Error('x'))).toBe(false)
    expect(isIdPortenError(null)).toBe(false)
  })

  it('keeps tokens, identifiers and dependency fields out of causes', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJwaWQiOiIyMTg3OTQ5ODAxMiJ9.c2lnbmF0dXJlc2lnbmF0dXJl'
    const original = Object.assign(new Error(`bad token ${jwt} for 21879498012`), {
      code: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      claims: { pid: '21879498012' },
    })
    const cause = sanitizedCause(original)
    const error = new IdPortenError('ERR_ID_TOKEN_INVALID', 'rejected', { cause })
    const shown = `${JSON.stringify(error)} ${inspect(error, { depth: 5 })}`
    expect(shown).not.toContain('21879498012')
    expect(shown).not.toContain(jwt)
    expect((cause as { code?: string }).code).toBe('OAUTH_JWT_CLAIM_COMPARISON_FAILED')
    expect(sanitizedCause('not an error')).toBeUndefined()
  })
})
