import { z } from 'zod'
import type { CommandKind } from '../commands.js'
import {
  basic,
  type Env,
  type Exchange,
  json,
  parseJson,
  type Reply,
  retryAfterHeader,
} from '../internal/http.js'
import type { World } from '../world.js'

/** A Jamf School API key (HTTP Basic `NetworkID:APIKey`). */
export interface JamfSchoolKey {
  readonly networkId: string
  readonly apiKey: string
  /** HTTP methods the key may use; others answer 405 as Jamf School does. */
  readonly methods: readonly ('GET' | 'POST' | 'PUT' | 'DELETE')[]
}

/** Options of the Jamf School emulator. */
export interface JamfSchoolOptions {
  readonly keys: readonly JamfSchoolKey[]
}

const MigrateMany = z.object({
  devices: z.array(z.string()),
  location: z.union([z.number().int(), z.string().regex(/^\d+$/)]),
})
const MigrateOne = z.object({ location: z.union([z.number().int(), z.string().regex(/^\d+$/)]) })
const Owner = z.object({ user: z.union([z.number().int(), z.string().regex(/^\d+$/)]) })
const Details = z
  .object({ name: z.string().optional(), assetTag: z.string().optional(), notes: z.string().optional() })
  .loose()

/** Jamf School's `YYYY-MM-DD HH:MM:SS` (server time, Europe/Oslo here). */
function stamp(ms: number): string {
  const d = new Date(ms + osloOffset(ms))
  return d.toISOString().slice(0, 19).replace('T', ' ')
}

const summerTime = new Map<number, readonly [number, number]>()

function osloOffset(ms: number): number {
  // CET/CEST: last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
  const y = new Date(ms).getUTCFullYear()
  let range = summerTime.get(y)
  if (!range) {
    const lastSunday = (month: number): number => {
      const d = new Date(Date.UTC(y, month + 1, 0, 1))
      return d.getTime() - d.getUTCDay() * 86_400_000
    }
    range = [lastSunday(2), lastSunday(9)] as const
    summerTime.set(y, range)
  }
  return ms >= range[0] && ms < range[1] ? 7_200_000 : 3_600_000
}

// Stands in for the check-in times in a cached record (a string no field can hold).
const TIME_SLOT = '\u0000time\u0000'
const TIME_SLOT_JSON = JSON.stringify(TIME_SLOT)

/** The Jamf School emulator. */
export class JamfSchoolEmulator {
  private readonly env: Env
  private readonly options: JamfSchoolOptions
  private listedCache: {
    version: number
    plain: Map<number, string[]>
    apps: Map<number, string[]>
  } = { version: -1, plain: new Map(), apps: new Map() }

  constructor(env: Env, options: JamfSchoolOptions) {
    this.env = env
    this.options = options
  }

  private get world(): World {
    return this.env.world
  }

  /** 503 answer. */
  unavailable(): Reply {
    return json(503, { code: 503, message: 'ServiceUnavailable' })
  }

  /** Forced 429 answer. */
  throttled(): Reply {
    const f = this.env.faults.get('jamfSchool')
    return json(
      429,
      { code: 429, message: 'TooManyRequests' },
      retryAfterHeader(f.retryAfter, f.retryAfterSeconds ?? 2, this.env.now()),
    )
  }

  /** Handles a request below `/jamf-school`. */
  async handle(ex: Exchange): Promise<Reply> {
    if (!ex.path.startsWith('/api/')) return json(404, { code: 404, message: 'NotFound' })
    const cred = basic(ex.headers)
    const key = this.options.keys.find((k) => k.networkId === cred?.user && k.apiKey === cred?.password)
    if (!key) return json(401, { code: 401, message: 'Unauthorized' })
    const protocol = ex.headers['x-server-protocol-version']
    if (protocol === undefined) return json(400, { code: 400, message: 'MissingProtocolVersion' })
    if (protocol !== '3' && protocol !== '4')
      return json(400, { code: 400, message: 'UnsupportedProtocolVersion' })
    if (!key.methods.includes(ex.method as 'GET')) {
      return json(405, {
        error: { code: 405, message: `Requested method (${ex.method}) not allowed using this API key` },
      })
    }
    this.env.queue.settle()
    const path = ex.path.slice(4).replace(/\/+$/, '')
    let body: unknown
    try {
      body = parseJson(ex.body)
    } catch {
      return json(400, { code: 400, message: 'InvalidJSON' })
    }
    return this.route(ex, path, body)
  }

