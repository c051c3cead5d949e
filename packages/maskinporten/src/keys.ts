import { createHash, createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto'
import { inspect } from 'node:util'
import type { JWK } from 'jose'
import { MaskinportenError } from './errors.js'
import { readPkcs12 } from './internal/pkcs12.js'

/** The signing algorithms Maskinporten accepts for the grant. */
export type SigningAlgorithm = 'RS256' | 'RS384' | 'RS512'

/** Every {@link SigningAlgorithm}. */
export const SIGNING_ALGORITHMS: readonly SigningAlgorithm[] = Object.freeze([
  'RS256',
  'RS384',
  'RS512',
] as const)

interface KeyInputBase {
  /**
   * The id of a key registered for the client in Maskinporten's self-service
   * (sent as `kid`). Required when the client has registered keys; leave it
   * out to authenticate with a business certificate (`x5c`) instead.
   */
  readonly kid?: string
  /** Default `RS256`. */
  readonly alg?: SigningAlgorithm
}

/** A private RSA key as a JWK (with `d`); `kid` is taken from the JWK unless given. */
export interface JwkKeyInput extends KeyInputBase {
  readonly jwk: JWK
  /** The business certificate chain, leaf first: PEM text or base64 DER strings (`x5c`). */
  readonly certificate?: string | readonly string[]
}

/** A private RSA key in PEM (PKCS#8 or PKCS#1, optionally encrypted). */
export interface PemKeyInput extends KeyInputBase {
  readonly pem: string
  /** Passphrase of an encrypted PEM. */
  readonly passphrase?: string
  /** The business certificate chain, leaf first: PEM text or base64 DER strings (`x5c`). */
  readonly certificate?: string | readonly string[]
}

/** A business certificate with its key in a PKCS#12 file (`.p12`/`.pfx`), as Buypass and Commfides deliver them. */
export interface Pkcs12KeyInput extends KeyInputBase {
  /** The file's bytes, or its base64 text. */
  readonly pkcs12: Uint8Array | string
  readonly passphrase: string
}

/**
 * Key material for the grant, in one of the formats people have: a JWK, a
 * PEM, or a PKCS#12 business certificate. With `kid` the key is a registered
 * key; with a certificate (and no `kid`) the chain is sent as `x5c`.
 */
export type MaskinportenKeyInput = JwkKeyInput | PemKeyInput | Pkcs12KeyInput

// Private halves live here, not on the key objects, so nothing can enumerate or serialise them.
const PRIVATE = new WeakMap<object, KeyObject>()
const ORG_NUMBER = /^\d{9}$/

/**
 * A loaded private key, ready to sign grants. The key material is kept out of
 * reach: `JSON.stringify`, `util.inspect`, `Object.keys` and error objects
 * show only `kid`, `alg`, the public key's thumbprint and the certificate's
 * validity.
 */
export interface MaskinportenSigningKey {
  /** The registered key's id, sent as `kid`. */
  readonly kid: string | undefined
  /** The certificate chain, leaf first, sent as `x5c` when there is no `kid`. */
  readonly x5c: readonly string[] | undefined
  readonly alg: SigningAlgorithm
  /** RFC 7638 SHA-256 thumbprint of the public key (safe to log). */
  readonly thumbprint: string
  /** The leaf certificate's validity, epoch ms. */
  readonly notBefore: number | undefined
  readonly notAfter: number | undefined
  /** The organisasjonsnummer in the certificate's subject (`serialNumber` or `NTRNO-…`). */
  readonly organisationNumber: string | undefined
  /** Certificate subject, for messages. */
  readonly subject: string | undefined
}

/** @internal */
export class SigningKey implements MaskinportenSigningKey {
  readonly kid: string | undefined
  readonly x5c: readonly string[] | undefined
  readonly alg: SigningAlgorithm
  readonly thumbprint: string
  readonly notBefore: number | undefined
  readonly notAfter: number | undefined
  readonly organisationNumber: string | undefined
  readonly subject: string | undefined
  constructor(
    key: KeyObject,
    kid: string | undefined,
    alg: SigningAlgorithm,
    chain: readonly X509Certificate[],
  ) {
    this.kid = kid
    this.alg = alg
    PRIVATE.set(this, key)
    Object.defineProperty(this, inspect.custom, {
      value: (): string => `MaskinportenSigningKey ${JSON.stringify(this.toJSON())}`,
    })
    const publicJwk = createPublicKey(key).export({ format: 'jwk' })
    this.thumbprint = rsaThumbprint(publicJwk as { e: string; n: string })
    const leaf = chain[0]
    this.x5c = chain.length > 0 ? Object.freeze(chain.map((c) => c.raw.toString('base64'))) : undefined
    this.notBefore = leaf === undefined ? undefined : Date.parse(leaf.validFrom)
    this.notAfter = leaf === undefined ? undefined : Date.parse(leaf.validTo)
    this.subject = leaf?.subject.replace(/\n/g, ', ')
    this.organisationNumber = leaf === undefined ? undefined : organisationNumberOf(leaf)
    Object.freeze(this)
  }

  /** What identifies the key in messages and events. */
  get label(): string {
    if (this.kid !== undefined) return `kid ${this.kid}`
    return `certificate ${this.subject ?? ''} (thumbprint ${this.thumbprint})`
  }

  toJSON(): Record<string, unknown> {
    return {
      kid: this.kid,
      alg: this.alg,
      thumbprint: this.thumbprint,
      notAfter: this.notAfter === undefined ? undefined : new Date(this.notAfter).toISOString(),
      organisationNumber: this.organisationNumber,
    }
  }
}

/** @internal The private key of a loaded signing key. */
export function privateKeyOf(key: MaskinportenSigningKey): KeyObject {
  const value = PRIVATE.get(key)
  if (value === undefined) throw new TypeError('Not a signing key from loadSigningKey()')
  return value
}

function rsaThumbprint(jwk: { e: string; n: string }): string {
  // RFC 7638: members in lexicographic order, no whitespace.
  return createHash('sha256').update(`{"e":"${jwk.e}","kty":"RSA","n":"${jwk.n}"}`).digest('base64url')
}

function organisationNumberOf(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) {
    const [name, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]
    if (name === 'serialNumber' && ORG_NUMBER.test(value)) return value
    if (name === 'organizationIdentifier' && /^NTRNO-\d{9}$/.test(value)) return value.slice(6)
  }
  return undefined
}

