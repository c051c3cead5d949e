import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { add, decidedByggesak, newByggesak } from '../test/support/fixtures.js'
import { byggesak, skjenkebevilling } from './examples.js'
import {
  addDays,
  addDuration,
  addWorkingDays,
  appealDeadline,
  type Case,
  caseDeadlines,
  computeDueDate,
  daysLeft,
  easterSunday,
  isOverdue,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayOnOrAfter,
  norwegianPublicHolidays,
  osloDate,
  osloEndOfDay,
  parseDuration,
  workingDaysBetween,
} from './index.js'

describe('Norwegian public holidays', () => {
  it.each([
    [2000, '2000-04-23'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date)
  })

  it('lists the twelve holidays of 2025, Easter-based ones included', () => {
    expect(norwegianPublicHolidays(2025).map((h) => h.date)).toEqual([
      '2025-01-01',
      '2025-04-17',
      '2025-04-18',
      '2025-04-20',
      '2025-04-21',
      '2025-05-01',
      '2025-05-17',
      '2025-05-29',
      '2025-06-08',
      '2025-06-09',
      '2025-12-25',
      '2025-12-26',
    ])
    for (const h of norwegianPublicHolidays(2025)) expect(h.name.nb && h.name.nn && h.name.en).toBeTruthy()
  })

  it('knows Christmas Eve and New Year’s Eve are not public holidays, but can be closed days', () => {
    expect(isPublicHoliday('2025-12-24')).toBe(false)
    expect(isWorkingDay('2025-12-24')).toBe(true)
    expect(isWorkingDay('2025-12-24', { closedDays: ['2025-12-24'] })).toBe(false)
    expect(isPublicHoliday('2025-12-31')).toBe(false)
  })

  it('counts working days across Easter', () => {
    expect(addWorkingDays('2025-04-16', 1)).toBe('2025-04-22')
    expect(addWorkingDays('2025-04-16', 2)).toBe('2025-04-23')
    expect(workingDaysBetween('2025-04-14', '2025-04-28')).toBe(7)
    expect(addWorkingDays('2024-03-27', 1)).toBe('2024-04-02')
  })

  it('counts working days across 17 May and Whitsun', () => {
    // 17 May 2024 is a Friday, Whit Monday is 20 May.
    expect(addWorkingDays('2024-05-16', 1)).toBe('2024-05-21')
    expect(isWorkingDay('2024-05-17')).toBe(false)
    expect(nextWorkingDayOnOrAfter('2025-05-17')).toBe('2025-05-19')
  })

  it('counts working days across Christmas and the year end', () => {
    expect(workingDaysBetween('2025-12-22', '2025-12-29')).toBe(3)
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-02')
    expect(addWorkingDays('2025-12-23', 3, { closedDays: ['2025-12-24', '2025-12-31'] })).toBe('2026-01-02')
  })

  it('uses the Europe/Oslo calendar day, across DST and the year end', () => {
    expect(osloDate('2024-12-31T23:30:00Z')).toBe('2025-01-01')
    expect(osloDate('2024-12-31T22:59:59.999Z')).toBe('2024-12-31')
    expect(osloDate('2025-03-31T22:30:00Z')).toBe('2025-04-01')
    expect(osloDate('2025-03-31T21:59:59Z')).toBe('2025-03-31')
    expect(osloEndOfDay('2025-05-16')).toBe('2025-05-16T21:59:59.999Z')
    expect(osloEndOfDay('2025-01-15')).toBe('2025-01-15T22:59:59.999Z')
    // The day summer time starts has 23 hours, the day it ends 25.
    expect(osloEndOfDay('2025-03-30')).toBe('2025-03-30T21:59:59.999Z')
    expect(osloEndOfDay('2025-10-26')).toBe('2025-10-26T22:59:59.999Z')
  })
})

describe('ISO-8601 durations', () => {
  it('parses date-based durations and refuses the rest', () => {
    expect(parseDuration('P12W')).toEqual({ years: 0, months: 0, weeks: 12, days: 0 })
    expect(parseDuration('P1Y2M3W4D')).toEqual({ years: 1, months: 2, weeks: 3, days: 4 })
    for (const bad of ['P', 'PT48H', 'P1.5D', '-P1D', 'P1DT1H', '12W', 'P99999D', '']) {
      expect(parseDuration(bad)).toBeUndefined()
    }
  })

  it('adds months with end-of-month clamping and across year ends', () => {
    expect(addDuration('2025-01-31', 'P1M')).toBe('2025-02-28')
    expect(addDuration('2024-01-31', 'P1M')).toBe('2024-02-29')
    expect(addDuration('2025-11-30', 'P3M')).toBe('2026-02-28')
    expect(addDuration('2025-12-11', 'P3W')).toBe('2026-01-01')
    expect(() => addDuration('2025-01-01', 'P1M', 'working-days')).toThrow(RangeError)
  })
})

