import {
  type Dialect,
  listCitizenCases,
  listCitizenLetters,
  postgresAvailable,
} from '@felles/sample-municipality'
import { securitySuite } from '@felles/sample-web/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import { type Fixture, startFixture } from './support.js'

const hasPostgres = await postgresAvailable()

describe.each(['sqlite', 'postgres'] as Dialect[])('security.md 37–45 over HTTP on %s', (dialect) => {
  let f: Fixture
  beforeAll(async () => {
    if (dialect === 'postgres' && !hasPostgres) return
    f = await startFixture(dialect)
  })
  afterAll(async () => {
    await f?.close()
  })

  describe.skipIf(dialect === 'postgres' && !hasPostgres)('cases', () => {
    securitySuite({
      context: () => ({
        appUrl: f.app.url,
        issuer: f.mock.issuer,
        clock: f.clock,
        logs: f.logs,
        sessionCookieName: f.app.sessionCookieName,
      }),
      personalPaths: ['/saker', '/brev', '/okt', '/'],
      publicPaths: ['/', '/personvern', '/tilgjengelighet'],
      person: { person: 0 },
      otherPerson: { person: 1 },
      foreign: async () => {
        const other = f.persons[1] as Fixture['persons'][number]
        const [theirCase] = await listCitizenCases(f.database.db, other.nationalId)
        const [theirLetter] = await listCitizenLetters(f.database.db, other.nationalId)
        return {
          paths: [`/saker/${theirCase?.id}`, `/brev/${theirLetter?.id}`],
          hidden: [other.nationalId, other.name],
        }
      },
    })
  })
})
