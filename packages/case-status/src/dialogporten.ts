import { containsNationalId } from '@felles/identifiers'
import { isCitizenEvent, visibleStatusType } from './citizen-view.js'
import { caseDeadlines } from './deadlines.js'
import type { WorkingDayOptions } from './holidays.js'
import { uuidV7 } from './internal/ids.js'
import type { Lifecycle } from './lifecycle.js'
import {
  type Actor,
  type Case,
  type CaseType,
  type DocumentRef,
  ORGANISATION_URN_PREFIX,
  PERSON_URN_PREFIX,
  type StatusEvent,
} from './schemas.js'
import { LANGUAGES, type Language, type LocalizedText } from './text.js'
import { epochMs, type Instant, osloDate } from './time.js'

/** Dialogporten's dialog status (never the deprecated `New` or `Sent`). */
export type DialogportenStatus =
  | 'NotApplicable'
  | 'InProgress'
  | 'Draft'
  | 'Awaiting'
  | 'RequiresAttention'
  | 'Completed'

/** Dialogporten's transmission types. */
export type DialogportenTransmissionType =
  | 'Information'
  | 'Acceptance'
  | 'Rejection'
  | 'Request'
  | 'Alert'
  | 'Decision'
  | 'Submission'
  | 'Correction'

/** The Dialogporten activity types this package emits. */
export type DialogportenActivityType = 'DialogCreated' | 'DialogClosed' | 'Information'

/** A localized string: `{ languageCode, value }` with an ISO 639-1 code. */
export interface DialogportenLocalization {
  readonly languageCode: Language
  readonly value: string
}

/** A content value: a media type and its localizations. */
export interface DialogportenContentValue {
  readonly mediaType: 'text/plain'
  readonly value: readonly DialogportenLocalization[]
}

/** Who sent a transmission or performed an activity. */
export interface DialogportenActor {
  readonly actorType: 'ServiceOwner' | 'PartyRepresentative'
  readonly actorId?: string
  readonly actorName?: string
}

/** An attachment (a citizen-visible document with a link). */
export interface DialogportenAttachment {
  readonly id: string
  readonly displayName: readonly DialogportenLocalization[]
  readonly urls: readonly {
    readonly url: string
    readonly mediaType?: string
    readonly consumerType: 'Gui'
  }[]
}

/** A transmission: something the citizen receives or sent (create shape). */
export interface DialogportenTransmission {
  readonly id: string
  readonly createdAt: Instant
  readonly type: DialogportenTransmissionType
  readonly extendedType: string
  readonly sender: DialogportenActor
  readonly relatedTransmissionId?: string
  readonly content: {
    readonly title: DialogportenContentValue
    readonly summary?: DialogportenContentValue
  }
  readonly attachments?: readonly DialogportenAttachment[]
}

/** An activity in the dialog's log (create shape). */
export interface DialogportenActivity {
  readonly id: string
  readonly createdAt: Instant
  readonly type: DialogportenActivityType
  readonly performedBy: DialogportenActor
  readonly description?: readonly DialogportenLocalization[]
}

/** A GUI action (a link to the municipality's own case page). */
export interface DialogportenGuiAction {
  readonly id: string
  readonly action: 'read'
  readonly url: string
  readonly priority: 'Primary'
  readonly title: readonly DialogportenLocalization[]
}

/** A dialog in the shape of Dialogporten's create request (`V1ServiceOwnerDialogsCommandsCreate_Dialog`). */
export interface DialogportenDialog {
  readonly id: string
  readonly serviceResource: string
  readonly party: string
  readonly externalReference: string
  readonly status: DialogportenStatus
  readonly extendedStatus?: string
  readonly progress: number
  readonly dueAt?: Instant
  readonly createdAt: Instant
  readonly updatedAt: Instant
  readonly content: {
    readonly title: DialogportenContentValue
    readonly summary?: DialogportenContentValue
    readonly nonSensitiveTitle: DialogportenContentValue
    readonly extendedStatus?: DialogportenContentValue
  }
  readonly guiActions?: readonly DialogportenGuiAction[]
  readonly transmissions: readonly DialogportenTransmission[]
  readonly activities: readonly DialogportenActivity[]
}

