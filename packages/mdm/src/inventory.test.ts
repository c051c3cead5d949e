import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instantClock, schoolsOf } from '../test/helpers.js'
import { VendorDouble } from '../test/vendor-double.js'
import type { DeviceRecord, MdmAdapter } from './adapter.js'
import { createGoogleAdapter } from './adapters/google.js'
import { createIntuneAdapter } from './adapters/intune.js'
import { createJamfProAdapter } from './adapters/jamf-pro.js'
import { createJamfSchoolAdapter } from './adapters/jamf-school.js'
import { createMdmClient, type MdmClient } from './client.js'
import type { InventoryPage } from './inventory.js'
import type { Vendor } from './model.js'
import type { School } from './schools.js'

/** Lets other requests reach the emulator before this one is answered, without real time passing. */
const yieldTurns = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

let mock: MdmMock
let clock: ReturnType<typeof instantClock>

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'inventory-test',
    schools: 7,
    devices: 900,
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
    latencyMs: 1,
    delay: yieldTurns,
  })
})
afterAll(() => mock.close())
beforeEach(() => {
  mock.clearFaults()
  clock = instantClock()
})

/** The four adapters with small pages, so every school takes several pages. */
function adapters(): MdmAdapter[] {
  const c = mock.credentials
  const common = { clock, timeout: false as const }
  return [
    createIntuneAdapter({
      tenantId: c.graph.tenantId,
      clientId: c.graph.clientId,
      clientSecret: c.graph.clientSecret,
      graphUrl: mock.urls.graph,
      tokenUrl: mock.urls.tokenEndpoints.graph,
      pageSize: 7,
      random: () => 0.5,
      ...common,
    }),
    createJamfProAdapter({
      serverUrl: mock.urls.jamfPro,
      clientId: c.jamfPro.clientId,
      clientSecret: c.jamfPro.clientSecret,
      pageSize: 9,
      ...common,
    }),
    createJamfSchoolAdapter({
      baseUrl: mock.urls.jamfSchool,
      networkId: c.jamfSchool.networkId,
      apiKey: c.jamfSchool.apiKey,
      pageSize: 11,
      ...common,
    }),
    createGoogleAdapter({
      serviceAccount: c.google.serviceAccountKey,
      adminEmail: c.google.adminEmail,
      apiUrl: mock.urls.google,
      tokenUrl: mock.urls.tokenEndpoints.google,
      pageSize: 6,
      ...common,
    }),
  ]
}

const VENDOR_KEY = {
  intune: 'graph',
  'jamf-pro': 'jamfPro',
  'jamf-school': 'jamfSchool',
  google: 'google',
} as const

/** Ground truth: the school of every device of a vendor that belongs to a school, by serial number. */
function truth(vendor: Vendor): Map<string, string> {
  const out = new Map<string, string>()
  for (const d of mock.world.devices({ vendor: VENDOR_KEY[vendor] })) {
    if (d.schoolId !== null && d.state !== 'removed') out.set(d.serialNumber, d.schoolId)
  }
  return out
}

async function collect(pages: AsyncIterable<InventoryPage>): Promise<InventoryPage[]> {
  const out: InventoryPage[] = []
  for await (const page of pages) out.push(page)
  return out
}

/** Checks the school of every device on every page and returns serial → school, failing on repeats. */
function bySerial(pages: readonly InventoryPage[]): Map<string, string> {
  const seen = new Map<string, string>()
  for (const page of pages) {
    for (const device of page.devices) {
      expect(device.vendor).toBe(page.vendor)
      expect(device.schoolId).toBe(page.schoolId)
      expect(mock.world.schoolOf(device.serialNumber as string)?.id).toBe(page.schoolId)
      expect(seen.has(device.serialNumber as string), `${device.id} handed on twice`).toBe(false)
      seen.set(device.serialNumber as string, page.schoolId)
    }
  }
  return seen
}

