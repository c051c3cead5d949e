// A small OData v4 $filter parser and evaluator: comparisons (eq, ne, gt, ge,
// lt, le), and/or/not, parentheses, startswith/endswith/contains, string,
// number, boolean, null and date-time literals. Enough for what Intune
// clients send; anything else is a 400, as Graph answers.

/** A parsed filter expression. */
export type FilterNode =
  | { readonly type: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly type: 'not'; readonly expr: FilterNode }
  | {
      readonly type: 'cmp'
      readonly op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
      readonly property: string
      readonly value: Literal
    }
  | {
      readonly type: 'fn'
      readonly fn: 'startswith' | 'endswith' | 'contains'
      readonly property: string
      readonly value: string
    }

/** A literal value in a filter. */
export type Literal = string | number | boolean | null | { readonly datetime: number }

/** Raised for filters the emulator (like Graph) cannot parse. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError'
}

type Token = { kind: 'ident' | 'string' | 'number' | 'punct' | 'word'; text: string }

function tokenize(input: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i]!
    if (c === ' ' || c === '\t') {
      i++
      continue
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: 'punct', text: c })
      i++
      continue
    }
    if (c === "'") {
      let j = i + 1
      let s = ''
      for (;;) {
        if (j >= input.length) throw new FilterSyntaxError('Unterminated string literal')
        if (input[j] === "'") {
          if (input[j + 1] === "'") {
            s += "'"
            j += 2
            continue
          }
          break
        }
        s += input[j]
        j++
      }
      out.push({ kind: 'string', text: s })
      i = j + 1
      continue
    }
    const m = /^[A-Za-z0-9_.:+\-/]+/.exec(input.slice(i))
    if (!m) throw new FilterSyntaxError(`Syntax error at position ${i} in '${input}'`)
    const text = m[0]
    if (/^-?\d+(\.\d+)?$/.test(text)) out.push({ kind: 'number', text })
    else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) out.push({ kind: 'word', text })
    else out.push({ kind: 'ident', text })
    i += text.length
  }
  return out
}

/**
 * Parses an OData `$filter` expression.
 *
 * @throws {FilterSyntaxError} on anything outside the supported subset
 */
export function parseFilter(input: string): FilterNode {
  const tokens = tokenize(input)
  let pos = 0
  const peek = (): Token | undefined => tokens[pos]
  const isWord = (w: string): boolean => {
    const t = peek()
    return t !== undefined && t.kind === 'ident' && t.text.toLowerCase() === w
  }
  const expect = (text: string): void => {
    const t = tokens[pos++]
    if (!t || t.text !== text) throw new FilterSyntaxError(`Expected '${text}' in '${input}'`)
  }
  const literal = (): Literal => {
    const t = tokens[pos++]
    if (!t) throw new FilterSyntaxError(`Expected a value in '${input}'`)
    if (t.kind === 'string') return t.text
    if (t.kind === 'number') return Number(t.text)
    if (t.kind === 'word') {
      const ms = Date.parse(t.text)
      if (Number.isNaN(ms)) throw new FilterSyntaxError(`Invalid date-time '${t.text}'`)
      return { datetime: ms }
    }
    if (t.kind === 'ident') {
      const w = t.text.toLowerCase()
      if (w === 'true') return true
      if (w === 'false') return false
      if (w === 'null') return null
      // GUIDs are written unquoted in OData v4.
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t.text)) return t.text
    }
    throw new FilterSyntaxError(`Unexpected '${t.text}' in '${input}'`)
  }
  const primary = (): FilterNode => {
    const t = peek()
    if (!t) throw new FilterSyntaxError(`Unexpected end of '${input}'`)
    if (t.kind === 'punct' && t.text === '(') {
      pos++
      const e = orExpr()
      expect(')')
      return e
    }
    if (isWord('not')) {
      pos++
      return { type: 'not', expr: primary() }
    }
    if (t.kind === 'ident' && ['startswith', 'endswith', 'contains'].includes(t.text.toLowerCase())) {
      const fn = t.text.toLowerCase() as 'startswith' | 'endswith' | 'contains'
      pos++
      expect('(')
      const prop = tokens[pos++]
      if (prop?.kind !== 'ident') throw new FilterSyntaxError(`Expected a property in ${fn}()`)
      expect(',')
      const v = literal()
      if (typeof v !== 'string') throw new FilterSyntaxError(`${fn}() needs a string`)
      expect(')')
      return { type: 'fn', fn, property: prop.text, value: v }
    }
    if (t.kind === 'ident') {
      if (t.text.includes('/')) {
        throw new FilterSyntaxError(`Lambda and navigation filters are not supported: '${t.text}'`)
      }
      pos++
      const opTok = tokens[pos++]
      const op = opTok?.text.toLowerCase()
      if (!op || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(op)) {
        throw new FilterSyntaxError(`Expected a comparison after '${t.text}' in '${input}'`)
      }
      return { type: 'cmp', op: op as 'eq', property: t.text, value: literal() }
    }
    throw new FilterSyntaxError(`Unexpected '${t.text}' in '${input}'`)
  }
  const andExpr = (): FilterNode => {
    let left = primary()
    while (isWord('and')) {
      pos++
      left = { type: 'and', left, right: primary() }
    }
    return left
  }
  const orExpr = (): FilterNode => {
    let left = andExpr()
    while (isWord('or')) {
      pos++
      left = { type: 'or', left, right: andExpr() }
    }
    return left
  }
  const tree = orExpr()
  if (pos < tokens.length) throw new FilterSyntaxError(`Unexpected '${tokens[pos]!.text}' in '${input}'`)
  return tree
}

