import { startIdportenMock } from '@felles/id-porten-mock'
import { type Dialect, openTestDatabase, type TestDatabase } from '@felles/sample-municipality'
import { createLogger, type LogEntry } from '@felles/sample-web'
import { createOffsetClock, type OffsetClock } from '@felles/sample-web/testing'
import { type SvarUtMock, startSvarUtMock } from '@felles/svarut-mock'
import { type Saksbehandling, startSaksbehandling } from '../../src/index.js'

/** The console against the identity mock and the SvarUt mock, on a fresh database. */
export interface Fixture {
  readonly idporten: Awaited<ReturnType<typeof startIdportenMock>>
  readonly svarut: SvarUtMock
  readonly app: Saksbehandling
  readonly database: TestDatabase
  readonly clock: OffsetClock
  readonly logs: LogEntry[]
  close(): Promise<void>
}

/** Mock person 0 is the team lead and person 4 an officer (both write for the municipality); person 1 works elsewhere. */
export const TEAM_LEAD = { person: 0 } as const
export const OFFICER = { person: 4 } as const
export const OUTSIDER = { person: 1 } as const

/**
 * Starts the identity mock, the SvarUt mock (whose world knows the mock's
 * persons, notified through Altinn so that a letter stays open until read) and the console with its in-process
 * worker and a fast status poller.
 */
export async function startFixture(dialect: Dialect, options: { worker?: boolean } = {}): Promise<Fixture> {
  const idporten = await startIdportenMock()
  const persons = idporten.persons.flatMap((p) =>
    p.nationalId === undefined ? [] : [{ digitalId: p.nationalId, name: p.name, channel: 'altinn' as const }],
  )
  const svarut = await startSvarUtMock({
    world: { persons, timings: { accept: 50, dispatch: 100, deliver: 200 } },
  })
  const database = await openTestDatabase(dialect)
  const clock = createOffsetClock()
  const logs: LogEntry[] = []
  const app = await startSaksbehandling({
    port: 0,
    database,
    ansattportenMock: idporten,
    clock,
    logger: createLogger((entry) => logs.push(entry)),
    cookieSecret: 'a test cookie secret that is long enough',
    svarut: {
      environment: svarut.apiUrl,
      kontoId: svarut.credentials.kontoId,
      integrationId: svarut.credentials.integrasjonId,
      integrationPassword: svarut.credentials.integrasjonPassord,
      token: svarut.credentials.token ?? '',
      lookupDelayMs: 50,
    },
    worker: options.worker ?? true,
    pollIntervalMs: 200,
  })
  return {
    idporten,
    svarut,
    app,
    database,
    clock,
    logs,
    async close() {
      await app.close()
      await database.dispose()
      await svarut.close()
      await idporten.close()
    },
  }
}
