import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Dialect } from '../database.js'
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../testing.js'
import { beginAudit, completeAudit, findAudit, listAudit, openCommands } from './audit.js'
import type { DeviceRow } from './devices.js'
import {
  findDevice,
  findDevices,
  iterateDevices,
  listDevices,
  sweepDevices,
  upsertDevices,
} from './devices.js'
import { accessFor, assignAdmin, saveSchool } from './schools.js'
import { getSyncState, startSyncRun, storeSyncPage } from './sync-state.js'

const hasPostgres = await postgresAvailable()

function device(n: number, schoolId: string | null, run = 'run-1'): DeviceRow {
  return {
    id: `jamf-school:udid-${n}`,
    vendor: 'jamf-school',
    vendor_id: `udid-${n}`,
    school_id: schoolId,
    serial_number: `SER${String(n).padStart(5, '0')}`,
    name: `IPAD-${String(n).padStart(5, '0')}`,
    model: 'iPad',
    platform: n % 3 === 0 ? 'windows' : 'ipados',
    os_version: '17.5',
    device_group: `${(n % 10) + 1}A`,
    owner: null,
    compliance: n % 4 === 0 ? 'noncompliant' : 'compliant',
    lost_mode: 0,
    supervised: 1,
    managed: 1,
    last_check_in: n % 5 === 0 ? '2026-09-01T00:00:00.000Z' : '2026-11-29T00:00:00.000Z',
    enrolled_at: null,
    sync_run: run,
    updated_at: '2026-11-30T08:00:00.000Z',
  }
}

