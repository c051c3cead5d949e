import type { Kysely, Selectable, Transaction } from 'kysely'
import type { Dialect } from './database.js'
import type { Database, OutboxTable } from './schema.js'

/** One unit of work in the outbox. */
export type OutboxItem = Selectable<OutboxTable>

/** Options for {@link createOutbox}. */
export interface OutboxOptions {
  /** The engine, for the claim strategy (`FOR UPDATE SKIP LOCKED` on PostgreSQL). */
  readonly dialect: Dialect
  /** The current time; injectable so tests never sleep. */
  readonly now?: () => Date
}

/** A durable outbox over the `outbox` table. */
export interface Outbox {
  /** Records work; pass the transaction of the change that caused it so both commit or neither. */
  enqueue(
    item: { id: string; kind: string; payload: unknown; availableAt?: Date },
    trx?: Transaction<Database>,
  ): Promise<void>
  /**
   * Claims up to `limit` due items for `workerId` with a lease. Items whose
   * lease expired (a crashed worker) are due again. Safe with several workers
   * on PostgreSQL (`FOR UPDATE SKIP LOCKED`); on SQLite the single writer lock
   * makes the claim atomic.
   */
  claim(
    workerId: string,
    options: { leaseMs: number; limit: number; kinds?: readonly string[] },
  ): Promise<OutboxItem[]>
  /**
   * Extends the lease of an item this worker holds (a heartbeat during long
   * work); `false` when the lease was lost, and the worker must stop: another
   * worker may have taken the item over.
   */
  extend(id: string, workerId: string, leaseMs: number): Promise<boolean>
  /** Marks an item done; `false` when this worker no longer holds it (lease lost). */
  complete(id: string, workerId: string): Promise<boolean>
  /** Gives an item back for a later attempt; `false` when this worker no longer holds it. */
  retryLater(id: string, workerId: string, options: { at: Date; error: string }): Promise<boolean>
  /** Gives up on an item for good; `false` when this worker no longer holds it. */
  fail(id: string, workerId: string, error: string): Promise<boolean>
  /** Counts per state, for dashboards and tests. */
  counts(): Promise<Record<OutboxTable['state'], number>>
}

/** Creates the outbox for a database opened with `openDatabase`. */
export function createOutbox(db: Kysely<Database>, options: OutboxOptions): Outbox {
  const now = options.now ?? (() => new Date())
  const iso = (date: Date): string => date.toISOString()

  const release = async (
    id: string,
    workerId: string,
    values: Partial<Pick<OutboxTable, 'state' | 'available_at' | 'last_error'>>,
  ): Promise<boolean> => {
    const result = await db
      .updateTable('outbox')
      .set({ ...values, claimed_by: null, lease_until: null, updated_at: iso(now()) })
      .where('id', '=', id)
      .where('state', '=', 'claimed')
      .where('claimed_by', '=', workerId)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  return {
    async enqueue(item, trx) {
      const at = iso(now())
      await (trx ?? db)
        .insertInto('outbox')
        .values({
          id: item.id,
          kind: item.kind,
          payload: JSON.stringify(item.payload),
          state: 'pending',
          attempts: 0,
          available_at: iso(item.availableAt ?? now()),
          claimed_by: null,
          lease_until: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })
        .execute()
    },

    async claim(workerId, { leaseMs, limit, kinds }) {
      const current = now()
      const at = iso(current)
      return db.transaction().execute(async (trx) => {
        let due = trx
          .selectFrom('outbox')
          .select('id')
          .where((eb) =>
            eb.or([
              eb.and([eb('state', '=', 'pending'), eb('available_at', '<=', at)]),
              eb.and([eb('state', '=', 'claimed'), eb('lease_until', '<', at)]),
            ]),
          )
          .orderBy('available_at')
          .limit(limit)
        if (kinds !== undefined) due = due.where('kind', 'in', kinds)
        if (options.dialect === 'postgres') due = due.forUpdate().skipLocked()
        const ids = (await due.execute()).map((row) => row.id)
        if (ids.length === 0) return []
        return trx
          .updateTable('outbox')
          .set((eb) => ({
            state: 'claimed',
            claimed_by: workerId,
            lease_until: iso(new Date(current.getTime() + leaseMs)),
            attempts: eb('attempts', '+', 1),
            updated_at: at,
          }))
          .where('id', 'in', ids)
          .returningAll()
          .execute()
      })
    },

    async extend(id, workerId, leaseMs) {
      const current = now()
      const result = await db
        .updateTable('outbox')
        .set({ lease_until: iso(new Date(current.getTime() + leaseMs)), updated_at: iso(current) })
        .where('id', '=', id)
        .where('state', '=', 'claimed')
        .where('claimed_by', '=', workerId)
        // An expired lease is not renewed: another worker may already be claiming it.
        .where('lease_until', '>=', iso(current))
        .executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    },

    complete: (id, workerId) => release(id, workerId, { state: 'done' }),
    retryLater: (id, workerId, { at, error }) =>
      release(id, workerId, { state: 'pending', available_at: iso(at), last_error: error.slice(0, 1000) }),
    fail: (id, workerId, error) =>
      release(id, workerId, { state: 'failed', last_error: error.slice(0, 1000) }),

    async counts() {
      const rows = await db
        .selectFrom('outbox')
        .select(['state', db.fn.countAll<number>().as('n')])
        .groupBy('state')
        .execute()
      const result = { pending: 0, claimed: 0, done: 0, failed: 0 }
      for (const row of rows) result[row.state] = Number(row.n)
      return result
    },
  }
}
