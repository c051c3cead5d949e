import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../test/support/arbitraries.js'
import { add, closedByggesak, decidedByggesak, manager, newByggesak } from '../test/support/fixtures.js'
import { openApiValidators, specsMissing, zgwDocument } from '../test/support/schemas.js'
import { byggesak } from './examples.js'
import { type Case, toZgwResultaat, toZgwStatus, toZgwZaak, type ZgwOptions, type ZgwZaak } from './index.js'

const missing = specsMissing('zgw')
const CATALOGI = 'https://catalogi.example.org/catalogi/api/v1'
const options: ZgwOptions = {
  caseType: byggesak,
  zakenApi: 'https://zaken.example.org/zaken/api/v1/',
  zaaktype: `${CATALOGI}/zaaktypen/byggesak`,
  statustype: (code) => `${CATALOGI}/statustypen/${code}`,
  resultaattype: (outcome) => `${CATALOGI}/resultaattypen/${outcome}`,
  bronorganisatie: '002220647',
}

function zaakOf(c: Case, extra: Partial<ZgwOptions> = {}): ZgwZaak {
  const sync = toZgwZaak(c, { ...options, ...extra })
  if (sync.action !== 'upsert') throw new Error('expected a zaak')
  return sync.zaak
}

describe.skipIf(missing !== undefined)(
  `ZGW Zaken API ${missing ?? '(zaken-api.yaml from shared/specs)'}`,
  () => {
    const validator = missing ? undefined : openApiValidators(zgwDocument())
    const valid = (name: string, value: unknown): void => {
      const fn = validator?.(name)
      if (!fn) throw new Error('no schema')
      if (!fn(value)) throw new Error(`${name}: ${JSON.stringify(fn.errors?.slice(0, 5))}`)
    }

    it('the schema has teeth', () => {
      const zaak = zaakOf(decidedByggesak())
      expect(validator?.('Zaak')({ ...zaak, registratiedatum: '2025-13-01' })).toBe(false)
      expect(validator?.('Zaak')({ ...zaak, vertrouwelijkheidaanduiding: 'hemmelig' })).toBe(false)
      expect(validator?.('Zaak')({ ...zaak, identificatie: 'x'.repeat(41) })).toBe(false)
      const { status: _s, ...noStatus } = zaak
      expect(validator?.('Zaak')(noStatus)).toBe(false)
    })

    it('maps a decided case: dates, suspension-free, result and deadlines', () => {
      const c = decidedByggesak()
      const zaak = zaakOf(c)
      valid('Zaak', zaak)
      expect(zaak).toMatchObject({
        identificatie: '2025/42',
        registratiedatum: '2025-03-03',
        startdatum: '2025-03-03',
        einddatum: null,
        uiterlijkeEinddatumAfdoening: '2025-06-02',
        einddatumGepland: '2025-05-05',
        opschorting: { indicatie: false, reden: '' },
        verlenging: null,
        kenmerken: [{ kenmerk: 'EBYGG-77', bron: 'fagsystem' }],
      })
      expect(zaak.url).toBe(`https://zaken.example.org/zaken/api/v1/zaken/${zaak.uuid}`)
      expect(zaak.resultaat).toMatch(/\/resultaten\//)
      const resultaat = toZgwResultaat(c, options)
      valid('Resultaat', resultaat)
      expect(resultaat?.resultaattype).toBe(`${CATALOGI}/resultaattypen/granted`)
    })

    it('statuses keep milliseconds, so two in one second stay distinct; only the last is the latest', () => {
      let c = add(newByggesak(), {
        type: 'status',
        statusType: 'mottatt',
        lifecycle: 'received',
        at: '2025-03-03T08:00:00.000Z',
      })
      c = add(c, {
        type: 'status',
        statusType: 'under-behandling',
        lifecycle: 'in_progress',
        at: '2025-03-03T08:00:00.000Z',
      })
      c = add(c, {
        type: 'status',
        statusType: 'til-uttale',
        lifecycle: 'awaiting_other',
        at: '2025-03-03T08:00:00.001Z',
      })
      const statuses = c.events.map((e) => toZgwStatus(c, e, options))
      for (const s of statuses) valid('Status', s)
      expect(new Set(statuses.map((s) => s.url)).size).toBe(3)
      expect(statuses.map((s) => s.indicatieLaatstGezetteStatus)).toEqual([false, false, true])
      expect(statuses[0]?.statustype).toBe(`${CATALOGI}/statustypen/mottatt`)
      const zaak = zaakOf(c)
      valid('Zaak', zaak)
      expect(zaak.status).toBe(statuses[2]?.url)
      // awaiting_other is a suspension in ZGW terms.
      expect(zaak.opschorting).toEqual({ indicatie: true, reden: 'Til uttale' })
    })

    it('reopen clears einddatum; closing again sets the new one', () => {
      const closed = closedByggesak()
      expect(zaakOf(closed).einddatum).toBe('2025-05-12')
      const reopened = add(closed, {
        type: 'reopen',
        statusType: 'under-behandling',
        reason: 'Klage',
        at: '2025-06-02T09:00:00+02:00',
        by: manager,
      })
      const zaak = zaakOf(reopened)
      valid('Zaak', zaak)
      expect(zaak.einddatum).toBeNull()
      const status = toZgwStatus(reopened, reopened.events.at(-1)!, options)
      valid('Status', status)
      expect(status.indicatieLaatstGezetteStatus).toBe(true)
    })

    it('extensions become verlenging; a cancelled case is deleted', () => {
      let c = add(newByggesak(), {
        type: 'status',
        statusType: 'mottatt',
        lifecycle: 'received',
        at: '2025-03-03T08:00:00Z',
      })
      c = add(c, { type: 'extend', duration: 'P2W', reason: 'Avtalt med søker', at: '2025-03-10T08:00:00Z' })
      c = add(c, { type: 'extend', duration: 'P3D', reason: 'Ferie', at: '2025-03-11T08:00:00Z' })
      const zaak = zaakOf(c)
      valid('Zaak', zaak)
      expect(zaak.verlenging).toEqual({ reden: 'Avtalt med søker; Ferie', duur: 'P17D' })
      const cancelled = add(c, {
        type: 'status',
        statusType: 'registrert-ved-feil',
        lifecycle: 'cancelled',
        at: '2025-03-12T08:00:00Z',
      })
      expect(toZgwZaak(cancelled, options)).toMatchObject({ action: 'delete', reason: 'cancelled' })
    })

    it('every generated case maps to a valid Zaak, Status and Resultaat', () => {
      fc.assert(
        fc.property(caseArb, (c) => {
          const sync = toZgwZaak(c, options)
          if (sync.action === 'delete') return
          valid('Zaak', sync.zaak)
          for (const e of c.events)
            if (e.type === 'status' || e.type === 'reopen') valid('Status', toZgwStatus(c, e, options))
          const r = toZgwResultaat(c, options)
          if (r) valid('Resultaat', r)
        }),
        { numRuns: 150 },
      )
    }, 60_000)
  },
)
