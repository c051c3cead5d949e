// Aborting one attempt of Node's built-in fetch without handing it an AbortSignal.
//
// Node's fetch (undici) pays for every signal it is given: it links the signal
// to a controller of its own through a WeakRef and a FinalizationRegistry and
// leaves the listener until garbage collection, about 10 % of the client CPU of
// a small request. When neither a caller signal nor a deadline is set, the only
// reason for a signal is the per-attempt timeout, which usually never fires. So
// on Node the client passes a tiny per-attempt `dispatcher` instead (a fetch
// option Node's fetch honours) that forwards to the global undici dispatcher and
// keeps the abort function undici gives each request when it is written to a
// connection. The timeout calls it, which destroys that request's connection
// (and nothing else), and rejects the attempt at once with the timeout's reason,
// as an aborted signal would, also while the request still waits for a
// connection. Nothing here imports a Node module: it only looks for the global
// dispatcher that Node's fetch installs, and it is never used elsewhere.

const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')

type Abort = (reason: unknown) => void

interface DispatchHandler {
  onConnect?: (abort: Abort, context?: unknown) => unknown
  onRequestStart?: (controller: { abort: Abort }, context?: unknown) => unknown
}

interface Dispatcher {
  dispatch(options: unknown, handler: DispatchHandler): boolean
}

/** Set once a fetch answered without going through our dispatcher (a replaced global fetch). */
let unsupported = false

function globalDispatcher(): Dispatcher | undefined {
  const dispatcher = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as Dispatcher | undefined
  return typeof dispatcher?.dispatch === 'function' ? dispatcher : undefined
}

/**
 * Whether attempts of the global fetch can be aborted through a dispatcher:
 * Node's fetch has run once (it installs the global dispatcher lazily), and it
 * has never ignored our dispatcher.
 */
export function canAbortByDispatcher(): boolean {
  return !unsupported && globalDispatcher() !== undefined
}

/** Aborts the fetches of one attempt (its redirect hops one after the other) without a signal. */
export class DispatchAbort implements Dispatcher {
  #abort: Abort | undefined
  #reject: ((reason: unknown) => void) | undefined
  #reason: unknown
  #aborted = false
  #dispatched = false

  /** The `dispatcher` fetch option for this attempt's fetches. */
  get dispatcher(): Dispatcher {
    return this
  }

  /** Undici's dispatcher interface: forwards to the global dispatcher, keeping the request's abort function. */
  dispatch(options: unknown, handler: DispatchHandler): boolean {
    this.#dispatched = true
    const target = globalDispatcher()
    if (target === undefined) throw new TypeError('fetch has no global dispatcher')
    const onConnect = handler.onConnect
    const onRequestStart = handler.onRequestStart
    if (typeof onConnect === 'function') {
      handler.onConnect = (abort, context) => {
        this.#abort = abort
        const result = onConnect.call(handler, abort, context)
        if (this.#aborted) abort(this.#reason)
        return result
      }
    } else if (typeof onRequestStart === 'function') {
      handler.onRequestStart = (controller, context) => {
        const abort: Abort = (reason) => controller.abort(reason)
        this.#abort = abort
        const result = onRequestStart.call(handler, controller, context)
        if (this.#aborted) abort(this.#reason)
        return result
      }
    } else {
      // A handler we do not know: the attempt still ends at its timeout
      // (see guard), and later attempts go back to a signal.
      unsupported = true
    }
    return target.dispatch(options, handler)
  }

  /** Settles like `response`, or rejects with the abort reason as soon as {@link abort} is called. */
  guard<T>(response: Promise<T>): Promise<T> {
    if (this.#aborted) {
      response.catch(() => {})
      return Promise.reject(this.#reason)
    }
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject
      response.then((value) => {
        if (!this.#dispatched) unsupported = true
        resolve(value)
      }, reject)
    })
  }

  /** Aborts the request in flight (and any later one of this attempt) with `reason`. */
  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#reject?.(reason)
    this.#abort?.(reason)
  }
}
