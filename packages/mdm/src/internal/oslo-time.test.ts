import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { osloLocalToIso } from './oslo-time.js'

// Norwegian local time as Jamf School writes it ("YYYY-MM-DD HH:MM:SS"), straight from Intl.
const local = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})
const toLocal = (ms: number): string => local.format(new Date(ms)).replace('T', ' ')

const TRANSITIONS = [
  '2025-03-30T01:00:00Z',
  '2025-10-26T01:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
].map(Date.parse)

describe('osloLocalToIso', () => {
  it('property: reads back every Oslo wall-clock time, also around the summer-time changes', () => {
    const instant = fc.oneof(
      fc.integer({
        min: Date.parse('2000-01-01T00:00:00Z') / 1000,
        max: Date.parse('2040-01-01T00:00:00Z') / 1000,
      }),
      fc
        .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -4 * 3600, max: 4 * 3600 }))
        .map(([t, d]) => t / 1000 + d),
    )
    fc.assert(
      fc.property(instant, (seconds) => {
        const text = toLocal(seconds * 1000)
        const iso = osloLocalToIso(text)
        expect(iso).not.toBeNull()
        // The autumn hour happens twice; either reading names the same wall-clock time.
        expect(toLocal(Date.parse(iso as string))).toBe(text)
      }),
      { numRuns: 3000 },
    )
  })

  it('reads winter and summer times with their own offsets', () => {
    expect(osloLocalToIso('2026-01-15 09:30:00')).toBe('2026-01-15T08:30:00.000Z')
    expect(osloLocalToIso('2026-07-15 09:30:00')).toBe('2026-07-15T07:30:00.000Z')
    expect(osloLocalToIso('not a time')).toBeNull()
  })
})
