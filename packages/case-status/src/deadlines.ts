import { addDuration, type IsoDuration, parseDuration } from './duration.js'
import {
  addWorkingDays,
  nextWorkingDayOnOrAfter,
  type WorkingDayOptions,
  workingDaysBetween,
} from './holidays.js'
import type { Case, CaseType, DeadlineRule, Track } from './schemas.js'
import {
  addDays,
  daysBetween,
  epochMs,
  type Instant,
  osloDate,
  osloEndOfDay,
  type PlainDate,
} from './time.js'

const LAST_DAY = '2999-12-31'

/** The time all deadline computations are made at: always explicit, never the clock. */
export interface DeadlineOptions extends WorkingDayOptions {
  /** The moment "now" for this computation. */
  readonly asOf: Instant
}

/**
 * Where a processing deadline stands.
 *
 * - `running`: the clock runs and the due date has not passed.
 * - `suspended`: the clock stands still (the due date shown assumes it resumes at `asOf`).
 * - `overdue`: not decided and the due date has passed.
 * - `met` / `missed`: decided on or before / after the due date.
 * - `stopped`: withdrawn or cancelled before a decision.
 */
export type DeadlineState = 'running' | 'suspended' | 'overdue' | 'met' | 'missed' | 'stopped'

/** A computed processing deadline (legal deadline or service norm). */
export interface DeadlineInfo {
  /** Which deadline. */
  readonly kind: 'legal' | 'serviceNorm'
  /** The rule it comes from. */
  readonly rule: DeadlineRule
  /** The day the clock started (the Oslo date the case was received). */
  readonly start: PlainDate
  /** The last day (Europe/Oslo). */
  readonly due: PlainDate
  /** The last millisecond of `due` in Oslo, as a UTC instant. */
  readonly dueAt: Instant
  /** Days added for suspensions (calendar or working days, as the rule counts). */
  readonly suspendedDays: number
  /** Extensions added, in order. */
  readonly extensions: readonly IsoDuration[]
  /** Where it stands at `asOf`. */
  readonly state: DeadlineState
  /** Calendar days from `asOf` (Oslo date) to `due`; negative once past. */
  readonly daysLeft: number
  /** `true` when state is `overdue`. */
  readonly overdue: boolean
  /** The Oslo date of the first decision, when decided. */
  readonly decidedOn?: PlainDate | undefined
}

/** A computed appeal deadline. */
export interface AppealDeadlineInfo {
  /** The Oslo date notice of the decision reached the party. */
  readonly start: PlainDate
  /** The last day to appeal (Europe/Oslo). */
  readonly due: PlainDate
  /** The last millisecond of `due` in Oslo. */
  readonly dueAt: Instant
  /** Whether an appeal is still in time at `asOf`. */
  readonly open: boolean
  /** Calendar days from `asOf` to `due`; negative once past. */
  readonly daysLeft: number
  /** The legal basis, for example `fvl. § 29`. */
  readonly legalBasis: string
}

/** Every deadline of a case. */
export interface CaseDeadlines {
  /** The legal deadline (saksbehandlingsfrist), when the track has one and the case was received. */
  readonly legal?: DeadlineInfo | undefined
  /** The service norm, when the track has one and the case was received. */
  readonly serviceNorm?: DeadlineInfo | undefined
  /** The appeal deadline, when the case type has an appeal rule and the result was notified. */
  readonly appeal?: AppealDeadlineInfo | undefined
}

/** A suspension as Oslo dates, `from ≤ d < to`. */
export interface SuspendedPeriod {
  readonly from: PlainDate
  readonly to: PlainDate
}

/**
 * Computes a due date: the rule's duration from `start`, then each extension,
 * then the suspended days (the clock stood still), then — unless the rule
 * says `rollForward: false` — moved to the next working day if it is not one.
 *
 * @param start - The day the clock started (not counted itself).
 * @param rule - The deadline rule.
 * @param adjustments - Suspended periods and extensions.
 * @param options - Extra closed days.
 * @returns The due date and the days added for suspensions.
 * @throws RangeError when the deadline would fall after 2999-12-31.
 * @example
 * ```ts
 * computeDueDate('2025-03-03', { duration: 'P12W', counting: 'calendar-days' }, { suspended: [], extensions: [] })
 * // { due: '2025-05-26', suspendedDays: 0 }
 * ```
 */
