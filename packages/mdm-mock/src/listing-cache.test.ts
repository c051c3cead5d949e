import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson, googleToken, graphToken, jamfProToken, jamfSchoolHeaders, START } from '../test/helpers.js'
import { type MdmMock, startMdmMock } from './index.js'

// List pages are served from records rendered once per world version. These tests hold the
// cached answers against a twin emulator (same seed, same clock) that renders them afresh.
let warm: MdmMock
let cold: MdmMock

const options = {
  seed: 'listing-cache',
  schools: 4,
  devices: 400,
  clock: { mode: 'manual', start: START },
} as const

beforeAll(async () => {
  warm = await startMdmMock(options)
  cold = await startMdmMock(options)
})
afterAll(async () => {
  await warm.close()
  await cold.close()
})

const SELECT =
  'id,serialNumber,deviceCategoryDisplayName,lastSyncDateTime,managementState,deviceActionResults'

/** The list answers of all four vendors, with what differs between two servers (origins, ids) taken out. */
async function lists(mock: MdmMock): Promise<Record<string, unknown>> {
  const graph = { Authorization: `Bearer ${await graphToken(mock)}` }
  const jamfPro = { Authorization: `Bearer ${await jamfProToken(mock)}` }
  const google = { Authorization: `Bearer ${await googleToken(mock)}` }
  const strip = (body: unknown): unknown =>
    JSON.parse(JSON.stringify(body).replaceAll(mock.urls.origin, 'ORIGIN'))
  const location = mock.world.schools[1]?.jamfSchool.locationId
  return {
    graph: strip(
      (await getJson(`${mock.urls.graph}/deviceManagement/managedDevices?$top=50&$select=${SELECT}`, graph))
        .body,
    ),
    graphFull: strip(
      (await getJson(`${mock.urls.graph}/deviceManagement/managedDevices?$top=20`, graph)).body,
    ),
    mobiles: (
      await getJson(
        `${mock.urls.jamfPro}/api/v2/mobile-devices/detail?section=GENERAL&section=SECURITY&page-size=40`,
        jamfPro,
      )
    ).body,
    computers: (
      await getJson(`${mock.urls.jamfPro}/api/v1/computers-inventory?section=GENERAL&page-size=40`, jamfPro)
    ).body,
    jamfSchool: (
      await getJson(`${mock.urls.jamfSchool}/devices?location=${location}`, jamfSchoolHeaders(mock))
    ).body,
    jamfSchoolApps: (
      await getJson(`${mock.urls.jamfSchool}/devices?includeApps=true`, jamfSchoolHeaders(mock))
    ).body,
    google: (
      await getJson(
        `${mock.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=50`,
        google,
      )
    ).body,
    googleBasic: (
      await getJson(
        `${mock.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=50&projection=BASIC`,
        google,
      )
    ).body,
  }
}

describe('list pages served from rendered records', () => {
  it('answer as a fresh rendering would once the clock has moved on', async () => {
    const first = await lists(warm)
    expect(first).toEqual(await lists(cold))
    // 40 minutes later every online device has checked in again: the times must follow.
    warm.clock.advance(40 * 60_000)
    cold.clock.advance(40 * 60_000)
    const later = await lists(warm)
    expect(later).not.toEqual(first)
    expect(later).toEqual(await lists(cold))
  })

  it('answer with the world’s changes: moves, lost mode, queued commands', async () => {
    await lists(warm) // fill the cache
    const w = warm.world
    const ipad = [...w.devices({ vendor: 'jamfSchool', schoolId: w.schools[0]?.id as string })][0]!
    const target = w.schools[1]!
    w.moveToSchool(ipad.index, target.index)
    const chromebook = [...w.devices({ vendor: 'google' })][0]!
    w.setChromeStatus(chromebook.index, 'DISABLED')
    const headers = jamfSchoolHeaders(warm)
    const listed = await getJson<{ devices: { UDID: string; locationId: number }[] }>(
      `${warm.urls.jamfSchool}/devices?location=${target.jamfSchool.locationId}`,
      headers,
    )
    expect(listed.body.devices.find((d) => d.UDID === ipad.ids.udid)?.locationId).toBe(
      target.jamfSchool.locationId,
    )
    const google = { Authorization: `Bearer ${await googleToken(warm)}` }
    const page = await getJson<{ chromeosdevices: { deviceId: string; status: string }[] }>(
      `${warm.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=300`,
      google,
    )
    expect(page.body.chromeosdevices.find((d) => d.deviceId === chromebook.ids.google)?.status).toBe(
      'DISABLED',
    )
    // A queued command shows in Graph's list at once (no change to the world itself).
    const windows = [...w.devices({ vendor: 'graph' })][0]!
    const graph = { Authorization: `Bearer ${await graphToken(warm)}` }
    const url = `${warm.urls.graph}/deviceManagement/managedDevices?$top=1000&$select=${SELECT}`
    await getJson(url, graph)
    const res = await fetch(
      `${warm.urls.graph}/deviceManagement/managedDevices/${windows.ids.graph}/syncDevice`,
      {
        method: 'POST',
        headers: graph,
      },
    )
    expect(res.status).toBe(204)
    const after = await getJson<{ value: { id: string; deviceActionResults: { actionName: string }[] }[] }>(
      url,
      graph,
    )
    expect(
      after.body.value.find((d) => d.id === windows.ids.graph)?.deviceActionResults.map((r) => r.actionName),
    ).toContain('syncDevice')
  })
})
