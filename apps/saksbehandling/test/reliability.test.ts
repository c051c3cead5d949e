// Nothing lost, nothing twice: 1,000 letters through the durable outbox and
// separate worker processes against the SvarUt mock with faults on (lost
// responses after acceptance, resets mid-upload, 503, 429), the worker killed
// with SIGKILL at five random moments and restarted each time. PostgreSQL
// runs three workers at once, SQLite one.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createSyntheticGenerator } from '@felles/identifiers'
import { createOutbox } from '@felles/sample-municipality'
import { letterCounts, recordLetter } from '@felles/sample-municipality/casework'
import { type FaultRule, type MockPerson, startSvarUtMock } from '@felles/svarut-mock'
import { describe, expect, it } from 'vitest'
import { engines } from './support/databases.js'
import { minimalPdf } from './support/minimal-pdf.js'

const LETTERS = 1_000
const KILLS = 5
const appDir = fileURLToPath(new URL('..', import.meta.url))
const resultsDir = fileURLToPath(new URL('../test-results/', import.meta.url))

/** A seeded random source, so a failing run can be repeated with the same seed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

interface Worker {
  child: ChildProcess
  exited: Promise<number | null>
  stderr: () => string
}

/** What the workers reported, letter by letter (`letter <id> <outcome> <resolvedBy> <error>`). */
const outcomes: Record<string, number> = {}

function count(line: string): void {
  const [, , outcome, resolvedBy, error] = line.split(' ')
  if (outcome === undefined) return
  const key = outcome === 'sent' ? `sent by ${resolvedBy}` : `${outcome} (${(error ?? '').split('+')[0]})`
  outcomes[key] = (outcomes[key] ?? 0) + 1
}

