// Inventory of a large fleet through each adapter against the emulators with 50 ms latency per request.
// The emulator runs in a child process (its CLI), so its CPU and memory are not counted here.
// Default 50,000 devices across the four vendors, as the issue names; FELLES_MDM_BENCH_DEVICES for a smaller run.
// FELLES_MDM_BENCH_SEQUENTIAL=1 also times the old way (one `listDevices({})` per vendor, page after page).
//
// Three ideals. The goal (wall ≤ 1.2 ×) is against the first, measured in the same run:
// - measured ideal: the requests the adapter needed at the vendor's largest pages, recorded in an
//   untimed pass and replayed by a plain client (global fetch + response.json(), nothing else) at the
//   vendor's concurrency, each as soon as the answer it depends on is in (a chain's previous page;
//   Jamf Pro's first page, which tells the total); median of FELLES_MDM_BENCH_ROUNDS (3) rounds that
//   alternate with the adapter. It pays what every client pays: the emulator's time to answer and
//   parsing every device.
// The other two are computed from the vendor's limits and the emulator's ground truth, never from
// the requests the adapter happened to make, as if answering and parsing cost nothing:
// - fleet ideal: the vendor's whole fleet at its largest page size, ceil(devices / max page) pages,
//   × latency / the vendor's concurrency, and never less than one round trip. A floor no client
//   reaches where the vendor's paging is a chain (Graph, Google) or has no paging (Jamf School).
// - plan ideal: the same for the listings a parallel inventory needs: one per school where the vendor
//   filters by school (Intune category, Jamf School location, Google org unit), Σ ceil(school's
//   devices / max page) pages (at least one per school), and one per part where it cannot (Jamf Pro's
//   mobile devices and computers); × latency / concurrency, and never less than the longest chain
//   of a cursor-paged listing (its pages × latency).
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createWorld, type VendorKey } from '@felles/mdm-mock'
import { bench, describe } from 'vitest'
import type { MdmAdapter } from '../src/adapter.js'
import { createGoogleAdapter } from '../src/adapters/google.js'
import { createIntuneAdapter } from '../src/adapters/intune.js'
import { createJamfProAdapter } from '../src/adapters/jamf-pro.js'
import { createJamfSchoolAdapter } from '../src/adapters/jamf-school.js'
import { createMdmClient } from '../src/client.js'
import type { School } from '../src/schools.js'

const DEVICES = Number(process.env.FELLES_MDM_BENCH_DEVICES ?? 50_000)
const SEQUENTIAL = process.env.FELLES_MDM_BENCH_SEQUENTIAL === '1'
const LATENCY = Number(process.env.FELLES_MDM_BENCH_LATENCY ?? 50)
const SEED = 'bench'
const ROUNDS = Number(process.env.FELLES_MDM_BENCH_ROUNDS ?? 3)
const cli = fileURLToPath(new URL('../../mdm-mock/dist/cli.js', import.meta.url))

interface MockInfo {
  urls: {
    graph: string
    jamfPro: string
    jamfSchool: string
    google: string
    tokenEndpoints: { graph: string; google: string }
  }
  credentials: {
    graph: { tenantId: string; clientId: string; clientSecret: string }
    jamfPro: { clientId: string; clientSecret: string }
    jamfSchool: { networkId: string; apiKey: string }
    google: { serviceAccountKey: never; adminEmail: string }
  }
  schools: {
    id: string
    name: string
    jamfPro: { siteId: string }
    jamfSchool: { locationId: number }
    google: { orgUnitPath: string }
  }[]
}

let child: ChildProcess | undefined

/** CPU time (ms) the emulator's process has used so far, where Linux tells (`/proc`); else NaN. */
function childCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/${child?.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
  } catch {
    return Number.NaN
  }
}

async function startChild(): Promise<MockInfo> {
  const proc = spawn(
    process.execPath,
    [
      cli,
      '--port',
      '0',
      '--seed',
      SEED,
      '--latency',
      String(LATENCY),
      '--devices',
      String(DEVICES),
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  child = proc
  let text = ''
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`felles-mdm-mock exited with ${code}`)))
    proc.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8')
      try {
        resolve(JSON.parse(text) as MockInfo)
      } catch {
        // Not all of the JSON yet.
      }
    })
  })
}

/** What each vendor allows: its largest page (`Infinity`: no paging at all) and connections at once. */
const LIMITS = {
  intune: { key: 'graph', maxPage: 1000, concurrency: 8, chained: true, perSchool: true },
  'jamf-pro': { key: 'jamfPro', maxPage: 2000, concurrency: 5, chained: false, perSchool: false },
  'jamf-school': {
    key: 'jamfSchool',
    maxPage: Number.POSITIVE_INFINITY,
    concurrency: 5,
    chained: false,
    perSchool: true,
  },
  google: { key: 'google', maxPage: 300, concurrency: 8, chained: true, perSchool: true },
} as const satisfies Record<
  string,
  { key: VendorKey; maxPage: number; concurrency: number; chained: boolean; perSchool: boolean }
