import { type IdportenMock, startIdportenMock } from '@felles/id-porten-mock'
import type { MdmMock } from '@felles/mdm-mock'
import type { SampleDatabase } from '@felles/sample-municipality'
import { createLogger, fromMockClient, type LogEntry, mockRegistration } from '@felles/sample-web'
import { createOffsetClock, type OffsetClock } from '@felles/sample-web/testing'
import { createClock, type SvarUtMock, startSvarUtMock } from '@felles/svarut-mock'
import { mdmConnectionFromMock } from '../src/mdm-connection.js'
import { type SkoleNettbrett, startSkoleNettbrett } from '../src/server.js'
import { type Engine, instantClock, openTestDatabase, startTestMdm } from './helpers.js'

/** Everything a test of the running console needs. */
export interface Harness {
  readonly app: SkoleNettbrett
  readonly url: string
  readonly database: SampleDatabase
  readonly idMock: IdportenMock
  readonly mdmMock: MdmMock
  readonly svarutMock: SvarUtMock
  readonly clock: OffsetClock
  readonly logs: LogEntry[]
  /** The emulator schools registered at start: A (person 1), B (person 2), C (reportee org of person 3). */
  readonly schoolA: string
  readonly schoolB: string
  readonly schoolC: string
  /** An emulator school not registered, for onboarding. */
  readonly unregistered: MdmMock['world']['schools'][number]
  close(): Promise<void>
}

/**
 * Starts the identity, MDM and SvarUt emulators and the console on a fresh
 * database, registers three of four schools with administrators, and runs one
 * inventory sync. Person 0 is central IT.
 */
export async function startHarness(
  engine: Engine,
  world: { devices?: number; seed?: string } = {},
): Promise<Harness> {
  const database = await openTestDatabase(engine)
  const idMock = await startIdportenMock({ seed: 'skole-nettbrett-test' })
  const mdmMock = await startTestMdm({
    seed: world.seed ?? 'skole-http',
    schools: 4,
    devices: world.devices ?? 400,
  })
  const svarutMock = await startSvarUtMock({
    clock: createClock({ mode: 'manual', start: '2026-11-30T08:00:00Z' }),
  })
  const clock = createOffsetClock()
  const logs: LogEntry[] = []
  const [a, b, c, d] = mdmMock.world.schools as [
    MdmMock['world']['schools'][number],
    MdmMock['world']['schools'][number],
    MdmMock['world']['schools'][number],
    MdmMock['world']['schools'][number],
  ]
  const persons = idMock.persons
  const cred = svarutMock.credentials
  const app = await startSkoleNettbrett({
    database,
    identity: async (url) => ({
      issuer: `${idMock.url}/ansattporten`,
      client: fromMockClient(
        await idMock.registerClient(mockRegistration(url, 'ansattporten', 'Skole-nettbrett')),
      ),
    }),
    mdm: { ...mdmConnectionFromMock(mdmMock), clock: instantClock(), timeout: false },
    svarut: {
      apiUrl: svarutMock.apiUrl,
      kontoId: cred.kontoId,
      integrationId: cred.integrasjonId,
      integrationPassword: cred.integrasjonPassord,
      token: cred.token ?? '',
    },
    sync: false,
    onboardingPollMs: 0,
    clock,
    cookieSecret: 'test-cookie-secret-that-is-long-enough-1234',
    logger: createLogger((entry) => logs.push(entry)),
    now: () => new Date('2026-11-30T08:00:00Z'),
    seed: {
      schools: [a, b, c],
      admins: [
        {
          subjectKind: 'pid',
          subject: persons[0]!.nationalId!,
          role: 'central-it',
          schoolId: '*',
          displayName: 'Sentral IT',
        },
        {
          subjectKind: 'pid',
          subject: persons[1]!.nationalId!,
          role: 'school-admin',
          schoolId: a.id,
          displayName: 'Admin A',
        },
        {
          subjectKind: 'pid',
          subject: persons[2]!.nationalId!,
          role: 'school-admin',
          schoolId: b.id,
          displayName: 'Admin B',
        },
        // Administrator of the school central IT onboards during the tests (access starts when it exists).
        {
          subjectKind: 'pid',
          subject: persons[5]!.nationalId!,
          role: 'school-admin',
          schoolId: d.id,
          displayName: 'Admin D',
        },
        {
          subjectKind: 'orgnr',
          subject: idMock.organisations[3]!.organisationNumber,
          role: 'school-admin',
          schoolId: c.id,
        },
      ],
    },
  })
  const summaries = await app.sync.runAll()
  if (!summaries.every((s) => s.state === 'done'))
    throw new Error(`sync failed: ${JSON.stringify(summaries)}`)
  return {
    app,
    url: app.url,
    database,
    idMock,
    mdmMock,
    svarutMock,
    clock,
    logs,
    schoolA: a.id,
    schoolB: b.id,
    schoolC: c.id,
    unregistered: d,
    async close() {
      await app.close()
      await Promise.all([idMock.close(), mdmMock.close(), svarutMock.close()])
      await database.drop()
    },
  }
}
