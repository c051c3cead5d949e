import type { Clock } from '@felles/http'

/**
 * A test clock that never sleeps for real: waits shorter than `realAbove`
 * (backoff, Retry-After, poll intervals) resolve at once and are recorded;
 * longer ones (request timeouts) are left pending until aborted.
 */
export function skippingClock(realAbove = 59_000): Clock & { readonly waits: number[] } {
  const waits: number[] = []
  let now = Date.UTC(2026, 0, 1)
  return {
    waits,
    now: () => now,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (ms >= realAbove) {
        return new Promise<void>((_, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
        })
      }
      waits.push(ms)
      now += ms
      return Promise.resolve()
    },
  }
}
