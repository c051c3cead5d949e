import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'
import type { SvarUtSendTable } from './schema.js'

/**
 * One send in the ledger; the same shape as `@felles/svarut`'s `OutboxRecord`
 * (the data layer does not depend on the client, so it is spelled out here).
 */
export interface SvarUtSendRecord {
  readonly eksternReferanse: string
  readonly kind: 'person' | 'organisasjon' | 'nhn' | 'print'
  readonly kontoId: string
  readonly state: SvarUtSendTable['state']
  readonly id?: string
  readonly createdAt: number
  readonly updatedAt: number
}

/** The ledger as `@felles/svarut`'s `OutboxStore`: `get`, `put`, `pending`. */
export interface SvarUtSendStore {
  get(eksternReferanse: string): Promise<SvarUtSendRecord | undefined>
  put(record: SvarUtSendRecord): Promise<void>
  pending(): Promise<SvarUtSendRecord[]>
}

const toRecord = (row: SvarUtSendTable): SvarUtSendRecord => ({
  eksternReferanse: row.ekstern_referanse,
  kind: row.kind as SvarUtSendRecord['kind'],
  kontoId: row.konto_id,
  state: row.state,
  ...(row.svarut_id === null ? {} : { id: row.svarut_id }),
  createdAt: Number(row.created_ms),
  updatedAt: Number(row.updated_ms),
})

/**
 * A durable `OutboxStore` for `createSvarUtClient({ outbox })` on the
 * `svarut_sends` table: every write is committed before it resolves, so a
 * worker killed mid-upload leaves `pending` behind and the next one looks the
 * reference up before sending again. A `sent` record is never downgraded.
 */
export function createSvarUtSendStore(db: Kysely<Database>): SvarUtSendStore {
  return {
    async get(ref) {
      const row = await db
        .selectFrom('svarut_sends')
        .selectAll()
        .where('ekstern_referanse', '=', ref)
        .executeTakeFirst()
      return row ? toRecord(row) : undefined
    },
    async put(record) {
      const values = {
        ekstern_referanse: record.eksternReferanse,
        kind: record.kind,
        konto_id: record.kontoId,
        state: record.state,
        svarut_id: record.id ?? null,
        created_ms: record.createdAt,
        updated_ms: record.updatedAt,
      }
      await db
        .insertInto('svarut_sends')
        .values(values)
        .onConflict((oc) =>
          oc
            .column('ekstern_referanse')
            .doUpdateSet({ state: values.state, svarut_id: values.svarut_id, updated_ms: values.updated_ms })
            // Once SvarUt's id is known, nothing may forget it.
            .where('svarut_sends.state', '!=', 'sent'),
        )
        .execute()
    },
    async pending() {
      const rows = await db.selectFrom('svarut_sends').selectAll().where('state', '=', 'pending').execute()
      return rows.map(toRecord)
    },
  }
}
