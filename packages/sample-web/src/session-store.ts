import type { SessionRecord, SessionStore } from '@felles/id-porten'
import type { Database } from '@felles/sample-municipality'
import { CompiledQuery, type Kysely } from 'kysely'

/** Options for {@link SqlSessionStore}. */
export interface SqlSessionStoreOptions {
  /** Clock in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** How often expired rows are swept, in ms; 0 turns the timer off. Default 5 minutes. */
  readonly sweepIntervalMs?: number
}

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * A {@link SessionStore} over the sample municipality's `sessions` table
 * (indexed by `sid` for front-channel logout) and `one_time_keys`, on SQLite
 * or PostgreSQL. Sessions survive restarts; expired rows are swept on a timer
 * and ignored on read. Session rows hold tokens: the table is as secret as the
 * cookie secret.
 *
 * @example
 * ```ts
 * const store = new SqlSessionStore(database.db)
 * const auth = await createIdPorten({ ...options, store })
 * ```
 */
export class SqlSessionStore implements SessionStore {
  readonly #db: Kysely<Database>
  readonly #now: () => number
  readonly #getSql: string
  #timer: ReturnType<typeof setInterval> | undefined

  /**
   * @param db - The open database (migrated: needs migration `0002_web_sessions`).
   * @param options - Clock and sweep interval.
   */
  constructor(db: Kysely<Database>, options: SqlSessionStoreOptions = {}) {
    this.#db = db
    this.#now = options.now ?? Date.now
    this.#getSql = db
      .selectFrom('sessions')
      .select(['data', 'last_seen_at', 'idle_expires_at'])
      .where('id', '=', '')
      .compile().sql
    const every = options.sweepIntervalMs ?? 5 * 60_000
    if (every > 0) {
      this.#timer = setInterval(() => {
        this.sweep().catch(() => {
          // the next round tries again; a closed database ends with close()
        })
      }, every)
      this.#timer.unref()
    }
  }

  /** {@inheritDoc SessionStore.get} */
  async get(id: string): Promise<SessionRecord | undefined> {
    // Every request reads its session: the SQL is compiled once.
    const { rows } = await this.#db.executeQuery<{
      data: string
      last_seen_at: string | null
      idle_expires_at: string
    }>(CompiledQuery.raw(this.#getSql, [id]))
    const row = rows[0]
    if (row === undefined) return undefined
    if (row.idle_expires_at <= iso(this.#now())) {
      await this.delete(id)
      return undefined
    }
    const record = JSON.parse(row.data) as SessionRecord
    if (row.last_seen_at === null) return record
    const lastSeenAt = Date.parse(row.last_seen_at)
    return lastSeenAt === record.lastSeenAt ? record : { ...record, lastSeenAt }
  }

  /** {@inheritDoc SessionStore.set} */
  async set(record: SessionRecord, expiresAt: number): Promise<void> {
    const values = {
      id: record.id,
      sid: record.sid ?? null,
      data: JSON.stringify(record),
      idle_expires_at: iso(expiresAt),
      absolute_expires_at: iso(expiresAt),
      created_at: iso(record.createdAt),
      last_seen_at: iso(record.lastSeenAt),
    }
    await this.#db
      .insertInto('sessions')
      .values(values)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          sid: values.sid,
          data: values.data,
          idle_expires_at: values.idle_expires_at,
          absolute_expires_at: values.absolute_expires_at,
          last_seen_at: values.last_seen_at,
        }),
      )
      .execute()
  }

  /** {@inheritDoc SessionStore.touch} */
  async touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.#db
      .updateTable('sessions')
      .set({ last_seen_at: iso(lastSeenAt), idle_expires_at: iso(expiresAt) })
      .where('id', '=', id)
      .execute()
  }

  /** {@inheritDoc SessionStore.delete} */
  async delete(id: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('id', '=', id).execute()
  }

  /** {@inheritDoc SessionStore.findIdsBySid} */
  async findIdsBySid(sid: string): Promise<readonly string[]> {
    const rows = await this.#db.selectFrom('sessions').select('id').where('sid', '=', sid).execute()
    return rows.map((r) => r.id)
  }

  /** {@inheritDoc SessionStore.consume} */
  async consume(key: string, expiresAt: number): Promise<boolean> {
    const now = iso(this.#now())
    // Insert, or take over a key whose time has run out; a live key makes this a no-op.
    const result = await this.#db
      .insertInto('one_time_keys')
      .values({ key, expires_at: iso(expiresAt) })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ expires_at: iso(expiresAt) })
          .where('one_time_keys.expires_at', '<=', now),
      )
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0
  }

  /**
   * Deletes expired sessions and one-time keys.
   *
   * @returns How many rows went.
   */
  async sweep(): Promise<number> {
    const now = iso(this.#now())
    const a = await this.#db.deleteFrom('sessions').where('idle_expires_at', '<=', now).executeTakeFirst()
    const b = await this.#db.deleteFrom('one_time_keys').where('expires_at', '<=', now).executeTakeFirst()
    return Number(a.numDeletedRows) + Number(b.numDeletedRows)
  }

  /** Stops the sweep timer (the database stays open). */
  close(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    this.#timer = undefined
  }
}
