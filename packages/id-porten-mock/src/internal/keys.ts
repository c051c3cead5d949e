import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto'
import { promisify } from 'node:util'
import { calculateJwkThumbprint, type JWK } from 'jose'

const generateKeyPair = promisify(generateKeyPairCallback)

/** An RSA key pair as JWKs, with `kid` set on both. */
export interface RsaKeyPair {
  readonly kid: string
  readonly privateJwk: JWK
  readonly publicJwk: JWK
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

/** Fields of a JWK that only a private key has. */
const PRIVATE_FIELDS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const

/** Drops private members (and `key_ops`) from a JWK. */
export function publicJwkOf(jwk: JWK): JWK {
  const out: Record<string, unknown> = { ...jwk }
  for (const field of PRIVATE_FIELDS) delete out[field]
  delete out.key_ops
  return out as JWK
}

/** True when the JWK carries private key material. */
export function isPrivateJwk(jwk: JWK): boolean {
  return typeof jwk.d === 'string' || typeof jwk.k === 'string'
}

/** Generates a 2048-bit RSA key pair for RS256, `kid` = its RFC 7638 thumbprint. */
export async function generateRsaKeyPair(): Promise<RsaKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
  return rsaKeyPairFromKeyObjects(privateKey, publicKey)
}

export async function rsaKeyPairFromKeyObjects(
  privateKey: KeyObject,
  publicKey: KeyObject,
  kid?: string,
): Promise<RsaKeyPair> {
  const publicBase = publicKey.export({ format: 'jwk' }) as JWK
  const id = kid ?? (await calculateJwkThumbprint(publicBase))
  const publicJwk: JWK = { ...publicBase, kid: id, alg: 'RS256', use: 'sig' }
  const privateJwk: JWK = {
    ...(privateKey.export({ format: 'jwk' }) as JWK),
    kid: id,
    alg: 'RS256',
    use: 'sig',
  }
  return { kid: id, privateJwk, publicJwk, privateKey, publicKey }
}

/** Normalises a public JWK given by a caller: a `kid` (thumbprint unless given). */
export async function normalisePublicJwk(jwk: JWK): Promise<JWK & { kid: string }> {
  const pub = publicJwkOf(jwk)
  const kid = jwk.kid ?? (await calculateJwkThumbprint(pub))
  return { ...pub, kid }
}
