import { startIdportenMock } from '@felles/id-porten-mock'
import { type Dialect, openTestDatabase, type TestDatabase } from '@felles/sample-municipality'
import { createLogger, type LogEntry } from '@felles/sample-web'
import { createOffsetClock, type OffsetClock } from '@felles/sample-web/testing'
import { type MinSide, startMinSide } from '../src/index.js'

/** A running Min side against the identity mock on a fresh database. */
export interface Fixture {
  readonly mock: Awaited<ReturnType<typeof startIdportenMock>>
  readonly app: MinSide
  readonly database: TestDatabase
  readonly clock: OffsetClock
  readonly logs: LogEntry[]
  /** The mock's persons with a national id (the demo is seeded for them). */
  readonly persons: readonly { readonly nationalId: string; readonly name: string; readonly id: string }[]
  close(): Promise<void>
}

/**
 * Starts the identity mock and Min side (its own client registered at the mock,
 * the demo seeded for the mock's persons) on a fresh SQLite file or PostgreSQL schema.
 */
export async function startFixture(dialect: Dialect): Promise<Fixture> {
  const mock = await startIdportenMock()
  const database = await openTestDatabase(dialect)
  const clock = createOffsetClock()
  const logs: LogEntry[] = []
  const app = await startMinSide({
    port: 0,
    database,
    idportenMock: mock,
    clock,
    logger: createLogger((entry) => logs.push(entry)),
    cookieSecret: 'a test cookie secret that is long enough',
  })
  const persons = mock.persons.flatMap((p) =>
    p.nationalId === undefined ? [] : [{ nationalId: p.nationalId, name: p.name, id: p.id }],
  )
  return {
    mock,
    app,
    database,
    clock,
    logs,
    persons,
    async close() {
      await app.close()
      await database.dispose()
      await mock.close()
    },
  }
}
