import { type Kysely, type Selectable, type SelectQueryBuilder, sql, type Transaction } from 'kysely'
import type { Database } from '../schema.js'
import type { SchoolDeviceTable } from './schema.js'

/** A device row of the inventory. */
export type DeviceRow = Selectable<SchoolDeviceTable>

/** How many rows one upsert statement carries (well under SQLite's and PostgreSQL's parameter limits). */
const BATCH = 400

/**
 * Inserts or updates devices in batches, each batch one statement, all in one
 * transaction per call. Rows carry the sync run that saw them.
 */
export async function upsertDevices(db: Kysely<Database>, rows: readonly DeviceRow[]): Promise<void> {
  if (rows.length === 0) return
  await db.transaction().execute((trx) => upsertDevicesIn(trx, rows))
}

/** {@link upsertDevices} inside a transaction the caller holds (to commit a page and its cursor together). */
export async function upsertDevicesIn(trx: Transaction<Database>, rows: readonly DeviceRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH)
    await trx
      .insertInto('school_devices')
      .values(batch)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          vendor: eb.ref('excluded.vendor'),
          vendor_id: eb.ref('excluded.vendor_id'),
          school_id: eb.ref('excluded.school_id'),
          serial_number: eb.ref('excluded.serial_number'),
          name: eb.ref('excluded.name'),
          model: eb.ref('excluded.model'),
          platform: eb.ref('excluded.platform'),
          os_version: eb.ref('excluded.os_version'),
          device_group: eb.ref('excluded.device_group'),
          owner: eb.ref('excluded.owner'),
          compliance: eb.ref('excluded.compliance'),
          lost_mode: eb.ref('excluded.lost_mode'),
          supervised: eb.ref('excluded.supervised'),
          managed: eb.ref('excluded.managed'),
          last_check_in: eb.ref('excluded.last_check_in'),
          enrolled_at: eb.ref('excluded.enrolled_at'),
          sync_run: eb.ref('excluded.sync_run'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute()
  }
}

/** Removes a vendor's devices that the completed run `runId` did not see; returns how many. */
export async function sweepDevices(db: Kysely<Database>, vendor: string, runId: string): Promise<number> {
  const result = await db
    .deleteFrom('school_devices')
    .where('vendor', '=', vendor)
    .where('sync_run', '!=', runId)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Filters of the fleet page. */
export interface DeviceFilter {
  /** The school; required: every query of the fleet is scoped to one school. */
  readonly schoolId: string
  readonly platform?: string | undefined
  readonly group?: string | undefined
  readonly compliance?: string | undefined
  /** `recent`: seen within `staleDays`; `stale`: not seen within it (or never). */
  readonly seen?: 'recent' | 'stale' | undefined
  readonly staleDays?: number | undefined
  /** Serial number or its beginning (case-insensitive). */
  readonly serial?: string | undefined
  readonly now?: Date | undefined
}

function applyFilter<O>(
  query: SelectQueryBuilder<Database, 'school_devices', O>,
  f: DeviceFilter,
): SelectQueryBuilder<Database, 'school_devices', O> {
  let q = query.where('school_id', '=', f.schoolId)
  if (f.platform) q = q.where('platform', '=', f.platform)
  if (f.group) q = q.where('device_group', '=', f.group)
  if (f.compliance) q = q.where('compliance', '=', f.compliance)
  if (f.seen) {
    const limit = new Date((f.now ?? new Date()).getTime() - (f.staleDays ?? 30) * 86_400_000).toISOString()
    q =
      f.seen === 'recent'
        ? q.where('last_check_in', '>=', limit)
        : q.where((eb) => eb.or([eb('last_check_in', '<', limit), eb('last_check_in', 'is', null)]))
  }
  if (f.serial) {
    const prefix = f.serial
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9-]/g, '')
    q = q.where('serial_number', 'like', `${prefix}%`)
  }
  return q
}

/** The parts of a better-sqlite3 handle the fast path of {@link listDevices} uses. */
export interface SqliteHandle {
  prepare(sql: string): { all(...params: unknown[]): unknown[]; get(...params: unknown[]): unknown }
}

const fastStatements = new WeakMap<
  SqliteHandle,
  Map<string, { list: ReturnType<SqliteHandle['prepare']>; count: ReturnType<SqliteHandle['prepare']> }>
>()

/**
 * The fleet page's two queries as prepared statements on SQLite, one pair per
 * filter shape: the same SQL `applyFilter` builds, without building it again on
 * every request.
 */
