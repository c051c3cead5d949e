import { caseDeadlines } from './deadlines.js'
import { parseDuration } from './duration.js'
import type { WorkingDayOptions } from './holidays.js'
import { uuidV8 } from './internal/ids.js'
import type { Case, CaseType, ResultOutcome, StatusEvent } from './schemas.js'
import { type Language, textIn } from './text.js'
import { type Instant, osloDate, type PlainDate } from './time.js'

/** ZGW vertrouwelijkheidaanduiding (confidentiality). */
export type ZgwVertrouwelijkheid =
  | 'openbaar'
  | 'beperkt_openbaar'
  | 'intern'
  | 'zaakvertrouwelijk'
  | 'vertrouwelijk'
  | 'confidentieel'
  | 'geheim'
  | 'zeer_geheim'

/** A ZGW `Zaak` resource (Zaken API 1.5), as a case registration component returns it. */
export interface ZgwZaak {
  readonly url: string
  readonly uuid: string
  readonly identificatie: string
  readonly bronorganisatie: string
  readonly omschrijving: string
  readonly zaaktype: string
  readonly registratiedatum: PlainDate
  readonly verantwoordelijkeOrganisatie: string
  readonly startdatum: PlainDate
  readonly einddatum: PlainDate | null
  readonly einddatumGepland: PlainDate | null
  readonly uiterlijkeEinddatumAfdoening: PlainDate | null
  readonly vertrouwelijkheidaanduiding: ZgwVertrouwelijkheid
  readonly betalingsindicatie: ''
  readonly betalingsindicatieWeergave: string
  readonly verlenging: { readonly reden: string; readonly duur: string } | null
  readonly opschorting: { readonly indicatie: boolean; readonly reden: string } | null
  readonly deelzaken: readonly string[]
  readonly eigenschappen: readonly string[]
  readonly rollen: readonly string[]
  readonly status: string | null
  readonly resultaat: string | null
  readonly zaakinformatieobjecten: readonly string[]
  readonly zaakobjecten: readonly string[]
  readonly kenmerken: readonly { readonly kenmerk: string; readonly bron: string }[]
  readonly archiefstatus: 'nog_te_archiveren'
}

/** A ZGW `Status` resource. */
export interface ZgwStatus {
  readonly url: string
  readonly uuid: string
  readonly zaak: string
  readonly statustype: string
  readonly datumStatusGezet: Instant
  readonly statustoelichting: string
  readonly indicatieLaatstGezetteStatus: boolean
  readonly zaakinformatieobjecten: readonly string[]
}

/** A ZGW `Resultaat` resource. */
export interface ZgwResultaat {
  readonly url: string
  readonly uuid: string
  readonly zaak: string
  readonly resultaattype: string
  readonly toelichting: string
}

/** What {@link toZgwZaak} returns: a zaak to create or update, or one to delete (a cancelled case). */
export type ZgwSync =
  | { readonly action: 'upsert'; readonly zaak: ZgwZaak }
  | { readonly action: 'delete'; readonly url: string; readonly reason: 'cancelled' }

/** Options for the ZGW mapping. */
export interface ZgwOptions extends WorkingDayOptions {
  /** The case's type. */
  readonly caseType: CaseType
  /** Base URL of the Zaken API, for example `https://zaken.example.org/zaken/api/v1`. */
  readonly zakenApi: string
  /** The ZAAKTYPE URL in the Catalogi API. */
  readonly zaaktype: string
  /** The STATUSTYPE URL of a status type code. */
  readonly statustype: (code: string) => string
  /** The RESULTAATTYPE URL of an outcome. */
  readonly resultaattype?: ((outcome: ResultOutcome) => string) | undefined
  /** RSIN (9 digits) of the organisation that created the case. */
  readonly bronorganisatie: string
  /** RSIN of the organisation responsible; default `bronorganisatie`. */
  readonly verantwoordelijkeOrganisatie?: string | undefined
  /** Language of the texts; default `nb`. */
  readonly language?: Language | undefined
  /** Now, for an ongoing suspension; default the last event's time. */
  readonly asOf?: Instant | undefined
}

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

function base(options: ZgwOptions): string {
  return options.zakenApi.replace(/\/+$/, '')
}

