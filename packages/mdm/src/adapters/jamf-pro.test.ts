import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instantClock, schoolsOf } from '../../test/helpers.js'
import { createMdmClient, type Device, type MdmClient } from '../index.js'
import { createJamfProAdapter } from './jamf-pro.js'

let mock: MdmMock
let mdm: MdmClient

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'jamf-pro-test',
    schools: 3,
    devices: 600,
    mix: { jamfProIpad: 0.3, jamfProMac: 0.1 },
    jamfPro: { maxPageSize: 5 },
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
  })
})
afterAll(() => mock.close())

beforeEach(() => {
  mock.clearFaults()
  mdm = createMdmClient({
    adapters: [
      createJamfProAdapter({
        serverUrl: mock.urls.jamfPro,
        clientId: mock.credentials.jamfPro.clientId,
        clientSecret: mock.credentials.jamfPro.clientSecret,
        pageSize: 50,
        clock: instantClock(),
        timeout: false,
      }),
    ],
    schools: schoolsOf(mock),
  })
})

function truthFor(schoolId: string): string[] {
  const ids: string[] = []
  for (const index of mock.world.indices('jamfPro')) {
    if (!mock.world.present(index) || mock.world.schoolAt(index)?.id !== schoolId) continue
    const kind = mock.world.kindOf(index) === 'jamfProMac' ? 'c' : 'm'
    ids.push(`jamf-pro:${kind}-${mock.world.jamfProId(index)}`)
  }
  return ids.sort()
}

function truthForAll(): number[] {
  return [...mock.world.indices('jamfPro')].filter((index) => mock.world.present(index))
}

async function listSchool(schoolId: string): Promise<Device[]> {
  const out: Device[] = []
  for await (const d of mdm.forSchool(schoolId).devices()) out.push(d)
  return out
}

describe('Jamf Pro adapter against its emulator', () => {
  it('lists the site’s iPads and Macs, paging on totalCount when page-size is capped silently', async () => {
    const school = mock.world.schools[1]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(new Set(devices.map((d) => d.platform))).toEqual(new Set(['ipados', 'macos']))
  })

  it('reads inventory pages ahead, within 5 connections, and hands them on in order without gaps', async () => {
    const list = async (readAhead: number): Promise<string[]> => {
      const adapter = createJamfProAdapter({
        serverUrl: mock.urls.jamfPro,
        clientId: mock.credentials.jamfPro.clientId,
        clientSecret: mock.credentials.jamfPro.clientSecret,
        pageSize: 50,
        readAhead,
        clock: instantClock(),
        timeout: false,
      })
      const ids: string[] = []
      for await (const page of adapter.listDevices({})) ids.push(...page.devices.map((d) => d.id))
      return ids
    }
    const oneByOne = await list(0)
    const pagesBefore = mock.requests().filter((r) => r.path.includes('/mobile-devices/detail')).length
    const ahead = await list(4)
    expect(ahead).toEqual(oneByOne)
    expect(new Set(ahead).size).toBe(ahead.length)
    expect(ahead.length).toBe(truthForAll().length)
    // Exactly the pages needed (capped at 5 devices each), none past the end.
    const mobiles = ahead.filter((id) => id.startsWith('jamf-pro:m-')).length
    expect(
      mock.requests().filter((r) => r.path.includes('/mobile-devices/detail')).length - pagesBefore,
    ).toBe(Math.ceil(mobiles / 5))
    expect(mock.stats().jamfPro.maxInFlight).toBeLessThanOrEqual(5)
  })

  it('renews a token that expired after 30 minutes, once', async () => {
    const school = mock.world.schools[0]!
    await listSchool(school.id)
    const tokensBefore = mock.requests().filter((r) => r.path.endsWith('/oauth/token')).length
    mock.clock.advance(31 * 60_000)
    expect((await listSchool(school.id)).map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(mock.requests().filter((r) => r.path.endsWith('/oauth/token')).length).toBe(tokensBefore + 1)
  })

  it('sends a lock command by management id and follows it to completion', async () => {
    const school = mock.world.schools[0]!
    const ipad = (await listSchool(school.id)).find((d) => d.platform === 'ipados')
    if (ipad === undefined) throw new Error('no iPad')
    const view = mdm.forSchool(school.id)
    const result = await view.act(
      ipad.id,
      { type: 'lock', message: 'Lever til kontoret', phoneNumber: '+47 22 00 00 00' },
      { reason: 'found in hallway' },
    )
    expect(result.outcome).toBe('queued')
    expect(await view.commandState(ipad.id, result.commandId!)).toBe('pending')
    mock.checkIn(mock.world.byJamfProId(ipad.vendorId.slice(2), 'mobile'))
    expect(await view.commandState(ipad.id, result.commandId!)).toBe('completed')
  })
})