/** What {@link toDialogportenDialog} returns: a dialog to create or update, or one to delete. */
export type DialogportenSync =
  | { readonly action: 'upsert'; readonly dialog: DialogportenDialog }
  | { readonly action: 'delete'; readonly dialogId: string; readonly reason: 'cancelled' }

/** Options for the Dialogporten mapping. */
export interface DialogportenOptions extends WorkingDayOptions {
  /** The case's type: texts come from it. */
  readonly caseType: CaseType
  /** The service resource, `urn:altinn:resource:…`. */
  readonly serviceResource: string
  /** The party the dialog belongs to; default the first applicant (or first party). */
  readonly party?: string | undefined
  /** Now, for the appeal window; default the last event's time. */
  readonly asOf?: Instant | undefined
  /** A link to the case on the municipality's own pages (https), shown as the primary action. */
  readonly caseUrl?: string | undefined
  /** Which languages to include (those present are used; default all four). */
  readonly languages?: readonly Language[] | undefined
}

const DEFAULT_PROGRESS: Readonly<Record<Lifecycle, number>> = {
  draft: 5,
  received: 10,
  in_progress: 40,
  awaiting_citizen: 50,
  awaiting_other: 60,
  decided: 90,
  closed: 100,
  withdrawn: 100,
  cancelled: 100,
}

const TEXT = {
  submission: {
    nb: 'Du sendte inn opplysninger',
    nn: 'Du sende inn opplysningar',
    en: 'You sent information',
  },
  message: { nb: 'Melding i saken', nn: 'Melding i saka', en: 'Message about your case' },
  reopened: { nb: 'Saken er åpnet igjen', nn: 'Saka er opna att', en: 'The case has been reopened' },
  decision: { nb: 'Vedtaket er rettet', nn: 'Vedtaket er retta', en: 'The decision has been corrected' },
  suspended: { nb: 'Fristen er stanset', nn: 'Fristen er stansa', en: 'The deadline is on hold' },
  resumed: { nb: 'Fristen løper igjen', nn: 'Fristen går att', en: 'The deadline runs again' },
  extended: { nb: 'Fristen er forlenget', nn: 'Fristen er forlengd', en: 'The deadline has been extended' },
  assigned: { nb: 'Ny saksbehandler', nn: 'Ny sakshandsamar', en: 'New case officer' },
  open: { nb: 'Åpne saken', nn: 'Opne saka', en: 'Open the case' },
} as const satisfies Record<string, LocalizedText>

function localize(text: LocalizedText, languages: readonly Language[]): DialogportenLocalization[] {
  const out: DialogportenLocalization[] = []
  for (const lang of LANGUAGES) {
    const value = text[lang]
    if (value !== undefined && languages.includes(lang)) out.push({ languageCode: lang, value })
  }
  if (out.length === 0) {
    for (const lang of LANGUAGES) {
      const value = text[lang]
      if (value !== undefined) return [{ languageCode: lang, value }]
    }
  }
  return out
}

function content(text: LocalizedText, languages: readonly Language[]): DialogportenContentValue {
  return { mediaType: 'text/plain', value: localize(text, languages) }
}

function actorOf(actor: Actor): DialogportenActor {
  if (actor.role !== 'citizen') return { actorType: 'ServiceOwner' }
  if (actor.id.startsWith(PERSON_URN_PREFIX) || actor.id.startsWith(ORGANISATION_URN_PREFIX)) {
    return { actorType: 'PartyRepresentative', actorId: actor.id }
  }
  return { actorType: 'PartyRepresentative', actorName: actor.name ?? 'Søker' }
}

function attachmentsOf(
  caseId: string,
  documents: readonly DocumentRef[] | undefined,
): DialogportenAttachment[] {
  const out: DialogportenAttachment[] = []
  for (const doc of documents ?? []) {
    if (doc.visibility !== 'citizen' || doc.url === undefined || doc.screening !== undefined) continue
    const url: { url: string; mediaType?: string; consumerType: 'Gui' } = {
      url: doc.url,
      consumerType: 'Gui',
    }
    if (doc.mimeType !== undefined) url.mediaType = doc.mimeType
    out.push({
      id: uuidV7(doc.registeredAt ? epochMs(doc.registeredAt) : 0, `attachment:${caseId}:${doc.id}`),
      displayName: [{ languageCode: 'nb', value: doc.publicTitle ?? doc.title }],
      urls: [url],
    })
  }
  return out
}

