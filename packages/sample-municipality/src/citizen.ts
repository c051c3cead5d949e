// What Min side reads: a citizen's own cases and letters. Every query is
// scoped by the owner's national identity number, so another person's case
// or letter is simply not found.
import { CompiledQuery, type Kysely } from 'kysely'
import type { Dialect } from './database.js'
import type { Database } from './schema.js'

/** A case as Min side lists it (`data` is the case-status JSON). */
export interface CitizenCaseRow {
  readonly id: string
  readonly caseType: string
  readonly status: string
  readonly title: string
  readonly data: string
  readonly updatedAt: string
}

/** A letter as Min side lists it. */
export interface CitizenLetterRow {
  readonly id: string
  readonly caseId: string | null
  readonly title: string
  /** The id SvarUt gave the letter (`null` until sent). */
  readonly svarutId: string | null
  readonly status: string
  readonly phase: string
  readonly final: boolean
  readonly createdAt: string
  readonly updatedAt: string
}

/** A letter's document. */
export interface LetterDocument {
  readonly filnavn: string
  readonly mimeType: string
  readonly content: Uint8Array
}

/** A case as a list shows it before its data is needed: {@link CitizenCaseRow} without `data`. */
export type CitizenCaseHead = Omit<CitizenCaseRow, 'data'>

interface CaseListRow {
  id: string
  case_type: string
  status: string
  title: string
  updated_at: string
  data?: string
}

/** The citizen's case list, newest change first, with or without each case's data. */
function caseListQuery(db: Kysely<Database>, pid: string, limit: number, withData: boolean) {
  const columns = ['id', 'case_type', 'status', 'title', 'updated_at'] as const
  return db
    .selectFrom('cases')
    .select(withData ? [...columns, 'data'] : [...columns])
    .where('owner_pid', '=', pid)
    .orderBy('updated_at', 'desc')
    .limit(limit)
}

// The hottest queries of Min side: their SQL is compiled once per database and reused.
const caseListSql = new WeakMap<Kysely<Database>, { readonly withData: string; readonly heads: string }>()

async function selectCaseList(
  db: Kysely<Database>,
  pid: string,
  limit: number,
  withData: boolean,
): Promise<CaseListRow[]> {
  let sql = caseListSql.get(db)
  if (sql === undefined) {
    sql = {
      withData: caseListQuery(db, '', 0, true).compile().sql,
      heads: caseListQuery(db, '', 0, false).compile().sql,
    }
    caseListSql.set(db, sql)
  }
  const text = withData ? sql.withData : sql.heads
  return (await db.executeQuery<CaseListRow>(CompiledQuery.raw(text, [pid, limit]))).rows
}

const toHead = (r: CaseListRow): CitizenCaseHead => ({
  id: r.id,
  caseType: r.case_type,
  status: r.status,
  title: r.title,
  updatedAt: r.updated_at,
})

/**
 * The citizen's cases, most recently changed first (index `cases_owner_pid_updated`).
 *
 * @param db - The database.
 * @param pid - The logged-in person's national identity number.
 * @param limit - At most this many. Default 100.
 */
export async function listCitizenCases(
  db: Kysely<Database>,
  pid: string,
  limit = 100,
): Promise<CitizenCaseRow[]> {
  return (await selectCaseList(db, pid, limit, true)).map((r) => ({ ...toHead(r), data: r.data ?? '' }))
}

/**
 * The citizen's cases without their data, most recently changed first (index
 * `cases_owner_pid_updated`): for a list that keeps each case's rendering
 * until its `updatedAt` changes, and fetches the data of the others with
 * {@link getCitizenCaseData}. Far less to read and send per request than
 * {@link listCitizenCases}.
 *
 * @param db - The database.
 * @param pid - The logged-in person's national identity number.
 * @param limit - At most this many. Default 100.
 */
export async function listCitizenCaseHeads(
  db: Kysely<Database>,
  pid: string,
  limit = 100,
): Promise<CitizenCaseHead[]> {
  return (await selectCaseList(db, pid, limit, false)).map(toHead)
}

/**
 * The data (case-status JSON) and version of some of the citizen's cases, by id; ids
 * of cases that are not the citizen's are simply absent.
 *
 * @param db - The database.
 * @param pid - The logged-in person.
 * @param ids - Case ids, from {@link listCitizenCaseHeads}.
 */
export async function getCitizenCaseData(
  db: Kysely<Database>,
  pid: string,
  ids: readonly string[],
): Promise<Map<string, { readonly data: string; readonly updatedAt: string }>> {
  const out = new Map<string, { data: string; updatedAt: string }>()
  if (ids.length === 0) return out
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'data', 'updated_at'])
    .where('owner_pid', '=', pid)
    .where('id', 'in', [...ids])
    .execute()
  for (const r of rows) out.set(r.id, { data: r.data, updatedAt: r.updated_at })
  return out
}

/**
 * One of the citizen's cases; `undefined` when it does not exist or is someone else's.
 *
 * @param db - The database.
 * @param pid - The logged-in person.
 * @param id - The case id from the URL.
 */
export async function getCitizenCase(
  db: Kysely<Database>,
  pid: string,
  id: string,
): Promise<CitizenCaseRow | undefined> {
  const r = await db
    .selectFrom('cases')
    .select(['id', 'case_type', 'status', 'title', 'data', 'updated_at'])
    .where('id', '=', id)
    .where('owner_pid', '=', pid)
    .executeTakeFirst()
  return r === undefined
    ? undefined
    : {
        id: r.id,
        caseType: r.case_type,
        status: r.status,
        title: r.title,
        data: r.data,
        updatedAt: r.updated_at,
      }
}

