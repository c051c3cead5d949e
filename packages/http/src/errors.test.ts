import { describe, expect, it } from 'vitest'
import { HttpError, isHttpError } from './errors.js'

describe('HttpError', () => {
  it('has a literal name, a closed code, defaults per code, and a redacted URL', () => {
    const error = new HttpError('ERR_TIMEOUT', { method: 'GET', url: 'https://api.example.no/x?token=abc' })
    expect(error.name).toBe('HttpError')
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(error.retryable).toBe(true)
    expect(error.requestSent).toBe('unknown')
    expect(error.attempts).toBe(1)
    expect(error.url).toBe('https://api.example.no/x?token=***')
    expect(error.message).toBe('GET https://api.example.no/x?token=*** timed out')
    expect(error).toBeInstanceOf(Error)
  })

  it('captures the first request id header present, in order of preference', () => {
    const headers = new Headers({ 'client-request-id': 'c-1', 'request-id': 'r-1' })
    const error = new HttpError('ERR_HTTP_STATUS', {
      method: 'GET',
      url: 'https://a.no',
      status: 500,
      headers,
    })
    expect(error.requestId).toBe('r-1')
    expect(error.requestIds).toEqual({ 'request-id': 'r-1', 'client-request-id': 'c-1' })
    expect(error.requestSent).toBe('yes')
  })

  it('is recognised by isHttpError across copies, and lookalikes are not', () => {
    const copy = Object.assign(new Error('x'), { name: 'HttpError', code: 'ERR_NETWORK' })
    expect(isHttpError(copy)).toBe(true)
    expect(isHttpError(Object.assign(new Error('x'), { name: 'HttpError', code: 'ERR_OTHER' }))).toBe(false)
    expect(isHttpError({ name: 'HttpError', code: 'ERR_NETWORK' })).toBe(false)
    expect(isHttpError(new TypeError('fetch failed'))).toBe(false)
  })
})
