import { z } from 'zod'
import { canTransition, isActive, isEnded, isTerminal, type Lifecycle } from './lifecycle.js'
import { CaseRuleError, type Checked, type RuleName } from './rules.js'
import {
  type Actor,
  type ActorRole,
  type Case,
  CaseId,
  type CaseType,
  Code,
  type DocumentRef,
  ExternalRef,
  NoarkIds,
  Party,
  type Result,
  Screening,
  type StatusEvent,
  type Suspension,
} from './schemas.js'
import { LocalizedText } from './text.js'
import { epochMs, Instant } from './time.js'
import { fromZodError } from './validation-error.js'

/** What {@link applyEvent} may be told besides the case and the event. */
export interface ApplyOptions {
  /**
   * The case type. Strongly recommended: with it, status types, outcomes,
   * suspensions, extensions and reopen roles are checked against it.
   */
  readonly caseType?: CaseType | undefined
  /**
   * Decides whether an actor may reopen a closed case. Default: the actor's
   * role is in the case type's `reopenRoles` (default `manager`, `archivist`).
   */
  readonly authorise?: ((actor: Actor, action: 'reopen', current: Case) => boolean) | undefined
  /** When given, events dated after this instant are refused (`event.in-future`). */
  readonly now?: Instant | undefined
}

/** What {@link applyEvent} returns: the new case, or the rule the event broke. */
export type ApplyResult = Checked<Case, CaseRuleError>

/** @internal What the rules need to know about the history so far. */
export interface HistoryInfo {
  readonly lastSeq: number
  readonly lastAtMs: number
  readonly hasId: (id: string) => boolean
  /** The case's start in epoch milliseconds, when already known. */
  readonly startedMs?: number | undefined
  /** Set by {@link step}: the event's time in epoch milliseconds. */
  atMs?: number | undefined
}

type Changes = { -readonly [K in keyof Case]?: Case[K] }

const DEFAULT_REOPEN_ROLES: readonly ActorRole[] = ['manager', 'archivist']

function fail(rule: RuleName, event: StatusEvent, detail?: string): CaseRuleError {
  return new CaseRuleError(rule, { seq: event.seq, eventId: event.id, detail })
}

function checkResult(
  result: Result,
  atMs: number,
  startedMs: number,
  caseType: CaseType | undefined,
): RuleName | undefined {
  const decidedMs = epochMs(result.decidedAt)
  if (decidedMs > atMs) return 'result.decided-after-event'
  if (decidedMs < startedMs) return 'result.before-start'
  if (result.notifiedAt !== undefined && epochMs(result.notifiedAt) < decidedMs) {
    return 'result.notified-before-decided'
  }
  if (caseType && !caseType.resultOutcomes.includes(result.outcome)) return 'result.outcome-not-allowed'
  return undefined
}

function mergeDocuments(
  current: readonly DocumentRef[],
  incoming: readonly DocumentRef[],
): { documents: readonly DocumentRef[]; rule?: RuleName } {
  if (incoming.length === 0) return { documents: current }
  const next = current.slice()
  for (const doc of incoming) {
    if (
      (doc.journalStatus === 'E' || doc.journalStatus === 'J' || doc.journalStatus === 'A') &&
      doc.documentStatus !== 'F'
    ) {
      return { documents: current, rule: 'document.final-required' }
    }
    const index = next.findIndex((d) => d.id === doc.id)
    if (index === -1) {
      next.push(doc)
      continue
    }
    if (next[index]?.documentStatus === 'F' && doc.documentStatus === 'B') {
      return { documents: current, rule: 'document.final-reverted' }
    }
    next[index] = doc
  }
  return { documents: next }
}

function closingRule(documents: readonly DocumentRef[]): RuleName | undefined {
  for (const doc of documents) {
    if (doc.documentStatus !== 'F') return 'close.documents-not-final'
  }
  for (const doc of documents) {
    if (doc.journalStatus !== 'A' && doc.journalStatus !== 'U') return 'close.documents-not-archived'
  }
  for (const doc of documents) {
    if (
      (doc.journalpostType === 'I' || doc.journalpostType === 'N') &&
      doc.journalStatus !== 'U' &&
      !doc.writeOff
    ) {
      return 'close.open-items'
    }
  }
  return undefined
}

function endOpenSuspension(suspensions: readonly Suspension[], at: string): readonly Suspension[] {
  const last = suspensions[suspensions.length - 1]
  if (!last || last.to !== undefined) return suspensions
  return [...suspensions.slice(0, -1), { ...last, to: at }]
}

function statusTypeRule(
  caseType: CaseType | undefined,
  code: string,
  lifecycle: Lifecycle,
): RuleName | undefined {
  if (!caseType) return undefined
  const statusType = caseType.statusTypes.find((s) => s.code === code)
  if (!statusType) return 'status-type.unknown'
  if (statusType.lifecycle !== lifecycle) return 'status-type.lifecycle-mismatch'
  return undefined
}