>

const pagesOf = (devices: number, maxPage: number): number => Math.max(1, Math.ceil(devices / maxPage))

/** The two ideals (ms) of one vendor, from the emulator's ground truth (same seed, same size). */
function ideals(vendor: keyof typeof LIMITS): {
  fleet: number
  plan: number
  total: number
  inSchools: number
  planPages: number
} {
  const limit = LIMITS[vendor]
  const world = createWorld({ seed: SEED, devices: DEVICES, epoch: 0 })
  const perSchool = new Map<string | null, number>()
  let jamfProMobiles = 0
  for (const d of world.devices({ vendor: limit.key })) {
    perSchool.set(d.schoolId, (perSchool.get(d.schoolId) ?? 0) + 1)
    if (d.kind === 'jamfProIpad') jamfProMobiles++
  }
  const total = [...perSchool.values()].reduce((a, b) => a + b, 0)
  const inSchools = total - (perSchool.get(null) ?? 0)
  const fleet = Math.max(LATENCY, (pagesOf(total, limit.maxPage) * LATENCY) / limit.concurrency)
  let planPages: number
  let chain = 1
  if (limit.perSchool) {
    planPages = 0
    for (const school of world.schools) {
      const pages = pagesOf(perSchool.get(school.id) ?? 0, limit.maxPage)
      planPages += pages
      if (limit.chained) chain = Math.max(chain, pages)
    }
  } else {
    planPages = pagesOf(jamfProMobiles, limit.maxPage) + pagesOf(total - jamfProMobiles, limit.maxPage)
  }
  const plan = Math.max(chain * LATENCY, (planPages * LATENCY) / limit.concurrency)
  return { fleet, plan, total, inSchools, planPages }
}

/** One adapter per vendor at its largest page size, counting API requests (token requests excluded). */
function adapters(
  mock: MockInfo,
  count: (vendor: string, delta: 1 | -1) => void,
  fetchFor?: (vendor: string) => typeof fetch,
): MdmAdapter[] {
  const via = (vendor: string) => (fetchFor === undefined ? {} : { fetch: fetchFor(vendor) })
  const hooks = (vendor: string) => ({
    onRequest: (e: { url: string }) => {
      if (!/oauth|\/auth\/token/.test(e.url)) count(vendor, 1)
    },
    onResponse: (e: { url: string }) => {
      if (!/oauth|\/auth\/token/.test(e.url)) count(vendor, -1)
    },
  })
  const c = mock.credentials
  return [
    createIntuneAdapter({
      tenantId: c.graph.tenantId,
      clientId: c.graph.clientId,
      clientSecret: c.graph.clientSecret,
      graphUrl: mock.urls.graph,
      tokenUrl: mock.urls.tokenEndpoints.graph,
      pageSize: LIMITS.intune.maxPage,
      hooks: hooks('intune'),
      ...via('intune'),
    }),
    createJamfProAdapter({
      serverUrl: mock.urls.jamfPro,
      clientId: c.jamfPro.clientId,
      clientSecret: c.jamfPro.clientSecret,
      pageSize: LIMITS['jamf-pro'].maxPage,
      hooks: hooks('jamf-pro'),
      ...via('jamf-pro'),
    }),
    createJamfSchoolAdapter({
      baseUrl: mock.urls.jamfSchool,
      networkId: c.jamfSchool.networkId,
      apiKey: c.jamfSchool.apiKey,
      hooks: hooks('jamf-school'),
      ...via('jamf-school'),
    }),
    createGoogleAdapter({
      serviceAccount: c.google.serviceAccountKey,
      adminEmail: c.google.adminEmail,
      apiUrl: mock.urls.google,
      tokenUrl: mock.urls.tokenEndpoints.google,
      pageSize: LIMITS.google.maxPage,
      hooks: hooks('google'),
      ...via('google'),
    }),
  ]
}

/** One API request as an adapter sent it (headers included), and what must finish before it may start. */
interface Recorded {
  readonly url: string
  readonly headers: [string, string][]
  /** Index of the request whose answer this one needs (the previous page of a cursor chain, or a
   * Jamf Pro listing's first page, which tells the total), or -1. */
  after: number
  /** The cursor the answer hands on (Graph `@odata.nextLink`, Google `nextPageToken`). */
  next?: string
}

/**
 * A fetch that records every API request of one vendor (token requests pass through unrecorded),
 * with the answer's cursor, so the ideal client can replay the same requests.
 */
