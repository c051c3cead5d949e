import { containsNationalId, nationalIdentityNumber, Organisasjonsnummer } from '@felles/identifiers'
import { z } from 'zod'
import { type Counting, IsoDuration } from './duration.js'
import { Lifecycle } from './lifecycle.js'
import { LIMITS } from './limits.js'
import {
  Avskrivningsmaate,
  Dokumentstatus,
  Journalposttype,
  Journalstatus,
  SkjermingDokument,
  SkjermingMetadata,
} from './noark/codes.js'
import { LocalizedText, shortLocalizedText } from './text.js'
import { Instant, PlainDate } from './time.js'

// ---------------------------------------------------------------------------
// Small building blocks

/**
 * A code for case types, status types and tracks: `^[a-z][a-z0-9_-]{0,24}$`
 * (at most 25 characters, so a status code fits Dialogporten's `extendedStatus`).
 */
export type Code = string

/**
 * Zod schema for {@link Code}.
 *
 * @example
 * ```ts
 * Code.parse('nabovarsel')
 * ```
 */
export const Code: z.ZodType<Code> = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,24}$/, { error: 'Expected a code: lower-case letters, digits, _ and -' })

const Identifier = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, {
    error: 'Expected an identifier of letters, digits and . _ : / -',
  })
  .refine((v) => !containsNationalId(v), { error: 'Identifiers must not contain a national identity number' })

/**
 * Zod schema for a case id: 1–100 letters, digits and `. _ : / -`, never
 * containing a national identity number.
 *
 * @example
 * ```ts
 * CaseId.parse('2025/0042')
 * ```
 */
export const CaseId: z.ZodType<string> = Identifier

const ShortText = z.string().max(500).regex(/\S/, { error: 'Text must not be blank' })

/** Where an event, a note or a status type may be seen. */
export type Visibility = 'citizen' | 'internal'

/**
 * Zod schema for {@link Visibility}.
 *
 * @example
 * ```ts
 * Visibility.parse('internal')
 * ```
 */
export const Visibility: z.ZodType<Visibility> = z.enum(['citizen', 'internal'])

// ---------------------------------------------------------------------------
// URNs and parties

/** Prefix of a person party: `urn:altinn:person:identifier-no:<fødselsnummer or D-nummer>`. */
export const PERSON_URN_PREFIX = 'urn:altinn:person:identifier-no:'
/** Prefix of an organisation party: `urn:altinn:organization:identifier-no:<organisasjonsnummer>`. */
export const ORGANISATION_URN_PREFIX = 'urn:altinn:organization:identifier-no:'

const NATIONAL_ID = nationalIdentityNumber()

function checkPartyUrn(value: string, ctx: z.RefinementCtx, allowOther: boolean): void {
  if (value.startsWith(PERSON_URN_PREFIX)) {
    const result = NATIONAL_ID.safeParse(value.slice(PERSON_URN_PREFIX.length))
    if (!result.success) {
      const reason = (result.error.issues[0] as { params?: { reason?: string } } | undefined)?.params?.reason
      ctx.addIssue({
        code: 'custom',
        message: `Invalid national identity number in person URN${reason ? ` (${reason})` : ''}`,
        params: { rule: 'party.national-id', reason },
      })
    }
    return
  }
  if (value.startsWith(ORGANISATION_URN_PREFIX)) {
    const result = Organisasjonsnummer.safeParse(value.slice(ORGANISATION_URN_PREFIX.length))
    if (!result.success) {
      const reason = (result.error.issues[0] as { params?: { reason?: string } } | undefined)?.params?.reason
      ctx.addIssue({
        code: 'custom',
        message: `Invalid organisasjonsnummer in organisation URN${reason ? ` (${reason})` : ''}`,
        params: { rule: 'party.organisation-number', reason },
      })
    }
    return
  }
  if (!allowOther || !/^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/]+$/i.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: allowOther
        ? 'Expected a URN'
        : `Expected ${PERSON_URN_PREFIX}… or ${ORGANISATION_URN_PREFIX}…`,
    })
  } else if (containsNationalId(value)) {
    ctx.addIssue({ code: 'custom', message: 'A national identity number belongs in a person URN only' })
  }
}

