import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instantClock, schoolsOf } from '../../test/helpers.js'
import { createMdmClient, type Device, type MdmClient } from '../index.js'
import { createIntuneAdapter } from './intune.js'

let mock: MdmMock
let clock: ReturnType<typeof instantClock>
let mdm: MdmClient
let drops = 0
let onRequest: ((event: { method: string; url: string }) => void) | undefined

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'intune-test',
    schools: 4,
    devices: 400,
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
  })
})
afterAll(() => mock.close())

beforeEach(() => {
  mock.clearFaults()
  clock = instantClock()
  drops = 0
  onRequest = undefined
  const c = mock.credentials.graph
  mdm = createMdmClient({
    adapters: [
      createIntuneAdapter({
        tenantId: c.tenantId,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        graphUrl: mock.urls.graph,
        tokenUrl: mock.urls.tokenEndpoints.graph,
        pageSize: 7,
        clock,
        timeout: false,
        hooks: { onRequest: (event) => onRequest?.(event) },
      }),
    ],
    schools: schoolsOf(mock),
    events: { onScopeDrop: () => drops++ },
  })
})

function truthFor(schoolId: string): string[] {
  const ids: string[] = []
  for (const index of mock.world.indices('graph')) {
    if (mock.world.present(index) && mock.world.schoolAt(index)?.id === schoolId)
      ids.push(`intune:${mock.world.graphId(index)}`)
  }
  return ids.sort()
}

async function listSchool(schoolId: string): Promise<Device[]> {
  const out: Device[] = []
  for await (const d of mdm.forSchool(schoolId).devices()) out.push(d)
  return out
}

describe('Intune adapter against the Graph emulator', () => {
  it('lists exactly the school’s devices over several pages', async () => {
    const school = mock.world.schools[1]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(devices.length).toBeGreaterThan(7)
    expect(devices.every((d) => d.schoolId === school.id && d.vendor === 'intune')).toBe(true)
    const pages = mock
      .requests()
      .filter((r) => r.vendor === 'graph' && r.path.includes('managedDevices')).length
    expect(pages).toBeGreaterThan(1)
  })

  it('still returns only the school’s devices when Graph silently ignores the filter', async () => {
    mock.setFault('graph', { ignoreFilter: true })
    const school = mock.world.schools[2]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(drops).toBeGreaterThan(0)
  })

  it('waits at least Retry-After on 429 and succeeds', async () => {
    mock.setFault('graph', { throttle: 2, retryAfter: 'seconds', retryAfterSeconds: 3 })
    const school = mock.world.schools[0]!
    const devices = await listSchool(school.id)
    expect(devices.map((d) => d.id).sort()).toEqual(truthFor(school.id))
    expect(clock.waits.filter((w) => w >= 3_000).length).toBeGreaterThanOrEqual(2)
  })

  it('renews an expired token once and carries on', async () => {
    const school = mock.world.schools[0]!
    await listSchool(school.id)
    mock.setFault('graph', { expireTokens: true })
    const again = await listSchool(school.id)
    expect(again.map((d) => d.id).sort()).toEqual(truthFor(school.id))
  })

  it('queues an action, which completes when the device checks in', async () => {
    const school = mock.world.schools[0]!
    const [device] = await listSchool(school.id)
    if (device === undefined) throw new Error('no device in school 0')
    const view = mdm.forSchool(school.id)
    const result = await view.act(device.id, { type: 'sync' }, { reason: 'support case 42' })
    expect(result.outcome).toBe('queued')
    expect(result.commandId).toBeDefined()
    mock.checkIn(device.vendorId)
    expect(await view.commandState(device.id, result.commandId!)).toBe('completed')
  })

  it('never retries a wipe that met a 503, and refuses another school’s device', async () => {
    const [own] = await listSchool(mock.world.schools[0]!.id)
    const [other] = await listSchool(mock.world.schools[3]!.id)
    if (own === undefined || other === undefined) throw new Error('missing devices')
    const view = mdm.forSchool(mock.world.schools[0]!.id)
    expect(await view.act(other.id, { type: 'wipe' }, { reason: 'stolen device' })).toMatchObject({
      outcome: 'refused',
    })
    const wipesBefore = mock.requests().filter((r) => r.path.endsWith('/wipe')).length
    // The 503 is armed just as the wipe itself goes out (the re-fetch before it is a retryable GET).
    onRequest = (event) => {
      if (event.method === 'POST' && event.url.endsWith('/wipe')) mock.setFault('graph', { unavailable: 1 })
    }
    const result = await view.act(own.id, { type: 'wipe' }, { reason: 'stolen device' })
    expect(result).toMatchObject({ outcome: 'failed', errorCode: 'ERR_MDM_UNAVAILABLE' })
    expect(mock.requests().filter((r) => r.path.endsWith('/wipe')).length).toBe(wipesBefore + 1)
  })
})
