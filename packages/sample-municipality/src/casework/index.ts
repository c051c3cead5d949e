export type { CaseworkTables } from './schema.js'
