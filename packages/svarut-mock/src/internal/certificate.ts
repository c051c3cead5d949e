import {
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
  sign,
  X509Certificate,
} from 'node:crypto'
import { promisify } from 'node:util'
import { explicit, integer, NULL, oid, printable, seq, set, time, utf8 } from './der.js'

const generateKeyPairAsync = promisify(generateKeyPair)

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), NULL)

/** The mock's RSA key and its self-signed certificate. */
export interface KeyAndCertificate {
  readonly privateKey: KeyObject
  readonly certificate: X509Certificate
  /** PEM of the certificate (what the public-key endpoint serves). */
  readonly certificatePem: string
}

const dn = (commonName: string, organisation: string): Buffer =>
  seq(
    set(seq(oid('2.5.4.6'), printable('NO'))),
    set(seq(oid('2.5.4.10'), utf8(organisation))),
    set(seq(oid('2.5.4.3'), utf8(commonName))),
  )

/**
 * Issues a self-signed X.509 v3 certificate (sha256WithRSAEncryption) for
 * `privateKey`, valid from `notBefore` for `days` days, with key usage
 * keyEncipherment + dataEncipherment (a CMS recipient certificate).
 */
export function selfSignedCertificate(
  privateKey: KeyObject,
  options: { commonName: string; organisation?: string; notBefore: Date; days?: number },
): X509Certificate {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const serial = randomBytes(16)
  serial[0] = (serial[0] as number) & 0x7f
  const name = dn(options.commonName, options.organisation ?? 'Felles SvarUt mock')
  const notAfter = new Date(options.notBefore.getTime() + (options.days ?? 3650) * 86_400_000)
  // keyUsage (critical): keyEncipherment | dataEncipherment = bits 2 and 3 → 0x30, 4 unused bits.
  const keyUsage = seq(
    oid('2.5.29.15'),
    Buffer.from([0x01, 0x01, 0xff]),
    Buffer.concat([Buffer.from([0x04, 0x04]), Buffer.from([0x03, 0x02, 0x04, 0x30])]),
  )
  const basicConstraints = seq(oid('2.5.29.19'), Buffer.from([0x04, 0x02, 0x30, 0x00]))
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    name,
    seq(time(options.notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, seq(keyUsage, basicConstraints)),
  )
  const signature = sign('sha256', tbs, privateKey)
  const der = seq(
    tbs,
    SHA256_WITH_RSA,
    Buffer.concat([Buffer.from([0x03]), lengthOf(signature.length + 1), Buffer.from([0]), signature]),
  )
  return new X509Certificate(der)
}

function lengthOf(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** Generates a 2048-bit RSA key and a self-signed certificate for it. */
export async function generateKeyAndCertificate(
  commonName: string,
  notBefore: Date,
): Promise<KeyAndCertificate> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: 2048 })
  const certificate = selfSignedCertificate(privateKey, { commonName, notBefore })
  return { privateKey, certificate, certificatePem: certificate.toString() }
}
