// ID token signature verification against the provider's JWKS: synchronous
// with node:crypto and KeyObjects made once per key (no thread-pool hop per
// login, none of Web Crypto's per-call algorithm handling), or Web Crypto
// where node:crypto is missing. Only keys from the provider's jwks_uri are
// ever used; jku, x5u, jwk and x5c in a token's header are ignored.
// JWS: RFC 7515, 7518; ID token validation: OpenID Connect Core 1.0, 3.1.3.7.
import type { Clock } from '../clock.js'
import { IdPortenError, sanitizedCause } from '../errors.js'
import { decodeBase64url } from './base64url.js'

/**
 * @internal The JWS algorithms the verifier knows: RSA PKCS#1 v1.5, RSA-PSS
 * and ECDSA with SHA-2. Which of them a verifier accepts is its allow-list.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.1
 */
export type SignatureAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'

interface AlgorithmSpec {
  readonly kty: 'RSA' | 'EC'
  /** Digest name for `node:crypto`. */
  readonly hash: 'sha256' | 'sha384' | 'sha512'
  /** Digest name for Web Crypto. */
  readonly webHash: 'SHA-256' | 'SHA-384' | 'SHA-512'
  /** RSA-PSS with a salt as long as the digest. */
  readonly pss: boolean
  /** For ECDSA: the curve and the byte length of r||s. */
  readonly crv?: 'P-256' | 'P-384' | 'P-521'
  readonly signatureBytes?: number
}

const ALGORITHMS: Readonly<Record<SignatureAlgorithm, AlgorithmSpec>> = {
  RS256: { kty: 'RSA', hash: 'sha256', webHash: 'SHA-256', pss: false },
  RS384: { kty: 'RSA', hash: 'sha384', webHash: 'SHA-384', pss: false },
  RS512: { kty: 'RSA', hash: 'sha512', webHash: 'SHA-512', pss: false },
  PS256: { kty: 'RSA', hash: 'sha256', webHash: 'SHA-256', pss: true },
  PS384: { kty: 'RSA', hash: 'sha384', webHash: 'SHA-384', pss: true },
  PS512: { kty: 'RSA', hash: 'sha512', webHash: 'SHA-512', pss: true },
  ES256: { kty: 'EC', hash: 'sha256', webHash: 'SHA-256', pss: false, crv: 'P-256', signatureBytes: 64 },
  ES384: { kty: 'EC', hash: 'sha384', webHash: 'SHA-384', pss: false, crv: 'P-384', signatureBytes: 96 },
  ES512: { kty: 'EC', hash: 'sha512', webHash: 'SHA-512', pss: false, crv: 'P-521', signatureBytes: 132 },
}

const HASH_BYTES = { sha256: 32, sha384: 48, sha512: 64 } as const
/** Coordinate length in bytes per curve. */
const CURVE_BYTES = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const

const MIN_RSA_BITS = 2048
// Far beyond any provider's key; bounds the work an odd JWKS can cause.
const MAX_RSA_BITS = 16384

/** The parts of a key object this module reads. */
interface NodeKeyObject {
  readonly type: string
}

/** The parts of `node:crypto` used (typed here so the library needs no Node types at runtime). */
interface NodeCrypto {
  createPublicKey(input: { key: JsonWebKey; format: 'jwk' }): NodeKeyObject
  verify(
    algorithm: string,
    data: Uint8Array,
    key: { key: NodeKeyObject; padding?: number; saltLength?: number; dsaEncoding?: 'ieee-p1363' },
    signature: Uint8Array,
  ): boolean
  readonly constants: { readonly RSA_PKCS1_PSS_PADDING: number }
}

const nodeCrypto: NodeCrypto | undefined = (() => {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule
    return typeof get === 'function' ? (get('node:crypto') as NodeCrypto) : undefined
  } catch {
    return undefined
  }
})()

/** @internal One signature key from a JWKS, checked and ready to verify with. */
export interface VerificationKey {
  /** The key's `kid`, if it has one. */
  readonly kid: string | undefined
  /** `RSA` or `EC`: the only types read from a JWKS. */
  readonly kty: 'RSA' | 'EC'
  /** The key's own `alg`, when the JWKS names one: then only that algorithm verifies with it. */
  readonly alg: SignatureAlgorithm | undefined
  /** EC: the curve. */
  readonly crv: 'P-256' | 'P-384' | 'P-521' | undefined
  /** RSA: the modulus length in bytes (every signature has exactly this length). */
  readonly modulusBytes: number
  /** Only the public members (`kty`, `n`, `e` or `kty`, `crv`, `x`, `y`). */
  readonly jwk: JsonWebKey
  /** The `node:crypto` key, made once; absent on the Web Crypto path. */
  readonly keyObject: NodeKeyObject | undefined
  /** Web Crypto keys per algorithm, imported on first use. */
  readonly cryptoKeys: Map<SignatureAlgorithm, Promise<CryptoKey>>
}

