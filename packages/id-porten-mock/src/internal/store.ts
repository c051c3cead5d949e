import type { Clock } from '../clock.js'

/** What oidc-provider hands an adapter and gets back from it. */
type Payload = Record<string, unknown> & { grantId?: string; uid?: string; userCode?: string }

interface Entry {
  payload: Payload
  expiresAt: number
}

/** The adapter interface oidc-provider calls for every model. */
export interface Adapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>
  find(id: string): Promise<Payload | undefined>
  findByUid(uid: string): Promise<Payload | undefined>
  findByUserCode(userCode: string): Promise<Payload | undefined>
  consume(id: string): Promise<void>
  destroy(id: string): Promise<void>
  revokeByGrantId(grantId: string): Promise<void>
}

/** A hook that lets a test stall or fail a model lookup. */
export type LookupHook = (model: string, payload: Payload) => Promise<void> | void

export interface MemoryStore {
  /** The adapter factory to pass to oidc-provider as `adapter`. */
  readonly adapter: (model: string) => Adapter
  /** Number of live (unexpired) entries of a model. */
  count(model: string): number
  /** Every live payload of a model. */
  all(model: string): Payload[]
  /** Drops every entry of a model. */
  deleteAll(model: string): void
  /** Drops everything. */
  clear(): void
}

const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
])

/**
 * An in-memory store whose expiry follows the mock's {@link Clock} (so a
 * manual clock can end SSO sessions and tokens), with clients read from the
 * mock's registry instead of oidc-provider's static list: that is what lets
 * `registerClient()` add clients while the server runs, and lets the custom
 * Maskinporten grant type be registered before any client is loaded.
 */
export function createMemoryStore(
  clock: Clock,
  findClient: (id: string) => Payload | undefined,
): MemoryStore {
  const entries = new Map<string, Entry>()
  const grants = new Map<string, Set<string>>()
  const sessionUids = new Map<string, string>()
  const userCodes = new Map<string, string>()

  const live = (key: string): Payload | undefined => {
    const entry = entries.get(key)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= clock.now()) {
      remove(key)
      return undefined
    }
    return entry.payload
  }

  const remove = (key: string): void => {
    const entry = entries.get(key)
    entries.delete(key)
    if (entry === undefined) return
    const { uid, userCode, grantId } = entry.payload
    if (typeof uid === 'string' && sessionUids.get(uid) === key) sessionUids.delete(uid)
    if (typeof userCode === 'string' && userCodes.get(userCode) === key) userCodes.delete(userCode)
    if (typeof grantId === 'string') grants.get(grantId)?.delete(key)
  }

  const sweep = (): void => {
    const now = clock.now()
    for (const [key, entry] of entries) if (entry.expiresAt <= now) remove(key)
  }
  let writes = 0

  const adapter = (model: string): Adapter => {
    const keyOf = (id: string): string => `${model}:${id}`
    return {
      async upsert(id, payload, expiresIn) {
        if (++writes % 500 === 0) sweep()
        const key = keyOf(id)
        remove(key)
        const expiresAt =
          typeof expiresIn === 'number' ? clock.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY
        entries.set(key, { payload, expiresAt })
        if (model === 'Session' && typeof payload.uid === 'string') sessionUids.set(payload.uid, key)
        if (typeof payload.userCode === 'string') userCodes.set(payload.userCode, key)
        if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
          let members = grants.get(payload.grantId)
          if (members === undefined) {
            members = new Set()
            grants.set(payload.grantId, members)
          }
          members.add(key)
        }
      },
      async find(id) {
        if (model === 'Client') return findClient(id)
        return live(keyOf(id))
      },
      async findByUid(uid) {
        const key = sessionUids.get(uid)
        return key === undefined ? undefined : live(key)
      },
      async findByUserCode(userCode) {
        const key = userCodes.get(userCode)
        return key === undefined ? undefined : live(key)
      },
      async consume(id) {
        const payload = live(keyOf(id))
        if (payload !== undefined) payload.consumed = Math.floor(clock.now() / 1000)
      },
      async destroy(id) {
        remove(keyOf(id))
      },
      async revokeByGrantId(grantId) {
        const members = grants.get(grantId)
        grants.delete(grantId)
        if (members !== undefined) for (const key of members) remove(key)
      },
    }
  }

  return {
    adapter,
    count: (model) => {
      let n = 0
      for (const key of entries.keys()) if (key.startsWith(`${model}:`) && live(key) !== undefined) n++
      return n
    },
    all: (model) => {
      const out: Payload[] = []
      for (const key of [...entries.keys()]) {
        if (!key.startsWith(`${model}:`)) continue
        const payload = live(key)
        if (payload !== undefined) out.push(payload)
      }
      return out
    },
    deleteAll: (model) => {
      for (const key of [...entries.keys()]) if (key.startsWith(`${model}:`)) remove(key)
    },
    clear: () => {
      entries.clear()
      grants.clear()
      sessionUids.clear()
      userCodes.clear()
    },
  }
}
