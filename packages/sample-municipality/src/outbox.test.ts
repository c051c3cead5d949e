import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type SampleDatabase } from './database.js'
import { createOutbox } from './outbox.js'

const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    return false
  }
}

const hasPostgres = await postgresReachable()
// In CI the PostgreSQL server is part of the contract: never skip there.
if (!hasPostgres && process.env.CI)
  throw new Error(`PostgreSQL is not reachable at the test URL (CI=${process.env.CI})`)

const cleanups: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

async function sqlite(): Promise<SampleDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'felles-sqlite-'))
  const database = await openDatabase({ url: '', sqliteFile: join(dir, 'test.sqlite') })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return database
}

async function postgres(): Promise<SampleDatabase> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const database = await openDatabase({ url: pgUrl, schema, poolSize: 5 })
  cleanups.push(async () => {
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    await admin.query(`drop schema if exists ${schema} cascade`)
    await admin.end()
  })
  return database
}

const engines = [
  ['sqlite', sqlite],
  ['postgres', postgres],
] as const

describe.each(engines)('outbox on %s', (name, open) => {
  const skip = name === 'postgres' && !hasPostgres

  it.skipIf(skip)('claims each item once, leases expire, and a stale worker cannot complete', async () => {
    const { db, dialect, close } = await open()
    let clock = new Date('2026-11-30T10:00:00Z')
    const outbox = createOutbox(db, { dialect, now: () => clock })
    for (let i = 0; i < 10; i++)
      await outbox.enqueue({ id: `letter-${i}`, kind: 'send-letter', payload: { i } })

    const a = await outbox.claim('worker-a', { leaseMs: 60_000, limit: 6 })
    const b = await outbox.claim('worker-b', { leaseMs: 60_000, limit: 6 })
    expect(a).toHaveLength(6)
    expect(b).toHaveLength(4)
    expect(new Set([...a, ...b].map((x) => x.id)).size).toBe(10)
    expect(await outbox.claim('worker-c', { leaseMs: 60_000, limit: 6 })).toEqual([])

    expect(await outbox.complete('letter-0', 'worker-a')).toBe(true)
    expect(await outbox.complete('letter-0', 'worker-a')).toBe(false)

    // worker-a "crashes"; after its lease another worker takes its items over.
    clock = new Date(clock.getTime() + 61_000)
    const taken = await outbox.claim('worker-c', { leaseMs: 60_000, limit: 20 })
    expect(taken.map((x) => x.id).sort()).toEqual(
      [...a, ...b]
        .map((x) => x.id)
        .filter((id) => id !== 'letter-0')
        .sort(),
    )
    expect(taken.every((x) => x.attempts === 2)).toBe(true)
    expect(await outbox.complete('letter-1', 'worker-a')).toBe(false)
    expect(await outbox.complete('letter-1', 'worker-c')).toBe(true)

    expect(
      await outbox.retryLater('letter-2', 'worker-c', {
        at: new Date(clock.getTime() + 5_000),
        error: '503',
      }),
    ).toBe(true)
    expect(await outbox.claim('worker-d', { leaseMs: 1_000, limit: 20 })).toEqual([])
    clock = new Date(clock.getTime() + 5_000)
    const again = await outbox.claim('worker-d', { leaseMs: 1_000, limit: 20 })
    expect(again.map((x) => x.id)).toContain('letter-2')
    expect(again.find((x) => x.id === 'letter-2')?.last_error).toBe('503')
    expect(await outbox.fail('letter-2', 'worker-d', 'permanent')).toBe(true)
    expect(await outbox.counts()).toMatchObject({ done: 2, failed: 1 })
    await close()
  })

  it.skipIf(skip)('extends a held lease, never an expired or foreign one', async () => {
    const { db, dialect, close } = await open()
    let clock = new Date('2026-11-30T10:00:00Z')
    const outbox = createOutbox(db, { dialect, now: () => clock })
    await outbox.enqueue({ id: 'a', kind: 'k', payload: {} })
    expect(await outbox.claim('w1', { leaseMs: 10_000, limit: 1 })).toHaveLength(1)
    clock = new Date(clock.getTime() + 8_000)
    expect(await outbox.extend('a', 'w2', 10_000)).toBe(false)
    expect(await outbox.extend('a', 'w1', 10_000)).toBe(true)
    // The heartbeat moved the lease: 8 s later it is still held.
    clock = new Date(clock.getTime() + 8_000)
    expect(await outbox.claim('w2', { leaseMs: 10_000, limit: 1 })).toEqual([])
    clock = new Date(clock.getTime() + 3_000)
    expect(await outbox.extend('a', 'w1', 10_000)).toBe(false)
    expect(await outbox.claim('w2', { leaseMs: 10_000, limit: 1 })).toHaveLength(1)
    expect(await outbox.complete('a', 'w1')).toBe(false)
    expect(await outbox.complete('a', 'w2')).toBe(true)
    await close()
  })

  it.skipIf(skip)('hands out every item exactly once to concurrent workers', async () => {
    const { db, dialect, close } = await open()
    const outbox = createOutbox(db, { dialect })
    const total = 200
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < total; i++) await outbox.enqueue({ id: `x-${i}`, kind: 'k', payload: i }, trx)
    })
    const seen: string[] = []
    const worker = async (name: string): Promise<void> => {
      for (;;) {
        const items = await outbox.claim(name, { leaseMs: 60_000, limit: 7 })
        if (items.length === 0) return
        for (const item of items) {
          seen.push(item.id)
          expect(await outbox.complete(item.id, name)).toBe(true)
        }
      }
    }
    await Promise.all(['w1', 'w2', 'w3', 'w4'].map(worker))
    expect(seen).toHaveLength(total)
    expect(new Set(seen).size).toBe(total)
    expect(await outbox.counts()).toMatchObject({ done: total, pending: 0, claimed: 0 })
    await close()
  })

  it.skipIf(skip)('enqueue inside a rolled-back transaction leaves nothing behind', async () => {
    const { db, dialect, close } = await open()
    const outbox = createOutbox(db, { dialect })
    await expect(
      db.transaction().execute(async (trx) => {
        await outbox.enqueue({ id: 'rolled-back', kind: 'k', payload: {} }, trx)
        throw new Error('abort')
      }),
    ).rejects.toThrow('abort')
    expect(await outbox.counts()).toMatchObject({ pending: 0 })
    await close()
  })

  it.skipIf(skip)('migrations are idempotent', async () => {
    const first = await open()
    const { error } = await import('kysely/migration').then(async ({ Migrator }) => {
      const { migrations } = await import('./migrations.js')
      return new Migrator({
        db: first.db,
        provider: { getMigrations: async () => migrations },
      }).migrateToLatest()
    })
    expect(error).toBeUndefined()
    await first.close()
  })
})
