/** Which register a national identity number comes from. */
export type NationalIdKind = 'fnr' | 'dnr' | 'hnr'

/**
 * Why a value is not a valid national identity number.
 *
 * - `type`: not a string.
 * - `length`: not exactly 11 characters.
 * - `format`: a character that is not an ASCII digit.
 * - `checksum`: a check digit does not match.
 * - `date`: the (decoded) birth date does not exist.
 * - `individnummer`: the individnummer does not belong to any birth century for that year.
 * - `synthetic`: a synthetic test person was given where `allowSynthetic` is `false`.
 * - `kind`: a kind not listed in `kinds` (for example a D-nummer where only fødselsnummer are accepted).
 */
export type NationalIdInvalidReason =
  | 'type'
  | 'length'
  | 'format'
  | 'checksum'
  | 'date'
  | 'individnummer'
  | 'synthetic'
  | 'kind'

/** Which check-digit rule a number satisfies. */
export type ChecksumRule = 'legacy' | '2032'

/** A valid national identity number, decoded. */
export interface ValidNationalId {
  readonly valid: true
  /** `fnr` (fødselsnummer), `dnr` (D-nummer, day + 40) or `hnr` (H-nummer, month + 40). */
  readonly kind: NationalIdKind
  /** A synthetic test person (Tenor/TestID, month + 80). Never a real person. */
  readonly synthetic: boolean
  /** Full birth year, with the century read from the individnummer. */
  readonly birthYear: number
  /** Birth month, 1–12. */
  readonly birthMonth: number
  /** Birth day of month, 1–31. */
  readonly birthDay: number
  /**
   * Legal gender as encoded in the individnummer, for numbers that satisfy the
   * pre-2032 check-digit rule. `undefined` for numbers only valid under the 2032
   * rule, which no longer encode gender.
   */
  readonly gender: 'female' | 'male' | undefined
  /** `legacy` when the first check digit has remainder 0, `2032` when it uses remainders 1–3. */
  readonly checksumRule: ChecksumRule
}

/** An invalid value, with the first rule it broke. */
export interface InvalidNationalId {
  readonly valid: false
  readonly reason: NationalIdInvalidReason
}

/** What {@link parseNationalId} returns. */
export type NationalIdResult = ValidNationalId | InvalidNationalId

/** Options for {@link parseNationalId} and {@link isValidNationalId}. */
export interface ParseNationalIdOptions {
  /** Accept synthetic test persons (month + 80). Default `true`; set `false` in production systems. */
  readonly allowSynthetic?: boolean
  /** The kinds to accept. Default: all. */
  readonly kinds?: readonly NationalIdKind[]
  /**
   * `2032` (default) also accepts first check digits with remainders 1–3, as
   * Skatteetaten issues them from 2032; `legacy` accepts remainder 0 only.
   */
  readonly rules?: ChecksumRule
}

const invalid = (reason: NationalIdInvalidReason): InvalidNationalId =>
  Object.freeze({ valid: false, reason })

