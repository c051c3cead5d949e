/**
 * The source of time for everything in `@felles/http` that waits: backoff,
 * `Retry-After`, timeouts, deadlines, rate limits and token expiry. Inject a
 * manual clock (`createManualClock` from `@felles/http/testing`) so tests never
 * sleep; other Felles packages (Maskinporten, SvarUt, MDM) take the same type.
 *
 * @example
 * ```ts
 * const clock: Clock = { now: () => Date.now(), sleep: (ms, signal) => mySleep(ms, signal) }
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch (wall-clock time, as `Date.now()`). */
  now(): number
  /**
   * Resolves after `ms` milliseconds. Rejects with `signal.reason` as soon as
   * `signal` aborts (at once when it already has), and the timer is released.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/**
 * The real clock: `Date.now()` and `setTimeout`.
 *
 * @example
 * ```ts
 * await systemClock.sleep(100, AbortSignal.timeout(1_000))
 * ```
 */
export const systemClock: Clock = {
  now: (): number => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<void>((resolve, reject) => {
      if (signal === undefined) {
        setTimeout(resolve, Math.max(0, ms))
        return
      }
      const onAbort = (): void => {
        clearTimeout(timer)
        reject(signal.reason)
      }
      const timer = setTimeout(
        () => {
          signal.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      signal.addEventListener('abort', onAbort, { once: true })
    })
  },
}
