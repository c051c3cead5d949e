import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeReturnTo } from './return-to.js'

describe('safeReturnTo', () => {
  it.each([
    '//evil',
    '/\\evil',
    'https://evil',
    '%2F%2Fevil',
    '/%2F/evil',
    '/%5Cevil',
    'javascript:alert(1)',
    '/ok\r\nSet-Cookie: a=b',
    '/ok\nx',
    '/a\tb',
    '\\\\evil',
    ' /x',
    'evil',
    '',
    `/${'a'.repeat(3000)}`,
  ])('falls back to / for %j (security case 39)', (value) => {
    expect(safeReturnTo(value)).toBe('/')
  })

  it('falls back for non-strings and uses a given fallback', () => {
    expect(safeReturnTo(undefined)).toBe('/')
    expect(safeReturnTo(42)).toBe('/')
    expect(safeReturnTo('//evil', '/start')).toBe('/start')
  })

  it.each(['/', '/saker', '/saker/1?tab=2', '/a#b', '/søknad'])('keeps the same-origin path %j', (value) => {
    expect(new URL(safeReturnTo(value), 'https://app.example').pathname).toBe(
      new URL(value, 'https://app.example').pathname,
    )
    expect(safeReturnTo(value).startsWith('/')).toBe(true)
  })

  it('never leaves the origin, whatever the input (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.webUrl(),
          fc.string().map((s) => `/${s}`),
          fc.string().map((s) => `//${s}`),
        ),
        (input) => {
          const out = safeReturnTo(input)
          expect(out.startsWith('/')).toBe(true)
          expect(out.startsWith('//')).toBe(false)
          expect(out.startsWith('/\\')).toBe(false)
          expect(new URL(out, 'https://app.example').origin).toBe('https://app.example')
          expect(/[\r\n]/.test(out)).toBe(false)
        },
      ),
      { numRuns: 2000 },
    )
  })
})
