// Deterministic identifiers for the standards' payloads, so that mapping the
// same case twice gives the same ids (idempotent creation in Dialogporten, the
// same resource URLs in ZGW) without randomness or a clock.

function hash128(input: string): [number, number, number, number] {
  // cyrb128: a small non-cryptographic 128-bit string hash (public domain).
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0').slice(-width)
}

function format(bytes: number[]): string {
  const h = bytes.map((b) => hex(b, 2)).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

function randomBytes(name: string): number[] {
  const words = hash128(name)
  const bytes: number[] = []
  for (const w of words) bytes.push((w >>> 24) & 255, (w >>> 16) & 255, (w >>> 8) & 255, w & 255)
  return bytes
}

/**
 * @internal A UUIDv7 whose time is `ms` and whose "random" bits are a hash of
 * `name` (RFC 9562 allows any source for them), so it is deterministic.
 */
export function uuidV7(ms: number, name: string): string {
  const bytes = randomBytes(name)
  const t = Math.max(0, Math.floor(ms))
  const high = Math.floor(t / 2 ** 16)
  const low = t % 2 ** 16
  bytes[0] = (high >>> 24) & 255
  bytes[1] = (high >>> 16) & 255
  bytes[2] = (high >>> 8) & 255
  bytes[3] = high & 255
  bytes[4] = (low >>> 8) & 255
  bytes[5] = low & 255
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f)
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  return format(bytes)
}

/** @internal A name-based UUID (RFC 9562 version 8) from a hash of `name`. */
export function uuidV8(name: string): string {
  const bytes = randomBytes(name)
  bytes[6] = 0x80 | ((bytes[6] ?? 0) & 0x0f)
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  return format(bytes)
}
