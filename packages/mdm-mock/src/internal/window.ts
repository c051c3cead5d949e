/**
 * Sliding-window rate limiter over the emulator clock: remembers the times of
 * the last `limit` accepted requests in a ring buffer, so memory is constant.
 */
export class SlidingWindow {
  private readonly times: Float64Array
  private head = 0
  private filled = 0

  readonly limit: number
  readonly windowMs: number

  constructor(limit: number, windowMs: number) {
    this.limit = limit
    this.windowMs = windowMs
    this.times = new Float64Array(Math.max(1, limit))
  }

  /** Milliseconds until a request would be accepted (0 = accept now). */
  waitMs(now: number): number {
    if (this.limit <= 0) return this.windowMs
    if (this.filled < this.limit) return 0
    const oldest = this.times[this.head]!
    const free = oldest + this.windowMs
    return free > now ? free - now : 0
  }

  /** Records a request at `now`; returns false (and records nothing) when over the limit. */
  take(now: number): boolean {
    if (this.waitMs(now) > 0) return false
    this.times[this.head] = now
    this.head = (this.head + 1) % this.limit
    if (this.filled < this.limit) this.filled++
    return true
  }

  /** Requests remaining in the current window. */
  remaining(now: number): number {
    let used = 0
    for (let k = 0; k < this.filled; k++) if (this.times[k]! > now - this.windowMs) used++
    return Math.max(0, this.limit - used)
  }
}
