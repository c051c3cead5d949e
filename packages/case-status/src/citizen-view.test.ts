import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../test/support/arbitraries.js'
import { add, decidedByggesak, newByggesak, PERSON_FNR } from '../test/support/fixtures.js'
import { barnehageplass, byggesak } from './examples.js'
import { citizenView, EXAMPLE_CASE_TYPES, parseCaseType, StatusType } from './index.js'

describe('citizenView', () => {
  it('shows what the citizen may see, in their language', () => {
    const c = decidedByggesak()
    const view = citizenView(c, 'nn', { caseType: byggesak, asOf: '2025-04-15T12:00:00Z' })
    expect(view.title).toBe('Tilbygg til einebustad, Storgata 1')
    expect(view.reference).toBe('2025/42')
    expect(view.status).toMatchObject({ code: 'vedtak', label: 'Vedtak gjort', mustAct: false })
    expect(view.result).toMatchObject({ outcome: 'granted', summary: 'Søknaden er innvilga.' })
    expect(view.deadlines?.appeal).toMatchObject({ due: '2025-05-02', state: 'open', daysLeft: 17 })
    expect(view.deadlines?.legal).toMatchObject({ due: '2025-06-02', state: 'met' })
    expect(view.events.map((e) => e.type)).toEqual(['status', 'status', 'status', 'note', 'status'])
    expect(view.events[2]?.note).toBe('Vi manglar situasjonsplan.')
  })

  it('removes internal events, internal status types and internal notes', () => {
    const view = citizenView(decidedByggesak(), 'nb', { caseType: byggesak })
    const text = JSON.stringify(view)
    expect(text).not.toContain('Intern merknad')
    expect(text).not.toContain('intern-vurdering')
    expect(view.events.some((e) => e.type === 'suspend' || e.type === 'resume')).toBe(false)
    expect(view.deadlines).toBeUndefined()
  })

  it('shows the last visible status while the case is in an internal one', () => {
    let c = add(newByggesak(), {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2025-03-03T08:00:00Z',
    })
    c = add(c, {
      type: 'status',
      statusType: 'intern-vurdering',
      lifecycle: 'in_progress',
      at: '2025-03-04T08:00:00Z',
      visibility: 'internal',
    })
    expect(citizenView(c, 'en', { caseType: byggesak }).status).toMatchObject({
      code: 'mottatt',
      label: 'Application received',
    })
  })

  it('uses the public title and hides screened names and documents where the case is screened', () => {
    let c = newByggesak({
      screening: {
        accessRestriction: '13',
        legalBasis: 'Offl. § 13 jf. fvl. § 13',
        metadata: ['TMO', 'NPS'],
        until: '2025-12-31',
      },
      publicTitle: { nb: 'Byggesak - gnr. 1 bnr. 2' },
    })
    c = add(c, {
      type: 'status',
      statusType: 'mottatt',
      lifecycle: 'received',
      at: '2025-03-03T08:00:00Z',
      documents: [
        {
          id: 'd1',
          journalpostType: 'I',
          journalStatus: 'J',
          documentStatus: 'F',
          title: 'Søknad fra Ola Nordmann om dispensasjon',
          publicTitle: 'Søknad om dispensasjon',
          visibility: 'citizen',
          url: 'https://kommune.example.no/d1.pdf',
        },
        {
          id: 'd2',
          journalpostType: 'I',
          journalStatus: 'J',
          documentStatus: 'F',
          title: 'Legeerklæring',
          visibility: 'citizen',
          screening: { accessRestriction: '13', legalBasis: 'Offl. § 13', metadata: [], documents: 'H' },
        },
        {
          id: 'd3',
          journalpostType: 'N',
          journalStatus: 'J',
          documentStatus: 'F',
          title: 'Internt notat',
          visibility: 'internal',
        },
      ],
    })
    const view = citizenView(c, 'nb', { caseType: byggesak, asOf: '2025-06-01T12:00:00Z' })
    expect(view.screened).toBe(true)
    expect(view.title).toBe('Byggesak - gnr. 1 bnr. 2')
    expect(view.parties.every((p) => p.name === undefined)).toBe(true)
    expect(view.documents).toEqual([
      {
        id: 'd1',
        title: 'Søknad om dispensasjon',
        journalpostType: 'I',
        url: 'https://kommune.example.no/d1.pdf',
      },
    ])
    // Once the screening has ended the full title is back.
    const after = citizenView(c, 'nb', { caseType: byggesak, asOf: '2026-01-01T12:00:00Z' })
    expect(after.screened).toBe(false)
    expect(after.title).toBe('Tilbygg til enebolig, Storgata 1')
    // Screened without a public title: the case type's name.
    const { publicTitle: _p, ...noPublic } = c
    expect(citizenView(noPublic, 'en', { caseType: byggesak }).title).toBe('Building permit')
  })

  it('never contains a national identity number, for any generated case', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('nb', 'nn', 'en', 'se'), (c, lang) => {
        const view = citizenView(c, lang, { caseType: byggesak, asOf: '2025-06-01T00:00:00Z' })
        const text = JSON.stringify(view)
        expect(text).not.toContain(PERSON_FNR)
        expect(text).not.toContain('20914695016')
        for (const e of view.events) expect(c.events.find((x) => x.seq === e.seq)?.visibility).toBe('citizen')
      }),
      { numRuns: 150 },
    )
  }, 60_000)

  it('refuses a case type that is not the case’s', () => {
    expect(() => citizenView(newByggesak(), 'nb', { caseType: barnehageplass })).toThrow(TypeError)
  })
})

describe('example case types', () => {
  it.each(EXAMPLE_CASE_TYPES.map((t) => [t.id, t] as const))(
    '%s is valid, with every text in nb, nn and en',
    (_id, type) => {
      const parsed = parseCaseType(JSON.stringify(type))
      if (!parsed.ok) throw parsed.error
      expect(parsed.value).toEqual(type)
      const texts = [
        type.name,
        ...type.statusTypes.flatMap((s) => [s.label, s.citizenText]),
        ...type.tracks.map((t) => t.name),
      ]
      for (const t of texts) {
        expect(t.nb).toBeTruthy()
        expect(t.nn).toBeTruthy()
        expect(t.en).toBeTruthy()
      }
      for (const s of type.statusTypes) {
        for (const label of [s.label.nb, s.label.nn, s.label.en])
          expect(label?.length).toBeLessThanOrEqual(25)
      }
    },
  )

  it('byggesak has 12 weeks for ordinary and 3 weeks for simple applications under pbl. § 21-7', () => {
    expect(
      byggesak.tracks.map((t) => [t.code, t.legalDeadline?.duration, t.legalDeadline?.legalBasis]),
    ).toEqual([
      ['ordinary', 'P12W', 'pbl. § 21-7 første ledd'],
      ['simple', 'P3W', 'pbl. § 21-7 andre ledd'],
    ])
    expect(byggesak.appeal).toMatchObject({ duration: 'P3W', legalBasis: 'fvl. § 29' })
  })

  it('status types refuse an internal type that notifies, and a label over 25 characters', () => {
    const base = byggesak.statusTypes[1]!
    expect(StatusType.safeParse({ ...base, visibility: 'internal' }).success).toBe(false)
    expect(StatusType.safeParse({ ...base, label: { nb: 'Dette er en altfor lang etikett' } }).success).toBe(
      false,
    )
    expect(parseCaseType({ ...byggesak, statusTypes: byggesak.statusTypes.slice(0, 3) }).ok).toBe(false)
  })
})
