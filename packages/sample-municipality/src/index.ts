export { type BulkSeedOptions, type BulkSeedResult, seedBulk } from './bulk-seed.js'
export {
  type CitizenCaseHead,
  type CitizenCaseRow,
  type CitizenLetterRow,
  caseExists,
  explainCitizenQueries,
  getCitizenCase,
  getCitizenCaseData,
  getCitizenLetter,
  getLetterDocument,
  getPersonName,
  type LetterDocument,
  letterExists,
  listCitizenCaseHeads,
  listCitizenCases,
  listCitizenLetters,
} from './citizen.js'
export { type Dialect, type OpenDatabaseOptions, openDatabase, type SampleDatabase } from './database.js'
export { migrations } from './migrations.js'
export { createOutbox, type Outbox, type OutboxItem, type OutboxOptions } from './outbox.js'
export { simplePdf } from './pdf.js'
export type {
  CaseTable,
  Database,
  LetterTable,
  OneTimeKeyTable,
  OrganisationTable,
  OutboxTable,
  PersonTable,
  SessionTable,
} from './schema.js'
export {
  buildCase,
  DEMO_CASE_TYPES,
  DEMO_OFFICERS,
  type DemoPerson,
  demoCaseSpecs,
  opaqueId,
  type SeedDemoOptions,
  seedDemo,
} from './seed.js'
export {
  openTestDatabase,
  postgresAvailable,
  TEST_DATABASE_URL,
  type TestDatabase,
} from './testing.js'
