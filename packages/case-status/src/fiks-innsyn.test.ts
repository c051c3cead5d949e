import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../test/support/arbitraries.js'
import { add, closedByggesak, decidedByggesak, newByggesak, PERSON_FNR } from '../test/support/fixtures.js'
import { fiksInnsynValidator, specsMissing } from '../test/support/schemas.js'
import { byggesak } from './examples.js'
import { toFiksInnsynJournalpost, toFiksInnsynMappe } from './index.js'

const missing = specsMissing('fiks-innsyn')

describe.skipIf(missing !== undefined)(
  `KS Fiks Innsyn mappe ${missing ?? '(schemas from shared/specs)'}`,
  () => {
    const mappeSchema = missing ? undefined : fiksInnsynValidator('mappe.v1.json')
    const journalpostSchema = missing ? undefined : fiksInnsynValidator('journalpost.v1.json')
    const valid = (value: unknown, fn = mappeSchema): void => {
      if (!fn) throw new Error('no schema')
      if (!fn(value)) throw new Error(JSON.stringify(fn.errors?.slice(0, 5)))
    }
    const links = {
      caseType: byggesak,
      appealUrl: 'https://kommune.example.no/klage',
      replyUrl: 'https://kommune.example.no/svar',
      links: [
        {
          url: 'https://kommune.example.no/byggesak',
          text: {
            nb: 'Om byggesaker',
            nn: 'Om byggjesaker',
            en: 'About building permits',
            se: 'Huksendoaššiid birra',
          },
        },
      ],
    }

    it('the schema has teeth', () => {
      const mappe = toFiksInnsynMappe(decidedByggesak(), links)
      expect(mappeSchema?.({ ...mappe, type: 'ANNET' })).toBe(false)
      expect(mappeSchema?.({ ...mappe, tittel: '   ' })).toBe(false)
      expect(
        mappeSchema?.({
          ...mappe,
          lenker: [{ url: 'x', predefinert: { type: 'SVAR' }, egendefinert: { bokmal: 'x' } }],
        }),
      ).toBe(false)
    })

    it('maps a decided building permit with milestones and an appeal link while the deadline runs', () => {
      const mappe = toFiksInnsynMappe(decidedByggesak(), { ...links, asOf: '2025-04-15T12:00:00Z' })
      valid(mappe)
      expect(mappe.type).toBe('BYGGESAK')
      expect(mappe).toMatchObject({
        mappeId: '2025/42',
        saksaar: 2025,
        sakssekvensnummer: 42,
        erAvsluttet: false,
        avsluttet: null,
      })
      expect(mappe.milepeler.map((m) => m.navn)).toEqual([
        'Søknad mottatt',
        'Under behandling',
        'Mangler dokumentasjon',
        'Vedtak fattet',
      ])
      expect(mappe.milepeler[0]?.sluttdato).toBe(mappe.milepeler[1]?.startdato)
      expect(mappe.navaerendeMilepel?.navn).toBe('Vedtak fattet')
      expect(mappe.lenker.map((l) => l.predefinert?.type ?? 'egen')).toEqual(['KLAGE', 'egen'])
      expect(mappe.lenker[1]?.egendefinert).toEqual({
        bokmal: 'Om byggesaker',
        nynorsk: 'Om byggjesaker',
        engelsk: 'About building permits',
        nordsamisk: 'Huksendoaššiid birra',
      })
      expect(mappe.minPart).toEqual({ type: 'PERSON', rolle: 'Søker', navn: 'Ola Nordmann', id: PERSON_FNR })
      // Other persons never carry their number; organisations do.
      expect(mappe.andreParter).toEqual([
        { type: 'PERSON', rolle: 'Nabo', navn: 'Nina Nabo' },
        { type: 'ORGANISASJON', rolle: 'Fullmektig', navn: 'Ansvarlig Søker AS', id: '991825827' },
      ])
      expect(JSON.stringify(mappe)).not.toContain('Intern vurdering')
    })

    it('a reply link while the citizen must act, none after the appeal deadline, nynorsk on request', () => {
      let c = add(newByggesak(), {
        type: 'status',
        statusType: 'mottatt',
        lifecycle: 'received',
        at: '2025-03-03T08:00:00Z',
      })
      c = add(c, {
        type: 'status',
        statusType: 'mangler-dokumentasjon',
        lifecycle: 'awaiting_citizen',
        at: '2025-03-04T08:00:00Z',
      })
      const waiting = toFiksInnsynMappe(c, { ...links, language: 'nn' })
      valid(waiting)
      expect(waiting.lenker[0]?.predefinert?.type).toBe('SVAR')
      expect(waiting.navaerendeMilepel?.navn).toBe('Manglar dokumentasjon')
      const late = toFiksInnsynMappe(decidedByggesak(), { ...links, asOf: '2025-06-01T12:00:00Z' })
      expect(late.lenker.some((l) => l.predefinert?.type === 'KLAGE')).toBe(false)
      const closed = toFiksInnsynMappe(closedByggesak(), links)
      valid(closed)
      expect(closed).toMatchObject({ erAvsluttet: true, avsluttet: '2025-05-12T10:00:00+02:00' })
    })

    it('the decision’s journal entry carries the appeal deadline (klagefrist)', () => {
      const c = decidedByggesak()
      const jp = toFiksInnsynJournalpost(c, '2025/42-5', { caseType: byggesak })
      valid(jp, journalpostSchema)
      expect(jp?.klagefrist).toBe('2025-05-02T21:59:59.999Z')
      const incoming = toFiksInnsynJournalpost(c, '2025/42-1', { caseType: byggesak })
      valid(incoming, journalpostSchema)
      expect(incoming?.klagefrist).toBeNull()
      expect(toFiksInnsynJournalpost(c, 'nope', { caseType: byggesak })).toBeUndefined()
    })

    it('every generated case maps to a valid mappe', () => {
      fc.assert(
        fc.property(caseArb, (c) => {
          valid(toFiksInnsynMappe(c, links))
          for (const doc of c.documents) {
            const jp = toFiksInnsynJournalpost(c, doc.id, { caseType: byggesak })
            if (jp) valid(jp, journalpostSchema)
          }
        }),
        { numRuns: 150 },
      )
    }, 60_000)
  },
)
