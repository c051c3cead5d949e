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

  it('never hands out the same bytes twice, across refills of its batch of random bytes', () => {
    // 56 bytes a login (session id and CSRF token); 400 logins span several 4 KiB batches.
    const seen = new Set<string>()
    for (let i = 0; i < 400; i++) {
      const [id, csrf] = randomTokens(32, 24)
      const idBytes = decodeBase64url(id ?? '')
      const csrfBytes = decodeBase64url(csrf ?? '')
      expect(idBytes?.length).toBe(32)
      expect(csrfBytes?.length).toBe(24)
      // A wiped (all-zero) slice would show that bytes were cleared before they were used.
      expect(idBytes?.some((byte) => byte !== 0)).toBe(true)
      seen.add(id ?? '')
      seen.add(csrf ?? '')
    }
    expect(seen.size).toBe(800)
  })

  it('draws more than one batch at once, and refuses impossible sizes', () => {
    const [big, small] = randomTokens(5000, 8)
    expect(decodeBase64url(big ?? '')?.length).toBe(5000)
    expect(decodeBase64url(small ?? '')?.length).toBe(8)
    expect(randomTokens(0)).toEqual([''])
    expect(() => randomTokens(-1)).toThrow(RangeError)
    expect(() => randomTokens(1.5)).toThrow(RangeError)
  })
})
