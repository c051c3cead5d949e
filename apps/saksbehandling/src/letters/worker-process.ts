import { randomUUID } from 'node:crypto'
import { openDatabase } from '@felles/sample-municipality'
import { createLetterWorker } from './letter-worker.js'
import { createStatusPoller } from './status-poller.js'
import { createSvarUtForDatabase } from './svarut-client.js'

const number = (value: string | undefined, fallback: number): number => {
  const n = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(n) ? n : fallback
}

const required = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name]
  if (value === undefined || value === '') throw new TypeError(`${name} is not set`)
  return value
}

/**
 * Runs the letter worker and the status poller in this process until
 * SIGTERM/SIGINT, configured by environment variables (see the README):
 * `DATABASE_URL` (else SQLite in `FELLES_DATA_DIR`), `FELLES_DB_SCHEMA`,
 * `SVARUT_URL`, `SVARUT_KONTO_ID`, `SVARUT_INTEGRATION_ID`,
 * `SVARUT_INTEGRATION_PASSWORD`, `SVARUT_TOKEN`, and tuning knobs
 * `WORKER_LEASE_MS`, `WORKER_CONCURRENCY`, `WORKER_IDLE_MS`,
 * `POLL_INTERVAL_MS`, `POLL_ROUND_MS`, `SVARUT_LOOKUP_DELAY_MS`; `WORKER_REPORT=1`
 * prints one line per letter (`letter <id> <outcome> <resolvedBy> <error code>`).
 * Prints one line `worker ready` on stdout when it runs; never prints
 * personal data or credentials.
 */
export async function runWorkerProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const database = await openDatabase({
    url: env.DATABASE_URL,
    ...(env.FELLES_DB_SCHEMA ? { schema: env.FELLES_DB_SCHEMA } : {}),
    ...(env.FELLES_SQLITE_FILE ? { sqliteFile: env.FELLES_SQLITE_FILE } : {}),
    poolSize: 4,
  })
  const svarut = createSvarUtForDatabase(database.db, {
    environment: required(env, 'SVARUT_URL'),
    kontoId: required(env, 'SVARUT_KONTO_ID'),
    integrationId: required(env, 'SVARUT_INTEGRATION_ID'),
    integrationPassword: required(env, 'SVARUT_INTEGRATION_PASSWORD'),
    token: required(env, 'SVARUT_TOKEN'),
    lookupDelayMs: number(env.SVARUT_LOOKUP_DELAY_MS, 1_000),
    sendTimeoutMs: number(env.SVARUT_SEND_TIMEOUT_MS, 5 * 60_000),
  })
  const controller = new AbortController()
  const stop = (): void => controller.abort(new Error('stopping'))
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  const workerId = `${env.WORKER_NAME ?? 'worker'}-${process.pid}-${randomUUID().slice(0, 8)}`
  const worker = createLetterWorker({
    db: database.db,
    dialect: database.dialect,
    svarut,
    workerId,
    leaseMs: number(env.WORKER_LEASE_MS, 30_000),
    concurrency: number(env.WORKER_CONCURRENCY, 4),
    idleMs: number(env.WORKER_IDLE_MS, 500),
    // One line per letter for supervising processes: the letter id (a UUID), the outcome and an error code only.
    ...(env.WORKER_REPORT === '1'
      ? {
          onResult: (r) =>
            process.stdout.write(
              `letter ${r.letterId} ${r.outcome} ${r.resolvedBy ?? '-'} ${(r.error ?? '-').replaceAll(' ', '+')}\n`,
            ),
        }
      : {}),
  })
  const intervalMs = number(env.POLL_INTERVAL_MS, 60_000)
  const poller = createStatusPoller({
    db: database.db,
    svarut,
    intervalMs,
    roundMs: number(env.POLL_ROUND_MS, intervalMs * 5),
  })
  process.stdout.write('worker ready\n')
  await Promise.all([worker.run(controller.signal), poller.run(controller.signal)])
  await database.close()
}
