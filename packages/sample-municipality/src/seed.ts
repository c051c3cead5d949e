import { randomBytes, randomUUID } from 'node:crypto'
import {
  applyEventOrThrow,
  barnehageplass,
  byggesak,
  type Case,
  type CaseType,
  createCase,
  type DocumentRef,
  type LocalizedText,
  type Result,
  type Screening,
  type StatusEvent,
  serializeCase,
  skjenkebevilling,
} from '@felles/case-status'
import type { Kysely, Transaction } from 'kysely'
import { simplePdf } from './pdf.js'
import type { Database } from './schema.js'

/** A person to seed demo data for (from the identity mock's login page). */
export interface DemoPerson {
  /** Synthetic fødselsnummer or D-nummer (month + 80). */
  readonly nationalId: string
  readonly givenName: string
  readonly familyName: string
}

/** The case types the demo uses, by id. */
export const DEMO_CASE_TYPES: Readonly<Record<string, CaseType>> = {
  byggesak,
  barnehageplass,
  skjenkebevilling,
}

/** The municipality's officers in the demo (case contacts). */
export const DEMO_OFFICERS: readonly { readonly id: string; readonly name: string; readonly unit: string }[] =
  [
    { id: 'urn:felles:employee:kari-nordli', name: 'Kari Nordli', unit: 'Byggesak og plan' },
    { id: 'urn:felles:employee:ola-haugen', name: 'Ola Haugen', unit: 'Oppvekst og barnehage' },
    { id: 'urn:felles:employee:siri-bakke', name: 'Siri Bakke', unit: 'Næring og skjenking' },
  ]

const DAY = 24 * 3600_000

/** An opaque id for URLs: 128 random bits, base32 (never derived from a person). */
export function opaqueId(prefix: string): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  const bytes = randomBytes(16)
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31]
  return `${prefix}-${out}`
}

type EventInput<T> = T extends unknown
  ? Omit<T, 'id' | 'seq' | 'at' | 'by' | 'visibility'> & { readonly visibility?: 'citizen' | 'internal' }
  : never

interface Step {
  readonly at: number
  readonly event: EventInput<StatusEvent>
}

interface CaseSpec {
  readonly type: CaseType
  readonly track: string
  readonly title: LocalizedText
  readonly publicTitle?: LocalizedText
  readonly screening?: Screening
  readonly officer: (typeof DEMO_OFFICERS)[number]
  readonly startedAt: number
  readonly steps: readonly Step[]
}

function doc(
  id: string,
  type: 'I' | 'U',
  title: string,
  at: number,
  extra: { publicTitle?: string; screening?: Screening } = {},
): DocumentRef {
  return {
    id,
    journalpostType: type,
    journalStatus: 'J',
    documentStatus: 'F',
    title,
    ...(extra.publicTitle === undefined ? {} : { publicTitle: extra.publicTitle }),
    ...(extra.screening === undefined ? {} : { screening: extra.screening }),
    visibility: 'citizen',
    registeredAt: new Date(at).toISOString(),
  }
}

/**
 * Builds one case through `@felles/case-status` (every rule checked as the
 * events are applied).
 *
 * @returns The case.
 */
export function buildCase(id: string, pid: string, name: string, spec: CaseSpec, seqBase = 0): Case {
  const year = new Date(spec.startedAt).getUTCFullYear()
  const number = 1000 + (Number.parseInt(randomBytes(2).toString('hex'), 16) % 8000) + seqBase
  let value = createCase({
    id,
    caseTypeId: spec.type.id,
    track: spec.track,
    noark: { saksaar: year, sakssekvensnummer: number, mappeId: `${year}/${number}` },
    title: spec.title,
    ...(spec.publicTitle === undefined ? {} : { publicTitle: spec.publicTitle }),
    ...(spec.screening === undefined ? {} : { screening: spec.screening }),
    parties: [{ id: `urn:altinn:person:identifier-no:${pid}`, role: 'applicant', name }],
    startedAt: new Date(spec.startedAt).toISOString(),
    administrativeUnit: spec.officer.unit,
    responsibleOfficer: spec.officer.name,
  })
  let seq = 0
  for (const step of spec.steps) {
    seq++
    const event = {
      visibility: 'citizen',
      ...step.event,
      id: `e${seq}`,
      seq,
      at: new Date(step.at).toISOString(),
      by: { id: spec.officer.id, role: 'officer', name: spec.officer.name },
    } as StatusEvent
    value = applyEventOrThrow(value, event, { caseType: spec.type })
  }
  return value
}

const SCREENED: Screening = {
  accessRestriction: '13',
  legalBasis: 'Offl. § 13 jf. fvl. § 13 første ledd nr. 1',
  metadata: [],
  documents: 'H',
}