/** @internal The usable signature keys of a JWKS, by `kid`. */
export interface JwksKeySet {
  /** Every usable key, in the JWKS's order. */
  readonly keys: readonly VerificationKey[]
  /** The keys with a `kid`, by `kid` (a well-formed JWKS has one per `kid`). */
  readonly byKid: ReadonlyMap<string, readonly VerificationKey[]>
}

interface ParsedJws {
  readonly alg: SignatureAlgorithm
  readonly kid: string | undefined
  /** `header.payload`, the bytes the signature covers. */
  readonly signingInput: string
  readonly signature: Uint8Array
}

const headerDecoder = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()
const NO_KEYS: readonly VerificationKey[] = []

function invalid(message: string): IdPortenError {
  return new IdPortenError('ERR_ID_TOKEN_INVALID', message)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && Object.hasOwn(ALGORITHMS, value)
}

/**
 * base64url with unused trailing bits zero: otherwise several strings decode
 * to one signature, and a token could be altered without breaking it.
 */
function decodeCanonical(value: string): Uint8Array | undefined {
  const bytes = decodeBase64url(value)
  const rest = value.length % 4
  if (bytes === undefined || rest === 0) return bytes
  // The last character carries 4 (two left over) or 2 (three left over) unused bits.
  const mask = rest === 2 ? 0x0f : 0x03
  return (sixBits(value.charCodeAt(value.length - 1)) & mask) === 0 ? bytes : undefined
}

function sixBits(code: number): number {
  if (code >= 65 && code <= 90) return code - 65
  if (code >= 97 && code <= 122) return code - 71
  if (code >= 48 && code <= 57) return code + 4
  return code === 45 ? 62 : 63
}

function bitLength(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length && bytes[i] === 0) i++
  if (i === bytes.length) return 0
  return (bytes.length - i - 1) * 8 + (32 - Math.clz32(bytes[i] as number))
}

/**
 * Reads one JWK: `undefined` unless it is an RSA (2048 bits or more) or EC
 * (P-256, P-384, P-521) public key meant for signatures (`use` absent or
 * `sig`, `key_ops` absent or holding `verify`, `alg` absent or a known
 * signature algorithm of its type).
 */
function toVerificationKey(value: unknown, webCryptoOnly: boolean): VerificationKey | undefined {
  if (!isObject(value)) return undefined
  const { kty, use, kid, alg } = value
  const keyOps = value.key_ops
  if (kty !== 'RSA' && kty !== 'EC') return undefined
  if (use !== undefined && use !== 'sig') return undefined
  if (keyOps !== undefined && !(Array.isArray(keyOps) && keyOps.includes('verify'))) return undefined
  if (kid !== undefined && typeof kid !== 'string') return undefined
  if (alg !== undefined && !(isAlgorithm(alg) && ALGORITHMS[alg].kty === kty)) return undefined
  let jwk: JsonWebKey
  let crv: VerificationKey['crv']
  let modulusBytes = 0
  if (kty === 'RSA') {
    const { n, e } = value
    if (typeof n !== 'string' || typeof e !== 'string') return undefined
    const modulus = decodeBase64url(n)
    const exponent = decodeBase64url(e)
    if (modulus === undefined || exponent === undefined || exponent.length === 0) return undefined
    const bits = bitLength(modulus)
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return undefined
    modulusBytes = Math.ceil(bits / 8)
    jwk = { kty, n, e }
  } else {
    const { x, y } = value
    const curve = value.crv
    if (curve !== 'P-256' && curve !== 'P-384' && curve !== 'P-521') return undefined
    if (alg !== undefined && ALGORITHMS[alg as SignatureAlgorithm].crv !== curve) return undefined
    if (typeof x !== 'string' || typeof y !== 'string') return undefined
    const size = CURVE_BYTES[curve]
    if (decodeBase64url(x)?.length !== size || decodeBase64url(y)?.length !== size) return undefined
    crv = curve
    jwk = { kty, crv: curve, x, y }
  }
  let keyObject: NodeKeyObject | undefined
  if (nodeCrypto !== undefined && !webCryptoOnly) {
    try {
      keyObject = nodeCrypto.createPublicKey({ key: jwk, format: 'jwk' })
    } catch {
      return undefined
    }
    if (keyObject.type !== 'public') return undefined
  }
  return {
    kid,
    kty,
    alg,
    crv,
    modulusBytes,
    jwk,
    keyObject,
    cryptoKeys: new Map(),
  }
}

