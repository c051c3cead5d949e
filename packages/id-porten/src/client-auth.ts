import * as oidc from 'openid-client'
import { decodeBase64url } from './internal/base64url.js'

/** Signing algorithms ID-porten accepts for client assertions. */
export type AssertionAlgorithm = 'RS256' | 'RS384' | 'RS512'

/** One private key of a `private_key_jwt` client. */
export interface ClientPrivateKey {
  /** A `CryptoKey`, a private JWK, or a PEM (`PRIVATE KEY` PKCS#8 or `RSA PRIVATE KEY` PKCS#1). */
  readonly key: CryptoKey | JsonWebKey | string
  /** The `kid` the key was registered with at Digdir. */
  readonly kid: string
  /** Default `RS256`. */
  readonly alg?: AssertionAlgorithm
}

/** Options of {@link privateKeyJwt}. */
export interface PrivateKeyJwtOptions {
  /** Registered keys (Digdir allows up to five, for rotation). */
  readonly keys: readonly ClientPrivateKey[]
  /** The `kid` to sign with. Default: the first key. */
  readonly activeKid?: string
  /**
   * A business certificate chain ("virksomhetssertifikat") to send as `x5c`
   * (an array of base64 DER, leaf first): use {@link x5cFromPem}.
   */
  readonly x5c?: readonly string[]
}

/**
 * How the relying party authenticates at the token and PAR endpoints. Create
 * it with {@link privateKeyJwt}, {@link clientSecretBasic} or
 * {@link clientSecretPost}. The key material is held out of sight: it never
 * appears in `JSON.stringify` or `util.inspect`.
 */
export interface ClientAuthentication {
  readonly method: 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post'
  /** The `kid` the assertion carries (`private_key_jwt` only). */
  readonly kid?: string
}

type Material =
  | { readonly method: 'private_key_jwt'; readonly key: ClientPrivateKey; readonly x5c?: readonly string[] }
  | { readonly method: 'client_secret_basic' | 'client_secret_post'; readonly secret: string }

const materials = new WeakMap<ClientAuthentication, Material>()

const inspect = Symbol.for('nodejs.util.inspect.custom')

function handle(method: ClientAuthentication['method'], kid?: string): ClientAuthentication {
  const shown = kid === undefined ? { method } : { method, kid }
  return Object.freeze(
    Object.defineProperties(
      { ...shown },
      {
        toJSON: { value: () => shown, enumerable: false },
        [inspect]: { value: () => shown, enumerable: false },
      },
    ),
  )
}

/**
 * `private_key_jwt` client authentication (Digdir's preferred method): a
 * short-lived assertion signed with a registered key, `kid` in the header,
 * optionally `x5c` with a business certificate chain. The assertion's `iss`
 * and `sub` are the client id, `aud` the issuer, `exp` 60 s ahead, `jti` unique.
 *
 * @param options - Keys (several for rotation), the active `kid`, an optional `x5c` chain.
 * @returns A client authentication to pass to {@link createIdPorten}.
 * @throws TypeError when no key is given, a `kid` is empty, or `activeKid` names no key.
 * @example
 * ```ts
 * const clientAuth = privateKeyJwt({ keys: [{ key: process.env.CLIENT_KEY_PEM ?? '', kid: 'felles-2026' }] })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_protocol_token
 */
export function privateKeyJwt(options: PrivateKeyJwtOptions): ClientAuthentication {
  if (!Array.isArray(options.keys) || options.keys.length === 0) {
    throw new TypeError('privateKeyJwt: at least one key is required')
  }
  for (const k of options.keys) {
    if (typeof k.kid !== 'string' || k.kid.length === 0)
      throw new TypeError('privateKeyJwt: every key needs a kid')
  }
  const active =
    options.activeKid === undefined ? options.keys[0] : options.keys.find((k) => k.kid === options.activeKid)
  if (active === undefined) throw new TypeError('privateKeyJwt: activeKid names no key')
  const auth = handle('private_key_jwt', active.kid)
  materials.set(
    auth,
    options.x5c === undefined
      ? { method: 'private_key_jwt', key: active }
      : { method: 'private_key_jwt', key: active, x5c: [...options.x5c] },
  )
  return auth
}

