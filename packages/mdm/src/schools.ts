import { z } from 'zod'
import type { Device, VendorPlacement } from './model.js'

/** How one school is found in each vendor, configured centrally by the IT service. */
export interface SchoolScopes {
  /** Intune: a role scope tag id (beta API) or a device category display name (v1.0). */
  intune?: { scopeTagId: string } | { category: string } | undefined
  /** Jamf Pro site id. */
  jamfPro?: { siteId: string } | undefined
  /** Jamf School location id. */
  jamfSchool?: { locationId: string } | undefined
  /** Google org unit path; devices in child org units belong to the school too. */
  google?: { orgUnitPath: string } | undefined
}

/** Zod schema of {@link SchoolScopes}. */
export const SchoolScopes: z.ZodType<SchoolScopes> = z
  .object({
    /** Intune: a role scope tag id (beta API) or a device category display name (v1.0). */
    intune: z
      .union([
        z.object({ scopeTagId: z.string().min(1) }).strict(),
        z.object({ category: z.string().min(1).max(256) }).strict(),
      ])
      .optional(),
    /** Jamf Pro site id. */
    jamfPro: z
      .object({ siteId: z.string().regex(/^\d+$/, 'a numeric site id') })
      .strict()
      .optional(),
    /** Jamf School location id. */
    jamfSchool: z
      .object({ locationId: z.string().regex(/^\d+$/, 'a numeric location id') })
      .strict()
      .optional(),
    /** Google org unit path; devices in child org units belong to the school too. */
    google: z
      .object({ orgUnitPath: z.string().max(1000).startsWith('/', 'an org unit path starting with "/"') })
      .strict()
      .optional(),
  })
  .strict()

/** A school and where its devices live in each vendor. */
export interface School {
  /** A stable id: lower-case letters, digits and hyphens (for example `lia-skole`). */
  id: string
  name: string
  /** Organisasjonsnummer of the school, where it has one. */
  organisationNumber?: string | undefined
  scopes: SchoolScopes
}

/** Zod schema of {@link School}. */
export const School: z.ZodType<School> = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens'),
    name: z.string().min(1).max(200),
    /** Organisasjonsnummer of the school, where it has one. */
    organisationNumber: z
      .string()
      .regex(/^\d{9}$/)
      .optional(),
    scopes: SchoolScopes,
  })
  .strict()

const normaliseOrgUnit = (path: string): string => (path.length > 1 ? path.replace(/\/+$/, '') : path)

/** @internal Whether a Google org unit path is the school's unit or below it. */
export function orgUnitWithin(parent: string, child: string): boolean {
  const p = normaliseOrgUnit(parent)
  const c = normaliseOrgUnit(child)
  if (p === '/') return true
  return c === p || c.startsWith(`${p}/`)
}

/**
 * Whether a vendor placement belongs to a school under its configured scopes.
 * This is the single place the school boundary is decided.
 *
 * @param school - The configured school.
 * @param placement - Where the vendor says the device sits.
 * @returns `true` only when the placement matches the school's scope for that vendor.
 */
export function placementInSchool(school: School, placement: VendorPlacement): boolean {
  const s = school.scopes
  switch (placement.kind) {
    case 'intune-scope-tag':
      return s.intune !== undefined && 'scopeTagId' in s.intune && placement.ids.includes(s.intune.scopeTagId)
    case 'intune-category':
      return s.intune !== undefined && 'category' in s.intune && placement.name === s.intune.category
    case 'jamf-pro-site':
      return s.jamfPro !== undefined && placement.id === s.jamfPro.siteId
    case 'jamf-school-location':
      return s.jamfSchool !== undefined && placement.id === s.jamfSchool.locationId
    case 'google-org-unit':
      return (
        s.google !== undefined &&
        placement.path !== null &&
        orgUnitWithin(s.google.orgUnitPath, placement.path)
      )
  }
}

/**
 * Resolves the school of a placement among the configured schools. When two
 * schools would both match (overlapping Google org units), the most specific
 * org unit wins; otherwise the first match.
 *
 * @param schools - All configured schools.
 * @param placement - Where the vendor says the device sits.
 * @returns The school id, or `null` when no school claims the placement.
 */
export function resolveSchool(schools: readonly School[], placement: VendorPlacement): string | null {
  let best: School | undefined
  for (const school of schools) {
    if (!placementInSchool(school, placement)) continue
    if (
      best === undefined ||
      (placement.kind === 'google-org-unit' &&
        (school.scopes.google?.orgUnitPath.length ?? 0) > (best.scopes.google?.orgUnitPath.length ?? 0))
    ) {
      best = school
    }
  }
  return best?.id ?? null
}

/**
 * Whether a device belongs to a school: its placement must match the school's
 * scope. The device's `schoolId` field is not trusted for this decision.
 *
 * @param school - The school asked about.
 * @param device - The device as returned by an adapter.
 * @returns `true` when the device is the school's.
 */
export function deviceInSchool(school: School, device: Pick<Device, 'placement'>): boolean {
  return placementInSchool(school, device.placement)
}
