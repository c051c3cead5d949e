import type { Lifecycle } from '../lifecycle.js'
import type { Case, ResultOutcome } from '../schemas.js'
import type { Saksstatus } from './codes.js'

/** What {@link toNoarkSaksstatus} returns. */
export interface ToSaksstatus {
  /** The M052 code to write, or `undefined` for a draft (not in the archive yet). */
  readonly saksstatus: Saksstatus | undefined
  /**
   * `true` when other lifecycle states write the same code, so reading it
   * back cannot tell which state it was ({@link fromNoarkSaksstatus} will flag it).
   */
  readonly lossy: boolean
}

/** What {@link fromNoarkSaksstatus} returns. */
export interface FromSaksstatus {
  /** The best reading, or `undefined` when none fits (P). */
  readonly lifecycle: Lifecycle | undefined
  /** Every state the code may stand for. */
  readonly candidates: readonly Lifecycle[]
  /** `true` when the code stands for more than one state: the reading is a guess. */
  readonly lossy: boolean
  /** Why, in English, when lossy. */
  readonly note?: string | undefined
}

/** Options for {@link toNoarkSaksstatus}. */
export interface ToSaksstatusOptions {
  /** Write `received` as `R` (created by the case officer, default) or `B`. */
  readonly received?: 'R' | 'B' | undefined
  /** Write `decided` as `F` (finished by the case officer, default) or `B`. */
  readonly decided?: 'F' | 'B' | undefined
}

/** The states that write each code with the default options. */
const WRITTEN_BY: Readonly<Record<Saksstatus, readonly Lifecycle[]>> = {
  R: ['received'],
  B: ['in_progress', 'awaiting_citizen', 'awaiting_other'],
  F: ['decided'],
  S: ['closed'],
  A: ['closed', 'withdrawn'],
  U: ['cancelled'],
  P: [],
}

/**
 * The Noark 5 saksstatus (M052) to write for a case. `received` → R (or B),
 * `in_progress`/`awaiting_*` → B, `decided` → F (or B), `closed` → S when the
 * closing event was by a case officer or manager, A otherwise, `withdrawn` →
 * A, `cancelled` → U. A draft is not archived: `undefined`.
 *
 * @param value - The case.
 * @param options - How to write `received` and `decided`.
 * @returns The code and whether it is ambiguous to read back.
 * @see https://www.arkivverket.no/forvaltning-og-utvikling/regelverk-og-standarder/noark-standarden
 * @example
 * ```ts
 * toNoarkSaksstatus(sak) // { saksstatus: 'B', lossy: true }
 * ```
 */
export function toNoarkSaksstatus(value: Case, options?: ToSaksstatusOptions): ToSaksstatus {
  const code = writeCode(value, options)
  if (code === undefined) return { saksstatus: undefined, lossy: false }
  const states = new Set<Lifecycle>(WRITTEN_BY[code])
  if (options?.received === 'B' || options?.decided === 'B') {
    if (code === 'B') {
      if (options.received === 'B') states.add('received')
      if (options.decided === 'B') states.add('decided')
    }
  }
  return { saksstatus: code, lossy: states.size > 1 }
}

function writeCode(value: Case, options?: ToSaksstatusOptions): Saksstatus | undefined {
  switch (value.lifecycle) {
    case 'draft':
      return undefined
    case 'received':
      return options?.received ?? 'R'
    case 'in_progress':
    case 'awaiting_citizen':
    case 'awaiting_other':
      return 'B'
    case 'decided':
      return options?.decided ?? 'F'
    case 'closed': {
      const closing = [...value.events].reverse().find((e) => e.type === 'status' && e.lifecycle === 'closed')
      const role = closing?.by.role
      return role === 'officer' || role === 'manager' ? 'S' : 'A'
    }
    case 'withdrawn':
      return 'A'
    case 'cancelled':
      return 'U'
  }
}

/**
 * Reads a Noark 5 saksstatus back into a lifecycle state. This direction is
 * lossy and says so: B may be any state under processing; F, S and A mean
 * decided or closed when there is a decision and withdrawn when there is
 * none (or the outcome is `withdrawn`); P (exempt from process control) has
 * no state.
 *
 * @param code - The M052 code.
 * @param context - The outcome of the case's result, if it has one.
 * @returns The reading, its candidates and a `lossy` flag.
 * @see https://www.arkivverket.no/forvaltning-og-utvikling/regelverk-og-standarder/noark-standarden
 * @example
 * ```ts
 * fromNoarkSaksstatus('B', {}) // { lifecycle: 'in_progress', lossy: true, … }
 * ```
 */
export function fromNoarkSaksstatus(
  code: Saksstatus,
  context: { readonly resultOutcome?: ResultOutcome | undefined },
): FromSaksstatus {
  const decision = context.resultOutcome !== undefined && context.resultOutcome !== 'withdrawn'
  switch (code) {
    case 'R':
      return { lifecycle: 'received', candidates: ['received'], lossy: false }
    case 'B':
      return {
        lifecycle: 'in_progress',
        candidates: decision
          ? ['in_progress', 'awaiting_citizen', 'awaiting_other', 'decided']
          : ['in_progress', 'received', 'awaiting_citizen', 'awaiting_other'],
        lossy: true,
        note: 'B (under behandling) covers every state under processing',
      }
    case 'F':
      return decision
        ? {
            lifecycle: 'decided',
            candidates: ['decided', 'closed'],
            lossy: true,
            note: 'F (ferdig fra saksbehandler) with a decision: decided, or closed if the archive has not set A',
          }
        : {
            lifecycle: 'withdrawn',
            candidates: ['withdrawn', 'in_progress'],
            lossy: true,
            note: 'F without a decision: finished without one',
          }
    case 'S':
    case 'A':
      return decision
        ? {
            lifecycle: 'closed',
            candidates: ['closed', 'decided'],
            lossy: true,
            note: `${code} with a decision: closed`,
          }
        : {
            lifecycle: 'withdrawn',
            candidates: ['withdrawn'],
            lossy: true,
            note: `${code} without a decision: ended without one (withdrawn)`,
          }
    case 'U':
      return { lifecycle: 'cancelled', candidates: ['cancelled'], lossy: false }
    case 'P':
      return {
        lifecycle: undefined,
        candidates: [],
        lossy: true,
        note: 'P (unntatt prosesstyring) has no lifecycle state',
      }
  }
}

/** One row of the lifecycle ↔ saksstatus table, for documentation and tests. */
export interface SaksstatusMappingRow {
  readonly lifecycle: Lifecycle
  readonly writes: readonly (Saksstatus | '–')[]
}

/** The lifecycle → saksstatus table (what may be written for each state). */
export const SAKSSTATUS_MAPPING: readonly SaksstatusMappingRow[] = [
  { lifecycle: 'draft', writes: ['–'] },
  { lifecycle: 'received', writes: ['R', 'B'] },
  { lifecycle: 'in_progress', writes: ['B'] },
  { lifecycle: 'awaiting_citizen', writes: ['B'] },
  { lifecycle: 'awaiting_other', writes: ['B'] },
  { lifecycle: 'decided', writes: ['F', 'B'] },
  { lifecycle: 'closed', writes: ['A', 'S'] },
  { lifecycle: 'withdrawn', writes: ['A'] },
  { lifecycle: 'cancelled', writes: ['U'] },
]
