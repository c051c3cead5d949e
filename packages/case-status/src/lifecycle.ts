import { z } from 'zod'

/**
 * The generic lifecycle every case follows; each case type defines its own
 * status types on top of it.
 *
 * - `draft`: started by the citizen, not sent.
 * - `received`: the municipality has the case.
 * - `in_progress`: being processed.
 * - `awaiting_citizen`: the citizen must act (documentation, correction).
 * - `awaiting_other`: waiting for someone else (neighbours, another agency, a hearing).
 * - `decided`: a decision (vedtak) is made; may still be appealed.
 * - `closed`: finished and closed (Noark saksstatus A).
 * - `withdrawn`: the citizen withdrew the case (terminal).
 * - `cancelled`: registered in error (Noark saksstatus U, terminal).
 */
export type Lifecycle =
  | 'draft'
  | 'received'
  | 'in_progress'
  | 'awaiting_citizen'
  | 'awaiting_other'
  | 'decided'
  | 'closed'
  | 'withdrawn'
  | 'cancelled'

/** Every {@link Lifecycle} state, in order. */
export const LIFECYCLES: readonly Lifecycle[] = Object.freeze([
  'draft',
  'received',
  'in_progress',
  'awaiting_citizen',
  'awaiting_other',
  'decided',
  'closed',
  'withdrawn',
  'cancelled',
] as const)

/**
 * Zod schema for {@link Lifecycle}.
 *
 * @example
 * ```ts
 * Lifecycle.parse('in_progress')
 * ```
 */
export const Lifecycle: z.ZodType<Lifecycle> = z.enum([
  'draft',
  'received',
  'in_progress',
  'awaiting_citizen',
  'awaiting_other',
  'decided',
  'closed',
  'withdrawn',
  'cancelled',
])

/**
 * The transitions a `status` event may make. Moving between two status types
 * of the same state is allowed for `in_progress`, `awaiting_citizen` and
 * `awaiting_other`. `closed → in_progress` is not here: it takes a `reopen`
 * event by an authorised actor with a reason.
 */
export const TRANSITIONS: Readonly<Record<Lifecycle, readonly Lifecycle[]>> = Object.freeze({
  draft: ['received', 'withdrawn'],
  received: ['in_progress', 'awaiting_citizen', 'decided', 'withdrawn', 'cancelled'],
  in_progress: ['in_progress', 'awaiting_citizen', 'awaiting_other', 'decided', 'withdrawn', 'cancelled'],
  awaiting_citizen: ['awaiting_citizen', 'in_progress', 'decided', 'withdrawn'],
  awaiting_other: ['awaiting_other', 'in_progress', 'decided', 'withdrawn'],
  decided: ['closed', 'in_progress'],
  closed: [],
  withdrawn: [],
  cancelled: [],
})

/**
 * Whether a `status` event may move a case from one state to another.
 *
 * @param from - The current state.
 * @param to - The wanted state.
 * @returns `true` when {@link TRANSITIONS} allows it.
 * @example
 * ```ts
 * canTransition('received', 'closed') // false: decide first
 * ```
 */
export function canTransition(from: Lifecycle, to: Lifecycle): boolean {
  return TRANSITIONS[from].includes(to)
}

/**
 * Whether the state has ended processing (end date set): `closed`, `withdrawn`, `cancelled`.
 *
 * @param state - A lifecycle state.
 * @returns `true` for an ended case.
 * @example
 * ```ts
 * isEnded('withdrawn') // true
 * ```
 */
export function isEnded(state: Lifecycle): boolean {
  return state === 'closed' || state === 'withdrawn' || state === 'cancelled'
}

/**
 * Whether no event at all is accepted any more: `withdrawn` and `cancelled`.
 *
 * @param state - A lifecycle state.
 * @returns `true` for a terminal state.
 * @example
 * ```ts
 * isTerminal('closed') // false: it can be reopened
 * ```
 */
export function isTerminal(state: Lifecycle): boolean {
  return state === 'withdrawn' || state === 'cancelled'
}

/**
 * Whether the case is being processed (the deadline clock can run):
 * `received`, `in_progress`, `awaiting_citizen`, `awaiting_other`.
 *
 * @param state - A lifecycle state.
 * @returns `true` while the case is active.
 * @example
 * ```ts
 * isActive('decided') // false
 * ```
 */
export function isActive(state: Lifecycle): boolean {
  return (
    state === 'received' ||
    state === 'in_progress' ||
    state === 'awaiting_citizen' ||
    state === 'awaiting_other'
  )
}
