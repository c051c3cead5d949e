import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase, type SampleDatabase } from '@felles/sample-municipality'
import pg from 'pg'

/** The PostgreSQL server of the tests (trust auth on this machine and in CI). */
export const pgUrl: string = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

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

/** Whether PostgreSQL answers; in CI an unreachable server fails the run instead of skipping. */
export const hasPostgres: boolean = await postgresReachable()
if (!hasPostgres && process.env.CI) throw new Error('PostgreSQL is not reachable at the test URL')

/** A fresh database and how other processes open the same one. */
export interface TestDatabase extends SampleDatabase {
  /** Environment variables that make `openDatabase` in a child process open this database. */
  readonly env: Record<string, string>
  /** Closes and removes it. */
  dispose(): Promise<void>
}

/** A fresh SQLite file in a temporary folder. */
export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'saksbehandling-'))
  const file = join(dir, 'test.sqlite')
  const database = await openDatabase({ url: '', sqliteFile: file })
  return {
    ...database,
    env: { DATABASE_URL: '', FELLES_SQLITE_FILE: file },
    async dispose() {
      await database.close().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A fresh schema on the test PostgreSQL server (dropped by `dispose`). */
export async function postgresDatabase(): Promise<TestDatabase> {
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const database = await openDatabase({ url: pgUrl, schema, poolSize: 5 })
  return {
    ...database,
    env: { DATABASE_URL: pgUrl, FELLES_DB_SCHEMA: schema },
    async dispose() {
      await database.close().catch(() => {})
      const admin = new pg.Client({ connectionString: pgUrl })
      await admin.connect()
      await admin.query(`drop schema if exists ${schema} cascade`)
      await admin.end()
    },
  }
}

/** Both engines, for `describe.each`; PostgreSQL is skipped only outside CI when it is down. */
export const engines = [
  ['sqlite', sqliteDatabase, false],
  ['postgres', postgresDatabase, !hasPostgres],
] as const
