import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getJson, haveSpecs, jamfProToken, START, send, specsDir, specTitle } from '../../test/helpers.js'
import { type MdmMock, startMdmMock } from '../index.js'
import { createJamfProValidator } from '../openapi.js'

type Results = { totalCount: number; results: Record<string, unknown>[] }
const onlyJamfPro = {
  jamfSchoolIpad: 0,
  jamfProIpad: 0.9,
  jamfProMac: 0.1,
  intuneWindows: 0,
  intuneIpad: 0,
  chromebook: 0,
}

describe('Jamf Pro emulator', () => {
  let mock: MdmMock
  let auth: Record<string, string>
  beforeEach(async () => {
    mock = await startMdmMock({
      seed: 'jamf-pro',
      devices: 2600,
      mix: onlyJamfPro,
      clock: { mode: 'manual', start: START },
    })
    auth = { Authorization: `Bearer ${await jamfProToken(mock)}` }
  })
  afterEach(() => mock.close())
  const api = (path: string): string => `${mock.urls.jamfPro}/api${path}`
  const mobiles = () => [...mock.world.devices({ vendor: 'jamfPro' })].filter((d) => d.kind === 'jamfProIpad')

  it('issues OAuth tokens that expire after 30 minutes', async () => {
    const res = await fetch(mock.urls.tokenEndpoints.jamfPro, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: mock.credentials.jamfPro.clientId,
        client_secret: mock.credentials.jamfPro.clientSecret,
      }),
    })
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string }
    expect(body.expires_in).toBe(1799)
    expect(body.token_type).toBe('Bearer')
    const h = { Authorization: `Bearer ${body.access_token}` }
    mock.clock.advance(29 * 60_000)
    expect((await getJson(api('/v1/sites'), h)).status).toBe(200)
    mock.clock.advance(60_000)
    const expired = await getJson<{ httpStatus: number; errors: { code: string }[] }>(api('/v1/sites'), h)
    expect(expired.status).toBe(401)
    expect(expired.body.httpStatus).toBe(401)
    const wrong = await fetch(mock.urls.tokenEndpoints.jamfPro, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }),
    })
    expect(wrong.status).toBe(401)
  })

  it('supports the legacy basic-auth token, keep-alive and invalidation', async () => {
    const c = mock.credentials.jamfPro
    const basic = {
      Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
    }
    const t = await send<{ token: string; expires: string }>(
      'POST',
      mock.urls.tokenEndpoints.jamfProBasic,
      basic,
    )
    expect(t.status).toBe(200)
    expect(Date.parse(t.body.expires) - mock.clock.now()).toBe(30 * 60_000)
    const h = { Authorization: `Bearer ${t.body.token}` }
    const k = await send<{ token: string }>('POST', api('/v1/auth/keep-alive'), h)
    expect(k.status).toBe(200)
    expect((await getJson(api('/v1/sites'), h)).status).toBe(401)
    const h2 = { Authorization: `Bearer ${k.body.token}` }
    expect((await send('POST', api('/v1/auth/invalidate-token'), h2)).status).toBe(204)
    expect((await getJson(api('/v1/sites'), h2)).status).toBe(401)
  })

  it('caps page-size at 2000 silently; totalCount tells when to stop', async () => {
    const first = await getJson<Results>(
      api('/v2/mobile-devices/detail?section=GENERAL&page-size=5000&page=0'),
      auth,
    )
    expect(first.body.results).toHaveLength(2000)
    expect(first.body.totalCount).toBe(mobiles().length)
    expect(first.body.totalCount).toBeGreaterThan(2000)
    const ids: string[] = []
    for (let page = 0; page * 2000 < first.body.totalCount; page++) {
      const r = await getJson<Results>(
        api(`/v2/mobile-devices/detail?section=GENERAL&page-size=5000&page=${page}`),
        auth,
      )
      ids.push(...r.body.results.map((d) => String(d.mobileDeviceId)))
    }
    expect(new Set(ids).size).toBe(mobiles().length)
    const v2 = await getJson<Results>(api('/v2/mobile-devices?page-size=3&sort=id:desc'), auth)
    expect(v2.body.results.map((d) => Number(d.id))).toEqual([
      mobiles().length,
      mobiles().length - 1,
      mobiles().length - 2,
    ])
  })

  it('returns only the requested sections; siteId is on the device but not filterable', async () => {
    const r = await getJson<Results>(
      api('/v2/mobile-devices/detail?section=GENERAL&section=HARDWARE&page-size=2'),
      auth,
    )
    expect(Object.keys(r.body.results[0]!).sort()).toEqual([
      'deviceType',
      'general',
      'hardware',
      'mobileDeviceId',
    ])
    const d = r.body.results[0] as { general: { siteId: string; udid: string } }
    const truth = mock.world.device(d.general.udid)!
    expect(d.general.siteId).toBe(truth.school ? truth.school.jamfPro.siteId : '-1')
    const bad = await getJson<{ errors: { code: string }[] }>(
      api('/v2/mobile-devices/detail?filter=siteId==1'),
      auth,
    )
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]!.code).toBe('INVALID_FIELD')
  })

  it('filters with RSQL, and can ignore the filter silently', async () => {
    const target = mobiles()[10]!
    const r = await getJson<Results>(
      api(`/v2/mobile-devices/detail?section=HARDWARE&filter=serialNumber=="${target.serialNumber}"`),
      auth,
    )
    expect(r.body.totalCount).toBe(1)
    expect((r.body.results[0] as { hardware: { serialNumber: string } }).hardware.serialNumber).toBe(
      target.serialNumber,
    )
    const wild = await getJson<Results>(
      api(`/v2/mobile-devices/detail?filter=serialNumber=="${target.serialNumber.slice(0, 8)}*"`),
      auth,
    )
    expect(wild.body.totalCount).toBeGreaterThanOrEqual(1)
    mock.setFault('jamfPro', { ignoreFilter: true })
    const ignored = await getJson<Results>(
      api(`/v2/mobile-devices/detail?filter=serialNumber=="${target.serialNumber}"`),
      auth,
    )
    expect(ignored.body.totalCount).toBe(mobiles().length)
  })

  it('lists sites and the objects of a site (the school boundary)', async () => {
    const sites = await getJson<{ id: string; name: string }[]>(api('/v1/sites'), auth)
    expect(sites.body).toHaveLength(mock.world.schools.length)
    const school = mock.world.schools[2]!
    const objects = await getJson<{ objectId: string; objectType: string; siteId: string }[]>(
      api(`/v1/sites/${school.jamfPro.siteId}/objects?filter=objectType=="Mobile Device"&page-size=2000`),
      auth,
    )
    const expected = mobiles()
      .filter((d) => d.schoolId === school.id)
      .map((d) => d.ids.jamfPro!)
      .sort()
    expect(objects.body.map((o) => o.objectId).sort()).toEqual(expected)
    expect(
      objects.body.every((o) => o.objectType === 'Mobile Device' && o.siteId === school.jamfPro.siteId),
    ).toBe(true)
  })

  it('queues MDM commands; status is PENDING until the device checks in', async () => {
    const device = mobiles().find((d) => d.supervised && d.online)!
    const post = await send<{ id: string; href: string }[]>('POST', api('/v2/mdm/commands'), auth, {
      clientData: [{ managementId: device.ids.jamfProManagementId }],
      commandData: {
        commandType: 'DEVICE_LOCK',
        message: 'Levér til kontoret',
        phoneNumber: '+47 22 00 00 00',
      },
    })
    expect(post.status).toBe(201)
    expect(post.body).toHaveLength(1)
    const status = async () =>
      (await getJson<Results>(post.body[0]!.href, auth)).body.results[0] as {
        commandState: string
        commandType: string
      }
    expect(await status()).toMatchObject({ commandState: 'PENDING', commandType: 'DEVICE_LOCK' })
    mock.checkIn(device.ids.jamfProManagementId!)
    expect((await status()).commandState).toBe('ACKNOWLEDGED')
    const unsupervised = mobiles().find((d) => !d.supervised)!
    const lost = await send<{ id: string }[]>('POST', api('/v2/mdm/commands'), auth, {
      clientData: [{ managementId: unsupervised.ids.jamfProManagementId }],
      commandData: { commandType: 'ENABLE_LOST_MODE', lostModeMessage: 'Mistet' },
    })
    mock.clock.advance(24 * 3_600_000)
    mock.checkIn(unsupervised.index)
    auth = { Authorization: `Bearer ${await jamfProToken(mock)}` }
    const r = await getJson<Results>(api(`/v2/mdm/commands?filter=uuid==${lost.body[0]!.id}`), auth)
    expect(r.body.results[0]).toMatchObject({ commandState: 'ERROR' })
    expect((await getJson(api('/v2/mdm/commands'), auth)).status).toBe(400)
    const byDevice = await getJson<Results>(
      api(
        `/v2/mdm/commands?filter=clientManagementId==${device.ids.jamfProManagementId};status==Acknowledged`,
      ),
      auth,
    )
    expect(byDevice.body.totalCount).toBe(1)
  })

  it('refuses commands for unknown devices and for clients without the privilege', async () => {
    const bad = await send('POST', api('/v2/mdm/commands'), auth, {
      clientData: [{ managementId: '00000000-0000-4000-8000-000000000000' }],
      commandData: { commandType: 'ERASE_DEVICE' },
    })
    expect(bad.status).toBe(400)
    const ro = { Authorization: `Bearer ${await jamfProToken(mock, true)}` }
    const denied = await send('POST', api('/v2/mdm/commands'), ro, {
      clientData: [{ managementId: mobiles()[0]!.ids.jamfProManagementId }],
      commandData: { commandType: 'ERASE_DEVICE' },
    })
    expect(denied.status).toBe(403)
    expect(mock.commands({ vendor: 'jamfPro' })).toHaveLength(0)
  })

  it('moves a device to another site with PATCH', async () => {
    const device = mobiles()[0]!
    const target = mock.world.schools.find((s) => s.id !== device.schoolId)!
    const r = await send<{ site: { id: string } }>(
      'PATCH',
      api(`/v2/mobile-devices/${device.ids.jamfPro}`),
      auth,
      {
        siteId: target.jamfPro.siteId,
      },
    )
    expect(r.status).toBe(200)
    expect(r.body.site.id).toBe(target.jamfPro.siteId)
    expect(mock.world.schoolOf(device.index)?.id).toBe(target.id)
  })

  it('answers 503 with an HTML page and 429 when throttled', async () => {
    mock.setFault('jamfPro', { unavailable: 1 })
    const res = await fetch(api('/v1/sites'), { headers: auth })
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('text/html')
    mock.setFault('jamfPro', { throttle: 1 })
    const t = await getJson(api('/v1/sites'), auth)
    expect(t.status).toBe(429)
    expect(t.headers.get('retry-after')).toBe('2')
    expect((await getJson(api('/v1/sites'), auth)).status).toBe(200)
  })

  it('lists computers with sections, capped pages and a site', async () => {
    const r = await getJson<Results>(
      api('/v1/computers-inventory?section=GENERAL&section=HARDWARE&page-size=10&sort=id:asc'),
      auth,
    )
    expect(r.body.totalCount).toBe(mock.world.count('jamfProMac'))
    const c = r.body.results[0] as { id: string; general: { site: { id: string }; managementId: string } }
    expect(c.id).toBe('1')
    expect(mock.world.device(c.general.managementId)?.kind).toBe('jamfProMac')
    expect((await getJson(api('/v1/computers-inventory?section=BOGUS'), auth)).status).toBe(400)
  })

  describe.skipIf(!haveSpecs)(
    specTitle(
      'requests and responses validated against ../shared/specs/mdm/jamf-pro/jamf-pro-api-11.7.1.json',
    ),
    () => {
      it('every exchange matches the OpenAPI document', async () => {
        const validator = await createJamfProValidator({
          specFile: join(specsDir, 'jamf-pro/jamf-pro-api-11.7.1.json'),
        })
        const v = await startMdmMock({
          seed: 'jamf-pro-openapi',
          devices: 400,
          mix: onlyJamfPro,
          clock: { mode: 'manual', start: START },
          jamfPro: { validator },
        })
        const byPath = await startMdmMock({
          devices: 10,
          jamfPro: { openApiSpec: join(specsDir, 'jamf-pro/jamf-pro-api-11.7.1.json') },
        })
        const bad = await send(
          'POST',
          `${byPath.urls.jamfPro}/api/v2/mdm/commands`,
          { Authorization: `Bearer ${await jamfProToken(byPath)}` },
          { clientData: 'x' },
        )
        expect(bad.status).toBe(400)
        expect(byPath.problems()).toHaveLength(1)
        await byPath.close()
        try {
          const h = { Authorization: `Bearer ${await jamfProToken(v)}` }
          const a = (p: string): string => `${v.urls.jamfPro}/api${p}`
          const device = [...v.world.devices({ vendor: 'jamfPro' })].find(
            (d) => d.kind === 'jamfProIpad' && d.supervised,
          )!
          const mac = [...v.world.devices({ vendor: 'jamfPro' })].find((d) => d.kind === 'jamfProMac')!
          const calls: [string, string, unknown?][] = [
            ['GET', a('/v1/sites')],
            [
              'GET',
              a(`/v1/sites/${v.world.schools[0]!.jamfPro.siteId}/objects?filter=objectType=="Mobile Device"`),
            ],
            ['GET', a('/v2/mobile-devices?page-size=5')],
            [
              'GET',
              a(
                '/v2/mobile-devices/detail?section=GENERAL&section=HARDWARE&section=USER_AND_LOCATION&section=SECURITY&page-size=20',
              ),
            ],
            ['GET', a(`/v2/mobile-devices/${device.ids.jamfPro}`)],
            ['GET', a(`/v2/mobile-devices/${device.ids.jamfPro}/detail`)],
            [
              'GET',
              a(
                '/v1/computers-inventory?section=GENERAL&section=HARDWARE&section=OPERATING_SYSTEM&section=USER_AND_LOCATION&page-size=5',
              ),
            ],
            ['GET', a(`/v1/computers-inventory-detail/${mac.ids.jamfPro}`)],
            ['GET', a('/v2/mobile-devices/999999')],
            [
              'POST',
              a('/v2/mdm/commands'),
              {
                clientData: [{ managementId: device.ids.jamfProManagementId }],
                commandData: {
                  commandType: 'ENABLE_LOST_MODE',
                  lostModeMessage: 'Mistet',
                  lostModePhone: '22 00 00 00',
                },
              },
            ],
            [
              'POST',
              a('/v2/mdm/commands'),
              {
                clientData: [{ managementId: device.ids.jamfProManagementId }],
                commandData: { commandType: 'DEVICE_LOCK', message: 'Lås', pin: '123456' },
              },
            ],
            ['GET', a(`/v2/mdm/commands?filter=clientManagementId==${device.ids.jamfProManagementId}`)],
            [
              'PATCH',
              a(`/v2/mobile-devices/${device.ids.jamfPro}`),
              { siteId: v.world.schools[1]!.jamfPro.siteId },
            ],
          ]
          for (const [method, url, body] of calls) {
            const r = await send(method, url, h, body)
            expect(r.status, `${method} ${url}`).toBeLessThan(500)
          }
          v.checkIn(device.index)
          await send(
            'GET',
            a(`/v2/mdm/commands?filter=clientManagementId==${device.ids.jamfProManagementId}`),
            h,
          )
          expect(v.problems()).toEqual([])
          // A request that breaks the document is refused with the validator's reasons.
          const broken = await send<{ errors: { description: string }[] }>('POST', a('/v2/mdm/commands'), h, {
            clientData: 'nope',
            commandData: { commandType: 'DEVICE_LOCK' },
          })
          expect(broken.status).toBe(400)
          expect(v.problems().length).toBeGreaterThan(0)
          // The validator itself catches a response that breaks the document.
          const wrong = validator({
            phase: 'response',
            method: 'GET',
            path: '/v2/mobile-devices/detail',
            query: new URLSearchParams(),
            status: 200,
            body: { totalCount: 'many', results: [{ mobileDeviceId: '1' }] },
          })
          expect(wrong?.length).toBeGreaterThanOrEqual(2)
        } finally {
          await v.close()
        }
      })
    },
  )
})