  private route(ex: Exchange, path: string, body: unknown): Reply {
    const m = ex.method
    const w = this.world
    if (path === '/devices' && m === 'GET') return this.listDevices(ex.query)
    if (path === '/devices/migrate' && m === 'PUT') return this.migrateMany(body)
    if (path === '/locations' && m === 'GET') {
      return json(200, { locations: w.schools.map((s) => this.location(s.index)) })
    }
    const loc = /^\/locations\/(\d+)$/.exec(path)
    if (loc && m === 'GET') {
      const school = w.schools.find((s) => s.jamfSchool.locationId === Number(loc[1]))
      return school
        ? json(200, this.location(school.index))
        : json(404, { code: 404, message: 'LocationNotFound' })
    }
    if (path === '/users' && m === 'GET') return this.listUsers(ex.query)
    const user = /^\/users\/(\d+)$/.exec(path)
    if (user && m === 'GET') {
      const userIndex = Number(user[1]) - 1000
      if (userIndex < 0 || userIndex >= w.size || !w.isKind(userIndex, 'jamfSchoolIpad')) {
        return json(404, { code: 404, message: 'UserNotFound' })
      }
      // The single-user answer has no `vpp` (the list has it), as recorded.
      const { vpp: _vpp, ...single } = this.user(userIndex)
      return json(200, { code: 200, user: single })
    }
    const dev = /^\/devices\/([^/]+)(?:\/(.+))?$/.exec(path)
    if (!dev) return json(404, { code: 404, message: 'NotFound' })
    const udid = decodeURIComponent(dev[1]!)
    const index = w.byUdid(udid)
    if (index < 0 || !w.isKind(index, 'jamfSchoolIpad'))
      return json(404, { code: 404, message: 'DeviceNotFound' })
    const action = dev[2]
    if (action === undefined && m === 'GET') return json(200, { code: 200, device: this.deviceSingle(index) })
    if (m === 'POST') {
      const schedule = (kind: CommandKind, vendorType: string): string =>
        this.env.queue.enqueue({ vendor: 'jamfSchool', deviceIndex: index, kind, vendorType }).id
      switch (action) {
        case 'restart':
          return json(200, { code: 200, message: 'CommandScheduled', UUID: schedule('restart', 'restart') })
        case 'refresh':
          return json(200, { code: 200, message: 'CommandScheduled', UUID: schedule('sync', 'refresh') })
        case 'wipe':
          schedule('wipe', 'wipe')
          // Jamf School's wipe answer has no `code`.
          return json(200, { message: 'DeviceWipeScheduled', device: w.udid(index) })
        case 'unenroll':
          schedule('unenroll', 'unenroll')
          return json(200, { code: 200, message: 'DeviceUnenrollScheduled', device: w.udid(index) })
        case 'restore':
          return json(200, { code: 200, message: 'DeviceRestored', device: w.udid(index) })
        case 'activationlock/clear':
          schedule('other', 'activationlock/clear')
          return json(200, { message: 'Unlocked', device: w.udid(index) })
        case 'details': {
          const d = Details.safeParse(body ?? {})
          if (!d.success) return json(400, { code: 400, message: 'InvalidDetails' })
          w.update(index, {
            ...(d.data.name === undefined ? {} : { name: d.data.name }),
            ...(d.data.assetTag === undefined ? {} : { assetTag: d.data.assetTag }),
            ...(d.data.notes === undefined ? {} : { notes: d.data.notes }),
          })
          return json(200, { code: 200, message: 'DeviceUpdated' })
        }
      }
    }
    if (m === 'PUT' && action === 'owner') {
      const o = Owner.safeParse(body)
      if (!o.success) return json(400, { code: 400, message: 'InvalidUser' })
      const userIndex = Number(o.data.user) - 1000
      if (userIndex < 0 || userIndex >= w.size) return json(404, { code: 404, message: 'UserNotFound' })
      w.update(index, { ownerUserId: Number(o.data.user) })
      return json(200, { code: 200, message: 'DeviceSaved' })
    }
    if (m === 'PUT' && action === 'migrate') {
      const o = MigrateOne.safeParse(body)
      if (!o.success) return json(400, { code: 400, message: 'InvalidLocation' })
      const school = w.schools.find((s) => s.jamfSchool.locationId === Number(o.data.location))
      if (!school) return json(404, { code: 404, message: 'LocationNotFound' })
      w.moveToSchool(index, school.index)
      return json(200, { code: 200, message: 'DeviceMoved' })
    }
    return json(404, { code: 404, message: 'NotFound' })
  }

