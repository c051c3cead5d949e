import type { Kysely, Transaction } from 'kysely'
import type { CaseTable, Database } from '../schema.js'

/** A case row as stored: the case model's JSON plus the columns derived from it. */
export interface CaseRecord {
  readonly id: string
  readonly ownerPid: string | null
  readonly ownerOrgnr: string | null
  readonly caseType: string
  /** The current status type code. */
  readonly status: string
  readonly title: string
  /** The `@felles/case-status` case, serialised. */
  readonly data: string
  readonly createdAt: string
  readonly updatedAt: string
}

/** The console's own index of a case (see `case_work`). */
export interface CaseWork {
  readonly officerId: string | null
  readonly dueDate: string | null
  readonly lifecycle: string
}

const toRecord = (row: CaseTable): CaseRecord => ({
  id: row.id,
  ownerPid: row.owner_pid,
  ownerOrgnr: row.owner_orgnr,
  caseType: row.case_type,
  status: row.status,
  title: row.title,
  data: row.data,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
})

/**
 * Inserts or replaces a case and its index row in one transaction. With
 * `expectedUpdatedAt` the write only happens when nobody changed the case
 * since it was read (optimistic locking).
 *
 * @returns `false` when `expectedUpdatedAt` no longer matches.
 */
export async function saveCase(
  db: Kysely<Database>,
  record: CaseRecord,
  work: CaseWork,
  options: { readonly expectedUpdatedAt?: string; readonly trx?: Transaction<Database> } = {},
): Promise<boolean> {
  const run = async (trx: Transaction<Database>): Promise<boolean> => {
    const values = {
      id: record.id,
      owner_pid: record.ownerPid,
      owner_orgnr: record.ownerOrgnr,
      case_type: record.caseType,
      status: record.status,
      title: record.title,
      data: record.data,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
    }
    if (options.expectedUpdatedAt === undefined) {
      await trx.insertInto('cases').values(values).execute()
    } else {
      const result = await trx
        .updateTable('cases')
        .set({ status: values.status, title: values.title, data: values.data, updated_at: values.updated_at })
        .where('id', '=', record.id)
        .where('updated_at', '=', options.expectedUpdatedAt)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) return false
    }
    await trx
      .insertInto('case_work')
      .values({
        case_id: record.id,
        officer_id: work.officerId,
        due_date: work.dueDate,
        lifecycle: work.lifecycle,
        updated_at: record.updatedAt,
      })
      .onConflict((oc) =>
        oc.column('case_id').doUpdateSet({
          officer_id: work.officerId,
          due_date: work.dueDate,
          lifecycle: work.lifecycle,
          updated_at: record.updatedAt,
        }),
      )
      .execute()
    return true
  }
  return options.trx ? run(options.trx) : db.transaction().execute(run)
}

/** One case, with the console's index row when it has one. */
export async function getCase(
  db: Kysely<Database>,
  id: string,
): Promise<{ record: CaseRecord; work: CaseWork | undefined } | undefined> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) return undefined
  const work = await db.selectFrom('case_work').selectAll().where('case_id', '=', id).executeTakeFirst()
  return {
    record: toRecord(row),
    work: work
      ? { officerId: work.officer_id, dueDate: work.due_date, lifecycle: work.lifecycle }
      : undefined,
  }
}

/** Filters of the case list. */
export interface CaseFilter {
  readonly caseType?: string
  readonly lifecycle?: string
  /** Only cases assigned to this officer. */
  readonly officerId?: string
  /** Only cases whose deadline (an Oslo date) is before this date and that are still open. */
  readonly overdueOn?: string
  readonly limit?: number
  readonly offset?: number
}

const OPEN = ['received', 'in_progress', 'awaiting_citizen', 'awaiting_other'] as const

/** A page of cases for the officer's list, most recently changed first. */
export async function listCases(
  db: Kysely<Database>,
  filter: CaseFilter = {},
): Promise<{ record: CaseRecord; work: CaseWork | undefined }[]> {
  let query = db
    .selectFrom('cases')
    .leftJoin('case_work', 'case_work.case_id', 'cases.id')
    .selectAll('cases')
    .select(['case_work.officer_id', 'case_work.due_date', 'case_work.lifecycle'])
  if (filter.caseType) query = query.where('cases.case_type', '=', filter.caseType)
  if (filter.lifecycle) query = query.where('case_work.lifecycle', '=', filter.lifecycle)
  if (filter.officerId) query = query.where('case_work.officer_id', '=', filter.officerId)
  if (filter.overdueOn) {
    query = query
      .where('case_work.due_date', '<', filter.overdueOn)
      .where('case_work.lifecycle', 'in', [...OPEN])
  }
  const rows = await query
    .orderBy('cases.updated_at', 'desc')
    .orderBy('cases.id')
    .limit(filter.limit ?? 100)
    .offset(filter.offset ?? 0)
    .execute()
  return rows.map((row) => ({
    record: toRecord(row),
    work:
      row.lifecycle === null
        ? undefined
        : { officerId: row.officer_id, dueDate: row.due_date, lifecycle: row.lifecycle },
  }))
}
