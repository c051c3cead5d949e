/** @internal One DER element: tag, contents, raw encoding, and parsed children for constructed types. */
export interface Der {
  readonly tag: number
  readonly value: Uint8Array
  readonly raw: Uint8Array
  readonly children: readonly Der[]
}

/**
 * @internal A small DER reader (definite lengths only): just enough for
 * PKCS#12 files. Constructed elements (and OCTET STRING/context tags that
 * hold DER) are parsed into children lazily by the caller through `readDer`.
 */
export function readDer(bytes: Uint8Array): Der {
  const [element, end] = readElement(bytes, 0)
  if (end !== bytes.length && !isPadding(bytes, end)) throw new TypeError('trailing data after DER element')
  return element
}

function isPadding(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false
  return true
}

function readElement(bytes: Uint8Array, offset: number): [Der, number] {
  const tag = bytes[offset]
  if (tag === undefined) throw new TypeError('truncated DER')
  let length = bytes[offset + 1]
  if (length === undefined) throw new TypeError('truncated DER')
  let start = offset + 2
  if (length === 0x80) throw new TypeError('indefinite lengths are not supported')
  if (length > 0x80) {
    const count = length - 0x80
    if (count > 4) throw new TypeError('DER length too large')
    length = 0
    for (let i = 0; i < count; i++) {
      const b = bytes[start + i]
      if (b === undefined) throw new TypeError('truncated DER')
      length = length * 256 + b
    }
    start += count
  }
  const end = start + length
  if (end > bytes.length) throw new TypeError('truncated DER')
  const value = bytes.subarray(start, end)
  const constructed = (tag & 0x20) !== 0
  const children: Der[] = []
  if (constructed) {
    let position = 0
    while (position < value.length) {
      const [node, next] = readElement(value, position)
      children.push(node)
      position = next
    }
  }
  return [{ tag, value, raw: bytes.subarray(offset, end), children }, end]
}

/** @internal The dotted form of an OBJECT IDENTIFIER element ('' for anything else). */
export function oidOf(node: Der): string {
  if (node.tag !== 0x06) return ''
  const bytes = node.value
  const first = bytes[0] ?? 0
  const arcs: number[] = [Math.floor(first / 40), first % 40]
  let value = 0
  for (let i = 1; i < bytes.length; i++) {
    const b = bytes[i] as number
    value = value * 128 + (b & 0x7f)
    if ((b & 0x80) === 0) {
      arcs.push(value)
      value = 0
    }
  }
  return arcs.join('.')
}
