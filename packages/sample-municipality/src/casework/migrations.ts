import type { Migration } from 'kysely/migration'

/** Migrations of the case officer's console; names start with `1`. */
export const caseworkMigrations: Record<string, Migration> = {}
