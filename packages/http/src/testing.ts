import type { Clock } from './clock.js'

/**
 * A {@link Clock} whose time moves only when a test says so. Every `sleep`
 * call is recorded, so a test can see how long the code under test wanted to
 * wait and then let exactly that much time pass.
 */
export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, resolving due sleepers one at a time in the
   * order they fall due (ties in the order they were registered). Between two
   * sleepers it lets pending callbacks run, so a sleeper that starts another
   * sleep inside the advanced span is resolved too.
   */
  advance(ms: number): Promise<void>
  /** Moves time forward to the earliest pending sleeper and resolves it; returns how far time moved (0 when nothing sleeps). */
  advanceToNext(): Promise<number>
  /**
   * The duration of the next `sleep` call not yet returned by `nextSleep`,
   * waiting for one when there is none. Lets a test observe each wait in turn.
   */
  nextSleep(): Promise<number>
  /** Every duration passed to `sleep`, in call order (aborted ones included). */
  readonly sleeps: readonly number[]
  /** How many sleepers are waiting. */
  readonly pending: number
}

/** Options for {@link createManualClock}. */
export interface ManualClockOptions {
  /** Start time in epoch milliseconds. Default `Date.UTC(2026, 0, 1)`. */
  readonly now?: number
}

interface Sleeper {
  readonly due: number
  readonly seq: number
  readonly resolve: () => void
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * Creates a test clock that starts at a fixed time and only moves when
 * `advance` is called. Use it with every `clock` option of `@felles/http` (and
 * of the packages built on it) so tests of backoff, timeouts, deadlines and
 * token expiry run instantly and deterministically.
 *
 * @param options - The start time.
 * @returns A manual clock.
 * @example
 * ```ts
 * import { createManualClock } from '@felles/http/testing'
 *
 * const clock = createManualClock()
 * const done = clock.sleep(1_000)
 * await clock.advance(1_000) // `done` is now resolved
 * ```
 */
export function createManualClock(options: ManualClockOptions = {}): ManualClock {
  let now = options.now ?? Date.UTC(2026, 0, 1)
  let seq = 0
  const sleepers: Sleeper[] = []
  const sleeps: number[] = []
  let observed = 0
  const observers: Array<() => void> = []

  const remove = (sleeper: Sleeper): void => {
    const index = sleepers.indexOf(sleeper)
    if (index >= 0) sleepers.splice(index, 1)
  }
  const earliest = (): Sleeper | undefined => {
    let best: Sleeper | undefined
    for (const s of sleepers)
      if (best === undefined || s.due < best.due || (s.due === best.due && s.seq < best.seq)) best = s
    return best
  }

  const clock: ManualClock = {
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms)
      observers.shift()?.()
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          remove(sleeper)
          reject(signal?.reason)
        }
        const sleeper: Sleeper = {
          due: now + Math.max(0, ms),
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort)
            resolve()
          },
        }
        sleepers.push(sleeper)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    async advance(ms: number): Promise<void> {
      const target = now + ms
      await tick()
      for (;;) {
        const next = earliest()
        if (next === undefined || next.due > target) break
        remove(next)
        now = Math.max(now, next.due)
        next.resolve()
        await tick()
      }
      now = target
      await tick()
    },
    async advanceToNext(): Promise<number> {
      await tick()
      const next = earliest()
      if (next === undefined) return 0
      const moved = Math.max(0, next.due - now)
      await clock.advance(moved)
      return moved
    },
    nextSleep(): Promise<number> {
      if (observed < sleeps.length) return Promise.resolve(sleeps[observed++]!)
      return new Promise<number>((resolve) => {
        observers.push(() => resolve(sleeps[observed++]!))
      })
    },
    get sleeps(): readonly number[] {
      return sleeps
    },
    get pending(): number {
      return sleepers.length
    },
  }
  return clock
}
