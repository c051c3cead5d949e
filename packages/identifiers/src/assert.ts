import { IdentifierError } from './errors.js'
import { type ParseNationalIdOptions, parseNationalId, type ValidNationalId } from './national-id.js'
import { parseOrganisationNumber } from './organisation-number.js'

/** Options for the asserting functions. */
export interface AssertOptions extends ParseNationalIdOptions {
  /** The field name to put in the error message, for example `mottaker.fodselsnummer`. */
  readonly field?: string
}

/**
 * Parses a national identity number or throws an {@link IdentifierError} that
 * names the field and the rule, never the number.
 *
 * @param value - The candidate.
 * @param options - Accepted kinds and rules, and the field name for the message.
 * @returns The decoded number.
 * @throws {@link IdentifierError} with code `ERR_INVALID_NATIONAL_ID`.
 * @example
 * ```ts
 * const id = assertNationalId(form.fnr, { field: 'fnr', allowSynthetic: false })
 * ```
 */
export function assertNationalId(value: unknown, options?: AssertOptions): ValidNationalId {
  const result = parseNationalId(value, options)
  if (!result.valid) {
    throw new IdentifierError('ERR_INVALID_NATIONAL_ID', {
      reason: result.reason,
      ...(options?.field === undefined ? {} : { field: options.field }),
    })
  }
  return result
}

/**
 * Checks an organisasjonsnummer or throws an {@link IdentifierError}.
 *
 * @param value - The candidate.
 * @param options - The field name for the message.
 * @returns The number, typed as a string.
 * @throws {@link IdentifierError} with code `ERR_INVALID_ORGANISATION_NUMBER`.
 * @example
 * ```ts
 * assertOrganisationNumber('991825827', { field: 'mottaker.orgnr' })
 * ```
 */
export function assertOrganisationNumber(value: unknown, options?: { readonly field?: string }): string {
  const result = parseOrganisationNumber(value)
  if (!result.valid) {
    throw new IdentifierError('ERR_INVALID_ORGANISATION_NUMBER', {
      reason: result.reason,
      ...(options?.field === undefined ? {} : { field: options.field }),
    })
  }
  return value as string
}