  private migrateMany(body: unknown): Reply {
    const parsed = MigrateMany.safeParse(body)
    if (!parsed.success) return json(400, { code: 400, message: 'InvalidRequest' })
    if (parsed.data.devices.length > 20) {
      return json(400, { error: { code: 400, message: 'A maximum of 20 devices can be migrated at once' } })
    }
    const w = this.world
    const school = w.schools.find((s) => s.jamfSchool.locationId === Number(parsed.data.location))
    if (!school) return json(404, { code: 404, message: 'LocationNotFound' })
    const moved: string[] = []
    const notFound: string[] = []
    const same: string[] = []
    for (const udid of parsed.data.devices) {
      const i = w.byUdid(udid)
      if (i < 0 || !w.isKind(i, 'jamfSchoolIpad')) notFound.push(udid)
      else if (w.schoolIndexOf(i) === school.index) same.push(udid)
      else {
        w.moveToSchool(i, school.index)
        moved.push(udid)
      }
    }
    return json(200, {
      code: 200,
      devicesMoved: moved,
      devicesNotFound: notFound,
      devicesLocationSame: same,
      devicesMoveFailed: [],
    })
  }

  private location(schoolIndex: number): Record<string, unknown> {
    const s = this.world.schools[schoolIndex]!
    return {
      id: s.jamfSchool.locationId,
      name: s.name,
      isDistrict: false,
      street: `${s.name.split(' ')[0]}veien`,
      streetNumber: String(1 + (s.index % 40)),
      postalCode: String(1300 + s.index).padStart(4, '0'),
      city: this.world.municipality,
      source: 'ASM',
      asmIdentifier: null,
      schoolNumber: null,
    }
  }

  private locationIdOf(index: number): number {
    return this.world.schoolAt(index)?.jamfSchool.locationId ?? 0
  }

  private listDevices(q: URLSearchParams): Reply {
    const w = this.world
    const f = this.env.faults.get('jamfSchool')
    const ignored = (name: string): boolean =>
      f.ignoreFilter === true ||
      (Array.isArray(f.ignoreFilter) && (f.ignoreFilter as readonly string[]).includes(name))
    const location = q.get('location')
    const serial = q.get('serialnumber')
    const owner = q.get('owner')
    const assetTag = q.get('assettag')
    const leak = f.filterLeak ?? 0
    const includeApps = q.get('includeApps') === 'true' || q.get('includeApps') === '1'
    const matches: number[] = []
    for (const i of w.indicesOfKind('jamfSchoolIpad')) {
      if (!w.present(i)) continue
      let ok = true
      if (location !== null && !ignored('location') && String(this.locationIdOf(i)) !== location) ok = false
      if (ok && serial !== null && !ignored('serialnumber') && w.serial(i) !== serial.toUpperCase())
        ok = false
      if (ok && owner !== null && !ignored('owner') && String(w.owner(i)?.userId ?? '') !== owner) ok = false
      if (ok && assetTag !== null && !ignored('assettag') && w.assetTag(i) !== assetTag) ok = false
      if (ok || (leak > 0 && (i * 2654435761) % 1000 < leak * 1000)) matches.push(i)
    }
    // No paging: the whole list, streamed so 50,000 devices never sit in one string.
    const self = this
    const now = this.env.now()
    function* chunks(): Generator<string> {
      yield `{"code":200,"count":${matches.length},"devices":[`
      let first = true
      let buffer = ''
      for (const i of matches) {
        buffer += (first ? '' : ',') + self.listedJson(i, includeApps, now)
        first = false
        if (buffer.length > 65_536) {
          yield buffer
          buffer = ''
        }
      }
      yield `${buffer}]}`
    }
    return { status: 200, contentType: 'application/json', chunks: chunks() }
  }

