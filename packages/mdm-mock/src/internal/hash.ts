// Stateless, seeded hashing: every attribute of device i is derived from
// (seed, i, field), so a world of 50,000 devices needs no per-device objects
// and any device can be rendered on demand in any order.

/** 32-bit FNV-1a of a string, used to turn a textual seed into a number. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** A well-mixed 32-bit value for (seed, index, field). */
export function mix(seed: number, index: number, field: number): number {
  let h = (seed ^ Math.imul(index + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(field + 0x27d4eb2f, 0xc2b2ae35)) >>> 0
  h ^= h >>> 16
  h = Math.imul(h, 0x7feb352d)
  h ^= h >>> 15
  h = Math.imul(h, 0x846ca68b)
  h ^= h >>> 16
  return h >>> 0
}

/** A float in [0, 1) for (seed, index, field). */
export function unit(seed: number, index: number, field: number): number {
  return mix(seed, index, field) / 4294967296
}

/** An integer in [min, max] for (seed, index, field). */
export function between(seed: number, index: number, field: number, min: number, max: number): number {
  return min + Math.floor(unit(seed, index, field) * (max - min + 1))
}

/** One element of a non-empty list for (seed, index, field). */
export function choose<T>(seed: number, index: number, field: number, items: readonly T[]): T {
  return items[mix(seed, index, field) % items.length] as T
}

/** `count` hex digits for (seed, index, field). */
export function hex(seed: number, index: number, field: number, count: number): string {
  let out = ''
  let k = 0
  while (out.length < count)
    out += mix(seed, index, field * 31 + k++)
      .toString(16)
      .padStart(8, '0')
  return out.slice(0, count)
}

const ODD = 0x2c1b3c6d
// Multiplicative inverse of ODD modulo 2^32 (Newton's iteration).
const ODD_INVERSE = (() => {
  let inv = ODD
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(ODD, inv))
  return inv >>> 0
})()

/**
 * A bijection on 32-bit integers keyed by the seed: vendor ids carry the
 * device index scrambled, so a lookup by id needs no map, yet ids of
 * neighbouring devices look unrelated.
 */
export function scramble(seed: number, value: number): number {
  let x = Math.imul((value ^ seed) >>> 0, ODD) >>> 0
  x = (x ^ (x >>> 16)) >>> 0
  return x
}

/** Inverse of {@link scramble}. */
export function unscramble(seed: number, value: number): number {
  let x = (value ^ (value >>> 16)) >>> 0
  x = Math.imul(x, ODD_INVERSE) >>> 0
  return (x ^ seed) >>> 0
}

/** Formats 32 hex digits as a GUID. */
export function guid(hex32: string): string {
  return `${hex32.slice(0, 8)}-${hex32.slice(8, 12)}-4${hex32.slice(13, 16)}-${'89ab'[Number.parseInt(hex32[16] ?? '0', 16) & 3]}${hex32.slice(17, 20)}-${hex32.slice(20, 32)}`
}
