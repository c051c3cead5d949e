import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instantClock, schoolsOf } from '../../test/helpers.js'
import { createMdmClient, type Device, type MdmClient } from '../index.js'
import { createJamfSchoolAdapter } from './jamf-school.js'

let mock: MdmMock
let mdm: MdmClient
let clock: ReturnType<typeof instantClock>

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'jamf-school-test',
    schools: 4,
    devices: 300,
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
  })
})
afterAll(() => mock.close())

function client(readOnly = false): MdmClient {
  const c = readOnly ? mock.credentials.jamfSchoolReadOnly : mock.credentials.jamfSchool
  return createMdmClient({
    adapters: [
      createJamfSchoolAdapter({
        baseUrl: mock.urls.jamfSchool,
        networkId: c.networkId,
        apiKey: c.apiKey,
        pageSize: 10,
        clock,
        timeout: false,
      }),
    ],
    schools: schoolsOf(mock),
  })
}

beforeEach(() => {
  mock.clearFaults()
  clock = instantClock()
  mdm = client()
})

function truthFor(schoolId: string): string[] {
  const ids: string[] = []
  for (const index of mock.world.indices('jamfSchool')) {
    if (mock.world.present(index) && mock.world.schoolAt(index)?.id === schoolId)
      ids.push(`jamf-school:${mock.world.udid(index)}`)
  }
  return ids.sort()
}

async function listSchool(schoolId: string, m: MdmClient = mdm): Promise<Device[]> {
  const out: Device[] = []
  for await (const d of m.forSchool(schoolId).devices()) out.push(d)
  return out
}

describe('Jamf School adapter against its emulator', () => {
  it('lists exactly the school’s iPads, with local times read as Oslo time', async () => {
    const school = mock.world.schools[0]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(devices.length).toBeGreaterThan(10)
    const first = devices[0]!
    expect(first.platform).toBe('ipados')
    expect(first.lastCheckIn).toMatch(/Z$/)
    expect(
      Math.abs(
        Date.parse(first.lastCheckIn!) -
          mock.world.lastSeen(mock.world.byUdid(first.vendorId), mock.clock.now()),
      ),
    ).toBeLessThan(1_000)
  })

  it('keeps the boundary when the location filter is ignored', async () => {
    mock.setFault('jamfSchool', { ignoreFilter: true })
    const school = mock.world.schools[2]!
    expect((await listSchool(school.id)).map((d) => d.id).sort()).toEqual(truthFor(school.id))
  })

  it('waits out a 429 and succeeds', async () => {
    mock.setFault('jamfSchool', { throttle: 1, retryAfter: 'seconds', retryAfterSeconds: 4 })
    const school = mock.world.schools[1]!
    expect((await listSchool(school.id)).length).toBe(truthFor(school.id).length)
    expect(clock.waits.some((w) => w >= 3_000)).toBe(true)
  })

  it('restarts a supervised iPad (queued until check-in) and refuses unsupported actions', async () => {
    const school = mock.world.schools[0]!
    const devices = await listSchool(school.id)
    const supervised = devices.find((d) => d.supervised === true)
    if (supervised === undefined) throw new Error('no supervised iPad')
    const view = mdm.forSchool(school.id)
    const restart = await view.act(supervised.id, { type: 'restart' }, { reason: 'frozen screen' })
    expect(restart.outcome).toBe('queued')
    expect(mock.commands({ vendor: 'jamfSchool', status: 'pending' }).length).toBeGreaterThan(0)
    const lock = await view.act(supervised.id, { type: 'lock', message: 'Ring skolen' }, { reason: 'lost' })
    expect(lock).toMatchObject({ outcome: 'refused', errorCode: 'ERR_MDM_UNSUPPORTED' })
  })

  it('maps 405 (a key without the permission) to ERR_MDM_FORBIDDEN without retrying', async () => {
    const school = mock.world.schools[0]!
    const readOnly = client(true)
    const [device] = await listSchool(school.id, readOnly)
    if (device === undefined) throw new Error('no device')
    const before = mock.requests().filter((r) => r.vendor === 'jamfSchool' && r.method === 'POST').length
    const result = await readOnly.forSchool(school.id).act(device.id, { type: 'sync' }, { reason: 'check' })
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'ERR_MDM_FORBIDDEN' })
    expect(mock.requests().filter((r) => r.vendor === 'jamfSchool' && r.method === 'POST').length).toBe(
      before + 1,
    )
  })

  it('moves a device to another school and verifies it arrived', async () => {
    const [from, to] = [mock.world.schools[0]!, mock.world.schools[1]!]
    const [device] = await listSchool(from.id)
    if (device === undefined) throw new Error('no device')
    const moved = await mdm.moveDevice(device.id, to.id, { reason: 'pupil changed school' })
    expect(moved.schoolId).toBe(to.id)
    expect(mock.world.schoolAt(mock.world.byUdid(device.vendorId))?.id).toBe(to.id)
    await expect(mdm.forSchool(from.id).getDevice(device.id)).rejects.toMatchObject({
      code: 'ERR_MDM_NOT_FOUND',
    })
  })
})
