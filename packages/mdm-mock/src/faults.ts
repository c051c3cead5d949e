/** Rate-limit reasons Google uses in its 403 answers. */
export type GoogleRateLimitReason = 'userRateLimitExceeded' | 'rateLimitExceeded' | 'quotaExceeded'

/**
 * Fault switches for one vendor. Counters (`unavailable: 3`) apply to the next
 * N logical requests and then switch themselves off; `true` stays on until
 * cleared. Each Graph `$batch` item counts as one logical request.
 */
export interface FaultSettings {
  /** Added delay before every request is answered (e.g. 50 for benchmarks). */
  readonly latencyMs?: number
  /** Answer 503 (Jamf Pro answers with its HTML maintenance page). */
  readonly unavailable?: number | boolean
  /** Answer as rate-limited: 429 (Graph, Jamf Pro, Jamf School) or 403 with a rate-limit reason (Google). */
  readonly throttle?: number | boolean
  /** How forced throttles carry `Retry-After`: seconds (default), an HTTP date, or not at all. */
  readonly retryAfter?: 'seconds' | 'http-date' | 'omit'
  /** `Retry-After` value in seconds for forced throttles (default 2). */
  readonly retryAfterSeconds?: number
  /** One-shot: every token issued so far for this vendor expires now. */
  readonly expireTokens?: boolean
  /** Ignore list filters silently: `true` for all, or only the named properties/parameters. */
  readonly ignoreFilter?: boolean | readonly string[]
  /** Fraction (0–1) of devices outside the filter that are returned anyway. */
  readonly filterLeak?: number
  /** Graph: treat `ne` as `eq` (a reported Intune bug). */
  readonly neAsEq?: boolean
  /** Graph and Google: from the second page on, the next-page link points to the page just served. */
  readonly repeatNextPage?: boolean
  /** Google: which reason forced throttles report (default `userRateLimitExceeded`). */
  readonly rateLimitReason?: GoogleRateLimitReason
}

/** A vendor key or `all`. */
export type FaultTarget = 'graph' | 'jamfPro' | 'jamfSchool' | 'google' | 'all'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** Holds the current fault settings per vendor. */
export class FaultState {
  private readonly settings: Record<string, Mutable<FaultSettings>> = {
    graph: {},
    jamfPro: {},
    jamfSchool: {},
    google: {},
  }

  /** Merges settings (or clears them with `null`). */
  set(target: FaultTarget, settings: FaultSettings | null): void {
    const vendors = target === 'all' ? Object.keys(this.settings) : [target]
    for (const v of vendors) {
      if (!(v in this.settings)) throw new TypeError(`Unknown vendor "${v}"`)
      this.settings[v] = settings === null ? {} : { ...this.settings[v], ...settings }
    }
  }

  /** Current settings of a vendor. */
  get(vendor: string): Readonly<FaultSettings> {
    return this.settings[vendor] ?? {}
  }

  /** Consumes one unit of a counted fault; true when it applies to this request. */
  take(vendor: string, key: 'unavailable' | 'throttle'): boolean {
    const s = this.settings[vendor]
    const v = s?.[key]
    if (!s || v === undefined || v === false || v === 0) return false
    if (v === true) return true
    if (v <= 1) delete s[key]
    else s[key] = v - 1
    return true
  }

  /** Consumes the one-shot `expireTokens` switch. */
  takeExpireTokens(vendor: string): boolean {
    const s = this.settings[vendor]
    if (!s?.expireTokens) return false
    delete s.expireTokens
    return true
  }
}
