import type { Database } from '@felles/sample-municipality'
import { findOfficer, type Officer, upsertOfficer } from '@felles/sample-municipality/casework'
import type { WebEnv } from '@felles/sample-web'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'

interface ReporteeLike {
  readonly ID?: unknown
  readonly Rights?: unknown
}

/** The organisations chosen at Ansattporten login (`authorization_details[].reportees[]`), by orgnr. */
export function reporteesOf(claims: Readonly<Record<string, unknown>>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>()
  const details = claims.authorization_details
  if (!Array.isArray(details)) return out
  for (const detail of details) {
    const reportees = (detail as { reportees?: unknown }).reportees
    if (!Array.isArray(reportees)) continue
    for (const r of reportees as ReporteeLike[]) {
      if (typeof r.ID !== 'string') continue
      // Ansattporten writes `0192:<orgnr>` (ISO 6523 actor id).
      const orgnr = r.ID.split(':').at(-1) ?? ''
      const rights = Array.isArray(r.Rights) ? r.Rights.filter((x): x is string => typeof x === 'string') : []
      out.set(orgnr, rights)
    }
  }
  return out
}

/**
 * The officer behind the session: an employee who chose the municipality at
 * login. Known employees keep their role; an employee with the `Write` right
 * who is not registered yet becomes an officer. `undefined` means no access.
 */
export async function officerOf(
  c: Context<WebEnv>,
  db: Kysely<Database>,
  municipalityOrgnr: string,
): Promise<Officer | undefined> {
  const session = c.var.idPortenSession
  if (session?.pid === undefined) return undefined
  const rights = reporteesOf(session.claims).get(municipalityOrgnr)
  if (rights === undefined) return undefined
  const known = await findOfficer(db, { pid: session.pid, orgnr: municipalityOrgnr })
  if (known) return known
  if (!rights.includes('Write')) return undefined
  const name = [session.claims.given_name, session.claims.family_name].filter((x) => typeof x === 'string')
  return upsertOfficer(db, {
    pid: session.pid,
    name: name.length > 0 ? name.join(' ') : 'Saksbehandler',
    orgnr: municipalityOrgnr,
    role: 'officer',
  })
}
