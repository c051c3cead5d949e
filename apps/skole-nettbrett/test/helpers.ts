import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { openDatabase, type SampleDatabase } from '@felles/sample-municipality'
import pg from 'pg'

export const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

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

export const hasPostgres: boolean = await postgresReachable()
// In CI the PostgreSQL server is part of the contract: never skip there.
if (!hasPostgres && process.env.CI) throw new Error('PostgreSQL is not reachable at the test URL')

export type Engine = 'sqlite' | 'postgres'
export const engines: readonly Engine[] = ['sqlite', 'postgres']

/** A fresh database on the engine (a temporary SQLite file, or a PostgreSQL schema of its own). */
export async function openTestDatabase(engine: Engine): Promise<SampleDatabase & { drop(): Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'skole-sqlite-'))
    const database = await openDatabase({ url: '', sqliteFile: join(dir, 'test.sqlite') })
    return {
      ...database,
      async drop() {
        await database.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  let schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  let database: SampleDatabase
  try {
    database = await openDatabase({ url: pgUrl, schema, poolSize: 5 })
  } catch {
    // Seen once under heavy parallel load: PostgreSQL answered 3F000 while migrating a fresh
    // schema. One more try with another schema keeps the run from failing on the server's hiccup.
    schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
    database = await openDatabase({ url: pgUrl, schema, poolSize: 5 })
  }
  return {
    ...database,
    async drop() {
      await database.close()
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      await admin.query(`drop schema if exists ${schema} cascade`)
      await admin.end()
    },
  }
}

/** A small emulator world on a manual clock. */
export function startTestMdm(
  options: { seed?: string; schools?: number; devices?: number } = {},
): Promise<MdmMock> {
  return startMdmMock({
    seed: options.seed ?? 'skole-test',
    schools: options.schools ?? 4,
    devices: options.devices ?? 400,
    clock: { mode: 'manual', start: '2026-11-30T08:00:00Z' },
  })
}

/** A clock whose sleeps end at once while its time moves on (backoff observed, never slept). */
export function instantClock(start: number = Date.parse('2026-11-30T08:00:00Z')): {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
} {
  let now = start
  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      now += Math.max(0, ms)
      return new Promise((resolve) => setImmediate(resolve))
    },
  }
}