/**
 * @internal The heart of the model: checks one event against the case and
 * returns the changed fields, or the rule broken. Does not touch `events`.
 */
export function step(
  current: Case,
  event: StatusEvent,
  history: HistoryInfo,
  options: ApplyOptions | undefined,
): Changes | CaseRuleError {
  const caseType = options?.caseType
  if (caseType && caseType.id !== current.caseTypeId) return fail('case-type.mismatch', event)
  if (isTerminal(current.lifecycle)) return fail('lifecycle.terminal', event)
  if (event.seq !== history.lastSeq + 1) return fail('event.sequence', event)
  if (history.hasId(event.id)) return fail('event.duplicate-id', event)
  const atMs = epochMs(event.at)
  history.atMs = atMs
  const startedMs = history.startedMs ?? epochMs(current.startedAt)
  if (atMs < startedMs) return fail('event.before-start', event)
  if (atMs < history.lastAtMs) return fail('event.time-order', event)
  if (options?.now !== undefined && atMs > epochMs(options.now)) return fail('event.in-future', event)

  const closed = current.lifecycle === 'closed'
  const incoming = event.documents ?? []
  if (closed && incoming.length > 0) return fail('closed.frozen', event)
  const merged = mergeDocuments(current.documents, incoming)
  if (merged.rule) return fail(merged.rule, event)
  const changes: Changes = {}
  if (merged.documents !== current.documents) changes.documents = merged.documents

  const openSuspension =
    current.suspensions.length > 0 && current.suspensions[current.suspensions.length - 1]?.to === undefined

  switch (event.type) {
    case 'status': {
      const to = event.lifecycle
      if (closed) return fail('reopen.required', event)
      if (!canTransition(current.lifecycle, to)) {
        return fail('transition.not-allowed', event, `${current.lifecycle} → ${to}`)
      }
      const typeRule = statusTypeRule(caseType, event.statusType, to)
      if (typeRule) return fail(typeRule, event)
      let result = current.result
      if (event.result !== undefined) {
        if (to !== 'decided' && to !== 'withdrawn') return fail('result.not-allowed-in-state', event)
        const resultRule = checkResult(event.result, atMs, startedMs, caseType)
        if (resultRule) return fail(resultRule, event)
        result = event.result
      }
      if (to === 'withdrawn') {
        if (result !== undefined && event.result !== undefined && result.outcome !== 'withdrawn') {
          return fail('result.withdrawn-outcome', event)
        }
        if (event.result === undefined) result = { outcome: 'withdrawn', decidedAt: event.at }
      }
      if (to === 'decided' && result === undefined) return fail('decided.requires-result', event)
      if (to === 'closed') {
        if (result === undefined) return fail('close.requires-result', event)
        const rule = closingRule(merged.documents)
        if (rule) return fail(rule, event)
      }
      changes.lifecycle = to
      changes.statusType = event.statusType
      if (result !== current.result) changes.result = result
      if (isEnded(to)) changes.closedAt = event.at
      else if (current.closedAt !== undefined) changes.closedAt = undefined
      if (openSuspension && (to === 'decided' || to === 'withdrawn' || to === 'cancelled')) {
        changes.suspensions = endOpenSuspension(current.suspensions, event.at)
      }
      return changes
    }
    case 'result': {
      if (current.lifecycle === 'draft') return fail('result.not-allowed-in-state', event)
      if (current.result !== undefined && (event.reason === undefined || event.reason.trim() === '')) {
        return fail('result.correction-needs-reason', event)
      }
      const resultRule = checkResult(event.result, atMs, startedMs, caseType)
      if (resultRule) return fail(resultRule, event)
      changes.result = event.result
      return changes
    }
    case 'suspend': {
      if (caseType && !caseType.suspensionAllowed) return fail('suspension.not-allowed-for-case-type', event)
      if (closed) return fail('closed.frozen', event)
      if (!isActive(current.lifecycle)) return fail('suspension.not-allowed-in-state', event)
      if (openSuspension) return fail('suspension.already-suspended', event)
      changes.suspensions = [...current.suspensions, { from: event.at, reason: event.reason }]
      return changes
    }
    case 'resume': {
      if (!openSuspension) return fail('suspension.not-suspended', event)
      changes.suspensions = endOpenSuspension(current.suspensions, event.at)
      return changes
    }
    case 'extend': {
      if (caseType && !caseType.extensionAllowed) return fail('extension.not-allowed-for-case-type', event)
      if (closed) return fail('closed.frozen', event)
      if (!isActive(current.lifecycle)) return fail('extension.not-allowed-in-state', event)
      changes.extensions = [
        ...current.extensions,
        { at: event.at, duration: event.duration, reason: event.reason },
      ]
      return changes
    }
    case 'reopen': {
      if (!closed) return fail('reopen.not-closed', event)
      if (event.reason.trim() === '') return fail('reopen.reason-required', event)
      const allowed = options?.authorise
        ? options.authorise(event.by, 'reopen', { ...current })
        : (caseType?.reopenRoles ?? DEFAULT_REOPEN_ROLES).includes(event.by.role)
      if (!allowed) return fail('reopen.not-authorised', event)
      const typeRule = statusTypeRule(caseType, event.statusType, 'in_progress')
      if (typeRule) return fail(typeRule, event)
      changes.lifecycle = 'in_progress'
      changes.statusType = event.statusType
      changes.closedAt = undefined
      return changes
    }
    case 'assign': {
      if (closed) return fail('closed.frozen', event)
      if (event.administrativeUnit === undefined && event.responsibleOfficer === undefined) {
        return fail('assign.empty', event)
      }
      if (event.administrativeUnit !== undefined) changes.administrativeUnit = event.administrativeUnit
      if (event.responsibleOfficer !== undefined) changes.responsibleOfficer = event.responsibleOfficer
      return changes
    }
    case 'note': {
      if (event.note === undefined && incoming.length === 0) return fail('note.empty', event)
      return changes
    }
  }
}

