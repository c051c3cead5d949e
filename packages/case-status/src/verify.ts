import { type ApplyOptions, type HistoryInfo, step } from './apply.js'
import { isEnded } from './lifecycle.js'
import { CaseRuleError } from './rules.js'
import type { Case } from './schemas.js'
import { epochMs } from './time.js'

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined)
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined)
  if (ka.length !== kb.length) return false
  for (const k of ka) if (!deepEqual(ra[k], rb[k])) return false
  return true
}

const DERIVED = [
  'lifecycle',
  'statusType',
  'result',
  'closedAt',
  'suspensions',
  'extensions',
  'documents',
] as const

/**
 * Checks every invariant of a case: an end date exactly when it is closed,
 * withdrawn or cancelled; a result when it is decided or closed; and that
 * replaying its events from `draft` through {@link applyEvent}'s rules
 * succeeds and gives exactly the stored lifecycle, status type, result, end
 * date, suspensions, extensions, documents and assignment. Linear in the
 * number of events.
 *
 * @param value - A case with a valid shape.
 * @param options - As for {@link applyEvent} (pass the case type).
 * @returns `undefined` when the case holds, else the first rule broken.
 * @example
 * ```ts
 * const broken = verifyCase(sak, { caseType: byggesak })
 * if (broken) console.error(broken.rule)
 * ```
 */
export function verifyCase(value: Case, options?: ApplyOptions): CaseRuleError | undefined {
  if (isEnded(value.lifecycle) !== (value.closedAt !== undefined)) {
    return new CaseRuleError('case.ended-without-end-date')
  }
  if (value.lifecycle === 'closed' && value.result === undefined)
    return new CaseRuleError('close.requires-result')
  if (value.lifecycle === 'decided' && value.result === undefined) {
    return new CaseRuleError('decided.requires-result')
  }
  // A private working copy, changed in place as the events are replayed.
  const state = {
    ...value,
    lifecycle: 'draft',
    statusType: undefined,
    result: undefined,
    closedAt: undefined,
    suspensions: [],
    extensions: [],
    documents: [],
    events: [],
  } as { -readonly [K in keyof Case]: Case[K] }
  const ids = new Set<string>()
  let unit: string | undefined
  let officer: string | undefined
  const history: { -readonly [K in keyof HistoryInfo]: HistoryInfo[K] } = {
    lastSeq: 0,
    lastAtMs: Number.NEGATIVE_INFINITY,
    hasId: (id) => ids.has(id),
    startedMs: epochMs(value.startedAt),
    atMs: undefined,
  }
  for (const event of value.events) {
    const changes = step(state, event, history, options)
    if (changes instanceof CaseRuleError) return changes
    Object.assign(state, changes)
    ids.add(event.id)
    history.lastSeq = event.seq
    history.lastAtMs = history.atMs ?? epochMs(event.at)
    if (event.type === 'assign') {
      unit = event.administrativeUnit ?? unit
      officer = event.responsibleOfficer ?? officer
    }
  }
  for (const key of DERIVED) {
    if (!deepEqual(state[key], value[key])) {
      return new CaseRuleError('case.state-mismatch', { detail: `field ${key}` })
    }
  }
  if (unit !== undefined && value.administrativeUnit !== unit) {
    return new CaseRuleError('case.state-mismatch', { detail: 'field administrativeUnit' })
  }
  if (officer !== undefined && value.responsibleOfficer !== officer) {
    return new CaseRuleError('case.state-mismatch', { detail: 'field responsibleOfficer' })
  }
  return undefined
}
