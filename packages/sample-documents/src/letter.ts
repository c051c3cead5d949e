import { z } from 'zod'
import type { DocumentLanguage, FontChoice, PdfMetadata, PlainDateInput } from './document-options.js'
import { LetterBlockSchema, toBlocks } from './internal/blocks.js'
import { renderMunicipalPdf } from './internal/municipal-pdf.js'
import {
  Font,
  Language,
  line,
  MetadataSchema,
  OrganisationSchema,
  PlainDate,
  RecipientSchema,
  SignerSchema,
} from './internal/schemas.js'
import { formatLetterDate, LETTER_TEXTS } from './internal/texts.js'
import { checkTexts, parseInput } from './internal/validate.js'
import type { Organisation, Recipient, Signer } from './parties.js'

/**
 * A block of a letter's body: a string is a paragraph (a line feed in it is a
 * line break), `{ heading }` a subheading, `{ bullets }` a bulleted list.
 */
export type LetterBlock = string | { readonly heading: string } | { readonly bullets: readonly string[] }

/** Input of {@link renderLetterPdf}. */
export interface LetterInput {
  /** Language of the fixed texts. Default `'nb'`. */
  readonly language?: DocumentLanguage | undefined
  readonly sender: Organisation
  readonly recipient: Recipient
  /** "Saksnummer", such as `'2026/1234'`. */
  readonly caseNumber: string
  /** "Vår referanse". */
  readonly ourReference?: string | undefined
  /** "Deres referanse" / "Dykkar referanse". */
  readonly yourReference?: string | undefined
  /** The letter's date, printed `30.11.2026` (nb, nn) or `30 November 2026` (en). */
  readonly date: PlainDateInput
  /** The heading of the letter and the PDF's title. */
  readonly title: string
  /** The body: paragraphs, subheadings and bulleted lists. */
  readonly paragraphs: readonly LetterBlock[]
  /** Listed under "Med hilsen", two to a row. */
  readonly signers?: readonly Signer[] | undefined
  /**
   * Adds "Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne
   * signaturer." under the signers. Default `true`.
   */
  readonly electronicallyApproved?: boolean | undefined
  /**
   * Print `recipient.nationalIdentityNumber` in the recipient block. Default
   * `false`: the number is never printed unless this is set.
   */
  readonly showNationalIdentityNumber?: boolean | undefined
  /** Default `'auto'`. */
  readonly font?: FontChoice | undefined
  readonly metadata?: PdfMetadata | undefined
}

const LetterInputSchema: z.ZodType<LetterInput> = z.strictObject({
  language: Language.optional(),
  sender: OrganisationSchema,
  recipient: RecipientSchema,
  caseNumber: line(50),
  ourReference: line(50).optional(),
  yourReference: line(50).optional(),
  date: PlainDate,
  title: line(300),
  paragraphs: z.array(LetterBlockSchema).min(1, 'must have at least one paragraph').max(500),
  signers: z.array(SignerSchema).max(6, 'must have at most 6 signers').optional(),
  electronicallyApproved: z.boolean().optional(),
  showNationalIdentityNumber: z.boolean().optional(),
  font: Font.optional(),
  metadata: MetadataSchema.optional(),
})

const isParagraph = (field: string): boolean => /^paragraphs\[\d+\](\.bullets\[\d+\])?$/.test(field)

/**
 * Renders a municipal letter as PDF (A4): letterhead with the municipality's
 * name, a drawn coat-of-arms mark, address and organisation number; the
 * recipient block; date, case number and references; title; body with word
 * wrap and page breaks; "Med hilsen" and the signers; and a footer with "Side
 * 1 av 2" on every page. Document metadata (title, author, language, dates)
 * is set; pass `metadata.creationDate` for byte-identical output.
 *
 * The recipient's fødselsnummer is printed only with
 * `showNationalIdentityNumber: true`, and a fødselsnummer or D-nummer found
 * in any other field is refused.
 *
 * @param input - The letter; see {@link LetterInput}.
 * @returns The PDF file.
 * @throws {@link DocumentError} `ERR_INVALID_INPUT` for input that breaks the
 *   schema, `ERR_UNSUPPORTED_CHARACTER` for a character the font cannot show,
 *   `ERR_NATIONAL_ID_IN_TEXT` for an identity number outside the recipient block;
 *   each names the field.
 * @example
 * ```ts
 * const pdf = await renderLetterPdf({
 *   sender: { name: 'Eksempel kommune', organizationNumber: '974760673', addressLines: ['Postboks 1'], postalCode: '0001', city: 'Eksempelby' },
 *   recipient: { name: 'Kari Nordmann', addressLines: ['Storgata 1'], postalCode: '0150', city: 'Oslo' },
 *   caseNumber: '2026/1234',
 *   date: '2026-11-30',
 *   title: 'Vedtak om støttekontakt',
 *   paragraphs: ['Vi viser til søknaden din.', 'Du har fått innvilget støttekontakt.'],
 *   signers: [{ name: 'Ola Saksbehandler', title: 'saksbehandler' }],
 * })
 * ```
 * @see https://www.digdir.no/klart-sprak/klarsprak-i-brev/ — Norwegian plain-language letters
 */
export async function renderLetterPdf(input: LetterInput): Promise<Uint8Array> {
  const letter = parseInput(LetterInputSchema, input, 'letter')
  const texts = checkTexts(letter, isParagraph)
  const language = letter.language ?? 'nb'
  const t = LETTER_TEXTS[language]
  const references: [string, string][] = [
    [t.ourDate, formatLetterDate(letter.date, language)],
    [t.caseNumber, letter.caseNumber],
  ]
  if (letter.ourReference !== undefined) references.push([t.ourReference, letter.ourReference])
  if (letter.yourReference !== undefined) references.push([t.yourReference, letter.yourReference])
  const showId = letter.showNationalIdentityNumber === true
  return renderMunicipalPdf({
    language,
    sender: letter.sender,
    recipient: letter.recipient,
    showNationalIdentityNumber: showId,
    references,
    runningHeader: `${t.caseNumber} ${letter.caseNumber}`,
    title: letter.title,
    blocks: toBlocks(letter.paragraphs),
    signers: letter.signers,
    electronicallyApproved: letter.electronicallyApproved ?? true,
    font: letter.font ?? 'auto',
    printed: texts.filter(
      (f) =>
        !f.field.startsWith('metadata') &&
        f.field !== 'language' &&
        f.field !== 'font' &&
        (showId || f.field !== 'recipient.nationalIdentityNumber'),
    ),
    metadata: letter.metadata ?? {},
  })
}
