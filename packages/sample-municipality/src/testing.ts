// Per-test databases for the sample apps' tests: a fresh SQLite file, or a
// fresh schema on the PostgreSQL server of the machine.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { type Dialect, openDatabase, type SampleDatabase } from './database.js'

/** The PostgreSQL server tests use: `TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`. */
export const TEST_DATABASE_URL: string =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/**
 * Whether the test PostgreSQL server answers. With `CI` set an unreachable
 * server throws (CI must have it); otherwise the caller skips with a message.
 *
 * @returns `true` when reachable.
 * @throws Error in CI when it is not.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.end()
    return true
  } catch {
    if (process.env.CI) throw new Error(`PostgreSQL is not reachable at the test URL (CI=${process.env.CI})`)
    return false
  }
}

/** A database for one test, and how to get rid of it. */
export interface TestDatabase extends SampleDatabase {
  /** For an app started in the same test: `{ url, schema }` (PostgreSQL) or `{ sqliteFile }`. */
  readonly connection: { readonly url?: string; readonly schema?: string; readonly sqliteFile?: string }
  /** Closes the database and removes the file or schema. */
  dispose(): Promise<void>
}

/**
 * Opens a fresh, migrated database: a SQLite file in a temporary folder, or a
 * new schema (`t_<random>`) on the test PostgreSQL server.
 *
 * @param dialect - `sqlite` or `postgres`.
 * @returns The database; call `dispose()` afterwards.
 */
export async function openTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'felles-sqlite-'))
    const sqliteFile = join(dir, 'test.sqlite')
    const database = await openDatabase({ url: '', sqliteFile })
    return {
      ...database,
      connection: { sqliteFile },
      async dispose() {
        await database.close()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  const schema = `t_${randomUUID().replaceAll('-', '').slice(0, 16)}`
  const database = await openDatabase({ url: TEST_DATABASE_URL, schema, poolSize: 5 })
  return {
    ...database,
    connection: { url: TEST_DATABASE_URL, schema },
    async dispose() {
      await database.close()
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL })
      await admin.connect()
      try {
        await admin.query(`drop schema if exists ${schema} cascade`)
      } finally {
        await admin.end()
      }
    },
  }
}