/**
 * A party identifier as a URN: `urn:altinn:person:identifier-no:<fnr>` (the
 * number validated with `@felles/identifiers`) or
 * `urn:altinn:organization:identifier-no:<orgnr>`. These are the forms
 * Dialogporten uses. Error messages never contain the number.
 */
export type PartyUrn = string

/**
 * Zod schema for {@link PartyUrn}.
 *
 * @example
 * ```ts
 * PartyUrn.parse('urn:altinn:organization:identifier-no:991825827')
 * ```
 */
export const PartyUrn: z.ZodType<PartyUrn> = z
  .string({ error: 'Expected a party URN' })
  .max(100)
  .superRefine((value, ctx) => checkPartyUrn(value, ctx, false))

/**
 * An actor identifier as a URN: a {@link PartyUrn} or any other URN, such as
 * `urn:felles:employee:ola` or `urn:felles:system:fagsystem`. A national
 * identity number may appear only in a person URN, and is validated there.
 */
export type ActorUrn = string

/**
 * Zod schema for {@link ActorUrn}.
 *
 * @example
 * ```ts
 * ActorUrn.parse('urn:felles:employee:kari.nordmann')
 * ```
 */
export const ActorUrn: z.ZodType<ActorUrn> = z
  .string({ error: 'Expected an actor URN' })
  .max(200)
  .superRefine((value, ctx) => checkPartyUrn(value, ctx, true))

/** The role a party has in a case. */
export type PartyRole =
  | 'applicant'
  | 'co_applicant'
  | 'representative'
  | 'guardian'
  | 'child'
  | 'neighbour'
  | 'owner'
  | 'other'

/**
 * Zod schema for {@link PartyRole}.
 *
 * @example
 * ```ts
 * PartyRole.parse('applicant')
 * ```
 */
export const PartyRole: z.ZodType<PartyRole> = z.enum([
  'applicant',
  'co_applicant',
  'representative',
  'guardian',
  'child',
  'neighbour',
  'owner',
  'other',
])

/** A party to the case (a person or an organisation). */
export interface Party {
  /** Who: a {@link PartyUrn}. */
  readonly id: PartyUrn
  /** Their role in the case. */
  readonly role: PartyRole
  /** Display name, when known. Removed from the citizen view when party names are screened (NPS). */
  readonly name?: string | undefined
}

/**
 * Zod schema for {@link Party}.
 *
 * @example
 * ```ts
 * Party.parse({ id: 'urn:altinn:person:identifier-no:21879498012', role: 'applicant', name: 'Kari Nordmann' })
 * ```
 */
export const Party: z.ZodType<Party> = z.strictObject({
  id: PartyUrn,
  role: PartyRole,
  name: ShortText.optional(),
})

/** What an actor is, for authorisation and for the standards' mappings. */
export type ActorRole = 'citizen' | 'officer' | 'manager' | 'archivist' | 'system'

/**
 * Zod schema for {@link ActorRole}.
 *
 * @example
 * ```ts
 * ActorRole.parse('officer')
 * ```
 */
export const ActorRole: z.ZodType<ActorRole> = z.enum([
  'citizen',
  'officer',
  'manager',
  'archivist',
  'system',
])

/** Who did something. */
export interface Actor {
  /** An {@link ActorUrn}. */
  readonly id: ActorUrn
  /** What the actor is. */
  readonly role: ActorRole
  /** Display name, when known. */
  readonly name?: string | undefined
}

/**
 * Zod schema for {@link Actor}.
 *
 * @example
 * ```ts
 * Actor.parse({ id: 'urn:felles:employee:kari', role: 'officer' })
 * ```
 */
export const Actor: z.ZodType<Actor> = z.strictObject({
  id: ActorUrn,
  role: ActorRole,
  name: ShortText.optional(),
})

// ---------------------------------------------------------------------------
// Screening and documents

/**
 * Screening (skjerming) of a case or a document under offentleglova: the
 * access restriction (M500 tilgangsrestriksjon), its legal basis (M501
 * skjermingshjemmel), which metadata are screened (M502), whether documents
 * are screened whole or in part (M503), and until when (M505).
 */
