import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BulkVendorDouble, VendorDouble } from '../test/vendor-double.js'
import type { DeviceRecord } from './adapter.js'
import { createMdmClient } from './client.js'
import { MdmError } from './errors.js'
import type { School } from './schools.js'

const schools: School[] = [
  {
    id: 'lia-skole',
    name: 'Lia skole',
    scopes: {
      jamfSchool: { locationId: '1' },
      google: { orgUnitPath: '/Skoler/Lia' },
      intune: { category: 'Lia skole' },
    },
  },
  {
    id: 'berg-skole',
    name: 'Berg skole',
    scopes: {
      jamfSchool: { locationId: '2' },
      google: { orgUnitPath: '/Skoler/Berg' },
      intune: { category: 'Berg skole' },
    },
  },
]

function ipad(n: number, location: string, supervised = true): DeviceRecord {
  return {
    id: `jamf-school:udid-${n}`,
    vendor: 'jamf-school',
    vendorId: `udid-${n}`,
    serialNumber: `SER${n}`,
    name: `iPad ${n}`,
    model: 'iPad (10th generation)',
    platform: 'ipados',
    osVersion: n % 2 === 0 ? '17.5' : '16.7',
    owner: null,
    placement: { kind: 'jamf-school-location', id: location },
    managed: true,
    supervised,
    enrolledAt: null,
    compliance: n % 3 === 0 ? 'noncompliant' : 'compliant',
    lostMode: false,
    lastCheckIn: n % 4 === 0 ? '2026-09-01T00:00:00Z' : '2026-11-29T00:00:00Z',
    raw: {},
  }
}

function chromebook(n: number, ou: string): DeviceRecord {
  return {
    ...ipad(n, '0'),
    id: `google:dev-${n}`,
    vendor: 'google',
    vendorId: `dev-${n}`,
    platform: 'chromeos',
    placement: { kind: 'google-org-unit', path: ou },
  }
}

