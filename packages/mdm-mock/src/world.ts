import { between, choose, guid, hashString, hex, mix, scramble, unit, unscramble } from './internal/hash.js'
import { FIRST_NAMES, LAST_NAMES, SCHOOL_KINDS, SCHOOL_STEMS, slug } from './internal/names.js'

/** The four emulated vendor APIs. */
export type VendorKey = 'graph' | 'jamfPro' | 'jamfSchool' | 'google'

/** The kinds of device in the seeded municipality, each owned by one vendor. */
export type DeviceKind =
  | 'jamfSchoolIpad'
  | 'jamfProIpad'
  | 'jamfProMac'
  | 'intuneWindows'
  | 'intuneIpad'
  | 'chromebook'

/** Operating-system family of a device. */
export type Platform = 'iPadOS' | 'macOS' | 'Windows' | 'ChromeOS'

/** Vendor that manages each kind of device. */
export const KIND_VENDOR: Readonly<Record<DeviceKind, VendorKey>> = {
  jamfSchoolIpad: 'jamfSchool',
  jamfProIpad: 'jamfPro',
  jamfProMac: 'jamfPro',
  intuneWindows: 'graph',
  intuneIpad: 'graph',
  chromebook: 'google',
}

const KIND_PLATFORM: Readonly<Record<DeviceKind, Platform>> = {
  jamfSchoolIpad: 'iPadOS',
  jamfProIpad: 'iPadOS',
  jamfProMac: 'macOS',
  intuneWindows: 'Windows',
  intuneIpad: 'iPadOS',
  chromebook: 'ChromeOS',
}

/** Order of the kinds in the index space (device indices are grouped by kind). */
export const DEVICE_KINDS: readonly DeviceKind[] = [
  'jamfSchoolIpad',
  'jamfProIpad',
  'jamfProMac',
  'intuneWindows',
  'intuneIpad',
  'chromebook',
]

/** Share of the fleet per kind; the default mirrors a typical Norwegian municipality. */
export type FleetMix = Readonly<Record<DeviceKind, number>>

/** Default {@link FleetMix}: pupils' iPads in Jamf School, teachers' Apple devices in Jamf Pro, Windows in Intune, Chromebooks in Google. */
export const DEFAULT_MIX: FleetMix = {
  jamfSchoolIpad: 0.42,
  jamfProIpad: 0.07,
  jamfProMac: 0.03,
  intuneWindows: 0.2,
  intuneIpad: 0.03,
  chromebook: 0.25,
}

/** One school and its boundary in each vendor. */
export interface School {
  /** Position in `world.schools`. */
  readonly index: number
  /** Stable slug, e.g. `bakkelokka-skole`. */
  readonly id: string
  /** Display name, e.g. `Bakkeløkka skole`. */
  readonly name: string
  /** Number of pupils (drives how many devices the school gets). */
  readonly pupils: number
  /** Intune: device category (v1.0) and role scope tag (beta). */
  readonly intune: { readonly categoryId: string; readonly scopeTagId: string }
  /** Jamf Pro site. */
  readonly jamfPro: { readonly siteId: string }
  /** Jamf School location. */
  readonly jamfSchool: { readonly locationId: number }
  /** Google org unit (devices also sit in its child units `Elever` and `Ansatte`). */
  readonly google: { readonly orgUnitId: string; readonly orgUnitPath: string }
}

/** A device's owner (a pupil or a teacher; synthetic). */
export interface DeviceOwner {
  readonly userId: number
  readonly firstName: string
  readonly lastName: string
  readonly username: string
  readonly email: string
  readonly teacher: boolean
}

/** What the emulator knows to be true about a device: the ground truth tests compare against. */
export interface DeviceTruth {
  readonly index: number
  readonly vendor: VendorKey
  readonly kind: DeviceKind
  readonly platform: Platform
  readonly serialNumber: string
  /** The owning school's id, or `null` for the IT service's stock. */
  readonly schoolId: string | null
  readonly school: School | null
  /** Vendor identifiers: Graph managedDevice id, Jamf Pro id/managementId, UDID, Google deviceId. */
  readonly ids: {
    readonly graph?: string
    readonly jamfPro?: string
    readonly jamfProManagementId?: string
    readonly udid?: string
    readonly google?: string
  }
  readonly supervised: boolean
  /** `false` for devices that never check in on their own (lost, in a drawer). */
  readonly online: boolean
  /** `removed` after an Intune wipe/retire completed; `disabled`/`deprovisioned` in Google. */
  readonly state: 'active' | 'removed' | 'disabled' | 'deprovisioned' | 'unmanaged'
  readonly lostMode: boolean
}

