import { randomUUID } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Outbox } from '../outbox.js'
import type { Database } from '../schema.js'

/** The outbox kind of a letter waiting to be sent through SvarUt. */
export const SEND_LETTER = 'svarut.send-letter'

/** Who a letter goes to. */
export type LetterRecipient =
  | { readonly kind: 'person'; readonly pid: string }
  | { readonly kind: 'organisation'; readonly orgnr: string }

/** A document of a letter to record. */
export interface LetterDocumentInput {
  readonly filnavn: string
  readonly mimeType: string
  readonly content: Uint8Array
}

/** A letter to record for sending (see {@link recordLetter}). */
export interface NewLetter {
  /** Letter id (a UUID); default random. */
  readonly id?: string
  readonly caseId: string | null
  readonly recipient: LetterRecipient
  readonly title: string
  /** `decision` (vedtak) or `information`. */
  readonly letterKind: string
  /** Officer id who queued it. */
  readonly queuedBy: string | null
  readonly documents: readonly LetterDocumentInput[]
}

/** The stable SvarUt `eksternReferanse` of a letter: derived from its id, never personal data. */
export function letterReference(letterId: string): string {
  return `felles-brev-${letterId}`
}

/**
 * Records a letter, its documents and its outbox item in one transaction:
 * the web request does only this, a worker sends it later. Either all of it
 * commits or nothing does.
 *
 * @returns The letter id.
 */
export async function recordLetter(
  db: Kysely<Database>,
  outbox: Outbox,
  letter: NewLetter,
  options: { readonly now?: Date; readonly trx?: Transaction<Database> } = {},
): Promise<string> {
  const id = letter.id ?? randomUUID()
  const at = (options.now ?? new Date()).toISOString()
  const work = async (trx: Transaction<Database>): Promise<void> => {
    await trx
      .insertInto('letters')
      .values({
        id,
        case_id: letter.caseId,
        recipient_kind: letter.recipient.kind,
        recipient_pid: letter.recipient.kind === 'person' ? letter.recipient.pid : null,
        recipient_orgnr: letter.recipient.kind === 'organisation' ? letter.recipient.orgnr : null,
        title: letter.title,
        ekstern_referanse: letterReference(id),
        svarut_id: null,
        status: 'KØ',
        phase: 'queued',
        final: 0,
        created_at: at,
        updated_at: at,
      })
      .execute()
    let seq = 0
    for (const doc of letter.documents) {
      await trx
        .insertInto('letter_documents')
        .values({
          letter_id: id,
          seq: seq++,
          filnavn: doc.filnavn,
          mime_type: doc.mimeType,
          size: doc.content.byteLength,
          content_base64: Buffer.from(doc.content).toString('base64'),
        })
        .execute()
    }
    await trx
      .insertInto('letter_tracking')
      .values({
        letter_id: id,
        letter_kind: letter.letterKind,
        queued_by: letter.queuedBy,
        queued_at: at,
        sent_at: null,
        delivered_at: null,
        read_at: null,
        printed_at: null,
        failed_at: null,
        delivery: null,
        send_errors: 0,
        last_error: null,
      })
      .execute()
    await outbox.enqueue({ id: `send-${id}`, kind: SEND_LETTER, payload: { letterId: id } }, trx)
  }
  if (options.trx) await work(options.trx)
  else await db.transaction().execute(work)
  return id
}

/** A letter with everything a worker needs to send it. */
export interface LetterToSend {
  readonly id: string
  readonly caseId: string | null
  readonly title: string
  readonly letterKind: string
  readonly eksternReferanse: string
  readonly svarutId: string | null
  readonly final: boolean
  readonly recipient:
    | {
        readonly kind: 'person'
        readonly pid: string
        readonly name: string
        readonly address: { readonly line: string; readonly postalCode: string; readonly city: string } | null
      }
    | { readonly kind: 'organisation'; readonly orgnr: string; readonly name: string }
  readonly documents: readonly {
    readonly filnavn: string
    readonly mimeType: string
    readonly content: Buffer
  }[]
}

