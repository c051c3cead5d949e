/** The exponential part of a retry schedule. */
export interface BackoffOptions {
  /** The ceiling of the first retry's wait, in milliseconds. */
  readonly baseDelay: number
  /** The largest ceiling any retry's wait can have, in milliseconds. */
  readonly maxDelay: number
}

/**
 * The wait before retry number `retry` (1 for the first retry) with "full
 * jitter": a uniformly random time between 0 and
 * `min(maxDelay, baseDelay × 2^(retry − 1))`. Spreading retries over the whole
 * window is what keeps many clients that failed together from coming back
 * together.
 *
 * @param retry - Which retry this is, from 1.
 * @param options - Base and cap.
 * @param random - A source of numbers in [0, 1). Default `Math.random`.
 * @returns Whole milliseconds, never above `maxDelay`.
 * @example
 * ```ts
 * fullJitterDelay(3, { baseDelay: 100, maxDelay: 10_000 }, () => 0.5) // 200
 * ```
 * @see https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function fullJitterDelay(
  retry: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.max(0, retry - 1))
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.min(Math.floor(r * ceiling), Math.floor(options.maxDelay))
}

/** Input of {@link planRetryDelay}. */
export interface RetryDelayInput extends BackoffOptions {
  /** Which retry this would be, from 1. */
  readonly retry: number
  /** What the server asked for (`Retry-After` and friends), in milliseconds. */
  readonly serverDelay: number | undefined
  /** The longest server-asked wait the client accepts, in milliseconds. */
  readonly maxRetryAfter: number
  /** Milliseconds left before the overall deadline; `undefined` without a deadline. */
  readonly remaining: number | undefined
  readonly random: () => number
}

/** What {@link planRetryDelay} decided. */
export type RetryDelayPlan =
  | { readonly wait: number }
  | { readonly stop: 'retry-after-too-long' | 'deadline'; readonly wanted: number }

/**
 * Decides how long to wait before a retry: the full-jitter backoff, but never
 * less than the server asked. Stops instead of waiting when the server asks for
 * more than `maxRetryAfter`, or when the wait would pass the deadline.
 *
 * @internal
 */
export function planRetryDelay(input: RetryDelayInput): RetryDelayPlan {
  const jitter = fullJitterDelay(input.retry, input, input.random)
  if (input.serverDelay !== undefined && input.serverDelay > input.maxRetryAfter) {
    return { stop: 'retry-after-too-long', wanted: input.serverDelay }
  }
  const wait = Math.max(input.serverDelay ?? 0, jitter)
  if (input.remaining !== undefined && wait >= input.remaining) return { stop: 'deadline', wanted: wait }
  return { wait }
}
