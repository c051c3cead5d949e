import { type Clock, systemClock } from '../clock.js'

const noop = (): void => {}
// Aborting without a reason makes a DOMException with a stack trace: measurable on every request.
const CANCELLED = Object.freeze({ cancelled: true })

/** Runs `fire` after `ms` on the clock unless the returned function is called first. */
export function startTimer(clock: Clock, ms: number, fire: () => void): () => void {
  if (clock === systemClock) {
    // The hot path of every request with a timeout: a bare timer, no signal, no promise.
    const handle = setTimeout(fire, ms)
    return () => clearTimeout(handle)
  }
  const controller = new AbortController()
  clock.sleep(ms, controller.signal).then(fire, noop)
  return () => controller.abort(CANCELLED)
}

/** Aborts `target` when `source` aborts, with the same reason; returns the unlink function. */
export function link(source: AbortSignal, target: AbortController): () => void {
  if (source.aborted) {
    target.abort(source.reason)
    return noop
  }
  const onAbort = (): void => target.abort(source.reason)
  source.addEventListener('abort', onAbort, { once: true })
  return () => source.removeEventListener('abort', onAbort)
}

/**
 * The lifetime of one call (all its attempts and waits): aborts when the
 * caller's signal aborts or the overall deadline passes, and remembers which.
 * Without a caller signal and without a deadline it has no signal at all, so
 * the common case allocates nothing.
 */
export class CallScope {
  readonly signal: AbortSignal | undefined
  state: 'active' | 'aborted' | 'deadline' = 'active'
  readonly #cleanups: Array<() => void> = []

  constructor(caller: AbortSignal | undefined, deadline: number | undefined, clock: Clock) {
    if (caller === undefined && deadline === undefined) {
      this.signal = undefined
      return
    }
    const controller = new AbortController()
    this.signal = controller.signal
    if (caller !== undefined) {
      const onAbort = (): void => {
        if (this.state === 'active') this.state = 'aborted'
        controller.abort(caller.reason)
      }
      if (caller.aborted) onAbort()
      else {
        caller.addEventListener('abort', onAbort, { once: true })
        this.#cleanups.push(() => caller.removeEventListener('abort', onAbort))
      }
    }
    if (deadline !== undefined && this.state === 'active') {
      this.#cleanups.push(
        startTimer(clock, deadline, () => {
          if (this.state !== 'active') return
          this.state = 'deadline'
          controller.abort(new DOMException('The deadline passed', 'TimeoutError'))
        }),
      )
    }
  }

  dispose(): void {
    for (const cleanup of this.#cleanups) cleanup()
    this.#cleanups.length = 0
  }
}
