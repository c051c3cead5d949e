// Skole-nettbrett under load.
//
// 1. Initial inventory sync of BENCH_DEVICES devices (default 50,000) across the vendor emulators
//    (Jamf School, Jamf Pro, Intune, Google) into a fresh database: wall time, pages, and the peak
//    RSS of this process (the emulator runs in its own process, its CLI, so it is not counted).
//    Goal: under 2 minutes and under 300 MiB.
// 2. The fleet page of the school closest to 2,000 devices at BENCH_RATE requests/second (default
//    200) for BENCH_DURATION seconds (default 30), from a steady open-loop generator and from
//    autocannon (see @felles/sample-web/load), each in a child process, beside the public start page of the same server (no database) as the baseline
//    in the same run; p50/p99 and the ratios. Goal: p99 under 100 ms.
//
// BENCH_QUICK=1: 5,000 devices and 5 s of load. DATABASE_URL: PostgreSQL instead of SQLite.
// Needs the emulator's build (`pnpm --filter @felles/mdm-mock build`, or `pnpm build`).
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startIdportenMock } from '@felles/id-porten-mock'
import { openDatabase } from '@felles/sample-municipality'
import { createLogger, silentSink } from '@felles/sample-web'
import { autocannonLoad, formatLoadRow, type LoadResult, steadyLoad } from '@felles/sample-web/load'
import { AppAgent } from '@felles/sample-web/testing'
import { startSvarUtMock } from '@felles/svarut-mock'
import { afterAll, bench, describe } from 'vitest'
import {
  createAdapters,
  createFleet,
  type MdmMockLike,
  mdmConnectionFromMock,
} from '../src/mdm-connection.js'
import { createOnboardingService } from '../src/onboarding.js'
import { seedSchools, type WorldSchoolLike } from '../src/seed.js'
import { DEFAULT_MUNICIPALITY, startSkoleNettbrett } from '../src/server.js'
import { createInventorySync } from '../src/sync.js'

const quick = process.env.BENCH_QUICK === '1'
const devices = Number(process.env.BENCH_DEVICES ?? (quick ? 5_000 : 50_000))
const rate = Number(process.env.BENCH_RATE ?? 200)
const duration = Number(process.env.BENCH_DURATION ?? (quick ? 5 : 30))
const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MiB`
const cli = fileURLToPath(new URL('../../../packages/mdm-mock/dist/cli.js', import.meta.url))

const closers: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

type MockInfo = MdmMockLike & { schools: WorldSchoolLike[] }

function startEmulator(): Promise<MockInfo> {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build @felles/mdm-mock first`)
  const proc: ChildProcess = spawn(
    process.execPath,
    [cli, '--port', '0', '--seed', 'skole-bench', '--schools', '30', '--devices', String(devices), '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  closers.push(() => {
    proc.kill('SIGINT')
  })
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

const info = await startEmulator()
const dir = mkdtempSync(join(tmpdir(), 'skole-bench-'))
closers.push(() => rmSync(dir, { recursive: true, force: true }))
const database = await openDatabase({ sqliteFile: join(dir, 'bench.sqlite') })
closers.push(() => database.close())

