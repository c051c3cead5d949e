import { afterAll, bench, describe } from 'vitest'
import {
  applyEvents,
  byggesak,
  Case,
  type Case as CaseValue,
  createCase,
  parseCase,
  type StatusEvent,
  serializeCase,
} from '../src/index.js'

// Validating and applying a case with 50 events (parseCase: size limits, the
// zod schema, and a replay of all 50 events through the rules that checks the
// stored state) against a bare zod parse of the same data (Case.parse), in the
// same run, interleaved. Goal: ratio ≤ 2.0. Also: events applied per second.

const EVENTS = 50
const ROUNDS = 7
const ITERATIONS = 300

const officer = { id: 'urn:felles:employee:kari', role: 'officer', name: 'Kari Saksbehandler' } as const
const citizen = { id: 'urn:altinn:person:identifier-no:21879498012', role: 'citizen' } as const

function history(): StatusEvent[] {
  const events: StatusEvent[] = []
  let ms = Date.UTC(2025, 2, 3, 8)
  const push = (e: Omit<StatusEvent, 'id' | 'seq' | 'at'> & Record<string, unknown>): void => {
    ms += 3_600_000
    const seq = events.length + 1
    events.push({ id: `e${seq}`, seq, at: new Date(ms).toISOString(), ...e } as StatusEvent)
  }
  push({ type: 'status', statusType: 'mottatt', lifecycle: 'received', by: citizen, visibility: 'citizen' })
  push({
    type: 'status',
    statusType: 'under-behandling',
    lifecycle: 'in_progress',
    by: officer,
    visibility: 'citizen',
  })
  while (events.length < EVENTS - 2) {
    const n = events.length % 7
    if (n === 3)
      push({
        type: 'status',
        statusType: 'mangler-dokumentasjon',
        lifecycle: 'awaiting_citizen',
        by: officer,
        visibility: 'citizen',
        note: { nb: 'Vi trenger tegninger.', nn: 'Vi treng teikningar.', en: 'We need drawings.' },
      })
    else if (n === 4)
      push({ type: 'suspend', reason: 'Venter på søker', by: officer, visibility: 'internal' })
    else if (n === 5)
      push({
        type: 'note',
        by: citizen,
        visibility: 'citizen',
        note: { nb: 'Tegninger vedlagt.' },
        documents: [
          {
            id: `2025/42-${events.length}`,
            journalpostType: 'I',
            journalStatus: 'J',
            documentStatus: 'F',
            title: 'Tegninger',
            visibility: 'citizen',
            registeredAt: new Date(ms).toISOString(),
          },
        ],
      })
    else if (n === 6) push({ type: 'resume', by: officer, visibility: 'internal' })
    else if (n === 1)
      push({
        type: 'status',
        statusType: 'til-uttale',
        lifecycle: 'awaiting_other',
        by: officer,
        visibility: 'citizen',
      })
    else
      push({
        type: 'status',
        statusType: 'under-behandling',
        lifecycle: 'in_progress',
        by: officer,
        visibility: 'citizen',
      })
  }
  while (events.length < EVENTS - 1)
    push({ type: 'note', by: officer, visibility: 'internal', note: { nb: 'Vurdert.' } })
  push({
    type: 'status',
    statusType: 'vedtak',
    lifecycle: 'decided',
    by: officer,
    visibility: 'citizen',
    result: {
      outcome: 'granted',
      decidedAt: new Date(ms).toISOString(),
      notifiedAt: new Date(ms + 3_600_000).toISOString(),
    },
  })
  return events
}

const fresh = createCase({
  id: 'BYGG-2025-0042',
  caseTypeId: 'byggesak',
  track: 'ordinary',
  noark: { saksaar: 2025, sakssekvensnummer: 42, mappeId: '2025/42' },
  title: { nb: 'Tilbygg til enebolig', nn: 'Tilbygg til einebustad', en: 'Extension to a house' },
  parties: [{ id: 'urn:altinn:person:identifier-no:21879498012', role: 'applicant', name: 'Ola Nordmann' }],
  startedAt: '2025-03-03T07:00:00Z',
})
const events = history()
const applied = applyEvents(fresh, events, { caseType: byggesak })
if (!applied.ok) throw applied.error
const full: CaseValue = applied.value
if (full.events.length !== EVENTS) throw new Error(`expected ${EVENTS} events`)
const data: unknown = JSON.parse(serializeCase(full))

function time(fn: () => unknown): number {
  const start = performance.now()
  for (let i = 0; i < ITERATIONS; i++) fn()
  return (performance.now() - start) / ITERATIONS
}

const validateAndApply = (): unknown => {
  const result = parseCase(data, { caseType: byggesak })
  if (!result.ok) throw result.error
  return result.value
}
const bareZod = (): unknown => Case.parse(data)
const applyAll = (): unknown => {
  const result = applyEvents(fresh, events, { caseType: byggesak })
  if (!result.ok) throw result.error
  return result.value
}

const rounds: { candidate: number; baseline: number; apply: number }[] = []
// Warm up, then interleave rounds so both see the same machine state.
time(validateAndApply)
time(bareZod)
time(applyAll)
for (let r = 0; r < ROUNDS; r++) {
  rounds.push({ baseline: time(bareZod), candidate: time(validateAndApply), apply: time(applyAll) })
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? 0
}

afterAll(() => {
  const baseline = median(rounds.map((r) => r.baseline))
  const candidate = median(rounds.map((r) => r.candidate))
  const apply = median(rounds.map((r) => r.apply))
  const ratio = median(rounds.map((r) => r.candidate / r.baseline))
  process.stdout.write(
    `\n[case-status] case with ${EVENTS} events, ${ROUNDS} interleaved rounds of ${ITERATIONS} (medians)\n` +
      `[case-status]   bare zod parse (Case.parse):           ${(baseline * 1000).toFixed(1)} µs\n` +
      `[case-status]   validate + apply (parseCase + replay): ${(candidate * 1000).toFixed(1)} µs\n` +
      `[case-status]   ratio ${ratio.toFixed(2)} (goal ≤ 2.0)\n` +
      `[case-status]   applyEvents, ${EVENTS} events: ${(apply * 1000).toFixed(1)} µs → ${Math.round(EVENTS / (apply / 1000)).toLocaleString('en')} events/s\n`,
  )
})

describe('case with 50 events', () => {
  bench('bare zod parse (baseline)', () => {
    bareZod()
  })
  bench('parseCase: limits + zod + replay of 50 events', () => {
    validateAndApply()
  })
  bench('applyEvents: 50 events from a new case', () => {
    applyAll()
  })
})
