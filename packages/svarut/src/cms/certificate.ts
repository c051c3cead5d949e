import {
  createPrivateKey,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto'
import { SvarUtError } from '../errors.js'
import { type Asn1Node, integer, nul, OID, oid, parseExact, seq, set, tlv } from '../internal/der.js'

/** A certificate as PEM text, DER bytes or a parsed `X509Certificate`. */
export type CertificateInput = string | Uint8Array | X509Certificate

/** A private key as PEM text (PKCS#1 or PKCS#8), DER PKCS#8 bytes or a `KeyObject`. */
export type PrivateKeyInput = string | Uint8Array | KeyObject

/** @internal What CMS needs from a recipient certificate. */
export interface RecipientCertificate {
  readonly issuer: Buffer
  readonly serial: Buffer
  readonly subjectKeyIdentifier: Buffer | undefined
  readonly publicKey: KeyObject
}

function toDer(input: CertificateInput): Buffer {
  if (input instanceof X509Certificate) return input.raw
  if (typeof input === 'string') {
    const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(input)
    if (!match?.[1]) throw new TypeError('The certificate is not PEM text with a CERTIFICATE block')
    return Buffer.from(match[1].replace(/\s+/g, ''), 'base64')
  }
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength)
}

/** @internal Reads issuer, serial number, SKI and public key of a certificate. */
export function readCertificate(input: CertificateInput): RecipientCertificate {
  const der = toDer(input)
  let cert: Asn1Node
  try {
    cert = parseExact(der)
  } catch (cause) {
    throw new TypeError('The certificate is not valid DER', { cause })
  }
  const tbs = cert.children[0]
  if (!tbs) throw new TypeError('The certificate has no tbsCertificate')
  const fields = tbs.children
  const hasVersion = fields[0]?.tag === 0xa0
  const at = (i: number): Asn1Node => {
    const f = fields[i + (hasVersion ? 1 : 0)]
    if (!f) throw new TypeError('The certificate is missing fields')
    return f
  }
  const serial = at(0)
  const issuer = at(2)
  let ski: Buffer | undefined
  const extensions = fields.find((f) => f.tag === 0xa3)
  for (const ext of extensions?.children[0]?.children ?? []) {
    const id = ext.children[0]
    if (id?.tag === 0x06 && id.raw.equals(oid(OID.subjectKeyIdentifier))) {
      const wrapped = ext.children[ext.children.length - 1]
      if (wrapped) ski = parseExact(Buffer.from(wrapped.value)).value
    }
  }
  let publicKey: KeyObject
  try {
    publicKey = new X509Certificate(der).publicKey
  } catch (cause) {
    throw new TypeError('The certificate could not be read', { cause })
  }
  return { issuer: issuer.raw, serial: serial.value, subjectKeyIdentifier: ski, publicKey }
}

/** @internal */
export function toPrivateKey(input: PrivateKeyInput): KeyObject {
  if (input instanceof KeyObject) return input
  if (typeof input === 'string') return createPrivateKey(input)
  return createPrivateKey({ key: Buffer.from(input), format: 'der', type: 'pkcs8' })
}

/** A generated key pair with a self-signed certificate. */
export interface SelfSignedCertificate {
  /** The certificate, PEM. */
  readonly certificate: string
  /** The private key, PKCS#8 PEM. */
  readonly privateKey: string
}

/** Options for {@link createSelfSignedCertificate}. */
export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name. Default `felles-svarut-test`. */
  readonly commonName?: string
  /** RSA modulus length. Default 2048. */
  readonly modulusLength?: number
  /** Validity in days from now. Default 365. */
  readonly days?: number
  /** Start of validity. Default now. */
  readonly notBefore?: Date
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(iso.slice(2) + 'Z'))
    : tlv(0x18, Buffer.from(iso + 'Z'))
}

/**
 * Generates an RSA key pair and a self-signed X.509 certificate, for tests
 * and local emulators (SvarUt's public key endpoint, a SvarInn receiver).
 *
 * @param options - Common name, key size, validity.
 * @returns PEM certificate and PKCS#8 PEM private key.
 * @example
 * ```ts
 * const { certificate, privateKey } = createSelfSignedCertificate({ commonName: 'svarut-mock' })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5280
 */
export function createSelfSignedCertificate(
  options: SelfSignedCertificateOptions = {},
): SelfSignedCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: options.modulusLength ?? 2048,
  })
  const name = seq(
    set(seq(oid(OID.commonName), tlv(0x0c, Buffer.from(options.commonName ?? 'felles-svarut-test')))),
  )
  const notBefore = options.notBefore ?? new Date()
  const notAfter = new Date(notBefore.getTime() + (options.days ?? 365) * 86_400_000)
  const serial = randomBytes(8)
  serial[0] = (serial[0] ?? 0) & 0x7f
  const sigAlg = seq(oid(OID.sha256WithRSAEncryption), nul())
  const tbs = seq(
    tlv(0xa0, integer(2)),
    integer(serial),
    sigAlg,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ format: 'der', type: 'spki' }),
  )
  const signature = sign('sha256', tbs, privateKey)
  const cert = seq(tbs, sigAlg, tlv(0x03, Buffer.from([0]), signature))
  const b64 = cert.toString('base64').replace(/.{1,64}/g, '$&\n')
  return {
    certificate: `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  }
}

/** @internal Error for a certificate whose key is not RSA. */
export function assertRsa(key: KeyObject, what: string): void {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SvarUtError(
      'ERR_CMS_UNSUPPORTED',
      `${what} must be an RSA key (got ${key.asymmetricKeyType ?? 'none'})`,
    )
  }
}

/** @internal A certificate input as PEM text. */
export function certificateToPem(input: CertificateInput): string {
  if (typeof input === 'string') return input
  if (input instanceof X509Certificate) return input.toString()
  const b64 = Buffer.from(input)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`
}