/** The demo cases of one person, relative to `now`. */
export function demoCaseSpecs(now: number): CaseSpec[] {
  const [bygg, barnehage, skjenk] = DEMO_OFFICERS as [
    (typeof DEMO_OFFICERS)[number],
    (typeof DEMO_OFFICERS)[number],
    (typeof DEMO_OFFICERS)[number],
  ]
  const granted = (at: number, summary: LocalizedText, documentId: string): Result => ({
    outcome: 'granted',
    decidedAt: new Date(at).toISOString(),
    notifiedAt: new Date(at + DAY).toISOString(),
    documentId,
    summary,
  })
  return [
    // 1. Building permit: the municipality waits for documents from the citizen; a screened health statement.
    {
      type: byggesak,
      track: 'ordinary',
      title: { nb: 'Tilbygg til enebolig', nn: 'Tilbygg til einebustad', en: 'Extension to a house' },
      officer: bygg,
      startedAt: now - 30 * DAY,
      steps: [
        {
          at: now - 30 * DAY,
          event: {
            type: 'status',
            statusType: 'mottatt',
            lifecycle: 'received',
            documents: [doc('d1', 'I', 'Søknad om tillatelse til tiltak', now - 30 * DAY)],
          },
        },
        {
          at: now - 25 * DAY,
          event: { type: 'status', statusType: 'under-behandling', lifecycle: 'in_progress' },
        },
        {
          at: now - 20 * DAY,
          event: {
            type: 'note',
            documents: [
              doc('d2', 'I', 'Legeerklæring om behov for tilrettelagt bolig', now - 20 * DAY, {
                publicTitle: 'Helseopplysninger (unntatt offentlighet)',
                screening: SCREENED,
              }),
            ],
          },
        },
        {
          at: now - 6 * DAY,
          event: {
            type: 'status',
            statusType: 'mangler-dokumentasjon',
            lifecycle: 'awaiting_citizen',
            note: {
              nb: 'Send oss situasjonsplan og fasadetegninger innen tre uker.',
              nn: 'Send oss situasjonsplan og fasadeteikningar innan tre veker.',
              en: 'Send us a site plan and facade drawings within three weeks.',
            },
            documents: [doc('d3', 'U', 'Brev om manglende dokumentasjon', now - 6 * DAY)],
          },
        },
      ],
    },
    // 2. Kindergarten place: granted, the appeal deadline runs.
    {
      type: barnehageplass,
      track: 'hovedopptak',
      title: {
        nb: 'Søknad om barnehageplass, Solbakken barnehage',
        nn: 'Søknad om barnehageplass, Solbakken barnehage',
        en: 'Kindergarten place application, Solbakken kindergarten',
      },
      officer: barnehage,
      startedAt: now - 50 * DAY,
      steps: [
        {
          at: now - 50 * DAY,
          event: {
            type: 'status',
            statusType: 'mottatt',
            lifecycle: 'received',
            documents: [doc('d1', 'I', 'Søknad om barnehageplass', now - 50 * DAY)],
          },
        },
        {
          at: now - 40 * DAY,
          event: { type: 'status', statusType: 'under-behandling', lifecycle: 'in_progress' },
        },
        {
          at: now - 5 * DAY,
          event: {
            type: 'status',
            statusType: 'svar-sendt',
            lifecycle: 'decided',
            result: granted(
              now - 5 * DAY,
              {
                nb: 'Du har fått plass i Solbakken barnehage fra 1. august.',
                nn: 'Du har fått plass i Solbakken barnehage frå 1. august.',
                en: 'You have been offered a place at Solbakken kindergarten from 1 August.',
              },
              'd2',
            ),
            documents: [doc('d2', 'U', 'Vedtak om barnehageplass', now - 5 * DAY)],
          },
        },
      ],
    },
    // 3. Serving licence: in progress past its deadline (overdue).
    {
      type: skjenkebevilling,
      track: 'enkeltanledning',
      title: {
        nb: 'Skjenkebevilling for sommerfest i Havnes',
        nn: 'Skjenkeløyve for sommarfest i Havnes',
        en: 'Serving licence for a summer party in Havnes',
      },
      officer: skjenk,
      startedAt: now - 45 * DAY,
      steps: [
        {
          at: now - 45 * DAY,
          event: {
            type: 'status',
            statusType: 'mottatt',
            lifecycle: 'received',
            documents: [doc('d1', 'I', 'Søknad om skjenkebevilling for enkeltanledning', now - 45 * DAY)],
          },
        },
        {
          at: now - 40 * DAY,
          event: { type: 'status', statusType: 'under-behandling', lifecycle: 'in_progress' },
        },
        {
          at: now - 30 * DAY,
          event: {
            type: 'status',
            statusType: 'til-uttalelse',
            lifecycle: 'awaiting_other',
            documents: [doc('d2', 'U', 'Oversendelse til politiet for uttalelse', now - 30 * DAY)],
          },
        },
        {
          at: now - 10 * DAY,
          event: { type: 'status', statusType: 'under-behandling', lifecycle: 'in_progress' },
        },
      ],
    },
    // 4. An older building case: just received (simple track).
    {
      type: byggesak,
      track: 'simple',
      title: { nb: 'Riving av garasje', nn: 'Riving av garasje', en: 'Demolition of a garage' },
      officer: bygg,
      startedAt: now - 3 * DAY,
      steps: [
        {
          at: now - 3 * DAY,
          event: {
            type: 'status',
            statusType: 'mottatt',
            lifecycle: 'received',
            documents: [doc('d1', 'I', 'Søknad om riving', now - 3 * DAY)],
          },
        },
      ],
    },
  ]
}

