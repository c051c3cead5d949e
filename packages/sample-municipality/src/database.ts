import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { Migrator } from 'kysely/migration'
import pg from 'pg'
import { migrations } from './migrations.js'
import type { Database } from './schema.js'

/** Which database engine is behind a {@link SampleDatabase}. */
export type Dialect = 'sqlite' | 'postgres'

/** An open, migrated database. */
export interface SampleDatabase {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** The better-sqlite3 handle, on SQLite only (bulk loads use prepared statements directly). */
  readonly sqlite?: SQLite.Database
  /** Closes the connection pool or file handle. */
  close(): Promise<void>
}

/** Options for {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /**
   * A PostgreSQL connection string. Default: the `DATABASE_URL` environment
   * variable; without it, SQLite is used.
   */
  readonly url?: string | undefined
  /** The SQLite file. Default `<dataDir>/felles.sqlite`; `':memory:'` for an in-memory database. */
  readonly sqliteFile?: string
  /** Folder for the SQLite file. Default `FELLES_DATA_DIR` or `.data` in the working directory. */
  readonly dataDir?: string
  /** PostgreSQL schema to use (created when missing); for isolated tests. Default `public`. */
  readonly schema?: string
  /** Pool size for PostgreSQL. Default 10. */
  readonly poolSize?: number
  /** Run the migrations (default `true`). */
  readonly migrate?: boolean
}

/**
 * Opens the sample municipality's database: SQLite (better-sqlite3, WAL mode)
 * by default, PostgreSQL when a URL is given or `DATABASE_URL` is set, with the
 * same code and migrations.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<SampleDatabase> {
  const url = options.url ?? process.env.DATABASE_URL
  let db: Kysely<Database>
  let dialect: Dialect
  let migrationTableSchema: string | undefined
  let handle: SQLite.Database | undefined
  if (url !== undefined && url !== '') {
    dialect = 'postgres'
    const schema = options.schema
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new TypeError('schema must be a lower-case SQL identifier')
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // A server keeps its connections: opening one costs a PostgreSQL backend (tens of ms), which a
      // request would otherwise wait for after every quiet spell of pg's default 10 s.
      idleTimeoutMillis: 5 * 60_000,
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    })
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    if (schema !== undefined) {
      await sql`create schema if not exists ${sql.id(schema)}`.execute(db)
      // Kysely looks its own tables up across schemas; name ours so that tests in parallel schemas don't meet.
      migrationTableSchema = schema
    }
  } else {
    dialect = 'sqlite'
    const file =
      options.sqliteFile ??
      resolve(
        options.dataDir ?? process.env.FELLES_DATA_DIR ?? resolve(process.cwd(), '.data'),
        'felles.sqlite',
      )
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true })
    const database = new SQLite(file)
    database.pragma('journal_mode = WAL')
    database.pragma('busy_timeout = 5000')
    database.pragma('foreign_keys = ON')
    handle = database
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) })
  }
  if (options.migrate !== false) {
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      allowUnorderedMigrations: true,
      ...(migrationTableSchema === undefined ? {} : { migrationTableSchema }),
    })
    const { error } = await migrator.migrateToLatest()
    if (error !== undefined) {
      await db.destroy()
      throw new Error('Database migration failed', { cause: error })
    }
  }
  return { db, dialect, ...(handle === undefined ? {} : { sqlite: handle }), close: () => db.destroy() }
}