function keyError(message: string): MaskinportenError {
  // Never a cause: the underlying errors of crypto and forge may quote input.
  return new MaskinportenError('ERR_KEY', message)
}

function parseCertificates(input: string | readonly string[]): X509Certificate[] {
  try {
    if (typeof input === 'string') {
      const blocks = input.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)
      if (blocks === null) throw new Error('no PEM certificate')
      return blocks.map((pem) => new X509Certificate(pem))
    }
    if (!Array.isArray(input)) throw new Error('not an array')
    return input.map((der) => new X509Certificate(Buffer.from(der, 'base64')))
  } catch {
    throw keyError(
      'The certificate could not be read: give PEM text (BEGIN CERTIFICATE blocks, leaf first) or an array of base64 DER certificates (x5c)',
    )
  }
}

/** Orders a chain leaf first, starting from the certificate that holds the key's public half. */
function orderChain(certs: readonly X509Certificate[], key: KeyObject): X509Certificate[] {
  const publicKey = createPublicKey(key)
  const leaf = certs.find((c) => c.publicKey.equals(publicKey))
  if (leaf === undefined) {
    throw keyError(
      'The certificate does not belong to the private key: no certificate in the chain has its public key',
    )
  }
  const chain = [leaf]
  const rest = certs.filter((c) => c !== leaf)
  for (let current = leaf; ; ) {
    const parent = rest.find((c) => !chain.includes(c) && current.checkIssued(c) && c !== current)
    if (parent === undefined || parent.subject === current.subject) break
    chain.push(parent)
    current = parent
  }
  return chain
}

function checkRsa(key: KeyObject): void {
  if (key.type !== 'private') throw keyError('The key is not a private key')
  if (key.asymmetricKeyType !== 'rsa') {
    throw keyError(
      `Maskinporten needs an RSA key (RS256/384/512); this key is ${key.asymmetricKeyType ?? 'unknown'}`,
    )
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < 2048) throw keyError(`The RSA key has ${bits} bits; Maskinporten needs at least 2048`)
}

