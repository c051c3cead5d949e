import type { Kysely, Selectable } from 'kysely'
import type { Database } from '../schema.js'
import type { SchoolAdminTable, SchoolTable } from './schema.js'

/** A school row. */
export type SchoolRow = Selectable<SchoolTable>

/** What is needed to register or update a school. */
export interface SchoolInput {
  readonly id: string
  readonly name: string
  readonly orgnr: string | null
  /** The `@felles/mdm` `SchoolScopes`, stored as JSON. */
  readonly scopes: unknown
  readonly address?: { line?: string | null; postalCode?: string | null; city?: string | null } | undefined
  readonly itContact?: { name?: string | null; email?: string | null; phone?: string | null } | undefined
}

/** Inserts a school, or updates it when the id exists. */
export async function saveSchool(
  db: Kysely<Database>,
  input: SchoolInput,
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString()
  const values = {
    name: input.name,
    orgnr: input.orgnr,
    scopes: JSON.stringify(input.scopes),
    address_line: input.address?.line ?? null,
    postal_code: input.address?.postalCode ?? null,
    city: input.address?.city ?? null,
    it_contact_name: input.itContact?.name ?? null,
    it_contact_email: input.itContact?.email ?? null,
    it_contact_phone: input.itContact?.phone ?? null,
    updated_at: at,
  }
  await db
    .insertInto('schools')
    .values({ id: input.id, ...values, created_at: at })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute()
}

/** Every school, by name. */
export async function listSchools(db: Kysely<Database>): Promise<SchoolRow[]> {
  return db.selectFrom('schools').selectAll().orderBy('name').orderBy('id').execute()
}

/** One school by id. */
export async function findSchool(db: Kysely<Database>, id: string): Promise<SchoolRow | undefined> {
  return db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst()
}

/** One school by organisasjonsnummer. */
export async function findSchoolByOrgnr(db: Kysely<Database>, orgnr: string): Promise<SchoolRow | undefined> {
  return db.selectFrom('schools').selectAll().where('orgnr', '=', orgnr).executeTakeFirst()
}

/** An administrator assignment: who (identity or reportee organisation), which role, which school. */
export interface AdminAssignment {
  readonly subjectKind: SchoolAdminTable['subject_kind']
  readonly subject: string
  readonly role: SchoolAdminTable['role']
  /** `*` for central IT. */
  readonly schoolId: string
  /** Shown in the audit log as who acted. */
  readonly displayName?: string | null | undefined
}

/** Adds an assignment (no-op when it exists). */
export async function assignAdmin(
  db: Kysely<Database>,
  assignment: AdminAssignment,
  now: Date = new Date(),
): Promise<void> {
  await db
    .insertInto('school_admins')
    .values({
      subject_kind: assignment.subjectKind,
      subject: assignment.subject,
      role: assignment.role,
      school_id: assignment.schoolId,
      display_name: assignment.displayName ?? null,
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(['subject_kind', 'subject', 'role', 'school_id']).doNothing())
    .execute()
}

/** What an employee may do: central IT sees every school; a school administrator the listed ones. */
export interface AdminAccess {
  readonly centralIt: boolean
  readonly schoolIds: readonly string[]
  /** The display name from the assignments, when one has it. */
  readonly displayName: string | null
}

/**
 * The access of an employee, from assignments keyed on their identity or on any
 * reportee organisation they logged in for. Assignments to schools that no
 * longer exist give nothing.
 *
 * @param known - The registered school ids, when the caller holds them (saves a query).
 */
export async function accessFor(
  db: Kysely<Database>,
  who: { pid?: string | null | undefined; orgnrs?: readonly string[] | undefined },
  known?: readonly string[],
): Promise<AdminAccess> {
  const pid = who.pid ?? null
  const orgnrs = [...(who.orgnrs ?? [])]
  if (pid === null && orgnrs.length === 0) return { centralIt: false, schoolIds: [], displayName: null }
  const rows = await db
    .selectFrom('school_admins')
    .select(['role', 'school_id', 'display_name', 'subject_kind'])
    .where((eb) => {
      const ors = []
      if (pid !== null) ors.push(eb.and([eb('subject_kind', '=', 'pid'), eb('subject', '=', pid)]))
      if (orgnrs.length > 0) ors.push(eb.and([eb('subject_kind', '=', 'orgnr'), eb('subject', 'in', orgnrs)]))
      return eb.or(ors)
    })
    .execute()
  if (rows.length === 0) return { centralIt: false, schoolIds: [], displayName: null }
  const centralIt = rows.some((r) => r.role === 'central-it')
  const displayName =
    rows.find((r) => r.subject_kind === 'pid' && r.display_name !== null)?.display_name ??
    rows.find((r) => r.display_name !== null)?.display_name ??
    null
  const all = known ?? (await db.selectFrom('schools').select('id').execute()).map((s) => s.id)
  if (centralIt) return { centralIt: true, schoolIds: [...all].sort(), displayName }
  const existing = new Set(all)
  const ids = [...new Set(rows.filter((r) => r.role === 'school-admin').map((r) => r.school_id))]
  return { centralIt: false, schoolIds: ids.filter((id) => existing.has(id)).sort(), displayName }
}