/**
 * `client_secret_basic`: the client secret in an HTTP Basic header.
 *
 * @param secret - The client secret from Digdir's self-service.
 * @returns A client authentication.
 * @throws TypeError when the secret is empty.
 * @example
 * ```ts
 * const clientAuth = clientSecretBasic(process.env.CLIENT_SECRET ?? '')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretBasic(secret: string): ClientAuthentication {
  return secretAuth('client_secret_basic', secret)
}

/**
 * `client_secret_post`: the client secret in the form body.
 *
 * @param secret - The client secret.
 * @returns A client authentication.
 * @throws TypeError when the secret is empty.
 * @example
 * ```ts
 * const clientAuth = clientSecretPost(process.env.CLIENT_SECRET ?? '')
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function clientSecretPost(secret: string): ClientAuthentication {
  return secretAuth('client_secret_post', secret)
}

function secretAuth(
  method: 'client_secret_basic' | 'client_secret_post',
  secret: string,
): ClientAuthentication {
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError(`${method}: the secret is empty`)
  const auth = handle(method)
  materials.set(auth, { method, secret })
  return auth
}

/**
 * Turns a PEM certificate chain (leaf first, as issued with a business
 * certificate) into an `x5c` array of base64 DER strings. Digdir requires an
 * array, never a single string.
 *
 * @param pem - One or more `CERTIFICATE` blocks.
 * @returns The chain as `x5c`.
 * @throws TypeError when the text holds no certificate.
 * @example
 * ```ts
 * const x5c = x5cFromPem(certificateChainPem)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-4.1.6
 */
export function x5cFromPem(pem: string): string[] {
  const out: string[] = []
  for (const match of pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)) {
    out.push((match[1] ?? '').replace(/\s+/g, ''))
  }
  if (out.length === 0) throw new TypeError('x5cFromPem: no CERTIFICATE block found')
  return out
}

/** @internal Turns a {@link ClientAuthentication} into openid-client's `ClientAuth`. */
export async function toOpenidClientAuth(auth: ClientAuthentication): Promise<oidc.ClientAuth> {
  const material = materials.get(auth)
  if (material === undefined) {
    throw new TypeError(
      'clientAuth: create it with privateKeyJwt(), clientSecretBasic() or clientSecretPost()',
    )
  }
  if (material.method !== 'private_key_jwt') {
    return material.method === 'client_secret_basic'
      ? oidc.ClientSecretBasic(material.secret)
      : oidc.ClientSecretPost(material.secret)
  }
  const alg = material.key.alg ?? 'RS256'
  const key = await importPrivateKey(material.key.key, alg)
  const x5c = material.x5c
  return oidc.PrivateKeyJwt(
    { key, kid: material.key.kid },
    x5c === undefined
      ? {}
      : {
          [oidc.modifyAssertion]: (header: Record<string, unknown>) => {
            header.x5c = [...x5c]
          },
        },
  )
}

const HASH: Record<AssertionAlgorithm, string> = { RS256: 'SHA-256', RS384: 'SHA-384', RS512: 'SHA-512' }

async function importPrivateKey(
  key: CryptoKey | JsonWebKey | string,
  alg: AssertionAlgorithm,
): Promise<CryptoKey> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: HASH[alg] }
  if (typeof key === 'string') {
    const pkcs8 = key.includes('BEGIN RSA PRIVATE KEY')
      ? wrapPkcs1(pemBody(key, 'RSA PRIVATE KEY'))
      : pemBody(key, 'PRIVATE KEY')
    return crypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign'])
  }
  if (isCryptoKey(key)) return key
  const {
    alg: _alg,
    key_ops: _ops,
    use: _use,
    kid: _kid,
    ...jwk
  } = key as JsonWebKey & { kid?: string; use?: string }
  return crypto.subtle.importKey('jwk', jwk, algorithm, false, ['sign'])
}

function isCryptoKey(value: unknown): value is CryptoKey {
  return typeof CryptoKey !== 'undefined' && value instanceof CryptoKey
}

function pemBody(pem: string, label: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem)
  if (match === null) throw new TypeError(`privateKeyJwt: expected a PEM "${label}" block`)
  const b64 = (match[1] ?? '').replace(/\s+/g, '').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  const bytes = decodeBase64url(b64)
  if (bytes === undefined) throw new TypeError('privateKeyJwt: the PEM is not valid base64')
  return new Uint8Array(bytes)
}

// PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo, since Web Crypto imports only PKCS#8.
function wrapPkcs1(pkcs1: Uint8Array): Uint8Array<ArrayBuffer> {
  const der = (tag: number, body: Uint8Array): Uint8Array => {
    const n = body.length
    const len =
      n < 0x80
        ? [n]
        : n < 0x100
          ? [0x81, n]
          : n < 0x10000
            ? [0x82, n >> 8, n & 0xff]
            : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]
    const out = new Uint8Array(1 + len.length + n)
    out[0] = tag
    out.set(len, 1)
    out.set(body, 1 + len.length)
    return out
  }
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
    let o = 0
    for (const p of parts) {
      out.set(p, o)
      o += p.length
    }
    return out
  }
  const version = Uint8Array.of(0x02, 0x01, 0x00)
  const rsaAlg = Uint8Array.of(
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    0x86,
    0x48,
    0x86,
    0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00,
  )
  return new Uint8Array(der(0x30, concat(version, rsaAlg, der(0x04, pkcs1))))
}