export interface Screening {
  /** M500 tilgangsrestriksjon, for example `13` (offl. § 13). */
  readonly accessRestriction: string
  /** M501 skjermingshjemmel, for example `Offl. § 13 jf. fvl. § 13`. */
  readonly legalBasis: string
  /** M502: the metadata screened. */
  readonly metadata: readonly SkjermingMetadata[]
  /** M503: the document screened whole (`H`) or in part (`D`). */
  readonly documents?: SkjermingDokument | undefined
  /** M505 skjermingOpphoererDato: the screening ends after this date. */
  readonly until?: PlainDate | undefined
}

/**
 * Zod schema for {@link Screening}.
 *
 * @example
 * ```ts
 * Screening.parse({ accessRestriction: '13', legalBasis: 'Offl. § 13 jf. fvl. § 13', metadata: ['TMO'] })
 * ```
 */
export const Screening: z.ZodType<Screening> = z.strictObject({
  accessRestriction: z.string().min(1).max(20),
  legalBasis: z.string().min(1).max(200),
  metadata: z.array(SkjermingMetadata).max(12),
  documents: SkjermingDokument.optional(),
  until: PlainDate.optional(),
})

/** How an incoming or internal journal entry was written off (avskrevet). */
export interface WriteOff {
  /** M619 avskrivningsmaate. */
  readonly method: Avskrivningsmaate
  /** When. */
  readonly at: Instant
  /** The document that answered it, if any. */
  readonly byDocumentId?: string | undefined
}

/**
 * Zod schema for {@link WriteOff}.
 *
 * @example
 * ```ts
 * WriteOff.parse({ method: 'BU', at: '2025-03-01T10:00:00Z' })
 * ```
 */
export const WriteOff: z.ZodType<WriteOff> = z.strictObject({
  method: Avskrivningsmaate,
  at: Instant,
  byDocumentId: Identifier.optional(),
})

/** A reference to a journal entry and its document in the archive. */
export interface DocumentRef {
  /** The archive's id for the entry (registreringsID or systemID). */
  readonly id: string
  /** M082 journalposttype. */
  readonly journalpostType: Journalposttype
  /** M053 journalstatus. */
  readonly journalStatus: Journalstatus
  /** M054 dokumentstatus. */
  readonly documentStatus: Dokumentstatus
  /** M020 tittel. */
  readonly title: string
  /** M025 offentligTittel: the title with screened words removed. */
  readonly publicTitle?: string | undefined
  /** Screening of this entry. */
  readonly screening?: Screening | undefined
  /** Who may see it. */
  readonly visibility: Visibility
  /** When it was registered (journaldato). */
  readonly registeredAt?: Instant | undefined
  /** How it was written off, for `I` and `N` entries. */
  readonly writeOff?: WriteOff | undefined
  /** A download link for the citizen, if any. */
  readonly url?: string | undefined
  /** The document's media type. */
  readonly mimeType?: string | undefined
}

/**
 * Zod schema for {@link DocumentRef}.
 *
 * @example
 * ```ts
 * DocumentRef.parse({ id: '2025/42-1', journalpostType: 'I', journalStatus: 'J', documentStatus: 'F', title: 'Søknad', visibility: 'citizen' })
 * ```
 */
export const DocumentRef: z.ZodType<DocumentRef> = z.strictObject({
  id: Identifier,
  journalpostType: Journalposttype,
  journalStatus: Journalstatus,
  documentStatus: Dokumentstatus,
  title: ShortText,
  publicTitle: ShortText.optional(),
  screening: Screening.optional(),
  visibility: Visibility,
  registeredAt: Instant.optional(),
  writeOff: WriteOff.optional(),
  url: z
    .url({ protocol: /^https$/, error: 'Expected an https URL' })
    .max(1000)
    .optional(),
  mimeType: z
    .string()
    .regex(/^[a-z]+\/[a-z0-9.+-]+$/i)
    .max(100)
    .optional(),
})

// ---------------------------------------------------------------------------
// Result

/** How a case ended. */
export type ResultOutcome =
  | 'granted'
  | 'partially_granted'
  | 'rejected'
  | 'dismissed'
  | 'withdrawn'
  | 'no_decision'

/**
 * Zod schema for {@link ResultOutcome}.
 *
 * @example
 * ```ts
 * ResultOutcome.parse('granted')
 * ```
 */
export const ResultOutcome: z.ZodType<ResultOutcome> = z.enum([
  'granted',
  'partially_granted',
  'rejected',
  'dismissed',
  'withdrawn',
  'no_decision',
])

