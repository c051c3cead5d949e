import { z } from 'zod'
import type { DocumentLanguage, FontChoice, PdfMetadata, PlainDateInput } from './document-options.js'
import { renderMunicipalPdf } from './internal/municipal-pdf.js'
import {
  Font,
  Language,
  line,
  MetadataSchema,
  OrganisationSchema,
  PlainDate,
  SignerSchema,
} from './internal/schemas.js'
import { START_PACK_TEXTS } from './internal/start-pack-texts.js'
import { formatLetterDate, LETTER_TEXTS } from './internal/texts.js'
import { checkTexts, parseInput, type TextField } from './internal/validate.js'
import type { Organisation, Signer } from './parties.js'

/** The device-management platforms a school's devices can be enrolled in. */
export type MdmVendor = 'jamf-school' | 'jamf-pro' | 'intune' | 'google'

/** The municipality's IT contact, printed under "who to contact". */
export interface StartPackContact {
  readonly name: string
  readonly email: string
  readonly phone?: string | undefined
  readonly title?: string | undefined
}

/** Input of {@link renderStartPackPdfs}. */
export interface StartPackInput {
  /** Default `'nb'`. */
  readonly language?: DocumentLanguage | undefined
  /** The sender and letterhead. */
  readonly municipality: Organisation
  /** The recipient: the letter is addressed to the school and sent to its organisation number. */
  readonly school: Organisation
  readonly itContact: StartPackContact
  /** Address of the school-tablet console, `http:` or `https:`. */
  readonly consoleUrl: string
  /** One to four platforms, described in the guide. */
  readonly vendors: readonly MdmVendor[]
  readonly caseNumber: string
  readonly date: PlainDateInput
  /** Sign the welcome letter. */
  readonly signers?: readonly Signer[] | undefined
  /** Names of the school's administrators, listed in the letter when given. */
  readonly administrators?: readonly string[] | undefined
  /** Default `'auto'`. */
  readonly font?: FontChoice | undefined
  readonly metadata?: PdfMetadata | undefined
}

/** The two PDFs of a start pack. */
export interface StartPackPdfs {
  readonly welcomeLetter: Uint8Array
  readonly adminGuide: Uint8Array
}

const Contact: z.ZodType<StartPackContact> = z.strictObject({
  name: line(120),
  email: z.email('must be an e-mail address').max(120),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[0-9][0-9 ]{2,19}$/, 'must be a phone number (digits, spaces, optional leading +)')
    .optional(),
  title: line(120).optional(),
})

const StartPackSchema: z.ZodType<StartPackInput> = z.strictObject({
  language: Language.optional(),
  municipality: OrganisationSchema,
  school: OrganisationSchema,
  itContact: Contact,
  consoleUrl: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(200),
  vendors: z
    .array(z.enum(['jamf-school', 'jamf-pro', 'intune', 'google']))
    .min(1, 'must name at least one platform')
    .max(4)
    .refine((v) => new Set(v).size === v.length, 'must not repeat a platform'),
  caseNumber: line(50),
  date: PlainDate,
  signers: z.array(SignerSchema).max(6, 'must have at most 6 signers').optional(),
  administrators: z.array(line(120)).max(20).optional(),
  font: Font.optional(),
  metadata: MetadataSchema.optional(),
})

const notPrinted = (f: TextField): boolean =>
  !f.field.startsWith('metadata') &&
  f.field !== 'language' &&
  f.field !== 'font' &&
  !f.field.startsWith('vendors')

/**
 * Renders the start pack for a school joining the school-tablet service: a
 * welcome letter addressed to the school, and an administrator's guide
 * (logging in with Ansattporten, what the console can do, lost mode, rules
 * for wiping and retiring, who to contact). Both are on the municipality's
 * letterhead with page numbers, ready to send through SvarUt to the school's
 * organisation number.
 *
 * @param input - The school, municipality, contact and console; see {@link StartPackInput}.
 * @returns Both PDF files.
 * @throws {@link DocumentError} `ERR_INVALID_INPUT`, `ERR_UNSUPPORTED_CHARACTER`
 *   or `ERR_NATIONAL_ID_IN_TEXT`, naming the field.
 * @example
 * ```ts
 * const { welcomeLetter, adminGuide } = await renderStartPackPdfs({
 *   municipality: { name: 'Eksempel kommune', organizationNumber: '974760673', addressLines: [], postalCode: '0001', city: 'Eksempelby' },
 *   school: { name: 'Bakken skole', organizationNumber: '123456785', addressLines: ['Skoleveien 2'], postalCode: '0002', city: 'Eksempelby' },
 *   itContact: { name: 'IT-tjenesten', email: 'it@eksempel.kommune.no' },
 *   consoleUrl: 'https://nettbrett.eksempel.kommune.no',
 *   vendors: ['jamf-school', 'google'],
 *   caseNumber: '2026/77',
 *   date: '2026-11-30',
 * })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/ansattporten_guide — Ansattporten
 */
export async function renderStartPackPdfs(input: StartPackInput): Promise<StartPackPdfs> {
  const pack = parseInput(StartPackSchema, input, 'start pack')
  const texts = checkTexts(pack, () => false)
  const language = pack.language ?? 'nb'
  const t = LETTER_TEXTS[language]
  const s = START_PACK_TEXTS[language]
  const date = formatLetterDate(pack.date, language)
  const facts = {
    municipality: pack.municipality.name,
    school: pack.school.name,
    consoleUrl: pack.consoleUrl,
    vendors: pack.vendors,
    administrators: pack.administrators ?? [],
    contact: pack.itContact,
    date,
  }
  // The fixed texts are part of what is printed: they decide the font too.
  const fixed = (field: string, blocks: ReturnType<typeof s.letter>, title: string): TextField[] => [
    { field, text: title },
    ...blocks.flatMap((b) => (b.kind === 'bullets' ? b.items : [b.text]).map((text) => ({ field, text }))),
  ]
  const letterBlocks = s.letter(facts)
  const guideBlocks = s.guide(facts)
  const printed = [
    ...texts.filter(notPrinted),
    ...fixed('(start pack letter text)', letterBlocks, s.letterTitle(facts)),
    ...fixed('(start pack guide text)', guideBlocks, s.guideTitle),
  ]
  const common = {
    language,
    sender: pack.municipality,
    showNationalIdentityNumber: false,
    font: pack.font ?? 'auto',
    printed,
    metadata: { ...pack.metadata },
  } as const
  const welcomeLetter = await renderMunicipalPdf({
    ...common,
    recipient: {
      name: pack.school.name,
      addressLines: pack.school.addressLines,
      postalCode: pack.school.postalCode,
      city: pack.school.city,
      organizationNumber: pack.school.organizationNumber,
    },
    references: [
      [t.ourDate, date],
      [t.caseNumber, pack.caseNumber],
    ],
    runningHeader: `${t.caseNumber} ${pack.caseNumber}`,
    title: s.letterTitle(facts),
    blocks: letterBlocks,
    signers: pack.signers,
    electronicallyApproved: true,
  })
  const adminGuide = await renderMunicipalPdf({
    ...common,
    references: [],
    runningHeader: s.guideRunningHeader(facts),
    title: s.guideTitle,
    subtitle: s.guideSubtitle(facts),
    blocks: guideBlocks,
    electronicallyApproved: false,
  })
  return { welcomeLetter, adminGuide }
}
