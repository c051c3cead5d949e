import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../../test/support/arbitraries.js'
import {
  add,
  closedByggesak,
  decidedByggesak,
  manager,
  newByggesak,
  officer,
} from '../../test/support/fixtures.js'
import { readJson, SPECS, specsMissing } from '../../test/support/schemas.js'
import {
  describeNoarkCode,
  fromNoarkSaksstatus,
  LIFECYCLES,
  NOARK_CODE_LISTS,
  SAKSSTATUS_MAPPING,
  Saksstatus,
  toNoarkSaksstatus,
} from '../index.js'

const missing = specsMissing('fiks-arkiv-kodelister')

describe.skipIf(missing !== undefined)(
  `Noark 5 code lists equal Fiks Arkiv's JSON files ${missing ?? ''}`,
  () => {
    const folder = join(SPECS, 'fiks-arkiv-kodelister')
    const files = missing
      ? []
      : readdirSync(folder).filter((f) => f.startsWith('no.ks.fiks.arkiv.v2.kodelister.'))

    it('has one constant per file and one file per constant', () => {
      const keys = files
        .map((f) => f.replace('no.ks.fiks.arkiv.v2.kodelister.', '').replace('.json', ''))
        .sort()
      expect(keys).toEqual(Object.keys(NOARK_CODE_LISTS).sort())
      expect(keys.length).toBe(29)
    })

    it.each(files)('%s', (file) => {
      const key = file
        .replace('no.ks.fiks.arkiv.v2.kodelister.', '')
        .replace('.json', '') as keyof typeof NOARK_CODE_LISTS
      const json = readJson(join(folder, file)) as { navn: string; definisjon?: string; kodeliste: unknown[] }
      const constant = NOARK_CODE_LISTS[key]
      expect(constant.navn).toBe(json.navn)
      expect('definisjon' in constant ? constant.definisjon : undefined).toBe(json.definisjon)
      expect(constant.kodeliste).toEqual(json.kodeliste)
    })
  },
)

describe('Noark 5 saksstatus mapping', () => {
  it('the typed code lists accept exactly their codes', () => {
    expect(Saksstatus.safeParse('B').success).toBe(true)
    expect(Saksstatus.safeParse('X').success).toBe(false)
    expect(describeNoarkCode('saksstatus', 'F')).toBe('Ferdig fra saksbehandler')
    expect(describeNoarkCode('journalstatus', 'E')).toBe('Ekspedert')
  })

  it('writes the documented code for each state', () => {
    const decided = decidedByggesak()
    const inProgress = add(decided, {
      type: 'status',
      statusType: 'under-behandling',
      lifecycle: 'in_progress',
      at: '2025-05-20T08:00:00Z',
    })
    expect(toNoarkSaksstatus(newByggesak())).toEqual({ saksstatus: undefined, lossy: false })
    expect(toNoarkSaksstatus(decided)).toEqual({ saksstatus: 'F', lossy: false })
    expect(toNoarkSaksstatus(decided, { decided: 'B' })).toEqual({ saksstatus: 'B', lossy: true })
    expect(toNoarkSaksstatus(inProgress)).toEqual({ saksstatus: 'B', lossy: true })
    expect(toNoarkSaksstatus(closedByggesak())).toEqual({ saksstatus: 'A', lossy: true })
    expect(toNoarkSaksstatus(closedByggesak(officer))).toEqual({ saksstatus: 'S', lossy: false })
    expect(toNoarkSaksstatus(closedByggesak(manager)).saksstatus).toBe('S')
  })

  it('reading back is flagged lossy where it is, and never loses the true state from its candidates', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const written = toNoarkSaksstatus(c)
        if (written.saksstatus === undefined) {
          expect(c.lifecycle).toBe('draft')
          return
        }
        const read = fromNoarkSaksstatus(written.saksstatus, { resultOutcome: c.result?.outcome })
        expect(read.candidates).toContain(c.lifecycle)
        if (written.lossy) expect(read.lossy).toBe(true)
        const row = SAKSSTATUS_MAPPING.find((r) => r.lifecycle === c.lifecycle)
        expect(row?.writes).toContain(written.saksstatus)
      }),
      { numRuns: 200 },
    )
  })

  it('reads every code, P without a state', () => {
    expect(fromNoarkSaksstatus('R', {})).toMatchObject({ lifecycle: 'received', lossy: false })
    expect(fromNoarkSaksstatus('U', {})).toMatchObject({ lifecycle: 'cancelled', lossy: false })
    expect(fromNoarkSaksstatus('B', {})).toMatchObject({ lifecycle: 'in_progress', lossy: true })
    expect(fromNoarkSaksstatus('F', { resultOutcome: 'granted' })).toMatchObject({
      lifecycle: 'decided',
      lossy: true,
    })
    expect(fromNoarkSaksstatus('S', { resultOutcome: 'granted' })).toMatchObject({
      lifecycle: 'closed',
      lossy: true,
    })
    expect(fromNoarkSaksstatus('A', { resultOutcome: 'withdrawn' })).toMatchObject({
      lifecycle: 'withdrawn',
      lossy: true,
    })
    expect(fromNoarkSaksstatus('P', {})).toMatchObject({ lifecycle: undefined, lossy: true })
    expect(SAKSSTATUS_MAPPING.map((r) => r.lifecycle)).toEqual([...LIFECYCLES])
  })
})