function listDevicesSqlite(
  sqlite: SqliteHandle,
  f: DeviceFilter,
  page: { limit: number; offset: number },
): { devices: DeviceRow[]; total: number } {
  const where = ['school_id = ?']
  const params: unknown[] = [f.schoolId]
  if (f.platform) {
    where.push('platform = ?')
    params.push(f.platform)
  }
  if (f.group) {
    where.push('device_group = ?')
    params.push(f.group)
  }
  if (f.compliance) {
    where.push('compliance = ?')
    params.push(f.compliance)
  }
  if (f.seen) {
    where.push(f.seen === 'recent' ? 'last_check_in >= ?' : '(last_check_in < ? or last_check_in is null)')
    params.push(new Date((f.now ?? new Date()).getTime() - (f.staleDays ?? 30) * 86_400_000).toISOString())
  }
  if (f.serial) {
    where.push('serial_number like ?')
    params.push(
      `${f.serial
        .trim()
        .toUpperCase()
        .replace(/[^A-Z0-9-]/g, '')}%`,
    )
  }
  const key = where.join(' and ')
  let byShape = fastStatements.get(sqlite)
  if (byShape === undefined) {
    byShape = new Map()
    fastStatements.set(sqlite, byShape)
  }
  let statements = byShape.get(key)
  if (statements === undefined) {
    statements = {
      list: sqlite.prepare(`select * from school_devices where ${key} order by name, id limit ? offset ?`),
      count: sqlite.prepare(`select count(*) as n from school_devices where ${key}`),
    }
    byShape.set(key, statements)
  }
  const devices = statements.list.all(...params, page.limit, page.offset) as DeviceRow[]
  const count = statements.count.get(...params) as { n: number } | undefined
  return { devices, total: Number(count?.n ?? 0) }
}

/**
 * One page of a school's devices with the total matching the filter. With the
 * better-sqlite3 handle (`SampleDatabase.sqlite`) the two queries run as cached
 * prepared statements (the fleet page's hot path); otherwise through Kysely.
 */
export async function listDevices(
  db: Kysely<Database>,
  filter: DeviceFilter,
  page: { limit: number; offset: number },
  sqlite?: SqliteHandle,
): Promise<{ devices: DeviceRow[]; total: number }> {
  if (sqlite !== undefined) return listDevicesSqlite(sqlite, filter, page)
  const [devices, count] = await Promise.all([
    applyFilter(db.selectFrom('school_devices').selectAll(), filter)
      .orderBy('name')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    applyFilter(
      db.selectFrom('school_devices').select(db.fn.countAll<number>().as('n')),
      filter,
    ).executeTakeFirst(),
  ])
  return { devices, total: Number(count?.n ?? 0) }
}

/** Every device of a school matching the filter, in pages of `pageSize` (for exports and reports). */
export async function* iterateDevices(
  db: Kysely<Database>,
  filter: DeviceFilter,
  pageSize = 1000,
): AsyncGenerator<DeviceRow> {
  let after: { name: string; id: string } | null = null
  for (;;) {
    let q = applyFilter(db.selectFrom('school_devices').selectAll(), filter)
    if (after !== null) {
      const a: { name: string; id: string } = after
      q = q.where((eb) =>
        eb.or([
          eb(sql<string>`coalesce(name, '')`, '>', a.name),
          eb.and([eb(sql<string>`coalesce(name, '')`, '=', a.name), eb('id', '>', a.id)]),
        ]),
      )
    }
    const rows = await q.orderBy(sql`coalesce(name, '')`).orderBy('id').limit(pageSize).execute()
    for (const row of rows) yield row
    if (rows.length < pageSize) return
    const last = rows[rows.length - 1] as DeviceRow
    after = { name: last.name ?? '', id: last.id }
  }
}

/** One device of a school; `undefined` when absent or another school's. */
export async function findDevice(
  db: Kysely<Database>,
  schoolId: string,
  id: string,
): Promise<DeviceRow | undefined> {
  return db
    .selectFrom('school_devices')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst()
}

/** Several devices of a school by id; ids of other schools' devices are simply absent. */
export async function findDevices(
  db: Kysely<Database>,
  schoolId: string,
  ids: readonly string[],
): Promise<DeviceRow[]> {
  if (ids.length === 0) return []
  const out: DeviceRow[] = []
  for (let i = 0; i < ids.length; i += 500) {
    out.push(
      ...(await db
        .selectFrom('school_devices')
        .selectAll()
        .where('school_id', '=', schoolId)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute()),
    )
  }
  return out
}

/** The values present in a school's inventory, for the filter menus. */
export async function deviceFacets(
  db: Kysely<Database>,
  schoolId: string,
): Promise<{ platforms: string[]; groups: string[]; compliance: string[] }> {
  const distinct = async (column: 'platform' | 'device_group' | 'compliance'): Promise<string[]> =>
    (
      await db
        .selectFrom('school_devices')
        .select(column)
        .distinct()
        .where('school_id', '=', schoolId)
        .where(column, 'is not', null)
        .orderBy(column)
        .execute()
    ).map((r) => String(r[column]))
  const [platforms, groups, compliance] = await Promise.all([
    distinct('platform'),
    distinct('device_group'),
    distinct('compliance'),
  ])
  return { platforms, groups, compliance }
}

/** Device counts per school (for central IT's overview). */
export async function deviceCountsBySchool(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('school_devices')
    .select(['school_id', db.fn.countAll<number>().as('n')])
    .where('school_id', 'is not', null)
    .groupBy('school_id')
    .execute()
  return new Map(rows.map((r) => [r.school_id as string, Number(r.n)]))
}

/** Records a device's lost mode as the app last set it (the next sync confirms it). */
export async function setDeviceLostMode(
  db: Kysely<Database>,
  schoolId: string,
  id: string,
  lostMode: boolean,
): Promise<void> {
  await db
    .updateTable('school_devices')
    .set({ lost_mode: lostMode ? 1 : 0 })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute()
}
