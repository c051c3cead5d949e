import type { Database } from '@felles/sample-municipality'
import { openLetters, recordLetterStatus } from '@felles/sample-municipality/casework'
import type { SvarUtClient } from '@felles/svarut'
import type { Kysely } from 'kysely'
import { type Clock, systemClock } from './clock.js'

/** Options of {@link createStatusPoller}. */
export interface StatusPollerOptions {
  readonly db: Kysely<Database>
  readonly svarut: SvarUtClient
  /** Poll interval of `watchStatus`. Default 60 s (SvarUt has no webhooks). */
  readonly intervalMs?: number
  /**
   * How long one `watchStatus` round follows the letters it started with
   * before the poller looks for newly sent ones. Default 5 × `intervalMs`.
   */
  readonly roundMs?: number
  /** Letters per round. Default 1000. */
  readonly batch?: number
  readonly clock?: Clock
  /** Called for each status written (for counters). */
  readonly onStatus?: (status: { letterId: string; status: string; final: boolean }) => void
}

/** The poller made by {@link createStatusPoller}. */
export interface StatusPoller {
  /** One round: follows the open letters until they are final or the round ends. */
  runRound(signal?: AbortSignal): Promise<number>
  /** Rounds until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>
}

/**
 * Creates the poller that follows sent letters with `watchStatus` and writes
 * every change to the letter, its delivery milestones and the case timeline
 * ("Vedtak sendt" → "Levert digitalt" → "Lest", or "Sendt til print").
 * Writes are idempotent, so several pollers (one per worker on PostgreSQL)
 * may report the same status.
 */
export function createStatusPoller(options: StatusPollerOptions): StatusPoller {
  const clock = options.clock ?? systemClock
  const intervalMs = options.intervalMs ?? 60_000
  const roundMs = options.roundMs ?? intervalMs * 5

  async function runRound(signal?: AbortSignal): Promise<number> {
    const open = await openLetters(options.db, { limit: options.batch ?? 1000 })
    if (open.length === 0) return 0
    const round = new AbortController()
    const stop = signal ? AbortSignal.any([signal, round.signal]) : round.signal
    const timer = setTimeout(() => round.abort(new Error('round over')), roundMs)
    let written = 0
    try {
      for await (const event of options.svarut.watchStatus(
        open.map((l) => l.svarutId),
        { interval: intervalMs, signal: stop },
      )) {
        const changed = Date.parse(event.status.changedAt)
        const letterId = await recordLetterStatus(options.db, {
          svarutId: event.status.id,
          status: event.status.status,
          phase: event.status.phase,
          final: event.status.final,
          at: new Date(Number.isNaN(changed) ? clock.now() : changed),
          regression: event.type === 'regression',
        })
        if (letterId !== undefined) {
          written++
          options.onStatus?.({ letterId, status: event.status.status, final: event.status.final })
        }
      }
    } catch (error) {
      // The end of a round (or of the process) aborts the watch; anything else is retried next round.
      if (!stop.aborted) throw error
    } finally {
      clearTimeout(timer)
    }
    return written
  }

  return {
    runRound,
    async run(signal) {
      while (!signal.aborted) {
        let open = 0
        try {
          open = await runRound(signal)
        } catch {
          open = 0
        }
        if (open === 0 && !signal.aborted) await clock.sleep(intervalMs, signal).catch(() => {})
      }
    },
  }
}