/** The result of a case: the decision (vedtak) and when the citizen learnt of it. */
export interface Result {
  /** The outcome. */
  readonly outcome: ResultOutcome
  /** When the decision was made. */
  readonly decidedAt: Instant
  /** When notice of the decision reached the party: the appeal clock starts here (fvl. § 29). */
  readonly notifiedAt?: Instant | undefined
  /** The appeal deadline, when set by hand; otherwise computed from `notifiedAt`. */
  readonly appealDeadline?: PlainDate | undefined
  /** The journal entry holding the decision. */
  readonly documentId?: string | undefined
  /** A summary for the citizen. */
  readonly summary?: LocalizedText | undefined
  /** The legal basis, for example `pbl. § 20-1`. */
  readonly legalBasis?: string | undefined
}

/**
 * Zod schema for {@link Result}.
 *
 * @example
 * ```ts
 * Result.parse({ outcome: 'granted', decidedAt: '2025-03-01T12:00:00Z' })
 * ```
 */
export const Result: z.ZodType<Result> = z.strictObject({
  outcome: ResultOutcome,
  decidedAt: Instant,
  notifiedAt: Instant.optional(),
  appealDeadline: PlainDate.optional(),
  documentId: Identifier.optional(),
  summary: LocalizedText.optional(),
  legalBasis: z.string().min(1).max(200).optional(),
})

// ---------------------------------------------------------------------------
// Events

/** What every event carries. */
export interface EventBase {
  /** Unique within the case; applying the same id twice is refused. */
  readonly id: string
  /** 1, 2, 3, …: orders events that share a millisecond. */
  readonly seq: number
  /** When it happened (millisecond precision). */
  readonly at: Instant
  /** Who did it. */
  readonly by: Actor
  /** Whether the citizen may see the event (and its note and documents). */
  readonly visibility: Visibility
  /** A note, per language. */
  readonly note?: LocalizedText | undefined
  /** Journal entries added or updated by the event. */
  readonly documents?: readonly DocumentRef[] | undefined
}

/** The case moves to a status type (and its lifecycle state). */
export interface StatusChangeEvent extends EventBase {
  readonly type: 'status'
  /** The status type's code in the case type. */
  readonly statusType: Code
  /** The lifecycle state of that status type (kept so the history reads without the case type). */
  readonly lifecycle: Lifecycle
  /** The result, when the move is to `decided` (or `withdrawn`). */
  readonly result?: Result | undefined
}

/** Records or corrects the result without changing status. */
export interface ResultEvent extends EventBase {
  readonly type: 'result'
  /** The new result. */
  readonly result: Result
  /** Why an existing result is replaced; required for a correction. */
  readonly reason?: string | undefined
}

/** Stops the deadline clock. */
export interface SuspendEvent extends EventBase {
  readonly type: 'suspend'
  /** Why. */
  readonly reason: string
}

/** Starts the deadline clock again. */
export interface ResumeEvent extends EventBase {
  readonly type: 'resume'
}

/** Adds time to the deadlines. */
export interface ExtendEvent extends EventBase {
  readonly type: 'extend'
  /** How much. */
  readonly duration: IsoDuration
  /** Why. */
  readonly reason: string
}

/** Reopens a closed case (`closed → in_progress`); only an authorised actor, with a reason. */
export interface ReopenEvent extends EventBase {
  readonly type: 'reopen'
  /** The `in_progress` status type the case returns to. */
  readonly statusType: Code
  /** Why. */
  readonly reason: string
}

/** Changes the administrative unit or the responsible officer. */
export interface AssignEvent extends EventBase {
  readonly type: 'assign'
  /** The new administrative unit (M305 administrativEnhet). */
  readonly administrativeUnit?: string | undefined
  /** The new responsible officer (M306 saksansvarlig). */
  readonly responsibleOfficer?: string | undefined
}

/** A note and/or documents, without a status change. */
export interface NoteEvent extends EventBase {
  readonly type: 'note'
}

/** Anything that happens to a case. */
export type StatusEvent =
  | StatusChangeEvent
  | ResultEvent
  | SuspendEvent
  | ResumeEvent
  | ExtendEvent
  | ReopenEvent
  | AssignEvent
  | NoteEvent

