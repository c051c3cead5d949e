import type { Clock } from '@felles/http'
import type { MdmMock } from '@felles/mdm-mock'
import type { School } from '../src/index.js'

/**
 * A clock whose sleeps end at once while its time moves on by the time slept,
 * and which records every wait: backoff and `Retry-After` are observed, never
 * slept. Use with `timeout: false` (a per-attempt timeout would also end at once).
 */
export function instantClock(
  start: number = Date.parse('2026-11-30T08:00:00Z'),
): Clock & { waits: number[] } {
  let now = start
  const waits: number[] = []
  return {
    waits,
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      waits.push(ms)
      now += Math.max(0, ms)
      return new Promise((resolve) => setImmediate(resolve))
    },
  }
}

/** The emulator's schools as Felles school configuration (what the IT service would configure). */
export function schoolsOf(mock: MdmMock): School[] {
  return mock.world.schools.map((s) => ({
    id: s.id,
    name: s.name,
    scopes: {
      intune: { category: s.name },
      jamfPro: { siteId: s.jamfPro.siteId },
      jamfSchool: { locationId: String(s.jamfSchool.locationId) },
      google: { orgUnitPath: s.google.orgUnitPath },
    },
  }))
}
