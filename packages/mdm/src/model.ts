/** The MDM platforms Felles speaks to. */
export type Vendor = 'intune' | 'jamf-pro' | 'jamf-school' | 'google'

/** Operating-system families, as far as actions differ between them. */
export type Platform = 'ios' | 'ipados' | 'macos' | 'windows' | 'chromeos' | 'android' | 'other'

/** Compliance as the vendor reports it, normalised. */
export type Compliance = 'compliant' | 'noncompliant' | 'unknown' | 'not-evaluated'

/**
 * Where a device sits in its vendor's own structure: the thing the school
 * boundary is configured on (Intune scope tag or category, Jamf Pro site,
 * Jamf School location, Google org unit).
 */
export type VendorPlacement =
  | { readonly kind: 'intune-scope-tag'; readonly ids: readonly string[] }
  | { readonly kind: 'intune-category'; readonly name: string | null }
  | { readonly kind: 'jamf-pro-site'; readonly id: string | null }
  | { readonly kind: 'jamf-school-location'; readonly id: string | null }
  | { readonly kind: 'google-org-unit'; readonly path: string | null }

/** A device in the common model, whatever the vendor. */
export interface Device {
  /** `vendor:vendorId`, stable and unique across the fleet. */
  readonly id: string
  readonly vendor: Vendor
  /** The vendor's own id (Graph id, Jamf id, UDID, Google deviceId). */
  readonly vendorId: string
  readonly serialNumber: string | null
  readonly name: string | null
  readonly model: string | null
  readonly platform: Platform
  readonly osVersion: string | null
  /** The user or pupil the device is assigned to, as the vendor names them (UPN, username, e-mail). */
  readonly owner: string | null
  /** The school this device belongs to, resolved by Felles from `placement` and the configured schools. */
  readonly schoolId: string | null
  readonly placement: VendorPlacement
  readonly managed: boolean
  readonly supervised: boolean | null
  readonly enrolledAt: string | null
  readonly compliance: Compliance
  readonly lostMode: boolean | null
  /** ISO 8601 time of the last check-in with the MDM server. */
  readonly lastCheckIn: string | null
  /**
   * The vendor's record as received, for what the common model leaves out.
   * Listings may ask the vendor for fewer fields than a single device's
   * record has (Google's list pages carry the model's fields only, Jamf Pro's
   * the sections the model reads); `getDevice` returns the whole record.
   */
  readonly raw: unknown
}
