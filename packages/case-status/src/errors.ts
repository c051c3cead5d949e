/**
 * Stable codes of {@link CaseStatusError}: `ERR_CASE_RULE` (a rule of the
 * model was broken: {@link CaseRuleError}) and `ERR_CASE_INVALID` (input was
 * refused: {@link CaseValidationError}).
 */
export type CaseStatusErrorCode = 'ERR_CASE_RULE' | 'ERR_CASE_INVALID'

/** The names of this package's error classes. */
export type CaseStatusErrorName = 'CaseRuleError' | 'CaseValidationError'

const CODES: readonly string[] = ['ERR_CASE_RULE', 'ERR_CASE_INVALID']

/**
 * The base class of this package's errors. Messages and enumerable fields
 * never contain personal data.
 *
 * @example
 * ```ts
 * try { parseCaseOrThrow(text) } catch (e) { if (isCaseStatusError(e)) console.error(e.code) }
 * ```
 */
export class CaseStatusError extends Error {
  override readonly name: CaseStatusErrorName
  /** A stable code. */
  readonly code: CaseStatusErrorCode

  constructor(name: CaseStatusErrorName, code: CaseStatusErrorCode, message: string) {
    super(message)
    this.name = name
    this.code = code
  }
}

/**
 * Type guard for every error of this package; checks `name` and `code`, so it
 * works across duplicate installs.
 *
 * @param error - Anything caught.
 * @returns `true` for a {@link CaseStatusError}.
 * @example
 * ```ts
 * if (isCaseStatusError(e) && e.code === 'ERR_CASE_RULE') console.error(e.message)
 * ```
 */
export function isCaseStatusError(error: unknown): error is CaseStatusError {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  return (
    (error.name === 'CaseRuleError' || error.name === 'CaseValidationError') &&
    typeof code === 'string' &&
    CODES.includes(code)
  )
}
