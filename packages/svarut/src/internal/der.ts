// Minimal ASN.1 DER/BER helpers: just what CMS EnvelopedData and X.509 need.
import { SvarUtError } from '../errors.js'

/** A parsed ASN.1 element of a complete buffer. */
export interface Asn1Node {
  readonly tag: number
  readonly constructed: boolean
  /** The whole TLV (for definite lengths; for indefinite, up to and including the end-of-contents). */
  readonly raw: Buffer
  /** Primitive contents (constructed: the concatenated contents area). */
  readonly value: Buffer
  readonly children: readonly Asn1Node[]
}

function malformed(message: string): SvarUtError {
  return new SvarUtError('ERR_CMS_MALFORMED', message)
}

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length])
  const bytes: number[] = []
  let n = length
  while (n > 0) {
    bytes.unshift(n & 0xff)
    n = Math.floor(n / 256)
  }
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** A DER TLV. */
export function tlv(tag: number, ...contents: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(contents)
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body])
}

export const seq = (...c: readonly Uint8Array[]): Buffer => tlv(0x30, ...c)
export const set = (...c: readonly Uint8Array[]): Buffer => tlv(0x31, ...c)
export const octets = (c: Uint8Array): Buffer => tlv(0x04, c)
export const nul = (): Buffer => Buffer.from([0x05, 0x00])

export function integer(value: number | Buffer): Buffer {
  if (typeof value === 'number') {
    const bytes: number[] = []
    let n = value
    do {
      bytes.unshift(n & 0xff)
      n = Math.floor(n / 256)
    } while (n > 0)
    if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0)
    return tlv(0x02, Buffer.from(bytes))
  }
  return tlv(0x02, (value[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), value]) : value)
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out: number[] = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)]
  for (const part of parts.slice(2)) {
    const stack: number[] = [part & 0x7f]
    let n = Math.floor(part / 128)
    while (n > 0) {
      stack.unshift((n & 0x7f) | 0x80)
      n = Math.floor(n / 128)
    }
    out.push(...stack)
  }
  return tlv(0x06, Buffer.from(out))
}

export function decodeOid(value: Uint8Array): string {
  const out: number[] = []
  let n = 0
  for (let i = 0; i < value.length; i++) {
    const b = value[i] ?? 0
    n = n * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      if (out.length === 0) {
        const first = n < 80 ? Math.floor(n / 40) : 2
        out.push(first, n - first * 40)
      } else out.push(n)
      n = 0
    }
  }
  return out.join('.')
}

/** Reads tag and length at `offset`; `length` is `null` for indefinite. */
export function readHeader(
  buf: Uint8Array,
  offset: number,
): { tag: number; constructed: boolean; length: number | null; headerLength: number } | undefined {
  if (offset + 2 > buf.length) return undefined
  const tag = buf[offset] ?? 0
  if ((tag & 0x1f) === 0x1f) throw malformed('High-tag-number ASN.1 tags are not used in CMS')
  const first = buf[offset + 1] ?? 0
  if (first < 0x80) return { tag, constructed: (tag & 0x20) !== 0, length: first, headerLength: 2 }
  if (first === 0x80) {
    if ((tag & 0x20) === 0) throw malformed('Indefinite length on a primitive ASN.1 element')
    return { tag, constructed: true, length: null, headerLength: 2 }
  }
  const count = first & 0x7f
  if (count > 6) throw malformed('ASN.1 length too large')
  if (offset + 2 + count > buf.length) return undefined
  let length = 0
  for (let i = 0; i < count; i++) length = length * 256 + (buf[offset + 2 + i] ?? 0)
  return { tag, constructed: (tag & 0x20) !== 0, length, headerLength: 2 + count }
}

/** Parses one element of a complete BER buffer (definite or indefinite lengths). */
export function parse(buf: Buffer, offset = 0, depth = 0): Asn1Node {
  if (depth > 32) throw malformed('ASN.1 nesting too deep')
  const h = readHeader(buf, offset)
  if (h === undefined) throw malformed('Truncated ASN.1 element')
  const start = offset + h.headerLength
  if (h.length !== null) {
    const end = start + h.length
    if (end > buf.length) throw malformed('Truncated ASN.1 element')
    const value = buf.subarray(start, end)
    const children: Asn1Node[] = []
    if (h.constructed) {
      let pos = start
      while (pos < end) {
        const child = parse(buf, pos, depth + 1)
        children.push(child)
        pos += child.raw.length
      }
      if (pos !== end) throw malformed('ASN.1 child overruns its parent')
    }
    return { tag: h.tag, constructed: h.constructed, raw: buf.subarray(offset, end), value, children }
  }
  const children: Asn1Node[] = []
  let pos = start
  for (;;) {
    if (pos + 2 > buf.length) throw malformed('Truncated indefinite-length ASN.1 element')
    if (buf[pos] === 0 && buf[pos + 1] === 0) break
    const child = parse(buf, pos, depth + 1)
    children.push(child)
    pos += child.raw.length
  }
  return {
    tag: h.tag,
    constructed: true,
    raw: buf.subarray(offset, pos + 2),
    value: buf.subarray(start, pos),
    children,
  }
}

/** Parses a complete buffer that must hold exactly one element. */
export function parseExact(buf: Buffer): Asn1Node {
  const node = parse(buf)
  if (node.raw.length !== buf.length) throw malformed('Trailing bytes after the ASN.1 element')
  return node
}

export const OID = {
  data: '1.2.840.113549.1.7.1',
  envelopedData: '1.2.840.113549.1.7.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  mgf1: '1.2.840.113549.1.1.8',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  aes128cbc: '2.16.840.1.101.3.4.1.2',
  aes192cbc: '2.16.840.1.101.3.4.1.22',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
  commonName: '2.5.4.3',
  subjectKeyIdentifier: '2.5.29.14',
} as const
