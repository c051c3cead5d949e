import { randomUUID } from 'node:crypto'
import { applyEvent, type Case, type CaseType, serializeCase } from '@felles/case-status'
import { createSyntheticGenerator } from '@felles/identifiers'
import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'
import { buildCase, demoCaseSpecs, opaqueId } from '../seed.js'

const DAY = 86_400_000

/** Brings a past case to a decision (granted), so that history holds no open, overdue cases. */
function decide(value: Case, caseType: CaseType, at: number): Case {
  if (value.lifecycle === 'decided' || value.lifecycle === 'closed') return value
  const decided = caseType.statusTypes.find((st) => st.lifecycle === 'decided')
  if (!decided) return value
  const last = value.events.at(-1)
  const by = last?.by ?? { id: 'urn:felles:employee:historikk', role: 'officer' as const }
  const when = new Date(Math.max(at, last ? Date.parse(last.at) + 1 : at)).toISOString()
  const seq = (last?.seq ?? 0) + 1
  const withResult = applyEvent(
    value,
    {
      type: 'result',
      id: `e${seq}`,
      seq,
      at: when,
      by,
      visibility: 'citizen',
      result: { outcome: 'granted', decidedAt: when, notifiedAt: when },
      ...(value.result === undefined ? {} : { reason: 'Endelig vedtak' }),
    },
    { caseType },
  )
  if (!withResult.ok) return value
  const done = applyEvent(
    withResult.value,
    {
      type: 'status',
      id: `e${seq + 1}`,
      seq: seq + 1,
      at: when,
      by,
      visibility: 'citizen',
      statusType: decided.code,
      lifecycle: 'decided',
    },
    { caseType },
  )
  return done.ok ? done.value : value
}
const MINUTE = 60_000

/** Options for {@link seedCaseworkHistory}. */
export interface CaseworkHistoryOptions {
  /** Now. Default the current time. */
  readonly now?: Date
  /** Months of history before the current one. Default 6. */
  readonly months?: number
  /** Synthetic citizens per month (four cases and letters each). Default 6. */
  readonly personsPerMonth?: number
  /** Seed of the synthetic persons and outcomes. Default `casework-history`. */
  readonly seed?: string
  /** The seed's name in `seed_runs` (once per name). Default `casework-history-v1`. */
  readonly name?: string
}

/**
 * Seeds months of past casework for the benefits dashboard: cases of
 * synthetic citizens who are not on the identity mock's login page (so no
 * demo login sees them), each with a decision letter sent through SvarUt and
 * its delivery history (read in a mailbox, delivered unread, printed after
 * the read deadline, or failed), more of them digital month by month. Once
 * per `name`, like `seedDemo`.
 *
 * @returns Whether this call seeded.
 */
export async function seedCaseworkHistory(
  db: Kysely<Database>,
  options: CaseworkHistoryOptions = {},
): Promise<boolean> {
  const now = (options.now ?? new Date()).getTime()
  const months = options.months ?? 6
  const perMonth = options.personsPerMonth ?? 6
  const gen = createSyntheticGenerator({ seed: options.seed ?? 'casework-history' })
  let state = 0x9e3779b9
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('seed_runs')
      .values({ name: options.name ?? 'casework-history-v1', created_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst()
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) return false
    for (let m = months; m >= 1; m--) {
      const monthStart = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth() - m, 1, 8)
      // Digital post catches on: the share that ends on paper falls month by month.
      const printShare = 0.45 - ((months - m) / Math.max(1, months)) * 0.3
      for (let p = 0; p < perMonth; p++) {
        const person = gen.person()
        const at = monthStart + Math.floor(random() * 24) * DAY
        await trx
          .insertInto('persons')
          .values({
            pid: person.nationalId,
            given_name: person.givenName,
            family_name: person.familyName,
            address_line: `Dalveien ${1 + p}`,
            postal_code: '5750',
            city: 'Fjellvik',
            created_at: new Date(at - 60 * DAY).toISOString(),
          })
          .onConflict((oc) => oc.column('pid').doNothing())
          .execute()
        let k = 0
        for (const spec of demoCaseSpecs(at)) {
          const id = opaqueId('sak')
          const value = decide(
            buildCase(id, person.nationalId, person.name, spec, 500 + m * 50 + p * 4 + k++),
            spec.type,
            at,
          )
          const last = value.events.at(-1)
          await trx
            .insertInto('cases')
            .values({
              id,
              owner_pid: person.nationalId,
              owner_orgnr: null,
              case_type: spec.type.id,
              status: value.statusType ?? value.lifecycle,
              title: spec.title.nb ?? '',
              data: serializeCase(value),
              created_at: value.startedAt,
              updated_at: last?.at ?? value.startedAt,
            })
            .execute()
          const letterId = randomUUID()
          const sentAt = at - Math.floor(random() * 3) * DAY
          const roll = random()
          const outcome =
            roll < 0.04 ? 'failed' : roll < 0.04 + printShare ? 'print' : roll < 0.85 ? 'read' : 'unread'
          const readAt = outcome === 'read' ? sentAt + Math.floor(10 + random() * 3 * 24 * 60) * MINUTE : null
          const [status, phase] =
            outcome === 'failed'
              ? ['AVVIST', 'failed']
              : outcome === 'print'
                ? ['PRINTET', 'printed']
                : outcome === 'read'
                  ? ['LEST', 'read']
                  : ['LEVERT_SDP', 'delivered-digitally']
          const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
          await trx
            .insertInto('letters')
            .values({
              id: letterId,
              case_id: id,
              recipient_kind: 'person',
              recipient_pid: person.nationalId,
              recipient_orgnr: null,
              title: `Vedtak: ${spec.title.nb ?? ''}`,
              ekstern_referanse: `felles-historikk-${letterId}`,
              svarut_id: randomUUID(),
              status,
              phase,
              final: 1,
              created_at: iso(sentAt) as string,
              updated_at: iso(readAt ?? sentAt + 2 * DAY) as string,
            })
            .execute()
          await trx
            .insertInto('letter_tracking')
            .values({
              letter_id: letterId,
              letter_kind: 'decision',
              queued_by: null,
              queued_at: iso(sentAt - MINUTE) as string,
              sent_at: iso(sentAt),
              delivered_at: outcome === 'read' || outcome === 'unread' ? iso(sentAt + 5 * MINUTE) : null,
              read_at: iso(readAt),
              printed_at: outcome === 'print' ? iso(sentAt + 7 * DAY) : null,
              failed_at: outcome === 'failed' ? iso(sentAt + MINUTE) : null,
              delivery: outcome === 'failed' ? 'failed' : outcome === 'print' ? 'print' : 'digital',
              send_errors: 0,
              last_error: null,
            })
            .execute()
        }
      }
    }
    return true
  })
}