interface Entry {
  readonly transmission?: DialogportenTransmission
  readonly activity?: DialogportenActivity
}

/** @internal Maps the citizen-visible history to transmissions and activities. */
function history(value: Case, options: DialogportenOptions, languages: readonly Language[]): Entry[] {
  const { caseType } = options
  const entries: Entry[] = []
  let lifecycle: Lifecycle = 'draft'
  let lastRequestId: string | undefined
  let created = false
  const extendedType = (event: StatusEvent): string => `urn:felles:case-status:event:${event.type}`
  for (const event of value.events) {
    const previous = lifecycle
    if (event.type === 'status') lifecycle = event.lifecycle
    if (event.type === 'reopen') lifecycle = 'in_progress'
    const at = epochMs(event.at)
    if (!created && previous === 'draft' && lifecycle !== 'draft') {
      created = true
      entries.push({
        activity: {
          id: uuidV7(at, `created:${value.id}`),
          createdAt: event.at,
          type: 'DialogCreated',
          performedBy: actorOf(event.by),
        },
      })
    }
    if (!isCitizenEvent(event, caseType)) continue
    const transmissionId = uuidV7(at, `transmission:${value.id}:${event.id}`)
    const activityId = uuidV7(at, `activity:${value.id}:${event.id}`)
    const performedBy = actorOf(event.by)
    const attachments = attachmentsOf(value.id, event.documents)
    const transmission = (
      type: DialogportenTransmissionType,
      title: LocalizedText,
      summary: LocalizedText | undefined,
      related?: string,
    ): DialogportenTransmission => {
      const t: { -readonly [K in keyof DialogportenTransmission]: DialogportenTransmission[K] } = {
        id: transmissionId,
        createdAt: event.at,
        type,
        extendedType: extendedType(event),
        sender: performedBy,
        content: summary
          ? { title: content(title, languages), summary: content(summary, languages) }
          : { title: content(title, languages) },
      }
      if (related !== undefined) t.relatedTransmissionId = related
      if (attachments.length > 0) t.attachments = attachments
      return t
    }
    const information = (description: LocalizedText): DialogportenActivity => ({
      id: activityId,
      createdAt: event.at,
      type: 'Information',
      performedBy,
      description: localize(description, languages),
    })
    switch (event.type) {
      case 'status':
      case 'reopen': {
        const statusType = visibleStatusType(event, caseType)
        if (!statusType) break
        const summary = event.note ?? statusType.citizenText
        if (event.type === 'reopen') {
          entries.push({ transmission: transmission('Information', TEXT.reopened, summary) })
        } else if (lifecycle === 'received') {
          entries.push({ transmission: transmission('Acceptance', statusType.label, summary) })
        } else if (lifecycle === 'awaiting_citizen') {
          entries.push({ transmission: transmission('Request', statusType.label, summary) })
          lastRequestId = transmissionId
        } else if (lifecycle === 'decided') {
          entries.push({
            transmission: transmission('Decision', statusType.label, value.result?.summary ?? summary),
          })
        } else if (statusType.notifyCitizen) {
          entries.push({ transmission: transmission('Information', statusType.label, summary) })
        } else if (lifecycle !== 'closed' && lifecycle !== 'withdrawn') {
          // Closing is logged by DialogClosed below; one activity is enough.
          entries.push({ activity: information(statusType.label) })
        }
        if (lifecycle === 'closed' || lifecycle === 'withdrawn') {
          entries.push({
            activity: {
              id: uuidV7(at, `closed:${value.id}:${event.id}`),
              createdAt: event.at,
              type: 'DialogClosed',
              performedBy,
            },
          })
        }
        break
      }
      case 'note': {
        if (event.by.role === 'citizen') {
          entries.push({
            transmission: transmission('Submission', TEXT.submission, event.note, lastRequestId),
          })
        } else {
          entries.push({ transmission: transmission('Information', TEXT.message, event.note) })
        }
        break
      }
      case 'result': {
        if (lifecycle === 'decided' || lifecycle === 'closed') {
          entries.push({
            transmission: transmission('Decision', TEXT.decision, event.result.summary ?? event.note),
          })
        }
        break
      }
      case 'suspend':
        entries.push({ activity: information(event.note ?? TEXT.suspended) })
        break
      case 'resume':
        entries.push({ activity: information(event.note ?? TEXT.resumed) })
        break
      case 'extend':
        entries.push({ activity: information(event.note ?? TEXT.extended) })
        break
      case 'assign':
        entries.push({ activity: information(event.note ?? TEXT.assigned) })
        break
    }
  }
  return entries
}