// Invalid results are shared frozen objects: the hot path allocates nothing but a valid result.
const INVALID: { readonly [R in NationalIdInvalidReason]: InvalidNationalId } = {
  type: invalid('type'),
  length: invalid('length'),
  format: invalid('format'),
  checksum: invalid('checksum'),
  date: invalid('date'),
  individnummer: invalid('individnummer'),
  synthetic: invalid('synthetic'),
  kind: invalid('kind'),
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const

/** @internal Days in a month of the Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29
  return DAYS_IN_MONTH[month] ?? 0
}

/**
 * @internal The birth century for a two-digit year and an individnummer, or -1
 * when the individnummer belongs to no century for that year.
 */
export function birthCentury(yy: number, individnummer: number): number {
  if (individnummer <= 499) return 1900
  if (individnummer >= 900 && yy >= 40) return 1900
  if (yy <= 39) return 2000
  if (individnummer <= 749 && yy >= 54) return 1800
  return -1
}

/**
 * Parses and validates a Norwegian national identity number: fødselsnummer,
 * D-nummer, H-nummer and synthetic test persons (Tenor/TestID, month + 80),
 * including the check-digit rules for numbers issued from 2032.
 *
 * The hot path reads the string with `charCodeAt` and allocates nothing but the
 * result object for a valid number; invalid results are shared frozen objects.
 *
 * @param value - The candidate, usually a string of 11 digits.
 * @param options - Which kinds and rules to accept.
 * @returns A {@link ValidNationalId}, or an {@link InvalidNationalId} with a reason code.
 * @example
 * ```ts
 * const result = parseNationalId('21879498012')
 * if (result.valid) console.log(result.kind, result.synthetic, result.birthYear) // fnr true 1994
 * ```
 * @see https://www.skatteetaten.no/person/folkeregister/identitetsnummer/fodselsnummer/
 */
export function parseNationalId(value: unknown, options?: ParseNationalIdOptions): NationalIdResult {
  if (typeof value !== 'string') return INVALID.type
  if (value.length !== 11) return INVALID.length
  const d0 = value.charCodeAt(0) - 48
  const d1 = value.charCodeAt(1) - 48
  const d2 = value.charCodeAt(2) - 48
  const d3 = value.charCodeAt(3) - 48
  const d4 = value.charCodeAt(4) - 48
  const d5 = value.charCodeAt(5) - 48
  const d6 = value.charCodeAt(6) - 48
  const d7 = value.charCodeAt(7) - 48
  const d8 = value.charCodeAt(8) - 48
  const d9 = value.charCodeAt(9) - 48
  const d10 = value.charCodeAt(10) - 48
  // Unsigned compare: one branch catches both below '0' and above '9'.
  if (
    d0 >>> 0 > 9 ||
    d1 >>> 0 > 9 ||
    d2 >>> 0 > 9 ||
    d3 >>> 0 > 9 ||
    d4 >>> 0 > 9 ||
    d5 >>> 0 > 9 ||
    d6 >>> 0 > 9 ||
    d7 >>> 0 > 9 ||
    d8 >>> 0 > 9 ||
    d9 >>> 0 > 9 ||
    d10 >>> 0 > 9
  ) {
    return INVALID.format
  }
  const r1 = (3 * d0 + 7 * d1 + 6 * d2 + d3 + 8 * d4 + 9 * d5 + 4 * d6 + 5 * d7 + 2 * d8 + d9) % 11
  const legacy = r1 === 0
  if (!legacy && (r1 > 3 || options?.rules === 'legacy')) return INVALID.checksum
  if (
    (5 * d0 + 4 * d1 + 3 * d2 + 2 * d3 + 7 * d4 + 6 * d5 + 5 * d6 + 4 * d7 + 3 * d8 + 2 * d9 + d10) % 11 !==
    0
  ) {
    return INVALID.checksum
  }

  let day = d0 * 10 + d1
  let month = d2 * 10 + d3
  let kind: NationalIdKind = 'fnr'
  let synthetic = false
  if (day > 40) {
    day -= 40
    kind = 'dnr'
  }
  if (month > 80) {
    month -= 80
    synthetic = true
  } else if (month > 40) {
    if (kind === 'dnr') return INVALID.date
    month -= 40
    kind = 'hnr'
  }
  const yy = d4 * 10 + d5
  const individnummer = d6 * 100 + d7 * 10 + d8
  const century = birthCentury(yy, individnummer)
  if (month < 1 || month > 12 || day < 1) return INVALID.date
  if (century < 0) return INVALID.individnummer
  const year = century + yy
  if (day > daysInMonth(year, month)) return INVALID.date
  if (synthetic && options?.allowSynthetic === false) return INVALID.synthetic
  if (options?.kinds !== undefined && !options.kinds.includes(kind)) return INVALID.kind

  return {
    valid: true,
    kind,
    synthetic,
    birthYear: year,
    birthMonth: month,
    birthDay: day,
    gender: legacy ? (d8 % 2 === 1 ? 'male' : 'female') : undefined,
    checksumRule: legacy ? 'legacy' : '2032',
  }
}

/**
 * Whether a value is a valid national identity number under the given options.
 *
 * @param value - The candidate.
 * @param options - Which kinds and rules to accept.
 * @returns `true` when {@link parseNationalId} would return a valid result.
 * @example
 * ```ts
 * isValidNationalId('21879498012') // true (a synthetic test person)
 * isValidNationalId('21879498012', { allowSynthetic: false }) // false
 * ```
 */
export function isValidNationalId(value: unknown, options?: ParseNationalIdOptions): value is string {
  return parseNationalId(value, options).valid
}

/**
 * Formats the birth date of a parsed number as an ISO 8601 date (`YYYY-MM-DD`).
 *
 * @param id - A valid parse result.
 * @returns The birth date, for example `1994-07-21`.
 * @example
 * ```ts
 * const r = parseNationalId('21879498012')
 * if (r.valid) birthDateOf(r) // '1994-07-21'
 * ```
 */
export function birthDateOf(id: ValidNationalId): string {
  const mm = id.birthMonth < 10 ? `0${id.birthMonth}` : `${id.birthMonth}`
  const dd = id.birthDay < 10 ? `0${id.birthDay}` : `${id.birthDay}`
  return `${String(id.birthYear).padStart(4, '0')}-${mm}-${dd}`
}
