import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import { caseworkMigrations } from './casework/migrations.js'
import { schoolMigrations } from './schools/migrations.js'

// One set of migrations for SQLite and PostgreSQL: portable types only (text,
// integer), timestamps as ISO 8601 UTC text, which sorts correctly in both.
// Names: core `0…`, casework (saksbehandling) `1…`, schools (skole-nettbrett)
// `2…`. Each group only adds its own tables or columns, so unordered runs are allowed.
const coreMigrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('persons')
        .addColumn('pid', 'text', (c) => c.primaryKey())
        .addColumn('given_name', 'text', (c) => c.notNull())
        .addColumn('family_name', 'text', (c) => c.notNull())
        .addColumn('address_line', 'text', (c) => c.notNull())
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('organisations')
        .addColumn('orgnr', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner_pid', 'text')
        .addColumn('owner_orgnr', 'text')
        .addColumn('case_type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('cases_owner_pid_updated')
        .on('cases')
        .columns(['owner_pid', 'updated_at'])
        .execute()
      await db.schema.createIndex('cases_status').on('cases').columns(['case_type', 'status']).execute()
      await db.schema
        .createTable('letters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text')
        .addColumn('recipient_kind', 'text', (c) => c.notNull())
        .addColumn('recipient_pid', 'text')
        .addColumn('recipient_orgnr', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('ekstern_referanse', 'text', (c) => c.notNull().unique())
        .addColumn('svarut_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('letters_recipient_pid_created')
        .on('letters')
        .columns(['recipient_pid', 'created_at'])
        .execute()
      await db.schema.createIndex('letters_case').on('letters').column('case_id').execute()
      await db.schema
        .createTable('outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('available_at', 'text', (c) => c.notNull())
        .addColumn('claimed_by', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'available_at']).execute()
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('sid', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('idle_expires_at', 'text', (c) => c.notNull())
        .addColumn('absolute_expires_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('sessions_sid').on('sessions').column('sid').execute()
      await db.schema
        .createTable('seed_runs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
    },
  },
  // Web sessions: activity kept in its own column (touch without rewriting the JSON), expiry
  // swept by index, and one-time keys (a login's `state` used once across app restarts).
  '0002_web_sessions': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute()
      await db.schema.createIndex('sessions_idle_expires').on('sessions').column('idle_expires_at').execute()
      await db.schema
        .createTable('one_time_keys')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('one_time_keys_expires').on('one_time_keys').column('expires_at').execute()
    },
  },
}

/** Every migration of the sample municipality, core first. */
export const migrations: Record<string, Migration> = {
  ...coreMigrations,
  ...caseworkMigrations,
  ...schoolMigrations,
}