  /**
   * One device of the list as JSON text. Everything but the check-in times is
   * rendered once per world version and kept; the times are filled in per
   * request, so a large fleet is served without rebuilding 21,000 records
   * each time while every answer stays what `deviceListed` would give now.
   */
  private listedJson(index: number, includeApps: boolean, now: number): string {
    if (this.listedCache.version !== this.world.version) {
      this.listedCache = { version: this.world.version, plain: new Map(), apps: new Map() }
    }
    const cache = includeApps ? this.listedCache.apps : this.listedCache.plain
    let parts = cache.get(index)
    if (parts === undefined) {
      const record = this.deviceListed(index, includeApps)
      record.lastCheckin = TIME_SLOT
      record.modified = TIME_SLOT
      parts = JSON.stringify(record).split(TIME_SLOT_JSON)
      cache.set(index, parts)
    }
    const time = JSON.stringify(stamp(this.world.lastSeen(index, now)))
    return parts.join(time)
  }

  private ownerListed(index: number): Record<string, unknown> {
    const o = this.world.owner(index)
    if (!o) return {}
    return {
      id: o.userId,
      locationId: this.locationIdOf(index),
      username: o.username,
      email: o.email,
      firstName: o.firstName,
      lastName: o.lastName,
      name: `${o.firstName} ${o.lastName}`,
      vpp: [],
      notes: '',
      modified: stamp(this.world.enrolledAt(index)),
    }
  }

  private groups(index: number): string[] {
    const g = this.world.grade(index)
    return [`${g}. trinn`, 'Elev-iPader']
  }

  private deviceListed(index: number, includeApps: boolean): Record<string, unknown> {
    const w = this.world
    const model = w.appleModel(index)
    const storage = w.storage(index)
    const now = this.env.now()
    const lost = w.lostMode(index)
    const out: Record<string, unknown> = {
      UDID: w.udid(index),
      locationId: this.locationIdOf(index),
      serialNumber: w.serial(index),
      assetTag: w.assetTag(index),
      class: `${w.grade(index)}${'ABC'[index % 3]}`,
      model: { name: model.name, identifier: model.identifier, type: 'iPad' },
      os: { prefix: 'iPadOS', version: w.osVersion(index) },
      name: w.deviceName(index),
      owner: this.ownerListed(index),
      isManaged: w.managed(index),
      isSupervised: w.supervised(index),
      enrollType: w.supervised(index) ? 'dep' : 'ac2',
      depProfile: w.supervised(index) ? 'Elev-iPad ADE' : '',
      groups: this.groups(index),
      batteryLevel: w.battery(index),
      totalCapacity: Math.round(storage.total / 1e9),
      availableCapacity: Math.round((storage.free / 1e9) * 100) / 100,
      iCloudBackupEnabled: false,
      iCloudBackupLatest: '',
      iTunesStoreLoggedIn: false,
      region: lost ? { string: 'Lost', coordinates: '59.91,10.75' } : { string: '' },
      notes: w.notes(index),
      lastCheckin: stamp(w.lastSeen(index, now)),
      modified: stamp(w.lastSeen(index, now)),
      networkInformation: {
        IPAddress: `10.${40 + (w.schoolAt(index)?.index ?? 0)}.${(index >> 8) % 250}.${index % 250}`,
        isNetworkTethered: 'false',
        BluetoothMAC: w.macAddress(index).replace(/^02/, '06').toLowerCase(),
        WiFiMAC: w.macAddress(index).toLowerCase(),
        VoiceRoamingEnabled: 'false',
        DataRoamingEnabled: 'false',
        PersonalHotspotEnabled: 'false',
      },
    }
    if (includeApps) {
      out.apps = [
        {
          name: 'Showbie',
          identifier: 'com.showbie.showbie',
          version: '7.3.1',
          vendor: 'Showbie Inc',
          icon: '',
        },
        {
          name: 'Book Creator',
          identifier: 'com.redjumper.bookcreator',
          version: '5.8',
          vendor: 'Red Jumper',
          icon: '',
        },
      ]
    }
    return out
  }

