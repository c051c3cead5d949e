import { containsNationalId, parseNationalId, parseOrganisationNumber } from '@felles/identifiers'
import type { z } from 'zod'
import { type ContentFacts, type FileContent, inspectContent } from './content.js'
import { SvarUtError } from './errors.js'
import { isEncryptedPdf, looksLikePdf } from './internal/pdf.js'
import { FORBIDDEN_FILENAME_CHARACTERS, FORSENDELSE_SCHEMAS, type ForsendelseKind } from './schemas.js'

/** Printable PDFs together must stay below this (SvarUt: 350 MB). */
export const MAX_PRINTABLE_BYTES = 350_000_000
/** The single PDF of an NHN send may be at most this (SvarUt: 18 MB). */
export const MAX_NHN_BYTES = 18_000_000

/** One broken rule. `message` never contains the value. */
export interface ValidationIssue {
  /** JSON path of the field, e.g. `mottaker.digitalId` or `dokumenter[1].filnavn`. */
  readonly field: string
  /** Stable rule id, e.g. `checksum`, `filename-unique`, `pdf-only`. */
  readonly rule: string
  readonly message: string
}

/** A document as passed to the validator: its metadata plus, optionally, its content. */
export interface DocumentToValidate {
  readonly filnavn?: unknown
  readonly mimeType?: unknown
  readonly skalEkskluderesFraUtskrift?: unknown
  readonly skalSigneres?: unknown
  /** The bytes; sizes and PDF facts are checked when they can be read without consuming them. */
  readonly content?: FileContent
  /** Declared size in bytes, for streams whose size is otherwise unknown. */
  readonly size?: number
}

/** Options for {@link validateForsendelse}. */
export interface ValidateOptions {
  /** Accept synthetic test persons (Tenor, month + 80). Default `true`; set `false` in production. */
  readonly allowSyntheticIds?: boolean
  /** Current time for the signing-deadline rule. Default `Date.now()`. */
  readonly now?: number
}

const PDF = 'application/pdf'
const hasControlCharacter = (s: string): boolean =>
  [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

function path(p: readonly PropertyKey[]): string {
  let out = ''
  for (const part of p) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({
    field: path(i.path),
    rule: i.code,
    // zod's messages state the rule (length, pattern, enum), not the value.
    message: i.message,
  }))
}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' ? (v as Obj) : undefined)

