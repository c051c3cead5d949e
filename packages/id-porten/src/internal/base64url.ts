const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

// Table lookups instead of btoa/atob plus regular expressions: these run for
// every session id, CSRF token and sealed cookie on the callback path.
const DECODE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i
  return table
})()

/** @internal base64url without padding, on the Web platform (no Buffer). */
export function encodeBase64url(bytes: Uint8Array): string {
  let out = ''
  const len = bytes.length
  const whole = len - (len % 3)
  let i = 0
  for (; i < whole; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out +=
      ALPHABET.charAt(n >>> 18) +
      ALPHABET.charAt((n >>> 12) & 63) +
      ALPHABET.charAt((n >>> 6) & 63) +
      ALPHABET.charAt(n & 63)
  }
  if (len - whole === 1) {
    const n = (bytes[i] as number) << 16
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63)
  } else if (len - whole === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += ALPHABET.charAt(n >>> 18) + ALPHABET.charAt((n >>> 12) & 63) + ALPHABET.charAt((n >>> 6) & 63)
  }
  return out
}

/**
 * @internal Decodes base64url without padding; `undefined` on malformed input
 * (a character outside the alphabet, or a length that no encoding has).
 */
export function decodeBase64url(value: string): Uint8Array<ArrayBuffer> | undefined {
  const len = value.length
  if (len % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((len * 3) / 4))
  let bits = 0
  let acc = 0
  let o = 0
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i)
    const v = c < 128 ? (DECODE[c] as number) : -1
    if (v < 0) return undefined
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >>> bits) & 0xff
    }
  }
  return out
}

// Random bytes for tokens are drawn from the CSPRNG in batches: one call to
// the random source per batch instead of one per login (each call costs as
// much as the few bytes a login needs). Every byte is used once and wiped
// right after encoding, so no two tokens share bytes and none linger. Node's
// own `crypto.randomUUID()` keeps a similar cache.
const POOL_BYTES = 4096
let pool: Uint8Array | undefined
let poolOffset = POOL_BYTES

/**
 * @internal Several independent random tokens (base64url) of the given byte
 * sizes, from the CSPRNG (`crypto.getRandomValues`); each token has its own
 * bytes, none are shared or reused.
 */
export function randomTokens(...sizes: readonly number[]): string[] {
  let total = 0
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('randomTokens: invalid size')
    total += size
  }
  let source: Uint8Array
  let offset: number
  if (total > POOL_BYTES) {
    source = crypto.getRandomValues(new Uint8Array(total))
    offset = 0
  } else {
    if (pool === undefined || poolOffset + total > POOL_BYTES) {
      pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES))
      poolOffset = 0
    }
    source = pool
    offset = poolOffset
    poolOffset += total
  }
  const out: string[] = []
  for (const size of sizes) {
    out.push(encodeBase64url(source.subarray(offset, offset + size)))
    source.fill(0, offset, offset + size)
    offset += size
  }
  return out
}