export function computeDueDate(
  start: PlainDate,
  rule: DeadlineRule,
  adjustments: {
    readonly suspended: readonly SuspendedPeriod[]
    readonly extensions: readonly IsoDuration[]
  },
  options?: WorkingDayOptions,
): { due: PlainDate; suspendedDays: number } {
  let due = addDuration(start, rule.duration, rule.counting, options)
  for (const extension of adjustments.extensions) {
    const parts = parseDuration(extension)
    const counting =
      rule.counting === 'working-days' && parts && (parts.years > 0 || parts.months > 0)
        ? 'calendar-days'
        : rule.counting
    due = addDuration(due, extension, counting, options)
    // Bounded work whatever the extensions: stop before the calendar runs out.
    if (due > LAST_DAY) throw new RangeError('The deadline falls after 2999-12-31')
  }
  let suspendedDays = 0
  for (const period of adjustments.suspended) {
    if (period.to <= period.from) continue
    suspendedDays +=
      rule.counting === 'working-days'
        ? workingDaysBetween(period.from, period.to, options)
        : daysBetween(period.from, period.to)
  }
  due =
    rule.counting === 'working-days'
      ? addWorkingDays(due, suspendedDays, options)
      : addDays(due, suspendedDays)
  if (rule.rollForward !== false) due = nextWorkingDayOnOrAfter(due, options)
  return { due, suspendedDays }
}

/**
 * The appeal deadline: by default three weeks from the Oslo date notice of the
 * decision reached the party (forvaltningsloven § 29), moved to the next
 * working day when it ends on a weekend or public holiday.
 *
 * @param notifiedAt - When notice reached the party.
 * @param options - The period (default `P3W`), whether to roll forward (default `true`), closed days.
 * @returns The last day to appeal.
 * @see https://lovdata.no/lov/1967-02-10/§29
 * @example
 * ```ts
 * appealDeadline('2025-04-01T10:00:00+02:00') // '2025-04-22' (22 April: 21 April is Easter Monday)
 * ```
 */
export function appealDeadline(
  notifiedAt: Instant,
  options?: WorkingDayOptions & { readonly duration?: IsoDuration; readonly rollForward?: boolean },
): PlainDate {
  const due = addDuration(osloDate(notifiedAt), options?.duration ?? 'P3W', 'calendar-days')
  return options?.rollForward === false ? due : nextWorkingDayOnOrAfter(due, options)
}

/**
 * Calendar days from `asOf` (its Oslo date) to `due`: 0 on the last day,
 * negative once past.
 *
 * @param due - The due date.
 * @param asOf - Now, explicitly.
 * @returns Days left.
 * @example
 * ```ts
 * daysLeft('2025-05-26', '2025-05-20T12:00:00Z') // 6
 * ```
 */
export function daysLeft(due: PlainDate, asOf: Instant | PlainDate): number {
  const today = asOf.length === 10 ? asOf : osloDate(asOf)
  return daysBetween(today, due)
}

/**
 * Whether `asOf` (its Oslo date) is after the due date.
 *
 * @param due - The due date.
 * @param asOf - Now, explicitly.
 * @returns `true` once the due date has passed.
 * @example
 * ```ts
 * isOverdue('2025-05-26', '2025-05-26T21:59:59Z') // false: still 26 May in Oslo
 * ```
 */
export function isOverdue(due: PlainDate, asOf: Instant | PlainDate): boolean {
  return daysLeft(due, asOf) < 0
}

/**
 * The track of a case in its case type: the case's `track`, or the type's first.
 *
 * @param value - The case.
 * @param caseType - Its case type.
 * @returns The track.
 * @example
 * ```ts
 * trackOf(sak, byggesak).legalDeadline?.duration // 'P12W'
 * ```
 */
export function trackOf(value: Case, caseType: CaseType): Track {
  const track = caseType.tracks.find((t) => t.code === value.track) ?? caseType.tracks[0]
  if (!track) throw new RangeError('The case type has no track')
  return track
}

