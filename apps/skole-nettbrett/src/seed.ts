import type { Database } from '@felles/sample-municipality'
import { type AdminAssignment, assignAdmin, saveSchool } from '@felles/sample-municipality/schools'
import type { Kysely } from 'kysely'

/** A school of an MDM emulator world (the fields of `@felles/mdm-mock`'s `School` this app reads). */
export interface WorldSchoolLike {
  readonly id: string
  readonly name: string
  readonly jamfPro: { readonly siteId: string }
  readonly jamfSchool: { readonly locationId: number }
  readonly google: { readonly orgUnitPath: string }
}

/** A synthetic, checksum-valid organisasjonsnummer for the n-th demo school (9 digits, mod 11). */
export function demoOrgnr(n: number): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2]
  for (let k = n; ; k += 1000) {
    const base = `93${String(k).padStart(6, '0')}`
    const sum = [...base].reduce((s, d, i) => s + Number(d) * (weights[i] ?? 0), 0)
    const rest = 11 - (sum % 11)
    if (rest === 10) continue
    return `${base}${rest === 11 ? 0 : rest}`
  }
}

/** The vendor scopes of an emulator school (Intune by device category, which is the school's name). */
export function scopesOfWorldSchool(s: WorldSchoolLike): Record<string, unknown> {
  return {
    intune: { category: s.name },
    jamfPro: { siteId: s.jamfPro.siteId },
    jamfSchool: { locationId: String(s.jamfSchool.locationId) },
    google: { orgUnitPath: s.google.orgUnitPath },
  }
}

/**
 * Registers emulator schools (with demo organisation numbers and addresses) and
 * administrator assignments. Idempotent: existing schools are updated.
 */
export async function seedSchools(
  db: Kysely<Database>,
  schools: readonly WorldSchoolLike[],
  admins: readonly AdminAssignment[] = [],
): Promise<void> {
  for (const [i, s] of schools.entries()) {
    await saveSchool(db, {
      id: s.id,
      name: s.name,
      orgnr: demoOrgnr(i + 1),
      scopes: scopesOfWorldSchool(s),
      address: {
        line: `Skolevegen ${i + 1}`,
        postalCode: String(4000 + i).padStart(4, '0'),
        city: 'Fjordvik',
      },
      itContact: { name: 'IT-tjenesten', email: 'it@fjordvik.kommune.no', phone: '+47 51 00 00 00' },
    })
  }
  for (const a of admins) await assignAdmin(db, a)
}