/** Loads a letter for sending; `undefined` when it does not exist. */
export async function getLetterToSend(
  db: Kysely<Database>,
  letterId: string,
): Promise<LetterToSend | undefined> {
  const row = await db
    .selectFrom('letters')
    .innerJoin('letter_tracking', 'letter_tracking.letter_id', 'letters.id')
    .leftJoin('persons', 'persons.pid', 'letters.recipient_pid')
    .leftJoin('organisations', 'organisations.orgnr', 'letters.recipient_orgnr')
    .select([
      'letters.id',
      'letters.case_id',
      'letters.title',
      'letters.ekstern_referanse',
      'letters.svarut_id',
      'letters.final',
      'letters.recipient_kind',
      'letters.recipient_pid',
      'letters.recipient_orgnr',
      'letter_tracking.letter_kind',
      'persons.given_name',
      'persons.family_name',
      'persons.address_line',
      'persons.postal_code',
      'persons.city',
      'organisations.name as org_name',
    ])
    .where('letters.id', '=', letterId)
    .executeTakeFirst()
  if (!row) return undefined
  const docs = await db
    .selectFrom('letter_documents')
    .select(['filnavn', 'mime_type', 'content_base64'])
    .where('letter_id', '=', letterId)
    .orderBy('seq')
    .execute()
  const recipient: LetterToSend['recipient'] =
    row.recipient_kind === 'person'
      ? {
          kind: 'person',
          pid: row.recipient_pid ?? '',
          name: row.given_name ? `${row.given_name} ${row.family_name ?? ''}`.trim() : 'Mottaker',
          address:
            row.address_line && row.postal_code && row.city
              ? { line: row.address_line, postalCode: row.postal_code, city: row.city }
              : null,
        }
      : { kind: 'organisation', orgnr: row.recipient_orgnr ?? '', name: row.org_name ?? 'Mottaker' }
  return {
    id: row.id,
    caseId: row.case_id,
    title: row.title,
    letterKind: row.letter_kind,
    eksternReferanse: row.ekstern_referanse,
    svarutId: row.svarut_id,
    final: Number(row.final) === 1,
    recipient,
    documents: docs.map((d) => ({
      filnavn: d.filnavn,
      mimeType: d.mime_type,
      content: Buffer.from(d.content_base64, 'base64'),
    })),
  }
}

/** Norwegian timeline text of the send itself, by letter kind. */
export function sentText(letterKind: string): string {
  return letterKind === 'decision' ? 'Vedtak sendt' : 'Brev sendt'
}

/**
 * Records that SvarUt accepted the letter (it has an id). Idempotent: a
 * second call for the same letter changes nothing.
 */
export async function markLetterSent(
  db: Kysely<Database>,
  input: { readonly letterId: string; readonly svarutId: string; readonly at: Date },
): Promise<void> {
  const at = input.at.toISOString()
  await db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom('letters')
      .innerJoin('letter_tracking', 'letter_tracking.letter_id', 'letters.id')
      .select(['letters.case_id', 'letters.svarut_id', 'letter_tracking.letter_kind'])
      .where('letters.id', '=', input.letterId)
      .executeTakeFirst()
    if (!letter) return
    if (letter.svarut_id === null) {
      await trx
        .updateTable('letters')
        .set({ svarut_id: input.svarutId, status: 'MOTTATT', phase: 'pending', updated_at: at })
        .where('id', '=', input.letterId)
        .where('svarut_id', 'is', null)
        .execute()
      await trx
        .updateTable('letter_tracking')
        .set({ sent_at: at })
        .where('letter_id', '=', input.letterId)
        .execute()
    }
    await trx
      .insertInto('letter_events')
      .values({
        id: `${input.letterId}:SENDT`,
        letter_id: input.letterId,
        case_id: letter.case_id,
        status: 'SENDT',
        phase: 'pending',
        text: sentText(letter.letter_kind),
        regression: 0,
        at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  })
}

/** Counts a failed send attempt on the letter (for the dashboard and the officer). */
export async function recordSendError(db: Kysely<Database>, letterId: string, error: string): Promise<void> {
  await db
    .updateTable('letter_tracking')
    .set((eb) => ({ send_errors: eb('send_errors', '+', 1), last_error: error.slice(0, 500) }))
    .where('letter_id', '=', letterId)
    .execute()
}

