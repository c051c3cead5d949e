import { z } from 'zod'

/**
 * A point in time as an ISO-8601 / RFC 3339 string with a UTC offset (`Z` or
 * `±hh:mm`) and at most millisecond precision, for example
 * `2025-03-14T09:30:00.125+01:00`, in the years 1900–2999. Values are kept
 * exactly as given; they are compared by the millisecond they denote.
 */
export type Instant = string

/** A calendar date `YYYY-MM-DD` in the years 1900–2999 (a day in Europe/Oslo unless said otherwise). */
export type PlainDate = string

const AT_MOST_MILLISECONDS = /^[^.]*(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/
// Years 1900–2999: the holiday and calendar rules are those of modern Norway.
const SUPPORTED_YEAR = /^(19|2\d)\d\d-/

/**
 * Zod schema for {@link Instant}: RFC 3339 date-time with offset, existing
 * calendar date, at most three fractional digits.
 *
 * @example
 * ```ts
 * Instant.parse('2025-03-14T09:30:00Z')
 * ```
 */
export const Instant: z.ZodType<Instant> = z.iso
  .datetime({ offset: true, error: 'Expected an ISO-8601 date-time with offset' })
  .regex(AT_MOST_MILLISECONDS, { error: 'At most millisecond precision is allowed' })
  .regex(SUPPORTED_YEAR, { error: 'Only the years 1900–2999 are supported' })

/**
 * Zod schema for {@link PlainDate}: an existing calendar date `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * PlainDate.parse('2025-05-17')
 * ```
 */
export const PlainDate: z.ZodType<PlainDate> = z.iso
  .date({ error: 'Expected a date YYYY-MM-DD' })
  .regex(SUPPORTED_YEAR, { error: 'Only the years 1900–2999 are supported' })

const MS_PER_DAY = 86_400_000

/**
 * The millisecond since the Unix epoch that an {@link Instant} denotes.
 *
 * @param instant - A valid instant.
 * @returns Epoch milliseconds.
 * @throws RangeError when the string is not a date-time.
 * @example
 * ```ts
 * epochMs('1970-01-01T00:00:01Z') // 1000
 * ```
 */
export function epochMs(instant: Instant): number {
  const ms = Date.parse(instant)
  if (Number.isNaN(ms)) throw new RangeError('Not an ISO-8601 date-time')
  return ms
}

/**
 * Converts a date to a day number (days since 1970-01-01), for arithmetic.
 *
 * @param date - A calendar date.
 * @returns The day number.
 * @example
 * ```ts
 * dayNumber('1970-01-02') // 1
 * ```
 */
export function dayNumber(date: PlainDate): number {
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  return Date.UTC(y, m - 1, d) / MS_PER_DAY
}

/**
 * Converts a day number back to a date.
 *
 * @param day - Days since 1970-01-01.
 * @returns The calendar date.
 * @example
 * ```ts
 * fromDayNumber(1) // '1970-01-02'
 * ```
 */
export function fromDayNumber(day: number): PlainDate {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10)
}

/**
 * Adds calendar days to a date.
 *
 * @param date - The start date.
 * @param days - Days to add (may be negative).
 * @returns The resulting date.
 * @example
 * ```ts
 * addDays('2024-02-28', 2) // '2024-03-01'
 * ```
 */
export function addDays(date: PlainDate, days: number): PlainDate {
  return fromDayNumber(dayNumber(date) + days)
}

/**
 * Calendar days from `from` to `to` (negative when `to` is earlier).
 *
 * @param from - The first date.
 * @param to - The second date.
 * @returns `to − from` in days.
 * @example
 * ```ts
 * daysBetween('2024-12-24', '2025-01-01') // 8
 * ```
 */
export function daysBetween(from: PlainDate, to: PlainDate): number {
  return dayNumber(to) - dayNumber(from)
}

/**
 * Day of the week, ISO numbering: 1 = Monday … 7 = Sunday.
 *
 * @param date - A calendar date.
 * @returns 1–7.
 * @example
 * ```ts
 * isoWeekday('2025-05-17') // 6 (a Saturday)
 * ```
 */
export function isoWeekday(date: PlainDate): number {
  // 1970-01-01 was a Thursday (4).
  const n = (((dayNumber(date) + 3) % 7) + 7) % 7
  return n + 1
}

const OSLO = 'Europe/Oslo'
let dateFormatter: Intl.DateTimeFormat | undefined
let offsetFormatter: Intl.DateTimeFormat | undefined

function osloParts(ms: number): { year: string; month: string; day: string } {
  dateFormatter ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: OSLO,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  let year = ''
  let month = ''
  let day = ''
  for (const part of dateFormatter.formatToParts(ms)) {
    if (part.type === 'year') year = part.value
    else if (part.type === 'month') month = part.value
    else if (part.type === 'day') day = part.value
  }
  return { year: year.padStart(4, '0'), month, day }
}

/**
 * The calendar date in Europe/Oslo at a given instant. `2025-03-31T22:30:00Z`
 * is already 1 April in Oslo (summer time, UTC+2).
 *
 * @param instant - An instant, or epoch milliseconds.
 * @returns The Oslo calendar date.
 * @example
 * ```ts
 * osloDate('2024-12-31T23:30:00Z') // '2025-01-01'
 * ```
 */
export function osloDate(instant: Instant | number): PlainDate {
  const ms = typeof instant === 'number' ? instant : epochMs(instant)
  const { year, month, day } = osloParts(ms)
  return `${year}-${month}-${day}`
}

/**
 * The UTC offset of Europe/Oslo at an instant, in minutes (60 in winter, 120 in summer).
 *
 * @param ms - Epoch milliseconds.
 * @returns Minutes east of UTC.
 * @example
 * ```ts
 * osloOffsetMinutes(Date.UTC(2025, 6, 1)) // 120
 * ```
 */
export function osloOffsetMinutes(ms: number): number {
  offsetFormatter ??= new Intl.DateTimeFormat('en-US', { timeZone: OSLO, timeZoneName: 'longOffset' })
  const name = offsetFormatter.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name)
  if (!match) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return match[1] === '-' ? -minutes : minutes
}

/**
 * The first millisecond of a calendar date in Europe/Oslo.
 *
 * @param date - The date.
 * @returns Epoch milliseconds of local midnight.
 * @example
 * ```ts
 * new Date(osloStartOfDay('2025-07-01')).toISOString() // '2025-06-30T22:00:00.000Z'
 * ```
 */
export function osloStartOfDay(date: PlainDate): number {
  const utcMidnight = dayNumber(date) * MS_PER_DAY
  let guess = utcMidnight - osloOffsetMinutes(utcMidnight) * 60_000
  const corrected = utcMidnight - osloOffsetMinutes(guess) * 60_000
  if (corrected !== guess) guess = corrected
  return guess
}

/**
 * The last millisecond of a calendar date in Europe/Oslo, as an instant in UTC.
 * Used as the moment a deadline on that date runs out.
 *
 * @param date - The date.
 * @returns An {@link Instant} such as `2025-05-16T21:59:59.999Z`.
 * @example
 * ```ts
 * osloEndOfDay('2025-05-16') // '2025-05-16T21:59:59.999Z'
 * ```
 */
export function osloEndOfDay(date: PlainDate): Instant {
  return new Date(osloStartOfDay(addDays(date, 1)) - 1).toISOString()
}
