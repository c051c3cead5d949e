import { describe, expect, it } from 'vitest'
import { clearCookie, cookieNamesWithPrefix, readCookie, serializeCookie } from './cookies.js'

describe('cookies', () => {
  it('reads one cookie exactly by name', () => {
    const header = 'a=1; felles-session=abc; felles-session-tx.x=2; b="q"'
    expect(readCookie(header, 'felles-session')).toBe('abc')
    expect(readCookie(header, 'b')).toBe('q')
    expect(readCookie(header, 'felles')).toBeUndefined()
    expect(readCookie(undefined, 'a')).toBeUndefined()
    expect(cookieNamesWithPrefix(header, 'felles-session-tx.')).toEqual(['felles-session-tx.x'])
  })

  it('serialises with HttpOnly, SameSite=Lax, Path=/ and Secure when asked', () => {
    expect(serializeCookie('__Host-s', 'v', { secure: true })).toBe(
      '__Host-s=v; Path=/; HttpOnly; SameSite=Lax; Secure',
    )
    expect(serializeCookie('s', 'v', { secure: false, maxAge: 60 })).toBe(
      's=v; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    )
    expect(clearCookie('s', { secure: false })).toContain('Max-Age=0')
  })
})
