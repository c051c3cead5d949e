import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  getJson,
  googleAssertion,
  googleToken,
  haveSpecs,
  START,
  send,
  specsDir,
  specTitle,
} from '../../test/helpers.js'
import { type MdmMock, startMdmMock } from '../index.js'

type List = { kind: string; chromeosdevices?: Record<string, unknown>[]; nextPageToken?: string }

describe('Google Admin SDK (ChromeOS) emulator', () => {
  let mock: MdmMock
  let h: Record<string, string>
  beforeEach(async () => {
    mock = await startMdmMock({
      seed: 'google',
      devices: 3000,
      clock: { mode: 'manual', start: START },
      google: { queriesPerMinute: 200 },
    })
    h = { Authorization: `Bearer ${await googleToken(mock)}` }
  })
  afterEach(() => mock.close())
  const devicesUrl = (q = ''): string =>
    `${mock.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos${q}`
  const chromebooks = () => [...mock.world.devices({ vendor: 'google' })]
  const tokenRequest = (assertion: string) =>
    fetch(mock.urls.tokenEndpoints.google, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
    })

  it('accepts only RS256 assertions signed with the service-account key, impersonating an admin', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
    const forged = await tokenRequest(googleAssertion(mock, {}, other))
    expect(forged.status).toBe(400)
    expect(await forged.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Invalid JWT Signature.',
    })
    const old = await tokenRequest(googleAssertion(mock, { iat: 1_000_000, exp: 1_003_600 }))
    expect(old.status).toBe(400)
    const notAdmin = await tokenRequest(googleAssertion(mock, { sub: 'elev@example.org' }))
    expect(notAdmin.status).toBe(400)
    const scope = await tokenRequest(
      googleAssertion(mock, { scope: 'https://www.googleapis.com/auth/admin.directory.user' }),
    )
    expect(scope.status).toBe(401)
    expect(((await scope.json()) as { error: string }).error).toBe('unauthorized_client')
    // Without domain-wide delegation (no sub) the token is issued but the Admin SDK refuses it.
    const res = await tokenRequest(googleAssertion(mock, { sub: undefined as unknown as string }))
    const noSub = ((await res.json()) as { access_token: string }).access_token
    const r = await getJson<{ error: { code: number; errors: { reason: string }[] } }>(devicesUrl(), {
      Authorization: `Bearer ${noSub}`,
    })
    expect(r.status).toBe(403)
    expect(r.body.error.errors[0]!.reason).toBe('forbidden')
  })

  it('pages with pageToken/maxResults (≤ 300) over every Chromebook', async () => {
    expect((await getJson(devicesUrl('?maxResults=301'), h)).status).toBe(400)
    const ids: string[] = []
    let token: string | undefined
    let pages = 0
    do {
      const r: { body: List } = await getJson<List>(
        devicesUrl(`?maxResults=300&projection=BASIC${token ? `&pageToken=${token}` : ''}`),
        h,
      )
      ids.push(...(r.body.chromeosdevices ?? []).map((d) => String(d.deviceId)))
      token = r.body.nextPageToken
      pages++
    } while (token && pages < 50)
    expect(ids.sort()).toEqual(
      chromebooks()
        .map((d) => d.ids.google!)
        .sort(),
    )
    expect(pages).toBe(Math.ceil(chromebooks().length / 300))
  })

  it('drops nextPageToken when `fields` does not ask for it', async () => {
    const without = await getJson<List>(
      devicesUrl('?maxResults=10&fields=chromeosdevices(deviceId,serialNumber)'),
      h,
    )
    expect(without.body.nextPageToken).toBeUndefined()
    expect(Object.keys(without.body.chromeosdevices![0]!).sort()).toEqual(['deviceId', 'serialNumber'])
    const withToken = await getJson<List>(
      devicesUrl('?maxResults=10&fields=nextPageToken,chromeosdevices(deviceId)'),
      h,
    )
    expect(withToken.body.nextPageToken).toBeTruthy()
  })

  it('filters by org unit: only direct members unless includeChildOrgunits; no prefix leaks (Berg vs Bergheim)', async () => {
    const berg = mock.world.schools.find((s) => s.name.startsWith('Berg '))!
    expect(mock.world.schools.some((s) => s.name.startsWith('Bergheim'))).toBe(true)
    const path = encodeURIComponent(berg.google.orgUnitPath)
    const expected = chromebooks()
      .filter((d) => d.schoolId === berg.id)
      .map((d) => d.ids.google!)
      .sort()
    const withChildren = await getJson<List>(
      devicesUrl(`?orgUnitPath=${path}&includeChildOrgunits=true&maxResults=300`),
      h,
    )
    expect((withChildren.body.chromeosdevices ?? []).map((d) => d.deviceId).sort()).toEqual(expected)
    const direct = await getJson<List>(devicesUrl(`?orgUnitPath=${path}&maxResults=300`), h)
    expect((direct.body.chromeosdevices ?? []).length).toBeLessThan(expected.length)
    expect((direct.body.chromeosdevices ?? []).every((d) => d.orgUnitPath === berg.google.orgUnitPath)).toBe(
      true,
    )
    mock.setFault('google', { ignoreFilter: ['orgUnitPath'] })
    const ignored = await getJson<List>(
      devicesUrl(
        `?orgUnitPath=${path}&includeChildOrgunits=true&maxResults=300&fields=chromeosdevices(deviceId)`,
      ),
      h,
    )
    expect(ignored.body.chromeosdevices!.length).toBe(Math.min(300, chromebooks().length))
  })

  it('lists org units (school units and their children)', async () => {
    const r = await getJson<{ organizationUnits: { orgUnitPath: string }[] }>(
      `${mock.urls.google}/admin/directory/v1/customer/my_customer/orgunits?type=all`,
      h,
    )
    const paths = r.body.organizationUnits.map((u) => u.orgUnitPath)
    for (const s of mock.world.schools) expect(paths).toContain(`${s.google.orgUnitPath}/Elever`)
    const one = await getJson<{ orgUnitPath: string }>(
      `${mock.urls.google}/admin/directory/v1/customer/my_customer/orgunits/${encodeURIComponent(mock.world.schools[0]!.google.orgUnitPath.slice(1))}`,
      h,
    )
    expect(one.body.orgUnitPath).toBe(mock.world.schools[0]!.google.orgUnitPath)
  })

  it('repeats the page token when told to', async () => {
    mock.setFault('google', { repeatNextPage: true })
    const p1 = await getJson<List>(devicesUrl('?maxResults=5'), h)
    const p2 = await getJson<List>(devicesUrl(`?maxResults=5&pageToken=${p1.body.nextPageToken}`), h)
    expect(p2.body.nextPageToken).toBe(p1.body.nextPageToken)
  })

  it('answers 403 userRateLimitExceeded over quota, not 429', async () => {
    const small = await startMdmMock({
      seed: 'google',
      devices: 100,
      clock: { mode: 'manual', start: START },
      google: { queriesPerMinute: 3 },
    })
    try {
      const hh = { Authorization: `Bearer ${await googleToken(small)}` }
      const url = `${small.urls.google}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=1`
      for (let i = 0; i < 3; i++) expect((await getJson(url, hh)).status).toBe(200)
      const r = await getJson<{ error: { code: number; errors: { reason: string; domain: string }[] } }>(
        url,
        hh,
      )
      expect(r.status).toBe(403)
      expect(r.body.error.errors[0]).toMatchObject({ reason: 'userRateLimitExceeded', domain: 'usageLimits' })
      small.clock.advance(60_000)
      expect((await getJson(url, hh)).status).toBe(200)
      small.setFault('google', { throttle: 1, rateLimitReason: 'rateLimitExceeded' })
      const forced = await getJson<{ error: { errors: { reason: string }[] } }>(url, hh)
      expect(forced.status).toBe(403)
      expect(forced.body.error.errors[0]!.reason).toBe('rateLimitExceeded')
    } finally {
      await small.close()
    }
  })

  it('disables, re-enables and deprovisions (with a reason) through chromeosdevices.action', async () => {
    const d = chromebooks()[0]!
    const action = `${devicesUrl()}/${d.ids.google}/action`
    expect((await send('POST', action, h, { action: 'disable' })).status).toBe(204)
    expect((await getJson<{ status: string }>(`${devicesUrl()}/${d.ids.google}`, h)).body.status).toBe(
      'DISABLED',
    )
    expect(mock.world.device(d.index)!.state).toBe('disabled')
    expect((await send('POST', action, h, { action: 'reenable' })).status).toBe(204)
    expect((await send('POST', action, h, { action: 'deprovision' })).status).toBe(400)
    expect(
      (await send('POST', action, h, { action: 'deprovision', deprovisionReason: 'retiring_device' })).status,
    ).toBe(204)
    expect((await send('POST', action, h, { action: 'disable' })).status).toBe(412)
    const batch = await send<{ changeChromeOsDeviceStatusResults: { deviceId: string; error?: unknown }[] }>(
      'POST',
      `${devicesUrl()}:batchChangeStatus`,
      h,
      {
        deviceIds: [chromebooks()[1]!.ids.google, 'nope'],
        changeChromeOsDeviceStatusAction: 'CHANGE_CHROME_OS_DEVICE_STATUS_ACTION_DISABLE',
      },
    )
    expect(batch.body.changeChromeOsDeviceStatusResults.map((r) => r.error === undefined)).toEqual([
      true,
      false,
    ])
  })

  it('issueCommand: PENDING until check-in, then EXECUTED_BY_CLIENT; REBOOT fails outside kiosk; offline commands expire', async () => {
    const online = chromebooks().find((d) => d.online)!
    const issue = await send<{ commandId: string }>(
      'POST',
      `${devicesUrl()}/${online.ids.google}:issueCommand`,
      h,
      {
        commandType: 'REMOTE_POWERWASH',
      },
    )
    expect(issue.status).toBe(200)
    const cmdUrl = `${devicesUrl()}/${online.ids.google}/commands/${issue.body.commandId}`
    expect((await getJson<{ state: string }>(cmdUrl, h)).body.state).toBe('PENDING')
    mock.clock.advance(15 * 60_000)
    h = { Authorization: `Bearer ${await googleToken(mock)}` }
    expect((await getJson<Record<string, unknown>>(cmdUrl, h)).body).toMatchObject({
      state: 'EXECUTED_BY_CLIENT',
      commandResult: { result: 'SUCCESS' },
    })
    const pupil = chromebooks().find((d) => !mock.world.kiosk(d.index))!
    const kiosk = chromebooks().find((d) => mock.world.kiosk(d.index))!
    for (const [device, expected] of [
      [pupil, 'FAILURE'],
      [kiosk, 'SUCCESS'],
    ] as const) {
      const reboot = await send<{ commandId: string }>(
        'POST',
        `${devicesUrl()}/${device.ids.google}:issueCommand`,
        h,
        { commandType: 'REBOOT' },
      )
      mock.checkIn(device.index)
      const r = await getJson<{ commandResult: { result: string } }>(
        `${devicesUrl()}/${device.ids.google}/commands/${reboot.body.commandId}`,
        h,
      )
      expect(r.body.commandResult.result).toBe(expected)
    }
    const offline = chromebooks().find((d) => !d.online)!
    const wipe = await send<{ commandId: string }>(
      'POST',
      `${devicesUrl()}/${offline.ids.google}:issueCommand`,
      h,
      { commandType: 'WIPE_USERS' },
    )
    mock.clock.advance(73 * 3_600_000)
    h = { Authorization: `Bearer ${await googleToken(mock)}` }
    expect(
      (
        await getJson<{ state: string }>(
          `${devicesUrl()}/${offline.ids.google}/commands/${wipe.body.commandId}`,
          h,
        )
      ).body.state,
    ).toBe('EXPIRED')
  })

  it('moves devices between org units (and so between schools)', async () => {
    const d = chromebooks().find((x) => x.school)!
    const target = mock.world.schools.find((s) => s.id !== d.schoolId)!
    const r = await send(
      'POST',
      `${devicesUrl()}/moveDevicesToOu?orgUnitPath=${encodeURIComponent(`${target.google.orgUnitPath}/Elever`)}`,
      h,
      {
        deviceIds: [d.ids.google],
      },
    )
    expect(r.status).toBe(204)
    expect(mock.world.schoolOf(d.index)?.id).toBe(target.id)
    expect(
      (await getJson<{ orgUnitPath: string }>(`${devicesUrl()}/${d.ids.google}`, h)).body.orgUnitPath,
    ).toBe(`${target.google.orgUnitPath}/Elever`)
  })

  describe.skipIf(!haveSpecs)(specTitle('shapes against ../shared/specs/mdm/google/admin-api.json'), () => {
    it('chromeosdevice, list, org unit and command fields exist in the discovery document', async () => {
      const doc = JSON.parse(readFileSync(join(specsDir, 'google/admin-api.json'), 'utf8')) as {
        schemas: Record<string, { properties: Record<string, { type?: string }> }>
      }
      const props = (name: string): Record<string, { type?: string }> => doc.schemas[name]!.properties
      const list = (await getJson<List>(devicesUrl('?maxResults=20'), h)).body
      for (const k of Object.keys(list)) expect(props('ChromeOsDevices')).toHaveProperty(k)
      for (const d of list.chromeosdevices!) {
        for (const [k, v] of Object.entries(d)) {
          const p = props('ChromeOsDevice')[k]
          expect(p, `ChromeOsDevice.${k}`).toBeDefined()
          const type = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v
          expect(
            type === 'number' ? 'integer' : type === 'boolean' ? 'boolean' : type,
            `ChromeOsDevice.${k}`,
          ).toBe(p!.type === 'number' ? 'integer' : p!.type)
        }
      }
      const ou = await getJson<{ organizationUnits: Record<string, unknown>[] }>(
        `${mock.urls.google}/admin/directory/v1/customer/my_customer/orgunits?type=all`,
        h,
      )
      for (const k of Object.keys(ou.body)) expect(props('OrgUnits')).toHaveProperty(k)
      for (const k of Object.keys(ou.body.organizationUnits[0]!)) expect(props('OrgUnit')).toHaveProperty(k)
      const d = chromebooks()[0]!
      const issue = await send<{ commandId: string }>(
        'POST',
        `${devicesUrl()}/${d.ids.google}:issueCommand`,
        h,
        { commandType: 'WIPE_USERS' },
      )
      for (const k of Object.keys(issue.body))
        expect(props('DirectoryChromeosdevicesIssueCommandResponse')).toHaveProperty(k)
      mock.checkIn(d.index)
      const c = await getJson<Record<string, unknown>>(
        `${devicesUrl()}/${d.ids.google}/commands/${issue.body.commandId}`,
        h,
      )
      for (const k of Object.keys(c.body)) expect(props('DirectoryChromeosdevicesCommand')).toHaveProperty(k)
      for (const k of Object.keys(c.body.commandResult as object))
        expect(props('DirectoryChromeosdevicesCommandResult')).toHaveProperty(k)
      const states = (
        doc.schemas.DirectoryChromeosdevicesCommand!.properties.state as unknown as { enum: string[] }
      ).enum
      expect(states).toContain(c.body.state)
    })
  })
})
