import fc from 'fast-check'
import { byggesak } from '../../src/examples.js'
import { applyEvent, type Case, createCase, type Lifecycle, type StatusEvent } from '../../src/index.js'
import type { Actor, DocumentRef, ResultOutcome } from '../../src/schemas.js'
import { archivist, citizen, manager, NEIGHBOUR, ORGANISATION, officer, PERSON } from './fixtures.js'

export const START_MS: number = Date.UTC(2025, 0, 6, 8, 0, 0)

/** A step a random history may take; the builder keeps only the accepted ones. */
export interface Intent {
  readonly kind:
    | 'status'
    | 'result'
    | 'suspend'
    | 'resume'
    | 'extend'
    | 'reopen'
    | 'note'
    | 'archive'
    | 'assign'
  readonly dtMs: number
  readonly lifecycle: Lifecycle
  readonly pick: number
  readonly flag: boolean
  readonly text: string
  readonly visibility: 'citizen' | 'internal'
}

const text = fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }).filter((s) => /\S/.test(s))

export const intentArb: fc.Arbitrary<Intent> = fc.record({
  kind: fc.constantFrom(
    'status',
    'status',
    'status',
    'status',
    'result',
    'suspend',
    'resume',
    'extend',
    'reopen',
    'reopen',
    'note',
    'archive',
    'archive',
    'assign',
  ),
  dtMs: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 0, max: 999 }),
    fc.integer({ min: 0, max: 5 * 86_400_000 }),
  ),
  lifecycle: fc.oneof(
    { arbitrary: fc.constantFrom<Lifecycle>('in_progress', 'decided', 'closed'), weight: 12 },
    { arbitrary: fc.constantFrom<Lifecycle>('awaiting_citizen', 'awaiting_other', 'received'), weight: 6 },
    { arbitrary: fc.constantFrom<Lifecycle>('withdrawn', 'cancelled'), weight: 1 },
  ),
  pick: fc.nat(),
  flag: fc.boolean(),
  text,
  visibility: fc.constantFrom('citizen', 'internal'),
})

const actors: readonly Actor[] = [officer, manager, archivist, citizen]

/** Turns an intent into a concrete event for the case as it is now. */
export function eventFor(c: Case, intent: Intent, atMs: number): StatusEvent {
  const seq = c.events.length + 1
  const at = new Date(atMs).toISOString()
  const base = {
    id: `ev-${seq}`,
    seq,
    at,
    by: actors[intent.pick % actors.length] ?? officer,
    visibility: intent.visibility,
  } as const
  const outcomes: ResultOutcome[] = ['granted', 'partially_granted', 'rejected', 'dismissed']
  const result = {
    outcome: outcomes[intent.pick % outcomes.length] ?? 'granted',
    decidedAt: at,
    notifiedAt: at,
  }
  switch (intent.kind) {
    case 'status': {
      const types = byggesak.statusTypes.filter((s) => s.lifecycle === intent.lifecycle)
      const statusType = types[intent.pick % types.length]?.code ?? 'under-behandling'
      const withResult = intent.lifecycle === 'decided' && (intent.flag || c.result === undefined)
      return {
        ...base,
        type: 'status',
        statusType,
        lifecycle: intent.lifecycle,
        ...(withResult ? { result } : {}),
        ...(intent.flag ? { note: { nb: intent.text } } : {}),
      }
    }
    case 'result':
      return { ...base, type: 'result', result, ...(intent.flag ? { reason: intent.text } : {}) }
    case 'suspend':
      return { ...base, type: 'suspend', reason: intent.text }
    case 'resume':
      return { ...base, type: 'resume' }
    case 'extend':
      return { ...base, type: 'extend', duration: `P${(intent.pick % 4) + 1}W`, reason: intent.text }
    case 'reopen':
      return {
        ...base,
        type: 'reopen',
        statusType: 'under-behandling',
        reason: intent.flag ? intent.text : ' ',
      }
    case 'assign':
      return { ...base, type: 'assign', responsibleOfficer: intent.text }
    case 'archive':
      return {
        ...base,
        type: 'note',
        documents: c.documents.map((d) => ({
          ...d,
          journalStatus: 'A',
          documentStatus: 'F',
          ...(d.journalpostType === 'I' || d.journalpostType === 'N'
            ? { writeOff: { method: 'TE', at } }
            : {}),
        })),
      }
    case 'note': {
      const doc: DocumentRef = {
        id: `doc-${seq}`,
        journalpostType: intent.flag ? 'I' : 'U',
        journalStatus: intent.pick % 3 === 0 ? 'A' : 'J',
        documentStatus: 'F',
        title: intent.text,
        visibility: intent.visibility,
        registeredAt: at,
      }
      return {
        ...base,
        type: 'note',
        note: { nb: intent.text, en: intent.text },
        ...(intent.pick % 2 === 0 ? { documents: [doc] } : {}),
      }
    }
  }
}

/** A fresh building-permit case with synthetic parties. */
export function freshCase(screened = false): Case {
  return createCase({
    id: 'prop-1',
    caseTypeId: 'byggesak',
    track: 'ordinary',
    noark: { saksaar: 2025, sakssekvensnummer: 7, mappeId: '2025/7' },
    title: { nb: 'Garasje', nn: 'Garasje', en: 'Garage' },
    publicTitle: { nb: 'Byggesak' },
    parties: [
      { id: PERSON, role: 'applicant', name: 'Ola Nordmann' },
      { id: NEIGHBOUR, role: 'neighbour' },
      { id: ORGANISATION, role: 'representative', name: 'Ansvarlig Søker AS' },
    ],
    ...(screened
      ? {
          screening: {
            accessRestriction: '13',
            legalBasis: 'Offl. § 13 jf. fvl. § 13',
            metadata: ['TMO', 'NPS'],
          },
        }
      : {}),
    startedAt: new Date(START_MS).toISOString(),
  })
}

/** Builds a valid case from random intents, keeping the events the model accepts. */
export function buildCase(intents: readonly Intent[], screened = false): Case {
  let c = freshCase(screened)
  let atMs = START_MS
  // Start received so that most histories go somewhere.
  const first = applyEvent(
    c,
    {
      id: 'ev-1',
      seq: 1,
      at: new Date(atMs).toISOString(),
      by: citizen,
      visibility: 'citizen',
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
    },
    { caseType: byggesak },
  )
  if (first.ok) c = first.value
  for (const intent of intents) {
    const candidateAt = atMs + intent.dtMs
    const applied = applyEvent(c, eventFor(c, intent, candidateAt), { caseType: byggesak })
    if (applied.ok) {
      c = applied.value
      atMs = candidateAt
    }
  }
  return c
}

export const caseArb: fc.Arbitrary<Case> = fc
  .tuple(fc.array(intentArb, { maxLength: 50, size: 'max' }), fc.boolean())
  .map(([intents, screened]) => buildCase(intents, screened))