function zaakUrl(value: Case, options: ZgwOptions): { url: string; uuid: string } {
  const uuid = uuidV8(`zaak:${value.id}`)
  return { url: `${base(options)}/zaken/${uuid}`, uuid }
}

function isStatusEvent(event: StatusEvent): event is Extract<StatusEvent, { type: 'status' | 'reopen' }> {
  return event.type === 'status' || event.type === 'reopen'
}

function verlenging(value: Case): ZgwZaak['verlenging'] {
  if (value.extensions.length === 0) return null
  let days = 0
  let simple = true
  for (const e of value.extensions) {
    const parts = parseDuration(e.duration)
    if (!parts || parts.years > 0 || parts.months > 0) simple = false
    else days += parts.weeks * 7 + parts.days
  }
  const last = value.extensions[value.extensions.length - 1]
  return {
    reden: clip(value.extensions.map((e) => e.reason).join('; ') || '-', 200),
    duur: simple ? `P${days}D` : (last?.duration ?? 'P0D'),
  }
}

/**
 * Maps a case to a ZGW `Zaak` (Dutch Zaken API 1.5): registration and start
 * dates as Oslo dates, `einddatum` from the end date (cleared by reopening),
 * `uiterlijkeEinddatumAfdoening` from the legal deadline and
 * `einddatumGepland` from the service norm (or the legal deadline),
 * `opschorting` for a running suspension or `awaiting_other`, `verlenging`
 * from the extensions (added up in days where they are in weeks and days),
 * `status` and `resultaat` as resource URLs. A cancelled case maps to
 * `{ action: 'delete' }`. Resource ids are deterministic.
 *
 * @param value - The case.
 * @param options - Case type, API URLs, organisation numbers.
 * @returns What to send.
 * @see https://vng-realisatie.github.io/gemma-zaken/standaard/zaken/
 * @example
 * ```ts
 * const sync = toZgwZaak(sak, { caseType: byggesak, zakenApi, zaaktype, statustype: (c) => `${catalogi}/statustypen/${c}`, bronorganisatie: '002220647' })
 * ```
 */
export function toZgwZaak(value: Case, options: ZgwOptions): ZgwSync {
  const { caseType } = options
  if (caseType.id !== value.caseTypeId)
    throw new TypeError('The case type given is not the case type of the case')
  const { url, uuid } = zaakUrl(value, options)
  if (value.lifecycle === 'cancelled') return { action: 'delete', url, reason: 'cancelled' }
  const lang = options.language ?? 'nb'
  const asOf = options.asOf ?? value.events[value.events.length - 1]?.at ?? value.startedAt
  const deadlines = caseDeadlines(value, caseType, { asOf, closedDays: options.closedDays })
  const received = value.events.find((e) => e.type === 'status' && e.lifecycle === 'received')
  const statusEvents = value.events.filter(isStatusEvent)
  const lastStatus = statusEvents[statusEvents.length - 1]
  const openSuspension =
    value.suspensions.length > 0 ? value.suspensions[value.suspensions.length - 1] : undefined
  const suspended = openSuspension !== undefined && openSuspension.to === undefined
  const statusType = caseType.statusTypes.find((s) => s.code === value.statusType)
  let opschorting: ZgwZaak['opschorting'] = { indicatie: false, reden: '' }
  if (suspended) opschorting = { indicatie: true, reden: clip(openSuspension.reason || '-', 200) }
  else if (value.lifecycle === 'awaiting_other') {
    opschorting = {
      indicatie: true,
      reden: clip(statusType ? textIn(statusType.label, lang) : 'awaiting_other', 200),
    }
  }
  const title = value.screening !== undefined ? (value.publicTitle ?? caseType.name) : value.title
  const zaak: ZgwZaak = {
    url,
    uuid,
    identificatie: value.noark?.mappeId ?? (value.id.length <= 40 ? value.id : uuid),
    bronorganisatie: options.bronorganisatie,
    omschrijving: clip(textIn(title, lang), 80),
    zaaktype: options.zaaktype,
    registratiedatum: osloDate(value.startedAt),
    verantwoordelijkeOrganisatie: options.verantwoordelijkeOrganisatie ?? options.bronorganisatie,
    startdatum: osloDate(received?.at ?? value.startedAt),
    einddatum: value.closedAt === undefined ? null : osloDate(value.closedAt),
    einddatumGepland: deadlines.serviceNorm?.due ?? deadlines.legal?.due ?? null,
    uiterlijkeEinddatumAfdoening: deadlines.legal?.due ?? null,
    vertrouwelijkheidaanduiding: value.screening !== undefined ? 'zaakvertrouwelijk' : 'openbaar',
    betalingsindicatie: '',
    betalingsindicatieWeergave: '',
    verlenging: verlenging(value),
    opschorting,
    deelzaken: [],
    eigenschappen: [],
    rollen: [],
    status: lastStatus ? statusUrl(value, lastStatus, options) : null,
    resultaat: value.result && options.resultaattype ? resultaatUrl(value, options) : null,
    zaakinformatieobjecten: [],
    zaakobjecten: [],
    kenmerken: value.externalRefs
      .filter((r) => r.id.length <= 40)
      .map((r) => ({ kenmerk: r.id, bron: r.system })),
    archiefstatus: 'nog_te_archiveren',
  }
  return { action: 'upsert', zaak }
}

