import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import type { Clock, HttpClient } from '@felles/http'
import type { JWSHeaderParameters } from 'jose'
import { MaskinportenError } from '../errors.js'
import { checkUrl, fetchMetadata } from './metadata.js'

export interface KeySetOptions {
  readonly issuer: string
  readonly jwksUri: string | undefined
  readonly metadataUrl: string | undefined
  /** How long a fetched key set is used, ms. */
  readonly maxAge: number
  /** Least time between two fetches caused by an unknown `kid`, ms. */
  readonly cooldown: number
  readonly clock: Clock
  readonly http: HttpClient
}

interface Loaded {
  readonly byKid: ReadonlyMap<string, KeyObject>
  readonly all: readonly KeyObject[]
  readonly at: number
}

/** Why a key could not be found, for the error message. */
export class NoMatchingKey extends Error {
  override readonly name = 'NoMatchingKey'
}

/**
 * The issuer's signing keys, fetched from `jwks_uri` (from its metadata
 * unless given), kept for `maxAge`, refetched at most once per `cooldown`
 * when a token names an unknown `kid`, one fetch in flight at a time. When a
 * refetch fails the keys already held stay in use.
 */
export class RemoteKeySet {
  readonly #options: KeySetOptions
  #loaded: Loaded | undefined
  #inflight: Promise<Loaded> | undefined
  #lastAttempt = Number.NEGATIVE_INFINITY
  #jwksUri: string | undefined
  /** How many times the key set was fetched (for tests and metrics). */
  fetches = 0

  constructor(options: KeySetOptions) {
    this.#options = options
    this.#jwksUri = options.jwksUri
  }

  /** The key for a token's protected header. Synchronous fast path when cached. */
  get(header: JWSHeaderParameters): KeyObject | Promise<KeyObject> {
    const loaded = this.#loaded
    const now = this.#options.clock.now()
    if (loaded !== undefined && now - loaded.at < this.#options.maxAge) {
      const key = pick(loaded, header)
      if (key !== undefined) return key
      if (now - this.#lastAttempt < this.#options.cooldown) throw new NoMatchingKey(noKeyText(header))
    }
    return this.#refetch(header)
  }

  async #refetch(header: JWSHeaderParameters): Promise<KeyObject> {
    let loaded: Loaded
    try {
      loaded = await this.#load()
    } catch (error) {
      const stale = this.#loaded
      if (stale === undefined) throw error
      loaded = stale
    }
    const key = pick(loaded, header)
    if (key === undefined) throw new NoMatchingKey(noKeyText(header))
    return key
  }

  #load(): Promise<Loaded> {
    if (this.#inflight !== undefined) return this.#inflight
    this.#lastAttempt = this.#options.clock.now()
    const started = this.#fetch()
    this.#inflight = started
    started.then(
      (loaded) => {
        this.#loaded = loaded
        this.#inflight = undefined
      },
      () => {
        this.#inflight = undefined
      },
    )
    return started
  }

  async #fetch(): Promise<Loaded> {
    const { http, issuer } = this.#options
    try {
      if (this.#jwksUri === undefined) {
        const metadata = await fetchMetadata(http, issuer, this.#options.metadataUrl)
        if (typeof metadata.jwks_uri !== 'string') throw new Error('no jwks_uri')
        checkUrl(metadata.jwks_uri, 'jwks_uri')
        this.#jwksUri = metadata.jwks_uri
      }
      this.fetches++
      const body = await http.json<{ keys?: unknown }>({ url: this.#jwksUri })
      if (body === null || typeof body !== 'object' || !Array.isArray(body.keys)) throw new Error('no keys')
      const byKid = new Map<string, KeyObject>()
      const all: KeyObject[] = []
      for (const jwk of body.keys as JsonWebKey[]) {
        if (jwk === null || typeof jwk !== 'object' || jwk.use === 'enc' || 'd' in jwk) continue
        let key: KeyObject
        try {
          key = createPublicKey({ key: jwk, format: 'jwk' })
        } catch {
          continue
        }
        all.push(key)
        if (typeof jwk.kid === 'string') byKid.set(jwk.kid, key)
      }
      return { byKid, all, at: this.#options.clock.now() }
    } catch (error) {
      if (error instanceof MaskinportenError && error.code !== 'ERR_METADATA') throw error
      throw new MaskinportenError('ERR_JWKS', `The signing keys of issuer "${issuer}" could not be fetched`, {
        retryable: true,
        cause: error,
      })
    }
  }
}

function pick(loaded: Loaded, header: JWSHeaderParameters): KeyObject | undefined {
  if (typeof header.kid === 'string') return loaded.byKid.get(header.kid)
  // Without a kid, only an unambiguous key set will do.
  return loaded.all.length === 1 ? loaded.all[0] : undefined
}

function noKeyText(header: JWSHeaderParameters): string {
  return typeof header.kid === 'string'
    ? 'the token is signed with a key the issuer does not publish (unknown kid)'
    : 'the token names no kid and the issuer publishes more than one key'
}
