// Min side under load: the case list page (a session lookup, the citizen's
// cases from the database, the citizen view of each, the HTML) against a
// static page of the same server, with 100 000 citizens and 1 000 000 cases
// seeded, on SQLite and on PostgreSQL.
//
// 1. autocannon at a fixed 200 requests/second for BENCH_DURATION seconds
//    (default 30), in a child process so it does not share the server's event
//    loop: throughput, p50 and p99 latency, and the ratio to the baseline.
// 2. EXPLAIN of the list queries (they must use indexes).
// 3. vitest bench of the same two pages in-process (app.fetch, no network).
//
// Environment: BENCH_DURATION (s), BENCH_RATE (req/s), BENCH_CITIZENS, BENCH_CASES,
// BENCH_ENGINES (`sqlite,postgres`), TEST_DATABASE_URL. The seeded data is kept
// (apps/min-side/.data/bench-*.sqlite, PostgreSQL schema min_side_bench_*) and reused.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
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
import { afterAll, bench, describe } from 'vitest'
import { startMinSide } from '../src/index.js'

const out = (line: string): void => {
  process.stdout.write(`${line}\n`)
}
const duration = Number(process.env.BENCH_DURATION ?? 30)
const rate = Number(process.env.BENCH_RATE ?? 200)
const citizens = Number(process.env.BENCH_CITIZENS ?? 100_000)
const cases = Number(process.env.BENCH_CASES ?? 1_000_000)
const engines = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as Dialect[]
const appDir = fileURLToPath(new URL('..', import.meta.url))
const autocannonPath = createRequire(import.meta.url).resolve('autocannon')

interface LoadResult {
  readonly requests: number
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly errors: number
  readonly non2xx: number
}

// autocannon in its own process: the server's event loop is not shared with the load generator.
function load(url: string, requests: readonly { path: string; cookie?: string }[]): Promise<LoadResult> {
  const script = `
    const autocannon = require(${JSON.stringify(autocannonPath)})
    const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
    autocannon({
      url: input.url,
      connections: 20,
      overallRate: input.rate,
      duration: input.duration,
      requests: input.requests.map((r) => ({ method: 'GET', path: r.path, headers: r.cookie ? { cookie: r.cookie } : {} })),
    }, (err, result) => {
      if (err) throw err
      process.stdout.write(JSON.stringify({
        requests: result.requests.total,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      }))
    })
  `
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`autocannon exited with ${code}`))
      else resolve(JSON.parse(text) as LoadResult)
    })
    child.stdin.end(JSON.stringify({ url, rate, duration, requests }))
  })
}

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
      : { url: TEST_DATABASE_URL, schema: `min_side_bench_${tag}`, poolSize: 10 },
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
  for (const pid of seeded.samplePids.slice(0, 200)) {
    const id = randomBytes(32).toString('base64url')
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
      createdAt: now,
      lastSeenAt: now,
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

  // Warm up (connections, JIT) before measuring.
  for (let i = 0; i < 200; i++) {
    await (
      await fetch(`${app.url}/saker`, { headers: { cookie: cookies[i % cookies.length] as string } })
    ).text()
  }
  const check = await fetch(`${app.url}/saker`, { headers: { cookie: cookies[0] as string } })
  const html = await check.text()
  if (check.status !== 200 || !html.includes('<table'))
    throw new Error(`case list did not render (${check.status})`)

  const baseline = await load(app.url, [{ path: '/personvern' }])
  const list = await load(
    app.url,
    cookies.map((cookie) => ({ path: '/saker', cookie })),
  )
  const row = (name: string, r: LoadResult): string =>
    `  ${name.padEnd(26)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${String(r.p50).padStart(4)} ms  p99 ${String(r.p99).padStart(4)} ms  (${r.requests} requests, ${r.errors} errors, ${r.non2xx} non-2xx)`
  out(`  autocannon ${rate} req/s for ${duration} s (${dialect}):`)
  out(row('static page (baseline)', baseline))
  out(row('case list /saker', list))
  out(
    `  ratio case list / baseline: p50 ${(list.p50 / Math.max(baseline.p50, 1)).toFixed(2)}, p99 ${(list.p99 / Math.max(baseline.p99, 1)).toFixed(2)}; goal p99 < 50 ms: ${list.p99 < 50 ? 'met' : 'NOT met'}`,
  )

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
