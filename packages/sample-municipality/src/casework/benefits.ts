import type { Kysely } from 'kysely'
import type { Database } from '../schema.js'

/** Unit costs per letter, in øre. */
export interface UnitCosts {
  /** Paper, printing, envelope and postage of one printed letter. */
  readonly print: number
  /** One digital delivery through SvarUt. */
  readonly digital: number
}

/** Defaults until the municipality sets its own (øre per letter). */
export const DEFAULT_UNIT_COSTS: UnitCosts = { print: 2500, digital: 250 }

/** The unit costs in force: stored values, else {@link DEFAULT_UNIT_COSTS}. */
export async function getUnitCosts(db: Kysely<Database>): Promise<UnitCosts> {
  const rows = await db.selectFrom('unit_costs').select(['channel', 'cost_ore']).execute()
  const byChannel = new Map(rows.map((r) => [r.channel, Number(r.cost_ore)]))
  return {
    print: byChannel.get('print') ?? DEFAULT_UNIT_COSTS.print,
    digital: byChannel.get('digital') ?? DEFAULT_UNIT_COSTS.digital,
  }
}

/** Stores the unit costs (whole øre, not negative). */
export async function setUnitCosts(
  db: Kysely<Database>,
  costs: UnitCosts,
  options: { readonly now?: Date } = {},
): Promise<void> {
  const at = (options.now ?? new Date()).toISOString()
  for (const [channel, cost] of Object.entries(costs)) {
    if (!Number.isInteger(cost) || cost < 0) throw new TypeError(`${channel} cost must be whole øre ≥ 0`)
    await db
      .insertInto('unit_costs')
      .values({ channel, cost_ore: cost, updated_at: at })
      .onConflict((oc) => oc.column('channel').doUpdateSet({ cost_ore: cost, updated_at: at }))
      .execute()
  }
}

/** One month and case type of the benefits report. */
export interface BenefitsRow {
  /** `YYYY-MM` (UTC) of the send. */
  readonly month: string
  readonly caseType: string
  /** Letters SvarUt accepted. */
  readonly sent: number
  /** Final digital deliveries (read or delivered to a mailbox). */
  readonly digital: number
  /** Letters that went to print. */
  readonly printed: number
  /** Deliveries that failed. */
  readonly failed: number
  /** Still on their way. */
  readonly open: number
  /** Letters read. */
  readonly read: number
  /** `read / sent`, 0 when nothing was sent. */
  readonly readRate: number
  /** Median time from send to read, in minutes; `null` when nothing was read. */
  readonly medianMinutesToRead: number | null
  /** What the letters cost: printed × print + the rest × digital, in øre. */
  readonly costOre: number
  /** What they would have cost on paper alone, minus {@link costOre}. */
  readonly savingsOre: number
}

/** The benefits report and its totals. */
export interface BenefitsReport {
  readonly unitCosts: UnitCosts
  readonly rows: readonly BenefitsRow[]
  readonly totals: Omit<BenefitsRow, 'month' | 'caseType'>
}

function median(values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

interface Bucket {
  sent: number
  digital: number
  printed: number
  failed: number
  open: number
  read: number
  minutes: number[]
}

function summarise(b: Bucket, costs: UnitCosts): Omit<BenefitsRow, 'month' | 'caseType'> {
  const costOre = b.printed * costs.print + (b.sent - b.printed) * costs.digital
  return {
    sent: b.sent,
    digital: b.digital,
    printed: b.printed,
    failed: b.failed,
    open: b.open,
    read: b.read,
    readRate: b.sent === 0 ? 0 : b.read / b.sent,
    medianMinutesToRead: median(b.minutes),
    costOre,
    savingsOre: b.sent * costs.print - costOre,
  }
}

/**
 * The benefits-realisation figures (gevinstrealisering) per month and case
 * type: digital versus printed deliveries, read rate, median time to read,
 * failed deliveries and estimated savings from the unit costs.
 */
export async function benefitsReport(
  db: Kysely<Database>,
  options: { readonly from?: string; readonly to?: string; readonly unitCosts?: UnitCosts } = {},
): Promise<BenefitsReport> {
  const costs = options.unitCosts ?? (await getUnitCosts(db))
  let query = db
    .selectFrom('letter_tracking')
    .innerJoin('letters', 'letters.id', 'letter_tracking.letter_id')
    .leftJoin('cases', 'cases.id', 'letters.case_id')
    .select([
      'letter_tracking.sent_at',
      'letter_tracking.read_at',
      'letter_tracking.printed_at',
      'letter_tracking.failed_at',
      'letter_tracking.delivered_at',
      'letter_tracking.delivery',
      'cases.case_type',
    ])
    .where('letter_tracking.sent_at', 'is not', null)
  if (options.from) query = query.where('letter_tracking.sent_at', '>=', options.from)
  if (options.to) query = query.where('letter_tracking.sent_at', '<', options.to)
  const rows = await query.execute()
  const buckets = new Map<string, Bucket>()
  const total: Bucket = { sent: 0, digital: 0, printed: 0, failed: 0, open: 0, read: 0, minutes: [] }
  for (const row of rows) {
    const sentAt = row.sent_at as string
    const key = `${sentAt.slice(0, 7)}\u0000${row.case_type ?? 'uten sak'}`
    let b = buckets.get(key)
    if (!b) {
      b = { sent: 0, digital: 0, printed: 0, failed: 0, open: 0, read: 0, minutes: [] }
      buckets.set(key, b)
    }
    for (const target of [b, total]) {
      target.sent++
      if (row.printed_at !== null) target.printed++
      else if (row.failed_at !== null || row.delivery === 'failed') target.failed++
      else if (row.delivery === 'digital' || row.read_at !== null || row.delivered_at !== null)
        target.digital++
      else target.open++
      if (row.read_at !== null) {
        target.read++
        target.minutes.push((Date.parse(row.read_at) - Date.parse(sentAt)) / 60_000)
      }
    }
  }
  const out: BenefitsRow[] = [...buckets.entries()]
    .map(([key, b]) => {
      const [month, caseType] = key.split('\u0000') as [string, string]
      return { month, caseType, ...summarise(b, costs) }
    })
    .sort((a, b) => a.month.localeCompare(b.month) || a.caseType.localeCompare(b.caseType))
  return { unitCosts: costs, rows: out, totals: summarise(total, costs) }
}
