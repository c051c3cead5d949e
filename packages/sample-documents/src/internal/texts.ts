import type { DocumentLanguage } from '../document-options.js'

/** The fixed texts of letters and guides. */
export interface LetterTexts {
  readonly bcp47: string
  readonly ourDate: string
  readonly caseNumber: string
  readonly ourReference: string
  readonly yourReference: string
  readonly organizationNumber: string
  readonly nationalIdentityNumber: string
  readonly dNumber: string
  readonly phone: string
  readonly email: string
  readonly closing: string
  readonly electronicallyApproved: string
  readonly page: (page: number, of: number) => string
  readonly months: readonly string[]
}

export const LETTER_TEXTS: Readonly<Record<DocumentLanguage, LetterTexts>> = {
  nb: {
    bcp47: 'nb-NO',
    ourDate: 'Vår dato',
    caseNumber: 'Saksnummer',
    ourReference: 'Vår referanse',
    yourReference: 'Deres referanse',
    organizationNumber: 'Org.nr.',
    nationalIdentityNumber: 'Fødselsnummer',
    dNumber: 'D-nummer',
    phone: 'Telefon',
    email: 'E-post',
    closing: 'Med hilsen',
    electronicallyApproved: 'Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne signaturer.',
    page: (page, of) => `Side ${page} av ${of}`,
    months: [],
  },
  nn: {
    bcp47: 'nn-NO',
    ourDate: 'Vår dato',
    caseNumber: 'Saksnummer',
    ourReference: 'Vår referanse',
    yourReference: 'Dykkar referanse',
    organizationNumber: 'Org.nr.',
    nationalIdentityNumber: 'Fødselsnummer',
    dNumber: 'D-nummer',
    phone: 'Telefon',
    email: 'E-post',
    closing: 'Med helsing',
    electronicallyApproved: 'Dokumentet er elektronisk godkjent og har difor ingen handskrivne signaturar.',
    page: (page, of) => `Side ${page} av ${of}`,
    months: [],
  },
  en: {
    bcp47: 'en-GB',
    ourDate: 'Our date',
    caseNumber: 'Case number',
    ourReference: 'Our reference',
    yourReference: 'Your reference',
    organizationNumber: 'Org. no.',
    nationalIdentityNumber: 'National identity number',
    dNumber: 'D number',
    phone: 'Phone',
    email: 'Email',
    closing: 'Yours sincerely',
    electronicallyApproved:
      'This document has been approved electronically and therefore has no handwritten signatures.',
    page: (page, of) => `Page ${page} of ${of}`,
    months: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
  },
}

const osloDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
})

/** The calendar date in Oslo as `YYYY-MM-DD`. */
export function toPlainDate(date: string | Date): string {
  if (typeof date === 'string') return date
  const parts = Object.fromEntries(osloDate.formatToParts(date).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}`
}

/** `30.11.2026` in Norwegian, `30 November 2026` in English. */
export function formatLetterDate(date: string | Date, language: DocumentLanguage): string {
  const [year, month, day] = toPlainDate(date).split('-')
  if (language === 'en') {
    const name = LETTER_TEXTS.en.months[Number(month) - 1] ?? month
    return `${Number(day)} ${name} ${year}`
  }
  return `${day}.${month}.${year}`
}

/** `123456785` → `123 456 785`, the way organisation numbers are printed. */
export function formatOrganizationNumber(value: string): string {
  return value.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3')
}
