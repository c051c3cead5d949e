import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../schema.js'
import type { SchoolAuditTable } from './schema.js'

/** One audit entry. */
export type AuditRow = Selectable<SchoolAuditTable>

/** What is known before the vendor is called. */
export interface AuditStart {
  readonly id: string
  readonly schoolId: string
  readonly actorId: string
  readonly actorName: string
  readonly actorRole: string
  readonly action: string
  readonly deviceId: string
  readonly deviceSerial: string | null
  readonly reason: string
  readonly bulkId?: string | null | undefined
}

/**
 * Writes the entry as `pending` before anything is sent, so an action whose
 * answer never comes (crash, outage) still leaves its trace.
 */
export async function beginAudit(
  db: Kysely<Database>,
  entry: AuditStart,
  now: Date = new Date(),
): Promise<void> {
  await beginAuditMany(db, [entry], now)
}

/** {@link beginAudit} for many entries in one transaction. */
export async function beginAuditMany(
  db: Kysely<Database>,
  entries: readonly AuditStart[],
  now: Date = new Date(),
): Promise<void> {
  if (entries.length === 0) return
  const at = now.toISOString()
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < entries.length; i += 300) {
      await trx
        .insertInto('school_audit')
        .values(
          entries.slice(i, i + 300).map((e) => ({
            id: e.id,
            at,
            school_id: e.schoolId,
            actor_id: e.actorId,
            actor_name: e.actorName,
            actor_role: e.actorRole,
            action: e.action,
            device_id: e.deviceId,
            device_serial: e.deviceSerial,
            reason: e.reason,
            outcome: 'pending',
            vendor_command_id: null,
            command_state: null,
            error_code: null,
            error_message: null,
            bulk_id: e.bulkId ?? null,
            updated_at: at,
          })),
        )
        .execute()
    }
  })
}

/** The vendor's answer to an audited action. */
export interface AuditOutcome {
  readonly outcome: string
  readonly commandId?: string | null | undefined
  readonly errorCode?: string | null | undefined
  readonly errorMessage?: string | null | undefined
}

/** Completes an entry written by {@link beginAudit}. */
export async function completeAudit(
  db: Kysely<Database>,
  id: string,
  outcome: AuditOutcome,
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('school_audit')
    .set({
      outcome: outcome.outcome,
      vendor_command_id: outcome.commandId ?? null,
      command_state: outcome.commandId ? 'pending' : null,
      error_code: outcome.errorCode ?? null,
      error_message: outcome.errorMessage?.slice(0, 500) ?? null,
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/** Records the latest known state of the vendor command behind an entry. */
export async function setCommandState(
  db: Kysely<Database>,
  id: string,
  state: string,
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('school_audit')
    .set({ command_state: state, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** Filters of the audit log. */
export interface AuditFilter {
  /** The schools the caller may see; required. */
  readonly schoolIds: readonly string[]
  readonly deviceId?: string | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/** Audit entries of the given schools, newest first. */
export async function listAudit(db: Kysely<Database>, filter: AuditFilter): Promise<AuditRow[]> {
  if (filter.schoolIds.length === 0) return []
  let q = db.selectFrom('school_audit').selectAll().where('school_id', 'in', filter.schoolIds)
  if (filter.deviceId !== undefined) q = q.where('device_id', '=', filter.deviceId)
  return q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute()
}

/** One entry, only when it belongs to one of the given schools. */
export async function findAudit(
  db: Kysely<Database>,
  schoolIds: readonly string[],
  id: string,
): Promise<AuditRow | undefined> {
  if (schoolIds.length === 0) return undefined
  return db
    .selectFrom('school_audit')
    .selectAll()
    .where('id', '=', id)
    .where('school_id', 'in', schoolIds)
    .executeTakeFirst()
}

/** Entries whose vendor command is still open (queued, not yet completed or failed). */
export async function openCommands(db: Kysely<Database>, schoolIds: readonly string[]): Promise<AuditRow[]> {
  if (schoolIds.length === 0) return []
  return db
    .selectFrom('school_audit')
    .selectAll()
    .where('school_id', 'in', schoolIds)
    .where('vendor_command_id', 'is not', null)
    .where('command_state', 'in', ['pending', 'sent', 'acknowledged'])
    .orderBy('at')
    .limit(200)
    .execute()
}