/**
 * @internal Builds a key set from a parsed JWKS document, keeping only the
 * keys usable for signature verification (see {@link VerificationKey}).
 *
 * @param document - The JSON of a JWKS (`{ "keys": [...] }`).
 * @param options - `webCryptoOnly` skips `node:crypto` (tests of the fallback).
 * @returns The usable keys, by `kid`.
 * @throws {@link IdPortenError} `ERR_ID_TOKEN_INVALID` when the document is not a JWKS.
 * @example
 * ```ts
 * const keys = createJwksKeySet(await response.json())
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
export function createJwksKeySet(document: unknown, options: { webCryptoOnly?: boolean } = {}): JwksKeySet {
  if (!isObject(document) || !Array.isArray(document.keys)) {
    throw invalid("The provider's JWKS is not a key set")
  }
  const keys: VerificationKey[] = []
  const byKid = new Map<string, VerificationKey[]>()
  for (const value of document.keys) {
    const key = toVerificationKey(value, options.webCryptoOnly === true)
    if (key === undefined) continue
    keys.push(key)
    if (key.kid !== undefined) {
      const same = byKid.get(key.kid)
      if (same === undefined) byKid.set(key.kid, [key])
      else same.push(key)
    }
  }
  return { keys, byKid }
}

/**
 * Splits and checks a compact JWS: three base64url parts, a JSON object
 * header with an allowed `alg`, no `crit`, and a `kid` that is a string if
 * present. Nothing else from the header is used.
 */
function parseCompactJws(token: string, allowed: ReadonlySet<string>): ParsedJws {
  if (typeof token !== 'string') throw invalid('The ID token is not a string')
  const first = token.indexOf('.')
  const second = first < 0 ? -1 : token.indexOf('.', first + 1)
  if (first <= 0 || second < 0 || second === first + 1 || token.indexOf('.', second + 1) !== -1) {
    throw invalid('The ID token is not a compact JWS of three parts')
  }
  const headerBytes = decodeBase64url(token.slice(0, first))
  if (headerBytes === undefined) throw invalid("The ID token's header is not base64url")
  let header: unknown
  try {
    header = JSON.parse(headerDecoder.decode(headerBytes))
  } catch {
    throw invalid("The ID token's header is not JSON")
  }
  if (!isObject(header)) throw invalid("The ID token's header is not a JSON object")
  const { alg, kid } = header
  if (!isAlgorithm(alg) || !allowed.has(alg)) {
    throw invalid(`The ID token's alg is not allowed (accepted: ${[...allowed].join(', ')})`)
  }
  // No extension is understood here, so any critical one must be refused (RFC 7515, 4.1.11).
  if (header.crit !== undefined) throw invalid("The ID token's header has crit")
  if (kid !== undefined && typeof kid !== 'string') throw invalid("The ID token's kid is not a string")
  const signature = decodeCanonical(token.slice(second + 1))
  if (signature === undefined || signature.length === 0) {
    throw invalid("The ID token's signature is not base64url")
  }
  return { alg, kid, signingInput: token.slice(0, second), signature }
}

/** Whether a key may verify a signature of this algorithm. */
function fits(key: VerificationKey, alg: SignatureAlgorithm): boolean {
  const spec = ALGORITHMS[alg]
  return key.kty === spec.kty && (key.alg === undefined || key.alg === alg) && key.crv === spec.crv
}

/** The keys that could have made the signature: by `kid` when the header has one, else all that fit. */
function candidates(keys: JwksKeySet, jws: ParsedJws): VerificationKey[] {
  const pool = jws.kid === undefined ? keys.keys : (keys.byKid.get(jws.kid) ?? NO_KEYS)
  return pool.filter((key) => fits(key, jws.alg))
}

function signatureFailed(): IdPortenError {
  return invalid("The ID token's signature does not verify")
}

/**
 * Verifies with one key: synchronously with `node:crypto` (returns
 * `undefined`), else with Web Crypto (returns a promise).
 */
