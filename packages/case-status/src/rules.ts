import { CaseStatusError, isCaseStatusError } from './errors.js'

/**
 * Every rule the model enforces, with what it means. An event or a case that
 * breaks one is refused with a {@link CaseRuleError} naming it.
 */
export const RULES = {
  'event.sequence': 'Events are numbered 1, 2, 3, … without gaps; seq must be the previous seq + 1',
  'event.duplicate-id': 'An event id is used once per case (applying the same event twice is refused)',
  'event.time-order': 'Events are in non-decreasing time order (equal milliseconds are fine)',
  'event.before-start': 'No event is dated before the case started',
  'event.in-future': 'No event is dated after the "now" given to the check',
  'case-type.mismatch': 'The case type given is not the case type of the case',
  'lifecycle.terminal': 'A withdrawn or cancelled case accepts no further events',
  'transition.not-allowed': 'This lifecycle transition is not allowed',
  'reopen.required': 'A closed case only moves again through a reopen event',
  'reopen.not-closed': 'Only a closed case can be reopened',
  'reopen.not-authorised': 'Only an authorised actor may reopen a closed case',
  'reopen.reason-required': 'Reopening a case needs a reason',
  'decided.requires-result': 'A decided case has a result',
  'close.requires-result': 'A closed case has a result',
  'close.documents-not-final': 'A case is closed only when every document is final (dokumentstatus F)',
  'close.documents-not-archived':
    'A case is closed only when every journal entry is archived (journalstatus A or U)',
  'close.open-items':
    'A case is closed only when every incoming or internal item for follow-up is written off',
  'closed.frozen': 'A closed case is frozen: no documents, assignments, suspensions or extensions',
  'status-type.unknown': 'The status type does not exist in the case type',
  'status-type.lifecycle-mismatch': 'The status type belongs to another lifecycle state',
  'result.not-allowed-in-state':
    'A result is recorded only while the case is being processed, decided or closed',
  'result.correction-needs-reason': 'Replacing an existing result is a correction and needs a reason',
  'result.outcome-not-allowed': 'The case type does not allow this outcome',
  'result.withdrawn-outcome': 'A withdrawn case has the outcome "withdrawn"',
  'result.decided-after-event': 'A result cannot be decided after the event that records it',
  'result.before-start': 'A result cannot be decided before the case started',
  'result.notified-before-decided': 'The citizen cannot be notified of a decision before it was made',
  'suspension.not-allowed-for-case-type': 'The case type does not allow suspending the deadline',
  'suspension.not-allowed-in-state': 'Only a case being processed can be suspended',
  'suspension.already-suspended': 'The case is already suspended',
  'suspension.not-suspended': 'The case is not suspended',
  'extension.not-allowed-for-case-type': 'The case type does not allow extending the deadline',
  'extension.not-allowed-in-state': 'Only a case being processed can have its deadline extended',
  'document.final-required': 'A journal entry in status E, J or A needs a final document (dokumentstatus F)',
  'document.final-reverted': 'A final document (dokumentstatus F) cannot return to B',
  'note.empty': 'A note event carries a note or documents',
  'assign.empty': 'An assign event changes the administrative unit or the responsible officer',
  'case.state-mismatch': "The case's stored state differs from what its events produce",
  'case.ended-without-end-date': 'A closed, withdrawn or cancelled case has an end date; others have none',
} as const
Object.freeze(RULES)

/** The name of a rule in {@link RULES}. */
export type RuleName = keyof typeof RULES

/** Every rule name. */
export const RULE_NAMES: readonly RuleName[] = Object.freeze(Object.keys(RULES) as RuleName[])

/**
 * Whether a string names a rule.
 *
 * @param value - Any string.
 * @returns `true` for a key of {@link RULES}.
 * @example
 * ```ts
 * isRuleName('close.requires-result') // true
 * ```
 */
export function isRuleName(value: string): value is RuleName {
  return Object.hasOwn(RULES, value)
}

/** Options for {@link CaseRuleError}. */
export interface CaseRuleErrorOptions {
  /** The `seq` of the offending event, when an event broke the rule. */
  readonly seq?: number | undefined
  /** The id of the offending event. */
  readonly eventId?: string | undefined
  /** A short detail, never containing personal data. */
  readonly detail?: string | undefined
}

/**
 * A rule of the model was broken. `rule` names it (a key of {@link RULES});
 * the message explains it and never contains personal data.
 *
 * @example
 * ```ts
 * const checked = applyEvent(sak, event)
 * if (!checked.ok) console.error(checked.error.rule, checked.error.message)
 * ```
 */
export class CaseRuleError extends CaseStatusError {
  declare readonly name: 'CaseRuleError'
  declare readonly code: 'ERR_CASE_RULE'
  /** The rule broken. */
  readonly rule: RuleName
  /** The `seq` of the offending event, if any. */
  readonly seq: number | undefined
  /** The id of the offending event, if any. */
  readonly eventId: string | undefined

  constructor(rule: RuleName, options: CaseRuleErrorOptions = {}) {
    const where = options.seq === undefined ? '' : ` (event ${options.seq})`
    const detail = options.detail === undefined ? '' : `: ${options.detail}`
    super('CaseRuleError', 'ERR_CASE_RULE', `${rule}${where}: ${RULES[rule]}${detail}`)
    this.rule = rule
    this.seq = options.seq
    this.eventId = options.eventId
  }
}

/**
 * Type guard for {@link CaseRuleError} that works across duplicate installs.
 *
 * @param error - Anything caught.
 * @returns `true` for a `CaseRuleError`.
 * @example
 * ```ts
 * try { applyEventOrThrow(sak, event) } catch (e) { if (isCaseRuleError(e)) console.error(e.rule) }
 * ```
 */
export function isCaseRuleError(error: unknown): error is CaseRuleError {
  return (
    isCaseStatusError(error) &&
    error.name === 'CaseRuleError' &&
    typeof (error as { rule?: unknown }).rule === 'string' &&
    isRuleName((error as unknown as { rule: string }).rule)
  )
}

/**
 * Either a value or an error; what the non-throwing functions return.
 */
export type Checked<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E }
