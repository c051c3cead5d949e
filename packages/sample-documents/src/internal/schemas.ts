import { isValidNationalId, isValidOrganisationNumber } from '@felles/identifiers'
import { z } from 'zod'
import type { DocumentLanguage, FontChoice, PdfMetadata } from '../document-options.js'
import type { Organisation, Recipient, Signer } from '../parties.js'

/** A required single-line text, trimmed and in Unicode NFC (so `å` is one character, as fonts expect). */
export function line(max: number): z.ZodType<string> {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .transform((value) => value.normalize('NFC'))
}

/** A paragraph: like {@link line}, with line feeds allowed (CRLF and CR become LF). */
export function paragraph(max: number): z.ZodType<string> {
  return line(max).transform((value) => value.replace(/\r\n?/g, '\n'))
}

export const Language: z.ZodType<DocumentLanguage> = z.enum(['nb', 'nn', 'en'])
export const Font: z.ZodType<FontChoice> = z.enum(['auto', 'standard', 'embedded'])

export const OrganizationNumber: z.ZodType<string> = z
  .string()
  .transform((value) => value.replace(/\s+/g, ''))
  .refine((value) => isValidOrganisationNumber(value), 'must be a valid organisasjonsnummer (9 digits)')

export const PostalCode: z.ZodType<string> = z
  .string()
  .trim()
  .regex(/^\d{4}$/, 'must be four digits')

const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ]{2,19}$/, 'must be a phone number (digits, spaces, optional leading +)')

/** A plain date as `YYYY-MM-DD` (validated as a real date) or a valid `Date`. */
export const PlainDate: z.ZodType<string | Date> = z.union([z.iso.date(), z.date()])

export const OrganisationSchema: z.ZodType<Organisation> = z.strictObject({
  name: line(120),
  organizationNumber: OrganizationNumber,
  unit: line(120).optional(),
  addressLines: z.array(line(100)).max(3, 'must have at most 3 lines'),
  postalCode: PostalCode,
  city: line(60),
  phone: Phone.optional(),
  email: z.email('must be an e-mail address').max(120).optional(),
  website: line(100).optional(),
})

export const RecipientSchema: z.ZodType<Recipient> = z
  .strictObject({
    name: line(120),
    addressLines: z.array(line(100)).max(4, 'must have at most 4 lines'),
    postalCode: z.string().trim().min(1, 'must not be empty').max(12, 'must be at most 12 characters'),
    city: line(60),
    country: line(60).optional(),
    nationalIdentityNumber: z
      .string()
      .refine((value) => isValidNationalId(value), 'must be a valid fødselsnummer or D-nummer')
      .optional(),
    organizationNumber: OrganizationNumber.optional(),
  })
  .superRefine((recipient, ctx) => {
    const pattern = recipient.country === undefined ? /^\d{4}$/ : /^[A-Za-z0-9][A-Za-z0-9 -]*$/
    if (!pattern.test(recipient.postalCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        message:
          recipient.country === undefined
            ? 'must be four digits (give country for an address abroad)'
            : 'must be letters, digits, spaces or dashes',
      })
    }
  })

export const SignerSchema: z.ZodType<Signer> = z.strictObject({
  name: line(120),
  title: line(120).optional(),
})

export const MetadataSchema: z.ZodType<PdfMetadata> = z.strictObject({
  author: line(200).optional(),
  subject: line(500).optional(),
  keywords: z.array(line(100)).max(30).optional(),
  creationDate: z.date().optional(),
})