function receivedAt(value: Case): Instant | undefined {
  for (const event of value.events) {
    if (event.type === 'status' && event.lifecycle === 'received') return event.at
  }
  return undefined
}

function decidedAt(value: Case): Instant | undefined {
  for (const event of value.events) {
    if (event.type === 'status' && event.lifecycle === 'decided') return event.at
  }
  return undefined
}

/**
 * Computes the legal deadline, the service norm and the appeal deadline of a
 * case at a given moment. Suspensions stop the clock (counted in Oslo
 * calendar days, or working days where the rule counts them); extensions add
 * to it; an ongoing suspension counts up to `asOf`.
 *
 * @param value - The case.
 * @param caseType - Its case type.
 * @param options - `asOf` (required: no hidden clock) and closed days.
 * @returns The deadlines that apply.
 * @see https://lovdata.no/lov/2008-06-27-71/§21-7
 * @example
 * ```ts
 * const { legal } = caseDeadlines(sak, byggesak, { asOf: '2025-05-20T09:00:00Z' })
 * legal?.daysLeft
 * ```
 */
export function caseDeadlines(value: Case, caseType: CaseType, options: DeadlineOptions): CaseDeadlines {
  const asOfDate = osloDate(options.asOf)
  const asOfMs = epochMs(options.asOf)
  const track = trackOf(value, caseType)
  const received = receivedAt(value)
  const decided = decidedAt(value)
  const decidedOn = decided === undefined ? undefined : osloDate(decided)
  const suspended: SuspendedPeriod[] = value.suspensions.map((s) => {
    const from = osloDate(s.from)
    const to = s.to !== undefined ? osloDate(s.to) : asOfMs > epochMs(s.from) ? asOfDate : from
    return { from, to }
  })
  const ongoing =
    value.suspensions.length > 0 && value.suspensions[value.suspensions.length - 1]?.to === undefined
  const extensions = value.extensions.map((e) => e.duration)

  const compute = (
    kind: 'legal' | 'serviceNorm',
    rule: DeadlineRule | undefined,
  ): DeadlineInfo | undefined => {
    if (!rule || received === undefined) return undefined
    const start = osloDate(received)
    const { due, suspendedDays } = computeDueDate(start, rule, { suspended, extensions }, options)
    let state: DeadlineState
    if (decidedOn !== undefined) state = decidedOn <= due ? 'met' : 'missed'
    else if (value.lifecycle === 'withdrawn' || value.lifecycle === 'cancelled') state = 'stopped'
    else if (ongoing) state = 'suspended'
    else state = asOfDate > due ? 'overdue' : 'running'
    return {
      kind,
      rule,
      start,
      due,
      dueAt: osloEndOfDay(due),
      suspendedDays,
      extensions,
      state,
      daysLeft: daysBetween(asOfDate, due),
      overdue: state === 'overdue',
      decidedOn,
    }
  }

  let appeal: AppealDeadlineInfo | undefined
  const result = value.result
  if (caseType.appeal && result && result.outcome !== 'withdrawn') {
    const start = result.notifiedAt === undefined ? undefined : osloDate(result.notifiedAt)
    const due =
      result.appealDeadline ??
      (result.notifiedAt === undefined
        ? undefined
        : appealDeadline(result.notifiedAt, { ...options, duration: caseType.appeal.duration }))
    if (due !== undefined) {
      appeal = {
        start: start ?? due,
        due,
        dueAt: osloEndOfDay(due),
        open: asOfDate <= due,
        daysLeft: daysBetween(asOfDate, due),
        legalBasis: caseType.appeal.legalBasis,
      }
    }
  }
  const deadlines: { -readonly [K in keyof CaseDeadlines]: CaseDeadlines[K] } = {}
  const legal = compute('legal', track.legalDeadline)
  const serviceNorm = compute('serviceNorm', track.serviceNorm)
  if (legal) deadlines.legal = legal
  if (serviceNorm) deadlines.serviceNorm = serviceNorm
  if (appeal) deadlines.appeal = appeal
  return deadlines
}