/** The kind of a {@link StatusEvent}. */
export type StatusEventType = StatusEvent['type']

const eventBase = {
  id: Identifier,
  seq: z.number().int().min(1).max(1_000_000),
  at: Instant,
  by: Actor,
  visibility: Visibility,
  note: LocalizedText.optional(),
  documents: z.array(DocumentRef).max(100).optional(),
}

const Reason = z.string().max(1000)

/**
 * Zod schema for {@link StatusEvent} (discriminated on `type`).
 *
 * @example
 * ```ts
 * StatusEvent.parse({ type: 'suspend', id: 'e7', seq: 7, at: '2025-03-01T10:00:00Z',
 *   by: { id: 'urn:felles:employee:kari', role: 'officer' }, visibility: 'internal', reason: 'Venter på uttale' })
 * ```
 */
export const StatusEvent: z.ZodType<StatusEvent> = z.discriminatedUnion('type', [
  z.strictObject({
    ...eventBase,
    type: z.literal('status'),
    statusType: Code,
    lifecycle: Lifecycle,
    result: Result.optional(),
  }),
  z.strictObject({ ...eventBase, type: z.literal('result'), result: Result, reason: Reason.optional() }),
  z.strictObject({ ...eventBase, type: z.literal('suspend'), reason: Reason }),
  z.strictObject({ ...eventBase, type: z.literal('resume') }),
  z.strictObject({ ...eventBase, type: z.literal('extend'), duration: IsoDuration, reason: Reason }),
  z.strictObject({ ...eventBase, type: z.literal('reopen'), statusType: Code, reason: Reason }),
  z.strictObject({
    ...eventBase,
    type: z.literal('assign'),
    administrativeUnit: ShortText.optional(),
    responsibleOfficer: ShortText.optional(),
  }),
  z.strictObject({ ...eventBase, type: z.literal('note') }),
])

// ---------------------------------------------------------------------------
// Case

/** A period in which the deadline clock stood still. */
export interface Suspension {
  /** When it started. */
  readonly from: Instant
  /** When it ended; absent while it lasts. */
  readonly to?: Instant | undefined
  /** Why. */
  readonly reason: string
}

/**
 * Zod schema for {@link Suspension}.
 *
 * @example
 * ```ts
 * Suspension.parse({ from: '2025-03-01T10:00:00Z', reason: 'Venter på dokumentasjon' })
 * ```
 */
export const Suspension: z.ZodType<Suspension> = z.strictObject({
  from: Instant,
  to: Instant.optional(),
  reason: Reason,
})

/** Time added to the deadlines. */
export interface Extension {
  /** When it was granted. */
  readonly at: Instant
  /** How much. */
  readonly duration: IsoDuration
  /** Why. */
  readonly reason: string
}

/**
 * Zod schema for {@link Extension}.
 *
 * @example
 * ```ts
 * Extension.parse({ at: '2025-03-01T10:00:00Z', duration: 'P2W', reason: 'Omfattende sak' })
 * ```
 */
export const Extension: z.ZodType<Extension> = z.strictObject({
  at: Instant,
  duration: IsoDuration,
  reason: Reason,
})

/** Noark 5 identifiers of the case file (saksmappe). */
export interface NoarkIds {
  /** M011 saksaar. */
  readonly saksaar: number
  /** M012 sakssekvensnummer. */
  readonly sakssekvensnummer: number
  /** M003 mappeID, usually `saksaar/sakssekvensnummer`. */
  readonly mappeId?: string | undefined
  /** M001 systemID. */
  readonly systemId?: string | undefined
}

/**
 * Zod schema for {@link NoarkIds}.
 *
 * @example
 * ```ts
 * NoarkIds.parse({ saksaar: 2025, sakssekvensnummer: 123, mappeId: '2025/123' })
 * ```
 */
export const NoarkIds: z.ZodType<NoarkIds> = z.strictObject({
  saksaar: z.number().int().min(1900).max(9999),
  sakssekvensnummer: z.number().int().min(1).max(2_147_483_647),
  mappeId: Identifier.optional(),
  systemId: Identifier.optional(),
})

/** A reference to the case in another system. Never a national identity number. */
export interface ExternalRef {
  /** The other system. */
  readonly system: string
  /** The id there. */
  readonly id: string
}