/** @internal Builds the next case from changes, leaving out keys set to `undefined`. */
export function withChanges(current: Case, changes: Changes, events: readonly StatusEvent[]): Case {
  let clears = false
  for (const key in changes) {
    if (changes[key as keyof Changes] === undefined) {
      clears = true
      break
    }
  }
  if (!clears) return { ...current, ...changes, events }
  // Build a fresh object instead of deleting keys (which would slow every later access).
  const next: Record<string, unknown> = {}
  const merged: Record<string, unknown> = { ...current, ...changes, events }
  for (const key in merged) if (merged[key] !== undefined) next[key] = merged[key]
  return next as unknown as Case
}

function historyOf(events: readonly StatusEvent[]): HistoryInfo {
  const last = events[events.length - 1]
  return {
    lastSeq: last?.seq ?? 0,
    lastAtMs: last ? epochMs(last.at) : Number.NEGATIVE_INFINITY,
    hasId: (id) => events.some((e) => e.id === id),
  }
}

/**
 * Applies one event to a case. Never mutates its arguments: the result is a
 * new case with the event appended and the derived fields (lifecycle, status
 * type, result, end date, suspensions, extensions, documents, assignment)
 * updated, or a {@link CaseRuleError} naming the rule the event broke.
 *
 * The event is trusted to have the right shape (it is typed); parse untrusted
 * events with {@link parseEvent} first.
 *
 * @param current - The case.
 * @param event - The event; its `seq` is the last event's `seq` + 1.
 * @param options - The case type (recommended), an authorisation policy, a "now".
 * @returns `{ ok: true, value: newCase }` or `{ ok: false, error }`.
 * @see https://github.com/felles-kommune/felles/tree/main/packages/case-status#rules
 * @example
 * ```ts
 * const next = applyEvent(sak, {
 *   type: 'status', id: 'e2', seq: 2, at: '2025-03-03T08:00:00Z', statusType: 'under-behandling',
 *   lifecycle: 'in_progress', by: { id: 'urn:felles:employee:kari', role: 'officer' }, visibility: 'citizen',
 * }, { caseType: byggesak })
 * if (!next.ok) console.error(next.error.rule)
 * ```
 */
export function applyEvent(current: Case, event: StatusEvent, options?: ApplyOptions): ApplyResult {
  const changes = step(current, event, historyOf(current.events), options)
  if (changes instanceof CaseRuleError) return { ok: false, error: changes }
  return { ok: true, value: withChanges(current, changes, [...current.events, event]) }
}

/**
 * Like {@link applyEvent}, but throws the {@link CaseRuleError}.
 *
 * @param current - The case.
 * @param event - The event.
 * @param options - As for {@link applyEvent}.
 * @returns The new case.
 * @throws CaseRuleError naming the rule broken.
 * @example
 * ```ts
 * sak = applyEventOrThrow(sak, event, { caseType: byggesak })
 * ```
 */
export function applyEventOrThrow(current: Case, event: StatusEvent, options?: ApplyOptions): Case {
  const result = applyEvent(current, event, options)
  if (!result.ok) throw result.error
  return result.value
}

/**
 * Applies events in order, stopping at the first one that breaks a rule.
 * Runs in time linear in the number of events.
 *
 * @param current - The case.
 * @param events - The events.
 * @param options - As for {@link applyEvent}.
 * @returns The final case, or the first error.
 * @example
 * ```ts
 * const done = applyEvents(createCase(init), history, { caseType: byggesak })
 * ```
 */
