import type { School } from '@felles/mdm'
import type { SchoolRow } from '@felles/sample-municipality/schools'

/** A school row as `@felles/mdm` school configuration. */
export function toMdmSchool(row: SchoolRow): School {
  return {
    id: row.id,
    name: row.name,
    ...(row.orgnr === null ? {} : { organisationNumber: row.orgnr }),
    scopes: JSON.parse(row.scopes) as School['scopes'],
  }
}