/**
 * Zod schema for {@link ExternalRef}.
 *
 * @example
 * ```ts
 * ExternalRef.parse({ system: 'fagsystem', id: 'BYGG-2025-0042' })
 * ```
 */
export const ExternalRef: z.ZodType<ExternalRef> = z.strictObject({
  system: z.string().min(1).max(40),
  id: Identifier,
})

/**
 * A case (sak) with its status history. The fields from `lifecycle` on are
 * derived from `events`; {@link applyEvent} keeps them in step and
 * {@link parseCase} checks that they are.
 */
export interface Case {
  /** Format version of this object. */
  readonly schemaVersion: 1
  /** The case's id in the municipality (never a national identity number). */
  readonly id: string
  /** The case type's id. */
  readonly caseTypeId: Code
  /** The case type's track (for example `simple` or `ordinary` for a building permit). */
  readonly track?: Code | undefined
  /** Noark identifiers. */
  readonly noark?: NoarkIds | undefined
  /** References in other systems. */
  readonly externalRefs: readonly ExternalRef[]
  /** M020 tittel. */
  readonly title: LocalizedText
  /** M025 offentligTittel: the title without screened words; shown where the case is screened. */
  readonly publicTitle?: LocalizedText | undefined
  /** The parties. */
  readonly parties: readonly Party[]
  /** Screening of the case. */
  readonly screening?: Screening | undefined
  /** When the case started (M100 saksdato, as an instant); nothing happens before it. */
  readonly startedAt: Instant
  /** M305 administrativEnhet (changed by `assign` events). */
  readonly administrativeUnit?: string | undefined
  /** M306 saksansvarlig (changed by `assign` events). */
  readonly responsibleOfficer?: string | undefined
  /** The lifecycle state. */
  readonly lifecycle: Lifecycle
  /** The current status type's code; absent in `draft` before any status event. */
  readonly statusType?: Code | undefined
  /** The current result. */
  readonly result?: Result | undefined
  /** End date: set when the case is closed, withdrawn or cancelled; cleared by reopening. */
  readonly closedAt?: Instant | undefined
  /** Suspensions of the deadline clock. */
  readonly suspensions: readonly Suspension[]
  /** Extensions of the deadlines. */
  readonly extensions: readonly Extension[]
  /** The journal entries, as last updated by events. */
  readonly documents: readonly DocumentRef[]
  /** The history, in order. */
  readonly events: readonly StatusEvent[]
}

const caseShape = {
  schemaVersion: z.literal(1),
  id: CaseId,
  caseTypeId: Code,
  track: Code.optional(),
  noark: NoarkIds.optional(),
  externalRefs: z.array(ExternalRef).max(20),
  title: LocalizedText,
  publicTitle: LocalizedText.optional(),
  parties: z.array(Party).max(100),
  screening: Screening.optional(),
  startedAt: Instant,
  administrativeUnit: ShortText.optional(),
  responsibleOfficer: ShortText.optional(),
  lifecycle: Lifecycle,
  statusType: Code.optional(),
  result: Result.optional(),
  closedAt: Instant.optional(),
  suspensions: z.array(Suspension).max(LIMITS.maxEvents),
  extensions: z.array(Extension).max(LIMITS.maxEvents),
  documents: z.array(DocumentRef).max(LIMITS.maxArrayLength),
  events: z.array(StatusEvent).max(LIMITS.maxEvents),
}

/**
 * Zod schema for the shape of a {@link Case}. It checks fields, not the rules
 * between them: use {@link parseCase} for untrusted input (size limits first,
 * then this schema, then every invariant).
 *
 * @example
 * ```ts
 * const shapeOnly = Case.safeParse(json)
 * ```
 */
export const Case: z.ZodType<Case> = z.strictObject(caseShape)

// ---------------------------------------------------------------------------
// Case types

