import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../schema.js'
import type { SchoolOnboardingTable, SchoolSvarutSendTable } from './schema.js'

/** One start-pack send. */
export type OnboardingRow = Selectable<SchoolOnboardingTable>

/** Records a start pack to send. */
export async function createOnboarding(
  db: Kysely<Database>,
  input: { id: string; schoolId: string; orgnr: string; eksternReferanse: string; createdBy: string },
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString()
  await db
    .insertInto('school_onboarding')
    .values({
      id: input.id,
      school_id: input.schoolId,
      orgnr: input.orgnr,
      ekstern_referanse: input.eksternReferanse,
      svarut_id: null,
      status: 'REGISTRERT',
      phase: 'pending',
      final: 0,
      attempts: 0,
      last_error: null,
      created_by: input.createdBy,
      created_at: at,
      updated_at: at,
    })
    .execute()
}

/** Updates a start pack's send state. */
export async function updateOnboarding(
  db: Kysely<Database>,
  id: string,
  patch: Partial<Pick<OnboardingRow, 'svarut_id' | 'status' | 'phase' | 'final' | 'last_error' | 'attempts'>>,
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('school_onboarding')
    .set({ ...patch, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

/** Start packs, newest first; of one school when given. */
export async function listOnboarding(db: Kysely<Database>, schoolId?: string): Promise<OnboardingRow[]> {
  let q = db.selectFrom('school_onboarding').selectAll()
  if (schoolId !== undefined) q = q.where('school_id', '=', schoolId)
  return q.orderBy('created_at', 'desc').orderBy('id').limit(200).execute()
}

/** One start pack by id. */
export async function findOnboarding(db: Kysely<Database>, id: string): Promise<OnboardingRow | undefined> {
  return db.selectFrom('school_onboarding').selectAll().where('id', '=', id).executeTakeFirst()
}

/** Start packs not yet at a final status. */
export async function openOnboarding(db: Kysely<Database>): Promise<OnboardingRow[]> {
  return db.selectFrom('school_onboarding').selectAll().where('final', '=', 0).orderBy('created_at').execute()
}

/** A record of SvarUt's send outbox (the shape of `@felles/svarut`'s `OutboxRecord`). */
export interface SvarutSendRecord {
  readonly eksternReferanse: string
  readonly kind: string
  readonly kontoId: string
  readonly state: string
  readonly id?: string
  readonly createdAt: number
  readonly updatedAt: number
}

const toRecord = (row: Selectable<SchoolSvarutSendTable>): SvarutSendRecord => ({
  eksternReferanse: row.ekstern_referanse,
  kind: row.kind,
  kontoId: row.konto_id,
  state: row.state,
  ...(row.svarut_id === null ? {} : { id: row.svarut_id }),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
})

/**
 * SvarUt's send outbox in the database (structurally `@felles/svarut`'s
 * `OutboxStore`): a send interrupted by a crash is looked up by its
 * `eksternReferanse` on restart instead of being sent twice.
 */
export function svarutSendStore(db: Kysely<Database>): {
  get(ref: string): Promise<SvarutSendRecord | undefined>
  put(record: SvarutSendRecord): Promise<void>
  pending(): Promise<SvarutSendRecord[]>
} {
  return {
    async get(ref) {
      const row = await db
        .selectFrom('school_svarut_sends')
        .selectAll()
        .where('ekstern_referanse', '=', ref)
        .executeTakeFirst()
      return row === undefined ? undefined : toRecord(row)
    },
    async put(record) {
      const values = {
        kind: record.kind,
        konto_id: record.kontoId,
        state: record.state,
        svarut_id: record.id ?? null,
        updated_at: record.updatedAt,
      }
      await db
        .insertInto('school_svarut_sends')
        .values({ ekstern_referanse: record.eksternReferanse, ...values, created_at: record.createdAt })
        .onConflict((oc) => oc.column('ekstern_referanse').doUpdateSet(values))
        .execute()
    },
    async pending() {
      const rows = await db
        .selectFrom('school_svarut_sends')
        .selectAll()
        .where('state', '=', 'pending')
        .execute()
      return rows.map(toRecord)
    },
  }
}
