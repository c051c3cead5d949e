const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/i
const RFC_850 = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/i
const ASCTIME = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i

function utc(year: number, month: string, day: number, h: number, m: number, s: number): number | undefined {
  const mon = MONTHS.indexOf(month.toLowerCase())
  if (mon < 0 || day < 1 || day > 31 || h > 23 || m > 59 || s > 60) return undefined
  const time = Date.UTC(year, mon, day, h, m, Math.min(s, 59))
  // Reject dates such as 31 Feb that Date.UTC would roll over.
  return new Date(time).getUTCDate() === day ? time : undefined
}

/**
 * Parses an HTTP-date in any of the three forms RFC 9110 requires recipients
 * to accept: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete
 * RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
 * (`Sun Nov  6 08:49:37 1994`, which is UTC). Unlike `Date.parse`, it never
 * reads a zone-less date as local time.
 *
 * @param value - The header value.
 * @param now - Reference time for two-digit years (epoch ms). Default `Date.now()`.
 * @returns Epoch milliseconds, or `undefined` when the value is not an HTTP-date.
 * @example
 * ```ts
 * parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT') // 784111777000
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-5.6.7
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim()
  let m = IMF_FIXDATE.exec(text)
  if (m) return utc(Number(m[3]), m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]))
  m = RFC_850.exec(text)
  if (m) {
    // A two-digit year more than 50 years in the future is in the past century (RFC 9110).
    let year = 2000 + Number(m[3])
    if (year > new Date(now).getUTCFullYear() + 50) year -= 100
    return utc(year, m[2]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6]))
  }
  m = ASCTIME.exec(text)
  if (m) return utc(Number(m[6]), m[1]!, Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]))
  return undefined
}

const SECONDS = /^\d+(?:\.\d+)?$/

/** Options for {@link serverRetryDelay}. */
export interface ServerRetryDelayOptions {
  /** The current time (epoch ms), used when the response has no usable `Date` header. */
  readonly now: number
  /** Also read rate-limit reset headers (`x-ratelimit-reset`, `ratelimit-reset`). Default `true`. */
  readonly rateLimitHeaders?: boolean
}

/**
 * How long a response asks the client to wait before trying again, in
 * milliseconds: `Retry-After` as delay-seconds or as an HTTP-date, else
 * `x-ratelimit-reset` (delta seconds, or epoch seconds when the number is
 * that large, as GitHub and Okta send it), else `ratelimit-reset` (IETF
 * draft, delta seconds).
 *
 * A date is measured against the response's own `Date` header when it has one,
 * so a client whose clock is ahead of the server's still waits as long as the
 * server asked; only without `Date` is the local clock used.
 *
 * @param headers - The response headers.
 * @param options - The current time and which headers to read.
 * @returns Milliseconds (0 for a date in the past), or `undefined` when the response asks for nothing.
 * @example
 * ```ts
 * serverRetryDelay(new Headers({ 'retry-after': '120' }), { now: Date.now() }) // 120000
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function serverRetryDelay(headers: Headers, options: ServerRetryDelayOptions): number | undefined {
  const dateHeader = headers.get('date')
  const serverNow = (dateHeader === null ? undefined : parseHttpDate(dateHeader, options.now)) ?? options.now
  const retryAfter = headers.get('retry-after')?.trim()
  if (retryAfter !== undefined && retryAfter !== '') {
    if (SECONDS.test(retryAfter)) return Math.ceil(Number(retryAfter) * 1000)
    const date = parseHttpDate(retryAfter, options.now)
    if (date !== undefined) return Math.max(0, date - serverNow)
  }
  if (options.rateLimitHeaders === false) return undefined
  const reset = headers.get('x-ratelimit-reset')?.trim()
  if (reset !== undefined && SECONDS.test(reset)) {
    const n = Number(reset)
    if (n >= 1e12) return Math.max(0, Math.ceil(n - serverNow))
    if (n >= 1e9) return Math.max(0, Math.ceil(n * 1000 - serverNow))
    return Math.ceil(n * 1000)
  }
  const ietf = headers.get('ratelimit-reset')?.trim()
  if (ietf !== undefined && SECONDS.test(ietf)) return Math.ceil(Number(ietf) * 1000)
  return undefined
}
