import { citizenView, parseCase } from '@felles/case-status'
import { afterAll, describe, expect, it } from 'vitest'
import { seedBulk } from './bulk-seed.js'
import {
  explainCitizenQueries,
  getCitizenCase,
  getCitizenCaseData,
  getCitizenLetter,
  getLetterDocument,
  listCitizenCaseHeads,
  listCitizenCases,
  listCitizenLetters,
} from './citizen.js'
import type { Dialect } from './database.js'
import { DEMO_CASE_TYPES, seedDemo } from './seed.js'
import { openTestDatabase, postgresAvailable, type TestDatabase } from './testing.js'

const hasPostgres = await postgresAvailable()
const opened: TestDatabase[] = []
afterAll(async () => {
  for (const d of opened) await d.dispose()
})
const open = async (dialect: Dialect): Promise<TestDatabase> => {
  const d = await openTestDatabase(dialect)
  opened.push(d)
  return d
}

const kari = { nationalId: '21879498012', givenName: 'Kari', familyName: 'Nordmann' }
const ola = { nationalId: '20914695016', givenName: 'Ola', familyName: 'Nordmann' }

describe.each(['sqlite', 'postgres'] as Dialect[])('Min side data on %s', (dialect) => {
  const skip = dialect === 'postgres' && !hasPostgres

  it.skipIf(skip)(
    'seeds the demo once, with valid cases in several states, scoped to their owner',
    async () => {
      const { db } = await open(dialect)
      expect(await seedDemo(db, [kari, ola])).toBe(true)
      expect(await seedDemo(db, [kari, ola])).toBe(false)
      const cases = await listCitizenCases(db, kari.nationalId)
      expect(cases).toHaveLength(4)
      const states = new Set<string>()
      for (const row of cases) {
        const caseType = DEMO_CASE_TYPES[row.caseType]
        expect(caseType).toBeDefined()
        const parsed = parseCase(row.data, { caseType: caseType as NonNullable<typeof caseType> })
        expect(parsed.ok).toBe(true)
        if (!parsed.ok) continue
        states.add(parsed.value.lifecycle)
        const view = citizenView(parsed.value, 'nb', {
          caseType: caseType as NonNullable<typeof caseType>,
          asOf: new Date().toISOString(),
        })
        expect(JSON.stringify(view)).not.toContain(kari.nationalId)
      }
      expect([...states].sort()).toEqual(['awaiting_citizen', 'decided', 'in_progress', 'received'])
      // The list's two-step read: the same cases in the same order, data only for the ids asked, and
      // never another person's.
      const heads = await listCitizenCaseHeads(db, kari.nationalId)
      expect(heads).toEqual(cases.map(({ data: _data, ...head }) => head))
      const data = await getCitizenCaseData(
        db,
        kari.nationalId,
        heads.slice(0, 2).map((h) => h.id),
      )
      expect([...data.keys()].sort()).toEqual(
        heads
          .slice(0, 2)
          .map((h) => h.id)
          .sort(),
      )
      expect(data.get(heads[0]?.id as string)?.data).toBe(cases[0]?.data)
      expect((await getCitizenCaseData(db, ola.nationalId, [heads[0]?.id as string])).size).toBe(0)
      expect((await getCitizenCaseData(db, kari.nationalId, [])).size).toBe(0)
      const first = cases[0] as (typeof cases)[number]
      expect(await getCitizenCase(db, kari.nationalId, first.id)).toBeDefined()
      expect(await getCitizenCase(db, ola.nationalId, first.id)).toBeUndefined()
      expect(first.id).toMatch(/^sak-[a-z2-7]{26}$/)

      const letters = await listCitizenLetters(db, kari.nationalId)
      expect(letters).toHaveLength(4)
      expect(new Set(letters.map((l) => l.phase)).size).toBeGreaterThan(2)
      const letter = letters[0] as (typeof letters)[number]
      expect(await getCitizenLetter(db, ola.nationalId, letter.id)).toBeUndefined()
      const pdf = await getLetterDocument(db, letter.id)
      expect(
        Buffer.from(pdf?.content ?? [])
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-')
    },
  )

  it.skipIf(skip)('bulk-seeds citizens and cases, and the list queries use indexes', async () => {
    const database = await open(dialect)
    const { db } = database
    expect(database.sqlite !== undefined).toBe(dialect === 'sqlite')
    const result = await seedBulk(database, { citizens: 200, cases: 2_000 })
    expect(result.seeded).toBe(true)
    expect((await seedBulk(db, { citizens: 200, cases: 2_000 })).seeded).toBe(false)
    expect(
      Number(
        (
          await db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirst()
        )?.n,
      ),
    ).toBe(2_000)
    const pid = result.samplePids[0] as string
    const cases = await listCitizenCases(db, pid)
    expect(cases).toHaveLength(10)
    expect(cases.every((c) => c.data.includes(pid))).toBe(true)
    const plans = await explainCitizenQueries(db, dialect, pid)
    const caseList = plans.find((p) => p.query === 'case list')?.plan.join('\n') ?? ''
    expect(caseList).toMatch(/cases_owner_pid_updated/)
  })
})
