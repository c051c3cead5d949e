import { scrubNationalIds } from '@felles/identifiers'
import type { z } from 'zod'
import { CaseStatusError, isCaseStatusError } from './errors.js'
import type { LimitViolation } from './limits.js'
import type { RuleName } from './rules.js'

/** One problem found in input. */
export interface ValidationIssue {
  /** Where, as a path into the input (`events.3.at`). */
  readonly path: readonly (string | number)[]
  /** What is wrong; never contains a national identity number. */
  readonly message: string
  /** The rule broken, when an invariant (not the shape) failed. */
  readonly rule?: RuleName | undefined
}

/** Why input was refused: `limits` (too large or deep), `json`, `schema` or `invariant`. */
export type ValidationStage = 'limits' | 'json' | 'schema' | 'invariant'

/**
 * Input was refused. `stage` says at which step; `issues` say what and where.
 * Messages never echo values, and any national identity number that could
 * reach one (an unknown key, for example) is scrubbed.
 *
 * @example
 * ```ts
 * const parsed = parseCase(body)
 * if (!parsed.ok) console.error(parsed.error.stage, parsed.error.issues)
 * ```
 */
export class CaseValidationError extends CaseStatusError {
  declare readonly name: 'CaseValidationError'
  declare readonly code: 'ERR_CASE_INVALID'
  /** The step that refused the input. */
  readonly stage: ValidationStage
  /** The problems, at most 20. */
  readonly issues: readonly ValidationIssue[]

  constructor(stage: ValidationStage, issues: readonly ValidationIssue[]) {
    const first = issues[0]
    const where = first && first.path.length > 0 ? ` at ${first.path.join('.')}` : ''
    super(
      'CaseValidationError',
      'ERR_CASE_INVALID',
      `Invalid input (${stage})${where}: ${first?.message ?? 'unknown problem'}`,
    )
    this.stage = stage
    this.issues = issues.slice(0, 20)
  }
}

/**
 * Type guard for {@link CaseValidationError} that works across duplicate installs.
 *
 * @param error - Anything caught.
 * @returns `true` for a `CaseValidationError`.
 * @example
 * ```ts
 * if (isCaseValidationError(e)) console.error(e.issues)
 * ```
 */
export function isCaseValidationError(error: unknown): error is CaseValidationError {
  return (
    isCaseStatusError(error) &&
    error.name === 'CaseValidationError' &&
    Array.isArray((error as { issues?: unknown }).issues)
  )
}

const LIMIT_TEXT: Record<LimitViolation, string> = {
  'json-too-long': 'The JSON text is too long',
  'too-deep': 'The input is nested too deeply',
  'too-many-values': 'The input has too many values',
  'string-too-long': 'A string is too long',
  'array-too-long': 'An array is too long',
  'too-many-keys': 'An object has too many keys',
  'not-json': 'The text is not JSON',
}

/** @internal */
export function limitError(violation: LimitViolation): CaseValidationError {
  return new CaseValidationError(violation === 'not-json' ? 'json' : 'limits', [
    { path: [], message: LIMIT_TEXT[violation] },
  ])
}

const scrub = (text: string): string => scrubNationalIds(text)

/** @internal Converts zod issues, scrubbing anything that could hold personal data. */
export function fromZodError(error: z.ZodError): CaseValidationError {
  const issues: ValidationIssue[] = error.issues.slice(0, 20).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : scrub(String(p))))
    let message = issue.message
    if (issue.code === 'unrecognized_keys')
      message = `Unrecognized key(s): ${issue.keys
        .slice(0, 5)
        .map((k) => scrub(k).slice(0, 40))
        .join(', ')}`
    return { path, message: scrub(message) }
  })
  return new CaseValidationError('schema', issues)
}
