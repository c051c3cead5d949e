/**
 * Language of the fixed texts of a document ("Saksnummer", "Med hilsen",
 * "Side 1 av 2"): Norwegian Bokmål, Norwegian Nynorsk or English.
 */
export type DocumentLanguage = 'nb' | 'nn' | 'en'

/**
 * Which fonts a PDF uses.
 *
 * - `auto` (default): Helvetica, one of the PDF standard fonts (nothing embedded,
 *   small files), when every text fits its WinAnsi encoding; otherwise Noto Sans,
 *   embedded as a subset, which also covers Sami letters such as ŋ, đ, ŧ and č.
 * - `standard`: Helvetica only; text outside WinAnsi is refused.
 * - `embedded`: always Noto Sans.
 *
 * Characters that the chosen font cannot show (emoji, most non-Latin scripts)
 * are refused with `ERR_UNSUPPORTED_CHARACTER` naming the field: text is never
 * silently dropped or replaced.
 */
export type FontChoice = 'auto' | 'standard' | 'embedded'

/** A calendar date: `'YYYY-MM-DD'`, or a `Date` read in the Europe/Oslo time zone. */
export type PlainDateInput = string | Date

/** Document properties written to the PDF's information dictionary. */
export interface PdfMetadata {
  /** Default: the sending organisation's name. */
  readonly author?: string | undefined
  readonly subject?: string | undefined
  readonly keywords?: readonly string[] | undefined
  /**
   * Creation and modification date. Default: now. Pass a fixed date for
   * byte-identical output (snapshot tests, content hashes for idempotent sends).
   */
  readonly creationDate?: Date | undefined
}
