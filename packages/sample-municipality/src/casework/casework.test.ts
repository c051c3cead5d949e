import { afterAll, describe, expect, it } from 'vitest'
import { createOutbox } from '../outbox.js'
import { openTestDatabase, postgresAvailable, type TestDatabase } from '../testing.js'
import { benefitsReport, setUnitCosts } from './benefits.js'
import { seedCaseworkHistory } from './history-seed.js'
import {
  getLetterToSend,
  letterCounts,
  markLetterSent,
  recordLetter,
  recordLetterStatus,
  SEND_LETTER,
} from './letters.js'
import { createSvarUtSendStore } from './svarut-sends.js'

const hasPostgres = await postgresAvailable()
const opened: TestDatabase[] = []
afterAll(async () => {
  for (const d of opened) await d.dispose()
})

const PID = '21879498012' // a synthetic test person (month + 80)
const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n')

async function open(dialect: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  const d = await openTestDatabase(dialect)
  opened.push(d)
  await d.db
    .insertInto('persons')
    .values({
      pid: PID,
      given_name: 'Kari',
      family_name: 'Nordmann',
      address_line: 'Storgata 1',
      postal_code: '0155',
      city: 'Oslo',
      created_at: '2026-01-01T00:00:00.000Z',
    })
    .execute()
  return d
}