function statusUrl(value: Case, event: StatusEvent, options: ZgwOptions): string {
  return `${base(options)}/statussen/${uuidV8(`status:${value.id}:${event.id}`)}`
}

function resultaatUrl(value: Case, options: ZgwOptions): string {
  return `${base(options)}/resultaten/${uuidV8(`resultaat:${value.id}`)}`
}

/**
 * Maps a `status` or `reopen` event to a ZGW `Status`. `datumStatusGezet`
 * keeps the event's millisecond, so two statuses in one second stay distinct
 * and in order; a reopen is a new non-final status, as in ZGW.
 *
 * @param value - The case.
 * @param event - A status or reopen event of the case.
 * @param options - As for {@link toZgwZaak}.
 * @returns The status resource.
 * @throws RangeError for another kind of event.
 * @see https://vng-realisatie.github.io/gemma-zaken/standaard/zaken/
 * @example
 * ```ts
 * const statuses = sak.events.filter((e) => e.type === 'status').map((e) => toZgwStatus(sak, e, options))
 * ```
 */
export function toZgwStatus(value: Case, event: StatusEvent, options: ZgwOptions): ZgwStatus {
  if (!isStatusEvent(event)) throw new RangeError('Only status and reopen events are ZGW statuses')
  const lang = options.language ?? 'nb'
  const statusEvents = value.events.filter(isStatusEvent)
  const statusType = options.caseType.statusTypes.find((s) => s.code === event.statusType)
  const toelichting = event.note ?? statusType?.citizenText
  return {
    url: statusUrl(value, event, options),
    uuid: uuidV8(`status:${value.id}:${event.id}`),
    zaak: zaakUrl(value, options).url,
    statustype: options.statustype(event.statusType),
    datumStatusGezet: event.at,
    statustoelichting: toelichting ? clip(textIn(toelichting, lang), 1000) : '',
    indicatieLaatstGezetteStatus: statusEvents[statusEvents.length - 1]?.id === event.id,
    zaakinformatieobjecten: [],
  }
}

/**
 * Maps the case's result to a ZGW `Resultaat` (a withdrawn case has the
 * outcome `withdrawn`).
 *
 * @param value - The case.
 * @param options - As for {@link toZgwZaak}, with `resultaattype`.
 * @returns The result resource, or `undefined` without a result or `resultaattype`.
 * @see https://vng-realisatie.github.io/gemma-zaken/standaard/zaken/
 * @example
 * ```ts
 * toZgwResultaat(sak, { ...options, resultaattype: (o) => `${catalogi}/resultaattypen/${o}` })
 * ```
 */
export function toZgwResultaat(value: Case, options: ZgwOptions): ZgwResultaat | undefined {
  if (!value.result || !options.resultaattype) return undefined
  const lang = options.language ?? 'nb'
  return {
    url: resultaatUrl(value, options),
    uuid: uuidV8(`resultaat:${value.id}`),
    zaak: zaakUrl(value, options).url,
    resultaattype: options.resultaattype(value.result.outcome),
    toelichting: value.result.summary ? clip(textIn(value.result.summary, lang), 1000) : '',
  }
}