/** Every property a filter mentions. */
export function filterProperties(node: FilterNode): string[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return [...filterProperties(node.left), ...filterProperties(node.right)]
    case 'not':
      return filterProperties(node.expr)
    default:
      return [node.property]
  }
}

/** How the evaluator misbehaves, to reproduce Intune's filter bugs. */
export interface FilterQuirks {
  /** Properties whose clauses are silently treated as true. */
  readonly ignore?: ReadonlySet<string>
  /** Treat `ne` as `eq`. */
  readonly neAsEq?: boolean
}

function compare(a: unknown, b: Literal): number | undefined {
  if (b === null || a === null || a === undefined) return undefined
  if (typeof b === 'object') {
    const ms = typeof a === 'string' ? Date.parse(a) : Number.NaN
    return Number.isNaN(ms) ? undefined : ms - b.datetime
  }
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : 1
  return undefined
}

/** Evaluates a filter against a record (property getter). */
export function evaluateFilter(
  node: FilterNode,
  get: (property: string) => unknown,
  quirks: FilterQuirks = {},
): boolean {
  switch (node.type) {
    case 'and':
      return evaluateFilter(node.left, get, quirks) && evaluateFilter(node.right, get, quirks)
    case 'or':
      return evaluateFilter(node.left, get, quirks) || evaluateFilter(node.right, get, quirks)
    case 'not':
      return !evaluateFilter(node.expr, get, quirks)
    case 'fn': {
      if (quirks.ignore?.has(node.property)) return true
      const v = get(node.property)
      if (typeof v !== 'string') return false
      const a = v.toLowerCase()
      const b = node.value.toLowerCase()
      return node.fn === 'startswith'
        ? a.startsWith(b)
        : node.fn === 'endswith'
          ? a.endsWith(b)
          : a.includes(b)
    }
    case 'cmp': {
      if (quirks.ignore?.has(node.property)) return true
      const v = get(node.property)
      const op = quirks.neAsEq && node.op === 'ne' ? 'eq' : node.op
      if (node.value === null)
        return op === 'eq' ? v === null || v === undefined : v !== null && v !== undefined
      const c = compare(v, node.value)
      if (c === undefined) return op === 'ne'
      switch (op) {
        case 'eq':
          return c === 0
        case 'ne':
          return c !== 0
        case 'gt':
          return c > 0
        case 'ge':
          return c >= 0
        case 'lt':
          return c < 0
        case 'le':
          return c <= 0
      }
    }
  }
  return false
}