describe.each(['sqlite', 'postgres'] as const)('casework data on %s', (dialect) => {
  const skip = dialect === 'postgres' && !hasPostgres

  it.skipIf(skip)(
    'records a letter, its PDF and its outbox item in one transaction, or nothing',
    async () => {
      const { db, dialect: d } = await open(dialect)
      const outbox = createOutbox(db, { dialect: d })
      const letter = {
        caseId: null,
        recipient: { kind: 'person', pid: PID } as const,
        title: 'Vedtak',
        letterKind: 'decision',
        queuedBy: null,
        documents: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: PDF }],
      }
      await expect(
        db.transaction().execute(async (trx) => {
          await recordLetter(db, outbox, letter, { trx })
          throw new Error('abort')
        }),
      ).rejects.toThrow('abort')
      expect((await letterCounts(db)).total).toBe(0)
      expect(await outbox.counts()).toMatchObject({ pending: 0 })

      const id = await recordLetter(db, outbox, letter)
      const loaded = await getLetterToSend(db, id)
      expect(loaded?.eksternReferanse).toBe(`felles-brev-${id}`)
      expect(loaded?.eksternReferanse).not.toContain(PID)
      expect(loaded?.recipient).toMatchObject({ kind: 'person', name: 'Kari Nordmann' })
      expect(Buffer.from(loaded?.documents[0]?.content ?? []).toString()).toBe('%PDF-1.4\n%%EOF\n')
      const [item] = await outbox.claim('w', { leaseMs: 1000, limit: 5, kinds: [SEND_LETTER] })
      expect(JSON.parse(item?.payload ?? '{}')).toEqual({ letterId: id })
    },
  )

  it.skipIf(skip)('the send ledger never forgets an id once SvarUt gave one', async () => {
    const { db } = await open(dialect)
    const store = createSvarUtSendStore(db)
    const base = {
      eksternReferanse: 'felles-brev-x',
      kind: 'person',
      kontoId: 'k',
      createdAt: 1,
      updatedAt: 1,
    } as const
    await store.put({ ...base, state: 'pending' })
    expect((await store.pending()).map((r) => r.eksternReferanse)).toEqual(['felles-brev-x'])
    await store.put({ ...base, state: 'sent', id: 'svarut-1', updatedAt: 2 })
    await store.put({ ...base, state: 'pending', updatedAt: 3 })
    expect(await store.get('felles-brev-x')).toMatchObject({ state: 'sent', id: 'svarut-1', updatedAt: 2 })
    expect(await store.pending()).toEqual([])
  })

  it.skipIf(skip)('writes statuses idempotently and computes the benefits figures', async () => {
    const { db, dialect: d } = await open(dialect)
    const outbox = createOutbox(db, { dialect: d })
    const make = async (n: number) => {
      const id = await recordLetter(db, outbox, {
        caseId: null,
        recipient: { kind: 'person', pid: PID },
        title: `Brev ${n}`,
        letterKind: 'information',
        queuedBy: null,
        documents: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', content: PDF }],
      })
      await markLetterSent(db, { letterId: id, svarutId: `s-${n}`, at: new Date('2026-03-10T10:00:00Z') })
      return id
    }
    const ids = await Promise.all([1, 2, 3, 4].map(make))
    const at = (minutes: number) => new Date(Date.parse('2026-03-10T10:00:00Z') + minutes * 60_000)
    const status = (n: number, s: string, phase: string, final: boolean, minutes: number) =>
      recordLetterStatus(db, { svarutId: `s-${n}`, status: s, phase, final, at: at(minutes) })
    await status(1, 'VARSLET', 'delivered-digitally', false, 1)
    await status(1, 'LEST', 'read', true, 30)
    await status(1, 'LEST', 'read', true, 99) // reported again by another poller: no change
    await status(2, 'VARSLET', 'delivered-digitally', false, 1)
    await status(2, 'LEST', 'read', true, 90)
    await status(3, 'SENDT_PRINT', 'sent-to-print', false, 5)
    await status(3, 'PRINTET', 'printed', true, 1500)
    await status(4, 'AVVIST', 'failed', true, 2)
    expect(
      await recordLetterStatus(db, {
        svarutId: 'unknown',
        status: 'LEST',
        phase: 'read',
        final: true,
        at: at(1),
      }),
    ).toBeUndefined()
    const events = await db.selectFrom('letter_events').select(['letter_id', 'status', 'text']).execute()
    expect(
      events
        .filter((e) => e.letter_id === ids[0])
        .map((e) => e.text)
        .sort(),
    ).toEqual(['Brev sendt', 'Levert digitalt', 'Lest'].sort())

    await setUnitCosts(db, { print: 2000, digital: 200 })
    const report = await benefitsReport(db)
    expect(report.rows).toHaveLength(1)
    expect(report.rows[0]).toMatchObject({
      month: '2026-03',
      caseType: 'uten sak',
      sent: 4,
      digital: 2,
      printed: 1,
      failed: 1,
      read: 2,
      readRate: 0.5,
      medianMinutesToRead: 60, // (30 + 90) / 2
      costOre: 2000 + 3 * 200,
      savingsOre: 4 * 2000 - (2000 + 3 * 200),
    })
    await expect(setUnitCosts(db, { print: -1, digital: 0 })).rejects.toThrow(TypeError)
  })

  it.skipIf(skip)('seeds months of history for the dashboard once', async () => {
    const { db } = await open(dialect)
    const now = new Date('2026-11-30T12:00:00Z')
    expect(await seedCaseworkHistory(db, { now, months: 3, personsPerMonth: 2 })).toBe(true)
    expect(await seedCaseworkHistory(db, { now, months: 3, personsPerMonth: 2 })).toBe(false)
    const report = await benefitsReport(db)
    expect(report.totals.sent).toBe(3 * 2 * 4)
    expect(new Set(report.rows.map((r) => r.month))).toEqual(new Set(['2026-08', '2026-09', '2026-10']))
    expect(new Set(report.rows.map((r) => r.caseType))).toEqual(
      new Set(['byggesak', 'barnehageplass', 'skjenkebevilling']),
    )
    const t = report.totals
    expect(t.digital + t.printed + t.failed + t.open).toBe(t.sent)
    // History is decided: nothing from the past stays open (and overdue).
    const lifecycles = await db
      .selectFrom('cases')
      .select(['data'])
      .execute()
      .then((rows) => rows.map((r) => (JSON.parse(r.data) as { lifecycle: string }).lifecycle))
    expect(lifecycles.filter((l) => l !== 'decided' && l !== 'closed')).toEqual([])
  })
})
