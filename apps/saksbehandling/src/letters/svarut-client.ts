import type { Database } from '@felles/sample-municipality'
import { createSvarUtSendStore } from '@felles/sample-municipality/casework'
import { createSvarUtClient, type SvarUtClient } from '@felles/svarut'
import type { Kysely } from 'kysely'

/** Where and how the console reaches SvarUt. */
export interface SvarUtSettings {
  /** `test`, `prod`, or an API base URL such as `${mock.url}/api`. */
  readonly environment: string
  readonly kontoId: string
  readonly integrationId: string
  readonly integrationPassword: string
  /** A static bearer token (the mock's) or a Maskinporten token provider. */
  readonly token: string | { getToken(): Promise<string> }
  /** Look-ups after an ambiguous send failure and the wait before each. Default 3 × 1 s. */
  readonly lookups?: number
  readonly lookupDelayMs?: number
  /** Timeout of one send. Default 5 minutes. */
  readonly sendTimeoutMs?: number
  /** Timeout of other calls. Default 20 s. */
  readonly timeoutMs?: number
}

/**
 * A SvarUt client whose send ledger is the database (`svarut_sends`), so a
 * send left pending by a crashed worker is looked up before it is uploaded
 * again.
 */
export function createSvarUtForDatabase(db: Kysely<Database>, settings: SvarUtSettings): SvarUtClient {
  const token = settings.token
  return createSvarUtClient({
    environment: settings.environment,
    kontoId: settings.kontoId,
    integrationId: settings.integrationId,
    integrationPassword: settings.integrationPassword,
    token: typeof token === 'string' ? { getToken: async () => token } : token,
    outbox: createSvarUtSendStore(db),
    sendTimeout: settings.sendTimeoutMs ?? 5 * 60_000,
    timeout: settings.timeoutMs ?? 20_000,
    resend: { maxAttempts: 3, lookups: settings.lookups ?? 3, lookupDelay: settings.lookupDelayMs ?? 1_000 },
  })
}