describe('school boundary', () => {
  it('drops devices a vendor returned for another school, even when the filter is ignored', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1'), ipad(2, '2'), ipad(3, '1'), ipad(4, '9')])
    jamf.ignoreFilter = true
    const drops: string[] = []
    const mdm = createMdmClient({
      adapters: [jamf],
      schools,
      events: { onScopeDrop: (e) => drops.push(e.deviceId) },
    })
    const lia = []
    for await (const d of mdm.forSchool('lia-skole').devices()) lia.push(d)
    expect(lia.map((d) => d.id)).toEqual(['jamf-school:udid-1', 'jamf-school:udid-3'])
    expect(lia.every((d) => d.schoolId === 'lia-skole')).toBe(true)
    expect(drops).toEqual(['jamf-school:udid-2', 'jamf-school:udid-4'])
  })

  it('treats child org units as the school, but not look-alike prefixes', async () => {
    const google = new VendorDouble('google', [
      chromebook(1, '/Skoler/Lia/5A'),
      chromebook(2, '/Skoler/Lia'),
      chromebook(3, '/Skoler/Liatoppen'),
    ])
    const mdm = createMdmClient({ adapters: [google], schools })
    const ids = []
    for await (const d of mdm.forSchool('lia-skole').devices()) ids.push(d.id)
    expect(ids).toEqual(['google:dev-1', 'google:dev-2'])
  })

  it('property: no caller ever receives or acts on another school’s device', async () => {
    const placementArb = fc.constantFrom('1', '2', '3')
    await fc.assert(
      fc.asyncProperty(
        fc.array(placementArb, { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.nat(40), { maxLength: 10 }),
        async (locations, ignoreFilter, pageSize, probes) => {
          const records = locations.map((loc, i) => ipad(i, loc))
          const jamf = new VendorDouble('jamf-school', records)
          jamf.ignoreFilter = ignoreFilter
          jamf.pageSize = pageSize
          const mdm = createMdmClient({ adapters: [jamf], schools })
          for (const school of schools) {
            const own = schools.indexOf(school) === 0 ? '1' : '2'
            const view = mdm.forSchool(school.id)
            const seen = []
            for await (const d of view.devices()) seen.push(d)
            expect(seen.map((d) => d.vendorId).sort()).toEqual(
              records
                .filter((r) => (r.placement as { id: string }).id === own)
                .map((r) => r.vendorId)
                .sort(),
            )
            for (const probe of probes) {
              const id = `jamf-school:udid-${probe}`
              const target = records[probe]
              const mine = target !== undefined && (target.placement as { id: string }).id === own
              const before = jamf.performed.length
              const result = await view.act(id, { type: 'wipe' }, { reason: 'stolen device' })
              if (mine) {
                expect(result.outcome).toBe('queued')
                expect(jamf.performed.length).toBe(before + 1)
              } else {
                expect(result.outcome).toBe('refused')
                expect(jamf.performed.length).toBe(before)
                await expect(view.getDevice(id)).rejects.toMatchObject({ code: 'ERR_MDM_NOT_FOUND' })
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('property: bulk actions through a vendor’s bulk form never reach another school’s device', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('1', '2', '3'), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.nat(40), { maxLength: 15 }),
        async (locations, leakAll, shiftKeys, probes) => {
          const records = locations.map((loc, i) => ipad(i, loc))
          const jamf = new BulkVendorDouble('jamf-school', records)
          jamf.leakAll = leakAll
          jamf.shiftKeys = shiftKeys
          const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
          const ids = probes.map((p) => `jamf-school:udid-${p}`)
          const results = await view.actMany(ids, { type: 'wipe' }, { reason: 'stolen devices' })
          expect(results.map((r) => r.deviceId)).toEqual(ids)
          const own = new Set(
            records.filter((r) => (r.placement as { id: string }).id === '1').map((r) => r.id),
          )
          for (const sent of jamf.performed) expect(own.has(sent.id)).toBe(true)
          results.forEach((result, k) => {
            const mine = own.has(ids[k] as string)
            if (!mine) expect(result).toMatchObject({ outcome: 'refused', errorCode: 'ERR_MDM_NOT_FOUND' })
            if (mine && !shiftKeys) expect(result.outcome).toBe('queued')
          })
          if (!shiftKeys) {
            expect(jamf.performed.map((p) => p.id).sort()).toEqual(ids.filter((id) => own.has(id)).sort())
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it('re-fetches the device before acting: a device moved away since listing is refused', async () => {
    const device = ipad(1, '1')
    const jamf = new VendorDouble('jamf-school', [device])
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    expect((await view.getDevice(device.id)).schoolId).toBe('lia-skole')
    jamf.records[0] = { ...device, placement: { kind: 'jamf-school-location', id: '2' } }
    const result = await view.act(device.id, { type: 'wipe' }, { reason: 'stolen device' })
    expect(result).toMatchObject({ outcome: 'refused', errorCode: 'ERR_MDM_NOT_FOUND' })
    expect(jamf.performed).toEqual([])
  })

  it('findBySerial returns only the school’s devices with that exact serial', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1'), ipad(2, '2')])
    jamf.ignoreFilter = true
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    expect((await view.findBySerial('SER1')).map((d) => d.id)).toEqual(['jamf-school:udid-1'])
    expect(await view.findBySerial('SER2')).toEqual([])
  })
})

describe('actions', () => {
  it('requires a reason for destructive actions and supports dry-run', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1')])
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    expect(await view.act('jamf-school:udid-1', { type: 'wipe' }, { reason: '' })).toMatchObject({
      outcome: 'refused',
      errorCode: 'ERR_MDM_VALIDATION',
    })
    expect(
      await view.act('jamf-school:udid-1', { type: 'wipe' }, { reason: 'lost on trip', dryRun: true }),
    ).toEqual({
      deviceId: 'jamf-school:udid-1',
      action: 'wipe',
      outcome: 'dry-run',
    })
    expect(jamf.performed).toEqual([])
  })

  it('never retries a destructive action that failed, even when the failure is retryable', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1')])
    jamf.failNext.set(
      'jamf-school:udid-1',
      new MdmError('ERR_MDM_UNAVAILABLE', 'Service unavailable', { status: 503 }),
    )
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    const result = await view.act('jamf-school:udid-1', { type: 'wipe' }, { reason: 'stolen device' })
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'ERR_MDM_UNAVAILABLE' })
    expect(jamf.performed).toHaveLength(1)
  })

  it('validates action input and reports the field', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1')])
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    const result = await view.act(
      'jamf-school:udid-1',
      { type: 'enableLostMode', message: 'x'.repeat(201) },
      { reason: 'lost' },
    )
    expect(result).toMatchObject({ outcome: 'refused', errorCode: 'ERR_MDM_VALIDATION' })
    expect(result.reason).toMatch(/^action\.message/)
  })

  it('refuses what the vendor or platform cannot do, before sending anything', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1'), ipad(2, '1', false)])
    const view = createMdmClient({ adapters: [jamf], schools }).forSchool('lia-skole')
    expect(await view.act('jamf-school:udid-1', { type: 'lock' }, { reason: 'r' })).toMatchObject({
      outcome: 'refused',
      errorCode: 'ERR_MDM_UNSUPPORTED',
    })
    expect(await view.act('jamf-school:udid-2', { type: 'restart' }, { reason: 'r' })).toMatchObject({
      outcome: 'refused',
      reason: 'restart needs a supervised device',
    })
    expect(jamf.performed).toEqual([])
  })

  it('bulk actions return one result per device, in order, with partial failure', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1'), ipad(2, '1'), ipad(3, '2'), ipad(4, '1')])
    jamf.failNext.set(
      'jamf-school:udid-2',
      new MdmError('ERR_MDM_RATE_LIMITED', 'Too many requests', { status: 429 }),
    )
    const view = createMdmClient({ adapters: [jamf], schools, bulkConcurrency: 2 }).forSchool('lia-skole')
    const ids = [
      'jamf-school:udid-1',
      'jamf-school:udid-2',
      'jamf-school:udid-3',
      'jamf-school:udid-4',
      'nonsense',
    ]
    const results = await view.actMany(ids, { type: 'restart' }, { reason: 'weekly restart' })
    expect(results.map((r) => [r.deviceId, r.outcome])).toEqual([
      ['jamf-school:udid-1', 'queued'],
      ['jamf-school:udid-2', 'failed'],
      ['jamf-school:udid-3', 'refused'],
      ['jamf-school:udid-4', 'queued'],
      ['nonsense', 'refused'],
    ])
  })
})

describe('configuration and reports', () => {
  it('rejects invalid schools with the field named', () => {
    expect(() =>
      createMdmClient({ adapters: [], schools: [{ id: 'Bad Id', name: 'x', scopes: {} }] }),
    ).toThrow(/schools\[0\]\.id/)
    expect(() =>
      createMdmClient({
        adapters: [],
        schools: [{ id: 'a', name: 'x', scopes: { google: { orgUnitPath: 'Skoler' } } }],
      }),
    ).toThrow(/schools\[0\]\.scopes\.google\.orgUnitPath/)
    expect(() =>
      createMdmClient({ adapters: [], schools: [schools[0] as School, schools[0] as School] }),
    ).toThrow(/unique/)
  })

  it('summarises compliance per school', async () => {
    const records = [1, 2, 3, 4, 5, 6].map((n) => ipad(n, '1'))
    const view = createMdmClient({ adapters: [new VendorDouble('jamf-school', records)], schools }).forSchool(
      'lia-skole',
    )
    const summary = await view.complianceSummary({
      now: new Date('2026-11-30T00:00:00Z'),
      minimumOsVersions: { ipados: '17.0' },
    })
    expect(summary).toMatchObject({
      schoolId: 'lia-skole',
      total: 6,
      nonCompliant: 2,
      outdatedOs: 3,
      notSeen: 1,
    })
    expect(summary.devices.notSeen).toEqual(['jamf-school:udid-4'])
  })

  it('moves devices between schools only with a reason and verifies the move', async () => {
    const jamf = new VendorDouble('jamf-school', [ipad(1, '1')])
    const mdm = createMdmClient({ adapters: [jamf], schools })
    await expect(mdm.moveDevice('jamf-school:udid-1', 'berg-skole', { reason: '' })).rejects.toMatchObject({
      code: 'ERR_MDM_VALIDATION',
    })
    await expect(
      mdm.moveDevice('jamf-school:udid-1', 'berg-skole', { reason: 'pupil moved' }),
    ).rejects.toMatchObject({
      code: 'ERR_MDM_UNSUPPORTED',
    })
  })
})
