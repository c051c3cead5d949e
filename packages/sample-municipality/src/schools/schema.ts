// Tables of the school-tablet console (apps/skole-nettbrett): schools,
// administrators' assignments, inventory, sync state, audit log, start packs.
// Core tables live in ../schema.ts. Timestamps are ISO 8601 UTC text.

/** A school the municipality's IT service manages devices for. */
export interface SchoolTable {
  /** Stable slug, e.g. `lia-skole` (the id used with `@felles/mdm`). */
  id: string
  name: string
  /** Organisasjonsnummer; where the start pack is sent. `null` for schools configured without one. */
  orgnr: string | null
  /** JSON of the school's vendor scopes (`@felles/mdm` `SchoolScopes`). */
  scopes: string
  /** Postal address, for the start pack's letterhead. */
  address_line: string | null
  postal_code: string | null
  city: string | null
  it_contact_name: string | null
  it_contact_email: string | null
  it_contact_phone: string | null
  created_at: string
  updated_at: string
}

/**
 * Who may administer which school. `subject_kind` says what `subject` is: the
 * employee's identity (`pid`, never shown or logged) or a reportee
 * organisation from Ansattporten (`orgnr`). `school_id` is `*` for central IT.
 */
export interface SchoolAdminTable {
  subject_kind: 'pid' | 'orgnr'
  subject: string
  role: 'central-it' | 'school-admin'
  school_id: string
  /** The name shown in the audit log for this employee (the identity token carries none). */
  display_name: string | null
  created_at: string
}

/** One device as last seen by the inventory sync. */
export interface SchoolDeviceTable {
  /** `vendor:vendorId`, the `@felles/mdm` id. */
  id: string
  vendor: string
  vendor_id: string
  /** Resolved by `@felles/mdm` from the vendor placement; `null` for stock. */
  school_id: string | null
  serial_number: string | null
  name: string | null
  model: string | null
  platform: string
  os_version: string | null
  /** Class or group (Jamf School class, Google child org unit). */
  device_group: string | null
  owner: string | null
  compliance: string
  lost_mode: number | null
  supervised: number | null
  managed: number
  last_check_in: string | null
  enrolled_at: string | null
  /** The sync run that last saw this device; devices not seen by a completed run are removed. */
  sync_run: string
  updated_at: string
}

/** Inventory sync progress per vendor; a crashed run resumes from `cursor`. */
export interface SchoolSyncStateTable {
  vendor: string
  run_id: string | null
  state: 'idle' | 'running' | 'done' | 'failed'
  cursor: string | null
  pages: number
  devices_seen: number
  devices_removed: number
  started_at: string | null
  updated_at: string
  finished_at: string | null
  last_success_at: string | null
  last_error: string | null
}

/** The audit trail of every device action: written before the vendor is called, completed after. */
export interface SchoolAuditTable {
  id: string
  at: string
  school_id: string
  /** The employee's stable id in this app (pairwise `sub`), never a fødselsnummer. */
  actor_id: string
  actor_name: string
  actor_role: string
  action: string
  device_id: string
  device_serial: string | null
  reason: string
  /** `pending` until the vendor answered; then the `@felles/mdm` outcome. */
  outcome: string
  vendor_command_id: string | null
  command_state: string | null
  error_code: string | null
  error_message: string | null
  bulk_id: string | null
  updated_at: string
}

/** A school's start pack (welcome letter and administrator's guide) sent through SvarUt. */
export interface SchoolOnboardingTable {
  id: string
  school_id: string
  orgnr: string
  ekstern_referanse: string
  svarut_id: string | null
  status: string
  phase: string
  final: number
  attempts: number
  last_error: string | null
  created_by: string
  created_at: string
  updated_at: string
}

/** SvarUt's send outbox (`@felles/svarut` `OutboxStore`), durable in the database. */
export interface SchoolSvarutSendTable {
  ekstern_referanse: string
  kind: string
  konto_id: string
  state: string
  svarut_id: string | null
  created_at: number
  updated_at: number
}

/** Tables added by the school-tablet console. */
export interface SchoolTables {
  schools: SchoolTable
  school_admins: SchoolAdminTable
  school_devices: SchoolDeviceTable
  school_sync_state: SchoolSyncStateTable
  school_audit: SchoolAuditTable
  school_onboarding: SchoolOnboardingTable
  school_svarut_sends: SchoolSvarutSendTable
}