function recorder(vendor: string, log: Recorded[]): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await fetch(input, init)
    const url = String(input instanceof Request ? input.url : input)
    if (/oauth|\/auth\/token/.test(url) || response.status !== 200) return response
    const body = (await response.clone().json()) as Record<string, unknown>
    const entry: Recorded = { url, headers: [...new Headers(init?.headers).entries()], after: -1 }
    if (vendor === 'intune' && typeof body['@odata.nextLink'] === 'string')
      entry.next = body['@odata.nextLink']
    if (vendor === 'google' && typeof body.nextPageToken === 'string') entry.next = body.nextPageToken
    const u = new URL(url)
    if (vendor === 'intune') entry.after = log.findIndex((r) => r.next === url)
    if (vendor === 'google') {
      const token = u.searchParams.get('pageToken')
      if (token !== null) entry.after = log.findIndex((r) => r.next === token)
    }
    if (vendor === 'jamf-pro' && u.searchParams.get('page') !== '0') {
      entry.after = log.findIndex((r) => {
        const first = new URL(r.url)
        return first.pathname === u.pathname && first.searchParams.get('page') === '0'
      })
    }
    log.push(entry)
    return response
  }) as typeof fetch
}

/**
 * The ideal client, measured: the same requests the adapter needed (the vendor's largest pages),
 * sent with the global fetch and read with `response.json()` (no mapping, no scoping, no retry
 * layer), as many at once as the vendor allows, each as soon as what it depends on has answered
 * (a chain's next page after the previous one; Jamf Pro's later pages after the first, which tells
 * the total). No client that must read the devices can do better against this emulator.
 */
async function idealClient(log: readonly Recorded[], concurrency: number): Promise<number> {
  const started = performance.now()
  const done = new Set<number>()
  const ready = log.flatMap((r, i) => (r.after === -1 ? [i] : []))
  let running = 0
  let devices = 0
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      while (running < concurrency && ready.length > 0) {
        const i = ready.shift() as number
        const r = log[i] as Recorded
        running++
        fetch(r.url, { headers: r.headers })
          .then((res) => res.json())
          .then((body: Record<string, unknown>) => {
            for (const v of Object.values(body)) if (Array.isArray(v)) devices += v.length
            running--
            done.add(i)
            log.forEach((next, j) => {
              if (next.after === i) ready.push(j)
            })
            if (done.size === log.length) resolve()
            else pump()
          }, reject)
      }
    }
    pump()
  })
  if (devices < 0) throw new Error('unreachable')
  return performance.now() - started
}

const MiB = 1024 * 1024
const write = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

describe.skipIf(!existsSync(cli))(`inventory of ${DEVICES} devices, ${LATENCY} ms per request`, () => {
  let done = false
  bench(
    'every adapter, whole inventory',
    async () => {
      if (done) return
      done = true
      try {
        await inventory(await startChild())
      } finally {
        child?.removeAllListeners('exit')
        child?.kill('SIGTERM')
      }
    },
    { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 },
  )
})

