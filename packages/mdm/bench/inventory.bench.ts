// Inventory of a large fleet through each adapter against the emulators with 50 ms latency per request.
// The emulator runs in a child process (its CLI), so its CPU and memory are not counted here.
// Default 10,000 devices across the four vendors (under a minute); FELLES_MDM_BENCH_DEVICES=50000 for the full run.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { bench, describe } from 'vitest'
import type { MdmAdapter } from '../src/adapter.js'
import { createGoogleAdapter } from '../src/adapters/google.js'
import { createIntuneAdapter } from '../src/adapters/intune.js'
import { createJamfProAdapter } from '../src/adapters/jamf-pro.js'
import { createJamfSchoolAdapter } from '../src/adapters/jamf-school.js'

const DEVICES = Number(process.env.FELLES_MDM_BENCH_DEVICES ?? 10_000)
const LATENCY = 50
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
}

let child: ChildProcess | undefined

async function startChild(): Promise<MockInfo> {
  const proc = spawn(
    process.execPath,
    [
      cli,
      '--port',
      '0',
      '--seed',
      'bench',
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

/** One adapter per vendor, counting its API requests (token requests excluded). */
function adapters(
  mock: MockInfo,
  count: (vendor: string) => void,
): { adapter: MdmAdapter; concurrency: number }[] {
  const hooks = (vendor: string) => ({
    onRequest: (e: { url: string }) => {
      if (!/oauth|\/auth\/token/.test(e.url)) count(vendor)
    },
  })
  const c = mock.credentials
  return [
    {
      adapter: createIntuneAdapter({
        tenantId: c.graph.tenantId,
        clientId: c.graph.clientId,
        clientSecret: c.graph.clientSecret,
        graphUrl: mock.urls.graph,
        tokenUrl: mock.urls.tokenEndpoints.graph,
        hooks: hooks('intune'),
      }),
      concurrency: 8,
    },
    {
      adapter: createJamfProAdapter({
        serverUrl: mock.urls.jamfPro,
        clientId: c.jamfPro.clientId,
        clientSecret: c.jamfPro.clientSecret,
        hooks: hooks('jamf-pro'),
      }),
      concurrency: 5,
    },
    {
      adapter: createJamfSchoolAdapter({
        baseUrl: mock.urls.jamfSchool,
        networkId: c.jamfSchool.networkId,
        apiKey: c.jamfSchool.apiKey,
        hooks: hooks('jamf-school'),
      }),
      concurrency: 5,
    },
    {
      adapter: createGoogleAdapter({
        serviceAccount: c.google.serviceAccountKey,
        adminEmail: c.google.adminEmail,
        apiUrl: mock.urls.google,
        tokenUrl: mock.urls.tokenEndpoints.google,
        hooks: hooks('google'),
      }),
      concurrency: 8,
    },
  ]
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
  const all = adapters(info, (v) => requests.set(v, (requests.get(v) ?? 0) + 1))
  write(`\ninventory: ${DEVICES} devices in the emulator (child process), ${LATENCY} ms latency per request`)
  write(
    'vendor       devices  requests  wall ms  ideal@seq ms  ratio  ideal@conc ms (c)  ratio  peak RSS growth',
  )
  for (const { adapter, concurrency } of all) {
    // A token first, so the wall time is the inventory alone.
    await adapter.getDevice('warm-up').catch(() => null)
    requests.set(adapter.vendor, 0)
    ;(globalThis as { gc?: () => void }).gc?.()
    const rssBefore = process.memoryUsage.rss()
    let peak = rssBefore
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss())
    }, 10)
    const started = performance.now()
    let devices = 0
    for await (const page of adapter.listDevices({})) devices += page.devices.length
    const wall = performance.now() - started
    clearInterval(sampler)
    peak = Math.max(peak, process.memoryUsage.rss())
    const n = requests.get(adapter.vendor) ?? 0
    const seq = n * LATENCY
    const conc = (n * LATENCY) / concurrency
    write(
      `${adapter.vendor.padEnd(12)} ${String(devices).padStart(7)}  ${String(n).padStart(8)}  ${wall.toFixed(0).padStart(7)}  ${seq.toFixed(0).padStart(12)}  ${(wall / seq).toFixed(2).padStart(5)}  ${`${conc.toFixed(0)} (${concurrency})`.padStart(17)}  ${(wall / conc).toFixed(2).padStart(5)}  ${((peak - rssBefore) / MiB).toFixed(1)} MiB`,
    )
  }
  write(
    'ideal@seq: requests × latency (cursor paging: each page names the next); ideal@conc: requests × latency / the vendor concurrency the adapter allows',
  )
}