/** Options for {@link createWorld}. */
export interface WorldOptions {
  /** Seed: same seed (and options) → same municipality. Default `felles`. */
  readonly seed?: string | number
  /** Number of schools (1–500). Default 30. */
  readonly schools?: number
  /** Number of devices across all vendors (0–2,000,000). Default 3000. */
  readonly devices?: number
  /** Share of the fleet per kind (normalised). */
  readonly mix?: Partial<FleetMix>
  /** Share of devices that belong to no school (IT stock). Default 0.02. */
  readonly unassignedShare?: number
  /** Share of devices that never check in by themselves. Default 0.03. */
  readonly offlineShare?: number
  /** Time the world is anchored at (enrolment dates etc. are relative to it). */
  readonly epoch: number
  /** How often an online device checks in. Default 15 minutes. */
  readonly checkInIntervalMs?: number
  /** Municipality name, used in domains and display names. Default `Fjordvik`. */
  readonly municipality?: string
}

// Hash fields: one number per derived attribute.
const F = {
  school: 1,
  offline: 2,
  supervised: 3,
  model: 4,
  os: 5,
  serialPrefix: 6,
  udidChip: 7,
  idTail: 8,
  first: 10,
  last: 11,
  phase: 12,
  enrolled: 13,
  compliance: 14,
  storage: 15,
  battery: 16,
  mac: 17,
  offlineDays: 18,
  owner: 19,
  grade: 20,
  subOu: 21,
  unassigned: 22,
  asset: 23,
  kiosk: 24,
  encrypted: 25,
} as const

const DAY = 86_400_000

const FLAG_REMOVED = 1
const FLAG_LOST = 2
const FLAG_DISABLED = 4
const FLAG_DEPROVISIONED = 8
const FLAG_UNMANAGED = 16
const FLAG_OFFLINE_TOGGLED = 32

/** Mutable details kept only for devices that changed. */
export interface DeviceOverride {
  name?: string
  notes?: string
  assetTag?: string
  ownerUserId?: number | null
  lostMode?: { message: string; phoneNumber: string; footnote: string; enabledAt: number }
  location?: { latitude: number; longitude: number; at: number }
  wipedAt?: number
  lastCheckIn?: number
  subOu?: string
}

// Serial-number alphabet (no vowels that read as digits, no I/O/U/S/Z).
const SERIAL_ALPHABET = 'CDFGHJKLMNPQRTVWXY0123456789'

function base28(value: number, width: number): string {
  let out = ''
  let v = value
  for (let i = 0; i < width; i++) {
    out = SERIAL_ALPHABET[v % 28] + out
    v = Math.floor(v / 28)
  }
  return out
}

function unbase28(text: string): number {
  let v = 0
  for (const ch of text) {
    const d = SERIAL_ALPHABET.indexOf(ch)
    if (d < 0) return -1
    v = v * 28 + d
  }
  return v
}

const IPAD_MODELS = [
  { name: 'iPad (9th generation)', identifier: 'iPad12,1', number: 'MK2K3', capacityMb: 65_536 },
  { name: 'iPad (10th generation)', identifier: 'iPad13,18', number: 'MPQ03', capacityMb: 65_536 },
  { name: 'iPad (8th generation)', identifier: 'iPad11,6', number: 'MYL92', capacityMb: 32_768 },
  { name: 'iPad Air (5th generation)', identifier: 'iPad13,16', number: 'MM9C3', capacityMb: 65_536 },
] as const
const MAC_MODELS = [
  { name: 'MacBook Air (M1, 2020)', identifier: 'MacBookAir10,1', number: 'MGN63', capacityMb: 262_144 },
  { name: 'MacBook Air (13-inch, M2, 2022)', identifier: 'Mac14,2', number: 'MLY33', capacityMb: 262_144 },
] as const
const WINDOWS_MODELS = [
  { manufacturer: 'LENOVO', model: '21FN0009MX', friendly: 'ThinkPad L13 Gen 4', prefix: 'PF' },
  { manufacturer: 'Dell Inc.', model: 'Latitude 3440', friendly: 'Latitude 3440', prefix: '' },
  { manufacturer: 'HP', model: 'HP ProBook 440 14 inch G10', friendly: 'ProBook 440 G10', prefix: '5CG' },
] as const
const CHROMEBOOK_MODELS = [
  { model: 'Lenovo 100e Chromebook Gen 4', prefix: 'PF' },
  { model: 'HP Chromebook 14 G7', prefix: '5CD' },
  { model: 'Acer Chromebook Spin 511 (R753T)', prefix: 'NXA' },
] as const
const IPADOS = ['16.7.10', '17.7.2', '18.1.1', '18.2', '18.3.1', '18.3.1', '18.3.1'] as const
const IPADOS_BUILD: Readonly<Record<string, string>> = {
  '16.7.10': '20H350',
  '17.7.2': '21H221',
  '18.1.1': '22B91',
  '18.2': '22C152',
  '18.3.1': '22D72',
}
const MACOS = ['14.7.2', '15.2', '15.3.1', '15.3.1'] as const
const WINDOWS_OS = ['10.0.19045.5371', '10.0.22631.4751', '10.0.26100.3194', '10.0.26100.3194'] as const
const CHROMEOS = ['128.0.6613.153', '131.0.6778.215', '132.0.6834.164', '132.0.6834.164'] as const

