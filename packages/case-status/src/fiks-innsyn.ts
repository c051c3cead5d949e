import { isCitizenEvent, visibleStatusType } from './citizen-view.js'
import { caseDeadlines } from './deadlines.js'
import type { WorkingDayOptions } from './holidays.js'
import { isEnded } from './lifecycle.js'
import type { Journalposttype } from './noark/codes.js'
import {
  type Case,
  type CaseType,
  ORGANISATION_URN_PREFIX,
  type Party,
  type PartyRole,
  PERSON_URN_PREFIX,
} from './schemas.js'
import { type Language, type LocalizedText, textIn } from './text.js'
import { type Instant, osloDate } from './time.js'

/** A party in Fiks Innsyn (`part.v1.json`). */
export interface FiksInnsynPart {
  readonly type: 'PERSON' | 'ORGANISASJON'
  readonly rolle: string
  readonly navn: string
  /** Organisasjonsnummer, or fødselsnummer for `minPart` only. */
  readonly id?: string
}

/** A milestone (`milepel.v1.json`). */
export interface FiksInnsynMilepel {
  readonly navn: string
  readonly startdato: Instant
  readonly sluttdato: Instant | null
  readonly beskrivelse: string | null
}

/** A link (`lenke.v1.json`): predefined (SVAR, KLAGE) or with its own text in four languages. */
export interface FiksInnsynLenke {
  readonly url: string
  readonly predefinert?: { readonly type: 'SVAR' | 'KLAGE' }
  readonly egendefinert?: {
    readonly bokmal?: string
    readonly nynorsk?: string
    readonly engelsk?: string
    readonly nordsamisk?: string
  }
}

/** A case folder (`mappe.v1.json`). */
export interface FiksInnsynMappe {
  readonly type: 'BYGGESAK' | 'SAK'
  readonly tittel: string
  readonly mappeId: string | null
  readonly systemId: string | null
  readonly saksaar: number | null
  readonly sakssekvensnummer: number | null
  readonly minPart?: FiksInnsynPart
  readonly andreParter: readonly FiksInnsynPart[]
  readonly saksdato: Instant
  readonly saksansvarlig: string | null
  readonly sistOppdatert: Instant
  readonly erAvsluttet: boolean
  readonly avsluttet: Instant | null
  readonly milepeler: readonly FiksInnsynMilepel[]
  readonly navaerendeMilepel?: FiksInnsynMilepel
  readonly lenker: readonly FiksInnsynLenke[]
}

/** A journal entry (`journalpost.v1.json`), with the appeal deadline on the decision. */
export interface FiksInnsynJournalpost {
  readonly tittel: string
  readonly journalposttype: Journalposttype
  readonly mappeId: {
    readonly mappeId: string | null
    readonly systemId: string | null
    readonly saksaar: number | null
    readonly sakssekvensnummer: number | null
  }
  readonly registreringsId: string
  readonly journaldato: Instant | null
  readonly klagefrist: Instant | null
}

/** Options for the Fiks Innsyn mapping. */
export interface FiksInnsynOptions extends WorkingDayOptions {
  /** The case's type. */
  readonly caseType: CaseType
  /** The party the folder is indexed for; default the first applicant (or first party). */
  readonly minPart?: string | undefined
  /** The language of the texts (Fiks Innsyn's texts are single-language except custom links). Default `nb`. */
  readonly language?: Language | undefined
  /** Now, for the appeal window; default the last event's time. */
  readonly asOf?: Instant | undefined
  /** Where the citizen replies when asked for documentation (predefined link SVAR). */
  readonly replyUrl?: string | undefined
  /** Where the citizen appeals while the appeal deadline runs (predefined link KLAGE). */
  readonly appealUrl?: string | undefined
  /** More links, each with its text in up to four languages. */
  readonly links?: readonly { readonly url: string; readonly text: LocalizedText }[] | undefined
}

