import { startMdmMock } from '@felles/mdm-mock'

const mock = await startMdmMock({ seed: 'demo', schools: 30, devices: 5000, clock: { mode: 'manual' } })

// Jamf Pro: OAuth client credentials, tokens live 30 minutes.
const token = await fetch(mock.urls.tokenEndpoints.jamfPro, {
  method: 'POST',
  body: new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: mock.credentials.jamfPro.clientId,
    client_secret: mock.credentials.jamfPro.clientSecret,
  }),
}).then((r) => r.json())
const page = await fetch(`${mock.urls.jamfPro}/api/v2/mobile-devices/detail?section=GENERAL&page-size=2000`, {
  headers: { Authorization: `Bearer ${token.access_token}` },
}).then((r) => r.json())

// Ground truth: which school owns this device?
const first = page.results[0]
mock.world.schoolOf(first.general.udid)?.name

mock.clock.advance(31 * 60_000) // the Jamf Pro token is now expired
await mock.close()
