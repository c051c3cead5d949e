import type { LocalizedText } from './text.js'
import { addDays, isoWeekday, type PlainDate } from './time.js'

/** A Norwegian public holiday (helligdag or offentlig høytidsdag). */
export interface PublicHoliday {
  /** The date. */
  readonly date: PlainDate
  /** Stable key, for example `easter-monday`. */
  readonly key: string
  /** Its name in nb, nn and en. */
  readonly name: LocalizedText
}

/**
 * Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm,
 * Meeus/Jones/Butcher).
 *
 * @param year - A year from 1583 on.
 * @returns The date of Easter Sunday.
 * @example
 * ```ts
 * easterSunday(2025) // '2025-04-20'
 * ```
 */
export function easterSunday(year: number): PlainDate {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) throw new RangeError('Year out of range')
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

const FIXED: readonly (readonly [string, string, LocalizedText])[] = [
  ['01-01', 'new-years-day', { nb: 'Første nyttårsdag', nn: 'Første nyttårsdag', en: "New Year's Day" }],
  ['05-01', 'labour-day', { nb: 'Første mai', nn: 'Første mai', en: 'Labour Day' }],
  ['05-17', 'constitution-day', { nb: 'Grunnlovsdagen', nn: 'Grunnlovsdagen', en: 'Constitution Day' }],
  ['12-25', 'christmas-day', { nb: 'Første juledag', nn: 'Første juledag', en: 'Christmas Day' }],
  ['12-26', 'boxing-day', { nb: 'Andre juledag', nn: 'Andre juledag', en: "St Stephen's Day" }],
]

const EASTER_BASED: readonly (readonly [number, string, LocalizedText])[] = [
  [-3, 'maundy-thursday', { nb: 'Skjærtorsdag', nn: 'Skjærtorsdag', en: 'Maundy Thursday' }],
  [-2, 'good-friday', { nb: 'Langfredag', nn: 'Langfredag', en: 'Good Friday' }],
  [0, 'easter-sunday', { nb: 'Første påskedag', nn: 'Første påskedag', en: 'Easter Sunday' }],
  [1, 'easter-monday', { nb: 'Andre påskedag', nn: 'Andre påskedag', en: 'Easter Monday' }],
  [39, 'ascension-day', { nb: 'Kristi himmelfartsdag', nn: 'Kristi himmelfartsdag', en: 'Ascension Day' }],
  [49, 'whit-sunday', { nb: 'Første pinsedag', nn: 'Første pinsedag', en: 'Whit Sunday' }],
  [50, 'whit-monday', { nb: 'Andre pinsedag', nn: 'Andre pinsedag', en: 'Whit Monday' }],
]

const cache = new Map<number, readonly PublicHoliday[]>()
const dateCache = new Map<number, ReadonlySet<PlainDate>>()

/**
 * Norway's public holidays in a year: the helligdager (New Year's Day, Maundy
 * Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday
 * and Monday, Christmas Day, St Stephen's Day) and the offentlige høytidsdager
 * 1 and 17 May. Christmas Eve and New Year's Eve are not public holidays; pass
 * them as `closedDays` to the working-day functions where an office is closed.
 *
 * @param year - The year (1583–9999).
 * @returns The holidays sorted by date.
 * @see https://lovdata.no/lov/1995-02-24-12
 * @example
 * ```ts
 * norwegianPublicHolidays(2025).map((h) => h.date).includes('2025-05-29') // true (Ascension Day)
 * ```
 */
export function norwegianPublicHolidays(year: number): readonly PublicHoliday[] {
  const cached = cache.get(year)
  if (cached) return cached
  const easter = easterSunday(year)
  const y = String(year).padStart(4, '0')
  const list: PublicHoliday[] = [
    ...FIXED.map(([md, key, name]) => ({ date: `${y}-${md}`, key, name })),
    ...EASTER_BASED.map(([offset, key, name]) => ({ date: addDays(easter, offset), key, name })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
  const frozen = Object.freeze(list.map((h) => Object.freeze(h)))
  cache.set(year, frozen)
  dateCache.set(year, new Set(frozen.map((h) => h.date)))
  return frozen
}

/**
 * Whether a date is a Norwegian public holiday.
 *
 * @param date - The date.
 * @returns `true` on a public holiday.
 * @example
 * ```ts
 * isPublicHoliday('2025-04-17') // true (Maundy Thursday)
 * ```
 */
export function isPublicHoliday(date: PlainDate): boolean {
  const year = Number(date.slice(0, 4))
  if (!dateCache.has(year)) norwegianPublicHolidays(year)
  return dateCache.get(year)?.has(date) ?? false
}

/** Options for the working-day functions. */
export interface WorkingDayOptions {
  /**
   * Extra dates on which the office is closed (for example `2025-12-24` and
   * `2025-12-31`), on top of weekends and public holidays.
   */
  readonly closedDays?: readonly PlainDate[] | undefined
}

/**
 * Whether a date is a working day: Monday–Friday, not a public holiday and not
 * one of `closedDays`.
 *
 * @param date - The date.
 * @param options - Extra closed days.
 * @returns `true` on a working day.
 * @example
 * ```ts
 * isWorkingDay('2025-05-17') // false
 * ```
 */
export function isWorkingDay(date: PlainDate, options?: WorkingDayOptions): boolean {
  if (isoWeekday(date) >= 6) return false
  if (isPublicHoliday(date)) return false
  return !(options?.closedDays?.includes(date) ?? false)
}

/**
 * Adds working days: the result is the `n`-th working day after `date`
 * (`date` itself is not counted). With `n = 0` the date is returned unchanged.
 *
 * @param date - The start date.
 * @param n - Working days to add (≥ 0, at most 100 000).
 * @param options - Extra closed days.
 * @returns The resulting date.
 * @example
 * ```ts
 * addWorkingDays('2025-04-16', 1) // '2025-04-22' (Easter in between)
 * ```
 */
export function addWorkingDays(date: PlainDate, n: number, options?: WorkingDayOptions): PlainDate {
  if (!Number.isInteger(n) || n < 0 || n > 100_000) throw new RangeError('Working days must be 0–100000')
  let current = date
  let left = n
  while (left > 0) {
    current = addDays(current, 1)
    if (isWorkingDay(current, options)) left--
  }
  return current
}

/**
 * Counts working days `d` with `from ≤ d < to`.
 *
 * @param from - The first date (inclusive).
 * @param to - The end date (exclusive).
 * @param options - Extra closed days.
 * @returns The number of working days (0 when `to ≤ from`).
 * @example
 * ```ts
 * workingDaysBetween('2025-12-22', '2025-12-29') // 3 (Christmas Day and St Stephen's Day are holidays)
 * ```
 */
export function workingDaysBetween(from: PlainDate, to: PlainDate, options?: WorkingDayOptions): number {
  let count = 0
  let current = from
  let guard = 0
  while (current < to && guard++ < 400_000) {
    if (isWorkingDay(current, options)) count++
    current = addDays(current, 1)
  }
  return count
}

/**
 * The date itself when it is a working day, otherwise the next working day.
 *
 * @param date - The date.
 * @param options - Extra closed days.
 * @returns A working day on or after `date`.
 * @example
 * ```ts
 * nextWorkingDayOnOrAfter('2025-05-17') // '2025-05-19'
 * ```
 */
export function nextWorkingDayOnOrAfter(date: PlainDate, options?: WorkingDayOptions): PlainDate {
  let current = date
  let guard = 0
  while (!isWorkingDay(current, options) && guard++ < 366) current = addDays(current, 1)
  return current
}
