import { createSyntheticGenerator } from '@felles/identifiers'
import { describe, expect, it } from 'vitest'
import { tokenError } from './token-errors.js'

const base = {
  status: 400,
  skewSeconds: 0,
  maxSkewSeconds: 10,
  requestId: 'req-1',
  issuer: 'https://maskinporten.no/',
}
const body = (error: string, description: string) => ({ error, error_description: description })

describe('tokenError', () => {
  it.each([
    [
      'MP-110',
      'Invalid assertion. Client authentication failed. Invalid JWT claim aud (MP-110)',
      'ERR_WRONG_AUDIENCE',
      /trailing slash/,
    ],
    [
      'MP-120',
      'Invalid assertion. Client authentication failed. The JWT is signed with an invalid certificate. (MP-120)',
      'ERR_INVALID_CERTIFICATE',
      /test certificate in production/,
    ],
    [
      'MP-121',
      'Invalid assertion. Client authentication failed. Expired key (MP-121)',
      'ERR_EXPIRED_KEY',
      /rotate/,
    ],
    [
      'MP-100',
      'Invalid assertion. Client authentication failed. (MP-100)',
      'ERR_INVALID_GRANT',
      /registered for this client/,
    ],
    ['MP-012', 'Invalid assertion. Grant is used before (jti reuse) (MP-012)', 'ERR_JTI_REUSED', /fresh jti/],
  ])('maps Digdir’s %s to its documented cause', (mpCode, description, code, text) => {
    const error = tokenError({ ...base, body: body('invalid_grant', description) })
    expect(error).toMatchObject({
      code,
      mpCode,
      status: 400,
      error: 'invalid_grant',
      requestId: 'req-1',
      retryable: false,
    })
    expect(error.message).toMatch(text)
    expect(error.message).toContain(mpCode)
  })

  it('falls back on the wording when the code is unknown', () => {
    expect(tokenError({ ...base, body: body('invalid_grant', 'x5c must be an array (MP-999)') }).code).toBe(
      'ERR_X5C_FORMAT',
    )
    expect(tokenError({ ...base, body: body('invalid_grant', 'Invalid JWT claim aud (MP-006)') }).code).toBe(
      'ERR_WRONG_AUDIENCE',
    )
    expect(tokenError({ ...base, body: body('invalid_scope', 'Not allowed') }).code).toBe('ERR_INVALID_SCOPE')
    expect(tokenError({ ...base, status: 401, body: body('invalid_client', 'Unknown client') }).code).toBe(
      'ERR_INVALID_CLIENT',
    )
    expect(tokenError({ ...base, body: 'not json' }).code).toBe('ERR_INVALID_GRANT')
  })

  it('reports clock skew when the Date header is off and the grant was refused', () => {
    const error = tokenError({
      ...base,
      skewSeconds: -75,
      body: body('invalid_grant', 'iat is off our clock (MP-007)'),
    })
    expect(error.code).toBe('ERR_CLOCK_SKEW')
    expect(error.message).toContain('the local clock is 75 s behind Maskinporten')
  })

  it('marks 5xx and 429 retryable and nothing else', () => {
    expect(tokenError({ ...base, status: 503, body: undefined })).toMatchObject({
      code: 'ERR_SERVER',
      retryable: true,
    })
    expect(tokenError({ ...base, status: 429, body: undefined })).toMatchObject({
      code: 'ERR_SERVER',
      retryable: true,
    })
    expect(tokenError({ ...base, body: body('invalid_grant', 'no') }).retryable).toBe(false)
  })

  it('scrubs national identity numbers and tokens from what the server said', () => {
    const pid = createSyntheticGenerator({ seed: 'errors' }).nationalId()
    const error = tokenError({
      ...base,
      body: body(
        'invalid_grant',
        `pid ${pid} not allowed; assertion=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln`,
      ),
    })
    expect(error.message).not.toContain(pid)
    expect(error.message).not.toContain('eyJzdWIiOiJ4In0')
    expect(JSON.stringify(error)).not.toContain(pid)
  })
})
