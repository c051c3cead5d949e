// Min side under load: the case list page (a session lookup, the citizen's
// cases from the database, the citizen view of each, the HTML) against a
// static page of the same server, with 100 000 citizens and 1 000 000 cases
// seeded, on SQLite and on PostgreSQL.
//
// 1. 200 requests/second for BENCH_DURATION seconds (default 30) from load
//    generators in a child process (not sharing the server's event loop):
//    an open-loop one (independent Poisson arrivals, latency from when each
//    was due) and autocannon in rate mode with 10 (its default) and 20
//    connections (bursts: each connection's quota at the start of every
//    second); see @felles/sample-web/load. Throughput, p50/p90/p99/max and
//    the ratio to the baseline, for each.
// 2. EXPLAIN of the list queries (they must use indexes).
// 3. vitest bench of the same two pages in-process (app.fetch, no network).
//
// Environment: BENCH_DURATION (s), BENCH_RATE (req/s), BENCH_CITIZENS, BENCH_CASES,
// BENCH_ENGINES (`sqlite,postgres`), BENCH_POOL (PostgreSQL pool size, default 10), TEST_DATABASE_URL. The seeded data is kept
// (apps/min-side/.data/bench-*.sqlite, PostgreSQL schema min_side_bench_*) and reused.
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { SessionRecord } from '@felles/id-porten'
import { startIdportenMock } from '@felles/id-porten-mock'
import {
  type Dialect,
  explainCitizenQueries,
  openDatabase,
  postgresAvailable,
  seedBulk,
  TEST_DATABASE_URL,
} from '@felles/sample-municipality'
import { createLogger, SqlSessionStore, silentSink } from '@felles/sample-web'
import {
  autocannonLoad,
  formatLoadRow,
  type LoadRequest,
  type LoadResult,
  steadyLoad,
} from '@felles/sample-web/load'
import { afterAll, bench, describe } from 'vitest'
import { startMinSide } from '../src/index.js'

const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const duration = Number(process.env.BENCH_DURATION ?? 30)
const rate = Number(process.env.BENCH_RATE ?? 200)
const WARM_UP_SECONDS = 5
const citizens = Number(process.env.BENCH_CITIZENS ?? 100_000)
const cases = Number(process.env.BENCH_CASES ?? 1_000_000)
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as Dialect[]
const appDir = fileURLToPath(new URL('..', import.meta.url))

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

const hasPostgres = engines.includes('postgres') ? await postgresAvailable() : false
const mock = await startIdportenMock()
closers.push(() => mock.close())

const targets: {
  name: string
  fetch: (path: string, cookie?: string) => Promise<Response>
  cookies: string[]
}[] = []

