// Load generators for the sample apps' benchmarks. Both run in a child
// process, so the server under test never shares its event loop (or its
// garbage collector) with the load.
//
// - `steadyLoad`: an open-loop generator. Requests are due at a mean rate
//   (Poisson arrivals by default, or evenly spaced), whether or not earlier
//   answers have come back; latency is
//   measured from when the request was due (not from when it could be sent),
//   so a server that stalls is charged for the requests waiting behind the
//   stall (no coordinated omission).
// - `autocannonLoad`: autocannon 9 in rate mode. Its rate limiter gives each
//   connection its quota for the second at the start of the second (with 20
//   connections and 200 requests/second: bursts of 200 at once, ten queued
//   on each connection), and its coordinated-omission correction assumes an
//   interval of ceil(1/rate) = 1 ms between a connection's requests, adding a
//   made-up sample for each millisecond of every answer. We turn that
//   correction off (`ignoreCoordinatedOmission`) and report what it measures:
//   the latency of requests sent in those bursts.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'

/** One request of a load run (GET); the run cycles through the list. */
export interface LoadRequest {
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
}

/** A load run. */
export interface LoadOptions {
  /** The server's base URL (`http://127.0.0.1:4100`). */
  readonly url: string
  /** The requests, used in turn. */
  readonly requests: readonly LoadRequest[]
  /** Requests per second. */
  readonly rate: number
  /** Seconds. */
  readonly duration: number
  /** Connections at most (default 20). */
  readonly connections?: number
  /**
   * `steadyLoad` only: when requests are due. `even`: one every 1/rate s;
   * `poisson` (default): independent arrivals at the same mean rate
   * (exponential gaps, fixed seed), as from many users, with the bunching
   * that brings.
   */
  readonly arrivals?: 'even' | 'poisson'
}

/** Latency percentiles in milliseconds. */
export interface LatencySummary {
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
}

/** What a load run measured. */
export interface LoadResult {
  readonly tool: 'steady' | 'autocannon'
  /** Answers received. */
  readonly requests: number
  /** Answers per second over the run. */
  readonly rps: number
  readonly latency: LatencySummary
  /** Connection errors and timeouts. */
  readonly errors: number
  /** Answers outside 200–299. */
  readonly non2xx: number
}

const STEADY_SCRIPT = `
const http = require('node:http')
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
const base = new URL(input.url)
const agent = new http.Agent({ keepAlive: true, maxSockets: input.connections })
const interval = 1000 / input.rate
const total = Math.max(1, Math.round(input.rate * input.duration))
// When each request is due, ms after the start: evenly spaced, or a Poisson process (independent
// users: exponential gaps with the same mean, from a fixed-seed generator so runs are comparable).
const due = new Float64Array(total)
let state = 2463534242
// Marsaglia's xorshift32: enough for arrival gaps, and the same sequence every run.
const random = () => {
  state ^= state << 13
  state ^= state >>> 17
  state ^= state << 5
  return (state >>> 0) / 4294967296
}
for (let i = 1; i < total; i++) {
  due[i] = input.arrivals === 'poisson' ? due[i - 1] - Math.log(1 - random()) * interval : i * interval
}
const latency = new Float64Array(total).fill(Number.NaN)
let sent = 0
let finished = 0
let errors = 0
let non2xx = 0
let lastEnd = 0
const start = performance.now() + 20
function finish() {
  finished++
  if (finished === total) {
    agent.destroy()
    const ok = Array.from(latency).filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
    const at = (q) => (ok.length === 0 ? Number.NaN : ok[Math.min(ok.length - 1, Math.ceil(q * ok.length) - 1)])
    process.stdout.write(JSON.stringify({
      tool: 'steady',
      requests: ok.length,
      rps: (ok.length * 1000) / (lastEnd - start),
      latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
      errors,
      non2xx,
    }))
  }
}
function fire(i, due) {
  const r = input.requests[i % input.requests.length]
  const req = http.request(
    { host: base.hostname, port: base.port, path: r.path, method: 'GET', headers: r.headers ?? {}, agent },
    (res) => {
      if (res.statusCode < 200 || res.statusCode > 299) non2xx++
      res.on('data', () => {})
      res.on('end', () => {
        lastEnd = performance.now()
        latency[i] = lastEnd - due
        finish()
      })
    },
  )
  req.setTimeout(30000, () => req.destroy(new Error('timeout')))
  req.on('error', () => {
    errors++
    finish()
  })
  req.end()
}
function tick() {
  const now = performance.now()
  while (sent < total && start + due[sent] <= now) {
    fire(sent, start + due[sent])
    sent++
  }
  if (sent < total) setTimeout(tick, Math.max(0, start + due[sent] - performance.now()))
}
setTimeout(tick, 20)
`

const AUTOCANNON_SCRIPT = `
const autocannon = require(process.argv[1])
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'))
autocannon({
  url: input.url,
  connections: input.connections,
  overallRate: input.rate,
  duration: input.duration,
  ignoreCoordinatedOmission: true,
  requests: input.requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers ?? {} })),
}, (err, result) => {
  if (err) throw err
  process.stdout.write(JSON.stringify({
    tool: 'autocannon',
    requests: result.requests.total,
    rps: result.requests.average,
    latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }))
})
`

function runChild(script: string, args: string[], options: LoadOptions): Promise<LoadResult> {
  if (options.requests.length === 0) return Promise.reject(new TypeError('requests: at least one is needed'))
  if (!(options.rate > 0)) return Promise.reject(new RangeError('rate: must be above 0'))
  if (!(options.duration > 0)) return Promise.reject(new RangeError('duration: must be above 0'))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    let text = ''
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString()
    })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`))
      else resolve(JSON.parse(text) as LoadResult)
    })
    child.stdin.end(
      JSON.stringify({
        url: options.url,
        requests: options.requests,
        rate: options.rate,
        duration: options.duration,
        connections: options.connections ?? 20,
        arrivals: options.arrivals ?? 'poisson',
      }),
    )
  })
}

/**
 * Open-loop load at a mean rate (Poisson arrivals, or evenly spaced), latency
 * from each request's due time, in a child process.
 *
 * @param options - Target, requests, rate, duration and connections.
 * @returns Answers, rate achieved and latency percentiles.
 */
export function steadyLoad(options: LoadOptions): Promise<LoadResult> {
  return runChild(STEADY_SCRIPT, [], options)
}

/**
 * autocannon 9 in rate mode (each connection's quota sent at the start of
 * every second), coordinated-omission correction off (see the file's
 * comment), in a child process.
 *
 * @param options - Target, requests, rate, duration and connections.
 * @returns Answers, rate achieved and latency percentiles.
 */
export function autocannonLoad(options: LoadOptions): Promise<LoadResult> {
  const path = createRequire(import.meta.url).resolve('autocannon')
  return runChild(AUTOCANNON_SCRIPT, [path], options)
}

/**
 * One line of a load table: `name  rps  p50  p90  p99  max  (requests, errors, non-2xx)`.
 *
 * @param name - The row's label.
 * @param r - A load result.
 * @returns The line (no newline).
 */
export function formatLoadRow(name: string, r: LoadResult): string {
  const ms = (v: number): string => `${v.toFixed(1).padStart(6)} ms`
  return `  ${name.padEnd(50)} ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${ms(r.latency.p50)}  p90 ${ms(r.latency.p90)}  p99 ${ms(r.latency.p99)}  max ${ms(r.latency.max)}  (${r.requests} answers, ${r.errors} errors, ${r.non2xx} non-2xx)`
}
