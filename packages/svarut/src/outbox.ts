import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { ForsendelseKind } from './schemas.js'

/**
 * The state of one send in the outbox: `pending` from just before the first
 * byte is uploaded until the outcome is known; `sent` with SvarUt's id;
 * `rejected` when SvarUt refused it (nothing was created).
 */
export type OutboxState = 'pending' | 'sent' | 'rejected'

/** One send in the outbox. Holds no personal data: only the reference, kind, account and id. */
export interface OutboxRecord {
  readonly eksternReferanse: string
  readonly kind: ForsendelseKind
  readonly kontoId: string
  readonly state: OutboxState
  /** SvarUt's forsendelse id, once known. */
  readonly id?: string
  readonly createdAt: number
  readonly updatedAt: number
}

/**
 * Where the client records `eksternReferanse` → id around each send, so a
 * process that crashed mid-send can resolve its in-flight sends on restart
 * (`client.resolvePendingSends()`). Implement it on your database; writes
 * must be durable before the method resolves.
 */
export interface OutboxStore {
  get(eksternReferanse: string): Promise<OutboxRecord | undefined>
  put(record: OutboxRecord): Promise<void>
  /** Every record in state `pending`. */
  pending(): Promise<OutboxRecord[]>
}

/**
 * An outbox in memory: enough for one process, lost on restart.
 *
 * @returns A new, empty store.
 * @example
 * ```ts
 * const client = createSvarUtClient({ ...options, outbox: createMemoryOutbox() })
 * ```
 */
export function createMemoryOutbox(): OutboxStore {
  const records = new Map<string, OutboxRecord>()
  return {
    get: async (ref) => records.get(ref),
    put: async (record) => {
      records.set(record.eksternReferanse, record)
    },
    pending: async () => [...records.values()].filter((r) => r.state === 'pending'),
  }
}

/**
 * An outbox in one JSON file, written atomically (write then rename) on
 * every change: for the CLI and small jobs. Use a database for more.
 *
 * @param file - Path of the JSON file (created when missing).
 * @returns A store backed by the file.
 * @example
 * ```ts
 * const outbox = createFileOutbox('/var/lib/brev/svarut-outbox.json')
 * ```
 */
export function createFileOutbox(file: string): OutboxStore {
  let queue: Promise<unknown> = Promise.resolve()
  const load = async (): Promise<Record<string, OutboxRecord>> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, OutboxRecord>
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw error
    }
  }
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn)
    queue = next.catch(() => {})
    return next
  }
  return {
    get: (ref) => serial(async () => (await load())[ref]),
    put: (record) =>
      serial(async () => {
        const all = await load()
        all[record.eksternReferanse] = record
        await mkdir(dirname(file), { recursive: true })
        const tmp = `${file}.${process.pid}.tmp`
        await writeFile(tmp, JSON.stringify(all, null, 2))
        await rename(tmp, file)
      }),
    pending: () => serial(async () => Object.values(await load()).filter((r) => r.state === 'pending')),
  }
}
