/**
 * The mock's source of time, in milliseconds since the epoch.
 *
 * What follows the clock: expiry of everything the mock stores (SSO sessions,
 * authorization codes, access and refresh tokens, interactions, PAR request
 * URIs), the SSO session's idle and absolute limits, `auth_time`, the
 * `Date` response header, the ID token faults that move `iat`/`exp`, and every
 * Maskinporten check and token. What does not: oidc-provider stamps `iat` and
 * `exp` of the tokens it signs with the process clock (`Date.now()`); move
 * that with `vi.useFakeTimers({ toFake: ['Date'] })` or `faketime`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

/** A clock that only moves when told to: for idle-timeout and lifetime tests. */
export interface ManualClock extends Clock {
  /** Moves the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void
  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void
}

/**
 * The process clock (`Date.now()`), the default.
 *
 * @example
 * ```ts
 * await startIdportenMock({ clock: systemClock })
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() })

/**
 * Creates a {@link ManualClock} that starts at `start` (default: now) and
 * stands still until advanced.
 *
 * @param start - Start time, ms since the epoch.
 * @returns The clock.
 * @example
 * ```ts
 * const clock = createManualClock()
 * const mock = await startIdportenMock({ clock })
 * // … log in …
 * clock.advance(31 * 60_000) // the SSO session is now idle-expired
 * ```
 */
export function createManualClock(start: number = Date.now()): ManualClock {
  let current = start
  return {
    now: () => current,
    advance: (ms) => {
      current += ms
    },
    set: (ms) => {
      current = ms
    },
  }
}

/** Seconds since the epoch on `clock`. */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000)
}
