import { byggesak } from '../../src/examples.js'
import {
  type ApplyOptions,
  applyEventOrThrow,
  type Case,
  createCase,
  type StatusEvent,
} from '../../src/index.js'
import type { Actor } from '../../src/schemas.js'

/** Synthetic test persons (Tenor) and organisations: never real people. */
export const PERSON = 'urn:altinn:person:identifier-no:21879498012'
export const PERSON_FNR = '21879498012'
export const NEIGHBOUR = 'urn:altinn:person:identifier-no:20914695016'
export const ORGANISATION = 'urn:altinn:organization:identifier-no:991825827'

export const officer: Actor = {
  id: 'urn:felles:employee:kari.saksbehandler',
  role: 'officer',
  name: 'Kari Saksbehandler',
}
export const manager: Actor = { id: 'urn:felles:employee:leder', role: 'manager', name: 'Lise Leder' }
export const archivist: Actor = { id: 'urn:felles:employee:arkiv', role: 'archivist' }
export const citizen: Actor = { id: PERSON, role: 'citizen', name: 'Ola Nordmann' }

type EventInput = StatusEvent extends infer E
  ? E extends StatusEvent
    ? Omit<E, 'id' | 'seq' | 'by' | 'visibility'> & Partial<Pick<E, 'id' | 'by' | 'visibility'>>
    : never
  : never

/** Appends an event with the next seq and a generated id, throwing on a broken rule. */
export function add(c: Case, input: EventInput, options: ApplyOptions = { caseType: byggesak }): Case {
  const seq = c.events.length + 1
  const event = { id: `e${seq}`, seq, by: officer, visibility: 'citizen', ...input } as StatusEvent
  return applyEventOrThrow(c, event, options)
}

/** The next event for `c` (seq and id filled in), for tests that expect a rejection. */
export function next(c: Case, input: EventInput): StatusEvent {
  const seq = c.events.length + 1
  return { id: `e${seq}`, seq, by: officer, visibility: 'citizen', ...input } as StatusEvent
}

export function newByggesak(overrides: Partial<Parameters<typeof createCase>[0]> = {}): Case {
  return createCase({
    id: 'BYGG-2025-0042',
    caseTypeId: 'byggesak',
    track: 'ordinary',
    noark: { saksaar: 2025, sakssekvensnummer: 42, mappeId: '2025/42', systemId: 'sys-2025-42' },
    externalRefs: [{ system: 'fagsystem', id: 'EBYGG-77' }],
    title: {
      nb: 'Tilbygg til enebolig, Storgata 1',
      nn: 'Tilbygg til einebustad, Storgata 1',
      en: 'Extension to a house, Storgata 1',
    },
    parties: [
      { id: PERSON, role: 'applicant', name: 'Ola Nordmann' },
      { id: NEIGHBOUR, role: 'neighbour', name: 'Nina Nabo' },
      { id: ORGANISATION, role: 'representative', name: 'Ansvarlig Søker AS' },
    ],
    startedAt: '2025-03-03T08:00:00+01:00',
    administrativeUnit: 'Byggesak',
    responsibleOfficer: 'Kari Saksbehandler',
    ...overrides,
  })
}

export const archivedDecision = {
  id: '2025/42-5',
  journalpostType: 'U',
  journalStatus: 'A',
  documentStatus: 'F',
  title: 'Vedtak: rammetillatelse',
  visibility: 'citizen',
  registeredAt: '2025-04-10T10:00:00+02:00',
  url: 'https://kommune.example.no/dokumenter/2025-42-5.pdf',
  mimeType: 'application/pdf',
} as const

