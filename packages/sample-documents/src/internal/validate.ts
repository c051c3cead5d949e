import { containsNationalId } from '@felles/identifiers'
import type { z } from 'zod'
import { DocumentError } from '../errors.js'

/** `['series', 1, 'values']` → `series[1].values`. */
export function fieldPath(path: readonly PropertyKey[], prefix = ''): string {
  let out = prefix
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out === '' ? '(input)' : out
}

/**
 * Parses input at the boundary. The error names the field and the rule, never
 * the value (inputs carry names, addresses and identity numbers).
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue === undefined ? '(input)' : fieldPath(issue.path)
  const reason = issue === undefined ? 'is invalid' : describeIssue(issue)
  throw new DocumentError('ERR_INVALID_INPUT', `Invalid ${what}: ${field} ${reason}`, {
    field,
    cause: result.error,
  })
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `must be of type ${issue.expected}`
    case 'unrecognized_keys':
      return `has unknown keys: ${issue.keys.join(', ')}`
    case 'invalid_union':
      return 'is not in an accepted format'
    default:
      return issue.message
  }
}

/** A printed or stored text and where it came from. */
export interface TextField {
  readonly field: string
  readonly text: string
}

/** Every string in a parsed input, with its path. */
export function collectTexts(value: unknown, path = ''): TextField[] {
  const out: TextField[] = []
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') out.push({ field: at, text: node })
    else if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) walk(item, `${at}[${index}]`)
    } else if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      for (const [key, child] of Object.entries(node)) walk(child, at === '' ? key : `${at}.${key}`)
    }
  }
  walk(value, path)
  return out
}

export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
}

// C0 and C1 controls and the Unicode line and paragraph separators; a line feed is allowed only in
// multi-line fields.
function isControl(codePoint: number, multiline: boolean): boolean {
  if (codePoint === 0x0a) return !multiline
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029
  )
}

/**
 * Refuses control characters (they would corrupt the content stream or the
 * layout); a line feed only where `multiline` allows it.
 */
export function assertNoControlCharacters(
  fields: readonly TextField[],
  multiline: (field: string) => boolean,
): void {
  for (const { field, text } of fields) {
    const allowLineFeed = multiline(field)
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0
      if (isControl(cp, allowLineFeed)) {
        const codePoint = codePointLabel(cp)
        throw new DocumentError(
          'ERR_INVALID_INPUT',
          `Invalid input: ${field} contains the control character ${codePoint}`,
          { field, codePoint },
        )
      }
    }
  }
}

/**
 * A national identity number may appear only in the one field meant for it:
 * anywhere else it would end up in a letter or its metadata by accident.
 */
export function assertNoNationalIds(fields: readonly TextField[], allowed: ReadonlySet<string>): void {
  for (const { field, text } of fields) {
    if (!allowed.has(field) && containsNationalId(text)) {
      throw new DocumentError(
        'ERR_NATIONAL_ID_IN_TEXT',
        `${field} contains a national identity number; put it in recipient.nationalIdentityNumber and set showNationalIdentityNumber if it must be printed`,
        { field },
      )
    }
  }
}

/**
 * The checks every document runs on its parsed input before drawing: no
 * control characters (a line feed only in `multiline` fields), and no national
 * identity number outside `recipient.nationalIdentityNumber`.
 *
 * @returns Every text of the input with its field path.
 */
export function checkTexts(input: object, multiline: (field: string) => boolean): TextField[] {
  const all = collectTexts(input)
  assertNoControlCharacters(all, multiline)
  assertNoNationalIds(all, new Set(['recipient.nationalIdentityNumber']))
  return all
}
