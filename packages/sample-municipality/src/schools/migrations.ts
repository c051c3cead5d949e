import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/** Migrations of the school-tablet console; names start with `2`. */
export const schoolMigrations: Record<string, Migration> = {
  '2001_schools': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('schools')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('orgnr', 'text', (c) => c.unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('address_line', 'text')
        .addColumn('postal_code', 'text')
        .addColumn('city', 'text')
        .addColumn('it_contact_name', 'text')
        .addColumn('it_contact_email', 'text')
        .addColumn('it_contact_phone', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('school_admins')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('school_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('school_admins_pk', ['subject_kind', 'subject', 'role', 'school_id'])
        .execute()

      await db.schema
        .createTable('school_devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('vendor', 'text', (c) => c.notNull())
        .addColumn('vendor_id', 'text', (c) => c.notNull())
        .addColumn('school_id', 'text')
        .addColumn('serial_number', 'text')
        .addColumn('name', 'text')
        .addColumn('model', 'text')
        .addColumn('platform', 'text', (c) => c.notNull())
        .addColumn('os_version', 'text')
        .addColumn('device_group', 'text')
        .addColumn('owner', 'text')
        .addColumn('compliance', 'text', (c) => c.notNull())
        .addColumn('lost_mode', 'integer')
        .addColumn('supervised', 'integer')
        .addColumn('managed', 'integer', (c) => c.notNull())
        .addColumn('last_check_in', 'text')
        .addColumn('enrolled_at', 'text')
        .addColumn('sync_run', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      // The fleet page: one school, ordered by name, filtered by platform, class, compliance, last seen.
      await db.schema
        .createIndex('school_devices_school_name')
        .on('school_devices')
        .columns(['school_id', 'name', 'id'])
        .execute()
      await db.schema
        .createIndex('school_devices_school_platform')
        .on('school_devices')
        .columns(['school_id', 'platform', 'name'])
        .execute()
      await db.schema
        .createIndex('school_devices_school_group')
        .on('school_devices')
        .columns(['school_id', 'device_group'])
        .execute()
      await db.schema
        .createIndex('school_devices_school_compliance')
        .on('school_devices')
        .columns(['school_id', 'compliance'])
        .execute()
      await db.schema
        .createIndex('school_devices_school_seen')
        .on('school_devices')
        .columns(['school_id', 'last_check_in'])
        .execute()
      await db.schema
        .createIndex('school_devices_serial')
        .on('school_devices')
        .columns(['serial_number'])
        .execute()
      // Sweeping devices a completed run did not see.
      await db.schema
        .createIndex('school_devices_vendor_run')
        .on('school_devices')
        .columns(['vendor', 'sync_run'])
        .execute()

      await db.schema
        .createTable('school_sync_state')
        .addColumn('vendor', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('cursor', 'text')
        .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('devices_seen', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('devices_removed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('started_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('last_success_at', 'text')
        .addColumn('last_error', 'text')
        .execute()

      await db.schema
        .createTable('school_audit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('school_id', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('actor_role', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('device_serial', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('vendor_command_id', 'text')
        .addColumn('command_state', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('bulk_id', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('school_audit_school_at')
        .on('school_audit')
        .columns(['school_id', 'at'])
        .execute()
      await db.schema
        .createIndex('school_audit_device_at')
        .on('school_audit')
        .columns(['device_id', 'at'])
        .execute()

      await db.schema
        .createTable('school_onboarding')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('school_id', 'text', (c) => c.notNull())
        .addColumn('orgnr', 'text', (c) => c.notNull())
        .addColumn('ekstern_referanse', 'text', (c) => c.notNull().unique())
        .addColumn('svarut_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('final', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('school_onboarding_school')
        .on('school_onboarding')
        .columns(['school_id', 'created_at'])
        .execute()
      await db.schema
        .createIndex('school_onboarding_open')
        .on('school_onboarding')
        .columns(['final', 'updated_at'])
        .execute()

      await db.schema
        .createTable('school_svarut_sends')
        .addColumn('ekstern_referanse', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('konto_id', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('svarut_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
    },
  },
}
