const formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' })

const HOUR = 3_600_000
// Offsets by UTC hour: Oslo changes its offset only on a whole UTC hour, and asking Intl costs
// more than the rest of reading a device, twice per time stamp, on every device of a large listing.
const offsets = new Map<number, number>()

/** The offset of Europe/Oslo from UTC at an instant, in ms (3 600 000 in winter, 7 200 000 in summer). */
function osloOffset(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR)
  const known = offsets.get(hour)
  if (known !== undefined) return known
  const offset = askIntl(hour * HOUR)
  if (offsets.size >= 100_000) offsets.clear()
  offsets.set(hour, offset)
  return offset
}

function askIntl(epochMs: number): number {
  const name =
    formatter.formatToParts(new Date(epochMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT'
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name)
  if (!match) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0)
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000
}

/**
 * Reads a Jamf School timestamp (`YYYY-MM-DD HH:MM:SS`, Norwegian local time,
 * no zone) as an ISO 8601 UTC string; `null` when it is not one.
 */
export function osloLocalToIso(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(value)
  if (!m) return null
  const asUtc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  )
  const offset = osloOffset(asUtc - osloOffset(asUtc))
  return new Date(asUtc - offset).toISOString()
}