function languagesOf(options: DialogportenOptions): readonly Language[] {
  return options.languages && options.languages.length > 0 ? options.languages : LANGUAGES
}

/**
 * The transmissions for a case's citizen-visible events, in order: a receipt
 * (`Acceptance`) on entering `received`, a `Request` when the citizen must act,
 * a `Decision` on entering `decided` (and for a corrected result), the
 * citizen's own notes as `Submission` (related to the last request), other
 * notified statuses and messages as `Information`. Internal events never
 * appear. Ids are deterministic UUIDv7s, so repeating a call is idempotent.
 *
 * @param value - The case.
 * @param options - Case type, service resource and languages.
 * @returns The transmissions (Dialogporten create shape).
 * @see https://docs.altinn.studio/dialogporten/
 * @example
 * ```ts
 * for (const t of toDialogportenTransmissions(sak, options)) await dialogporten.addTransmission(dialogId, t)
 * ```
 */
export function toDialogportenTransmissions(
  value: Case,
  options: DialogportenOptions,
): readonly DialogportenTransmission[] {
  const out: DialogportenTransmission[] = []
  for (const entry of history(value, options, languagesOf(options)))
    if (entry.transmission) out.push(entry.transmission)
  return out
}

/**
 * The activities for a case's citizen-visible events: `DialogCreated` when
 * the case leaves draft, `DialogClosed` on closing or withdrawal, and
 * `Information` for visible changes that send no transmission (a status the
 * citizen is not notified of, a suspension, an extension). No activity is
 * added beside a transmission.
 *
 * @param value - The case.
 * @param options - Case type, service resource and languages.
 * @returns The activities (Dialogporten create shape).
 * @see https://docs.altinn.studio/dialogporten/
 * @example
 * ```ts
 * toDialogportenActivities(sak, options).map((a) => a.type)
 * ```
 */
export function toDialogportenActivities(
  value: Case,
  options: DialogportenOptions,
): readonly DialogportenActivity[] {
  const out: DialogportenActivity[] = []
  for (const entry of history(value, options, languagesOf(options)))
    if (entry.activity) out.push(entry.activity)
  return out
}

/**
 * The Dialogporten dialog status for a case: `Draft` for a draft;
 * `RequiresAttention` when the current status asks the citizen to act;
 * `Awaiting` while the municipality acts, and while a decision can still be
 * appealed; `Completed` once closed, withdrawn, or decided and past the
 * appeal deadline. Never `New` or `Sent`.
 *
 * @param value - The case.
 * @param options - Case type and `asOf`.
 * @returns The status.
 * @see https://docs.altinn.studio/dialogporten/
 * @example
 * ```ts
 * dialogportenStatus(sak, { caseType: byggesak, asOf: '2025-05-20T09:00:00Z' }) // 'Awaiting'
 * ```
 */
export function dialogportenStatus(
  value: Case,
  options: Pick<DialogportenOptions, 'caseType' | 'asOf' | 'closedDays'>,
): DialogportenStatus {
  const statusType = options.caseType.statusTypes.find((s) => s.code === value.statusType)
  switch (value.lifecycle) {
    case 'draft':
      return 'Draft'
    case 'awaiting_citizen':
      return statusType?.citizenMustAct === true ? 'RequiresAttention' : 'Awaiting'
    case 'received':
    case 'in_progress':
    case 'awaiting_other':
      return 'Awaiting'
    case 'decided': {
      const asOf = options.asOf ?? value.events[value.events.length - 1]?.at ?? value.startedAt
      const appeal = caseDeadlines(value, options.caseType, { asOf, closedDays: options.closedDays }).appeal
      return appeal?.open === true ? 'Awaiting' : 'Completed'
    }
    case 'closed':
    case 'withdrawn':
    case 'cancelled':
      return 'Completed'
  }
}