async function inventory(info: MockInfo): Promise<void> {
  const requests = new Map<string, number>()
  const inFlight = new Map<string, { now: number; max: number }>()
  const all = adapters(info, (v, delta) => {
    if (delta === 1) requests.set(v, (requests.get(v) ?? 0) + 1)
    const f = inFlight.get(v) ?? { now: 0, max: 0 }
    f.now += delta
    f.max = Math.max(f.max, f.now)
    inFlight.set(v, f)
  })
  const schools: School[] = info.schools.map((s) => ({
    id: s.id,
    name: s.name,
    scopes: {
      intune: { category: s.name },
      jamfPro: { siteId: s.jamfPro.siteId },
      jamfSchool: { locationId: String(s.jamfSchool.locationId) },
      google: { orgUnitPath: s.google.orgUnitPath },
    },
  }))
  write(
    `\ninventory: ${DEVICES} devices in the emulator (child process), ${LATENCY} ms latency per request, ${schools.length} schools`,
  )
  write(
    'vendor       way          devices (in schools/all)  requests  max in flight  wall ms  measured ideal ms  ratio  plan ideal (pages, c)  ratio  fleet ideal  ratio  client CPU ms  emulator CPU ms  peak RSS growth',
  )
  const ways: ('parallel' | 'sequential')[] = SEQUENTIAL ? ['parallel', 'sequential'] : ['parallel']
  const recordings = new Map<string, Recorded[]>()
  const recording = adapters(
    info,
    () => {},
    (vendor) => {
      const log: Recorded[] = []
      recordings.set(vendor, log)
      return recorder(vendor, log)
    },
  )
  const median = (xs: number[]): number =>
    [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? Number.NaN
  for (const adapter of all) {
    const vendor = adapter.vendor as keyof typeof LIMITS
    const ideal = ideals(vendor)
    const limit = LIMITS[vendor]
    // A token first, so the wall time is the inventory alone.
    await adapter.getDevice('warm-up').catch(() => null)
    // One untimed pass: the emulator renders each record once per world and keeps it (the vendor's
    // own servers are not what is measured), and this process's code is warm.
    for await (const _ of createMdmClient({ adapters: [adapter], schools }).inventory()) {
      // Nothing to count yet.
    }
    // One more untimed pass through a recording fetch: the requests the ideal client replays.
    const recorder = recording.find((a) => a.vendor === vendor) as MdmAdapter
    for await (const _ of createMdmClient({ adapters: [recorder], schools }).inventory()) {
      // Recorded.
    }
    const log = recordings.get(vendor) ?? []
    await idealClient(log, limit.concurrency) // warm
    for (const way of ways) {
      const measureOurs = async () => {
        const client = createMdmClient({ adapters: [adapter], schools })
        requests.set(vendor, 0)
        inFlight.set(vendor, { now: 0, max: 0 })
        ;(globalThis as { gc?: () => void }).gc?.()
        const rssBefore = process.memoryUsage.rss()
        let peak = rssBefore
        const sampler = setInterval(() => {
          peak = Math.max(peak, process.memoryUsage.rss())
        }, 10)
        const cpuBefore = process.cpuUsage()
        const childBefore = childCpuMs()
        const started = performance.now()
        let devices = 0
        if (way === 'parallel') {
          for await (const page of client.inventory()) devices += page.devices.length
        } else {
          for await (const page of adapter.listDevices({})) devices += page.devices.length
        }
        const wall = performance.now() - started
        const cpu = process.cpuUsage(cpuBefore)
        const emulatorCpu = childCpuMs() - childBefore
        clearInterval(sampler)
        peak = Math.max(peak, process.memoryUsage.rss())
        return {
          wall,
          devices,
          clientCpu: (cpu.user + cpu.system) / 1000,
          emulatorCpu,
          growth: peak - rssBefore,
          n: requests.get(vendor) ?? 0,
          maxInFlight: inFlight.get(vendor)?.max ?? 0,
        }
      }
      // Rounds of (ideal client, adapter), alternating, so load that comes and goes hits both; medians.
      const oursRuns: Awaited<ReturnType<typeof measureOurs>>[] = []
      const idealRuns: number[] = []
      for (let round = 0; round < (way === 'parallel' ? ROUNDS : 1); round++) {
        if (way === 'parallel') idealRuns.push(await idealClient(log, limit.concurrency))
        oursRuns.push(await measureOurs())
      }
      const wall = median(oursRuns.map((r) => r.wall))
      const last = oursRuns[oursRuns.length - 1] as Awaited<ReturnType<typeof measureOurs>>
      const growth = Math.max(...oursRuns.map((r) => r.growth))
      const measured = idealRuns.length === 0 ? Number.NaN : median(idealRuns)
      write(
        `${vendor.padEnd(12)} ${way.padEnd(10)}  ${`${last.devices} (${ideal.inSchools}/${ideal.total})`.padStart(24)}  ${String(last.n).padStart(8)}  ${String(last.maxInFlight).padStart(13)}  ${wall.toFixed(0).padStart(7)}  ${(Number.isNaN(measured) ? '-' : measured.toFixed(0)).padStart(17)}  ${(Number.isNaN(measured) ? '-' : (wall / measured).toFixed(2)).padStart(5)}  ${`${ideal.plan.toFixed(0)} (${ideal.planPages}, ${limit.concurrency})`.padStart(21)}  ${(wall / ideal.plan).toFixed(2).padStart(5)}  ${ideal.fleet.toFixed(0).padStart(11)}  ${(wall / ideal.fleet).toFixed(2).padStart(5)}  ${last.clientCpu.toFixed(0).padStart(13)}  ${last.emulatorCpu.toFixed(0).padStart(15)}  ${(growth / MiB).toFixed(1)} MiB`,
      )
    }
  }
  write(
    `measured ideal: the same requests (the vendor's largest pages) replayed with the global fetch and response.json() only, at the vendor's concurrency, each as soon as the answer it needs is in (goal: wall ≤ 1.2 × this); median of ${ROUNDS} rounds, alternating with the adapter`,
  )
  write(
    'plan ideal: pages a parallel inventory needs at the vendor max page size (one listing per school, or per Jamf Pro part) × latency / vendor concurrency, at least the longest cursor chain; fleet ideal: ceil(all devices / max page) × latency / concurrency, at least one round trip',
  )
  write(
    'CPU: time this process and the emulator process spent on the CPU during the run (both on a machine shared with other work); where their sum nears the wall time, the run is CPU-bound, not latency-bound',
  )
  write(
    'parallel = MdmClient.inventory() (the schools: devices outside every school are not listed); sequential = adapter.listDevices({}) (the whole vendor); each after one untimed pass that warms the emulator’s rendered records',
  )
}