const ROLE_NB: Readonly<Record<PartyRole, string>> = {
  applicant: 'Søker',
  co_applicant: 'Medsøker',
  representative: 'Fullmektig',
  guardian: 'Foresatt',
  child: 'Barn',
  neighbour: 'Nabo',
  owner: 'Eier',
  other: 'Part',
}

function part(party: Party, withPersonId: boolean): FiksInnsynPart | undefined {
  if (party.name === undefined) return undefined
  if (party.id.startsWith(ORGANISATION_URN_PREFIX)) {
    return {
      type: 'ORGANISASJON',
      rolle: ROLE_NB[party.role],
      navn: party.name,
      id: party.id.slice(ORGANISATION_URN_PREFIX.length),
    }
  }
  const person: { -readonly [K in keyof FiksInnsynPart]: FiksInnsynPart[K] } = {
    type: 'PERSON',
    rolle: ROLE_NB[party.role],
    navn: party.name,
  }
  if (withPersonId && party.id.startsWith(PERSON_URN_PREFIX))
    person.id = party.id.slice(PERSON_URN_PREFIX.length)
  return person
}

/**
 * Maps a case to a KS Fiks Innsyn case folder (`mappe.v1.json`), for the
 * citizen's overview on min.kommune.no. Built from what the citizen may see:
 * the milestones are the citizen-visible statuses (Fiks Innsyn uses
 * milestones instead of a status enum), the title is the public title (or
 * the case type's name) where the case is screened. Links: `SVAR` while the
 * citizen must act, `KLAGE` while the appeal deadline runs, plus custom links
 * with texts in bokmål, nynorsk, English and North Sami. The national
 * identity number appears only in `minPart.id` (the person the folder is
 * indexed for); other persons are listed without one, and parties without
 * a name are left out (Fiks Innsyn requires a name).
 *
 * @param value - The case.
 * @param options - Case type, language, links, `asOf`.
 * @returns The folder.
 * @see https://github.com/ks-no/fiks-innsyn-json-schema
 * @example
 * ```ts
 * const mappe = toFiksInnsynMappe(sak, { caseType: byggesak, appealUrl: 'https://kommune.no/klage' })
 * ```
 */