describe('processing deadlines', () => {
  const rule12 = { duration: 'P12W', counting: 'calendar-days' } as const
  const rule3 = { duration: 'P3W', counting: 'calendar-days' } as const
  const none = { suspended: [], extensions: [] }

  it('12 weeks for an ordinary building application (pbl. § 21-7)', () => {
    expect(computeDueDate('2025-03-03', rule12, none).due).toBe('2025-05-26')
  })

  it('3 weeks for a simple one', () => {
    expect(computeDueDate('2025-03-03', rule3, none).due).toBe('2025-03-24')
  })

  it('moves a deadline ending on Easter Monday to the next working day', () => {
    expect(computeDueDate('2025-03-31', rule3, none).due).toBe('2025-04-22')
    expect(computeDueDate('2024-01-08', rule12, none).due).toBe('2024-04-02')
    expect(computeDueDate('2025-03-31', { ...rule3, rollForward: false }, none).due).toBe('2025-04-21')
  })

  it('moves a deadline ending at Christmas, on 17 May or on New Year’s Day', () => {
    expect(computeDueDate('2025-12-04', rule3, none).due).toBe('2025-12-29')
    expect(computeDueDate('2025-04-26', rule3, none).due).toBe('2025-05-19')
    expect(computeDueDate('2025-12-11', rule3, none).due).toBe('2026-01-02')
  })

  it('suspensions stop the clock and extensions add to it', () => {
    const suspended = [{ from: '2025-03-10', to: '2025-03-17' }]
    expect(computeDueDate('2025-03-03', rule12, { suspended, extensions: [] })).toEqual({
      due: '2025-06-02',
      suspendedDays: 7,
    })
    // P2W lands on Whit Monday 2025, which rolls to Tuesday.
    expect(computeDueDate('2025-03-03', rule12, { suspended: [], extensions: ['P2W'] }).due).toBe(
      '2025-06-10',
    )
  })

  it('counts a working-day service norm across Christmas and the year end', () => {
    const norm = { duration: 'P10D', counting: 'working-days' } as const
    expect(computeDueDate('2025-12-15', norm, none).due).toBe('2025-12-31')
    expect(computeDueDate('2025-12-15', norm, none, { closedDays: ['2025-12-24', '2025-12-31'] }).due).toBe(
      '2026-01-05',
    )
    // A suspension in working days: 22 Dec to 29 Dec holds three working days.
    expect(
      computeDueDate('2025-12-15', norm, {
        suspended: [{ from: '2025-12-22', to: '2025-12-29' }],
        extensions: [],
      }),
    ).toEqual({
      due: '2026-01-06',
      suspendedDays: 3,
    })
  })

  it('computes a case’s deadlines from its events, with an explicit "now"', () => {
    const c = decidedByggesak()
    const d = caseDeadlines(c, byggesak, { asOf: '2025-04-15T12:00:00Z' })
    expect(d.legal).toMatchObject({
      start: '2025-03-03',
      due: '2025-06-02',
      suspendedDays: 7,
      state: 'met',
      overdue: false,
    })
    expect(d.legal?.dueAt).toBe('2025-06-02T21:59:59.999Z')
    expect(d.serviceNorm).toMatchObject({ due: '2025-05-05', state: 'met' })
    // Notified 11 April: three weeks is 2 May.
    expect(d.appeal).toMatchObject({
      start: '2025-04-11',
      due: '2025-05-02',
      open: true,
      daysLeft: 17,
      legalBasis: 'fvl. § 29',
    })
    const later = caseDeadlines(c, byggesak, { asOf: '2025-05-02T21:59:59Z' })
    expect(later.appeal?.open).toBe(true)
    expect(caseDeadlines(c, byggesak, { asOf: '2025-05-02T22:00:00Z' }).appeal?.open).toBe(false)
  })

  it('reports running, suspended and overdue deadlines and days left', () => {
    let c: Case = add(newByggesak(), {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2025-03-03T08:00:00+01:00',
    })
    expect(caseDeadlines(c, byggesak, { asOf: '2025-05-20T12:00:00Z' }).legal).toMatchObject({
      due: '2025-05-26',
      state: 'running',
      daysLeft: 6,
    })
    expect(caseDeadlines(c, byggesak, { asOf: '2025-05-27T12:00:00Z' }).legal).toMatchObject({
      state: 'overdue',
      overdue: true,
      daysLeft: -1,
    })
    c = add(c, { type: 'suspend', at: '2025-03-10T10:00:00+01:00', reason: 'Venter på uttale' })
    // Suspended for 10 days as of 20 March; the due date moves as long as it lasts.
    expect(caseDeadlines(c, byggesak, { asOf: '2025-03-20T12:00:00+01:00' }).legal).toMatchObject({
      state: 'suspended',
      suspendedDays: 10,
      due: '2025-06-05',
    })
  })

  it('knows the Oslo date a deadline starts at the year end', () => {
    const c = add(newByggesak({ track: 'simple', startedAt: '2024-12-31T20:00:00Z' }), {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2024-12-31T23:30:00Z',
    })
    expect(caseDeadlines(c, byggesak, { asOf: '2025-01-02T08:00:00Z' }).legal).toMatchObject({
      start: '2025-01-01',
      due: '2025-01-22',
    })
  })

  it('computes service norms in working days for a serving licence', () => {
    const c = add(
      newByggesak({ caseTypeId: 'skjenkebevilling', track: 'enkeltanledning' }),
      { type: 'status', statusType: 'mottatt', lifecycle: 'received', at: '2025-12-15T09:00:00+01:00' },
      { caseType: skjenkebevilling },
    )
    const d = caseDeadlines(c, skjenkebevilling, {
      asOf: '2025-12-20T09:00:00+01:00',
      closedDays: ['2025-12-24', '2025-12-31'],
    })
    expect(d.legal).toBeUndefined()
    expect(d.serviceNorm).toMatchObject({ due: '2026-01-05', state: 'running' })
  })
})