export function applyEvents(
  current: Case,
  events: readonly StatusEvent[],
  options?: ApplyOptions,
): ApplyResult {
  const all = current.events.slice()
  const ids = new Set(all.map((e) => e.id))
  const last = all[all.length - 1]
  const history: { -readonly [K in keyof HistoryInfo]: HistoryInfo[K] } = {
    lastSeq: last?.seq ?? 0,
    lastAtMs: last ? epochMs(last.at) : Number.NEGATIVE_INFINITY,
    hasId: (id) => ids.has(id),
    startedMs: epochMs(current.startedAt),
    atMs: undefined,
  }
  // A private working copy, changed in place: no object per event.
  const state = { ...current } as { -readonly [K in keyof Case]: Case[K] }
  for (const event of events) {
    const changes = step(state, event, history, options)
    if (changes instanceof CaseRuleError) return { ok: false, error: changes }
    Object.assign(state, changes)
    all.push(event)
    ids.add(event.id)
    history.lastSeq = event.seq
    history.lastAtMs = history.atMs ?? epochMs(event.at)
  }
  return { ok: true, value: withChanges(current, pick(state), all) }
}

/** @internal The derived fields of a working state, as changes. */
export function pick(state: Case): Changes {
  return {
    lifecycle: state.lifecycle,
    statusType: state.statusType,
    result: state.result,
    closedAt: state.closedAt,
    suspensions: state.suspensions,
    extensions: state.extensions,
    documents: state.documents,
    administrativeUnit: state.administrativeUnit,
    responsibleOfficer: state.responsibleOfficer,
  }
}

/** What a new case is made from; everything else starts empty, in `draft`. */
export interface NewCase {
  /** The case's id (never a national identity number). */
  readonly id: string
  /** The case type's id. */
  readonly caseTypeId: string
  /** The track, if the case type has several. */
  readonly track?: string | undefined
  /** Noark identifiers. */
  readonly noark?: NoarkIds | undefined
  /** References in other systems. */
  readonly externalRefs?: readonly ExternalRef[] | undefined
  /** The title. */
  readonly title: LocalizedText
  /** The public title, for screened cases. */
  readonly publicTitle?: LocalizedText | undefined
  /** The parties. */
  readonly parties?: readonly Party[] | undefined
  /** Screening. */
  readonly screening?: Screening | undefined
  /** When the case started. */
  readonly startedAt: Instant
  /** The administrative unit. */
  readonly administrativeUnit?: string | undefined
  /** The responsible officer. */
  readonly responsibleOfficer?: string | undefined
}

const NewCaseSchema = z.strictObject({
  id: CaseId,
  caseTypeId: Code,
  track: Code.optional(),
  noark: NoarkIds.optional(),
  externalRefs: z.array(ExternalRef).max(20).optional(),
  title: LocalizedText,
  publicTitle: LocalizedText.optional(),
  parties: z.array(Party).max(100).optional(),
  screening: Screening.optional(),
  startedAt: Instant,
  administrativeUnit: z.string().min(1).max(500).optional(),
  responsibleOfficer: z.string().min(1).max(500).optional(),
})

/**
 * Creates a case in `draft` with no events. The input is validated (parties'
 * national identity numbers included); apply a `status` event to
 * `received` to register it.
 *
 * @param init - The case's fixed facts.
 * @returns The new case.
 * @throws CaseValidationError when `init` is invalid; the message never echoes values.
 * @example
 * ```ts
 * const sak = createCase({ id: '2025-0042', caseTypeId: 'byggesak', track: 'ordinary',
 *   title: { nb: 'Tilbygg til bolig' }, startedAt: '2025-03-03T08:00:00Z' })
 * ```
 */
export function createCase(init: NewCase): Case {
  const parsed = NewCaseSchema.safeParse(init)
  if (!parsed.success) throw fromZodError(parsed.error)
  const value = parsed.data
  const result: Record<string, unknown> = {
    schemaVersion: 1,
    id: value.id,
    caseTypeId: value.caseTypeId,
    track: value.track,
    noark: value.noark,
    externalRefs: value.externalRefs ?? [],
    title: value.title,
    publicTitle: value.publicTitle,
    parties: value.parties ?? [],
    screening: value.screening,
    startedAt: value.startedAt,
    administrativeUnit: value.administrativeUnit,
    responsibleOfficer: value.responsibleOfficer,
    lifecycle: 'draft',
    suspensions: [],
    extensions: [],
    documents: [],
    events: [],
  }
  for (const key of Object.keys(result)) if (result[key] === undefined) delete result[key]
  return result as unknown as Case
}