/**
 * Maps a case to a Dialogporten dialog (the create request body; also usable
 * for a full update). A cancelled case (registered in error) maps to
 * `{ action: 'delete' }`. Built from what the citizen may see only: the title
 * is the citizen view's title (the public title where the case is screened),
 * the non-sensitive title is the case type's name, `extendedStatus` is the
 * status code (`withdrawn` for a withdrawn case, at most 25 characters) with
 * its label (at most 25 characters) in `content.extendedStatus`, and `dueAt`
 * is the appeal deadline while it runs. `externalReference` is the Noark case
 * number or the case id, never a national identity number.
 *
 * @param value - The case.
 * @param options - Case type, service resource, party, languages, case URL, `asOf`.
 * @returns What to send to Dialogporten.
 * @throws RangeError when the case type does not match or there is no party.
 * @see https://docs.altinn.studio/dialogporten/
 * @example
 * ```ts
 * const sync = toDialogportenDialog(sak, { caseType: byggesak, serviceResource: 'urn:altinn:resource:kommune-byggesak' })
 * if (sync.action === 'upsert') await dialogporten.create(sync.dialog)
 * ```
 */
export function toDialogportenDialog(value: Case, options: DialogportenOptions): DialogportenSync {
  const { caseType } = options
  if (caseType.id !== value.caseTypeId)
    throw new TypeError('The case type given is not the case type of the case')
  const dialogId = uuidV7(epochMs(value.startedAt), `dialog:${value.id}`)
  if (value.lifecycle === 'cancelled') return { action: 'delete', dialogId, reason: 'cancelled' }
  const languages = languagesOf(options)
  const party = options.party ?? (value.parties.find((p) => p.role === 'applicant') ?? value.parties[0])?.id
  if (party === undefined) throw new RangeError('The case has no party to own the dialog')
  const externalReference = value.noark?.mappeId ?? value.id
  if (containsNationalId(externalReference))
    throw new RangeError('externalReference must not hold a national identity number')
  const asOf = options.asOf ?? value.events[value.events.length - 1]?.at ?? value.startedAt

  // The last status the citizen may see.
  let shownStatus: ReturnType<typeof visibleStatusType>
  for (const event of value.events) shownStatus = visibleStatusType(event, caseType) ?? shownStatus
  const screened =
    value.screening !== undefined &&
    (value.screening.until === undefined || value.screening.until >= osloDate(asOf))
  const title = screened ? (value.publicTitle ?? caseType.name) : value.title

  const entries = history(value, options, languages)
  const dialog: { -readonly [K in keyof DialogportenDialog]: DialogportenDialog[K] } = {
    id: dialogId,
    serviceResource: options.serviceResource,
    party,
    externalReference,
    status: dialogportenStatus(value, { ...options, asOf }),
    progress: shownStatus?.progress ?? DEFAULT_PROGRESS[value.lifecycle],
    createdAt: value.startedAt,
    updatedAt: value.events[value.events.length - 1]?.at ?? value.startedAt,
    content: { title: content(title, languages), nonSensitiveTitle: content(caseType.name, languages) },
    transmissions: entries.flatMap((e) => (e.transmission ? [e.transmission] : [])),
    activities: entries.flatMap((e) => (e.activity ? [e.activity] : [])),
  }
  if (shownStatus) {
    dialog.extendedStatus = value.lifecycle === 'withdrawn' ? 'withdrawn' : shownStatus.code
    dialog.content = {
      ...dialog.content,
      summary: content(shownStatus.citizenText, languages),
      extendedStatus: content(shownStatus.label, languages),
    }
  }
  if (value.lifecycle === 'decided') {
    const appeal = caseDeadlines(value, caseType, { asOf, closedDays: options.closedDays }).appeal
    if (appeal?.open) dialog.dueAt = appeal.dueAt
  }
  if (options.caseUrl !== undefined) {
    dialog.guiActions = [
      {
        id: uuidV7(epochMs(value.startedAt), `gui:${value.id}`),
        action: 'read',
        url: options.caseUrl,
        priority: 'Primary',
        title: localize(TEXT.open, languages),
      },
    ]
  }
  return { action: 'upsert', dialog }
}
