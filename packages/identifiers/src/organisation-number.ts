/** Why a value is not a valid organisasjonsnummer. */
export type OrganisationNumberInvalidReason = 'type' | 'length' | 'format' | 'checksum'

/** What {@link parseOrganisationNumber} returns. */
export type OrganisationNumberResult =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: OrganisationNumberInvalidReason }

const VALID: OrganisationNumberResult = Object.freeze({ valid: true })
const fail = (reason: OrganisationNumberInvalidReason): OrganisationNumberResult =>
  Object.freeze({ valid: false, reason })
const TYPE = fail('type')
const LENGTH = fail('length')
const FORMAT = fail('format')
const CHECKSUM = fail('checksum')
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const

/** @internal The check digit for the first eight digits, or 10 when none exists. */
export function organisationCheckDigit(first8: readonly number[]): number {
  let sum = 0
  for (let i = 0; i < 8; i++) sum += (first8[i] ?? 0) * (WEIGHTS[i] ?? 0)
  const check = 11 - (sum % 11)
  return check === 11 ? 0 : check
}

/**
 * Validates an organisasjonsnummer from Enhetsregisteret: nine digits, the last
 * a modulus-11 check digit over weights 3 2 7 6 5 4 3 2.
 *
 * @param value - The candidate.
 * @returns `{ valid: true }` or `{ valid: false, reason }`; allocates nothing.
 * @example
 * ```ts
 * parseOrganisationNumber('991825827') // { valid: true } (Digdir)
 * parseOrganisationNumber('991825828') // { valid: false, reason: 'checksum' }
 * ```
 * @see https://www.brreg.no/om-oss/registrene-vare/om-enhetsregisteret/
 */
export function parseOrganisationNumber(value: unknown): OrganisationNumberResult {
  if (typeof value !== 'string') return TYPE
  if (value.length !== 9) return LENGTH
  let sum = 0
  for (let i = 0; i < 8; i++) {
    const digit = value.charCodeAt(i) - 48
    if (digit >>> 0 > 9) return FORMAT
    sum += digit * (WEIGHTS[i] as number)
  }
  const last = value.charCodeAt(8) - 48
  if (last >>> 0 > 9) return FORMAT
  const check = 11 - (sum % 11)
  return (check === 11 ? 0 : check) === last ? VALID : CHECKSUM
}

/**
 * Whether a value is a valid organisasjonsnummer.
 *
 * @param value - The candidate.
 * @returns `true` for nine digits with a matching check digit.
 * @example
 * ```ts
 * isValidOrganisationNumber('889640782') // true (NAV)
 * ```
 */
export function isValidOrganisationNumber(value: unknown): value is string {
  return parseOrganisationNumber(value).valid
}
