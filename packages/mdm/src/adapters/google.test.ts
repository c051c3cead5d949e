import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instantClock, schoolsOf } from '../../test/helpers.js'
import { createMdmClient, type Device, type MdmClient } from '../index.js'
import { createGoogleAdapter } from './google.js'

let mock: MdmMock
let mdm: MdmClient
let clock: ReturnType<typeof instantClock>

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'google-test',
    schools: 4,
    devices: 300,
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
  })
})
afterAll(() => mock.close())

beforeEach(() => {
  mock.clearFaults()
  clock = instantClock()
  const g = mock.credentials.google
  mdm = createMdmClient({
    adapters: [
      createGoogleAdapter({
        serviceAccount: g.serviceAccountKey,
        adminEmail: g.adminEmail,
        apiUrl: mock.urls.google,
        tokenUrl: mock.urls.tokenEndpoints.google,
        pageSize: 6,
        clock,
        timeout: false,
      }),
    ],
    schools: schoolsOf(mock),
  })
})

function truthFor(schoolId: string): string[] {
  const ids: string[] = []
  for (const index of mock.world.indices('google')) {
    if (mock.world.present(index) && mock.world.schoolAt(index)?.id === schoolId)
      ids.push(`google:${mock.world.googleId(index)}`)
  }
  return ids.sort()
}

async function listSchool(schoolId: string): Promise<Device[]> {
  const out: Device[] = []
  for await (const d of mdm.forSchool(schoolId).devices()) out.push(d)
  return out
}

describe('Google adapter against the Admin SDK emulator', () => {
  it('lists the school’s Chromebooks, child org units included, over several pages', async () => {
    const school = mock.world.schools[0]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(devices.length).toBeGreaterThan(6)
    expect(
      devices.some(
        (d) => d.placement.kind === 'google-org-unit' && d.placement.path !== school.google.orgUnitPath,
      ),
    ).toBe(true)
  })

  it('asks list pages for the model’s fields only; a single device comes whole', async () => {
    const school = mock.world.schools[1]!
    const devices = await listSchool(school.id)
    const listed = devices[0]!
    expect(Object.keys(listed.raw as object).sort()).toEqual(
      expect.arrayContaining(['deviceId', 'serialNumber', 'orgUnitPath']),
    )
    for (const d of devices) {
      for (const key of Object.keys(d.raw as object)) {
        expect([
          'deviceId',
          'serialNumber',
          'status',
          'lastSync',
          'annotatedUser',
          'model',
          'osVersion',
          'orgUnitPath',
          'lastEnrollmentTime',
        ]).toContain(key)
      }
      expect(d.model).not.toBeNull()
      expect(d.osVersion).not.toBeNull()
    }
    const whole = await mdm.forSchool(school.id).getDevice(listed.id)
    expect(Object.keys(whole.raw as object).length).toBeGreaterThan(Object.keys(listed.raw as object).length)
    expect(whole.serialNumber).toBe(listed.serialNumber)
  })

  it('treats 403 userRateLimitExceeded as a rate limit: backs off and succeeds', async () => {
    mock.setFault('google', { throttle: 2, rateLimitReason: 'userRateLimitExceeded', retryAfter: 'omit' })
    const school = mock.world.schools[1]!
    expect((await listSchool(school.id)).map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(clock.waits.length).toBeGreaterThanOrEqual(2)
    expect(mock.stats().google.rateLimited).toBeGreaterThanOrEqual(2)
  })

  it('stops with an error when the server repeats a page link', async () => {
    mock.setFault('google', { repeatNextPage: true })
    const school = mock.world.schools[0]!
    await expect(listSchool(school.id)).rejects.toMatchObject({ name: 'MdmError', vendor: 'google' })
  })

  it('follows reboot commands to their result at check-in (Google reboots kiosk devices only)', async () => {
    let kiosk: { school: string; index: number } | undefined
    let personal: { school: string; index: number } | undefined
    for (const index of mock.world.indices('google')) {
      const school = mock.world.schoolAt(index)
      if (!school || !mock.world.present(index)) continue
      if (mock.world.kiosk(index)) kiosk ??= { school: school.id, index }
      else personal ??= { school: school.id, index }
    }
    if (kiosk === undefined || personal === undefined)
      throw new Error('the world lacks a kiosk or a personal Chromebook')
    for (const [target, expected] of [
      [kiosk, 'completed'],
      [personal, 'failed'],
    ] as const) {
      const id = `google:${mock.world.googleId(target.index)}`
      const view = mdm.forSchool(target.school)
      const result = await view.act(id, { type: 'restart' }, { reason: 'stuck on update' })
      expect(result.outcome).toBe('queued')
      expect(await view.commandState(id, result.commandId!)).toBe('pending')
      mock.checkIn(mock.world.googleId(target.index))
      expect(await view.commandState(id, result.commandId!)).toBe(expected)
    }
  })

  it('disables a lost Chromebook and re-enables it', async () => {
    const school = mock.world.schools[2]!
    const [device] = await listSchool(school.id)
    if (device === undefined) throw new Error('no device')
    const view = mdm.forSchool(school.id)
    expect(await view.act(device.id, { type: 'disable' }, { reason: 'reported lost' })).toMatchObject({
      outcome: 'completed',
    })
    expect((await view.getDevice(device.id)).lostMode).toBe(true)
    expect(await view.act(device.id, { type: 'reenable' }, { reason: 'found again' })).toMatchObject({
      outcome: 'completed',
    })
    expect((await view.getDevice(device.id)).lostMode).toBe(false)
  })
})