describe.each(['sqlite', 'postgres'] as Dialect[])('school tables on %s', (dialect) => {
  const skip = dialect === 'postgres' && !hasPostgres
  let t: TestDatabase
  beforeAll(async () => {
    if (skip) return
    t = await openTestDatabase(dialect)
    for (const id of ['lia-skole', 'berg-skole']) {
      await saveSchool(t.db, { id, name: id, orgnr: null, scopes: { jamfSchool: { locationId: '1' } } })
    }
    await upsertDevices(t.db, [
      ...Array.from({ length: 120 }, (_, i) => device(i, i % 2 === 0 ? 'lia-skole' : 'berg-skole')),
      device(999, null),
    ])
  })
  afterAll(async () => {
    if (!skip) await t.dispose()
  })

  it.skipIf(skip)(
    'access comes from identity or reportee organisation; central IT sees every school',
    async () => {
      await assignAdmin(t.db, { subjectKind: 'pid', subject: 'p-central', role: 'central-it', schoolId: '*' })
      await assignAdmin(t.db, {
        subjectKind: 'pid',
        subject: 'p-lia',
        role: 'school-admin',
        schoolId: 'lia-skole',
      })
      await assignAdmin(t.db, {
        subjectKind: 'orgnr',
        subject: '921000022',
        role: 'school-admin',
        schoolId: 'berg-skole',
      })
      await assignAdmin(t.db, {
        subjectKind: 'pid',
        subject: 'p-gone',
        role: 'school-admin',
        schoolId: 'nedlagt-skole',
      })
      expect(await accessFor(t.db, { pid: 'p-central' })).toMatchObject({
        centralIt: true,
        schoolIds: ['berg-skole', 'lia-skole'],
      })
      expect(await accessFor(t.db, { pid: 'p-lia' })).toMatchObject({
        centralIt: false,
        schoolIds: ['lia-skole'],
      })
      expect(await accessFor(t.db, { pid: 'p-lia', orgnrs: ['921000022'] })).toMatchObject({
        schoolIds: ['berg-skole', 'lia-skole'],
      })
      expect((await accessFor(t.db, { pid: 'p-gone' })).schoolIds).toEqual([])
      expect((await accessFor(t.db, {})).schoolIds).toEqual([])
    },
  )

  it.skipIf(skip)(
    'property: device queries never return another school’s device, whatever the filter',
    async () => {
      expect(t.sqlite !== undefined).toBe(dialect === 'sqlite')
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('lia-skole', 'berg-skole'),
          fc.record({
            platform: fc.option(fc.constantFrom('ipados', 'windows', 'x'), { nil: undefined }),
            group: fc.option(fc.constantFrom('1A', '2A', '%', "' or 1=1 --"), { nil: undefined }),
            compliance: fc.option(fc.constantFrom('compliant', 'noncompliant'), { nil: undefined }),
            seen: fc.option(fc.constantFrom('recent' as const, 'stale' as const), { nil: undefined }),
            serial: fc.option(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('SER000', '%', '_')), {
              nil: undefined,
            }),
          }),
          fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 10 }),
          async (schoolId, filter, ids) => {
            const now = new Date('2026-11-30T08:00:00Z')
            const page = await listDevices(t.db, { schoolId, ...filter, now }, { limit: 500, offset: 0 })
            expect(page.devices.every((d) => d.school_id === schoolId)).toBe(true)
            expect(page.total).toBe(page.devices.length)
            if (t.sqlite !== undefined) {
              // The prepared-statement path answers exactly as the Kysely one.
              const fast = await listDevices(
                t.db,
                { schoolId, ...filter, now },
                { limit: 500, offset: 0 },
                t.sqlite,
              )
              expect(fast.devices.map((d) => d.id)).toEqual(page.devices.map((d) => d.id))
              expect(fast.total).toBe(page.total)
              const second = await listDevices(
                t.db,
                { schoolId, ...filter, now },
                { limit: 3, offset: 2 },
                t.sqlite,
              )
              expect(second.devices.map((d) => d.id)).toEqual(page.devices.slice(2, 5).map((d) => d.id))
            }
            const all: DeviceRow[] = []
            for await (const d of iterateDevices(t.db, { schoolId, ...filter, now }, 7)) all.push(d)
            expect(all.map((d) => d.id)).toEqual(page.devices.map((d) => d.id))
            const found = await findDevices(
              t.db,
              schoolId,
              ids.map((n) => `jamf-school:udid-${n}`),
            )
            expect(found.every((d) => d.school_id === schoolId)).toBe(true)
            for (const n of ids) {
              const one = await findDevice(t.db, schoolId, `jamf-school:udid-${n}`)
              if (one !== undefined) expect(one.school_id).toBe(schoolId)
            }
          },
        ),
        { numRuns: 40 },
      )
    },
  )

  it.skipIf(skip)(
    'audit entries are written before the call, completed after, and scoped to schools',
    async () => {
      const base = {
        actorId: 'sub-1',
        actorName: 'A',
        actorRole: 'school-admin',
        action: 'lock',
        deviceSerial: null,
        reason: 'Mistet',
      }
      await beginAudit(t.db, { ...base, id: 'a1', schoolId: 'lia-skole', deviceId: 'jamf-school:udid-0' })
      await beginAudit(t.db, { ...base, id: 'a2', schoolId: 'berg-skole', deviceId: 'jamf-school:udid-1' })
      expect((await findAudit(t.db, ['lia-skole'], 'a1'))?.outcome).toBe('pending')
      await completeAudit(t.db, 'a1', { outcome: 'queued', commandId: 'cmd-1' })
      expect(await findAudit(t.db, ['lia-skole'], 'a2')).toBeUndefined()
      expect((await listAudit(t.db, { schoolIds: ['lia-skole'] })).map((a) => a.id)).toEqual(['a1'])
      expect(await listAudit(t.db, { schoolIds: [] })).toEqual([])
      expect((await openCommands(t.db, ['lia-skole'])).map((a) => a.command_state)).toEqual(['pending'])
    },
  )

  it.skipIf(skip)(
    'a sync page and its cursor are stored together; a completed run sweeps what it did not see',
    async () => {
      await startSyncRun(t.db, 'jamf-school', 'run-2')
      expect(
        await storeSyncPage(t.db, 'jamf-school', 'run-2', {
          rows: [device(0, 'lia-skole', 'run-2')],
          cursor: '1',
        }),
      ).toBe(true)
      expect(
        await storeSyncPage(t.db, 'jamf-school', 'other-run', {
          rows: [device(2, 'lia-skole', 'x')],
          cursor: '9',
        }),
      ).toBe(false)
      expect(await getSyncState(t.db, 'jamf-school')).toMatchObject({
        cursor: '1',
        pages: 1,
        devices_seen: 1,
      })
      expect(await sweepDevices(t.db, 'jamf-school', 'run-2')).toBe(120)
      expect((await listDevices(t.db, { schoolId: 'lia-skole' }, { limit: 10, offset: 0 })).total).toBe(1)
    },
  )
})
