import { z } from 'zod'
import { reasonText } from './errors.js'
import { type ParseNationalIdOptions, parseNationalId } from './national-id.js'
import { parseOrganisationNumber } from './organisation-number.js'

/** A string proven to be a valid national identity number (branded). */
export type NationalIdentityNumber = string & z.core.$brand<'NationalIdentityNumber'>

/** The type of the schemas built by {@link nationalIdentityNumber}. */
export type NationalIdentityNumberSchema = z.core.$ZodBranded<z.ZodString, 'NationalIdentityNumber'>

/** A string proven to be a valid organisasjonsnummer (branded). */
export type Organisasjonsnummer = string & z.core.$brand<'Organisasjonsnummer'>

/**
 * Builds a zod schema for national identity numbers with the given options.
 * Error messages name the rule broken and never echo the number; the issue's
 * `params.reason` carries the reason code.
 *
 * @param options - Accepted kinds, synthetic persons and check-digit rules.
 * @returns A schema whose output is a branded {@link NationalIdentityNumber}.
 * @example
 * ```ts
 * const Mottaker = z.object({ fnr: nationalIdentityNumber({ allowSynthetic: false }) })
 * ```
 */
export function nationalIdentityNumber(options?: ParseNationalIdOptions): NationalIdentityNumberSchema {
  return z
    .string({ error: 'Expected a national identity number as a string' })
    .superRefine((value, ctx) => {
      const result = parseNationalId(value, options)
      if (!result.valid) {
        ctx.addIssue({
          code: 'custom',
          message: `Invalid national identity number: ${reasonText(result.reason)}`,
          params: { reason: result.reason },
        })
      }
    })
    .brand<'NationalIdentityNumber'>()
}

/**
 * A zod schema accepting every valid national identity number (all kinds,
 * synthetic persons included, 2032 rules). Use {@link nationalIdentityNumber}
 * to narrow it.
 *
 * @example
 * ```ts
 * NationalIdentityNumber.parse('21879498012')
 * ```
 */
export const NationalIdentityNumber: NationalIdentityNumberSchema = nationalIdentityNumber()

/**
 * A zod schema for organisasjonsnummer. Messages never echo the number.
 *
 * @example
 * ```ts
 * Organisasjonsnummer.parse('991825827')
 * ```
 */
export const Organisasjonsnummer: z.core.$ZodBranded<z.ZodString, 'Organisasjonsnummer'> = z
  .string({ error: 'Expected an organisasjonsnummer as a string' })
  .superRefine((value, ctx) => {
    const result = parseOrganisationNumber(value)
    if (!result.valid) {
      ctx.addIssue({
        code: 'custom',
        message: `Invalid organisasjonsnummer: ${reasonText(result.reason)}`,
        params: { reason: result.reason },
      })
    }
  })
  .brand<'Organisasjonsnummer'>()
