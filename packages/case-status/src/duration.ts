import { z } from 'zod'
import { addWorkingDays, type WorkingDayOptions } from './holidays.js'
import { addDays, dayNumber, fromDayNumber, type PlainDate } from './time.js'

/**
 * An ISO-8601 duration of whole days, weeks, months or years, such as `P12W`,
 * `P3W`, `P30D`, `P1M` or `P1Y2M10D`. Deadlines are counted in Europe/Oslo
 * calendar days, so durations with a time part (`PT48H`) are refused.
 */
export type IsoDuration = string

/** The parts of an {@link IsoDuration}. */
export interface DurationParts {
  readonly years: number
  readonly months: number
  readonly weeks: number
  readonly days: number
}

const DURATION = /^P(?!$)(?:(\d{1,4})Y)?(?:(\d{1,4})M)?(?:(\d{1,4})W)?(?:(\d{1,5})D)?$/

/**
 * Parses a date-based ISO-8601 duration.
 *
 * @param value - For example `P12W`.
 * @returns The parts, or `undefined` when the value is not a date-based duration
 *   (time parts, fractions and signs are not accepted) or is longer than 100 years.
 * @example
 * ```ts
 * parseDuration('P1Y2M3W4D') // { years: 1, months: 2, weeks: 3, days: 4 }
 * ```
 */
export function parseDuration(value: string): DurationParts | undefined {
  const match = DURATION.exec(value)
  if (!match) return undefined
  const parts = {
    years: Number(match[1] ?? 0),
    months: Number(match[2] ?? 0),
    weeks: Number(match[3] ?? 0),
    days: Number(match[4] ?? 0),
  }
  const approxDays = parts.years * 366 + parts.months * 31 + parts.weeks * 7 + parts.days
  if (approxDays > 36_600) return undefined
  return parts
}

/**
 * Zod schema for {@link IsoDuration}.
 *
 * @example
 * ```ts
 * IsoDuration.parse('P12W')
 * ```
 */
export const IsoDuration: z.ZodType<IsoDuration> = z
  .string()
  .max(32)
  .refine((v) => parseDuration(v) !== undefined, {
    error: 'Expected an ISO-8601 duration in whole years, months, weeks or days (for example P12W)',
  })

/** How a deadline is counted. */
export type Counting = 'calendar-days' | 'working-days'

function addMonths(date: PlainDate, months: number): PlainDate {
  if (months === 0) return date
  const y = Number(date.slice(0, 4))
  const m = Number(date.slice(5, 7)) - 1
  const d = Number(date.slice(8, 10))
  const total = y * 12 + m + months
  const ny = Math.floor(total / 12)
  const nm = total - ny * 12
  const lastDay = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate()
  return fromDayNumber(Date.UTC(ny, nm, Math.min(d, lastDay)) / 86_400_000)
}

/**
 * Adds a duration to a date. In `calendar-days` counting, years and months are
 * added first (the day is clamped to the month's last day: 31 January + P1M is
 * the last day of February), then weeks and days. In `working-days` counting a
 * week is five working days and years or months are refused.
 *
 * @param date - The start date (not counted itself).
 * @param duration - An {@link IsoDuration}.
 * @param counting - Calendar or working days. Default `calendar-days`.
 * @param options - Extra closed days for `working-days`.
 * @returns The resulting date.
 * @throws RangeError when the duration is not valid for the counting.
 * @example
 * ```ts
 * addDuration('2025-01-31', 'P1M') // '2025-02-28'
 * addDuration('2025-04-16', 'P2D', 'working-days') // '2025-04-23'
 * ```
 */
export function addDuration(
  date: PlainDate,
  duration: IsoDuration,
  counting: Counting = 'calendar-days',
  options?: WorkingDayOptions,
): PlainDate {
  const parts = parseDuration(duration)
  if (!parts) throw new RangeError('Not a date-based ISO-8601 duration')
  if (counting === 'working-days') {
    if (parts.years !== 0 || parts.months !== 0) {
      throw new RangeError('Working-day durations are counted in weeks and days only')
    }
    return addWorkingDays(date, parts.weeks * 5 + parts.days, options)
  }
  const shifted = addMonths(date, parts.years * 12 + parts.months)
  return addDays(shifted, parts.weeks * 7 + parts.days)
}

/**
 * The number of days a duration spans from a given date (calendar counting).
 *
 * @param date - The start date.
 * @param duration - An {@link IsoDuration}.
 * @returns Days.
 * @example
 * ```ts
 * durationDays('2024-02-01', 'P1M') // 29
 * ```
 */
export function durationDays(date: PlainDate, duration: IsoDuration): number {
  return dayNumber(addDuration(date, duration)) - dayNumber(date)
}