/** Gives up on a letter that SvarUt refused before it became a letter (validation, 4xx). */
export async function markLetterRejected(
  db: Kysely<Database>,
  input: { readonly letterId: string; readonly reason: string; readonly at: Date },
): Promise<void> {
  const at = input.at.toISOString()
  await db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom('letters')
      .select(['case_id'])
      .where('id', '=', input.letterId)
      .executeTakeFirst()
    if (!letter) return
    await trx
      .updateTable('letters')
      .set({ status: 'AVVIST_FØR_SENDING', phase: 'failed', final: 1, updated_at: at })
      .where('id', '=', input.letterId)
      .where('svarut_id', 'is', null)
      .execute()
    await trx
      .updateTable('letter_tracking')
      .set({ failed_at: at, delivery: 'failed', last_error: input.reason.slice(0, 500) })
      .where('letter_id', '=', input.letterId)
      .execute()
    await trx
      .insertInto('letter_events')
      .values({
        id: `${input.letterId}:AVVIST_FØR_SENDING`,
        letter_id: input.letterId,
        case_id: letter.case_id,
        status: 'AVVIST_FØR_SENDING',
        phase: 'failed',
        text: 'Sending feilet',
        regression: 0,
        at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  })
}

/** Letters SvarUt has but whose status is not final yet: what the poller follows. */
export async function openLetters(
  db: Kysely<Database>,
  options: { readonly limit?: number } = {},
): Promise<{ id: string; svarutId: string }[]> {
  const rows = await db
    .selectFrom('letters')
    .select(['id', 'svarut_id'])
    .where('final', '=', 0)
    .where('svarut_id', 'is not', null)
    .orderBy('updated_at')
    .limit(options.limit ?? 1000)
    .execute()
  return rows.map((r) => ({ id: r.id, svarutId: r.svarut_id as string }))
}

/** Norwegian timeline text for a SvarUt status phase. */
export function phaseText(phase: string): string {
  switch (phase) {
    case 'pending':
      return 'Mottatt av SvarUt'
    case 'delivered-digitally':
      return 'Levert digitalt'
    case 'sent-to-print':
      return 'Sendt til print'
    case 'printed':
      return 'Skrevet ut og postlagt'
    case 'read':
      return 'Lest'
    case 'failed':
      return 'Levering feilet'
    case 'manually-handled':
      return 'Manuelt håndtert'
    case 'deleted':
      return 'Slettet'
    default:
      return 'Ukjent status fra SvarUt'
  }
}

/** A status of a letter, as SvarUt reported it (see `@felles/svarut` `StatusInfo`). */
export interface LetterStatusUpdate {
  readonly svarutId: string
  readonly status: string
  readonly phase: string
  readonly final: boolean
  readonly at: Date
  readonly regression?: boolean
}

/**
 * Writes a status to the letter, its delivery milestones and the case
 * timeline. Idempotent (several pollers may report the same status).
 *
 * @returns The letter id, or `undefined` for an unknown SvarUt id.
 */
