export type { SchoolTables } from './schema.js'
