/**
 * The emulator's controllable clock. Status progression, hendelser
 * timestamps, token expiry and `Retry-After` dates are all read from it, so a
 * test can jump a week ahead instead of waiting.
 */
export interface MockClock {
  /** Milliseconds since the Unix epoch, as the emulator sees it. */
  now(): number
  /** The current emulator time as a `Date`. */
  date(): Date
  /** Moves the clock forward by `ms` (never backwards). */
  advance(ms: number): void
  /** Jumps to an absolute time (forwards or backwards). */
  set(time: number | string | Date): void
  /**
   * `real`: time flows with the wall clock from the start time, plus every
   * `advance`; `manual`: time stands still except for `advance`/`set`.
   */
  readonly mode: 'real' | 'manual'
}

/** Options for {@link createClock}. */
export interface ClockOptions {
  /** Start time; default the wall clock's now. */
  readonly start?: number | string | Date
  /** Default `real`. Tests usually want `manual`. */
  readonly mode?: 'real' | 'manual'
  /** Wall clock to follow in `real` mode; default `Date.now`. */
  readonly wallClock?: () => number
}

function toMillis(time: number | string | Date): number {
  const ms = typeof time === 'number' ? time : new Date(time).getTime()
  if (!Number.isFinite(ms)) throw new TypeError(`Invalid clock time: ${String(time)}`)
  return ms
}

/**
 * Creates a controllable clock for {@link startSvarUtMock}.
 *
 * @param options - start time and mode
 * @returns the clock
 * @throws {TypeError} when the start time is not a valid date
 * @example
 * ```ts
 * const clock = createClock({ start: '2026-01-05T08:00:00Z', mode: 'manual' })
 * const mock = await startSvarUtMock({ clock })
 * clock.advance(7 * 24 * 3600_000) // a week later: unread letters have gone to print
 * ```
 */
export function createClock(options: ClockOptions = {}): MockClock {
  const wall = options.wallClock ?? Date.now
  const mode = options.mode ?? 'real'
  let base = options.start === undefined ? wall() : toMillis(options.start)
  let wallAtBase = wall()
  const now = (): number => (mode === 'real' ? base + (wall() - wallAtBase) : base)
  return {
    mode,
    now,
    date: () => new Date(now()),
    advance(ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError('clock.advance needs a non-negative number')
      base += ms
    },
    set(time: number | string | Date): void {
      base = toMillis(time)
      wallAtBase = wall()
    },
  }
}
