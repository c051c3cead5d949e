import {
  createOutbox,
  type Database,
  type Dialect,
  type Outbox,
  type OutboxItem,
} from '@felles/sample-municipality'
import {
  getLetterToSend,
  markLetterRejected,
  markLetterSent,
  recordSendError,
  SEND_LETTER,
} from '@felles/sample-municipality/casework'
import { isSvarUtError, type SvarUtClient } from '@felles/svarut'
import type { Kysely } from 'kysely'
import { type Clock, systemClock } from './clock.js'
import { sendLetter } from './svarut-letter.js'

/** Options of {@link createLetterWorker}. */
export interface LetterWorkerOptions {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** A client whose `outbox` is durable (`createSvarUtSendStore(db)`), so sends survive a crash. */
  readonly svarut: SvarUtClient
  /** Unique per process (a restarted process is a new worker). */
  readonly workerId: string
  /** Lease on a claimed letter, renewed every third of it while the send runs. Default 30 s. */
  readonly leaseMs?: number
  /** Letters sent at the same time by this worker. Default 4. */
  readonly concurrency?: number
  /** Pause when nothing is due. Default 500 ms. */
  readonly idleMs?: number
  /** Attempts before a letter is given up (and shown to the officer as stopped). Default 30. */
  readonly maxAttempts?: number
  readonly clock?: Clock
  readonly random?: () => number
  /** Called after each letter with what happened (for counters; never gets personal data). */
  readonly onResult?: (result: LetterWorkResult) => void
}

/** What one claimed letter came to. */
export interface LetterWorkResult {
  readonly letterId: string
  readonly outcome: 'sent' | 'already-sent' | 'retry' | 'rejected' | 'gave-up' | 'lease-lost' | 'missing'
  /** How the client learnt SvarUt's id (`response`, `lookup` after an ambiguous failure, `outbox`). */
  readonly resolvedBy?: string
  readonly error?: string
}

/** The letter worker made by {@link createLetterWorker}. */
export interface LetterWorker {
  /** Claims due letters once and sends them; resolves with how many were claimed. */
  runOnce(signal?: AbortSignal): Promise<number>
  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>
}

/** A short error description without personal data (SvarUt errors never carry any; others are reduced to a code). */
function describe(error: unknown): string {
  if (isSvarUtError(error)) {
    return [error.code, error.status, error.errorId].filter((x) => x !== undefined).join(' ')
  }
  if (error instanceof Error) return error.name
  return 'unknown error'
}

/**
 * Creates the worker that sends recorded letters through SvarUt. It claims
 * outbox items with a lease (several workers may run on PostgreSQL; on
 * SQLite one), renews the lease while a send runs and aborts the send when
 * the lease is lost, sends with the letter's stable `eksternReferanse`
 * (`@felles/svarut` looks it up after any ambiguous failure, and before
 * sending a reference a crashed worker left pending), records SvarUt's id,
 * and only then completes the item.
 *
 * @example
 * ```ts
 * const worker = createLetterWorker({ db, dialect, svarut, workerId: `worker-${process.pid}` })
 * await worker.run(controller.signal)
 * ```
 */
