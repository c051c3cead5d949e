import { type Dialect, postgresAvailable } from '@felles/sample-municipality'
import { securitySuite } from '@felles/sample-web/testing'
import { afterAll, beforeAll, describe } from 'vitest'
import { type Fixture, OFFICER, startFixture, TEAM_LEAD } from './support/fixture.js'

const hasPostgres = await postgresAvailable()

// security.md 37–45 for the console. Case 44 (another citizen's thing) has no
// counterpart between two officers of the same municipality; its analogue,
// an employee of another organisation and unknown case ids, is in app.test.ts.
describe.each(['sqlite', 'postgres'] as Dialect[])('security.md 37–45 over HTTP on %s', (dialect) => {
  let f: Fixture
  beforeAll(async () => {
    if (dialect === 'postgres' && !hasPostgres) return
    f = await startFixture(dialect, { worker: false })
  })
  afterAll(async () => {
    await f?.close()
  })

  describe.skipIf(dialect === 'postgres' && !hasPostgres)('cases', () => {
    securitySuite({
      context: () => ({
        appUrl: f.app.url,
        issuer: f.idporten.issuers.ansattporten,
        clock: f.clock,
        logs: f.logs,
        sessionCookieName: f.app.sessionCookieName,
      }),
      personalPaths: ['/saker', '/saker/ny', '/gevinster'],
      publicPaths: ['/'],
      person: OFFICER,
      otherPerson: TEAM_LEAD,
      forms: [
        {
          path: '/saker/ny',
          fields: { track: 'byggesak:ordinary', title: 'x', partyId: '', partyName: 'x' },
        },
        { path: '/gevinster/kostnader', fields: { print: '1', digital: '1' } },
      ],
    })
  })
})
