import type { Clock } from '@felles/http'
import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { schoolsOf } from '../../test/helpers.js'
import type { DeviceRecord, MdmAdapter } from '../adapter.js'
import { createMdmClient, type MdmClient } from '../index.js'
import { createIntuneAdapter } from './intune.js'

/**
 * A clock shared with the emulator: the adapter's sleeps end at once and move
 * the emulator's (manual) clock on, so Graph's throttling windows really pass.
 */
function linkedClock(mock: MdmMock): Clock & { waits: number[] } {
  const waits: number[] = []
  return {
    waits,
    now: () => mock.clock.now(),
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      waits.push(ms)
      mock.clock.advance(Math.max(0, ms))
      return new Promise((resolve) => setImmediate(resolve))
    },
  }
}

let mock: MdmMock
let clock: ReturnType<typeof linkedClock>
let adapter: MdmAdapter
let mdm: MdmClient
let onRequest: ((event: { method: string; url: string }) => void) | undefined

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'intune-batch',
    schools: 3,
    devices: 900,
    // Windows laptops and iPads in Intune only, so every school has plenty of both.
    mix: {
      jamfSchoolIpad: 0,
      jamfProIpad: 0,
      jamfProMac: 0,
      chromebook: 0,
      intuneWindows: 0.5,
      intuneIpad: 0.5,
    },
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
    graph: { writesPer20s: 30 },
  })
})
afterAll(() => mock.close())

function makeAdapter(writesPer20s: number): MdmAdapter {
  const c = mock.credentials.graph
  return createIntuneAdapter({
    tenantId: c.tenantId,
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    graphUrl: mock.urls.graph,
    tokenUrl: mock.urls.tokenEndpoints.graph,
    clock,
    timeout: false,
    random: () => 0.5,
    batch: { writesPer20s },
    hooks: { onRequest: (event) => onRequest?.(event) },
  })
}

beforeEach(() => {
  mock.clearFaults()
  // Each test starts with Graph's write window empty.
  mock.clock.advance(60_000)
  clock = linkedClock(mock)
  onRequest = undefined
  adapter = makeAdapter(30)
  mdm = createMdmClient({ adapters: [adapter], schools: schoolsOf(mock) })
})

/** Felles ids of present Intune devices of a school on one platform. */
function idsOf(schoolId: string, platform: 'iPadOS' | 'Windows', count: number): string[] {
  const ids: string[] = []
  for (const index of mock.world.indices('graph')) {
    const d = mock.world.device(index)
    if (d && d.state === 'active' && d.schoolId === schoolId && d.platform === platform && d.ids.graph)
      ids.push(`intune:${d.ids.graph}`)
    if (ids.length === count) break
  }
  if (ids.length < count) throw new Error(`only ${ids.length} ${platform} devices in ${schoolId}`)
  return ids
}

const batches = (): number => mock.stats().graph.batchRequests
const batchItems = (): number => mock.stats().graph.batchItems
const commandsFor = (id: string): number =>
  mock.commands().filter((c) => mock.world.device(c.deviceIndex)?.ids.graph === id.slice('intune:'.length))
    .length

/** Arms a fault just as the next `$batch` goes out (the re-fetch before it is a plain GET). */
function onNextBatch(arm: () => void): void {
  onRequest = (event) => {
    if (event.method === 'POST' && event.url.endsWith('/$batch')) {
      onRequest = undefined
      arm()
    }
  }
}