  private deviceSingle(index: number): Record<string, unknown> {
    const w = this.world
    const model = w.appleModel(index)
    const storage = w.storage(index)
    const now = this.env.now()
    const o = w.owner(index)
    const lost = w.lostMode(index)
    return {
      UDID: w.udid(index),
      locationId: this.locationIdOf(index),
      serialNumber: w.serial(index),
      assetTag: w.assetTag(index),
      inTrash: false,
      class: `${w.grade(index)}${'ABC'[index % 3]}`,
      model: { name: model.name, identifier: model.identifier, type: { value: 'iPad' } },
      os: { prefix: 'iPadOS', version: w.osVersion(index) },
      name: w.deviceName(index),
      owner: o
        ? {
            id: o.userId,
            locationId: this.locationIdOf(index),
            inTrash: false,
            deviceCount: 1,
            username: o.username,
            email: o.email,
            firstName: o.firstName,
            lastName: o.lastName,
            name: `${o.firstName} ${o.lastName}`,
            groupIds: [100 + w.grade(index)],
            groups: [`${w.grade(index)}. trinn`],
            teacherGroups: [],
            children: [],
            vpp: [],
            notes: '',
            modified: stamp(w.enrolledAt(index)),
          }
        : {},
      isManaged: w.managed(index),
      isSupervised: w.supervised(index),
      deviceEnrollType: w.supervised(index) ? 'dep' : 'ac2',
      deviceDepProfile: w.supervised(index) ? 'Elev-iPad ADE' : null,
      batteryLevel: w.battery(index),
      totalCapacity: Math.round(storage.total / 1e9),
      availableCapacity: Math.round((storage.free / 1e9) * 100) / 100,
      hasPasscode: true,
      passcodeCompliant: 1,
      hardwareEncryptionEnabled: 1,
      iTunesStoreLoggedIn: 0,
      iCloudBackupEnabled: 0,
      iCloudBackupLatest: 0,
      groupIds: [200 + w.grade(index), 299],
      groups: this.groups(index),
      WiFiMAC: w.macAddress(index).toLowerCase(),
      bluetoothMAC: w.macAddress(index).replace(/^02/, '06').toLowerCase(),
      IPAddress: `10.${40 + (w.schoolAt(index)?.index ?? 0)}.${(index >> 8) % 250}.${index % 250}`,
      region: { string: lost ? 'Lost' : '', coordinates: lost ? '59.91,10.75' : null },
      notes: w.notes(index),
      lastCheckin: {
        date: `${stamp(w.lastSeen(index, now))}.000000`,
        timezone_type: 3,
        timezone: 'Europe/Oslo',
      },
      modified: stamp(w.lastSeen(index, now)),
    }
  }

  private user(userIndex: number): Record<string, unknown> {
    const w = this.world
    const o = w.user(userIndex)
    return {
      id: o.userId,
      locationId: this.locationIdOf(userIndex),
      status: 'Active',
      deviceCount: 1,
      email: o.email,
      username: o.username,
      domain: `elev.${w.domain}`,
      firstName: o.firstName,
      lastName: o.lastName,
      name: `${o.firstName} ${o.lastName}`,
      groupIds: [100 + w.grade(userIndex)],
      groups: [`${w.grade(userIndex)}. trinn`],
      teacherGroups: [],
      children: [],
      vpp: [],
      notes: '',
      exclude: false,
      modified: stamp(w.enrolledAt(userIndex)),
    }
  }

  private listUsers(q: URLSearchParams): Reply {
    const w = this.world
    const location = q.get('location')
    const users: Record<string, unknown>[] = []
    for (const i of w.indicesOfKind('jamfSchoolIpad')) {
      if (!w.present(i) || !w.owner(i) || w.overrideOf(i)?.ownerUserId !== undefined) continue
      if (location !== null && String(this.locationIdOf(i)) !== location) continue
      users.push(this.user(i))
    }
    return json(200, { code: 200, count: users.length, users })
  }
}
