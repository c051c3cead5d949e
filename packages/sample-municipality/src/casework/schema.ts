// Tables of the case officer's console (apps/saksbehandling): officers, letter
// documents and delivery tracking, the SvarUt send ledger, letter status
// events (the case timeline's letter entries) and the benefits dashboard's
// unit costs. Core tables live in ../schema.ts; these only add to them.
// Timestamps are ISO 8601 UTC text.

/** An employee who may use the console, found by their Ansattporten identity. */
export interface OfficerTable {
  id: string
  /** The employee's national identity number from Ansattporten (`pid`). Never shown, put in a URL or logged. */
  pid: string
  name: string
  /** The organisation (organisasjonsnummer) the employee works for. */
  orgnr: string
  role: 'officer' | 'team_lead'
  created_at: string
}

/** A document of a letter: the PDF generated from a template or uploaded. */
export interface LetterDocumentTable {
  letter_id: string
  /** Order in the letter's `dokumenter[]`, from 0. */
  seq: number
  filnavn: string
  mime_type: string
  size: number
  /** The bytes, base64 (portable across SQLite and PostgreSQL). */
  content_base64: string
}

/**
 * What the console knows about a letter beyond the core `letters` row: who
 * queued it, the case event it belongs to, and the delivery milestones the
 * benefits dashboard counts.
 */
export interface LetterTrackingTable {
  letter_id: string
  /** `decision` (vedtak) or `information`. */
  letter_kind: string
  queued_by: string | null
  queued_at: string
  /** When SvarUt gave the letter an id. */
  sent_at: string | null
  /** First digital delivery (`delivered-digitally`). */
  delivered_at: string | null
  read_at: string | null
  /** First print status (`sent-to-print` or `printed`). */
  printed_at: string | null
  failed_at: string | null
  /** Final channel: `digital`, `print` or `failed`; `null` while open. */
  delivery: string | null
  /** Send attempts that ended in an error (any kind). */
  send_errors: number
  last_error: string | null
}

/**
 * The durable ledger the SvarUt client records every send in (its
 * `OutboxStore`): `pending` before the first byte is uploaded, `sent` with
 * SvarUt's id. Holds no personal data.
 */
export interface SvarUtSendTable {
  ekstern_referanse: string
  kind: string
  konto_id: string
  state: 'pending' | 'sent' | 'rejected'
  svarut_id: string | null
  /** Milliseconds since the epoch, as the client keeps them. */
  created_ms: number
  updated_ms: number
}

/** One SvarUt status a letter reached, for the letter's history and the case timeline. */
export interface LetterEventTable {
  id: string
  letter_id: string
  case_id: string | null
  /** The raw SvarUt status, or `SENDT` for the send itself. */
  status: string
  phase: string
  /** Norwegian text for the timeline ("Vedtak sendt", "Lest", "Sendt til print"). */
  text: string
  regression: number
  at: string
}

/** Unit costs of the benefits dashboard, in øre per letter, per channel. */
export interface UnitCostTable {
  /** `print` (paper, print and postage) or `digital`. */
  channel: string
  cost_ore: number
  updated_at: string
}

/** The console's index of a case: who works on it and when it is due, for the case list's filters. */
export interface CaseWorkTable {
  case_id: string
  /** Officer id (see {@link OfficerTable}); `null` while unassigned. */
  officer_id: string | null
  /** The legal (or service-norm) deadline as an Oslo date `YYYY-MM-DD`; `null` when none runs. */
  due_date: string | null
  /** The lifecycle state (`received`, `in_progress`, …), copied from the case. */
  lifecycle: string
  updated_at: string
}

/** Tables added by the case officer's console. */
export interface CaseworkTables {
  officers: OfficerTable
  case_work: CaseWorkTable
  letter_documents: LetterDocumentTable
  letter_tracking: LetterTrackingTable
  svarut_sends: SvarUtSendTable
  letter_events: LetterEventTable
  unit_costs: UnitCostTable
}