/** Options for {@link seedDemo}. */
export interface SeedDemoOptions {
  /** Now, for the demo's relative dates. Default the current time. */
  readonly now?: Date
  /** The seed's name in `seed_runs` (once per name). Default `demo-v1`. */
  readonly name?: string
}

const letterStatuses = [
  ['LEVERT_SDP', 'delivered-digitally', 1],
  ['LEST', 'read', 1],
  ['SENDT_PRINT', 'sent-to-print', 0],
  ['VARSLET', 'delivered-digitally', 0],
] as const

/**
 * Seeds the demo municipality for the given persons once (idempotent through
 * `seed_runs`, safe when two apps start at the same time): each person gets
 * four cases in different states (waiting for the citizen with a screened
 * document, decided with a running appeal deadline, overdue, just received)
 * and four letters with documents in different delivery states.
 *
 * @param db - The database.
 * @param persons - Synthetic persons (a person without a national id is skipped).
 * @param options - Clock and seed name.
 * @returns Whether this call seeded (false when it had been done).
 */
export async function seedDemo(
  db: Kysely<Database>,
  persons: readonly DemoPerson[],
  options: SeedDemoOptions = {},
): Promise<boolean> {
  const now = (options.now ?? new Date()).getTime()
  const name = options.name ?? 'demo-v1'
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ name, created_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst()
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return false
    let n = 0
    for (const person of persons) {
      await seedPerson(trx, person, now, n++)
    }
    return true
  })
}

async function seedPerson(trx: Transaction<Database>, person: DemoPerson, now: number, index: number) {
  const at = new Date(now).toISOString()
  const name = `${person.givenName} ${person.familyName}`
  await trx
    .insertInto('persons')
    .values({
      pid: person.nationalId,
      given_name: person.givenName,
      family_name: person.familyName,
      address_line: `Fjellveien ${10 + index}`,
      postal_code: '5750',
      city: 'Fjellvik',
      created_at: at,
    })
    .onConflict((oc) => oc.column('pid').doNothing())
    .execute()
  const caseIds: string[] = []
  let k = 0
  for (const spec of demoCaseSpecs(now)) {
    const id = opaqueId('sak')
    const value = buildCase(id, person.nationalId, name, spec, index * 10 + k++)
    const last = value.events.at(-1)
    await trx
      .insertInto('cases')
      .values({
        id,
        owner_pid: person.nationalId,
        owner_orgnr: null,
        case_type: spec.type.id,
        status: value.statusType ?? value.lifecycle,
        title: spec.title.nb ?? '',
        data: serializeCase(value),
        created_at: value.startedAt,
        updated_at: last?.at ?? value.startedAt,
      })
      .execute()
    caseIds.push(id)
  }
  const letters = [
    {
      caseIndex: 0,
      title: 'Brev om manglende dokumentasjon',
      body: 'Vi mangler situasjonsplan og fasadetegninger.',
    },
    { caseIndex: 1, title: 'Vedtak om barnehageplass', body: 'Du har fått plass i Solbakken barnehage.' },
    {
      caseIndex: 2,
      title: 'Foreløpig svar på søknad om skjenkebevilling',
      body: 'Saken er sendt til uttale.',
    },
    {
      caseIndex: -1,
      title: 'Informasjon om eiendomsskatt 2026',
      body: 'Eiendomsskatten for 2026 er fastsatt.',
    },
  ]
  for (const [i, letter] of letters.entries()) {
    const id = randomUUID()
    const [status, phase, final] = letterStatuses[i] as (typeof letterStatuses)[number]
    const created = new Date(now - (8 - i) * DAY).toISOString()
    await trx
      .insertInto('letters')
      .values({
        id,
        case_id: letter.caseIndex >= 0 ? (caseIds[letter.caseIndex] ?? null) : null,
        recipient_kind: 'person',
        recipient_pid: person.nationalId,
        recipient_orgnr: null,
        title: letter.title,
        ekstern_referanse: `felles-demo-${id}`,
        svarut_id: null,
        status,
        phase,
        final,
        created_at: created,
        updated_at: created,
      })
      .execute()
    const pdf = simplePdf(letter.title, [
      'Fjellvik kommune',
      `Til: ${name}`,
      '',
      letter.body,
      '',
      'Dette er et demonstrasjonsbrev med syntetiske opplysninger.',
    ])
    await trx
      .insertInto('letter_documents')
      .values({
        letter_id: id,
        seq: 0,
        filnavn: `${letter.title.toLowerCase().replace(/[^a-z0-9æøå]+/g, '-')}.pdf`,
        mime_type: 'application/pdf',
        size: pdf.byteLength,
        content_base64: Buffer.from(pdf).toString('base64'),
      })
      .execute()
  }
}