function verifyWithKey(key: VerificationKey, jws: ParsedJws): Promise<void> | undefined {
  const spec = ALGORITHMS[jws.alg]
  const expectedLength = spec.signatureBytes ?? key.modulusBytes
  if (jws.signature.length !== expectedLength) throw signatureFailed()
  const data = encoder.encode(jws.signingInput)
  if (key.keyObject !== undefined && nodeCrypto !== undefined) {
    let ok = false
    try {
      ok = nodeCrypto.verify(
        spec.hash,
        data,
        spec.kty === 'EC'
          ? { key: key.keyObject, dsaEncoding: 'ieee-p1363' }
          : spec.pss
            ? {
                key: key.keyObject,
                padding: nodeCrypto.constants.RSA_PKCS1_PSS_PADDING,
                saltLength: HASH_BYTES[spec.hash],
              }
            : { key: key.keyObject },
        jws.signature,
      )
    } catch {
      ok = false
    }
    if (!ok) throw signatureFailed()
    return undefined
  }
  return verifyWithWebCrypto(key, jws.alg, spec, data, jws.signature)
}

async function verifyWithWebCrypto(
  key: VerificationKey,
  alg: SignatureAlgorithm,
  spec: AlgorithmSpec,
  data: Uint8Array<ArrayBuffer>,
  signature: Uint8Array,
): Promise<void> {
  let pending = key.cryptoKeys.get(alg)
  if (pending === undefined) {
    const params =
      spec.kty === 'EC'
        ? { name: 'ECDSA', namedCurve: spec.crv as string }
        : { name: spec.pss ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: spec.webHash }
    pending = crypto.subtle.importKey('jwk', key.jwk, params, false, ['verify'])
    key.cryptoKeys.set(alg, pending)
  }
  let ok = false
  try {
    const cryptoKey = await pending
    const params =
      spec.kty === 'EC'
        ? { name: 'ECDSA', hash: spec.webHash }
        : spec.pss
          ? { name: 'RSA-PSS', saltLength: HASH_BYTES[spec.hash] }
          : { name: 'RSASSA-PKCS1-v1_5' }
    ok = await crypto.subtle.verify(params, cryptoKey, new Uint8Array(signature), data)
  } catch {
    ok = false
  }
  if (!ok) throw signatureFailed()
}

/**
 * @internal Verifies a compact JWS against a key set, without fetching.
 *
 * @param token - The ID token.
 * @param keys - The provider's keys.
 * @param allowedAlgorithms - The `alg` values accepted (for ID-porten: `RS256`).
 * @returns `undefined` when verified synchronously, or a promise (Web Crypto path).
 * @throws {@link IdPortenError} `ERR_ID_TOKEN_INVALID` on any failure.
 * @example
 * ```ts
 * const pending = verifyCompactJws(idToken, keys, ['RS256'])
 * if (pending !== undefined) await pending
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-5.2
 */
export function verifyCompactJws(
  token: string,
  keys: JwksKeySet,
  allowedAlgorithms: readonly string[],
): Promise<void> | undefined {
  const jws = parseCompactJws(token, new Set(allowedAlgorithms))
  const found = candidates(keys, jws)
  if (found.length !== 1) throw noKey(jws, found.length)
  return verifyWithKey(found[0] as VerificationKey, jws)
}

function noKey(jws: ParsedJws, count: number): IdPortenError {
  if (count > 1) {
    return invalid(
      jws.kid === undefined
        ? 'The ID token has no kid and several keys of the JWKS fit'
        : 'Several keys of the JWKS share the ID token kid',
    )
  }
  return invalid(
    jws.kid === undefined
      ? 'No key of the JWKS fits the ID token'
      : "The ID token's kid is not in the provider's JWKS (or its key does not fit the alg)",
  )
}

/** @internal Options of {@link createIdTokenVerifier}. */
export interface IdTokenVerifierOptions {
  /** The provider's `jwks_uri`. */
  readonly jwksUri: string | undefined
  /** Whether plain http is allowed (a local issuer on loopback only). */
  readonly allowInsecureRequests: boolean
  /** The `alg` values accepted. */
  readonly allowedAlgorithms: readonly string[]
  /** The fetch for requests to the provider. Default: the global `fetch`. */
  readonly fetch?: ((url: string, options: RequestInit) => Promise<Response>) | undefined
  /** Timeout of the JWKS request, ms. */
  readonly timeoutMs: number
  /** Time source for the refetch rules. */
  readonly clock: Clock
  /** The key set is fetched again at the next verification after this long, ms. Default one hour. */
  readonly maxAgeMs?: number
  /** Skip `node:crypto` (tests of the fallback). */
  readonly webCryptoOnly?: boolean
}