export async function recordLetterStatus(
  db: Kysely<Database>,
  update: LetterStatusUpdate,
): Promise<string | undefined> {
  const at = update.at.toISOString()
  return db.transaction().execute(async (trx) => {
    const letter = await trx
      .selectFrom('letters')
      .select(['id', 'case_id', 'status'])
      .where('svarut_id', '=', update.svarutId)
      .executeTakeFirst()
    if (!letter) return undefined
    // Every watch round starts by reporting the current status again: nothing to write then.
    if (letter.status === update.status) return letter.id
    await trx
      .updateTable('letters')
      .set({ status: update.status, phase: update.phase, final: update.final ? 1 : 0, updated_at: at })
      .where('id', '=', letter.id)
      .execute()
    const milestone: Partial<Record<'delivered_at' | 'read_at' | 'printed_at' | 'failed_at', string>> = {}
    let delivery: string | undefined
    if (update.phase === 'delivered-digitally') milestone.delivered_at = at
    if (update.phase === 'read') milestone.read_at = at
    if (update.phase === 'sent-to-print' || update.phase === 'printed') milestone.printed_at = at
    if (update.phase === 'failed') milestone.failed_at = at
    if (update.final) {
      delivery =
        update.phase === 'failed'
          ? 'failed'
          : update.phase === 'printed' || update.phase === 'sent-to-print'
            ? 'print'
            : update.phase === 'read' || update.phase === 'delivered-digitally'
              ? 'digital'
              : update.phase
    }
    const tracking = await trx
      .selectFrom('letter_tracking')
      .selectAll()
      .where('letter_id', '=', letter.id)
      .executeTakeFirst()
    if (tracking) {
      const set: Record<string, string> = {}
      for (const [key, value] of Object.entries(milestone)) {
        if (tracking[key as keyof typeof milestone] === null) set[key] = value
      }
      // A letter read after it went to print still counts as printed.
      if (delivery === 'digital' && tracking.printed_at !== null) delivery = 'print'
      if (delivery !== undefined) set.delivery = delivery
      if (Object.keys(set).length > 0) {
        await trx.updateTable('letter_tracking').set(set).where('letter_id', '=', letter.id).execute()
      }
    }
    await trx
      .insertInto('letter_events')
      .values({
        id: `${letter.id}:${update.status}`,
        letter_id: letter.id,
        case_id: letter.case_id,
        status: update.status,
        phase: update.phase,
        text: phaseText(update.phase),
        regression: update.regression ? 1 : 0,
        at,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    return letter.id
  })
}

/** A letter as the console lists it. */
export interface LetterSummary {
  readonly id: string
  readonly caseId: string | null
  readonly title: string
  readonly letterKind: string
  readonly status: string
  readonly phase: string
  readonly final: boolean
  readonly queuedAt: string
  readonly sentAt: string | null
  readonly readAt: string | null
  readonly delivery: string | null
  readonly sendErrors: number
}

/** The letters of a case, newest first. */
export async function lettersOfCase(db: Kysely<Database>, caseId: string): Promise<LetterSummary[]> {
  const rows = await db
    .selectFrom('letters')
    .leftJoin('letter_tracking', 'letter_tracking.letter_id', 'letters.id')
    .select([
      'letters.id',
      'letters.case_id',
      'letters.title',
      'letters.status',
      'letters.phase',
      'letters.final',
      'letters.created_at',
      'letter_tracking.letter_kind',
      'letter_tracking.queued_at',
      'letter_tracking.sent_at',
      'letter_tracking.read_at',
      'letter_tracking.delivery',
      'letter_tracking.send_errors',
    ])
    .where('letters.case_id', '=', caseId)
    .orderBy('letters.created_at', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    title: r.title,
    letterKind: r.letter_kind ?? 'information',
    status: r.status,
    phase: r.phase,
    final: Number(r.final) === 1,
    queuedAt: r.queued_at ?? r.created_at,
    sentAt: r.sent_at,
    readAt: r.read_at,
    delivery: r.delivery,
    sendErrors: Number(r.send_errors ?? 0),
  }))
}

/** A document of a letter, for download. */
export async function letterDocument(
  db: Kysely<Database>,
  letterId: string,
  seq: number,
): Promise<{ filnavn: string; mimeType: string; content: Buffer } | undefined> {
  const row = await db
    .selectFrom('letter_documents')
    .select(['filnavn', 'mime_type', 'content_base64'])
    .where('letter_id', '=', letterId)
    .where('seq', '=', seq)
    .executeTakeFirst()
  return row
    ? { filnavn: row.filnavn, mimeType: row.mime_type, content: Buffer.from(row.content_base64, 'base64') }
    : undefined
}

/** An entry of the letter part of a case's timeline. */
export interface LetterEvent {
  readonly letterId: string
  readonly status: string
  readonly phase: string
  readonly text: string
  readonly regression: boolean
  readonly at: string
}

/** The letter events of a case, oldest first. */
export async function letterEventsOfCase(db: Kysely<Database>, caseId: string): Promise<LetterEvent[]> {
  const rows = await db
    .selectFrom('letter_events')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('at')
    .orderBy('id')
    .execute()
  return rows.map((r) => ({
    letterId: r.letter_id,
    status: r.status,
    phase: r.phase,
    text: r.text,
    regression: Number(r.regression) === 1,
    at: r.at,
  }))
}

/** Counts of letters by state, for tests and the status page. */
export async function letterCounts(
  db: Kysely<Database>,
): Promise<{ total: number; queued: number; sent: number; final: number; byStatus: Record<string, number> }> {
  const rows = await db
    .selectFrom('letters')
    .select([
      'status',
      'final',
      (eb) => eb.fn.count<number>('id').as('n'),
      (eb) => eb.fn.count<number>('svarut_id').as('sent'),
    ])
    .groupBy(['status', 'final'])
    .execute()
  const byStatus: Record<string, number> = {}
  let total = 0
  let sent = 0
  let final = 0
  let queued = 0
  for (const r of rows) {
    const n = Number(r.n)
    total += n
    sent += Number(r.sent)
    byStatus[r.status] = (byStatus[r.status] ?? 0) + n
    if (Number(r.final) === 1) final += n
    else queued += n - Number(r.sent)
  }
  return { total, queued, sent, final, byStatus }
}