/**
 * Checks a send completely before any byte is uploaded: the documented
 * structure (lengths, patterns, enums, at most 5 links), identifier
 * checksums, file names (legal, unique), PDF-only when printable, no
 * password-protected PDF, size limits (350 MB printable, 18 MB NHN),
 * `HOYESTE` only with encryption, signing rules, `kanSvareViaEdialog`
 * with an organisation reply address, and no fødselsnummer in
 * `eksternReferanse`. Messages name the field and rule, never the value.
 *
 * @param kind - `person`, `organisasjon`, `nhn` or `print`.
 * @param forsendelse - The JSON metadata (its `dokumenter` may carry `content` and `size`).
 * @param options - Synthetic ids, clock.
 * @returns All issues found (empty when valid).
 * @example
 * ```ts
 * const issues = await validateForsendelse('person', { tittel: 'Vedtak', mottaker, dokumenter })
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export async function validateForsendelse(
  kind: ForsendelseKind,
  forsendelse: unknown,
  options: ValidateOptions = {},
): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = []
  const add = (field: string, rule: string, message: string): void => {
    issues.push({ field, rule, message })
  }
  const f = obj(forsendelse)
  if (!f) return [{ field: '', rule: 'type', message: 'The forsendelse must be an object' }]
  const documents: DocumentToValidate[] = Array.isArray(f.dokumenter)
    ? (f.dokumenter as unknown[]).map((d) => (obj(d) ?? {}) as DocumentToValidate)
    : []
  // Structural rules on the wire form (without content and size).
  const { dokumenter: _documents, ...rest } = f
  const wire =
    kind === 'nhn'
      ? rest
      : { ...rest, dokumenter: documents.map(({ content: _c, size: _s, ...meta }) => meta) }
  const parsed = FORSENDELSE_SCHEMAS[kind].safeParse(wire)
  if (!parsed.success) issues.push(...zodIssues(parsed.error))

  const allowSynthetic = options.allowSyntheticIds ?? true
  const fnr = (value: unknown, field: string): void => {
    if (typeof value !== 'string') return
    const r = parseNationalId(value, { allowSynthetic })
    if (!r.valid) add(field, 'checksum', `${field} is not a valid fødselsnummer or D-nummer (${r.reason})`)
  }
  const orgnr = (value: unknown, field: string): void => {
    if (typeof value !== 'string') return
    const r = parseOrganisationNumber(value)
    if (!r.valid) add(field, 'checksum', `${field} is not a valid organisasjonsnummer (${r.reason})`)
  }

  const mottaker = obj(f.mottaker)
  if (kind === 'person') fnr(mottaker?.digitalId, 'mottaker.digitalId')
  if (kind === 'organisasjon') orgnr(mottaker?.digitalId, 'mottaker.digitalId')
  if (kind === 'nhn') {
    fnr(obj(f.pasient)?.fodselsnummer, 'pasient.fodselsnummer')
    if (f.mottakertype === 'HER_ID' && f.mottakerHerId === undefined) {
      add('mottakerHerId', 'required', 'mottakerHerId is required when mottakertype is HER_ID')
    }
  }
  if (Array.isArray(f.eksponertFor)) {
    f.eksponertFor.forEach((id, i) => {
      const field = `eksponertFor[${i}]`
      if (typeof id !== 'string') return
      const ok =
        (id.length === 11 && parseNationalId(id, { allowSynthetic }).valid) ||
        (id.length === 9 && parseOrganisationNumber(id).valid)
      if (!ok) add(field, 'checksum', `${field} is neither a valid fødselsnummer nor organisasjonsnummer`)
    })
  }
  const svar = obj(f.svarSendesTil)
  if (svar?.type === 'PERSON') fnr(svar.digitalId, 'svarSendesTil.digitalId')
  if (svar?.type === 'ORGANISASJON') orgnr(svar.digitalId, 'svarSendesTil.digitalId')
  if (f.kanSvareViaEdialog === true && svar?.type !== 'ORGANISASJON') {
    add(
      'kanSvareViaEdialog',
      'edialog-needs-organisation',
      'kanSvareViaEdialog needs svarSendesTil of type ORGANISASJON',
    )
  }
  if (typeof f.eksternReferanse === 'string' && containsNationalId(f.eksternReferanse)) {
    add('eksternReferanse', 'personal-data', 'eksternReferanse must not contain a fødselsnummer')
  }
  if (f.sikkerhetsniva === 'HOYESTE' && f.kryptert !== true) {
    add('kryptert', 'hoyeste-requires-encryption', 'sikkerhetsniva HOYESTE requires kryptert: true')
  }

  // Documents.
  if (kind === 'nhn') {
    if (documents.length !== 1) add('dokumenter', 'nhn-one-document', 'An NHN send carries exactly one PDF')
  } else if (documents.length === 0) {
    add('dokumenter', 'required', 'A send needs at least one document')
  }
  const seen = new Set<string>()
  const printable = kind === 'print' || (kind !== 'nhn' && f.kunDigitalLevering !== true)
  let printableBytes = 0
  let signed = 0
  const facts: ContentFacts[] = await Promise.all(
    documents.map(async (d) =>
      d.content === undefined
        ? { size: undefined, head: undefined, tail: undefined, repeatable: true }
        : inspectContent(d.content),
    ),
  )
  documents.forEach((d, i) => {
    const at = (k: string): string => `dokumenter[${i}].${k}`
    const name = d.filnavn
    if (typeof name === 'string') {
      const bad = FORBIDDEN_FILENAME_CHARACTERS.filter((c) => name.includes(c))
      if (bad.length > 0 || hasControlCharacter(name)) {
        add(at('filnavn'), 'filename-characters', `${at('filnavn')} contains a character that is not allowed`)
      }
      if (name.trim() === '' || name === '.' || name === '..') {
        add(at('filnavn'), 'filename-empty', `${at('filnavn')} is not a usable file name`)
      }
      if (seen.has(name))
        add(at('filnavn'), 'filename-unique', `${at('filnavn')} repeats an earlier file name`)
      seen.add(name)
    }
    const fact = facts[i] as ContentFacts
    const size = d.size ?? fact.size
    const isPdf = d.mimeType === PDF
    const excluded = d.skalEkskluderesFraUtskrift === true
    const printsThis = printable && !excluded
    if (printsThis && !isPdf) {
      add(
        at('mimeType'),
        'pdf-only',
        kind === 'print'
          ? `${at('mimeType')}: a print send takes PDFs only`
          : `${at('mimeType')}: only PDFs can be printed; set kunDigitalLevering or skalEkskluderesFraUtskrift`,
      )
    }
    if (kind === 'nhn' && !isPdf)
      add(at('mimeType'), 'pdf-only', `${at('mimeType')}: an NHN send takes one PDF`)
    if (isPdf && fact.head !== undefined && f.kryptert !== true && !looksLikePdf(fact.head)) {
      add(at('content'), 'not-a-pdf', `${at('content')} is declared application/pdf but is not a PDF`)
    }
    if (
      isPdf &&
      (printsThis || kind === 'nhn' || d.skalSigneres === true) &&
      isEncryptedPdf(fact.head, fact.tail)
    ) {
      add(
        at('content'),
        'pdf-password',
        `${at('content')} is a password-protected PDF, which cannot be printed`,
      )
    }
    if (printsThis && isPdf && size !== undefined) printableBytes += size
    if (kind === 'nhn' && size !== undefined && size > MAX_NHN_BYTES) {
      add(at('content'), 'size-limit', `${at('content')} is larger than 18 MB, the NHN limit`)
    }
    if (d.skalSigneres === true) {
      signed++
      if (!isPdf) add(at('mimeType'), 'signing-pdf', `${at('mimeType')}: only a PDF can be signed`)
    }
  })
  if (printable && printableBytes >= MAX_PRINTABLE_BYTES) {
    add('dokumenter', 'size-limit', 'Printable PDFs together must be smaller than 350 MB')
  }
  const signering = obj(f.signering)
  if (signed > 1) add('dokumenter', 'signing-one-document', 'Only one document can be marked skalSigneres')
  if (signering && signed === 0) {
    add('signering', 'signing-needs-document', 'signering needs exactly one document marked skalSigneres')
  }
  if (!signering && signed > 0) {
    add(
      'signering',
      'required',
      'A document marked skalSigneres needs signering (signeringUtloper, signaturType)',
    )
  }
  if (signering && typeof signering.signeringUtloper === 'string') {
    const t = Date.parse(signering.signeringUtloper)
    if (Number.isFinite(t) && t < (options.now ?? Date.now()) + 86_400_000) {
      add('signering.signeringUtloper', 'signing-deadline', 'signeringUtloper must be at least one day ahead')
    }
  }
  return issues
}

/**
 * Like {@link validateForsendelse} but throws on the first problem.
 *
 * @param kind - The send kind.
 * @param forsendelse - The JSON metadata with documents.
 * @param options - Synthetic ids, clock.
 * @returns Nothing.
 * @throws SvarUtError `ERR_VALIDATION` with `field` and `rule` of the first issue and all issues in `errorJson`.
 * @example
 * ```ts
 * await assertValidForsendelse('print', letter)
 * ```
 */
export async function assertValidForsendelse(
  kind: ForsendelseKind,
  forsendelse: unknown,
  options: ValidateOptions = {},
): Promise<void> {
  const issues = await validateForsendelse(kind, forsendelse, options)
  const first = issues[0]
  if (first) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
    throw new SvarUtError('ERR_VALIDATION', `Invalid ${kind} send: ${first.message}${more}`, {
      field: first.field,
      rule: first.rule,
      errorJson: issues,
    })
  }
}
