/**
 * A source of the current time in milliseconds since the epoch. Inject one to
 * test session limits without waiting.
 *
 * @example
 * ```ts
 * let now = Date.now()
 * const clock: Clock = { now: () => now }
 * now += 31 * 60_000 // the session is now idle-expired
 * ```
 */
export interface Clock {
  now(): number
}

/**
 * The system clock (`Date.now()`), the default everywhere.
 *
 * @example
 * ```ts
 * systemClock.now() // ms since the epoch
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() })