/** @internal Verifies ID token signatures against the provider's JWKS, fetched and cached. */
export interface IdTokenVerifier {
  /** The `jwks_uri` the keys come from. */
  readonly jwksUri: string | undefined
  /**
   * Verifies a token's signature.
   *
   * @param token - The ID token, a compact JWS.
   * @returns `undefined` when done synchronously (keys cached, `node:crypto`), else a promise.
   * @throws {@link IdPortenError} `ERR_ID_TOKEN_INVALID` (thrown, or as the promise's rejection).
   */
  verify(token: string): Promise<void> | undefined
}

/** A key set is fetched again for an unknown kid only when the last fetch is at least this old. */
const REFETCH_INTERVAL_MS = 60_000
const DEFAULT_MAX_AGE_MS = 60 * 60 * 1000
const MAX_JWKS_BYTES = 512 * 1024

/**
 * @internal Creates a verifier whose key set is fetched at the first
 * verification (concurrent verifications share one request), used for
 * `maxAgeMs`, and fetched again for a token whose key is not in it, at most
 * once a minute. A failed fetch leaves the previous keys and timestamp as
 * they were.
 *
 * @param options - Where the keys are, how to fetch them, what to accept.
 * @returns The verifier.
 * @example
 * ```ts
 * const verifier = createIdTokenVerifier({
 *   jwksUri: metadata.jwks_uri,
 *   allowInsecureRequests: false,
 *   allowedAlgorithms: ['RS256'],
 *   timeoutMs: 10_000,
 *   clock: systemClock,
 * })
 * await verifier.verify(idToken)
 * ```
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 */
export function createIdTokenVerifier(options: IdTokenVerifierOptions): IdTokenVerifier {
  const allowed: ReadonlySet<string> = new Set(options.allowedAlgorithms)
  const maxAge = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS
  const clock = options.clock
  let keys: JwksKeySet | undefined
  let fetchedAt = Number.NEGATIVE_INFINITY
  let loading: Promise<JwksKeySet> | undefined

  const load = (): Promise<JwksKeySet> => {
    loading ??= fetchJwks(options)
      .then((fresh) => {
        keys = fresh
        fetchedAt = clock.now()
        return fresh
      })
      .finally(() => {
        loading = undefined
      })
    return loading
  }

  const verifyAfterLoad = async (jws: ParsedJws): Promise<void> => {
    const fresh = await load()
    const found = candidates(fresh, jws)
    if (found.length !== 1) throw noKey(jws, found.length)
    await verifyWithKey(found[0] as VerificationKey, jws)
  }

  return {
    jwksUri: options.jwksUri,
    verify(token) {
      const jws = parseCompactJws(token, allowed)
      const now = clock.now()
      const current = keys
      if (current === undefined || now - fetchedAt >= maxAge) return verifyAfterLoad(jws)
      const found = candidates(current, jws)
      if (found.length === 1) return verifyWithKey(found[0] as VerificationKey, jws)
      if (found.length > 1) throw noKey(jws, found.length)
      // An unknown key: the provider may have rotated. Ask again, but not more than once a minute.
      if (loading === undefined && now - fetchedAt < REFETCH_INTERVAL_MS) throw noKey(jws, 0)
      return verifyAfterLoad(jws)
    },
  }
}

async function fetchJwks(options: IdTokenVerifierOptions): Promise<JwksKeySet> {
  const failed = (message: string, cause?: unknown): IdPortenError =>
    new IdPortenError('ERR_ID_TOKEN_INVALID', message, {
      retryable: true,
      ...(cause === undefined ? {} : { cause: sanitizedCause(cause) }),
    })
  let url: URL
  try {
    url = new URL(options.jwksUri ?? '')
  } catch {
    throw invalid("The provider's metadata has no valid jwks_uri")
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecureRequests)) {
    throw invalid("The provider's jwks_uri is not https")
  }
  const doFetch = options.fetch ?? ((input: string, init: RequestInit) => fetch(input, init))
  let response: Response
  let text: string
  try {
    response = await doFetch(url.href, {
      method: 'GET',
      headers: { accept: 'application/json, application/jwk-set+json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined)
      throw failed(`The provider's JWKS request answered ${response.status}`)
    }
    text = await readCapped(response, MAX_JWKS_BYTES)
  } catch (error) {
    if (error instanceof IdPortenError) throw error
    throw failed("The provider's JWKS could not be fetched", error)
  }
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw failed("The provider's JWKS is not JSON")
  }
  return createJwksKeySet(document, options.webCryptoOnly === true ? { webCryptoOnly: true } : {})
}

async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  const tooLarge = (): IdPortenError =>
    new IdPortenError('ERR_ID_TOKEN_INVALID', "The provider's JWKS is too large", { retryable: true })
  if (declared > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.length
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
}
