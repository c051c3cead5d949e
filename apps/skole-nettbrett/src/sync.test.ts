import type { MdmMock } from '@felles/mdm-mock'
import type { SampleDatabase } from '@felles/sample-municipality'
import { findDevice, getSyncState, listDevices } from '@felles/sample-municipality/schools'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engines, hasPostgres, instantClock, openTestDatabase, startTestMdm } from '../test/helpers.js'
import { createAdapters, createFleet, mdmConnectionFromMock } from './mdm-connection.js'
import { createOnboardingService } from './onboarding.js'
import { seedSchools } from './seed.js'
import { createInventorySync } from './sync.js'

let mock: MdmMock
beforeAll(async () => {
  mock = await startTestMdm({ seed: 'sync-test', schools: 4, devices: 500 })
})
afterAll(() => mock.close())

const vendorOf = {
  graph: 'intune',
  jamfPro: 'jamf-pro',
  jamfSchool: 'jamf-school',
  google: 'google',
} as const

function truth(): Map<string, string | null> {
  const out = new Map<string, string | null>()
  for (const vendor of ['graph', 'jamfPro', 'jamfSchool', 'google'] as const) {
    for (const t of mock.world.devices({ vendor })) {
      if (t.state === 'removed') continue
      const id =
        vendor === 'graph'
          ? t.ids.graph
          : vendor === 'jamfSchool'
            ? t.ids.udid
            : vendor === 'google'
              ? t.ids.google
              : t.kind === 'jamfProMac'
                ? `c-${t.ids.jamfPro}`
                : `m-${t.ids.jamfPro}`
      out.set(`${vendorOf[vendor]}:${id}`, t.schoolId)
    }
  }
  return out
}

describe.each(engines)('inventory sync on %s', (engine) => {
  const skip = engine === 'postgres' && !hasPostgres
  let database: SampleDatabase & { drop(): Promise<void> }
  beforeAll(async () => {
    if (skip) return
    database = await openTestDatabase(engine)
  })
  afterAll(async () => {
    if (!skip) await database.drop()
  })

  it.skipIf(skip)(
    'stores every vendor device with the right school, resumes after a crash, removes gone devices',
    async () => {
      const { db } = database
      await seedSchools(db, mock.world.schools)
      const fleet = createFleet(
        createAdapters({
          ...mdmConnectionFromMock(mock),
          clock: instantClock(),
          timeout: false,
          pageSize: 20,
        }),
        [],
      )
      const onboarding = createOnboardingService({
        db,
        fleet,
        svarut: {
          apiUrl: 'http://127.0.0.1:9/api',
          kontoId: 'x',
          integrationId: 'x',
          integrationPassword: 'x',
          token: 'x',
        },
        municipality: {
          name: 'Fjordvik kommune',
          organizationNumber: '921000014',
          addressLines: ['Postboks 1'],
          postalCode: '4001',
          city: 'Fjordvik',
        },
        consoleUrl: () => 'https://skole.example',
      })
      await onboarding.reloadSchools()

      // A crash after the second stored page of Google (small pages so there are several).
      let crash = true
      const crashing = createInventorySync({
        db,
        fleet,
        afterPage: ({ vendor, pages }) => {
          if (crash && vendor === 'google' && pages === 2) throw new Error('simulated crash')
        },
      })
      const first = await crashing.runAll()
      const google = first.find((s) => s.vendor === 'google')!
      expect(google.state).toBe('failed')
      const half = await getSyncState(db, 'google')
      expect(half).toMatchObject({ state: 'failed', pages: 2 })
      expect(half?.cursor).not.toBeNull()
      crash = false
      const resumed = await crashing.runVendor('google')
      expect(resumed).toMatchObject({ state: 'done', resumed: true, runId: google.runId })
      expect((await getSyncState(db, 'google'))?.pages).toBeGreaterThan(2)

      const expected = truth()
      const rows = await db.selectFrom('school_devices').select(['id', 'school_id']).execute()
      expect(rows.length).toBe(expected.size)
      for (const row of rows) expect(row.school_id).toBe(expected.get(row.id))

      // An Intune device wiped at the vendor disappears from the inventory at the next run.
      const school = mock.world.schools[0]!
      const page = await listDevices(
        db,
        { schoolId: school.id, platform: 'windows' },
        { limit: 5, offset: 0 },
      )
      const victim = page.devices[0]!
      expect(victim.vendor).toBe('intune')
      mock.world.remove(mock.world.byGraphId(victim.vendor_id))
      const second = await createInventorySync({ db, fleet }).runAll()
      expect(second.every((s) => s.state === 'done')).toBe(true)
      expect(second.find((s) => s.vendor === 'intune')?.removed).toBe(1)
      expect(await findDevice(db, school.id, victim.id)).toBeUndefined()
      expect(await db.selectFrom('school_devices').select('id').execute()).toHaveLength(expected.size - 1)
    },
  )
})