// Real HTTP with small pages on a machine shared with other work: generous time, no real sleeps.
describe('MdmClient.inventory against the emulators', { timeout: 60_000 }, () => {
  it('hands on exactly the devices the sequential school listings return, each once, on its school’s pages', async () => {
    const mdm = createMdmClient({ adapters: adapters(), schools: schoolsOf(mock) })
    const pages = await collect(mdm.inventory())
    const got = bySerial(pages)
    for (const vendor of ['intune', 'jamf-pro', 'jamf-school', 'google'] as const) {
      const sequential = new Map<string, string>()
      for (const school of mdm.schools) {
        for await (const d of mdm.forSchool(school.id).devices()) {
          if (d.vendor === vendor && d.schoolId === school.id)
            sequential.set(d.serialNumber as string, school.id)
        }
      }
      const parallel = new Map(
        [...got].filter(([serial]) =>
          pages.some((p) => p.vendor === vendor && p.devices.some((d) => d.serialNumber === serial)),
        ),
      )
      expect(parallel.size, vendor).toBeGreaterThan(10)
      expect(new Map([...parallel].sort()), vendor).toEqual(new Map([...sequential].sort()))
      expect(new Map([...parallel].sort()), vendor).toEqual(new Map([...truth(vendor)].sort()))
    }
    const last = pages.at(-1)
    expect(last?.progress.devices).toBe(got.size)
    expect(last?.progress.listingsDone).toBe(last?.progress.listingsTotal)
    // 7 schools in Intune, Jamf School and Google; Jamf Pro as its two parts.
    expect(last?.progress.listingsTotal).toBe(7 * 3 + 2)
  })

  it('runs school listings in parallel, never more at once than the vendor allows or the caller asks', async () => {
    const schools = schoolsOf(mock)
    for (const [concurrency, limit] of [
      [undefined, 5],
      [2, 2],
    ] as const) {
      const before = mock.stats().jamfSchool.requests
      const inFlight = { now: 0, max: 0 }
      const adapter = createJamfSchoolAdapter({
        baseUrl: mock.urls.jamfSchool,
        networkId: mock.credentials.jamfSchool.networkId,
        apiKey: mock.credentials.jamfSchool.apiKey,
        clock,
        timeout: false,
        hooks: {
          onRequest: () => {
            inFlight.now++
            inFlight.max = Math.max(inFlight.max, inFlight.now)
          },
          onResponse: () => {
            inFlight.now--
          },
        },
      })
      const mdm = createMdmClient({ adapters: [adapter], schools })
      const pages = await collect(mdm.inventory(concurrency === undefined ? {} : { concurrency }))
      expect(bySerial(pages)).toEqual(truth('jamf-school'))
      expect(mock.stats().jamfSchool.requests - before).toBe(schools.length)
      expect(inFlight.max, `concurrency ${concurrency}`).toBeLessThanOrEqual(limit)
      expect(inFlight.max, `concurrency ${concurrency}`).toBeGreaterThanOrEqual(2)
    }
    await expect(
      collect(createMdmClient({ adapters: adapters(), schools }).inventory({ concurrency: 0 })),
    ).rejects.toThrow(TypeError)
  })

  it('asks for the first pages of other schools before a school’s next page (breadth first within the limit)', async () => {
    const schools = schoolsOf(mock)
    const c = mock.credentials
    const order: ('first' | 'next')[] = []
    const inFlight = { now: 0, max: 0 }
    const google = createGoogleAdapter({
      serviceAccount: c.google.serviceAccountKey,
      adminEmail: c.google.adminEmail,
      apiUrl: mock.urls.google,
      tokenUrl: mock.urls.tokenEndpoints.google,
      pageSize: 6,
      clock,
      timeout: false,
      hooks: {
        onRequest: (e) => {
          if (!e.url.includes('/chromeos')) return
          order.push(e.url.includes('pageToken') ? 'next' : 'first')
          inFlight.now++
          inFlight.max = Math.max(inFlight.max, inFlight.now)
        },
        onResponse: (e) => {
          if (e.url.includes('/chromeos')) inFlight.now--
        },
      },
    })
    const pages = await collect(
      createMdmClient({ adapters: [google], schools }).inventory({ concurrency: 2 }),
    )
    expect(bySerial(pages)).toEqual(truth('google'))
    // Two requests at once among four open listings: the first four requests are four schools' first pages.
    expect(order.slice(0, 4)).toEqual(['first', 'first', 'first', 'first'])
    expect(order.filter((o) => o === 'first')).toHaveLength(schools.length)
    expect(inFlight.max).toBe(2)
  })

  it('waits as the vendors ask when rate-limited (429 with Retry-After, Google’s 403) and still lists everything', async () => {
    mock.setFault('jamfSchool', { throttle: 2, retryAfterSeconds: 7 })
    mock.setFault('graph', { throttle: 2, retryAfterSeconds: 3 })
    mock.setFault('google', { throttle: 1, rateLimitReason: 'userRateLimitExceeded' })
    const before = structuredClone(mock.stats())
    const mdm = createMdmClient({ adapters: adapters(), schools: schoolsOf(mock) })
    const got = bySerial(await collect(mdm.inventory()))
    for (const vendor of ['intune', 'jamf-pro', 'jamf-school', 'google'] as const) {
      for (const [serial, school] of truth(vendor)) expect(got.get(serial), serial).toBe(school)
    }
    const after = mock.stats()
    expect((after.jamfSchool.statuses[429] ?? 0) - (before.jamfSchool.statuses[429] ?? 0)).toBe(2)
    expect((after.graph.statuses[429] ?? 0) - (before.graph.statuses[429] ?? 0)).toBe(2)
    expect((after.google.statuses[403] ?? 0) - (before.google.statuses[403] ?? 0)).toBe(1)
    expect(clock.waits).toContain(7_000)
    expect(clock.waits).toContain(3_000)
  })

  it('never hands on a device under another school when the vendors ignore or leak their filters', async () => {
    mock.setFault('jamfSchool', { ignoreFilter: ['location'] })
    mock.setFault('google', { filterLeak: 0.5 })
    mock.setFault('graph', { ignoreFilter: ['deviceCategoryDisplayName'] })
    const drops: string[] = []
    const mdm = createMdmClient({
      adapters: adapters(),
      schools: schoolsOf(mock),
      events: { onScopeDrop: (e) => drops.push(`${e.vendor}:${e.schoolId}`) },
    })
    const pages = await collect(mdm.inventory({ vendors: ['intune', 'jamf-school', 'google'] }))
    const got = bySerial(pages)
    for (const vendor of ['intune', 'jamf-school', 'google'] as const) {
      for (const [serial, school] of truth(vendor)) expect(got.get(serial), serial).toBe(school)
    }
    expect(got.size).toBe(truth('intune').size + truth('jamf-school').size + truth('google').size)
    expect(drops.some((d) => d.startsWith('jamf-school:'))).toBe(true)
    expect(drops.some((d) => d.startsWith('google:'))).toBe(true)
    expect(drops.some((d) => d.startsWith('intune:'))).toBe(true)
  })

  it('resumes from a stored cursor without repeating a page handed on before it', async () => {
    const schools = schoolsOf(mock)
    // The vendors that filter by school: one vendor page is one inventory page.
    const mdm = createMdmClient({ adapters: adapters().filter((a) => a.vendor !== 'jamf-pro'), schools })
    const first: InventoryPage[] = []
    for await (const page of mdm.inventory({ concurrency: 3 })) {
      first.push(page)
      if (first.length === 25) break
    }
    const cursor = first.at(-1)?.cursor as string
    const rest = await collect(mdm.inventory({ concurrency: 3, cursor }))
    expect(rest[0]?.progress.devices).toBeGreaterThan(first.at(-1)?.progress.devices ?? 0)
    // Together exactly once each: bySerial fails on a repeat.
    const got = bySerial([...first, ...rest])
    const all = new Map([...truth('intune'), ...truth('jamf-school'), ...truth('google')])
    expect(new Map([...got].sort())).toEqual(new Map([...all].sort()))
    expect(rest.at(-1)?.progress.devices).toBe(all.size)
    // A finished inventory's cursor resumes to nothing.
    expect(await collect(mdm.inventory({ cursor: rest.at(-1)?.cursor as string }))).toEqual([])
    await expect(collect(mdm.inventory({ cursor: 'not-a-cursor!' }))).rejects.toThrow(TypeError)
    await expect(collect(mdm.inventory({ schoolIds: ['no-such-school'] }))).rejects.toThrow(TypeError)
  })

  it('skips nothing when resumed from any page cut from one Jamf Pro page', async () => {
    const mdm = createMdmClient({ adapters: adapters(), schools: schoolsOf(mock) })
    const pages = await collect(mdm.inventory({ vendors: ['jamf-pro'] }))
    const want = truth('jamf-pro')
    expect(bySerial(pages)).toEqual(want)
    // Several schools share each vendor page here (9 devices a page, 7 schools).
    expect(pages.some((p, k) => k > 0 && pages[k - 1]?.cursor === p.cursor)).toBe(true)
    for (const k of [0, 1, 2, Math.floor(pages.length / 2), pages.length - 2]) {
      const rest = await collect(
        mdm.inventory({ vendors: ['jamf-pro'], cursor: (pages[k] as InventoryPage).cursor }),
      )
      const got = new Set(
        [...pages.slice(0, k + 1), ...rest].flatMap((p) => p.devices.map((d) => d.serialNumber)),
      )
      expect(got.size, `resumed after page ${k}`).toBe(want.size)
      for (const serial of want.keys()) expect(got.has(serial), serial).toBe(true)
    }
  })

  it('lists only the schools and vendors asked for', async () => {
    const schools = schoolsOf(mock)
    const mdm = createMdmClient({ adapters: adapters(), schools })
    const one = schools[2] as School
    const pages = await collect(mdm.inventory({ schoolIds: [one.id], vendors: ['jamf-pro', 'google'] }))
    const got = bySerial(pages)
    const want = [...truth('jamf-pro'), ...truth('google')].filter(([, school]) => school === one.id)
    expect(new Map([...got].sort())).toEqual(new Map(want.sort()))
    expect(new Set(pages.map((p) => p.vendor))).toEqual(new Set(['jamf-pro', 'google']))
  })
})

