import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Database } from '../schema.js'
import { type DeviceRow, upsertDevicesIn } from './devices.js'
import type { SchoolSyncStateTable } from './schema.js'

/** Sync progress of one vendor. */
export type SyncStateRow = Selectable<SchoolSyncStateTable>

/** The sync state of every vendor that has one. */
export async function listSyncStates(db: Kysely<Database>): Promise<SyncStateRow[]> {
  return db.selectFrom('school_sync_state').selectAll().orderBy('vendor').execute()
}

/** The sync state of one vendor. */
export async function getSyncState(db: Kysely<Database>, vendor: string): Promise<SyncStateRow | undefined> {
  return db.selectFrom('school_sync_state').selectAll().where('vendor', '=', vendor).executeTakeFirst()
}

/** Starts a new run for a vendor (from the first page). */
export async function startSyncRun(
  db: Kysely<Database>,
  vendor: string,
  runId: string,
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString()
  const values = {
    run_id: runId,
    state: 'running' as const,
    cursor: null,
    pages: 0,
    devices_seen: 0,
    devices_removed: 0,
    started_at: at,
    updated_at: at,
    finished_at: null,
    last_error: null,
  }
  await db
    .insertInto('school_sync_state')
    .values({ vendor, ...values, last_success_at: null })
    .onConflict((oc) => oc.column('vendor').doUpdateSet(values))
    .execute()
}

/**
 * Stores one page of a run: its devices and the cursor of the next page, in one
 * transaction, so a run that crashes resumes exactly after the last stored page.
 * Returns `false` (and stores nothing) when the run is no longer the vendor's current one.
 */
export async function storeSyncPage(
  db: Kysely<Database>,
  vendor: string,
  runId: string,
  page: { rows: readonly DeviceRow[]; cursor: string | null },
  now: Date = new Date(),
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const ok = await recordSyncPage(
      trx,
      vendor,
      runId,
      { cursor: page.cursor, devices: page.rows.length },
      now,
    )
    if (ok) await upsertDevicesIn(trx, page.rows)
    return ok
  })
}

/** Records that a page was stored: the cursor of the next page and the counts so far. */
export async function recordSyncPage(
  db: Kysely<Database> | Transaction<Database>,
  vendor: string,
  runId: string,
  progress: { cursor: string | null; devices: number },
  now: Date = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('school_sync_state')
    .set((eb) => ({
      cursor: progress.cursor,
      pages: eb('pages', '+', 1),
      devices_seen: eb('devices_seen', '+', progress.devices),
      updated_at: now.toISOString(),
    }))
    .where('vendor', '=', vendor)
    .where('run_id', '=', runId)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** Ends a run. */
export async function finishSyncRun(
  db: Kysely<Database>,
  vendor: string,
  runId: string,
  outcome: { state: 'done'; removed: number } | { state: 'failed'; error: string },
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString()
  await db
    .updateTable('school_sync_state')
    .set(
      outcome.state === 'done'
        ? {
            state: 'done',
            cursor: null,
            devices_removed: outcome.removed,
            finished_at: at,
            last_success_at: at,
            updated_at: at,
            last_error: null,
          }
        : { state: 'failed', last_error: outcome.error.slice(0, 500), updated_at: at },
    )
    .where('vendor', '=', vendor)
    .where('run_id', '=', runId)
    .execute()
}
