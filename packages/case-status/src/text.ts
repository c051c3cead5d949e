import { z } from 'zod'
import { LIMITS } from './limits.js'

/** The languages texts are written in: bokmål, nynorsk, English, North Sami (ISO 639-1). */
export type Language = 'nb' | 'nn' | 'en' | 'se'

/** Every {@link Language}, in fallback order. */
export const LANGUAGES: readonly Language[] = Object.freeze(['nb', 'nn', 'en', 'se'] as const)

/**
 * Zod schema for {@link Language}.
 *
 * @example
 * ```ts
 * Language.parse('nn')
 * ```
 */
export const Language: z.ZodType<Language> = z.enum(['nb', 'nn', 'en', 'se'])

/**
 * A text in one or more of bokmål (`nb`), nynorsk (`nn`), English (`en`) and
 * North Sami (`se`). At least one language is present; none is blank.
 */
export interface LocalizedText {
  readonly nb?: string | undefined
  readonly nn?: string | undefined
  readonly en?: string | undefined
  readonly se?: string | undefined
}

const text = z.string().max(LIMITS.maxTextLength).regex(/\S/, { error: 'Text must not be blank' })

/**
 * Zod schema for {@link LocalizedText}.
 *
 * @example
 * ```ts
 * LocalizedText.parse({ nb: 'Søknad mottatt', nn: 'Søknad motteken', en: 'Application received' })
 * ```
 */
export const LocalizedText: z.ZodType<LocalizedText> = z
  .strictObject({ nb: text.optional(), nn: text.optional(), en: text.optional(), se: text.optional() })
  .refine((t) => t.nb !== undefined || t.nn !== undefined || t.en !== undefined || t.se !== undefined, {
    error: 'At least one language is required',
  })

/**
 * Builds a {@link LocalizedText} schema whose texts are at most `max` characters
 * (for labels such as Dialogporten's `extendedStatus`, at most 25).
 *
 * @param max - Maximum length of each text.
 * @returns A schema.
 * @example
 * ```ts
 * shortLocalizedText(25).parse({ nb: 'Under behandling' })
 * ```
 */
export function shortLocalizedText(max: number): z.ZodType<LocalizedText> {
  const short = text.max(max, { error: `Text must be at most ${max} characters` })
  return z
    .strictObject({ nb: short.optional(), nn: short.optional(), en: short.optional(), se: short.optional() })
    .refine((t) => t.nb !== undefined || t.nn !== undefined || t.en !== undefined || t.se !== undefined, {
      error: 'At least one language is required',
    })
}

const FALLBACK: Readonly<Record<Language, readonly Language[]>> = {
  nb: ['nb', 'nn', 'en', 'se'],
  nn: ['nn', 'nb', 'en', 'se'],
  en: ['en', 'nb', 'nn', 'se'],
  se: ['se', 'nb', 'nn', 'en'],
}

/**
 * Picks the text in a language, falling back to another Norwegian written
 * standard, then English, then North Sami.
 *
 * @param value - The localized text.
 * @param lang - The wanted language.
 * @returns The text and the language it is actually in.
 * @example
 * ```ts
 * pickText({ nb: 'Mottatt' }, 'en') // { text: 'Mottatt', lang: 'nb' }
 * ```
 */
export function pickText(value: LocalizedText, lang: Language): { text: string; lang: Language } {
  for (const candidate of FALLBACK[lang]) {
    const found = value[candidate]
    if (found !== undefined) return { text: found, lang: candidate }
  }
  return { text: '', lang }
}

/**
 * The text in a language, with the fallbacks of {@link pickText}.
 *
 * @param value - The localized text.
 * @param lang - The wanted language.
 * @returns The text.
 * @example
 * ```ts
 * textIn({ nb: 'Mottatt', en: 'Received' }, 'en') // 'Received'
 * ```
 */
export function textIn(value: LocalizedText, lang: Language): string {
  return pickText(value, lang).text
}
