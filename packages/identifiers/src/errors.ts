import type { NationalIdInvalidReason } from './national-id.js'
import type { OrganisationNumberInvalidReason } from './organisation-number.js'

/** Stable codes of {@link IdentifierError}. */
export type IdentifierErrorCode = 'ERR_INVALID_NATIONAL_ID' | 'ERR_INVALID_ORGANISATION_NUMBER'

/** Options for {@link IdentifierError}. */
export interface IdentifierErrorOptions {
  readonly reason: NationalIdInvalidReason | OrganisationNumberInvalidReason
  readonly field?: string
  readonly cause?: unknown
}

const REASON_TEXT: Record<NationalIdInvalidReason | OrganisationNumberInvalidReason, string> = {
  type: 'is not a string',
  length: 'has the wrong length',
  format: 'contains a character that is not a digit',
  checksum: 'has a check digit that does not match',
  date: 'does not encode an existing birth date',
  individnummer: 'has an individnummer outside every birth-century range',
  synthetic: 'is a synthetic test person, which is not accepted here',
  kind: 'is of a kind that is not accepted here',
}

/** @internal A message for a reason that never contains the value itself. */
export function reasonText(reason: NationalIdInvalidReason | OrganisationNumberInvalidReason): string {
  return REASON_TEXT[reason]
}

/**
 * The error thrown by the asserting functions of `@felles/identifiers`. Its
 * message names the field and the rule broken, never the value.
 *
 * @example
 * ```ts
 * try { assertNationalId(input, { field: 'mottaker.fnr' }) }
 * catch (e) { if (isIdentifierError(e)) console.error(e.code, e.reason) }
 * ```
 */
export class IdentifierError extends Error {
  override readonly name = 'IdentifierError' as const
  readonly code: IdentifierErrorCode
  readonly reason: NationalIdInvalidReason | OrganisationNumberInvalidReason
  readonly field: string | undefined

  constructor(code: IdentifierErrorCode, options: IdentifierErrorOptions) {
    const what = code === 'ERR_INVALID_NATIONAL_ID' ? 'national identity number' : 'organisasjonsnummer'
    const where = options.field === undefined ? '' : ` in field "${options.field}"`
    super(`The ${what}${where} ${reasonText(options.reason)} (${options.reason})`, { cause: options.cause })
    this.code = code
    this.reason = options.reason
    this.field = options.field
  }
}

/**
 * Type guard for {@link IdentifierError} that works across duplicate installs
 * (it checks `name` and `code`, not `instanceof`).
 *
 * @param error - Anything caught.
 * @returns `true` for an `IdentifierError`.
 * @example
 * ```ts
 * if (isIdentifierError(e)) console.error(e.reason)
 * ```
 */
export function isIdentifierError(error: unknown): error is IdentifierError {
  return (
    error instanceof Error &&
    error.name === 'IdentifierError' &&
    ((error as { code?: unknown }).code === 'ERR_INVALID_NATIONAL_ID' ||
      (error as { code?: unknown }).code === 'ERR_INVALID_ORGANISATION_NUMBER')
  )
}
