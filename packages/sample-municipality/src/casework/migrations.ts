import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/** Migrations of the case officer's console; names start with `1`. */
export const caseworkMigrations: Record<string, Migration> = {
  '1001_casework': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('officers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('pid', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('orgnr', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('case_work')
        .addColumn('case_id', 'text', (c) => c.primaryKey())
        .addColumn('officer_id', 'text')
        .addColumn('due_date', 'text')
        .addColumn('lifecycle', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('case_work_officer').on('case_work').column('officer_id').execute()
      await db.schema
        .createIndex('case_work_due')
        .on('case_work')
        .columns(['due_date', 'lifecycle'])
        .execute()
      await db.schema
        .createTable('letter_documents')
        .addColumn('letter_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('filnavn', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('content_base64', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('letter_documents_pk', ['letter_id', 'seq'])
        .execute()
      await db.schema
        .createTable('letter_tracking')
        .addColumn('letter_id', 'text', (c) => c.primaryKey())
        .addColumn('letter_kind', 'text', (c) => c.notNull())
        .addColumn('queued_by', 'text')
        .addColumn('queued_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('read_at', 'text')
        .addColumn('printed_at', 'text')
        .addColumn('failed_at', 'text')
        .addColumn('delivery', 'text')
        .addColumn('send_errors', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .execute()
      await db.schema.createIndex('letter_tracking_sent').on('letter_tracking').column('sent_at').execute()
      await db.schema
        .createTable('svarut_sends')
        .addColumn('ekstern_referanse', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('konto_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('svarut_id', 'text')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('updated_ms', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('svarut_sends_state').on('svarut_sends').column('state').execute()
      await db.schema
        .createTable('letter_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('letter_id', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('regression', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('letter_events_letter').on('letter_events').column('letter_id').execute()
      await db.schema
        .createIndex('letter_events_case')
        .on('letter_events')
        .columns(['case_id', 'at'])
        .execute()
      await db.schema
        .createTable('unit_costs')
        .addColumn('channel', 'text', (c) => c.primaryKey())
        .addColumn('cost_ore', 'integer', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      // Open letters are what the status poller reads on every round.
      await db.schema.createIndex('letters_open').on('letters').columns(['final', 'svarut_id']).execute()
    },
  },
}