function checkAlg(alg: unknown): SigningAlgorithm {
  if (alg === undefined) return 'RS256'
  if (alg === 'RS256' || alg === 'RS384' || alg === 'RS512') return alg
  throw new TypeError(`Unsupported alg ${String(alg)}: Maskinporten accepts RS256, RS384 and RS512`)
}

/**
 * Loads key material for Maskinporten grants: a private JWK, a PEM (PKCS#8
 * or PKCS#1, optionally encrypted) or a PKCS#12 business certificate. The
 * returned key hides its private half from logging and serialisation.
 *
 * @param input - The key and how to identify it (`kid`, or a certificate for `x5c`).
 * @returns A key ready for {@link createMaskinportenClient}.
 * @throws {MaskinportenError} `ERR_KEY` when the material cannot be read, is not RSA ≥ 2048 bits, or the certificate does not match the key; the message never quotes the material.
 * @throws {TypeError} for an unsupported `alg` or an input of no known shape.
 * @example
 * ```ts
 * const key = await loadSigningKey({ pkcs12: await readFile('virksomhet.p12'), passphrase: process.env.P12_PASSWORD! })
 * console.log(key.organisationNumber, new Date(key.notAfter!))
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant
 */
export async function loadSigningKey(
  input: MaskinportenKeyInput | MaskinportenSigningKey,
): Promise<MaskinportenSigningKey> {
  if (input instanceof SigningKey) return input
  if (input === null || typeof input !== 'object') throw new TypeError('A key must be an object')
  const alg = checkAlg((input as KeyInputBase).alg)
  let key: KeyObject
  let chain: X509Certificate[] = []
  let kid = (input as KeyInputBase).kid
  if ('jwk' in input) {
    const jwk = input.jwk
    if (jwk === null || typeof jwk !== 'object' || typeof jwk.d !== 'string') {
      throw keyError('The JWK is not a private key (it has no "d")')
    }
    try {
      key = createPrivateKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' })
    } catch {
      throw keyError('The JWK could not be read as an RSA private key')
    }
    kid ??= typeof jwk.kid === 'string' && input.certificate === undefined ? jwk.kid : undefined
    if (input.certificate !== undefined) chain = parseCertificates(input.certificate)
    else if (Array.isArray(jwk.x5c) && jwk.x5c.length > 0) chain = parseCertificates(jwk.x5c)
  } else if ('pem' in input) {
    if (typeof input.pem !== 'string' || !input.pem.includes('-----BEGIN')) {
      throw keyError('The PEM text has no BEGIN line; give the whole PEM including its header')
    }
    try {
      key = createPrivateKey(
        input.passphrase === undefined
          ? { key: input.pem }
          : { key: input.pem, passphrase: input.passphrase },
      )
    } catch {
      throw keyError(
        input.passphrase === undefined
          ? 'The PEM could not be read as a private key (encrypted PEM needs a passphrase)'
          : 'The PEM could not be read as a private key (wrong passphrase?)',
      )
    }
    if (input.certificate !== undefined) chain = parseCertificates(input.certificate)
    else if (input.pem.includes('-----BEGIN CERTIFICATE-----')) chain = parseCertificates(input.pem)
  } else if ('pkcs12' in input) {
    const bytes =
      typeof input.pkcs12 === 'string' ? Buffer.from(input.pkcs12, 'base64') : Buffer.from(input.pkcs12)
    const read = readPkcs12(bytes, input.passphrase)
    if (read === undefined)
      throw keyError('The PKCS#12 file could not be opened (wrong passphrase or not a PKCS#12 file)')
    try {
      key = createPrivateKey({ key: read.privateKeyPem })
    } catch {
      throw keyError('The PKCS#12 file holds no usable private key')
    }
    chain = read.certificates.map((der) => new X509Certificate(der))
    if (chain.length === 0) throw keyError('The PKCS#12 file holds no certificate')
  } else {
    throw new TypeError('A key needs one of jwk, pem or pkcs12')
  }
  checkRsa(key)
  if (chain.length > 0) chain = orderChain(chain, key)
  if (kid === undefined && chain.length === 0) {
    throw keyError(
      'A key needs a kid (a key registered for the client) or a business certificate (sent as x5c)',
    )
  }
  return new SigningKey(key, kid, alg, chain)
}
