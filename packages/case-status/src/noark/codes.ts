import { z } from 'zod'
import { NOARK_CODE_LISTS } from './code-lists.js'

type CodesOf<K extends keyof typeof NOARK_CODE_LISTS> =
  (typeof NOARK_CODE_LISTS)[K]['kodeliste'][number]['kodeverdi']

function codes<K extends keyof typeof NOARK_CODE_LISTS>(key: K): [CodesOf<K>, ...CodesOf<K>[]] {
  return NOARK_CODE_LISTS[key].kodeliste.map((c) => c.kodeverdi) as [CodesOf<K>, ...CodesOf<K>[]]
}

/** Noark 5 M052 saksstatus: B, A, U, R, S, P, F. */
export type Saksstatus = CodesOf<'saksstatus'>
/**
 * Zod schema for {@link Saksstatus}.
 *
 * @example
 * ```ts
 * Saksstatus.parse('B')
 * ```
 */
export const Saksstatus: z.ZodType<Saksstatus> = z.enum(codes('saksstatus'))

/** Noark 5 M053 journalstatus: J, F, G, E, A, U, M, S, R. */
export type Journalstatus = CodesOf<'journalstatus'>
/**
 * Zod schema for {@link Journalstatus}.
 *
 * @example
 * ```ts
 * Journalstatus.parse('J')
 * ```
 */
export const Journalstatus: z.ZodType<Journalstatus> = z.enum(codes('journalstatus'))

/** Noark 5 M082 journalposttype: I (incoming), U (outgoing), N, X (internal), S (saksframlegg). */
export type Journalposttype = CodesOf<'journalposttype'>
/**
 * Zod schema for {@link Journalposttype}.
 *
 * @example
 * ```ts
 * Journalposttype.parse('I')
 * ```
 */
export const Journalposttype: z.ZodType<Journalposttype> = z.enum(codes('journalposttype'))

/** Noark 5 M054 dokumentstatus: B (being edited), F (final). */
export type Dokumentstatus = CodesOf<'dokumentstatus'>
/**
 * Zod schema for {@link Dokumentstatus}.
 *
 * @example
 * ```ts
 * Dokumentstatus.parse('F')
 * ```
 */
export const Dokumentstatus: z.ZodType<Dokumentstatus> = z.enum(codes('dokumentstatus'))

/** Noark 5 M503 skjermingDokument: H (whole document), D (parts). */
export type SkjermingDokument = CodesOf<'skjermingdokument'>
/**
 * Zod schema for {@link SkjermingDokument}.
 *
 * @example
 * ```ts
 * SkjermingDokument.parse('H')
 * ```
 */
export const SkjermingDokument: z.ZodType<SkjermingDokument> = z.enum(codes('skjermingdokument'))

/** Noark 5 M087 korrespondanseparttype: EA, EM, EK, GM, IA, IM, IK. */
export type Korrespondanseparttype = CodesOf<'korrespondanseparttype'>
/**
 * Zod schema for {@link Korrespondanseparttype}.
 *
 * @example
 * ```ts
 * Korrespondanseparttype.parse('EA')
 * ```
 */
export const Korrespondanseparttype: z.ZodType<Korrespondanseparttype> = z.enum(
  codes('korrespondanseparttype'),
)

/**
 * Noark 5 M619 avskrivningsmaate as in Fiks Arkiv (BU, BE, TLF, TE, TO), plus
 * Noark's `SA` ("saken ble avsluttet"), which Fiks Arkiv's list leaves out.
 */
export type Avskrivningsmaate = CodesOf<'avskrivningsmaate'> | 'SA'
/**
 * Zod schema for {@link Avskrivningsmaate}.
 *
 * @example
 * ```ts
 * Avskrivningsmaate.parse('BU')
 * ```
 */
export const Avskrivningsmaate: z.ZodType<Avskrivningsmaate> = z.enum([...codes('avskrivningsmaate'), 'SA'])

/**
 * Noark 5 M502 skjermingMetadata codes (which metadata are screened). This
 * list is not among the Fiks Arkiv code lists; the codes follow the Noark 5
 * metadata catalogue. This package reads `TM1`/`TMO` as "case title
 * screened", `NPS` as "party names screened", `TR1`/`TRO`/`TD` as "document
 * titles screened" and `NA`/`NM` as "sender/recipient names screened".
 */
export type SkjermingMetadata =
  | 'KID'
  | 'TKL'
  | 'TM1'
  | 'TMO'
  | 'NPS'
  | 'TR1'
  | 'TRO'
  | 'NA'
  | 'NM'
  | 'TD'
  | 'MT'
  | 'M'
/**
 * Zod schema for {@link SkjermingMetadata}.
 *
 * @example
 * ```ts
 * SkjermingMetadata.parse('TMO')
 * ```
 */
export const SkjermingMetadata: z.ZodType<SkjermingMetadata> = z.enum([
  'KID',
  'TKL',
  'TM1',
  'TMO',
  'NPS',
  'TR1',
  'TRO',
  'NA',
  'NM',
  'TD',
  'MT',
  'M',
])

/**
 * The description of a code in one of the {@link NOARK_CODE_LISTS}.
 *
 * @param list - The list key, for example `saksstatus`.
 * @param code - The code.
 * @returns The description, or `undefined` for an unknown code.
 * @example
 * ```ts
 * describeNoarkCode('saksstatus', 'B') // 'Under behandling'
 * ```
 */
export function describeNoarkCode(list: keyof typeof NOARK_CODE_LISTS, code: string): string | undefined {
  return NOARK_CODE_LISTS[list].kodeliste.find((c) => c.kodeverdi === code)?.kodebeskrivelse
}
