import { parseNationalId } from './national-id.js'

/**
 * Masks a national identity number for display, keeping only the six-digit
 * birth-date part: `21879498012` → `218794*****`. Anything that is not 11
 * digits is masked whole, so the function is safe to call on any input.
 *
 * @param value - The number to mask.
 * @returns The masked string; never the full number.
 * @example
 * ```ts
 * mask('21879498012') // '218794*****'
 * ```
 */
export function mask(value: string): string {
  if (value.length === 11 && /^\d{11}$/.test(value)) return `${value.slice(0, 6)}*****`
  return '*'.repeat(Math.max(value.length, 1))
}

/** Options for {@link scrubNationalIds}. */
export interface ScrubOptions {
  /** What replaces each number found. Default `'***********'` (11 stars). */
  readonly replacement?: string
}

// 11 digits not touching other digits, optionally written `DDMMYY NNNNN`.
const CANDIDATE = /(?<!\d)(\d{6})([ .-]?)(\d{5})(?!\d)/g

/**
 * Removes every checksum-valid national identity number (fødselsnummer,
 * D-nummer, H-nummer, synthetic) from a string, for log lines and error
 * messages. Numbers written `DDMMYY NNNNN` are found too. Eleven-digit runs that
 * fail the checksum (order numbers, phone numbers with prefix) are left alone.
 *
 * @param text - Any text.
 * @param options - The replacement.
 * @returns The text with each number replaced.
 * @example
 * ```ts
 * scrubNationalIds('lookup failed for 21879498012') // 'lookup failed for ***********'
 * ```
 */
export function scrubNationalIds(text: string, options?: ScrubOptions): string {
  const replacement = options?.replacement ?? '***********'
  if (text.length < 11) return text
  return text.replace(CANDIDATE, (match: string, head: string, _sep: string, tail: string) =>
    parseNationalId(head + tail).valid ? replacement : match,
  )
}

/**
 * Whether a string contains a checksum-valid national identity number.
 *
 * @param text - Any text.
 * @returns `true` when {@link scrubNationalIds} would change the text.
 * @example
 * ```ts
 * containsNationalId('id=21879498012') // true
 * ```
 */
export function containsNationalId(text: string): boolean {
  return scrubNationalIds(text, { replacement: '\u0000' }) !== text
}
