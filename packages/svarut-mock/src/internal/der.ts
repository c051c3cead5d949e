// Just enough ASN.1 for a self-signed certificate and CMS EnvelopedData:
// DER encoding of what the mock writes, and a BER reader (definite and
// indefinite lengths) for what clients send.

export const tlv = (tag: number, content: Uint8Array): Buffer => {
  const n = content.length
  let length: Buffer
  if (n < 0x80) length = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
    length = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), length, content])
}

export const seq = (...items: Uint8Array[]): Buffer => tlv(0x30, Buffer.concat(items))
export const set = (...items: Uint8Array[]): Buffer => tlv(0x31, Buffer.concat(items))
export const octets = (value: Uint8Array): Buffer => tlv(0x04, value)
export const NULL: Buffer = Buffer.from([0x05, 0x00])

export const integer = (value: Uint8Array): Buffer => {
  let v = Buffer.from(value)
  while (v.length > 1 && v[0] === 0 && (v[1] as number) < 0x80) v = v.subarray(1)
  if ((v[0] as number) >= 0x80) v = Buffer.concat([Buffer.from([0]), v])
  return tlv(0x02, v)
}

export const smallInteger = (n: number): Buffer => integer(Buffer.from([n]))

export const oid = (dotted: string): Buffer => {
  const arcs = dotted.split('.').map(Number)
  const bytes: number[] = [40 * (arcs[0] as number) + (arcs[1] as number)]
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f]
    for (let v = arc >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80)
    bytes.push(...chunk)
  }
  return tlv(0x06, Buffer.from(bytes))
}

export const decodeOid = (content: Uint8Array): string => {
  const first = content[0] as number
  const arcs = [Math.floor(first / 40), first % 40]
  let v = 0
  for (let i = 1; i < content.length; i++) {
    const b = content[i] as number
    v = v * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      arcs.push(v)
      v = 0
    }
  }
  return arcs.join('.')
}

export const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'))
export const printable = (s: string): Buffer => tlv(0x13, Buffer.from(s, 'ascii'))
export const explicit = (n: number, content: Uint8Array): Buffer => tlv(0xa0 | n, content)

export const time = (date: Date): Buffer => {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14)
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`))
    : tlv(0x18, Buffer.from(`${iso}Z`))
}

/** A parsed BER element; `children` is set for constructed ones. */
export interface BerElement {
  readonly tag: number
  readonly constructed: boolean
  /** Primitive content, or the concatenated raw bytes of the children for constructed ones. */
  readonly content: Buffer
  readonly children?: readonly BerElement[]
  /** The whole encoding, header included. */
  readonly raw: Buffer
}

export class BerError extends Error {
  override readonly name = 'BerError'
}

/** Reads one BER element from `buf` at `offset`. */
export function readBer(buf: Buffer, offset = 0, depth = 0): { element: BerElement; end: number } {
  if (depth > 64) throw new BerError('ASN.1 nesting too deep')
  if (offset + 2 > buf.length) throw new BerError('truncated ASN.1 element')
  const tag = buf[offset] as number
  if ((tag & 0x1f) === 0x1f) throw new BerError('multi-byte ASN.1 tags are not supported')
  const constructed = (tag & 0x20) !== 0
  let pos = offset + 1
  const first = buf[pos++] as number
  if (first === 0x80) {
    if (!constructed) throw new BerError('indefinite length on a primitive element')
    const children: BerElement[] = []
    for (;;) {
      if (pos + 2 > buf.length) throw new BerError('truncated indefinite-length element')
      if (buf[pos] === 0 && buf[pos + 1] === 0) {
        pos += 2
        break
      }
      const child = readBer(buf, pos, depth + 1)
      children.push(child.element)
      pos = child.end
    }
    const raw = buf.subarray(offset, pos)
    const content = Buffer.concat(children.map((c) => c.raw))
    return { element: { tag, constructed, content, children, raw }, end: pos }
  }
  let length = first
  if (first & 0x80) {
    const n = first & 0x7f
    if (n > 6) throw new BerError('ASN.1 length too large')
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + (buf[pos++] as number)
  }
  const end = pos + length
  if (end > buf.length) throw new BerError('truncated ASN.1 content')
  const content = buf.subarray(pos, end)
  const raw = buf.subarray(offset, end)
  if (!constructed) return { element: { tag, constructed, content, raw }, end }
  const children: BerElement[] = []
  let p = pos
  while (p < end) {
    const child = readBer(buf, p, depth + 1)
    children.push(child.element)
    p = child.end
  }
  return { element: { tag, constructed, content, children, raw }, end }
}

/** The bytes of an OCTET STRING, joining the pieces of a constructed one. */
export function octetValue(el: BerElement): Buffer {
  if (!el.constructed) return el.content
  return Buffer.concat((el.children ?? []).map(octetValue))
}
