import type { CaseworkTables } from './casework/schema.js'
import type { SchoolTables } from './schools/schema.js'

/** Citizens of the sample municipality (synthetic test persons only). */
export interface PersonTable {
  /** The person's national identity number (synthetic). Never put into URLs or logs. */
  pid: string
  given_name: string
  family_name: string
  address_line: string
  postal_code: string
  city: string
  created_at: string
}

/** Organisations (by organisasjonsnummer): businesses, schools, the municipality itself. */
export interface OrganisationTable {
  orgnr: string
  name: string
  created_at: string
}

/** A case, stored as the JSON of the case model with a few columns for querying. */
export interface CaseTable {
  id: string
  owner_pid: string | null
  owner_orgnr: string | null
  case_type: string
  status: string
  title: string
  /** The whole case as JSON (the case-status model); the columns above are derived from it. */
  data: string
  created_at: string
  updated_at: string
}

/** A letter sent (or to be sent) through SvarUt. */
export interface LetterTable {
  id: string
  case_id: string | null
  recipient_kind: 'person' | 'organisation'
  recipient_pid: string | null
  recipient_orgnr: string | null
  title: string
  /** Unique per letter; never contains personal data. */
  ekstern_referanse: string
  svarut_id: string | null
  status: string
  phase: string
  final: number
  created_at: string
  updated_at: string
}

/** The durable outbox: work recorded in the same transaction as the change that caused it. */
export interface OutboxTable {
  id: string
  kind: string
  payload: string
  state: 'pending' | 'claimed' | 'done' | 'failed'
  attempts: number
  available_at: string
  claimed_by: string | null
  lease_until: string | null
  last_error: string | null
  created_at: string
  updated_at: string
}

/** Web sessions of the sample apps, indexed by the identity provider's `sid`. */
export interface SessionTable {
  id: string
  sid: string | null
  data: string
  idle_expires_at: string
  absolute_expires_at: string
  created_at: string
  /** Last activity (ISO 8601); `null` for rows written before migration 0002. */
  last_seen_at: string | null
}

/** One-time keys (a login's `state`): a key is accepted once until it expires. */
export interface OneTimeKeyTable {
  key: string
  expires_at: string
}

/** The core tables shared by every app (citizens, cases, letters, outbox, sessions). */
export interface CoreTables {
  persons: PersonTable
  organisations: OrganisationTable
  cases: CaseTable
  letters: LetterTable
  outbox: OutboxTable
  sessions: SessionTable
  one_time_keys: OneTimeKeyTable
  seed_runs: { name: string; created_at: string }
}

/** Migration bookkeeping is Kysely's own; this is everything else. */
export interface Database extends CoreTables, CaseworkTables, SchoolTables {}
