import type { Migration } from 'kysely/migration'

/** Migrations of the school-tablet console; names start with `2`. */
export const schoolMigrations: Record<string, Migration> = {}
