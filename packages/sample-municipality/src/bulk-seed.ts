// The benchmark's population: many synthetic citizens with cases, written in
// large multi-row batches inside transactions (fast on SQLite and PostgreSQL).
import { serializeCase } from '@felles/case-status'
import { createSyntheticGenerator } from '@felles/identifiers'
import { type Kysely, sql } from 'kysely'
import type { SampleDatabase } from './database.js'
import type { Database } from './schema.js'
import { buildCase, demoCaseSpecs, opaqueId } from './seed.js'

/** Options for {@link seedBulk}. */
export interface BulkSeedOptions {
  /** Citizens. Default 100 000. */
  readonly citizens?: number
  /** Cases, spread evenly over the citizens. Default 1 000 000. */
  readonly cases?: number
  /** Generator seed (the same seed gives the same people). Default `bulk`. */
  readonly seed?: string
  /** Called now and then with the number of cases written. */
  readonly onProgress?: (casesWritten: number) => void
}

/** What {@link seedBulk} did. */
export interface BulkSeedResult {
  /** Whether this call wrote the rows (false: the same seed had been run). */
  readonly seeded: boolean
  /** A few of the seeded citizens' national ids (for sessions in a benchmark). */
  readonly samplePids: readonly string[]
  readonly ms: number
}

const PLACEHOLDER_PID = '21879498012'
const PLACEHOLDER_ID = 'sak-placeholderplaceholder00000'

/**
 * Seeds `citizens` persons and `cases` cases once per (seed, counts) (recorded
 * in `seed_runs`). The case JSON comes from a few templates built through
 * `@felles/case-status` (received, in progress, decided), with each row's id
 * and owner put in.
 *
 * @param target - The database; pass the `SampleDatabase` for the fast paths (prepared statements on SQLite,
 *   `unnest` batches on PostgreSQL), a bare Kysely instance falls back to multi-row inserts.
 * @param options - Counts, seed, progress callback.
 * @returns Whether it seeded, sample persons, and the time taken.
 */