describe(`skole-nettbrett (${database.dialect}, ${devices} devices)`, () => {
  bench(
    'initial sync, then the fleet page under load',
    async () => {
      const { db } = database
      await seedSchools(db, info.schools)
      const fleet = createFleet(createAdapters(mdmConnectionFromMock(info)), [])
      await createOnboardingService({
        db,
        fleet,
        svarut: {
          apiUrl: 'http://127.0.0.1:9/api',
          kontoId: '-',
          integrationId: '-',
          integrationPassword: '-',
          token: '-',
        },
        municipality: DEFAULT_MUNICIPALITY,
        consoleUrl: () => 'http://127.0.0.1/',
      }).reloadSchools()

      // 1. Initial sync.
      global.gc?.()
      const rssBefore = process.memoryUsage().rss
      let peak = rssBefore
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss)
      }, 20)
      const started = performance.now()
      const summaries = await createInventorySync({ db, fleet }).runAll()
      const wall = performance.now() - started
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss)
      const stored = await db
        .selectFrom('school_devices')
        .select(db.fn.countAll<number>().as('n'))
        .executeTakeFirst()
      out('')
      out(`Initial sync of ${devices} devices (${database.dialect}):`)
      for (const s of summaries)
        out(`  ${s.vendor.padEnd(12)} ${s.state} ${String(s.devices).padStart(6)} devices`)
      out(`  stored ${Number(stored?.n ?? 0)} devices in ${(wall / 1000).toFixed(1)} s (goal < 120 s)`)
      out(
        `  peak RSS ${mib(peak)} (goal < 300 MiB; ${mib(rssBefore)} before the sync, +${mib(peak - rssBefore)})`,
      )

      // 2. The fleet page of the largest school.
      const counts = await db
        .selectFrom('school_devices')
        .select(['school_id', db.fn.countAll<number>().as('n')])
        .where('school_id', 'is not', null)
        .groupBy('school_id')
        .execute()
      // The school closest to 2,000 devices (in a quick run, the largest).
      const largest = counts
        .map((r) => ({ id: r.school_id as string, n: Number(r.n) }))
        .sort((a, b) => Math.abs(a.n - 2000) - Math.abs(b.n - 2000))[0]!
      const idMock = await startIdportenMock()
      closers.push(() => idMock.close())
      const svarut = await startSvarUtMock()
      closers.push(() => svarut.close())
      const c = svarut.credentials
      const app = await startSkoleNettbrett({
        database,
        identity: { mock: idMock },
        mdm: mdmConnectionFromMock(info),
        svarut: {
          apiUrl: svarut.apiUrl,
          kontoId: c.kontoId,
          integrationId: c.integrasjonId,
          integrationPassword: c.integrasjonPassord,
          token: c.token ?? '',
        },
        sync: false,
        onboardingPollMs: 0,
        logger: createLogger(silentSink),
        seed: {
          schools: [],
          admins: [
            {
              subjectKind: 'pid',
              subject: idMock.persons[0]!.nationalId!,
              role: 'central-it',
              schoolId: '*',
            },
          ],
        },
      })
      closers.push(() => app.close())
      const agent = new AppAgent(app.url)
      await agent.login({ person: 0 })
      const cookie = `skole-nettbrett=${agent.cookie('skole-nettbrett')}`
      const page = `${app.url}/skoler/${largest.id}`
      const check = await fetch(page, { headers: { cookie } })
      if (check.status !== 200) throw new Error(`fleet page answered ${check.status}`)
      await check.text()
      const options = { url: app.url, rate, duration, connections: 20 }
      // CPU time of this process (the server; the load runs in its own) per request: a figure the
      // machine's other load disturbs far less than latency.
      const measured = async (
        run: typeof steadyLoad,
        path: string,
        headers?: Record<string, string>,
      ): Promise<LoadResult & { cpuMs: number }> => {
        const requests = [headers === undefined ? { path } : { path, headers }]
        // 3 s of the same load first (connections, compiled code), then the measured run.
        await run({ ...options, duration: Math.min(duration, 3), requests })
        const cpu = process.cpuUsage()
        const r = await run({ ...options, requests })
        const used = process.cpuUsage(cpu)
        return { ...r, cpuMs: (used.user + used.system) / 1000 / Math.max(1, r.requests) }
      }
      out(
        `Fleet page of ${largest.id} (${largest.n} devices, 50 per page with filters and count) vs the start page:`,
      )
      out(
        `  ${rate} req/s for ${duration} s, load in a child process (steady: open loop, latency from when each request was due; autocannon: rate mode, 20 connections, bursts at the start of every second)`,
      )
      for (const [tool, run] of [
        ['steady', steadyLoad],
        ['autocannon', autocannonLoad],
      ] as const) {
        const baseline = await measured(run, '/')
        const fleetPage = await measured(run, `/skoler/${largest.id}`, { cookie })
        out(
          `${formatLoadRow(`${tool}: start page (baseline)`, baseline)}, server CPU ${baseline.cpuMs.toFixed(2)} ms/request`,
        )
        out(
          `${formatLoadRow(`${tool}: fleet page`, fleetPage)}, server CPU ${fleetPage.cpuMs.toFixed(2)} ms/request`,
        )
        out(
          `  ${tool}: ratio fleet/baseline p50 ×${(fleetPage.latency.p50 / baseline.latency.p50).toFixed(2)}, p99 ×${(fleetPage.latency.p99 / baseline.latency.p99).toFixed(2)}, CPU ×${(fleetPage.cpuMs / baseline.cpuMs).toFixed(2)}; goal fleet p99 < 100 ms: ${fleetPage.latency.p99 < 100 && fleetPage.errors === 0 && fleetPage.non2xx === 0 ? 'met' : 'NOT met'}`,
        )
      }
      out(
        `  load average during the run: ${loadavg()
          .map((x) => x.toFixed(1))
          .join(' ')} on ${cpus().length} cores`,
      )
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})
