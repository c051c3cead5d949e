import type { LetterInput } from '../src/index.js'

/** A valid organisation number (check digit 5) and a synthetic fødselsnummer. */
export const ORG_NUMBER = '123456785'
export const SYNTHETIC_FNR = '21879498012'

export const sender: LetterInput['sender'] = {
  name: 'Eksempel kommune',
  unit: 'Helse og omsorg',
  organizationNumber: ORG_NUMBER,
  addressLines: ['Postboks 1', 'Rådhusgata 1'],
  postalCode: '0001',
  city: 'Eksempelby',
  phone: '+47 12 34 56 78',
  email: 'postmottak@eksempel.kommune.no',
  website: 'www.eksempel.kommune.no',
}

export function letter(overrides: Partial<LetterInput> = {}): LetterInput {
  return {
    sender,
    recipient: {
      name: 'Kari Nordmann',
      addressLines: ['Storgata 1'],
      postalCode: '0150',
      city: 'Oslo',
      nationalIdentityNumber: SYNTHETIC_FNR,
    },
    caseNumber: '2026/1234',
    ourReference: '2026/1234-3',
    date: '2026-11-30',
    title: 'Vedtak om støttekontakt',
    paragraphs: [
      'Vi viser til søknaden din om støttekontakt, mottatt 2. november 2026.',
      { heading: 'Vedtak' },
      'Du har fått innvilget støttekontakt i fire timer per uke fra 1. desember 2026.',
      { bullets: ['Vedtaket gjelder i ett år.', 'Du kan klage innen tre uker.'] },
    ],
    signers: [
      { name: 'Ola Saksbehandler', title: 'saksbehandler' },
      { name: 'Siri Leder', title: 'fagleder' },
    ],
    metadata: { creationDate: new Date('2026-11-30T08:00:00Z') },
    ...overrides,
  }
}