/** The exact latest versions per platform (anything else is "out of date"). */
export const LATEST_OS: Readonly<Record<Platform, string>> = {
  iPadOS: '18.3.1',
  macOS: '15.3.1',
  Windows: '10.0.26100.3194',
  ChromeOS: '132.0.6834.164',
}

/**
 * The seeded municipality: schools, devices and their vendor identities, plus
 * the mutable state the emulators change (moves, lost mode, wipes). Devices are
 * not stored as objects: every attribute is derived from (seed, index), and
 * only changes are kept, so 50,000 devices cost a few hundred kilobytes.
 */
export class World {
  /** The numeric seed every attribute derives from. */
  readonly seed: number
  /** The seed as given. */
  readonly seedText: string
  /** Time the world is anchored at. */
  readonly epoch: number
  /** Municipality display name. */
  readonly municipality: string
  /** E-mail/UPN domain, e.g. `fjordvik.kommune.no`. */
  readonly domain: string
  /** Schools in index order. */
  readonly schools: readonly School[]
  /** Total number of devices. */
  readonly size: number
  /** How often online devices check in. */
  readonly checkInIntervalMs: number
  /** Bumped on every change that affects listings (moves, removals, state); caches key on it. */
  version = 0

  private readonly kindStart: Record<DeviceKind, number>
  private readonly kindCount: Record<DeviceKind, number>
  private readonly schoolOf16: Int16Array
  private readonly flags: Uint8Array
  private readonly namePrefixes: readonly string[]
  private readonly overrides = new Map<number, DeviceOverride>()
  private readonly offlineShare: number
  private readonly keys: { graph: number; google: number; mgmt: number; udid: number; serial: number }