export function toFiksInnsynMappe(value: Case, options: FiksInnsynOptions): FiksInnsynMappe {
  const { caseType } = options
  if (caseType.id !== value.caseTypeId)
    throw new TypeError('The case type given is not the case type of the case')
  const lang = options.language ?? 'nb'
  const last = value.events[value.events.length - 1]?.at ?? value.startedAt
  const asOf = options.asOf ?? last
  const screened =
    value.screening !== undefined &&
    (value.screening.until === undefined || value.screening.until >= osloDate(asOf))
  const tittel = textIn(screened ? (value.publicTitle ?? caseType.name) : value.title, lang)

  const starts: { navn: string; startdato: Instant; beskrivelse: string }[] = []
  for (const event of value.events) {
    if (!isCitizenEvent(event, caseType)) continue
    const statusType = visibleStatusType(event, caseType)
    if (!statusType) continue
    starts.push({
      navn: textIn(statusType.label, lang),
      startdato: event.at,
      beskrivelse: textIn(statusType.citizenText, lang),
    })
  }
  const milepeler: FiksInnsynMilepel[] = starts.map((m, i) => ({
    navn: m.navn,
    startdato: m.startdato,
    sluttdato: starts[i + 1]?.startdato ?? null,
    beskrivelse: m.beskrivelse,
  }))

  const minPartId =
    options.minPart ?? (value.parties.find((p) => p.role === 'applicant') ?? value.parties[0])?.id
  const minParty = value.parties.find((p) => p.id === minPartId)
  const lenker: FiksInnsynLenke[] = []
  const statusType = caseType.statusTypes.find((s) => s.code === value.statusType)
  if (
    options.replyUrl !== undefined &&
    value.lifecycle === 'awaiting_citizen' &&
    statusType?.citizenMustAct
  ) {
    lenker.push({ url: options.replyUrl, predefinert: { type: 'SVAR' } })
  }
  if (options.appealUrl !== undefined && value.lifecycle === 'decided') {
    const appeal = caseDeadlines(value, caseType, { asOf, closedDays: options.closedDays }).appeal
    if (appeal?.open) lenker.push({ url: options.appealUrl, predefinert: { type: 'KLAGE' } })
  }
  for (const link of options.links ?? []) {
    const own: { bokmal?: string; nynorsk?: string; engelsk?: string; nordsamisk?: string } = {}
    if (link.text.nb !== undefined) own.bokmal = link.text.nb
    if (link.text.nn !== undefined) own.nynorsk = link.text.nn
    if (link.text.en !== undefined) own.engelsk = link.text.en
    if (link.text.se !== undefined) own.nordsamisk = link.text.se
    lenker.push({ url: link.url, egendefinert: own })
  }

  const mappe: { -readonly [K in keyof FiksInnsynMappe]: FiksInnsynMappe[K] } = {
    type: caseType.fiksInnsynType,
    tittel,
    mappeId: value.noark?.mappeId ?? null,
    systemId: value.noark?.systemId ?? null,
    saksaar: value.noark?.saksaar ?? null,
    sakssekvensnummer: value.noark?.sakssekvensnummer ?? null,
    andreParter: value.parties
      .filter((p) => p.id !== minPartId)
      .flatMap((p) => {
        const mapped = part(p, false)
        return mapped ? [mapped] : []
      }),
    saksdato: value.startedAt,
    saksansvarlig: value.responsibleOfficer ?? null,
    sistOppdatert: last,
    erAvsluttet: isEnded(value.lifecycle),
    avsluttet: value.closedAt ?? null,
    milepeler,
    lenker,
  }
  const minPart = minParty ? part(minParty, true) : undefined
  if (minPart) mappe.minPart = minPart
  const current = milepeler[milepeler.length - 1]
  if (current) mappe.navaerendeMilepel = current
  return mappe
}

/**
 * Maps a citizen-visible journal entry of a case to a Fiks Innsyn journal
 * entry (`journalpost.v1.json`). The entry holding the decision
 * (`result.documentId`) carries the appeal deadline in `klagefrist`.
 *
 * @param value - The case.
 * @param documentId - The entry's id.
 * @param options - Case type and `asOf`.
 * @returns The entry, or `undefined` when it does not exist or is internal.
 * @see https://github.com/ks-no/fiks-innsyn-json-schema
 * @example
 * ```ts
 * const jp = toFiksInnsynJournalpost(sak, sak.result?.documentId ?? '', { caseType: byggesak })
 * jp?.klagefrist
 * ```
 */
export function toFiksInnsynJournalpost(
  value: Case,
  documentId: string,
  options: Pick<FiksInnsynOptions, 'caseType' | 'asOf' | 'closedDays'>,
): FiksInnsynJournalpost | undefined {
  const doc = value.documents.find((d) => d.id === documentId)
  if (doc?.visibility !== 'citizen') return undefined
  const asOf = options.asOf ?? value.events[value.events.length - 1]?.at ?? value.startedAt
  let klagefrist: Instant | null = null
  if (value.result?.documentId === doc.id) {
    const appeal = caseDeadlines(value, options.caseType, { asOf, closedDays: options.closedDays }).appeal
    if (appeal) klagefrist = appeal.dueAt
  }
  const screenedTitle = doc.screening !== undefined || value.screening !== undefined
  return {
    tittel: screenedTitle ? (doc.publicTitle ?? textIn(options.caseType.name, 'nb')) : doc.title,
    journalposttype: doc.journalpostType,
    mappeId: {
      mappeId: value.noark?.mappeId ?? null,
      systemId: value.noark?.systemId ?? null,
      saksaar: value.noark?.saksaar ?? null,
      sakssekvensnummer: value.noark?.sakssekvensnummer ?? null,
    },
    registreringsId: doc.id,
    journaldato: doc.registeredAt ?? null,
    klagefrist,
  }
}
