import { KNOWN_STATUSES, type KnownStatus } from './schemas.js'

/**
 * Where a letter stands, normalised over SvarUt's statuses:
 *
 * | phase | statuses | final |
 * | --- | --- | --- |
 * | `pending` | MOTTATT, AKSEPTERT, KLAR_FOR_MOTTAK | no |
 * | `delivered-digitally` | VARSLET, SENDT_SDP, SENDT_NHN_MOTTAKER | no |
 * | `delivered-digitally` | SENDT_DIGITALT, LEVERT_SDP, LEVERT_NHN_MOTTAKER | yes |
 * | `sent-to-print` | SENDT_PRINT | no |
 * | `printed` | PRINTET | yes |
 * | `read` | LEST | yes |
 * | `manually-handled` | MANUELT_HANDTERT | yes |
 * | `failed` | AVVIST, FEILET_UNDER_MOTTAK, IKKE_LEVERT | yes |
 * | `deleted` | SLETTET | yes |
 * | `unknown` | a status this version does not know (kept raw) | no |
 */
export type StatusPhase =
  | 'pending'
  | 'delivered-digitally'
  | 'sent-to-print'
  | 'printed'
  | 'read'
  | 'manually-handled'
  | 'failed'
  | 'deleted'
  | 'unknown'

/** A status string: one of the documented ones, or any other string kept as SvarUt sent it. */
export type ForsendelseStatusValue = KnownStatus | (string & {})

/** The normalised status of one letter. */
export interface StatusInfo {
  readonly id: string
  /** SvarUt's status, raw. */
  readonly status: ForsendelseStatusValue
  /** `false` when this version does not know the status (it is then kept raw, phase `unknown`). */
  readonly known: boolean
  readonly phase: StatusPhase
  /** No further change is expected; watching stops. */
  readonly final: boolean
  /** `sisteStatusEndring` as sent. */
  readonly changedAt: string
}

const PHASES: Record<KnownStatus, readonly [StatusPhase, boolean]> = {
  MOTTATT: ['pending', false],
  AKSEPTERT: ['pending', false],
  KLAR_FOR_MOTTAK: ['pending', false],
  VARSLET: ['delivered-digitally', false],
  SENDT_SDP: ['delivered-digitally', false],
  SENDT_NHN_MOTTAKER: ['delivered-digitally', false],
  SENDT_DIGITALT: ['delivered-digitally', true],
  LEVERT_SDP: ['delivered-digitally', true],
  LEVERT_NHN_MOTTAKER: ['delivered-digitally', true],
  SENDT_PRINT: ['sent-to-print', false],
  PRINTET: ['printed', true],
  LEST: ['read', true],
  MANUELT_HANDTERT: ['manually-handled', true],
  AVVIST: ['failed', true],
  FEILET_UNDER_MOTTAK: ['failed', true],
  IKKE_LEVERT: ['failed', true],
  SLETTET: ['deleted', true],
}

const KNOWN: ReadonlySet<string> = new Set(KNOWN_STATUSES)

/**
 * Whether a string is one of the documented v3 statuses.
 *
 * @param status - Any string.
 * @returns `true` for a documented status.
 * @example
 * ```ts
 * isKnownStatus('LEST') // true
 * ```
 */
export function isKnownStatus(status: string): status is KnownStatus {
  return KNOWN.has(status)
}

/**
 * Normalises one status: phase, final flag, and whether it is known.
 * Unknown values never throw: they are kept raw with phase `unknown`.
 *
 * @param id - The letter's id.
 * @param status - SvarUt's status string.
 * @param changedAt - `sisteStatusEndring`.
 * @returns The normalised status.
 * @example
 * ```ts
 * normaliseStatus(id, 'SENDT_PRINT', t).phase // 'sent-to-print'
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export function normaliseStatus(id: string, status: string, changedAt: string): StatusInfo {
  if (isKnownStatus(status)) {
    const [phase, final] = PHASES[status]
    return { id, status, known: true, phase, final, changedAt }
  }
  return { id, status, known: false, phase: 'unknown', final: false, changedAt }
}

const RANK: Record<StatusPhase, number> = {
  unknown: -1,
  pending: 0,
  'delivered-digitally': 1,
  'sent-to-print': 2,
  printed: 3,
  read: 3,
  'manually-handled': 3,
  deleted: 4,
  failed: 0,
}

/**
 * Whether moving from one status to another goes backwards: to an earlier
 * phase, out of a final status, or to a failure after delivery. SvarUt's
 * statuses are not strictly forward-only.
 *
 * @param previous - The status seen before.
 * @param current - The status seen now.
 * @returns `true` for a regression.
 * @example
 * ```ts
 * isRegression(normaliseStatus(id, 'VARSLET', a), normaliseStatus(id, 'IKKE_LEVERT', b)) // true
 * ```
 */
export function isRegression(previous: StatusInfo, current: StatusInfo): boolean {
  if (previous.status === current.status) return false
  if (current.phase === 'unknown' || previous.phase === 'unknown') return false
  if (previous.final && !current.final) return true
  if (current.phase === 'failed' && previous.phase !== 'pending' && previous.phase !== 'failed') return true
  return RANK[current.phase] < RANK[previous.phase]
}

/** One entry of a letter's merged timeline. */
export interface TimelineEntry {
  /** ISO time as SvarUt sent it. */
  readonly at: string
  readonly source: 'status' | 'hendelse' | 'signering'
  /** Event text (`hendelse`), or the status / signing status. */
  readonly text: string
  /** For `status` and `signering` entries: the status value. */
  readonly status?: string
}

/**
 * Merges the current status, `hendelser` and `signeringshendelser` into one
 * list ordered by time (stable for equal times).
 *
 * @param parts - What is known about the letter.
 * @returns The merged timeline, oldest first.
 * @example
 * ```ts
 * mergeTimeline({ status, hendelser: [{ tidspunkt, hendelse: 'Akseptert for ekspedering' }] })
 * ```
 */
export function mergeTimeline(parts: {
  readonly status?: StatusInfo
  readonly hendelser?: readonly { readonly tidspunkt: string; readonly hendelse: string }[]
  readonly signeringshendelser?: readonly {
    readonly tidspunkt: string
    readonly hendelse: string
    readonly status: string
  }[]
}): TimelineEntry[] {
  const entries: TimelineEntry[] = []
  for (const h of parts.hendelser ?? [])
    entries.push({ at: h.tidspunkt, source: 'hendelse', text: h.hendelse })
  for (const s of parts.signeringshendelser ?? []) {
    entries.push({ at: s.tidspunkt, source: 'signering', text: s.hendelse, status: s.status })
  }
  if (parts.status) {
    entries.push({
      at: parts.status.changedAt,
      source: 'status',
      text: parts.status.status,
      status: parts.status.status,
    })
  }
  const time = (e: TimelineEntry): number => {
    const t = Date.parse(e.at)
    return Number.isFinite(t) ? t : Number.POSITIVE_INFINITY
  }
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => time(a.e) - time(b.e) || a.i - b.i)
    .map(({ e }) => e)
}
