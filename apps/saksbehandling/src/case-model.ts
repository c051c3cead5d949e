import {
  type Actor,
  applyEvent,
  type Case,
  type CaseRuleError,
  type CaseType,
  canTransition,
  caseDeadlines,
  parseCase,
  type StatusEvent,
  type StatusType,
  serializeCase,
} from '@felles/case-status'
import { type Database, DEMO_CASE_TYPES } from '@felles/sample-municipality'
import {
  type CaseRecord,
  type CaseWork,
  getCase,
  type Officer,
  saveCase,
} from '@felles/sample-municipality/casework'
import type { Kysely } from 'kysely'

/** The case types the console knows, by id. */
export const CASE_TYPES: Readonly<Record<string, CaseType>> = DEMO_CASE_TYPES

/** The actor of an officer in case events: team leads act as `manager` (who may reopen). */
export function actorOf(officer: Officer): Actor {
  return {
    id: `urn:felles:employee:${officer.id}`,
    role: officer.role === 'team_lead' ? 'manager' : 'officer',
    name: officer.name.slice(0, 100),
  }
}

/** A stored case, parsed and checked, with its type. */
export interface LoadedCase {
  readonly value: Case
  readonly caseType: CaseType
  readonly record: CaseRecord
  readonly work: CaseWork | undefined
}

/** Loads and verifies a case; `undefined` when it does not exist or cannot be read. */
export async function loadCase(db: Kysely<Database>, id: string): Promise<LoadedCase | undefined> {
  const found = await getCase(db, id)
  if (!found) return undefined
  const caseType = CASE_TYPES[found.record.caseType]
  if (!caseType) return undefined
  const parsed = parseCase(found.record.data, { caseType })
  if (!parsed.ok) return undefined
  return { value: parsed.value, caseType, record: found.record, work: found.work }
}

/** The status types the case may move to now (the lifecycle's allowed transitions). */
export function allowedStatusTypes(value: Case, caseType: CaseType): StatusType[] {
  return caseType.statusTypes
    .filter((st) => st.code !== value.statusType && canTransition(value.lifecycle, st.lifecycle))
    .sort((a, b) => a.sequence - b.sequence)
}

/** The status type a reopened case goes back to (the first `in_progress` one). */
export function reopenStatusType(caseType: CaseType): StatusType | undefined {
  return caseType.statusTypes.find((st) => st.lifecycle === 'in_progress')
}

/** The console's index of a case: its deadline as an Oslo date and its lifecycle. */
export function workOf(value: Case, caseType: CaseType, officerId: string | null, now: Date): CaseWork {
  let dueDate: string | null = null
  try {
    const { legal, serviceNorm } = caseDeadlines(value, caseType, { asOf: now.toISOString() })
    dueDate = (legal ?? serviceNorm)?.due ?? null
  } catch {
    dueDate = null
  }
  return { officerId, dueDate, lifecycle: value.lifecycle }
}

/** The record columns derived from a case. */
export function recordOf(value: Case, createdAt: string, updatedAt: string): CaseRecord {
  const person = value.parties.find((p) => p.id.startsWith('urn:altinn:person:identifier-no:'))
  const org = value.parties.find((p) => p.id.startsWith('urn:altinn:organization:identifier-no:'))
  return {
    id: value.id,
    ownerPid: person ? person.id.slice('urn:altinn:person:identifier-no:'.length) : null,
    ownerOrgnr: org ? org.id.slice('urn:altinn:organization:identifier-no:'.length) : null,
    caseType: value.caseTypeId,
    status: value.statusType ?? value.lifecycle,
    title: value.title.nb ?? value.title.nn ?? value.title.en ?? '',
    data: serializeCase(value),
    createdAt,
    updatedAt,
  }
}

/** What {@link changeCase} came to. */
export type ChangeOutcome =
  | { readonly ok: true; readonly value: Case }
  | { readonly ok: false; readonly error: CaseRuleError }
  | { readonly ok: false; readonly conflict: true }

/**
 * Applies one event to a stored case through `@felles/case-status` (every
 * rule checked) and saves it with optimistic locking.
 */
export async function changeCase(
  db: Kysely<Database>,
  loaded: LoadedCase,
  make: (base: { id: string; seq: number; at: string }) => StatusEvent,
  options: { readonly now: Date; readonly officerId: string | null; readonly assign?: boolean },
): Promise<ChangeOutcome> {
  const last = loaded.value.events.at(-1)
  const seq = (last?.seq ?? 0) + 1
  const nowMs = options.now.getTime()
  const lastMs = last ? Date.parse(last.at) : 0
  const at = new Date(Math.max(nowMs, lastMs)).toISOString()
  const event = make({ id: `e${seq}`, seq, at })
  const result = applyEvent(loaded.value, event, { caseType: loaded.caseType })
  if (!result.ok) return { ok: false, error: result.error }
  const updatedAt = new Date(Math.max(nowMs, Date.parse(loaded.record.updatedAt) + 1)).toISOString()
  const saved = await saveCase(
    db,
    recordOf(result.value, loaded.record.createdAt, updatedAt),
    workOf(
      result.value,
      loaded.caseType,
      options.assign ? options.officerId : (loaded.work?.officerId ?? options.officerId),
      options.now,
    ),
    { expectedUpdatedAt: loaded.record.updatedAt },
  )
  if (!saved) return { ok: false, conflict: true }
  return { ok: true, value: result.value }
}