  constructor(options: WorldOptions) {
    const schoolCount = options.schools ?? 30
    const deviceCount = options.devices ?? 3000
    if (!Number.isInteger(schoolCount) || schoolCount < 1 || schoolCount > 500) {
      throw new TypeError('schools must be a whole number from 1 to 500')
    }
    if (!Number.isInteger(deviceCount) || deviceCount < 0 || deviceCount > 2_000_000) {
      throw new TypeError('devices must be a whole number from 0 to 2000000')
    }
    this.seedText = String(options.seed ?? 'felles')
    this.seed = hashString(this.seedText)
    this.epoch = options.epoch
    this.municipality = options.municipality ?? 'Fjordvik'
    this.domain = `${slug(this.municipality)}.kommune.no`
    this.checkInIntervalMs = options.checkInIntervalMs ?? 15 * 60_000
    this.offlineShare = options.offlineShare ?? 0.03
    const s = this.seed
    this.keys = {
      graph: mix(s, 1, 901),
      google: mix(s, 2, 902),
      mgmt: mix(s, 3, 903),
      udid: mix(s, 4, 904),
      serial: mix(s, 5, 905),
    }

    // Schools: a seeded shuffle of stems, each with a kind and a size.
    const stems = [...SCHOOL_STEMS]
    for (let i = stems.length - 1; i > 0; i--) {
      const j = mix(s, i, 500) % (i + 1)
      const t = stems[i] as string
      stems[i] = stems[j] as string
      stems[j] = t
    }
    // Keep the prefix pairs (Berg/Bergheim, Ås/Åsen) together near the front so
    // small worlds still contain the org-unit prefix trap.
    const traps = ['Berg', 'Bergheim', 'Ås', 'Åsen']
    const ordered = [...traps, ...stems.filter((x) => !traps.includes(x))]
    const schools: School[] = []
    const usedNames = new Set<string>()
    for (let i = 0; i < schoolCount; i++) {
      const stem = ordered[i % ordered.length] as string
      const round = Math.floor(i / ordered.length)
      const kind = SCHOOL_KINDS[mix(s, i, 501) % SCHOOL_KINDS.length]!
      let name = `${stem}${round > 0 ? ` ${round + 1}` : ''} ${kind.suffix}`
      if (usedNames.has(name)) name = `${stem} ${kind.suffix} ${i}`
      usedNames.add(name)
      const id = slug(name)
      const ouName = name
      schools.push({
        index: i,
        id,
        name,
        pupils: between(s, i, 502, kind.min, kind.max),
        intune: { categoryId: guid(hex(s, i, 503, 32)), scopeTagId: String(i + 1) },
        jamfPro: { siteId: String(i + 1) },
        jamfSchool: { locationId: i + 1 },
        google: { orgUnitId: `id:03ph8a2z${hex(s, i, 504, 8)}`, orgUnitPath: `/Skoler/${ouName}` },
      })
    }
    this.schools = schools
    this.namePrefixes = schools.map((x) => x.id.split('-')[0]!.toUpperCase().slice(0, 6))

    // Fleet segments.
    const mixIn = { ...DEFAULT_MIX, ...options.mix }
    const total = DEVICE_KINDS.reduce((sum, k) => sum + Math.max(0, mixIn[k]), 0) || 1
    const counts = {} as Record<DeviceKind, number>
    let assigned = 0
    for (const k of DEVICE_KINDS) {
      counts[k] = Math.floor((deviceCount * Math.max(0, mixIn[k])) / total)
      assigned += counts[k]
    }
    const biggest = DEVICE_KINDS.reduce((a, b) => (counts[b] > counts[a] ? b : a), DEVICE_KINDS[0]!)
    counts[biggest] += deviceCount - assigned
    this.kindCount = counts
    this.kindStart = {} as Record<DeviceKind, number>
    let start = 0
    for (const k of DEVICE_KINDS) {
      this.kindStart[k] = start
      start += counts[k]
    }
    this.size = deviceCount

    // School assignment, weighted by pupils.
    const weights = new Float64Array(schoolCount)
    let acc = 0
    for (let i = 0; i < schoolCount; i++) {
      acc += schools[i]!.pupils
      weights[i] = acc
    }
    const unassigned = options.unassignedShare ?? 0.02
    this.schoolOf16 = new Int16Array(deviceCount)
    for (let i = 0; i < deviceCount; i++) {
      if (unit(s, i, F.unassigned) < unassigned) {
        this.schoolOf16[i] = -1
        continue
      }
      const target = unit(s, i, F.school) * acc
      let lo = 0
      let hi = schoolCount - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (weights[mid]! > target) hi = mid
        else lo = mid + 1
      }
      this.schoolOf16[i] = lo
    }
    this.flags = new Uint8Array(deviceCount)
  }

  // ---- segments -------------------------------------------------------

  /** Number of devices of a kind. */
  count(kind: DeviceKind): number {
    return this.kindCount[kind]
  }

  /** First index of a kind. */
  start(kind: DeviceKind): number {
    return this.kindStart[kind]
  }

  /** Kind of the device at `index`. */
  kindOf(index: number): DeviceKind {
    for (let k = DEVICE_KINDS.length - 1; k >= 0; k--) {
      const kind = DEVICE_KINDS[k]!
      if (index >= this.kindStart[kind] && this.kindCount[kind] > 0) return kind
    }
    return DEVICE_KINDS[0]!
  }

  /** Vendor of the device at `index`. */
  vendorOf(index: number): VendorKey {
    return KIND_VENDOR[this.kindOf(index)]
  }

  /** Platform of the device at `index`. */
  platformOf(index: number): Platform {
    return KIND_PLATFORM[this.kindOf(index)]
  }

  /** Indices of all devices a vendor manages (including removed ones), in index order. */
  *indices(vendor: VendorKey): Generator<number> {
    for (const kind of DEVICE_KINDS) {
      if (KIND_VENDOR[kind] !== vendor) continue
      const from = this.kindStart[kind]
      for (let i = from; i < from + this.kindCount[kind]; i++) yield i
    }
  }

  /** Indices of one kind. */
  *indicesOfKind(kind: DeviceKind): Generator<number> {
    const from = this.kindStart[kind]
    for (let i = from; i < from + this.kindCount[kind]; i++) yield i
  }

  private inKind(index: number, kind: DeviceKind): boolean {
    const from = this.kindStart[kind]
    return index >= from && index < from + this.kindCount[kind]
  }

  // ---- derived attributes -----------------------------------------------

  /** School index of a device, or -1. */
  schoolIndexOf(index: number): number {
    return this.schoolOf16[index] ?? -1
  }

  /** School of a device, or `null` (IT stock). */
  schoolAt(index: number): School | null {
    const s = this.schoolOf16[index] ?? -1
    return s < 0 ? null : (this.schools[s] ?? null)
  }

  /** Serial number (unique; vendor-typical format). */
  serial(index: number): string {
    const kind = this.kindOf(index)
    const body = base28(scramble(this.keys.serial, index), 7)
    const s = this.seed
    switch (kind) {
      case 'jamfSchoolIpad':
      case 'jamfProIpad':
      case 'jamfProMac':
      case 'intuneIpad':
        return `${SERIAL_ALPHABET[mix(s, index, F.serialPrefix) % 20]}${SERIAL_ALPHABET[mix(s, index, F.serialPrefix + 100) % 28]}${SERIAL_ALPHABET[mix(s, index, F.serialPrefix + 200) % 28]}${body}`
      case 'intuneWindows':
        return `${this.windowsModel(index).prefix}${body}`
      case 'chromebook':
        return `${this.chromebookModel(index).prefix}${body}`
    }
  }

  /** iPad/Mac UDID in the modern `00008xxx-…` form. */
  udid(index: number): string {
    const chip = choose(this.seed, index, F.udidChip, ['00008101', '00008103', '00008020', '00008027'])
    return `${chip}-${scramble(this.keys.udid, index).toString(16).toUpperCase().padStart(8, '0')}${hex(this.seed, index, F.idTail, 8).toUpperCase()}`
  }

  /** Intune managedDevice id. */
  graphId(index: number): string {
    return guid(
      `${scramble(this.keys.graph, index).toString(16).padStart(8, '0')}${hex(this.seed, index, F.idTail, 24)}`,
    )
  }

  /** Google deviceId. */
  googleId(index: number): string {
    return guid(
      `${scramble(this.keys.google, index).toString(16).padStart(8, '0')}${hex(this.seed, index, F.idTail + 1, 24)}`,
    )
  }

  /** Jamf Pro management id (used by the MDM command API). */
  managementId(index: number): string {
    return guid(
      `${scramble(this.keys.mgmt, index).toString(16).padStart(8, '0')}${hex(this.seed, index, F.idTail + 2, 24)}`,
    )
  }

  /** Jamf Pro object id (mobile devices and computers have separate id spaces). */
  jamfProId(index: number): string {
    const kind = this.kindOf(index)
    return String(index - this.kindStart[kind] + 1)
  }

  /** Whether an Apple device is supervised (ADE) — 90 % are. Windows/ChromeOS: false. */
  supervised(index: number): boolean {
    const p = this.platformOf(index)
    if (p !== 'iPadOS' && p !== 'macOS') return false
    return unit(this.seed, index, F.supervised) < 0.9
  }

  /** Whether a Chromebook runs as a kiosk / managed guest session device (5 %). */
  kiosk(index: number): boolean {
    return this.kindOf(index) === 'chromebook' && unit(this.seed, index, F.kiosk) < 0.05
  }

  /** Whether the device checks in by itself. */
  online(index: number): boolean {
    const base = unit(this.seed, index, F.offline) >= this.offlineShare
    const toggled = ((this.flags[index] ?? 0) & FLAG_OFFLINE_TOGGLED) !== 0
    return toggled ? !base : base
  }

  /** Makes a device check in by itself (or stop doing so). */
  setOnline(index: number, online: boolean): void {
    if (this.online(index) !== online) this.flags[index] = (this.flags[index] ?? 0) ^ FLAG_OFFLINE_TOGGLED
  }

  /** Enrolment time. */
  enrolledAt(index: number): number {
    const ms =
      this.epoch -
      between(this.seed, index, F.enrolled, 20, 1200) * DAY -
      between(this.seed, index, F.enrolled + 1, 0, 86_399) * 1000
    return Math.floor(ms / 1000) * 1000
  }

  private phase(index: number): number {
    return Math.floor((unit(this.seed, index, F.phase) * this.checkInIntervalMs) / 1000) * 1000
  }

  /** Next scheduled check-in strictly after `after` (Infinity for offline devices). */
  nextCheckIn(index: number, after: number): number {
    if (!this.online(index)) return Number.POSITIVE_INFINITY
    const origin = this.epoch + this.phase(index)
    const k = Math.floor((after - origin) / this.checkInIntervalMs) + 1
    return origin + k * this.checkInIntervalMs
  }

  /** Last time the device was seen at or before `now`. */
  lastSeen(index: number, now: number): number {
    const explicit = this.overrides.get(index)?.lastCheckIn ?? Number.NEGATIVE_INFINITY
    let scheduled: number
    if (this.online(index)) {
      const origin = this.epoch + this.phase(index)
      scheduled = origin + Math.floor((now - origin) / this.checkInIntervalMs) * this.checkInIntervalMs
    } else {
      scheduled = this.epoch - between(this.seed, index, F.offlineDays, 8, 120) * DAY
    }
    return Math.max(scheduled, Math.min(explicit, now))
  }

  /** Records an explicit check-in. */
  markCheckIn(index: number, at: number): void {
    this.override(index).lastCheckIn = at
  }

  /** Model details for Apple devices. */
  appleModel(index: number): (typeof IPAD_MODELS)[number] | (typeof MAC_MODELS)[number] {
    return this.kindOf(index) === 'jamfProMac'
      ? choose(this.seed, index, F.model, MAC_MODELS)
      : choose(this.seed, index, F.model, IPAD_MODELS)
  }

  /** Model details for Windows laptops. */
  windowsModel(index: number): (typeof WINDOWS_MODELS)[number] {
    return choose(this.seed, index, F.model, WINDOWS_MODELS)
  }

  /** Model details for Chromebooks. */
  chromebookModel(index: number): (typeof CHROMEBOOK_MODELS)[number] {
    return choose(this.seed, index, F.model, CHROMEBOOK_MODELS)
  }

  /** OS version string as the vendor reports it. */
  osVersion(index: number): string {
    switch (this.platformOf(index)) {
      case 'iPadOS':
        return choose(this.seed, index, F.os, IPADOS)
      case 'macOS':
        return choose(this.seed, index, F.os, MACOS)
      case 'Windows':
        return choose(this.seed, index, F.os, WINDOWS_OS)
      case 'ChromeOS':
        return choose(this.seed, index, F.os, CHROMEOS)
    }
  }

  /** OS build (Apple). */
  osBuild(index: number): string {
    return IPADOS_BUILD[this.osVersion(index)] ?? '24D70'
  }

  /** Device owner, or `null` for shared/cart devices. */
  owner(index: number): DeviceOwner | null {
    const o = this.overrides.get(index)
    let userIndex: number
    if (o && o.ownerUserId !== undefined) {
      if (o.ownerUserId === null) return null
      userIndex = o.ownerUserId - 1000
    } else {
      if (unit(this.seed, index, F.owner) < 0.12) return null
      userIndex = index
    }
    return this.user(userIndex)
  }

  /** The synthetic user with a given index (user id = index + 1000). */
  user(userIndex: number): DeviceOwner {
    const firstName = choose(this.seed, userIndex, F.first, FIRST_NAMES)
    const lastName = choose(this.seed, userIndex, F.last, LAST_NAMES)
    const kind = userIndex >= 0 && userIndex < this.size ? this.kindOf(userIndex) : 'jamfSchoolIpad'
    const teacher = kind === 'jamfProIpad' || kind === 'jamfProMac'
    const username = `${slug(firstName)}.${slug(lastName)}${userIndex}`
    return {
      userId: userIndex + 1000,
      firstName,
      lastName,
      username,
      email: `${username}@${teacher ? '' : 'elev.'}${this.domain}`,
      teacher,
    }
  }

  /** Grade (1–10) of a pupil's device, used for names and classes. */
  grade(index: number): number {
    return between(this.seed, index, F.grade, 1, 10)
  }

  /** Device display name as set at enrolment (or renamed). */
  deviceName(index: number): string {
    const o = this.overrides.get(index)
    if (o?.name !== undefined) return o.name
    const s = this.schoolOf16[index] ?? -1
    const prefix = s < 0 ? 'LAGER' : (this.namePrefixes[s] ?? 'LAGER')
    const tail = this.serial(index).slice(-5)
    switch (this.kindOf(index)) {
      case 'jamfSchoolIpad':
      case 'intuneIpad':
        return `${prefix}-IPAD-${tail}`
      case 'jamfProIpad':
        return `${prefix}-LIPAD-${tail}`
      case 'jamfProMac':
        return `${prefix}-MAC-${tail}`
      case 'intuneWindows':
        return `${prefix}-PC-${tail}`
      case 'chromebook':
        return `${prefix}-CB-${tail}`
    }
  }

  /** Asset tag (municipal inventory number). */
  assetTag(index: number): string {
    return (
      this.overrides.get(index)?.assetTag ?? `K${String(100000 + (mix(this.seed, index, F.asset) % 900000))}`
    )
  }

  /** Notes. */
  notes(index: number): string {
    return this.overrides.get(index)?.notes ?? ''
  }

  /** Intune compliance state. */
  compliance(index: number): 'compliant' | 'noncompliant' | 'inGracePeriod' | 'unknown' {
    const u = unit(this.seed, index, F.compliance)
    if (u < 0.84) return 'compliant'
    if (u < 0.94) return 'noncompliant'
    if (u < 0.97) return 'inGracePeriod'
    return 'unknown'
  }

  /** Whether storage is encrypted. */
  encrypted(index: number): boolean {
    return unit(this.seed, index, F.encrypted) < 0.95
  }

  /** Battery level 0–100. */
  battery(index: number): number {
    return between(this.seed, index, F.battery, 5, 100)
  }

  /** Total and free storage in bytes. */
  storage(index: number): { total: number; free: number } {
    const p = this.platformOf(index)
    const total =
      p === 'Windows'
        ? 255_369_281_536
        : p === 'ChromeOS'
          ? 63_999_999_999
          : this.appleModel(index).capacityMb * 1_048_576
    const free = Math.floor(total * (0.1 + unit(this.seed, index, F.storage) * 0.7))
    return { total, free }
  }

  /** Wi-Fi MAC address (locally administered, so never a real vendor's). */
  macAddress(index: number, separator = ':'): string {
    const h = hex(this.seed, index, F.mac, 10).toUpperCase()
    const parts = ['02', h.slice(0, 2), h.slice(2, 4), h.slice(4, 6), h.slice(6, 8), h.slice(8, 10)]
    return parts.join(separator)
  }

  /** Google org-unit path of a Chromebook (a child unit of the school's). */
  orgUnitPath(index: number): string {
    const school = this.schoolAt(index)
    if (!school) return '/Lager'
    const o = this.overrides.get(index)
    if (o?.subOu !== undefined)
      return o.subOu === '' ? school.google.orgUnitPath : `${school.google.orgUnitPath}/${o.subOu}`
    const u = unit(this.seed, index, F.subOu)
    if (u < 0.8) return `${school.google.orgUnitPath}/Elever`
    if (u < 0.92) return `${school.google.orgUnitPath}/Ansatte`
    return school.google.orgUnitPath
  }

  // ---- state ------------------------------------------------------------

  private override(index: number): DeviceOverride {
    let o = this.overrides.get(index)
    if (!o) {
      o = {}
      this.overrides.set(index, o)
    }
    return o
  }

  /** The override record of a device, if any. */
  overrideOf(index: number): Readonly<DeviceOverride> | undefined {
    return this.overrides.get(index)
  }

  /** Changes details of a device (rename, notes, asset tag, owner). */
  update(index: number, patch: Partial<DeviceOverride>): void {
    Object.assign(this.override(index), patch)
    this.version++
  }

  /** Whether the vendor still lists the device. */
  present(index: number): boolean {
    return ((this.flags[index] ?? 0) & FLAG_REMOVED) === 0
  }

  /** Removes the device from its vendor's inventory (Intune wipe/retire). */
  remove(index: number): void {
    this.flags[index] = (this.flags[index] ?? 0) | FLAG_REMOVED
    this.version++
  }

  /** Moves a device to another school (or to the IT stock with `-1`). */
  moveToSchool(index: number, schoolIndex: number, subOu?: string): void {
    if (schoolIndex < -1 || schoolIndex >= this.schools.length) throw new RangeError('no such school')
    this.schoolOf16[index] = schoolIndex
    if (subOu !== undefined) this.override(index).subOu = subOu
    this.version++
  }

  /** Lost-mode state. */
  lostMode(index: number): DeviceOverride['lostMode'] | undefined {
    return ((this.flags[index] ?? 0) & FLAG_LOST) !== 0 ? this.overrides.get(index)?.lostMode : undefined
  }

  /** Turns lost mode on/off. */
  setLostMode(index: number, lost: DeviceOverride['lostMode'] | undefined): void {
    if (lost) {
      this.override(index).lostMode = lost
      this.flags[index] = (this.flags[index] ?? 0) | FLAG_LOST
    } else {
      this.flags[index] = (this.flags[index] ?? 0) & ~FLAG_LOST
      const o = this.overrides.get(index)
      if (o) delete o.location
    }
    this.version++
  }

  /** Google device status. */
  chromeStatus(index: number): 'ACTIVE' | 'DISABLED' | 'DEPROVISIONED' {
    const f = this.flags[index] ?? 0
    if (f & FLAG_DEPROVISIONED) return 'DEPROVISIONED'
    if (f & FLAG_DISABLED) return 'DISABLED'
    return 'ACTIVE'
  }

  /** Sets the Google device status. */
  setChromeStatus(index: number, status: 'ACTIVE' | 'DISABLED' | 'DEPROVISIONED'): void {
    let f = (this.flags[index] ?? 0) & ~(FLAG_DISABLED | FLAG_DEPROVISIONED)
    if (status === 'DISABLED') f |= FLAG_DISABLED
    if (status === 'DEPROVISIONED') f |= FLAG_DEPROVISIONED
    this.flags[index] = f
    this.version++
  }

  /** Whether the device is still MDM-managed. */
  managed(index: number): boolean {
    return ((this.flags[index] ?? 0) & FLAG_UNMANAGED) === 0
  }

  /** Marks a device unmanaged (Jamf School unenroll). */
  setUnmanaged(index: number): void {
    this.flags[index] = (this.flags[index] ?? 0) | FLAG_UNMANAGED
    this.version++
  }

  // ---- lookups ------------------------------------------------------------

  private decodeGuid(id: string, key: number): number {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return -1
    const index = unscramble(key, Number.parseInt(id.slice(0, 8), 16))
    return index < this.size ? index : -1
  }

  /** Index of an Intune device by managedDevice id, or -1. */
  byGraphId(id: string): number {
    const i = this.decodeGuid(id.toLowerCase(), this.keys.graph)
    return i >= 0 && this.vendorOf(i) === 'graph' && this.graphId(i) === id.toLowerCase() ? i : -1
  }

  /** Index of a Chromebook by Google deviceId, or -1. */
  byGoogleId(id: string): number {
    const i = this.decodeGuid(id.toLowerCase(), this.keys.google)
    return i >= 0 && this.kindOf(i) === 'chromebook' && this.googleId(i) === id.toLowerCase() ? i : -1
  }

  /** Index of a Jamf Pro device by management id, or -1. */
  byManagementId(id: string): number {
    const i = this.decodeGuid(id.toLowerCase(), this.keys.mgmt)
    return i >= 0 && this.vendorOf(i) === 'jamfPro' && this.managementId(i) === id.toLowerCase() ? i : -1
  }

  /** Index of an Apple device by UDID, or -1. */
  byUdid(udid: string): number {
    const m = /^[0-9A-F]{8}-([0-9A-F]{8})[0-9A-F]{8}$/i.exec(udid)
    if (!m) return -1
    const i = unscramble(this.keys.udid, Number.parseInt(m[1]!, 16))
    if (i >= this.size) return -1
    const p = this.platformOf(i)
    if (p !== 'iPadOS' && p !== 'macOS') return -1
    return this.udid(i) === udid.toUpperCase() ? i : -1
  }

  /** Index of a Jamf Pro mobile device (`mobile`) or computer by its Jamf Pro id, or -1. */
  byJamfProId(id: string, type: 'mobile' | 'computer'): number {
    if (!/^[1-9][0-9]{0,8}$/.test(id)) return -1
    const kind: DeviceKind = type === 'mobile' ? 'jamfProIpad' : 'jamfProMac'
    const n = Number(id) - 1
    return n < this.kindCount[kind] ? this.kindStart[kind] + n : -1
  }

  /** Index of a device by serial number (any vendor), or -1. */
  bySerial(serial: string): number {
    const upper = serial.toUpperCase()
    if (upper.length < 7) return -1
    const v = unbase28(upper.slice(-7))
    if (v < 0 || v > 0xffffffff) return -1
    const i = unscramble(this.keys.serial, v)
    return i < this.size && this.serial(i) === upper ? i : -1
  }

  /** Index of a device by any of its identifiers (vendor ids, UDID, serial), or -1. */
  resolve(id: string | number): number {
    if (typeof id === 'number') return Number.isInteger(id) && id >= 0 && id < this.size ? id : -1
    for (const f of [this.byGraphId, this.byGoogleId, this.byManagementId, this.byUdid, this.bySerial]) {
      const i = f.call(this, id)
      if (i >= 0) return i
    }
    return -1
  }

  // ---- ground truth -----------------------------------------------------------

  /** Ground truth about a device (by index or any identifier), or `undefined`. */
  device(id: string | number): DeviceTruth | undefined {
    const index = this.resolve(id)
    if (index < 0) return undefined
    const kind = this.kindOf(index)
    const vendor = KIND_VENDOR[kind]
    const school = this.schoolAt(index)
    const ids: { -readonly [K in keyof DeviceTruth['ids']]: string } = {}
    if (vendor === 'graph') ids.graph = this.graphId(index)
    if (vendor === 'jamfPro') {
      ids.jamfPro = this.jamfProId(index)
      ids.jamfProManagementId = this.managementId(index)
    }
    if (KIND_PLATFORM[kind] === 'iPadOS' || KIND_PLATFORM[kind] === 'macOS') ids.udid = this.udid(index)
    if (vendor === 'google') ids.google = this.googleId(index)
    const f = this.flags[index] ?? 0
    const state: DeviceTruth['state'] =
      f & FLAG_REMOVED
        ? 'removed'
        : f & FLAG_DEPROVISIONED
          ? 'deprovisioned'
          : f & FLAG_DISABLED
            ? 'disabled'
            : f & FLAG_UNMANAGED
              ? 'unmanaged'
              : 'active'
    return {
      index,
      vendor,
      kind,
      platform: KIND_PLATFORM[kind],
      serialNumber: this.serial(index),
      schoolId: school?.id ?? null,
      school,
      ids,
      supervised: this.supervised(index),
      online: this.online(index),
      state,
      lostMode: (f & FLAG_LOST) !== 0,
    }
  }

  /** The school that owns a device (by index or any identifier): `null` for IT stock, `undefined` for unknown ids. */
  schoolOf(id: string | number): School | null | undefined {
    const index = this.resolve(id)
    return index < 0 ? undefined : this.schoolAt(index)
  }

  /** Finds a school by id, name, index or any vendor boundary id (category id, site id, location id, org-unit path). */
  school(key: string | number): School | undefined {
    if (typeof key === 'number') return this.schools[key]
    return this.schools.find(
      (s) =>
        s.id === key ||
        s.name === key ||
        s.intune.categoryId === key ||
        s.google.orgUnitPath === key ||
        s.google.orgUnitId === key,
    )
  }

  /** Ground truth for every device, optionally only one vendor's or one school's. */
  *devices(filter: { vendor?: VendorKey; schoolId?: string | null } = {}): Generator<DeviceTruth> {
    for (let i = 0; i < this.size; i++) {
      if (filter.vendor && this.vendorOf(i) !== filter.vendor) continue
      if (filter.schoolId !== undefined && (this.schoolAt(i)?.id ?? null) !== filter.schoolId) continue
      yield this.device(i)!
    }
  }

  /** True when the device at `index` is of the given kind. */
  isKind(index: number, kind: DeviceKind): boolean {
    return this.inKind(index, kind)
  }
}

/**
 * Generates the seeded municipality.
 *
 * @param options - seed, sizes and the epoch the world is anchored at
 * @returns the world
 * @throws {TypeError} when sizes are out of range
 * @example
 * ```ts
 * const world = createWorld({ seed: 'demo', schools: 30, devices: 5000, epoch: Date.parse('2025-01-06T08:00:00Z') })
 * world.schoolOf(world.serial(0))?.name
 * ```
 */
export function createWorld(options: WorldOptions): World {
  return new World(options)
}
