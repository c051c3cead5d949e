export { type Dialect, type OpenDatabaseOptions, openDatabase, type SampleDatabase } from './database.js'
export { migrations } from './migrations.js'
export { createOutbox, type Outbox, type OutboxItem, type OutboxOptions } from './outbox.js'
export type {
  CaseTable,
  Database,
  LetterTable,
  OrganisationTable,
  OutboxTable,
  PersonTable,
  SessionTable,
} from './schema.js'