function startWorker(name: string, env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['--conditions=@felles/source', '--import', 'tsx', 'src/worker.ts'], {
    cwd: appDir,
    env: { ...process.env, ...env, WORKER_NAME: name, WORKER_REPORT: '1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  let ready = false
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const lines = out.split('\n')
    out = lines.pop() ?? ''
    for (const line of lines) {
      if (line === 'worker ready') ready = true
      else if (line.startsWith('letter ')) count(line)
    }
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${err}`)), 60_000)
    child.stdout?.on('data', () => {
      if (ready) {
        clearTimeout(timer)
        resolve({ child, exited, stderr: () => err })
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`worker exited with ${code} before it was ready: ${err}`))
    })
  })
}

describe.each(engines)('reliability on %s', (engine, open, skip) => {
  const workerCount = engine === 'postgres' ? 3 : 1

  it.skipIf(skip)(
    `sends ${LETTERS} letters exactly once through ${KILLS} SIGKILLs and faults`,
    { timeout: 400_000 },
    async ({ annotate }) => {
      for (const key of Object.keys(outcomes)) delete outcomes[key]
      const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000)
      const random = seeded(seed)
      const gen = createSyntheticGenerator({ seed: `reliability-${seed}` })
      const channels = ['digital', 'digital', 'altinn', 'reserved'] as const
      const persons: MockPerson[] = Array.from({ length: 40 }, (_, i) => {
        const p = gen.person()
        return { digitalId: p.nationalId, name: p.name, channel: channels[i % channels.length] ?? 'digital' }
      })
      const mock = await startSvarUtMock({
        world: {
          persons,
          timings: { accept: 100, dispatch: 300, deliver: 600, readDeadline: 1_500, print: 500 },
        },
      })
      const database = await open()
      const workers = new Map<string, Worker>()
      const timers: NodeJS.Timeout[] = []
      const faults: Record<string, number> = {}
      let reads = 0
      try {
        const { db, dialect } = database
        const at = new Date().toISOString()
        for (const p of persons) {
          const [given, ...family] = p.name.split(' ')
          await db
            .insertInto('persons')
            .values({
              pid: p.digitalId,
              given_name: given ?? 'Test',
              family_name: family.join(' ') || 'Person',
              address_line: 'Storgata 1',
              postal_code: '0155',
              city: 'Oslo',
              created_at: at,
            })
            .execute()
        }
        const outbox = createOutbox(db, { dialect })
        const pdf = minimalPdf('Vedtak i sak. Dette er et testbrev fra Felles kommune.')
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < LETTERS; i++) {
            const person = persons[i % persons.length] as MockPerson
            await recordLetter(
              db,
              outbox,
              {
                caseId: null,
                recipient: { kind: 'person', pid: person.digitalId },
                title: `Vedtak ${i + 1}`,
                letterKind: 'decision',
                queuedBy: null,
                documents: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: pdf }],
              },
              { trx },
            )
          }
        })
        expect((await letterCounts(db)).queued).toBe(LETTERS)

        const env = {
          ...database.env,
          SVARUT_URL: mock.apiUrl,
          SVARUT_KONTO_ID: mock.credentials.kontoId,
          SVARUT_INTEGRATION_ID: mock.credentials.integrasjonId,
          SVARUT_INTEGRATION_PASSWORD: mock.credentials.integrasjonPassord,
          SVARUT_TOKEN: mock.credentials.token ?? '',
          SVARUT_LOOKUP_DELAY_MS: '150',
          SVARUT_SEND_TIMEOUT_MS: '20000',
          WORKER_LEASE_MS: '15000',
          WORKER_CONCURRENCY: '6',
          WORKER_IDLE_MS: '100',
          POLL_INTERVAL_MS: '400',
          POLL_ROUND_MS: '3000',
        }
        const names = Array.from({ length: workerCount }, (_, i) => `w${i + 1}`)
        await Promise.all(
          names.map(async (name) => {
            workers.set(name, await startWorker(name, env))
          }),
        )

        // Faults all along: one at a time, each for the next matching request.
        const kinds: FaultRule[] = [
          { kind: 'loseResponse', operation: 'send' },
          { kind: 'resetMidUpload', operation: 'send', afterBytes: 300 },
          { kind: 'unavailable', operation: 'all' },
          { kind: 'rateLimit', operation: 'all', retryAfterSeconds: 1 },
        ]
        // A new fault only once the previous one has struck, so they do not pile up.
        let armed: { remaining(): number } | undefined
        timers.push(
          setInterval(() => {
            if ((armed?.remaining() ?? 0) > 0 || random() > 0.3) return
            const rule = kinds[Math.floor(random() * kinds.length)] as FaultRule
            faults[rule.kind] = (faults[rule.kind] ?? 0) + 1
            armed = mock.setFault({ ...rule, times: 1 })
          }, 50),
        )
        // Citizens read some letters while they wait in their mailbox or in Altinn.
        timers.push(
          setInterval(() => {
            for (const letter of mock.letters()) {
              if ((letter.status === 'VARSLET' || letter.status === 'SENDT_SDP') && random() < 0.3) {
                mock.world.read(letter.id)
                reads++
              }
            }
          }, 250),
        )

        // Five SIGKILLs at random points of the sending, each followed by a restart.
        const thresholds = Array.from({ length: KILLS }, () =>
          Math.floor(50 + random() * (LETTERS - 150)),
        ).sort((a, b) => a - b)
        let kills = 0
        const deadline = Date.now() + 330_000
        for (;;) {
          const counts = await letterCounts(db)
          const nextKill = thresholds[kills]
          if (nextKill !== undefined && counts.sent >= nextKill) {
            const name = names[Math.floor(random() * names.length)] as string
            const victim = workers.get(name) as Worker
            victim.child.kill('SIGKILL')
            await victim.exited
            kills++
            workers.set(name, await startWorker(name, env))
            continue
          }
          if (counts.final === LETTERS && kills === KILLS) break
          if (Date.now() > deadline) {
            const stderr = [...workers.values()].map((w) => w.stderr().slice(-2000)).join('\n')
            throw new Error(
              `not done in time: ${JSON.stringify({ ...counts, kills, outcomes, faults })}\n${stderr}`,
            )
          }
          await new Promise((r) => setTimeout(r, 100))
        }
        for (const timer of timers) clearInterval(timer)
        mock.clearFaults()

        // The mock holds each letter exactly once, and each is the one the app recorded.
        const received = mock.letters()
        const refs = new Map<string, number>()
        for (const l of received)
          refs.set(l.eksternReferanse ?? '', (refs.get(l.eksternReferanse ?? '') ?? 0) + 1)
        const rows = await db
          .selectFrom('letters')
          .select(['ekstern_referanse', 'svarut_id', 'final'])
          .execute()
        const byRef = new Map(received.map((l) => [l.eksternReferanse, l.id]))
        const mismatched = rows.filter((r) => byRef.get(r.ekstern_referanse) !== r.svarut_id)
        const counts = await letterCounts(db)
        const outboxCounts = await outbox.counts()
        const sends = await db
          .selectFrom('svarut_sends')
          .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
          .groupBy('state')
          .execute()
        const requests = mock.requests()
        const summary = {
          engine,
          seed,
          workers: workerCount,
          kills,
          lettersQueued: LETTERS,
          lettersAtMock: received.length,
          distinctReferences: refs.size,
          duplicates: [...refs.values()].filter((n) => n > 1).length,
          finalInApp: counts.final,
          statuses: counts.byStatus,
          outbox: outboxCounts,
          faultsInstalled: faults,
          droppedOrReset: requests.filter((r) => r.status === 0).length,
          answered503: requests.filter((r) => r.status === 503).length,
          answered429: requests.filter((r) => r.status === 429).length,
          sendRequests: requests.filter((r) => r.operation.startsWith('send')).length,
          lookups: requests.filter((r) => r.operation === 'eksternref').length,
          citizenReads: reads,
          workerOutcomes: outcomes,
          ledger: Object.fromEntries(sends.map((s) => [s.state, Number(s.n)])),
        }
        mkdirSync(resultsDir, { recursive: true })
        writeFileSync(`${resultsDir}reliability-${engine}.json`, `${JSON.stringify(summary, null, 2)}\n`)
        process.stdout.write(`\nreliability ${engine}: ${JSON.stringify(summary)}\n`)
        await annotate(
          `${engine}: ${received.length} letters at the mock, ${summary.duplicates} duplicates, ${counts.final} final, ${kills} SIGKILLs`,
        )

        expect(kills).toBe(KILLS)
        expect(received).toHaveLength(LETTERS)
        expect(refs.size).toBe(LETTERS)
        expect(summary.duplicates).toBe(0)
        expect(mismatched).toEqual([])
        expect(rows.every((r) => Number(r.final) === 1)).toBe(true)
        expect(outboxCounts).toMatchObject({ done: LETTERS, pending: 0, claimed: 0, failed: 0 })
        // The faults really happened: answers were lost or cut, and SvarUt said 503 and 429.
        expect(summary.droppedOrReset).toBeGreaterThan(0)
        expect(summary.answered503).toBeGreaterThan(0)
        expect(summary.answered429).toBeGreaterThan(0)
      } finally {
        for (const timer of timers) clearInterval(timer)
        for (const w of workers.values()) w.child.kill('SIGKILL')
        await Promise.all([...workers.values()].map((w) => w.exited))
        await database.dispose()
        await mock.close()
      }
    },
  )
})
