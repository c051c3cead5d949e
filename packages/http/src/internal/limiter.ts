import type { Clock } from '../clock.js'

/** Why a request had to wait for the client's own limits. */
export type WaitSource = 'concurrency' | 'rate'

interface Waiter {
  readonly resolve: (release: () => void) => void
  readonly reject: (reason: unknown) => void
  readonly signal: AbortSignal | undefined
  readonly onAbort: () => void
}

export interface LimiterOptions {
  readonly maxConcurrency: number
  /** Token bucket: `requests` per `interval` ms, bursting up to `requests`. */
  readonly rate: { readonly requests: number; readonly interval: number } | undefined
  readonly clock: Clock
}

/**
 * A FIFO gate for one client: at most `maxConcurrency` attempts in flight and
 * at most `requests` attempts started per `interval` (a token bucket refilled
 * continuously). A waiter whose signal aborts leaves the queue at once.
 */
export class Limiter {
  readonly #max: number
  readonly #perMs: number
  readonly #capacity: number
  readonly #clock: Clock
  #active = 0
  #tokens: number
  #last: number
  #refillScheduled = false
  readonly #queue: Waiter[] = []

  constructor(options: LimiterOptions) {
    this.#max = options.maxConcurrency
    this.#clock = options.clock
    this.#capacity = options.rate?.requests ?? Number.POSITIVE_INFINITY
    this.#perMs = options.rate === undefined ? 0 : options.rate.requests / options.rate.interval
    this.#tokens = this.#capacity
    this.#last = options.clock.now()
  }

  /** Why a request arriving now would wait, or `undefined` when it would not. */
  wouldWait(): WaitSource | undefined {
    if (this.#queue.length > 0 || this.#active >= this.#max) return 'concurrency'
    this.#refill()
    return this.#tokens < 1 ? 'rate' : undefined
  }

  /** Milliseconds until the bucket holds a token again (0 when it does). */
  rateDelay(): number {
    this.#refill()
    return this.#tokens >= 1 || this.#perMs === 0 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs)
  }

  acquire(signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#queue.length === 0 && this.#tryTake()) return Promise.resolve(this.#releaser())
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter)
          if (index >= 0) this.#queue.splice(index, 1)
          reject(signal?.reason)
          this.#pump()
        },
      }
      this.#queue.push(waiter)
      signal?.addEventListener('abort', waiter.onAbort, { once: true })
      this.#pump()
    })
  }

  #refill(): void {
    if (this.#perMs === 0) return
    const now = this.#clock.now()
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#last) * this.#perMs)
    this.#last = now
  }

  #tryTake(): boolean {
    if (this.#active >= this.#max) return false
    if (this.#perMs > 0) {
      this.#refill()
      if (this.#tokens < 1) return false
      this.#tokens -= 1
    }
    this.#active++
    return true
  }

  #releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      this.#active--
      this.#pump()
    }
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#tryTake()) {
      const waiter = this.#queue.shift()!
      waiter.signal?.removeEventListener('abort', waiter.onAbort)
      waiter.resolve(this.#releaser())
    }
    if (this.#queue.length > 0 && this.#active < this.#max && !this.#refillScheduled) {
      this.#refillScheduled = true
      this.#clock.sleep(this.rateDelay()).then(
        () => {
          this.#refillScheduled = false
          this.#pump()
        },
        () => {
          this.#refillScheduled = false
        },
      )
    }
  }
}

/**
 * A client-wide budget that bounds the extra load retries add: it holds at
 * most `tokens` retry tokens, each new request adds `ratio` of a token, and
 * each retry takes one. In a storm of failures retries stop once the budget is
 * spent instead of multiplying the load on a struggling server.
 */
export class RetryBudget {
  readonly #capacity: number
  readonly #ratio: number
  #balance: number

  constructor(capacity: number, ratio: number) {
    this.#capacity = capacity
    this.#ratio = ratio
    this.#balance = capacity
  }

  deposit(): void {
    this.#balance = Math.min(this.#capacity, this.#balance + this.#ratio)
  }

  withdraw(): boolean {
    if (this.#balance < 1) return false
    this.#balance -= 1
    return true
  }
}