/** A status a case of a given type can have, with what the citizen is told. */
export interface StatusType {
  /** Unique in the case type. */
  readonly code: Code
  /** Order among the status types (ZGW volgnummer). */
  readonly sequence: number
  /** The lifecycle state it belongs to. */
  readonly lifecycle: Lifecycle
  /** A short label, at most 25 characters (Dialogporten's extendedStatus label). */
  readonly label: LocalizedText
  /** What it means for the citizen (ZGW statustekst). */
  readonly citizenText: LocalizedText
  /** Whether to notify the citizen on entering it (ZGW informeren). */
  readonly notifyCitizen: boolean
  /** Whether the citizen must act (Dialogporten RequiresAttention). */
  readonly citizenMustAct: boolean
  /** Whether the citizen sees this status; internal ones show the last visible status instead. */
  readonly visibility: Visibility
  /** Progress 1–100 shown in Dialogporten; defaults by lifecycle state. */
  readonly progress?: number | undefined
}

/**
 * Zod schema for {@link StatusType}.
 *
 * @example
 * ```ts
 * StatusType.parse({ code: 'mottatt', sequence: 1, lifecycle: 'received', label: { nb: 'Mottatt' },
 *   citizenText: { nb: 'Vi har mottatt søknaden.' }, notifyCitizen: true, citizenMustAct: false, visibility: 'citizen' })
 * ```
 */
export const StatusType: z.ZodType<StatusType> = z
  .strictObject({
    code: Code,
    sequence: z.number().int().min(1).max(999),
    lifecycle: Lifecycle,
    label: shortLocalizedText(25),
    citizenText: LocalizedText,
    notifyCitizen: z.boolean(),
    citizenMustAct: z.boolean(),
    visibility: Visibility,
    progress: z.number().int().min(1).max(100).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.visibility === 'internal' && (s.notifyCitizen || s.citizenMustAct)) {
      ctx.addIssue({
        code: 'custom',
        message: 'An internal status type cannot notify the citizen or ask them to act',
      })
    }
    if (s.citizenMustAct && s.lifecycle !== 'awaiting_citizen' && s.lifecycle !== 'draft') {
      ctx.addIssue({
        code: 'custom',
        message: 'Only awaiting_citizen and draft status types ask the citizen to act',
      })
    }
  })

/** A deadline rule: an ISO-8601 duration, counted in calendar or working days. */
export interface DeadlineRule {
  /** For example `P12W`. */
  readonly duration: IsoDuration
  /** Calendar days (Europe/Oslo) or Norwegian working days. */
  readonly counting: Counting
  /** Where the deadline comes from, for example `pbl. § 21-7`. */
  readonly legalBasis?: string | undefined
  /**
   * Whether a deadline that ends on a weekend or public holiday moves to the
   * next working day (the rule of domstolloven § 148). Default `true`.
   */
  readonly rollForward?: boolean | undefined
  /** An explanation for the citizen. */
  readonly description?: LocalizedText | undefined
}

/**
 * Zod schema for {@link DeadlineRule}.
 *
 * @example
 * ```ts
 * DeadlineRule.parse({ duration: 'P12W', counting: 'calendar-days', legalBasis: 'pbl. § 21-7' })
 * ```
 */
export const DeadlineRule: z.ZodType<DeadlineRule> = z.strictObject({
  duration: IsoDuration,
  counting: z.enum(['calendar-days', 'working-days']),
  legalBasis: z.string().min(1).max(200).optional(),
  rollForward: z.boolean().optional(),
  description: LocalizedText.optional(),
})

/** A variant of a case type with its own deadlines (for example a simple building application). */
export interface Track {
  /** Unique in the case type. */
  readonly code: Code
  /** Its name. */
  readonly name: LocalizedText
  /** The legal deadline (saksbehandlingsfrist). */
  readonly legalDeadline?: DeadlineRule | undefined
  /** The municipality's service norm (tjenestenorm). */
  readonly serviceNorm?: DeadlineRule | undefined
}

/**
 * Zod schema for {@link Track}.
 *
 * @example
 * ```ts
 * Track.parse({ code: 'simple', name: { nb: 'Enkel sak' }, legalDeadline: { duration: 'P3W', counting: 'calendar-days' } })
 * ```
 */
export const Track: z.ZodType<Track> = z.strictObject({
  code: Code,
  name: LocalizedText,
  legalDeadline: DeadlineRule.optional(),
  serviceNorm: DeadlineRule.optional(),
})

