import { describe, expect, it } from 'vitest'
import { DocumentError, isDocumentError } from './index.js'

describe('isDocumentError', () => {
  it('recognises the error by name and code, also from another copy of the package', () => {
    const error = new DocumentError('ERR_INVALID_INPUT', 'Invalid letter: title must not be empty', {
      field: 'title',
    })
    expect(isDocumentError(error)).toBe(true)
    expect(error.name).toBe('DocumentError')
    expect(error.field).toBe('title')
    const lookalike = Object.assign(new Error('x'), {
      name: 'DocumentError',
      code: 'ERR_UNSUPPORTED_CHARACTER',
    })
    expect(isDocumentError(lookalike)).toBe(true)
  })

  it('rejects other errors and unknown codes', () => {
    expect(isDocumentError(new Error('x'))).toBe(false)
    expect(isDocumentError(Object.assign(new Error('x'), { name: 'DocumentError', code: 'ERR_OTHER' }))).toBe(
      false,
    )
    expect(isDocumentError({ name: 'DocumentError', code: 'ERR_INVALID_INPUT' })).toBe(false)
    expect(isDocumentError(undefined)).toBe(false)
  })

  it('keeps the cause', () => {
    const cause = new Error('inner')
    expect(new DocumentError('ERR_INVALID_INPUT', 'm', { field: 'f', cause }).cause).toBe(cause)
  })
})