export function createLetterWorker(options: LetterWorkerOptions): LetterWorker {
  const clock = options.clock ?? systemClock
  const random = options.random ?? Math.random
  const leaseMs = options.leaseMs ?? 30_000
  const concurrency = options.concurrency ?? 4
  const idleMs = options.idleMs ?? 500
  const maxAttempts = options.maxAttempts ?? 30
  const now = (): Date => new Date(clock.now())
  const outbox: Outbox = createOutbox(options.db, { dialect: options.dialect, now })
  const report = (result: LetterWorkResult): LetterWorkResult => {
    options.onResult?.(result)
    return result
  }

  const backoff = (attempts: number, retryAfterMs: number | undefined): Date => {
    const base = Math.min(30_000, 250 * 2 ** Math.min(attempts, 10))
    const wait = Math.max(retryAfterMs ?? 0, base / 2 + random() * (base / 2))
    return new Date(clock.now() + wait)
  }

  async function processItem(item: OutboxItem, outer: AbortSignal | undefined): Promise<LetterWorkResult> {
    const { letterId } = JSON.parse(item.payload) as { letterId: string }
    const lease = new AbortController()
    const signal = outer ? AbortSignal.any([outer, lease.signal]) : lease.signal
    const heartbeat = setInterval(
      () => {
        outbox.extend(item.id, options.workerId, leaseMs).then(
          (held) => {
            if (!held) lease.abort(new Error('lease lost'))
          },
          () => lease.abort(new Error('lease unknown')),
        )
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    )
    try {
      const letter = await getLetterToSend(options.db, letterId)
      if (!letter) {
        await outbox.fail(item.id, options.workerId, 'letter not found')
        return report({ letterId, outcome: 'missing' })
      }
      if (letter.svarutId !== null) {
        await outbox.complete(item.id, options.workerId)
        return report({ letterId, outcome: 'already-sent' })
      }
      try {
        const result = await sendLetter(options.svarut, letter, { signal })
        await markLetterSent(options.db, { letterId, svarutId: result.id, at: now() })
        await outbox.complete(item.id, options.workerId)
        return report({ letterId, outcome: 'sent', resolvedBy: result.resolvedBy })
      } catch (error) {
        if (lease.signal.aborted) return report({ letterId, outcome: 'lease-lost' })
        if (outer?.aborted) throw error
        const text = describe(error)
        await recordSendError(options.db, letterId, text)
        // SvarUt (or the pre-flight check) refused the letter itself: sending it again cannot help.
        // 401/403 are configuration errors: the letter waits until the credentials are fixed.
        const refused =
          isSvarUtError(error) &&
          (error.code === 'ERR_VALIDATION' || (error.code === 'ERR_REMOTE' && error.retryable !== true))
        if (refused) {
          await markLetterRejected(options.db, { letterId, reason: text, at: now() })
          await outbox.fail(item.id, options.workerId, text)
          return report({ letterId, outcome: 'rejected', error: text })
        }
        if (item.attempts >= maxAttempts) {
          await outbox.fail(item.id, options.workerId, text)
          return report({ letterId, outcome: 'gave-up', error: text })
        }
        const retryAfter = isSvarUtError(error) && error.status === 429 ? 1_000 : undefined
        await outbox.retryLater(item.id, options.workerId, {
          at: backoff(item.attempts, retryAfter),
          error: text,
        })
        return report({ letterId, outcome: 'retry', error: text })
      }
    } finally {
      clearInterval(heartbeat)
    }
  }

  async function runOnce(signal?: AbortSignal): Promise<number> {
    const items = await outbox.claim(options.workerId, { leaseMs, limit: concurrency, kinds: [SEND_LETTER] })
    await Promise.all(items.map((item) => processItem(item, signal)))
    return items.length
  }

  return {
    runOnce,
    async run(signal) {
      // A pool: a slow letter (a 429's Retry-After, look-ups after a lost answer) holds one slot, not the batch.
      const inFlight = new Set<Promise<unknown>>()
      const idle = (): Promise<void> => clock.sleep(idleMs, signal).catch(() => {})
      while (!signal.aborted) {
        const free = concurrency - inFlight.size
        if (free === 0) {
          await Promise.race(inFlight)
          continue
        }
        let items: OutboxItem[] = []
        try {
          items = await outbox.claim(options.workerId, { leaseMs, limit: free, kinds: [SEND_LETTER] })
        } catch {
          // A database hiccup: try again shortly; claimed items come back after their lease.
        }
        for (const item of items) {
          const task: Promise<unknown> = processItem(item, signal)
            .catch(() => {})
            .finally(() => inFlight.delete(task))
          inFlight.add(task)
        }
        if (items.length === 0) await (inFlight.size === 0 ? idle() : Promise.race([...inFlight, idle()]))
      }
      await Promise.allSettled(inFlight)
    },
  }
}