/** A building permit from received to closed, with a request for documentation on the way. */
export function decidedByggesak(): Case {
  let c = newByggesak()
  c = add(c, {
    type: 'status',
    statusType: 'mottatt',
    lifecycle: 'received',
    at: '2025-03-03T08:00:00+01:00',
    by: citizen,
    documents: [
      {
        id: '2025/42-1',
        journalpostType: 'I',
        journalStatus: 'J',
        documentStatus: 'F',
        title: 'Søknad om tillatelse til tiltak',
        visibility: 'citizen',
        registeredAt: '2025-03-03T08:00:00+01:00',
      },
    ],
  })
  c = add(c, {
    type: 'status',
    statusType: 'under-behandling',
    lifecycle: 'in_progress',
    at: '2025-03-05T09:00:00+01:00',
  })
  c = add(c, {
    type: 'status',
    statusType: 'mangler-dokumentasjon',
    lifecycle: 'awaiting_citizen',
    at: '2025-03-10T10:00:00+01:00',
    note: {
      nb: 'Vi mangler situasjonsplan.',
      nn: 'Vi manglar situasjonsplan.',
      en: 'We are missing a site plan.',
    },
  })
  c = add(c, {
    type: 'suspend',
    at: '2025-03-10T10:00:00+01:00',
    reason: 'Venter på situasjonsplan',
    visibility: 'internal',
  })
  c = add(c, {
    type: 'note',
    at: '2025-03-17T12:00:00+01:00',
    by: citizen,
    note: { nb: 'Her er situasjonsplanen.' },
    documents: [
      {
        id: '2025/42-3',
        journalpostType: 'I',
        journalStatus: 'J',
        documentStatus: 'F',
        title: 'Situasjonsplan',
        visibility: 'citizen',
        registeredAt: '2025-03-17T12:00:00+01:00',
      },
    ],
  })
  c = add(c, { type: 'resume', at: '2025-03-17T12:00:00+01:00', visibility: 'internal' })
  c = add(c, {
    type: 'status',
    statusType: 'intern-vurdering',
    lifecycle: 'in_progress',
    at: '2025-03-20T09:00:00+01:00',
    visibility: 'internal',
    note: { nb: 'Intern merknad: sjekk høyde.' },
  })
  c = add(c, {
    type: 'status',
    statusType: 'vedtak',
    lifecycle: 'decided',
    at: '2025-04-10T10:00:00+02:00',
    result: {
      outcome: 'granted',
      decidedAt: '2025-04-10T09:30:00+02:00',
      notifiedAt: '2025-04-11T08:00:00+02:00',
      documentId: '2025/42-5',
      summary: {
        nb: 'Søknaden er innvilget.',
        nn: 'Søknaden er innvilga.',
        en: 'The application is granted.',
      },
    },
    documents: [{ ...archivedDecision, journalStatus: 'E' }],
  })
  return c
}

/** The decided case, with documents archived, written off and closed. */
export function closedByggesak(by: Actor = archivist): Case {
  let c = decidedByggesak()
  c = add(c, {
    type: 'note',
    at: '2025-05-12T10:00:00+02:00',
    visibility: 'internal',
    documents: [
      { ...archivedDecision },
      {
        id: '2025/42-1',
        journalpostType: 'I',
        journalStatus: 'A',
        documentStatus: 'F',
        title: 'Søknad om tillatelse til tiltak',
        visibility: 'citizen',
        registeredAt: '2025-03-03T08:00:00+01:00',
        writeOff: { method: 'BU', at: '2025-04-10T10:00:00+02:00', byDocumentId: '2025/42-5' },
      },
      {
        id: '2025/42-3',
        journalpostType: 'I',
        journalStatus: 'A',
        documentStatus: 'F',
        title: 'Situasjonsplan',
        visibility: 'citizen',
        registeredAt: '2025-03-17T12:00:00+01:00',
        writeOff: { method: 'TE', at: '2025-03-20T09:00:00+01:00' },
      },
    ],
  })
  c = add(c, {
    type: 'status',
    statusType: 'avsluttet',
    lifecycle: 'closed',
    at: '2025-05-12T10:00:00+02:00',
    by,
  })
  return c
}
