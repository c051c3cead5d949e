import type { Clock, FetchLike, HttpHooks } from '@felles/http'

/** Transport options every adapter accepts. */
export interface TransportOptions {
  /** The fetch implementation. Default the global `fetch`. */
  readonly fetch?: FetchLike
  /** Time source for waits and token expiry. Default the system clock. */
  readonly clock?: Clock
  /** Observability hooks of `@felles/http` (request, response, retry, rate-limit wait). */
  readonly hooks?: HttpHooks
  /** Per-attempt timeout in ms, or `false` for none (tests with an instant clock). Default 30 000. */
  readonly timeout?: number | false
}

/** @internal Copies the transport options that are set. */
export function transport(options: TransportOptions): {
  fetch?: FetchLike
  clock?: Clock
  hooks?: HttpHooks
  timeout?: number | false
} {
  return {
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  }
}

/** @internal `{ signal }` when a signal is given. */
export const sig = (signal: AbortSignal | undefined): { signal?: AbortSignal } => (signal ? { signal } : {})