/** The appeal rule of a case type. */
export interface AppealRule {
  /** The appeal period, `P3W` under forvaltningsloven § 29. */
  readonly duration: IsoDuration
  /** For example `fvl. § 29`. */
  readonly legalBasis: string
  /** Who decides an appeal. */
  readonly appealBody?: LocalizedText | undefined
}

/**
 * Zod schema for {@link AppealRule}.
 *
 * @example
 * ```ts
 * AppealRule.parse({ duration: 'P3W', legalBasis: 'fvl. § 29' })
 * ```
 */
export const AppealRule: z.ZodType<AppealRule> = z.strictObject({
  duration: IsoDuration,
  legalBasis: z.string().min(1).max(200),
  appealBody: LocalizedText.optional(),
})

/** A kind of case, with its status types, outcomes, tracks and deadlines. */
export interface CaseType {
  /** Unique id, for example `byggesak`. */
  readonly id: Code
  /** Version of this definition. */
  readonly version: number
  /** Its name (also the non-sensitive title of its cases). */
  readonly name: LocalizedText
  /** A description. */
  readonly description?: LocalizedText | undefined
  /** The law it is decided under. */
  readonly legalBasis?: string | undefined
  /** The Fiks Innsyn folder type. */
  readonly fiksInnsynType: 'BYGGESAK' | 'SAK'
  /** Its status types. */
  readonly statusTypes: readonly StatusType[]
  /** The outcomes its results may have. */
  readonly resultOutcomes: readonly ResultOutcome[]
  /** Its tracks; the first is the default. */
  readonly tracks: readonly Track[]
  /** Whether the deadline clock may be suspended. */
  readonly suspensionAllowed: boolean
  /** Whether deadlines may be extended. */
  readonly extensionAllowed: boolean
  /** The appeal rule, when decisions can be appealed. */
  readonly appeal?: AppealRule | undefined
  /** Actor roles allowed to reopen a closed case. Default `manager` and `archivist`. */
  readonly reopenRoles?: readonly ActorRole[] | undefined
}

const REQUIRED_LIFECYCLES = [
  'received',
  'in_progress',
  'decided',
  'closed',
  'withdrawn',
  'cancelled',
] as const

/**
 * Zod schema for {@link CaseType}. Checks unique codes and sequences, that
 * received, in_progress, decided, closed, withdrawn and cancelled each have a
 * status type, and that `withdrawn` is an allowed outcome.
 *
 * @example
 * ```ts
 * CaseType.parse(byggesak)
 * ```
 */
export const CaseType: z.ZodType<CaseType> = z
  .strictObject({
    id: Code,
    version: z.number().int().min(1),
    name: LocalizedText,
    description: LocalizedText.optional(),
    legalBasis: z.string().min(1).max(200).optional(),
    fiksInnsynType: z.enum(['BYGGESAK', 'SAK']),
    statusTypes: z.array(StatusType).min(1).max(100),
    resultOutcomes: z.array(ResultOutcome).min(1).max(6),
    tracks: z.array(Track).min(1).max(20),
    suspensionAllowed: z.boolean(),
    extensionAllowed: z.boolean(),
    appeal: AppealRule.optional(),
    reopenRoles: z.array(ActorRole).max(5).optional(),
  })
  .superRefine((t, ctx) => {
    const codes = new Set<string>()
    const sequences = new Set<number>()
    for (const s of t.statusTypes) {
      if (codes.has(s.code)) ctx.addIssue({ code: 'custom', message: `Duplicate status type code ${s.code}` })
      if (sequences.has(s.sequence))
        ctx.addIssue({ code: 'custom', message: `Duplicate sequence ${s.sequence}` })
      codes.add(s.code)
      sequences.add(s.sequence)
    }
    for (const lifecycle of REQUIRED_LIFECYCLES) {
      if (!t.statusTypes.some((s) => s.lifecycle === lifecycle)) {
        ctx.addIssue({ code: 'custom', message: `No status type for lifecycle state ${lifecycle}` })
      }
    }
    if (!t.resultOutcomes.includes('withdrawn')) {
      ctx.addIssue({ code: 'custom', message: 'The outcome "withdrawn" must be allowed' })
    }
    const tracks = new Set<string>()
    for (const track of t.tracks) {
      if (tracks.has(track.code)) ctx.addIssue({ code: 'custom', message: `Duplicate track ${track.code}` })
      tracks.add(track.code)
    }
  })
