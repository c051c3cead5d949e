// Session lookup per request with the memory store: cookie parsing, store
// lookup, idle/absolute checks and the activity touch. Goal: under 5 µs.
// Baseline: a bare Map lookup of the same id.
import { performance } from 'node:perf_hooks'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { IdPortenClient, localPreset, MemorySessionStore, type SessionRecord } from '../src/index.js'

const SESSIONS = 10_000
const store = new MemorySessionStore()
const bareMap = new Map<string, SessionRecord>()
let auth: IdPortenClient
let header = ''
let id = ''

beforeAll(async () => {
  const issuer = 'http://127.0.0.1:9'
  const config = new oidc.Configuration({ issuer }, 'bench-client')
  auth = new IdPortenClient(
    {
      preset: localPreset(issuer),
      clientId: 'bench-client',
      clientAuth: { method: 'client_secret_basic' },
      baseUrl: 'http://127.0.0.1:3000',
      cookieSecret: 'x'.repeat(32),
      store,
    },
    oidc.None(),
    { config, fetchedAt: Date.now() },
  )
  const now = Date.now()
  for (let i = 0; i < SESSIONS; i++) {
    const record: SessionRecord = {
      id: `session-${i}-${'x'.repeat(30)}`,
      issuer,
      sub: `sub-${i}`,
      acr: 'idporten-loa-substantial',
      amr: ['TestID'],
      sid: `sid-${i}`,
      claims: { sub: `sub-${i}` },
      idToken: 'header.payload.signature',
      csrfToken: 'csrf',
      createdAt: now,
      lastSeenAt: now,
    }
    store.set(record, now + 30 * 60_000)
    bareMap.set(record.id, record)
  }
  id = `session-${SESSIONS / 2}-${'x'.repeat(30)}`
  header = `_ga=GA1.1.123; other=value; felles-session=${id}; theme=dark`
})

function measure(fn: () => unknown, n: number): Promise<number> {
  return (async () => {
    const start = performance.now()
    for (let i = 0; i < n; i++) await fn()
    return ((performance.now() - start) * 1000) / n
  })()
}

afterAll(async () => {
  const ours = await measure(() => auth.readSession(header), 200_000)
  const bare = await measure(() => bareMap.get(id), 200_000)
  process.stdout.write(
    `\n[id-porten bench] session lookup: readSession ${ours.toFixed(3)} µs/request (goal < 5 µs), bare Map.get ${bare.toFixed(3)} µs, ratio ${(ours / bare).toFixed(1)}\n`,
  )
})

describe('session lookup per request (memory store)', () => {
  bench('readSession(cookie header) with the memory store', async () => {
    const { session } = await auth.readSession(header)
    if (session === undefined) throw new Error('no session')
  })
  bench('bare Map.get of the same id (baseline)', async () => {
    if (bareMap.get(id) === undefined) throw new Error('no session')
  })
})
