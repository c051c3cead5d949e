import { type CaseDeadlines, caseDeadlines, type DeadlineState } from './deadlines.js'
import type { WorkingDayOptions } from './holidays.js'
import type { Lifecycle } from './lifecycle.js'
import type { Journalposttype } from './noark/codes.js'
import {
  type Case,
  type CaseType,
  type DocumentRef,
  ORGANISATION_URN_PREFIX,
  type PartyRole,
  type ResultOutcome,
  type Screening,
  type StatusEvent,
  type StatusEventType,
  type StatusType,
} from './schemas.js'
import { type Language, textIn } from './text.js'
import { type Instant, osloDate, type PlainDate } from './time.js'

/** Options for {@link citizenView}. */
export interface CitizenViewOptions extends WorkingDayOptions {
  /** The case's type: status texts come from it. */
  readonly caseType: CaseType
  /**
   * Now, explicitly. With it, deadlines are included and screenings that have
   * ended (`until` before this date) no longer apply; without it, every
   * screening applies and no deadlines are computed.
   */
  readonly asOf?: Instant | undefined
}

/** A status as the citizen sees it. */
export interface CitizenStatus {
  readonly code: string
  readonly lifecycle: Lifecycle
  readonly label: string
  readonly text: string
  /** The citizen must do something. */
  readonly mustAct: boolean
  /** Since when. */
  readonly since: Instant
}

/** A document as the citizen sees it. */
export interface CitizenDocument {
  readonly id: string
  /** The title, or the public title where it is screened. */
  readonly title: string
  readonly journalpostType: Journalposttype
  readonly registeredAt?: Instant | undefined
  /** Absent when the document is screened whole. */
  readonly url?: string | undefined
  readonly mimeType?: string | undefined
}

/** A result as the citizen sees it. */
export interface CitizenResult {
  readonly outcome: ResultOutcome
  readonly decidedAt: Instant
  readonly notifiedAt?: Instant | undefined
  readonly summary?: string | undefined
}

/** An event as the citizen sees it. */
export interface CitizenEvent {
  readonly seq: number
  readonly at: Instant
  readonly type: StatusEventType
  /** The status entered, for `status` and `reopen` events. */
  readonly status?: { readonly code: string; readonly label: string; readonly text: string } | undefined
  /** The note, in the chosen language. */
  readonly note?: string | undefined
  /** The documents the citizen may see. */
  readonly documents: readonly CitizenDocument[]
}

/** A party as the citizen sees it: no personal identifiers. */
export interface CitizenParty {
  readonly role: PartyRole
  readonly kind: 'person' | 'organisation'
  /** Absent where party names are screened (NPS). */
  readonly name?: string | undefined
  /** Organisations only. */
  readonly organisationNumber?: string | undefined
}

/** A deadline as the citizen sees it. */
export interface CitizenDeadline {
  readonly due: PlainDate
  readonly daysLeft: number
  readonly overdue: boolean
  readonly state: DeadlineState | 'open' | 'expired'
}

/** What a citizen may see of a case. */
export interface CitizenView {
  readonly caseId: string
  /** The Noark case number (mappeID), when there is one. */
  readonly reference?: string | undefined
  readonly caseType: { readonly id: string; readonly name: string }
  /** The language asked for (texts fall back to another when missing). */
  readonly language: Language
  /** The title; the public title (or the case type's name) where the case is screened. */
  readonly title: string
  /** Whether screening applied. */
  readonly screened: boolean
  /** The last status the citizen may see. */
  readonly status?: CitizenStatus | undefined
  readonly result?: CitizenResult | undefined
  readonly startedAt: Instant
  readonly closedAt?: Instant | undefined
  readonly responsibleOfficer?: string | undefined
  readonly parties: readonly CitizenParty[]
  readonly documents: readonly CitizenDocument[]
  readonly events: readonly CitizenEvent[]
  /** Present when `asOf` was given. */
  readonly deadlines?:
    | {
        readonly legal?: CitizenDeadline | undefined
        readonly serviceNorm?: CitizenDeadline | undefined
        readonly appeal?: CitizenDeadline | undefined
      }
    | undefined
}

function inForce(screening: Screening | undefined, asOf: Instant | undefined): screening is Screening {
  if (!screening) return false
  if (screening.until === undefined || asOf === undefined) return true
  return osloDate(asOf) <= screening.until
}

function citizenDocument(
  doc: DocumentRef,
  caseScreened: boolean,
  asOf: Instant | undefined,
): CitizenDocument | undefined {
  if (doc.visibility !== 'citizen') return undefined
  const screening = inForce(doc.screening, asOf) ? doc.screening : undefined
  const titleScreened =
    caseScreened ||
    (screening !== undefined &&
      (screening.documents === 'H' ||
        screening.metadata.some((m) => m === 'TR1' || m === 'TRO' || m === 'TD')))
  const title = titleScreened ? doc.publicTitle : doc.title
  if (title === undefined) return undefined
  const whole = screening?.documents === 'H'
  const out: { -readonly [K in keyof CitizenDocument]: CitizenDocument[K] } = {
    id: doc.id,
    title,
    journalpostType: doc.journalpostType,
  }
  if (doc.registeredAt !== undefined) out.registeredAt = doc.registeredAt
  if (doc.url !== undefined && !whole && screening === undefined) out.url = doc.url
  if (doc.mimeType !== undefined) out.mimeType = doc.mimeType
  return out
}