export async function seedBulk(
  target: Kysely<Database> | SampleDatabase,
  options: BulkSeedOptions = {},
): Promise<BulkSeedResult> {
  const started = performance.now()
  const db = 'db' in target ? target.db : target
  const sqlite = 'db' in target ? target.sqlite : undefined
  const dialect = 'db' in target ? target.dialect : undefined
  const citizens = options.citizens ?? 100_000
  const cases = options.cases ?? 1_000_000
  const seed = options.seed ?? 'bulk'
  const name = `bulk:${seed}:${citizens}:${cases}`
  const generator = createSyntheticGenerator({ seed })
  const pids: string[] = []
  const seen = new Set<string>()
  const people: { pid: string; given: string; family: string }[] = []
  while (people.length < citizens) {
    const p = generator.person()
    if (seen.has(p.nationalId)) continue
    seen.add(p.nationalId)
    people.push({ pid: p.nationalId, given: p.givenName, family: p.familyName })
    if (pids.length < 1000) pids.push(p.nationalId)
  }
  const done = await db.selectFrom('seed_runs').select('name').where('name', '=', name).executeTakeFirst()
  if (done !== undefined) return { seeded: false, samplePids: pids, ms: performance.now() - started }

  const now = Date.now()
  const specs = demoCaseSpecs(now)
  // Weights: mostly just-received cases, some in progress, some decided.
  const templates = [3, 3, 3, 3, 3, 3, 3, 3, 2, 1].map((i) => {
    const spec = specs[i] as (typeof specs)[number]
    const value = buildCase(PLACEHOLDER_ID, PLACEHOLDER_PID, 'Ola Nordmann', spec)
    return {
      json: serializeCase(value),
      caseType: spec.type.id,
      status: value.statusType ?? value.lifecycle,
      title: spec.title.nb ?? '',
      createdAt: value.startedAt,
    }
  })
  const createdAt = new Date(now).toISOString()
  const caseRow = (k: number) => {
    const person = people[k % people.length] as (typeof people)[number]
    const template = templates[k % templates.length] as (typeof templates)[number]
    const id = opaqueId('sak')
    return {
      id,
      owner_pid: person.pid,
      owner_orgnr: null,
      case_type: template.caseType,
      status: template.status,
      title: template.title,
      data: template.json.replaceAll(PLACEHOLDER_ID, id).replaceAll(PLACEHOLDER_PID, person.pid),
      created_at: template.createdAt,
      // Spread over the last ~year so the list order is real work.
      updated_at: new Date(now - (k % 360_000) * 87_000).toISOString(),
    }
  }
  if (sqlite !== undefined) {
    // SQLite: one prepared statement per table, reused for every row, in large transactions.
    const insertPerson = sqlite.prepare(
      'insert into persons (pid, given_name, family_name, address_line, postal_code, city, created_at) values (?, ?, ?, ?, ?, ?, ?) on conflict (pid) do nothing',
    )
    const insertCase = sqlite.prepare(
      'insert into cases (id, owner_pid, owner_orgnr, case_type, status, title, data, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    )
    sqlite.transaction(() => {
      people.forEach((p, k) => {
        insertPerson.run(p.pid, p.given, p.family, `Storgata ${k % 200}`, '5750', 'Fjellvik', createdAt)
      })
    })()
    for (let written = 0; written < cases; ) {
      const end = Math.min(cases, written + 100_000)
      sqlite.transaction(() => {
        for (let k = written; k < end; k++) {
          const r = caseRow(k)
          insertCase.run(
            r.id,
            r.owner_pid,
            r.owner_orgnr,
            r.case_type,
            r.status,
            r.title,
            r.data,
            r.created_at,
            r.updated_at,
          )
        }
      })()
      written = end
      options.onProgress?.(written)
    }
    await analyze(db)
    await db.insertInto('seed_runs').values({ name, created_at: createdAt }).execute()
    return { seeded: true, samplePids: pids, ms: performance.now() - started }
  }
  if (dialect === 'postgres') {
    // PostgreSQL: a few thousand rows per statement as column arrays through unnest (nine parameters per
    // statement instead of nine per row).
    for (let i = 0; i < people.length; i += 10_000) {
      const batch = people.slice(i, i + 10_000)
      await sql`insert into persons (pid, given_name, family_name, address_line, postal_code, city, created_at)
        select p, g, f, 'Storgata ' || (n % 200), '5750', 'Fjellvik', ${createdAt}
        from unnest(${batch.map((p) => p.pid)}::text[], ${batch.map((p) => p.given)}::text[],
          ${batch.map((p) => p.family)}::text[]) with ordinality as t(p, g, f, n)
        on conflict (pid) do nothing`.execute(db)
    }
    for (let written = 0; written < cases; ) {
      const end = Math.min(cases, written + 50_000)
      await db.transaction().execute(async (trx) => {
        for (let n = written; n < end; n += 5_000) {
          const rows: ReturnType<typeof caseRow>[] = []
          for (let k = n; k < Math.min(end, n + 5_000); k++) rows.push(caseRow(k))
          const col = <K extends keyof ReturnType<typeof caseRow>>(key: K) => rows.map((r) => r[key])
          await sql`insert into cases (id, owner_pid, owner_orgnr, case_type, status, title, data, created_at, updated_at)
            select * from unnest(${col('id')}::text[], ${col('owner_pid')}::text[], ${col('owner_orgnr')}::text[],
              ${col('case_type')}::text[], ${col('status')}::text[], ${col('title')}::text[], ${col('data')}::text[],
              ${col('created_at')}::text[], ${col('updated_at')}::text[])`.execute(trx)
        }
      })
      written = end
      options.onProgress?.(written)
    }
    await analyze(db)
    await db.insertInto('seed_runs').values({ name, created_at: createdAt }).execute()
    return { seeded: true, samplePids: pids, ms: performance.now() - started }
  }
  const PERSON_BATCH = 500
  for (let i = 0; i < people.length; i += PERSON_BATCH * 20) {
    await db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(people.length, i + PERSON_BATCH * 20); j += PERSON_BATCH) {
        await trx
          .insertInto('persons')
          .values(
            people.slice(j, j + PERSON_BATCH).map((p, k) => ({
              pid: p.pid,
              given_name: p.given,
              family_name: p.family,
              address_line: `Storgata ${(j + k) % 200}`,
              postal_code: '5750',
              city: 'Fjellvik',
              created_at: createdAt,
            })),
          )
          .onConflict((oc) => oc.column('pid').doNothing())
          .execute()
      }
    })
  }
  const CASE_BATCH = 400
  const PER_TRANSACTION = 50_000
  let written = 0
  while (written < cases) {
    const end = Math.min(cases, written + PER_TRANSACTION)
    await db.transaction().execute(async (trx) => {
      for (let n = written; n < end; n += CASE_BATCH) {
        const rows: ReturnType<typeof caseRow>[] = []
        for (let k = n; k < Math.min(end, n + CASE_BATCH); k++) rows.push(caseRow(k))
        await trx.insertInto('cases').values(rows).execute()
      }
    })
    written = end
    options.onProgress?.(written)
  }
  await analyze(db)
  await db.insertInto('seed_runs').values({ name, created_at: createdAt }).execute()
  return { seeded: true, samplePids: pids, ms: performance.now() - started }
}

// Fresh statistics, so the planner knows each owner has a handful of cases (not thousands).
async function analyze(db: Kysely<Database>): Promise<void> {
  await sql`analyze persons`.execute(db)
  await sql`analyze cases`.execute(db)
}