describe('appeal deadline (fvl. § 29)', () => {
  it.each([
    ['an ordinary day', '2025-02-03T10:00:00+01:00', '2025-02-24'],
    ['Easter', '2025-03-31T10:00:00+02:00', '2025-04-22'],
    ['Christmas', '2025-12-04T10:00:00+01:00', '2025-12-29'],
    ['17 May', '2025-04-26T10:00:00+02:00', '2025-05-19'],
    ['the year end', '2025-12-11T10:00:00+01:00', '2026-01-02'],
    ['a notice arriving after midnight in Oslo', '2025-12-10T23:30:00Z', '2026-01-02'],
  ])('three weeks from notification across %s', (_what, notifiedAt, due) => {
    expect(appealDeadline(notifiedAt)).toBe(due)
  })

  it('days left and overdue use the Oslo date', () => {
    expect(daysLeft('2025-05-26', '2025-05-20T12:00:00Z')).toBe(6)
    expect(daysLeft('2025-05-26', '2025-05-26')).toBe(0)
    expect(isOverdue('2025-05-26', '2025-05-26T21:59:59Z')).toBe(false)
    expect(isOverdue('2025-05-26', '2025-05-26T22:00:00Z')).toBe(true)
  })
})

describe('deadline properties', () => {
  const date = fc
    .integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 11, 31) })
    .map((ms) => new Date(ms).toISOString().slice(0, 10))
  const rule = fc
    .record({
      duration: fc.constantFrom('P3W', 'P12W', 'P10D', 'P1M', 'P4W'),
      counting: fc.constantFrom('calendar-days' as const, 'working-days' as const),
    })
    .filter((r) => !(r.counting === 'working-days' && r.duration === 'P1M'))

  it('a due date is a working day, on or after the plain sum, at most a week later', () => {
    fc.assert(
      fc.property(date, rule, (start, r) => {
        const { due } = computeDueDate(start, r, { suspended: [], extensions: [] })
        const plain = addDuration(start, r.duration, r.counting)
        expect(isWorkingDay(due)).toBe(true)
        expect(due >= plain).toBe(true)
        expect(due <= addDays(plain, 7)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })

  it('suspensions and extensions never bring a deadline forward', () => {
    fc.assert(
      fc.property(
        date,
        rule,
        fc.nat({ max: 60 }),
        fc.nat({ max: 30 }),
        fc.constantFrom('P1W', 'P5D'),
        (start, r, offset, length, ext) => {
          const base = computeDueDate(start, r, { suspended: [], extensions: [] }).due
          const from = addDays(start, offset)
          const suspended = computeDueDate(start, r, {
            suspended: [{ from, to: addDays(from, length) }],
            extensions: [],
          })
          expect(suspended.due >= base).toBe(true)
          expect(suspended.suspendedDays).toBeLessThanOrEqual(length)
          expect(computeDueDate(start, r, { suspended: [], extensions: [ext] }).due >= base).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('the appeal deadline is 21 to 26 days after the Oslo date of notification, on a working day', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 11, 31) }), (ms) => {
        const notified = new Date(ms).toISOString()
        const due = appealDeadline(notified)
        const days = daysLeft(due, osloDate(notified))
        expect(days).toBeGreaterThanOrEqual(21)
        expect(days).toBeLessThanOrEqual(26)
        expect(isWorkingDay(due)).toBe(true)
      }),
      { numRuns: 300 },
    )
  })
})