/** @internal The status type of a status or reopen event, if the citizen may see it. */
export function visibleStatusType(event: StatusEvent, caseType: CaseType): StatusType | undefined {
  if (event.visibility !== 'citizen') return undefined
  if (event.type !== 'status' && event.type !== 'reopen') return undefined
  const statusType = caseType.statusTypes.find((s) => s.code === event.statusType)
  return statusType?.visibility === 'citizen' ? statusType : undefined
}

/** @internal Whether the citizen sees this event at all. */
export function isCitizenEvent(event: StatusEvent, caseType: CaseType): boolean {
  if (event.visibility !== 'citizen') return false
  if (event.type === 'status' || event.type === 'reopen')
    return visibleStatusType(event, caseType) !== undefined
  return true
}

function deadlineView(deadlines: CaseDeadlines): NonNullable<CitizenView['deadlines']> {
  const view: { legal?: CitizenDeadline; serviceNorm?: CitizenDeadline; appeal?: CitizenDeadline } = {}
  for (const kind of ['legal', 'serviceNorm'] as const) {
    const d = deadlines[kind]
    if (d) view[kind] = { due: d.due, daysLeft: d.daysLeft, overdue: d.overdue, state: d.state }
  }
  const appeal = deadlines.appeal
  if (appeal) {
    view.appeal = {
      due: appeal.due,
      daysLeft: appeal.daysLeft,
      overdue: false,
      state: appeal.open ? 'open' : 'expired',
    }
  }
  return view
}

/**
 * What a citizen may see of a case, in one language: internal events,
 * internal status types, internal notes and internal documents removed;
 * screened titles replaced by public titles (the case type's name where a
 * screened case has no public title); party names removed where they are
 * screened; no personal identifiers at all. Pure: the same input gives the
 * same view.
 *
 * @param value - The case.
 * @param lang - The language.
 * @param options - The case type, and `asOf` for deadlines and screening end dates.
 * @returns The citizen's view.
 * @see https://lovdata.no/lov/2006-05-19-16/§13
 * @example
 * ```ts
 * const view = citizenView(sak, 'nn', { caseType: byggesak, asOf: '2025-05-20T09:00:00Z' })
 * view.status?.label // 'Under handsaming'
 * ```
 */
export function citizenView(value: Case, lang: Language, options: CitizenViewOptions): CitizenView {
  const { caseType, asOf } = options
  if (caseType.id !== value.caseTypeId)
    throw new TypeError('The case type given is not the case type of the case')
  const screened = inForce(value.screening, asOf)
  const caseScreening = screened ? value.screening : undefined
  const title = screened ? textIn(value.publicTitle ?? caseType.name, lang) : textIn(value.title, lang)
  const namesScreened = caseScreening?.metadata.includes('NPS') ?? false

  const events: CitizenEvent[] = []
  let status: CitizenStatus | undefined
  for (const event of value.events) {
    if (!isCitizenEvent(event, caseType)) continue
    const statusType = visibleStatusType(event, caseType)
    const documents: CitizenDocument[] = []
    for (const doc of event.documents ?? []) {
      const shown = citizenDocument(doc, screened, asOf)
      if (shown) documents.push(shown)
    }
    const out: { -readonly [K in keyof CitizenEvent]: CitizenEvent[K] } = {
      seq: event.seq,
      at: event.at,
      type: event.type,
      documents,
    }
    if (statusType) {
      out.status = {
        code: statusType.code,
        label: textIn(statusType.label, lang),
        text: textIn(statusType.citizenText, lang),
      }
      status = {
        code: statusType.code,
        lifecycle: statusType.lifecycle,
        label: textIn(statusType.label, lang),
        text: textIn(statusType.citizenText, lang),
        mustAct: statusType.citizenMustAct,
        since: event.at,
      }
    }
    if (event.note !== undefined) out.note = textIn(event.note, lang)
    events.push(out)
  }

  const documents: CitizenDocument[] = []
  for (const doc of value.documents) {
    const shown = citizenDocument(doc, screened, asOf)
    if (shown) documents.push(shown)
  }

  const view: { -readonly [K in keyof CitizenView]: CitizenView[K] } = {
    caseId: value.id,
    caseType: { id: caseType.id, name: textIn(caseType.name, lang) },
    language: lang,
    title,
    screened,
    startedAt: value.startedAt,
    parties: value.parties.map((p) => {
      const organisation = p.id.startsWith(ORGANISATION_URN_PREFIX)
      const party: { -readonly [K in keyof CitizenParty]: CitizenParty[K] } = {
        role: p.role,
        kind: organisation ? 'organisation' : 'person',
      }
      if (p.name !== undefined && !namesScreened) party.name = p.name
      if (organisation) party.organisationNumber = p.id.slice(ORGANISATION_URN_PREFIX.length)
      return party
    }),
    documents,
    events,
  }
  if (value.noark?.mappeId !== undefined) view.reference = value.noark.mappeId
  if (status) view.status = status
  const shownResult =
    value.result !== undefined &&
    (value.lifecycle === 'decided' || value.lifecycle === 'closed' || value.lifecycle === 'withdrawn')
  if (shownResult && value.result) {
    const result: { -readonly [K in keyof CitizenResult]: CitizenResult[K] } = {
      outcome: value.result.outcome,
      decidedAt: value.result.decidedAt,
    }
    if (value.result.notifiedAt !== undefined) result.notifiedAt = value.result.notifiedAt
    if (value.result.summary !== undefined) result.summary = textIn(value.result.summary, lang)
    view.result = result
  }
  if (value.closedAt !== undefined) view.closedAt = value.closedAt
  if (value.responsibleOfficer !== undefined) view.responsibleOfficer = value.responsibleOfficer
  if (asOf !== undefined) view.deadlines = deadlineView(caseDeadlines(value, caseType, { ...options, asOf }))
  return view
}
