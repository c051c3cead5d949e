// Tables of the school-tablet console (apps/skole-nettbrett): schools,
// inventory, sync state, audit log. Core tables live in ../schema.ts.

/** Tables added by the school-tablet console. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the schools migrations
export interface SchoolTables {}