for (const dialect of engines) {
  if (dialect === 'postgres' && !hasPostgres) {
    out('min-side bench: PostgreSQL not reachable, skipped')
    continue
  }
  const tag = `${citizens}_${cases}`
  const database = await openDatabase(
    dialect === 'sqlite'
      ? { url: '', sqliteFile: `${appDir}.data/bench-${tag}.sqlite` }
      : {
          url: TEST_DATABASE_URL,
          schema: `min_side_bench_${tag}`,
          poolSize: Number(process.env.BENCH_POOL ?? 10),
        },
  )
  closers.push(() => database.close())
  const seeded = await seedBulk(database, {
    citizens,
    cases,
    onProgress: (n) => {
      if (n % 200_000 === 0) out(`  ${dialect}: ${n} cases written`)
    },
  })
  out(
    `min-side bench on ${dialect}: ${citizens} citizens, ${cases} cases ${seeded.seeded ? `seeded in ${(seeded.ms / 1000).toFixed(1)} s` : '(reused)'}`,
  )
  for (const plan of await explainCitizenQueries(database.db, dialect, seeded.samplePids[0] as string)) {
    out(`  EXPLAIN ${plan.query} (${dialect}):`)
    for (const line of plan.plan) out(`    ${line}`)
  }

  // Sessions made directly in the store: the benchmark measures pages, not logins.
  const store = new SqlSessionStore(database.db, { sweepIntervalMs: 0 })
  const now = Date.now()
  const cookies: string[] = []
  for (const [i, pid] of seeded.samplePids.slice(0, 200).entries()) {
    const id = randomBytes(32).toString('base64url')
    // Sessions of real citizens were last written at different moments: spread over the minute
    // between activity writes (`touchIntervalMs`), not all due in the same second.
    const lastSeenAt = now - ((i * 300) % 60_000)
    const record: SessionRecord = {
      id,
      issuer: mock.issuer,
      sub: randomBytes(8).toString('hex'),
      pid,
      acr: 'idporten-loa-substantial',
      amr: ['TestID'],
      sid: randomBytes(8).toString('hex'),
      claims: {},
      idToken: 'bench',
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: lastSeenAt - 60_000,
      lastSeenAt,
    }
    await store.set(record, now + 3600_000)
    cookies.push(`min-side=${id}`)
  }
  store.close()
  const app = await startMinSide({
    port: 0,
    database,
    idportenMock: mock,
    seed: false,
    logger: createLogger(silentSink),
    session: { idleTimeoutMs: 3600_000, absoluteTimeoutMs: 7200_000 },
  })
  closers.push(() => app.close())

  // A first pass over every session (each citizen's rows read once) before any run.
  for (let i = 0; i < 200; i++) {
    await (
      await fetch(`${app.url}/saker`, { headers: { cookie: cookies[i % cookies.length] as string } })
    ).text()
  }
  const check = await fetch(`${app.url}/saker`, { headers: { cookie: cookies[0] as string } })
  const html = await check.text()
  if (check.status !== 200 || !html.includes('<table'))
    throw new Error(`case list did not render (${check.status})`)

  // Each page under both generators; the goal (p99 < 50 ms) is checked on both.
  const listRequests = cookies.map((cookie) => ({ path: '/saker', headers: { cookie } }))
  const runs: { name: string; result: LoadResult }[] = []
  const tools = [
    { tool: 'open loop (Poisson)', run: steadyLoad, connections: 20 },
    { tool: 'autocannon, 10 connections', run: autocannonLoad, connections: 10 },
    { tool: 'autocannon, 20 connections', run: autocannonLoad, connections: 20 },
  ] as const
  for (const { tool, run, connections } of tools) {
    const options = { url: app.url, rate, duration, connections }
    // Each measured run follows 5 s of the same load: the server's pool opens the connections that
    // concurrency needs (each costs a PostgreSQL backend) and V8 compiles the path, so the run
    // measures the steady state, not the first second.
    const measure = async (requests: LoadRequest[]): Promise<LoadResult> => {
      await run({ ...options, duration: WARM_UP_SECONDS, requests })
      return run({ ...options, requests })
    }
    const baseline = await measure([{ path: '/personvern' }])
    const list = await measure(listRequests)
    runs.push({ name: `${tool}: static page (baseline)`, result: baseline })
    runs.push({ name: `${tool}: case list /saker`, result: list })
  }
  out(
    `  ${rate} req/s for ${duration} s against ${dialect}, load in a child process. Open loop: requests due as independent arrivals (Poisson, mean ${(1000 / rate).toFixed(1)} ms apart), latency from when each was due. autocannon: rate mode, which sends each connection's quota for the second at the start of the second (bursts of ${rate} requests, ${rate}/connections queued on each; 10 connections is autocannon's default):`,
  )
  for (const r of runs) out(formatLoadRow(r.name, r.result))
  for (const { tool } of tools) {
    const baseline = runs.find((r) => r.name === `${tool}: static page (baseline)`)?.result
    const list = runs.find((r) => r.name === `${tool}: case list /saker`)?.result
    if (baseline === undefined || list === undefined) continue
    out(
      `  ${tool}: case list / baseline p50 ${(list.latency.p50 / baseline.latency.p50).toFixed(2)}, p99 ${(list.latency.p99 / baseline.latency.p99).toFixed(2)}; p99 < 50 ms: ${list.latency.p99 < 50 && list.errors === 0 && list.non2xx === 0 ? 'yes' : 'NO'}`,
    )
  }

  const fetchApp = (path: string, cookie?: string): Promise<Response> =>
    fetch(`${app.url}${path}`, cookie === undefined ? {} : { headers: { cookie } })
  targets.push({ name: dialect, fetch: fetchApp, cookies })
}

for (const target of targets) {
  describe(`Min side pages over HTTP on ${target.name}`, () => {
    let n = 0
    bench('static page (baseline)', async () => {
      await (await target.fetch('/personvern')).text()
    })
    bench('case list /saker', async () => {
      await (await target.fetch('/saker', target.cookies[n++ % target.cookies.length])).text()
    })
  })
}
