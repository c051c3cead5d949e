import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  getJson,
  graphToken,
  haveSpecs,
  jamfSchoolHeaders,
  START,
  specsDir,
  specTitle,
} from '../test/helpers.js'
import { APPLE_COMMAND_REQUIREMENTS, createWorld, DEVICE_KINDS, KIND_VENDOR, startMdmMock } from './index.js'

const epoch = Date.parse(START)

describe('seeded municipality', () => {
  it('same seed → same world; another seed → another world', () => {
    const snapshot = (seed: string) => {
      const w = createWorld({ seed, epoch, devices: 1500 })
      return [...w.devices()].map((d) => [
        d.serialNumber,
        d.schoolId,
        d.ids,
        d.supervised,
        d.online,
        w.deviceName(d.index),
        w.osVersion(d.index),
      ])
    }
    expect(snapshot('tromsø')).toEqual(snapshot('tromsø'))
    expect(snapshot('tromsø')).not.toEqual(snapshot('bodø'))
    expect(createWorld({ seed: 'a', epoch }).schools.map((s) => s.name)).toEqual(
      createWorld({ seed: 'a', epoch }).schools.map((s) => s.name),
    )
  })

  it('serves identical answers for the same seed over HTTP', async () => {
    const a = await startMdmMock({ seed: 'same', devices: 800, clock: { mode: 'manual', start: START } })
    const b = await startMdmMock({ seed: 'same', devices: 800, clock: { mode: 'manual', start: START } })
    try {
      const fetchAll = async (m: typeof a) => {
        const g = await getJson(`${m.urls.graph}/deviceManagement/managedDevices?$top=50`, {
          Authorization: `Bearer ${await graphToken(m)}`,
        })
        const s = await getJson(`${m.urls.jamfSchool}/devices`, jamfSchoolHeaders(m))
        return JSON.parse(JSON.stringify([g.body, s.body]).replaceAll(m.urls.origin, 'ORIGIN'))
      }
      expect(await fetchAll(a)).toEqual(await fetchAll(b))
      expect(a.credentials.graph).toEqual(b.credentials.graph)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('has Norwegian school names, unique ids, each school mapped in every vendor, and the Berg/Bergheim prefix trap', () => {
    const w = createWorld({ seed: 'names', epoch, schools: 30 })
    expect(w.schools).toHaveLength(30)
    expect(new Set(w.schools.map((s) => s.id)).size).toBe(30)
    expect(new Set(w.schools.map((s) => s.google.orgUnitPath)).size).toBe(30)
    expect(new Set(w.schools.map((s) => s.intune.categoryId)).size).toBe(30)
    expect(w.schools.every((s) => /(skole|barneskole|ungdomsskole|oppvekstsenter)$/.test(s.name))).toBe(true)
    expect(w.schools.map((s) => s.name.split(' ')[0])).toEqual(
      expect.arrayContaining(['Berg', 'Bergheim', 'Ås', 'Åsen']),
    )
    const big = createWorld({ seed: 'names', epoch, schools: 120 })
    expect(new Set(big.schools.map((s) => s.name)).size).toBe(120)
  })

  it('splits the fleet across vendors and keeps some devices outside every school', () => {
    const w = createWorld({ seed: 'fleet', epoch, devices: 10_000 })
    const total = DEVICE_KINDS.reduce((n, k) => n + w.count(k), 0)
    expect(total).toBe(10_000)
    for (const k of DEVICE_KINDS) expect(w.count(k)).toBeGreaterThan(0)
    const stock = [...w.devices({ schoolId: null })]
    expect(stock.length).toBeGreaterThan(50)
    expect(stock.length).toBeLessThan(500)
    for (const d of [...w.devices()].slice(0, 500)) expect(d.vendor).toBe(KIND_VENDOR[d.kind])
  })

  it('every identifier resolves back to its device (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 12 }),
        fc.integer({ min: 1, max: 4000 }),
        fc.nat(),
        (seed, size, pick) => {
          const w = createWorld({ seed, epoch, devices: size, schools: 7 })
          const i = pick % size
          const d = w.device(i)!
          expect(w.bySerial(d.serialNumber)).toBe(i)
          const { jamfPro, ...global } = d.ids
          for (const id of Object.values(global)) expect(w.resolve(id)).toBe(i)
          // Jamf Pro ids are per type ("1" is a mobile device and a computer), so they resolve per type.
          if (jamfPro) expect(w.byJamfProId(jamfPro, d.kind === 'jamfProMac' ? 'computer' : 'mobile')).toBe(i)
          expect(w.schoolOf(d.serialNumber)).toBe(d.school)
          expect(w.resolve(`${d.serialNumber}X`)).toBe(-1)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('50,000 devices start quickly and compactly (no per-device objects)', () => {
    const before = process.memoryUsage().heapUsed
    const w = createWorld({ seed: 'large', epoch, devices: 50_000 })
    const grown = process.memoryUsage().heapUsed - before
    expect(w.size).toBe(50_000)
    expect(grown).toBeLessThan(32 * 1024 * 1024)
    const serials = new Set<string>()
    for (let i = 0; i < w.size; i += 7) serials.add(w.serial(i))
    expect(serials.size).toBe(Math.ceil(w.size / 7))
  })

  it('rejects out-of-range sizes', () => {
    expect(() => createWorld({ epoch, schools: 0 })).toThrow(TypeError)
    expect(() => createWorld({ epoch, devices: -1 })).toThrow(TypeError)
  })

  describe.skipIf(!haveSpecs)(
    specTitle('Apple command requirements vs ../shared/specs/mdm/apple-mdm-commands'),
    () => {
      it('match the published command definitions', () => {
        const files: Record<string, string> = {
          DeviceLock: 'device.lock.yaml',
          EraseDevice: 'device.erase.yaml',
          ClearPasscode: 'passcode.clear.yaml',
          RestartDevice: 'device.restart.yaml',
          ShutDownDevice: 'device.shutdown.yaml',
          EnableLostMode: 'device.lostmode.enable.yaml',
          DisableLostMode: 'device.lostmode.disable.yaml',
          DeviceLocation: 'device.lostmode.location.yaml',
          PlayLostModeSound: 'device.lostmode.playsound.yaml',
          DeviceInformation: 'information.device.yaml',
          Settings: 'settings.yaml',
        }
        for (const [command, file] of Object.entries(files)) {
          const text = readFileSync(join(specsDir, 'apple-mdm-commands', file), 'utf8')
          expect(text).toContain(`requesttype: ${command}`)
          const ios = text.slice(text.indexOf('    iOS:'), text.indexOf('    macOS:'))
          const supervised = /supervised: true/.test(ios)
          expect(APPLE_COMMAND_REQUIREMENTS[command]?.supervised, command).toBe(supervised)
        }
      })
    },
  )
})

describe('clock, latency and check-ins', () => {
  it('adds the configured latency per request through the injected delay', async () => {
    const waits: number[] = []
    const mock = await startMdmMock({
      seed: 'latency',
      devices: 100,
      clock: { mode: 'manual', start: START },
      latencyMs: 50,
      delay: async (ms) => {
        waits.push(ms)
      },
    })
    try {
      await getJson(`${mock.urls.jamfSchool}/locations`, jamfSchoolHeaders(mock))
      mock.setFault('jamfSchool', { latencyMs: 7 })
      await getJson(`${mock.urls.jamfSchool}/locations`, jamfSchoolHeaders(mock))
      expect(waits).toEqual([50, 7])
    } finally {
      await mock.close()
    }
  })

  it('offline devices keep commands pending until an explicit check-in; the concurrency high-water mark is recorded', async () => {
    const mock = await startMdmMock({
      seed: 'offline',
      devices: 2000,
      clock: { mode: 'manual', start: START },
    })
    try {
      const offline = [...mock.world.devices({ vendor: 'jamfSchool' })].find((d) => !d.online)!
      await fetch(`${mock.urls.jamfSchool}/devices/${offline.ids.udid}/refresh`, {
        method: 'POST',
        headers: jamfSchoolHeaders(mock),
      })
      mock.clock.advance(7 * 86_400_000)
      expect(mock.commands({ deviceId: offline.index })[0]!.status).toBe('pending')
      mock.world.setOnline(offline.index, true)
      mock.clock.advance(15 * 60_000)
      expect(mock.commands({ deviceId: offline.index })[0]!.status).toBe('completed')
      await Promise.all(
        Array.from({ length: 4 }, () =>
          getJson(`${mock.urls.jamfSchool}/locations`, jamfSchoolHeaders(mock)),
        ),
      )
      expect(mock.stats().jamfSchool.maxInFlight).toBeGreaterThanOrEqual(1)
      expect(mock.stats().jamfSchool.requests).toBe(5)
      expect(() => mock.checkIn('no-such-device')).toThrow(TypeError)
    } finally {
      await mock.close()
    }
  })
})