const letterColumns = [
  'id',
  'case_id',
  'title',
  'svarut_id',
  'status',
  'phase',
  'final',
  'created_at',
  'updated_at',
] as const

function toLetter(r: {
  id: string
  case_id: string | null
  title: string
  svarut_id: string | null
  status: string
  phase: string
  final: number
  created_at: string
  updated_at: string
}): CitizenLetterRow {
  return {
    id: r.id,
    caseId: r.case_id,
    title: r.title,
    svarutId: r.svarut_id,
    status: r.status,
    phase: r.phase,
    final: Number(r.final) === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/**
 * The citizen's letters, newest first (index `letters_recipient_pid_created`).
 *
 * @param db - The database.
 * @param pid - The logged-in person.
 * @param options - `caseId` to list one case's letters; `limit` (default 100).
 */
export async function listCitizenLetters(
  db: Kysely<Database>,
  pid: string,
  options: { readonly caseId?: string; readonly limit?: number } = {},
): Promise<CitizenLetterRow[]> {
  let query = db
    .selectFrom('letters')
    .select([...letterColumns])
    .where('recipient_kind', '=', 'person')
    .where('recipient_pid', '=', pid)
  if (options.caseId !== undefined) query = query.where('case_id', '=', options.caseId)
  const rows = await query
    .orderBy('created_at', 'desc')
    .limit(options.limit ?? 100)
    .execute()
  return rows.map(toLetter)
}

/**
 * One of the citizen's letters; `undefined` when it is someone else's.
 *
 * @param db - The database.
 * @param pid - The logged-in person.
 * @param id - The letter id from the URL.
 */
export async function getCitizenLetter(
  db: Kysely<Database>,
  pid: string,
  id: string,
): Promise<CitizenLetterRow | undefined> {
  const r = await db
    .selectFrom('letters')
    .select([...letterColumns])
    .where('id', '=', id)
    .where('recipient_kind', '=', 'person')
    .where('recipient_pid', '=', pid)
    .executeTakeFirst()
  return r === undefined ? undefined : toLetter(r)
}

/**
 * A stored document of a letter (check ownership with {@link getCitizenLetter} first).
 *
 * @param db - The database.
 * @param letterId - The letter.
 * @param seq - Which document, from 0.
 */
export async function getLetterDocument(
  db: Kysely<Database>,
  letterId: string,
  seq = 0,
): Promise<LetterDocument | undefined> {
  const r = await db
    .selectFrom('letter_documents')
    .select(['filnavn', 'mime_type', 'content_base64'])
    .where('letter_id', '=', letterId)
    .where('seq', '=', seq)
    .executeTakeFirst()
  return r === undefined
    ? undefined
    : {
        filnavn: r.filnavn,
        mimeType: r.mime_type,
        content: new Uint8Array(Buffer.from(r.content_base64, 'base64')),
      }
}

/**
 * The query plans of Min side's list queries (EXPLAIN on SQLite, EXPLAIN on
 * PostgreSQL), to show that they use indexes.
 *
 * @param db - The database.
 * @param dialect - Which engine.
 * @param pid - A person to plan for.
 * @returns One entry per query: its name and plan lines.
 */
export async function explainCitizenQueries(
  db: Kysely<Database>,
  dialect: Dialect,
  pid: string,
): Promise<{ readonly query: string; readonly plan: readonly string[] }[]> {
  const queries = [
    ['case list', caseListQuery(db, pid, 100, false).compile()],
    [
      'case data for the list',
      db
        .selectFrom('cases')
        .select(['id', 'data', 'updated_at'])
        .where('owner_pid', '=', pid)
        .where('id', 'in', ['a', 'b'])
        .compile(),
    ],
    [
      'letter list',
      db
        .selectFrom('letters')
        .select([...letterColumns])
        .where('recipient_kind', '=', 'person')
        .where('recipient_pid', '=', pid)
        .orderBy('created_at', 'desc')
        .limit(100)
        .compile(),
    ],
    ['session lookup', db.selectFrom('sessions').select(['data']).where('id', '=', 'x').compile()],
  ] as const
  const out: { query: string; plan: string[] }[] = []
  for (const [name, compiled] of queries) {
    const prefix = dialect === 'sqlite' ? 'explain query plan ' : 'explain '
    const rows = (
      await db.executeQuery<Record<string, unknown>>({
        ...compiled,
        sql: prefix + compiled.sql,
      })
    ).rows
    out.push({
      query: name,
      plan: rows.map((r) =>
        dialect === 'sqlite'
          ? String(r.detail ?? JSON.stringify(r))
          : String(r['QUERY PLAN'] ?? JSON.stringify(r)),
      ),
    })
  }
  return out
}

/**
 * The name of a person in the municipality's register, for a greeting.
 *
 * @param db - The database.
 * @param pid - The logged-in person.
 * @returns Given and family name, or `undefined` when not registered.
 */
export async function getPersonName(
  db: Kysely<Database>,
  pid: string,
): Promise<{ readonly givenName: string; readonly familyName: string } | undefined> {
  const r = await db
    .selectFrom('persons')
    .select(['given_name', 'family_name'])
    .where('pid', '=', pid)
    .executeTakeFirst()
  return r === undefined ? undefined : { givenName: r.given_name, familyName: r.family_name }
}

/**
 * Whether a case id exists at all (to tell "someone else's" from "no such
 * case" in the security log; the answer to the user is 404 either way).
 *
 * @param db - The database.
 * @param id - The case id.
 */
export async function caseExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('cases').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}

/**
 * Whether a letter id exists at all (see {@link caseExists}).
 *
 * @param db - The database.
 * @param id - The letter id.
 */
export async function letterExists(db: Kysely<Database>, id: string): Promise<boolean> {
  return (await db.selectFrom('letters').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
}
