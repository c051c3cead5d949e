/**
 * Size limits applied to untrusted input before any schema looks at it, so
 * that oversized or deeply nested input is refused in time proportional to the
 * limits, not to the input.
 */
export interface InputLimits {
  /** Largest JSON text accepted, in UTF-16 code units. */
  readonly maxJsonLength: number
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number
  /** Most values (objects, arrays, strings, numbers, …) in one input. */
  readonly maxNodes: number
  /** Longest string. */
  readonly maxStringLength: number
  /** Longest array. */
  readonly maxArrayLength: number
  /** Most keys in one object. */
  readonly maxObjectKeys: number
  /** Most events in one case. */
  readonly maxEvents: number
  /** Longest free text (notes, titles). */
  readonly maxTextLength: number
}

/**
 * The default {@link InputLimits}: 2 MiB of JSON, depth 24, 100 000 values,
 * strings up to 20 000 characters, arrays up to 5 000 items, 10 000 events.
 */
export const LIMITS: InputLimits = Object.freeze({
  maxJsonLength: 2 * 1024 * 1024,
  maxDepth: 24,
  maxNodes: 100_000,
  maxStringLength: 20_000,
  maxArrayLength: 10_000,
  maxObjectKeys: 200,
  maxEvents: 10_000,
  maxTextLength: 10_000,
})

/** Why input was refused before validation. */
export type LimitViolation =
  | 'json-too-long'
  | 'too-deep'
  | 'too-many-values'
  | 'string-too-long'
  | 'array-too-long'
  | 'too-many-keys'
  | 'not-json'

/**
 * Checks the nesting depth of a JSON text without parsing it (a single pass
 * that skips string contents), so a hostile `[[[[…]]]]` never reaches
 * `JSON.parse`.
 *
 * @internal
 */
export function scanJsonText(text: string, limits: InputLimits): LimitViolation | undefined {
  if (text.length > limits.maxJsonLength) return 'json-too-long'
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 92 /* \ */) i++
      else if (c === 34 /* " */) inString = false
      continue
    }
    if (c === 34) inString = true
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limits.maxDepth) return 'too-deep'
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--
  }
  return undefined
}

/**
 * Walks a parsed value iteratively (no recursion) and stops at the first
 * limit it breaks. Runs in time bounded by `maxNodes`, whatever the input.
 *
 * @internal
 */
export function checkValueBounds(value: unknown, limits: InputLimits): LimitViolation | undefined {
  const stack: unknown[] = [value]
  const depths: number[] = [1]
  let nodes = 0
  while (stack.length > 0) {
    const current = stack.pop()
    const depth = depths.pop() ?? 1
    if (++nodes > limits.maxNodes) return 'too-many-values'
    if (typeof current === 'string') {
      if (current.length > limits.maxStringLength) return 'string-too-long'
      continue
    }
    if (current === null || typeof current !== 'object') continue
    if (depth > limits.maxDepth) return 'too-deep'
    if (Array.isArray(current)) {
      if (current.length > limits.maxArrayLength) return 'array-too-long'
      if (nodes + stack.length + current.length > limits.maxNodes) return 'too-many-values'
      for (let i = 0; i < current.length; i++) {
        stack.push(current[i])
        depths.push(depth + 1)
      }
      continue
    }
    let keys = 0
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue
      if (++keys > limits.maxObjectKeys) return 'too-many-keys'
      if (key.length > limits.maxStringLength) return 'string-too-long'
      stack.push((current as Record<string, unknown>)[key])
      depths.push(depth + 1)
      if (nodes + stack.length > limits.maxNodes) return 'too-many-values'
    }
  }
  return undefined
}
