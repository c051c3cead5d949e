import type { Database } from '@felles/sample-municipality'
import { type DeviceRow, iterateDevices } from '@felles/sample-municipality/schools'
import type { Kysely } from 'kysely'

/** Minimum OS versions per platform; older counts as out of date. */
export type MinimumOsVersions = Readonly<Record<string, string>>

/** Defaults: the releases still receiving security updates in the sample municipality's policy. */
export const DEFAULT_MINIMUM_OS: MinimumOsVersions = {
  ipados: '17.0',
  ios: '17.0',
  macos: '14.0',
  windows: '10.0.22631',
  chromeos: '130.0',
}

/** Compares dotted versions numerically (`17.10` > `17.9`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/** A device with what is wrong with it. */
export interface Finding {
  readonly device: DeviceRow
  readonly nonCompliant: boolean
  readonly outdatedOs: boolean
  readonly notSeen: boolean
}

/** Counts per platform. */
export interface PlatformCounts {
  readonly platform: string
  readonly total: number
  readonly nonCompliant: number
  readonly outdatedOs: number
  readonly notSeen: number
}

/** The compliance report of one school. */
export interface ComplianceReport {
  readonly schoolId: string
  readonly total: number
  readonly nonCompliant: number
  readonly outdatedOs: number
  readonly notSeen: number
  readonly byPlatform: readonly PlatformCounts[]
  /** Devices with at least one finding, by name (at most `maxFindings`). */
  readonly findings: readonly Finding[]
  readonly findingsTotal: number
}

/**
 * Builds a school's compliance report from the inventory: non-compliant devices,
 * OS older than the minimum for its platform, and devices not seen for `notSeenDays`.
 */
export async function complianceReport(
  db: Kysely<Database>,
  schoolId: string,
  options: { now: Date; notSeenDays?: number; minimumOs?: MinimumOsVersions; maxFindings?: number },
): Promise<ComplianceReport> {
  const minimum = options.minimumOs ?? DEFAULT_MINIMUM_OS
  const limit = options.now.getTime() - (options.notSeenDays ?? 30) * 86_400_000
  const max = options.maxFindings ?? 500
  const platforms = new Map<
    string,
    { total: number; nonCompliant: number; outdatedOs: number; notSeen: number }
  >()
  const findings: Finding[] = []
  let findingsTotal = 0
  for await (const device of iterateDevices(db, { schoolId })) {
    const nonCompliant = device.compliance === 'noncompliant'
    const min = minimum[device.platform]
    const outdatedOs =
      min !== undefined && device.os_version !== null && compareVersions(device.os_version, min) < 0
    const seen = device.last_check_in === null ? Number.NaN : Date.parse(device.last_check_in)
    const notSeen = !(seen >= limit)
    const p = platforms.get(device.platform) ?? { total: 0, nonCompliant: 0, outdatedOs: 0, notSeen: 0 }
    p.total++
    if (nonCompliant) p.nonCompliant++
    if (outdatedOs) p.outdatedOs++
    if (notSeen) p.notSeen++
    platforms.set(device.platform, p)
    if (nonCompliant || outdatedOs || notSeen) {
      findingsTotal++
      if (findings.length < max) findings.push({ device, nonCompliant, outdatedOs, notSeen })
    }
  }
  const byPlatform = [...platforms.entries()]
    .map(([platform, c]) => ({ platform, ...c }))
    .sort((a, b) => a.platform.localeCompare(b.platform))
  const sum = (k: 'total' | 'nonCompliant' | 'outdatedOs' | 'notSeen'): number =>
    byPlatform.reduce((n, p) => n + p[k], 0)
  return {
    schoolId,
    total: sum('total'),
    nonCompliant: sum('nonCompliant'),
    outdatedOs: sum('outdatedOs'),
    notSeen: sum('notSeen'),
    byPlatform,
    findings,
    findingsTotal,
  }
}
