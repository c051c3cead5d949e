// Emulator cost of a full 50,000-device inventory per vendor, against the
// natural baseline: minimal requests to the same server. The @felles/mdm
// adapter benchmarks run against this emulator with 50 ms of latency per
// request; this shows how much of their wall time the emulator itself takes.
import { bench, describe } from 'vitest'
import { type MdmMock, startMdmMock } from '../src/index.js'
import { getJson, googleToken, graphToken, jamfProToken, jamfSchoolHeaders } from '../test/helpers.js'

interface State {
  mock: MdmMock
  graph: Record<string, string>
  jamfPro: Record<string, string>
  google: Record<string, string>
  baselineMs: number
}
let state: Promise<State> | undefined
const ITERATIONS = 3
const WARMUP = 1
let googleRuns = 0

async function init(): Promise<State> {
  const t = performance.now()
  const mock = await startMdmMock({ seed: 'bench', devices: 50_000 })
  const startup = performance.now() - t
  const graph = { Authorization: `Bearer ${await graphToken(mock)}` }
  const jamfPro = { Authorization: `Bearer ${await jamfProToken(mock)}` }
  const google = { Authorization: `Bearer ${await googleToken(mock)}` }
  for (let i = 0; i < 20; i++) await getJson(`${mock.urls.jamfSchool}/locations`, jamfSchoolHeaders(mock))
  const b = performance.now()
  for (let i = 0; i < 200; i++) await getJson(`${mock.urls.jamfSchool}/locations`, jamfSchoolHeaders(mock))
  const baselineMs = (performance.now() - b) / 200
  process.stdout.write(
    `\n[mdm-mock] start-up with 50,000 devices: ${startup.toFixed(0)} ms; baseline minimal request: ${baselineMs.toFixed(2)} ms\n`,
  )
  return { mock, graph, jamfPro, google, baselineMs }
}

const runs = new Map<string, number[]>()

async function measure(name: string, fn: (s: State) => Promise<number>): Promise<void> {
  state ??= init()
  const s = await state
  const t = performance.now()
  const requests = await fn(s)
  const times = runs.get(name) ?? []
  times.push(performance.now() - t)
  runs.set(name, times)
  if (times.length === ITERATIONS + WARMUP) {
    // Average of the measured runs (the first one warms the JIT up).
    const ms = times.slice(WARMUP).reduce((a, b) => a + b, 0) / ITERATIONS
    const per = ms / requests
    process.stdout.write(
      `[mdm-mock] ${name}: ${ms.toFixed(0)} ms for ${requests} requests = ${per.toFixed(1)} ms/request (${(per / s.baselineMs).toFixed(0)}× a minimal request)\n`,
    )
  }
}

const options = { iterations: ITERATIONS, warmupIterations: WARMUP, time: 0, warmupTime: 0 }

describe('50,000-device inventory through the emulator', () => {
  bench(
    'Graph managedDevices, $top=1000, 8 properties',
    () =>
      measure('Graph managedDevices, $top=1000, $select 8 properties', async (s) => {
        let next: string | undefined =
          `${s.mock.urls.graph}/deviceManagement/managedDevices?$select=id,serialNumber,deviceName,osVersion,complianceState,lastSyncDateTime,deviceCategoryDisplayName,userPrincipalName`
        let n = 0
        while (next) {
          const r: { body: { '@odata.nextLink'?: string } } = await getJson(next, s.graph)
          next = r.body['@odata.nextLink']
          n++
        }
        return n
      }),
    options,
  )

  bench(
    'Jamf Pro mobile-devices/detail, page-size 2000',
    () =>
      measure('Jamf Pro mobile-devices/detail, page-size 2000, GENERAL+HARDWARE', async (s) => {
        let n = 0
        for (let p = 0; ; p++) {
          const r = await getJson<{ totalCount: number }>(
            `${s.mock.urls.jamfPro}/api/v2/mobile-devices/detail?section=GENERAL&section=HARDWARE&page-size=2000&page=${p}`,
            s.jamfPro,
          )
          n++
          if ((p + 1) * 2000 >= r.body.totalCount) break
        }
        return n
      }),
    options,
  )

  bench(
    'Jamf School /devices',
    () =>
      measure('Jamf School /devices (whole list, streamed)', async (s) => {
        await getJson(`${s.mock.urls.jamfSchool}/devices`, jamfSchoolHeaders(s.mock))
        return 1
      }),
    options,
  )

  bench(
    'Google chromeos, maxResults=300',
    async () => {
      await measure('Google chromeos, maxResults=300, BASIC', async (s) => {
        let token: string | undefined
        let n = 0
        do {
          const r: { body: { nextPageToken?: string } } = await getJson(
            `${s.mock.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=300&projection=BASIC${token ? `&pageToken=${token}` : ''}`,
            s.google,
          )
          token = r.body.nextPageToken
          n++
        } while (token)
        return n
      })
      // Last benchmark of the file: stop the emulator after its final run.
      if (++googleRuns === ITERATIONS + WARMUP) await (await state!).mock.close()
    },
    options,
  )
})
