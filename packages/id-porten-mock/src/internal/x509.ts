import { type KeyObject, randomBytes, sign, type X509Certificate } from 'node:crypto'

// Just enough DER to issue test business certificates ("virksomhetssertifikat")
// for Maskinporten's x5c path, without a dependency. Only what this package
// signs is ever encoded here; parsing is left to node:crypto's X509Certificate.

const tlv = (tag: number, content: Buffer): Buffer => {
  const n = content.length
  let length: Buffer
  if (n < 0x80) length = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff)
    length = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), length, content])
}

const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items))
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items))

const integer = (value: Buffer): Buffer => {
  let v = value
  while (v.length > 1 && v[0] === 0 && (v[1] as number) < 0x80) v = v.subarray(1)
  if ((v[0] as number) >= 0x80) v = Buffer.concat([Buffer.from([0]), v])
  return tlv(0x02, v)
}

const oid = (dotted: string): Buffer => {
  const arcs = dotted.split('.').map(Number)
  const bytes: number[] = [40 * (arcs[0] as number) + (arcs[1] as number)]
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f]
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'))
const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'ascii'))

const time = (date: Date): Buffer => {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`))
}

const SHA256_WITH_RSA = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]))

/** Distinguished name of a test certificate. */
export interface CertificateName {
  readonly commonName: string
  readonly organisationName?: string
  /** Organisasjonsnummer: encoded as `serialNumber` and as `organizationIdentifier` `NTRNO-…`. */
  readonly organisationNumber?: string
}

const name = (n: CertificateName): Buffer => {
  const rdns: Buffer[] = [set(seq(oid('2.5.4.6'), printable('NO')))]
  if (n.organisationName !== undefined) rdns.push(set(seq(oid('2.5.4.10'), utf8(n.organisationName))))
  if (n.organisationNumber !== undefined) {
    rdns.push(set(seq(oid('2.5.4.97'), utf8(`NTRNO-${n.organisationNumber}`))))
    rdns.push(set(seq(oid('2.5.4.5'), printable(n.organisationNumber))))
  }
  rdns.push(set(seq(oid('2.5.4.3'), utf8(n.commonName))))
  return seq(...rdns)
}

export interface IssueCertificateOptions {
  readonly subject: CertificateName
  readonly subjectPublicKey: KeyObject
  readonly issuer: CertificateName
  readonly issuerPrivateKey: KeyObject
  readonly notBefore: Date
  readonly notAfter: Date
  readonly ca: boolean
}

/** Issues an X.509 v3 certificate signed with sha256WithRSAEncryption; returns DER. */
export function issueCertificate(options: IssueCertificateOptions): Buffer {
  const spki = options.subjectPublicKey.export({ format: 'der', type: 'spki' })
  const basicConstraints = seq(
    oid('2.5.29.19'),
    tlv(0x01, Buffer.from([0xff])),
    tlv(0x04, options.ca ? seq(tlv(0x01, Buffer.from([0xff]))) : seq()),
  )
  // keyUsage: keyCertSign + cRLSign for the CA, digitalSignature for a leaf.
  const keyUsageBits = options.ca ? Buffer.from([0x01, 0x06]) : Buffer.from([0x07, 0x80])
  const keyUsage = seq(oid('2.5.29.15'), tlv(0x01, Buffer.from([0xff])), tlv(0x04, tlv(0x03, keyUsageBits)))
  const serial = randomBytes(12)
  serial[0] = (serial[0] as number) & 0x7f
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_WITH_RSA,
    name(options.issuer),
    seq(time(options.notBefore), time(options.notAfter)),
    name(options.subject),
    spki,
    tlv(0xa3, seq(basicConstraints, keyUsage)),
  )
  const signature = sign('sha256', tbs, options.issuerPrivateKey)
  return seq(tbs, SHA256_WITH_RSA, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])))
}

/** PEM text of a DER certificate. */
export function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`
}

/**
 * The organisation number in a certificate's subject: `organizationIdentifier`
 * (`NTRNO-…`, newer certificates) or `serialNumber` (older Norwegian ones).
 */
export function organisationNumberOf(cert: X509Certificate): string | undefined {
  for (const line of cert.subject.split('\n')) {
    const [key, value] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]
    if ((key === 'organizationIdentifier' || key === '2.5.4.97') && /^NTRNO-\d{9}$/.test(value))
      return value.slice(6)
  }
  for (const line of cert.subject.split('\n')) {
    if (line.startsWith('serialNumber=') && /^\d{9}$/.test(line.slice(13))) return line.slice(13)
  }
  return undefined
}