function record(n: number, location: string): DeviceRecord {
  return {
    id: `jamf-school:udid-${n}`,
    vendor: 'jamf-school',
    vendorId: `udid-${n}`,
    serialNumber: `SER${n}`,
    name: null,
    model: null,
    platform: 'ipados',
    osVersion: null,
    owner: null,
    placement: { kind: 'jamf-school-location', id: location },
    managed: true,
    supervised: true,
    enrolledAt: null,
    compliance: 'not-evaluated',
    lostMode: null,
    lastCheckIn: null,
    raw: {},
  }
}

const SCHOOLS: School[] = [
  ...['1', '2', '3', '4'].map((id) => ({
    id: `skole-${id}`,
    name: `Skole ${id}`,
    scopes: { jamfSchool: { locationId: id } },
  })),
  // Configured on the same location as skole-1 by mistake: the first school claims the devices.
  { id: 'skole-1-kopi', name: 'Skole 1 (kopi)', scopes: { jamfSchool: { locationId: '1' } } },
]

describe('MdmClient.inventory rules', () => {
  it('property: every school device exactly once, on its own school’s page, whatever the vendor filter does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom('1', '2', '3', '4', '9'), { maxLength: 40 }),
        fc.boolean(),
        fc.constantFrom<'server' | 'client'>('server', 'client'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        async (locations, ignoreFilter, schoolFilter, pageSize, concurrency) => {
          const vendor = new VendorDouble(
            'jamf-school',
            locations.map((l, n) => record(n, l)),
          )
          vendor.ignoreFilter = ignoreFilter
          vendor.pageSize = pageSize
          const adapter: MdmAdapter = Object.assign(vendor, { schoolFilter, listConcurrency: 3 })
          const mdm: MdmClient = createMdmClient({ adapters: [adapter], schools: SCHOOLS })
          const seen = new Map<string, string>()
          for await (const page of mdm.inventory({ concurrency })) {
            for (const d of page.devices) {
              const location = d.placement.kind === 'jamf-school-location' ? d.placement.id : null
              expect(`skole-${location}`).toBe(page.schoolId)
              expect(seen.has(d.id)).toBe(false)
              seen.set(d.id, page.schoolId)
            }
          }
          const want = locations.flatMap((l, n) => (l === '9' ? [] : [`jamf-school:udid-${n}`]))
          expect([...seen.keys()].sort()).toEqual(want.sort())
        },
      ),
      { numRuns: 60 },
    )
  })

  it('ends with the abort reason when the signal is aborted, never as if complete', async () => {
    const vendor = new VendorDouble(
      'jamf-school',
      Array.from({ length: 40 }, (_, n) => record(n, String(1 + (n % 4)))),
    )
    vendor.pageSize = 2
    const mdm = createMdmClient({ adapters: [vendor], schools: SCHOOLS })
    const controller = new AbortController()
    const reason = new Error('shutting down')
    let pages = 0
    await expect(
      (async () => {
        for await (const _ of mdm.inventory({ signal: controller.signal })) {
          if (++pages === 2) controller.abort(reason)
        }
      })(),
    ).rejects.toBe(reason)
    expect(pages).toBe(2)
  })

  it('stops its listings when the caller stops reading', async () => {
    const vendor = new VendorDouble(
      'jamf-school',
      Array.from({ length: 60 }, (_, n) => record(n, String(1 + (n % 4)))),
    )
    vendor.pageSize = 2
    let open = 0
    const listDevices = vendor.listDevices.bind(vendor)
    vendor.listDevices = async function* (options) {
      open++
      try {
        yield* listDevices(options)
      } finally {
        open--
      }
    }
    const mdm = createMdmClient({ adapters: [vendor], schools: SCHOOLS })
    let pages = 0
    for await (const _ of mdm.inventory()) if (++pages === 3) break
    expect(open).toBe(0)
  })
})
