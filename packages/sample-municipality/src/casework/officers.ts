import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'
import type { OfficerTable } from './schema.js'

/** An officer of the console (the `pid` is not part of it: it never leaves the data layer). */
export interface Officer {
  readonly id: string
  readonly name: string
  readonly orgnr: string
  readonly role: OfficerTable['role']
}

/** The officer with this Ansattporten `pid` in this organisation, if any. */
export async function findOfficer(
  db: Kysely<Database>,
  query: { readonly pid: string; readonly orgnr: string },
): Promise<Officer | undefined> {
  const row = await db
    .selectFrom('officers')
    .select(['id', 'name', 'orgnr', 'role'])
    .where('pid', '=', query.pid)
    .where('orgnr', '=', query.orgnr)
    .executeTakeFirst()
  return row
}

/** Adds an officer, or updates name, organisation and role of an existing one (by `pid`). */
export async function upsertOfficer(
  db: Kysely<Database>,
  officer: {
    readonly pid: string
    readonly name: string
    readonly orgnr: string
    readonly role: Officer['role']
  },
  options: { readonly now?: Date } = {},
): Promise<Officer> {
  const id = randomUUID()
  await db
    .insertInto('officers')
    .values({
      id,
      pid: officer.pid,
      name: officer.name,
      orgnr: officer.orgnr,
      role: officer.role,
      created_at: (options.now ?? new Date()).toISOString(),
    })
    .onConflict((oc) =>
      oc.column('pid').doUpdateSet({ name: officer.name, orgnr: officer.orgnr, role: officer.role }),
    )
    .execute()
  const row = await db
    .selectFrom('officers')
    .select(['id', 'name', 'orgnr', 'role'])
    .where('pid', '=', officer.pid)
    .executeTakeFirstOrThrow()
  return row
}

/** Every officer, by name. */
export async function listOfficers(db: Kysely<Database>): Promise<Officer[]> {
  return db.selectFrom('officers').select(['id', 'name', 'orgnr', 'role']).orderBy('name').execute()
}
