import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  getJson,
  haveSpecs,
  jamfSchoolHeaders,
  START,
  send,
  specsDir,
  specTitle,
} from '../../test/helpers.js'
import { type MdmMock, startMdmMock } from '../index.js'

type DeviceList = { code: number; count: number; devices: Record<string, unknown>[] }

describe('Jamf School emulator', () => {
  let mock: MdmMock
  let h: Record<string, string>
  beforeEach(async () => {
    mock = await startMdmMock({ seed: 'jamf-school', devices: 3000, clock: { mode: 'manual', start: START } })
    h = jamfSchoolHeaders(mock)
  })
  afterEach(() => mock.close())
  const api = (p: string): string => `${mock.urls.jamfSchool}${p}`
  const ipads = () => [...mock.world.devices({ vendor: 'jamfSchool' })]

  it('needs basic auth and the protocol header; a key without the permission gets 405', async () => {
    expect((await getJson(api('/devices'), {})).status).toBe(401)
    const noHeader = await getJson<{ code: number; message: string }>(api('/devices'), {
      Authorization: h.Authorization!,
    })
    expect(noHeader.status).toBe(400)
    const ro = jamfSchoolHeaders(mock, true)
    expect((await getJson(api('/devices'), ro)).status).toBe(200)
    const denied = await send<{ error: { code: number; message: string } }>(
      'POST',
      api(`/devices/${ipads()[0]!.ids.udid}/wipe`),
      ro,
    )
    expect(denied.status).toBe(405)
    expect(denied.body).toEqual({
      error: { code: 405, message: 'Requested method (POST) not allowed using this API key' },
    })
  })

  it('returns the whole list at once (no paging), filterable by location', async () => {
    const r = await getJson<DeviceList>(api('/devices?page=2&limit=10'), h)
    expect(r.body.code).toBe(200)
    expect(r.body.devices).toHaveLength(ipads().length)
    expect(r.body.count).toBe(ipads().length)
    const school = mock.world.schools[5]!
    const byLocation = await getJson<DeviceList>(api(`/devices?location=${school.jamfSchool.locationId}`), h)
    expect(byLocation.body.devices.map((d) => d.UDID).sort()).toEqual(
      ipads()
        .filter((d) => d.schoolId === school.id)
        .map((d) => d.ids.udid)
        .sort(),
    )
    mock.setFault('jamfSchool', { ignoreFilter: ['location'] })
    const ignored = await getJson<DeviceList>(api(`/devices?location=${school.jamfSchool.locationId}`), h)
    expect(ignored.body.devices).toHaveLength(ipads().length)
  })

  it('answers its inconsistent bodies: DeviceNotFound, DeviceWipeScheduled without code', async () => {
    const missing = await getJson(api('/devices/00008101-0000000000000000'), h)
    expect(missing.status).toBe(404)
    expect(missing.body).toEqual({ code: 404, message: 'DeviceNotFound' })
    const device = ipads().find((d) => d.online)!
    const wipe = await send('POST', api(`/devices/${device.ids.udid}/wipe`), h)
    expect(wipe.body).toEqual({ message: 'DeviceWipeScheduled', device: device.ids.udid })
    expect(mock.commands({ deviceId: device.index })[0]!.status).toBe('pending')
    mock.clock.advance(15 * 60_000)
    expect(mock.commands({ deviceId: device.index })[0]!.status).toBe('completed')
    const refresh = await send<{ code: number; message: string; UUID: string }>(
      'POST',
      api(`/devices/${device.ids.udid}/refresh`),
      h,
    )
    expect(refresh.body).toMatchObject({ code: 200, message: 'CommandScheduled' })
  })

  it('restart needs supervision: an unsupervised iPad refuses it at check-in', async () => {
    const device = ipads().find((d) => !d.supervised)!
    await send('POST', api(`/devices/${device.ids.udid}/restart`), h)
    const [c] = mock.checkIn(device.ids.udid!)
    expect(c).toMatchObject({ status: 'failed', error: 'The device is not supervised.' })
  })

  it('migrates up to 20 devices between locations and reports each', async () => {
    const school = mock.world.schools[1]!
    const others = ipads().filter((d) => d.schoolId !== school.id)
    const same = ipads().find((d) => d.schoolId === school.id)!
    const tooMany = await send('PUT', api('/devices/migrate'), h, {
      devices: others.slice(0, 21).map((d) => d.ids.udid),
      location: school.jamfSchool.locationId,
    })
    expect(tooMany.status).toBe(400)
    const r = await send<Record<string, unknown>>('PUT', api('/devices/migrate'), h, {
      devices: [others[0]!.ids.udid, same.ids.udid, '00008101-0000000000000000'],
      location: school.jamfSchool.locationId,
    })
    expect(r.body).toEqual({
      code: 200,
      devicesMoved: [others[0]!.ids.udid],
      devicesNotFound: ['00008101-0000000000000000'],
      devicesLocationSame: [same.ids.udid],
      devicesMoveFailed: [],
    })
    expect(mock.world.schoolOf(others[0]!.index)?.id).toBe(school.id)
    const one = await send('PUT', api(`/devices/${others[1]!.ids.udid}/migrate`), h, {
      location: school.jamfSchool.locationId,
    })
    expect(one.body).toEqual({ code: 200, message: 'DeviceMoved' })
    expect(mock.world.schoolOf(others[1]!.ids.udid!)?.id).toBe(school.id)
  })

  it('lists locations and users', async () => {
    const l = await getJson<{ locations: { id: number; name: string }[] }>(api('/locations'), h)
    expect(l.body.locations.map((x) => x.name)).toEqual(mock.world.schools.map((s) => s.name))
    const single = await getJson<{ id: number }>(api(`/locations/${l.body.locations[0]!.id}`), h)
    expect(single.body.id).toBe(l.body.locations[0]!.id)
    const u = await getJson<{ code: number; users: { id: number }[] }>(api('/users'), h)
    expect(u.body.users.length).toBeGreaterThan(0)
    const one = await getJson<{ user: { id: number } }>(api(`/users/${u.body.users[0]!.id}`), h)
    expect(one.body.user.id).toBe(u.body.users[0]!.id)
    expect((await getJson(api('/users/1'), h)).body).toEqual({ code: 404, message: 'UserNotFound' })
  })

  describe.skipIf(!haveSpecs)(
    specTitle('shapes like the recorded responses in ../shared/specs/mdm/jamf-school'),
    () => {
      const recorded = (name: string): unknown =>
        JSON.parse(readFileSync(join(specsDir, 'jamf-school', name), 'utf8'))
      const keysOf = (o: unknown): string[] => Object.keys(o as object).sort()

      it('device list and device detail have the recorded keys, nested too', async () => {
        const rec = recorded('GET_devices__200.json') as DeviceList
        const ours = (await getJson<DeviceList>(api('/devices'), h)).body
        expect(keysOf(ours)).toEqual(keysOf(rec))
        const recKeys = new Set(rec.devices.flatMap((d) => Object.keys(d)))
        const required = Object.keys(rec.devices[0]!)
        for (const d of ours.devices.slice(0, 50)) {
          for (const k of Object.keys(d)) expect(recKeys, `list key ${k}`).toContain(k)
          for (const k of required) expect(d, `list key ${k}`).toHaveProperty(k)
          for (const nested of ['model', 'os', 'networkInformation']) {
            expect(keysOf(d[nested])).toEqual(keysOf(rec.devices[0]![nested]))
          }
          if (Object.keys(d.owner as object).length > 0)
            expect(keysOf(d.owner)).toEqual(keysOf(rec.devices[0]!.owner))
        }
        const recSingle = recorded('GET_devices_udid__200.json') as { device: Record<string, unknown> }
        const recNoOwner = recorded('GET_devices_udid__200__no_owner.json') as {
          device: Record<string, unknown>
        }
        for (const d of ipads().slice(0, 30)) {
          const one = (
            await getJson<{ code: number; device: Record<string, unknown> }>(api(`/devices/${d.ids.udid}`), h)
          ).body
          expect(keysOf(one)).toEqual(keysOf(recSingle))
          expect(keysOf(one.device)).toEqual(keysOf(recSingle.device))
          for (const nested of ['model', 'os', 'region', 'lastCheckin']) {
            expect(keysOf(one.device[nested])).toEqual(keysOf(recSingle.device[nested]))
          }
          expect(keysOf(one.device.owner)).toEqual(
            Object.keys(one.device.owner as object).length === 0
              ? keysOf(recNoOwner.device.owner)
              : keysOf(recSingle.device.owner),
          )
        }
      })

      it('errors, actions, locations, users and migrate answers have the recorded keys', async () => {
        const udid = ipads()[0]!.ids.udid!
        const pairs: [string, unknown][] = [
          ['GET_devices_udid__404.json', (await getJson(api('/devices/00008101-0000000000000000'), h)).body],
          [
            'GET_devices__405.json',
            (await send('POST', api(`/devices/${udid}/refresh`), jamfSchoolHeaders(mock, true))).body,
          ],
          ['POST_devices_udid_wipe__200.json', (await send('POST', api(`/devices/${udid}/wipe`), h)).body],
          [
            'POST_devices_udid_refresh__200.json',
            (await send('POST', api(`/devices/${udid}/refresh`), h)).body,
          ],
          [
            'POST_devices_udid_restore__200.json',
            (await send('POST', api(`/devices/${udid}/restore`), h)).body,
          ],
          [
            'POST_devices_udid_activationlock_clear__200.json',
            (await send('POST', api(`/devices/${udid}/activationlock/clear`), h)).body,
          ],
          [
            'POST_devices_udid_details__200.json',
            (await send('POST', api(`/devices/${udid}/details`), h, { notes: 'x' })).body,
          ],
          [
            'PUT_devices_udid_owner__200.json',
            (await send('PUT', api(`/devices/${udid}/owner`), h, { user: 1001 })).body,
          ],
          [
            'PUT_devices_udid_migrate__200.json',
            (await send('PUT', api(`/devices/${udid}/migrate`), h, { location: 1 })).body,
          ],
          [
            'PUT_devices_migrate__200.json',
            (await send('PUT', api('/devices/migrate'), h, { devices: [udid], location: 2 })).body,
          ],
          ['GET_users_id__404.json', (await getJson(api('/users/1'), h)).body],
        ]
        for (const [file, body] of pairs) {
          const rec = recorded(file) as Record<string, unknown>
          expect(keysOf(body), file).toEqual(keysOf(rec))
          if (typeof rec.message === 'string' && rec.message !== '[redacted]')
            expect((body as { message: string }).message, file).toBe(rec.message)
        }
        const loc = recorded('GET_locations__200.json') as { locations: Record<string, unknown>[] }
        const ours = (await getJson<{ locations: Record<string, unknown>[] }>(api('/locations'), h)).body
        expect(keysOf(ours)).toEqual(keysOf(loc))
        expect(keysOf(ours.locations[0])).toEqual(keysOf(loc.locations[0]))
        const users = recorded('GET_users__200.json') as { users: Record<string, unknown>[] }
        const ourUsers = (await getJson<{ users: Record<string, unknown>[] }>(api('/users'), h)).body
        expect(keysOf(ourUsers)).toEqual(keysOf(users))
        expect(keysOf(ourUsers.users[0])).toEqual(keysOf(users.users[0]))
        const user = recorded('GET_users_id__200.json') as { user: Record<string, unknown> }
        const ourUser = (
          await getJson<{ user: Record<string, unknown> }>(api(`/users/${ourUsers.users[0]!.id}`), h)
        ).body
        expect(keysOf(ourUser.user)).toEqual(keysOf(user.user))
      })
    },
  )
})
