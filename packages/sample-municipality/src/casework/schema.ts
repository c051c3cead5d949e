// Tables of the case officer's console (apps/saksbehandling): officers, case
// events, letter status history, unit costs of the benefits dashboard.
// Owned by the saksbehandling work; core tables live in ../schema.ts.

/** Tables added by the case officer's console. */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by the casework migrations
export interface CaseworkTables {}
