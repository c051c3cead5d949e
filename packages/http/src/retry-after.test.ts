import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseHttpDate, serverRetryDelay } from './retry-after.js'

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0)

describe('parseHttpDate', () => {
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Sun Nov  6 08:49:37 1994', Date.UTC(1994, 10, 6, 8, 49, 37)],
    ['Wed, 21 Oct 2015 07:28:00 GMT', Date.UTC(2015, 9, 21, 7, 28, 0)],
  ])('reads %s', (text, expected) => {
    expect(parseHttpDate(text, NOW)).toBe(expected)
  })

  it.each([
    '',
    'tomorrow',
    '2026-06-01T12:00:00Z',
    'Sun, 31 Feb 2026 00:00:00 GMT',
    'Sun, 06 Nov 1994 25:00:00 GMT',
  ])('rejects %j', (text) => {
    expect(parseHttpDate(text, NOW)).toBeUndefined()
  })

  it('round-trips every IMF-fixdate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), (seconds) => {
        expect(parseHttpDate(new Date(seconds * 1000).toUTCString(), NOW)).toBe(seconds * 1000)
      }),
    )
  })
})

describe('serverRetryDelay', () => {
  const delay = (headers: Record<string, string>, rateLimitHeaders = true) =>
    serverRetryDelay(new Headers(headers), { now: NOW, rateLimitHeaders })

  it('reads Retry-After seconds', () => {
    expect(delay({ 'retry-after': '120' })).toBe(120_000)
    expect(delay({ 'retry-after': '0' })).toBe(0)
    expect(delay({ 'retry-after': ' 1.5 ' })).toBe(1_500)
  })

  it('reads a Retry-After date against the Date header, else the local clock', () => {
    const serverNow = NOW - 3_600_000 // the server's clock is an hour behind ours
    expect(
      delay({
        date: new Date(serverNow).toUTCString(),
        'retry-after': new Date(serverNow + 30_000).toUTCString(),
      }),
    ).toBe(30_000)
    expect(delay({ 'retry-after': new Date(NOW + 10_000).toUTCString() })).toBe(10_000)
    expect(delay({ 'retry-after': new Date(NOW - 10_000).toUTCString() })).toBe(0)
  })

  it('falls back to x-ratelimit-reset (delta, epoch seconds, epoch ms) and ratelimit-reset', () => {
    expect(delay({ 'x-ratelimit-reset': '7' })).toBe(7_000)
    expect(delay({ 'x-ratelimit-reset': String(NOW / 1000 + 60) })).toBe(60_000)
    expect(delay({ 'x-ratelimit-reset': String(NOW + 2_500) })).toBe(2_500)
    expect(delay({ 'ratelimit-reset': '4' })).toBe(4_000)
    expect(delay({ 'retry-after': '1', 'x-ratelimit-reset': '9' })).toBe(1_000)
    expect(delay({ 'x-ratelimit-reset': '7' }, false)).toBeUndefined()
  })

  it('ignores garbage', () => {
    expect(delay({ 'retry-after': 'soon' })).toBeUndefined()
    expect(delay({ 'retry-after': '-5' })).toBeUndefined()
    expect(delay({})).toBeUndefined()
  })
})