describe('Intune bulk actions through Graph $batch', () => {
  it('sends 45 syncs in 3 batches of at most 20, one queued result per device, in order', async () => {
    const school = mock.world.schools[0]!
    const ids = idsOf(school.id, 'Windows', 45)
    const before = batches()
    const results = await mdm.forSchool(school.id).actMany(ids, { type: 'sync' }, { reason: 'term start' })
    expect(batches() - before).toBe(3)
    expect(results.map((r) => r.deviceId)).toEqual(ids)
    expect(results.every((r) => r.outcome === 'queued' && r.commandId !== undefined)).toBe(true)
  })

  it('refuses another school’s device in the selection like a missing one, and never sends it', async () => {
    const own = idsOf(mock.world.schools[0]!.id, 'iPadOS', 5)
    const [other] = idsOf(mock.world.schools[1]!.id, 'iPadOS', 1)
    const selection = [
      ...own.slice(0, 2),
      other!,
      'intune:00000000-0000-4000-8000-000000000000',
      ...own.slice(2),
    ]
    const itemsBefore = batchItems()
    const otherBefore = commandsFor(other!)
    const results = await mdm
      .forSchool(mock.world.schools[0]!.id)
      .actMany(selection, { type: 'lock', message: 'Lever til kontoret' }, { reason: 'exam' })
    expect(results.map((r) => r.outcome)).toEqual([
      'queued',
      'queued',
      'refused',
      'refused',
      'queued',
      'queued',
      'queued',
    ])
    expect(results[2]).toEqual({ ...results[3], deviceId: other })
    expect(results[2]!.errorCode).toBe('ERR_MDM_NOT_FOUND')
    expect(batchItems() - itemsBefore).toBe(5)
    expect(commandsFor(other!)).toBe(otherBefore)
  })

  it('reports a failure per device: one bad item does not fail the batch', async () => {
    const ids = idsOf(mock.world.schools[2]!.id, 'Windows', 3)
    const fresh = await adapter.getDevices!(ids.map((id) => id.slice('intune:'.length)))
    const records = ids.map((id) => fresh.get(id.slice('intune:'.length))!)
    const ghost: DeviceRecord = {
      ...records[0]!,
      id: 'intune:gone',
      vendorId: '00000000-0000-4000-8000-00000000beef',
    }
    const results = await adapter.performMany!(
      [records[0]!, ghost, records[1]!, records[2]!],
      { type: 'sync' },
      {
        reason: 'check',
      },
    )
    expect(results.map((r) => r.ok)).toEqual([true, false, true, true])
    const failed = results[1]!
    if (failed.ok) throw new Error('expected a failure')
    expect(failed.error.code).toBe('ERR_MDM_NOT_FOUND')
    expect(failed.error.status).toBe(404)
  })

  it('retries throttled items of a sync after their own Retry-After, through the injected clock', async () => {
    const school = mock.world.schools[1]!
    const ids = idsOf(school.id, 'Windows', 20)
    onNextBatch(() => mock.setFault('graph', { throttle: 3, retryAfter: 'seconds', retryAfterSeconds: 7 }))
    const before = batches()
    const results = await mdm.forSchool(school.id).actMany(ids, { type: 'sync' }, { reason: 'support case' })
    expect(results.every((r) => r.outcome === 'queued')).toBe(true)
    expect(batches() - before).toBe(2)
    expect(clock.waits).toContain(7_000)
  })

  it('backs off with jitter when a throttled item has no Retry-After', async () => {
    const school = mock.world.schools[1]!
    const ids = idsOf(school.id, 'Windows', 4)
    onNextBatch(() => mock.setFault('graph', { throttle: 2, retryAfter: 'omit' }))
    const results = await mdm.forSchool(school.id).actMany(ids, { type: 'sync' }, { reason: 'support case' })
    expect(results.every((r) => r.outcome === 'queued')).toBe(true)
    // Full jitter with random 0.5 on a 1 s first ceiling.
    expect(clock.waits).toContain(500)
  })

  it('never retries a throttled wipe item, while the rest of the batch goes through', async () => {
    const school = mock.world.schools[2]!
    const ids = idsOf(school.id, 'iPadOS', 3)
    onNextBatch(() => mock.setFault('graph', { throttle: 1, retryAfterSeconds: 5 }))
    const itemsBefore = batchItems()
    const results = await mdm
      .forSchool(school.id)
      .actMany(ids, { type: 'wipe' }, { reason: 'stolen, police report 2026-77' })
    expect(results.map((r) => r.outcome)).toEqual(['failed', 'queued', 'queued'])
    expect(results[0]!.errorCode).toBe('ERR_MDM_RATE_LIMITED')
    expect(batchItems() - itemsBefore).toBe(3)
  })

  it('keeps within Graph’s write limit: a server that throttles sooner is waited out, nothing is lost', async () => {
    // The adapter paces 200 writes per 20 s; this emulator allows 30, so Graph answers 429 (now and then without Retry-After).
    adapter = makeAdapter(200)
    mdm = createMdmClient({ adapters: [adapter], schools: schoolsOf(mock) })
    const school = mock.world.schools[0]!
    const ids = idsOf(school.id, 'Windows', 60)
    const throttledBefore = mock.stats().graph.throttled
    const results = await mdm.forSchool(school.id).actMany(ids, { type: 'sync' }, { reason: 'term start' })
    expect(results.every((r) => r.outcome === 'queued')).toBe(true)
    expect(mock.stats().graph.throttled - throttledBefore).toBeGreaterThan(0)
  })

  it('paces itself so that Graph does not throttle at all with a matching budget', async () => {
    const school = mock.world.schools[0]!
    const ids = idsOf(school.id, 'Windows', 60)
    const throttledBefore = mock.stats().graph.throttled
    const results = await mdm.forSchool(school.id).actMany(ids, { type: 'sync' }, { reason: 'term start' })
    expect(results.every((r) => r.outcome === 'queued')).toBe(true)
    expect(mock.stats().graph.throttled - throttledBefore).toBe(0)
    expect(clock.waits.some((w) => w > 0)).toBe(true)
  })

  it('checks and sends nothing in a dry run', async () => {
    const school = mock.world.schools[0]!
    const ids = idsOf(school.id, 'iPadOS', 3)
    const before = batches()
    const results = await mdm
      .forSchool(school.id)
      .actMany(ids, { type: 'retire' }, { reason: 'leaving the school', dryRun: true })
    expect(results.map((r) => r.outcome)).toEqual(['dry-run', 'dry-run', 'dry-run'])
    expect(batches()).toBe(before)
  })
})
