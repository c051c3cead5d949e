import { type Clock, systemClock } from './clock.js'

/**
 * A login session as a store keeps it. Plain JSON, so SQL and key-value
 * stores can serialise it; it holds tokens, so treat stored records as secrets.
 */
export interface SessionRecord {
  /** Session id: 256 random bits, base64url; the session cookie's value. */
  readonly id: string
  /** The provider's issuer. */
  readonly issuer: string
  /** `sub` (pairwise per client). */
  readonly sub: string
  /** `pid` (fødselsnummer or D-nummer); absent for foreign eID users. */
  readonly pid?: string
  /** `acr` of the login, normalised (`Level4` → `idporten-loa-high`). */
  readonly acr: string
  /** `amr`, always an array. */
  readonly amr: readonly string[]
  /** The provider's session id, for front-channel logout. */
  readonly sid?: string
  /** `locale` chosen at login. */
  readonly locale?: string
  /** `auth_time`, seconds since the epoch. */
  readonly authTime?: number
  /** Every claim of the ID token (after validation). */
  readonly claims: Readonly<Record<string, unknown>>
  /** The ID token, for `id_token_hint` at logout. */
  readonly idToken: string
  /** The access token, when one was issued. */
  readonly accessToken?: string
  /** When the access token expires, ms since the epoch. */
  readonly accessTokenExpiresAt?: number
  /** The refresh token, when one was issued. */
  readonly refreshToken?: string
  /** Token that POST forms (logout) must echo, to defeat CSRF. */
  readonly csrfToken: string
  /** When the session was created (login), ms since the epoch. */
  readonly createdAt: number
  /** Last request seen, ms since the epoch (idle limit). */
  readonly lastSeenAt: number
}

/**
 * Where sessions live. The memory store is included; apps add SQL or Redis
 * stores. Methods may be synchronous or return promises.
 *
 * @example
 * ```ts
 * const store: SessionStore = new MemorySessionStore()
 * ```
 */
export interface SessionStore {
  /** The record with this id, or `undefined`. */
  get(id: string): SessionRecord | undefined | Promise<SessionRecord | undefined>
  /** Creates or replaces a record; it may be dropped after `expiresAt` (ms since the epoch). */
  set(record: SessionRecord, expiresAt: number): void | Promise<void>
  /** Records activity: sets `lastSeenAt` and extends the expiry. */
  touch(id: string, lastSeenAt: number, expiresAt: number): void | Promise<void>
  /** Removes a record; unknown ids are ignored. */
  delete(id: string): void | Promise<void>
  /** Ids of the records with this provider session id (front-channel logout finds sessions by `sid`). */
  findIdsBySid(sid: string): readonly string[] | Promise<readonly string[]>
  /**
   * Marks a one-time key as used; returns `false` when it was used before.
   * Used to refuse a second callback with the same `state`. Optional: without
   * it the relying party keeps the keys in its own memory.
   */
  consume?(key: string, expiresAt: number): boolean | Promise<boolean>
}

interface Entry {
  record: SessionRecord
  lastSeenAt: number
  expiresAt: number
}

/** Options for {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions {
  /** Clock for expiry. Default: the system clock. */
  readonly clock?: Clock
  /** Most sessions kept; the oldest are dropped first. Default 100 000. */
  readonly maxSessions?: number
}

/**
 * An in-process {@link SessionStore} for development, tests and single-instance
 * apps: a `Map` with an index by `sid`, expiry on read, and a bound on size.
 *
 * @example
 * ```ts
 * const store = new MemorySessionStore({ maxSessions: 10_000 })
 * ```
 */
export class MemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>()
  readonly #bySid = new Map<string, Set<string>>()
  readonly #used = new Map<string, number>()
  readonly #clock: Clock
  readonly #max: number

  /** @param options - Clock and size bound. */
  constructor(options: MemorySessionStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock
    this.#max = options.maxSessions ?? 100_000
  }

  /** Number of records held (expired ones included until they are read or swept). */
  get size(): number {
    return this.#entries.size
  }

  /** {@inheritDoc SessionStore.get} */
  get(id: string): SessionRecord | undefined {
    const entry = this.#entries.get(id)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= this.#clock.now()) {
      this.delete(id)
      return undefined
    }
    if (entry.lastSeenAt !== entry.record.lastSeenAt) {
      entry.record = { ...entry.record, lastSeenAt: entry.lastSeenAt }
    }
    return entry.record
  }

  /** {@inheritDoc SessionStore.set} */
  set(record: SessionRecord, expiresAt: number): void {
    const previous = this.#entries.get(record.id)
    if (previous !== undefined) this.#unindex(previous.record)
    this.#entries.set(record.id, { record, lastSeenAt: record.lastSeenAt, expiresAt })
    if (record.sid !== undefined) {
      const ids = this.#bySid.get(record.sid)
      if (ids === undefined) this.#bySid.set(record.sid, new Set([record.id]))
      else ids.add(record.id)
    }
    if (this.#entries.size > this.#max) this.#evict()
  }

  /** {@inheritDoc SessionStore.touch} */
  touch(id: string, lastSeenAt: number, expiresAt: number): void {
    const entry = this.#entries.get(id)
    if (entry === undefined) return
    entry.lastSeenAt = lastSeenAt
    entry.expiresAt = expiresAt
  }

  /** {@inheritDoc SessionStore.delete} */
  delete(id: string): void {
    const entry = this.#entries.get(id)
    if (entry === undefined) return
    this.#entries.delete(id)
    this.#unindex(entry.record)
  }

  /** {@inheritDoc SessionStore.findIdsBySid} */
  findIdsBySid(sid: string): readonly string[] {
    const ids = this.#bySid.get(sid)
    return ids === undefined ? [] : [...ids]
  }

  /** {@inheritDoc SessionStore.consume} */
  consume(key: string, expiresAt: number): boolean {
    const now = this.#clock.now()
    const seen = this.#used.get(key)
    if (seen !== undefined && seen > now) return false
    if (this.#used.size > 10_000) {
      for (const [k, exp] of this.#used) if (exp <= now) this.#used.delete(k)
    }
    this.#used.set(key, expiresAt)
    return true
  }

  #unindex(record: SessionRecord): void {
    if (record.sid === undefined) return
    const ids = this.#bySid.get(record.sid)
    if (ids === undefined) return
    ids.delete(record.id)
    if (ids.size === 0) this.#bySid.delete(record.sid)
  }

  #evict(): void {
    const now = this.#clock.now()
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.delete(id)
    }
    // Map iterates in insertion order: the first entries are the oldest.
    for (const id of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break
      this.delete(id)
    }
  }
}
