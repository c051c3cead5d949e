import { startMdmMock } from '@felles/mdm-mock'

const mock = await startMdmMock({ clock: { mode: 'manual', start: '2025-03-03T08:00:00Z' } })
const ipad = [...mock.world.devices({ vendor: 'jamfSchool' })][0]!
// …POST /devices/{udid}/restart to mock.urls.jamfSchool…
mock.commands({ status: 'pending' }) // the restart is queued
mock.clock.advance(15 * 60_000) // every online device has checked in since
mock.checkIn(ipad.serialNumber) // or make one device check in now (any identifier)
await mock.close()
