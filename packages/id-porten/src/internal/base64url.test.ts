import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64url, encodeBase64url, randomTokens } from './base64url.js'

describe('base64url', () => {
  it('encodes and decodes as RFC 4648 §5 without padding (compared with Buffer)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase64url(bytes)
        expect(text).toBe(Buffer.from(bytes).toString('base64url'))
        expect(decodeBase64url(text)).toEqual(new Uint8Array(bytes))
      }),
      { numRuns: 300 },
    )
  })

  it('refuses characters outside the alphabet and impossible lengths', () => {
    expect(decodeBase64url('not base64url!')).toBeUndefined()
    expect(decodeBase64url('ab+c')).toBeUndefined()
    expect(decodeBase64url('ab/c')).toBeUndefined()
    expect(decodeBase64url('abc=')).toBeUndefined()
    expect(decodeBase64url('æøå0')).toBeUndefined()
    expect(decodeBase64url('abcde')).toBeUndefined()
    expect(decodeBase64url('')).toEqual(new Uint8Array(0))
  })

  it('draws tokens of the asked sizes with their own bytes', () => {
    const [a, b] = randomTokens(32, 24)
    expect(decodeBase64url(a ?? '')?.length).toBe(32)
    expect(decodeBase64url(b ?? '')?.length).toBe(24)
    expect(a?.slice(0, 32)).not.toBe(b?.slice(0, 32))
  })
})
