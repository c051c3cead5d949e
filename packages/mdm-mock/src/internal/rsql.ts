// RSQL (FIQL) as the Jamf Pro API accepts it in `filter=`: `;`/`and` binds
// tighter than `,`/`or`, parentheses, `==` with `*` wildcards, `!=`, `=in=`,
// `=out=`, `=lt=`, `=le=`, `=gt=`, `=ge=` (and `<`, `<=`, `>`, `>=`).

/** A parsed RSQL expression. */
export type RsqlNode =
  | { readonly type: 'and' | 'or'; readonly parts: readonly RsqlNode[] }
  | { readonly type: 'cmp'; readonly field: string; readonly op: string; readonly values: readonly string[] }

/** Raised for malformed filters. */
export class RsqlSyntaxError extends Error {
  override readonly name = 'RsqlSyntaxError'
}

const OPS = ['=in=', '=out=', '=lt=', '=le=', '=gt=', '=ge=', '==', '!=', '<=', '>=', '<', '>']

/**
 * Parses an RSQL filter.
 *
 * @throws {RsqlSyntaxError} when the text is not valid RSQL
 */
export function parseRsql(input: string): RsqlNode {
  let pos = 0
  const ws = (): void => {
    while (input[pos] === ' ') pos++
  }
  const keyword = (word: string): boolean => {
    ws()
    const re = new RegExp(`^${word}\\s`, 'i')
    if (re.test(input.slice(pos))) {
      pos += word.length
      return true
    }
    return false
  }
  const value = (): string => {
    ws()
    const q = input[pos]
    if (q === '"' || q === "'") {
      let out = ''
      pos++
      while (pos < input.length && input[pos] !== q) {
        if (input[pos] === '\\') pos++
        out += input[pos++]
      }
      if (input[pos] !== q) throw new RsqlSyntaxError('Unterminated quoted value')
      pos++
      return out
    }
    const m = /^[^;,()"' ]+/.exec(input.slice(pos))
    if (!m) throw new RsqlSyntaxError(`Expected a value at ${pos}`)
    pos += m[0].length
    return m[0]
  }
  const comparison = (): RsqlNode => {
    ws()
    if (input[pos] === '(') {
      pos++
      const inner = or()
      ws()
      if (input[pos] !== ')') throw new RsqlSyntaxError('Missing )')
      pos++
      return inner
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(input.slice(pos))
    if (!m) throw new RsqlSyntaxError(`Expected a field at ${pos}`)
    pos += m[0].length
    ws()
    const op = OPS.find((o) => input.startsWith(o, pos))
    if (!op) throw new RsqlSyntaxError(`Expected an operator after ${m[0]}`)
    pos += op.length
    ws()
    let values: string[]
    if (op === '=in=' || op === '=out=') {
      if (input[pos] !== '(') throw new RsqlSyntaxError(`${op} needs a list`)
      pos++
      values = [value()]
      ws()
      while (input[pos] === ',') {
        pos++
        values.push(value())
        ws()
      }
      if (input[pos] !== ')') throw new RsqlSyntaxError('Missing ) after list')
      pos++
    } else {
      values = [value()]
    }
    return { type: 'cmp', field: m[0], op, values }
  }
  const and = (): RsqlNode => {
    const parts = [comparison()]
    for (;;) {
      ws()
      if (input[pos] === ';') {
        pos++
        parts.push(comparison())
      } else if (keyword('and')) parts.push(comparison())
      else break
    }
    return parts.length === 1 ? parts[0]! : { type: 'and', parts }
  }
  const or = (): RsqlNode => {
    const parts = [and()]
    for (;;) {
      ws()
      if (input[pos] === ',') {
        pos++
        parts.push(and())
      } else if (keyword('or')) parts.push(and())
      else break
    }
    return parts.length === 1 ? parts[0]! : { type: 'or', parts }
  }
  const tree = or()
  ws()
  if (pos < input.length) throw new RsqlSyntaxError(`Unexpected '${input.slice(pos, pos + 10)}'`)
  return tree
}

/** Every field an expression mentions. */
export function rsqlFields(node: RsqlNode): string[] {
  return node.type === 'cmp' ? [node.field] : node.parts.flatMap(rsqlFields)
}

function matchWildcard(actual: string, pattern: string): boolean {
  if (!pattern.includes('*')) return actual.toLowerCase() === pattern.toLowerCase()
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return re.test(actual)
}

function order(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  if (a !== '' && b !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb
  const da = Date.parse(a)
  const db = Date.parse(b)
  if (!Number.isNaN(da) && !Number.isNaN(db)) return da - db
  return a < b ? -1 : a > b ? 1 : 0
}

/** Evaluates an expression; `get` returns a field's value as text (or undefined). */
export function evaluateRsql(
  node: RsqlNode,
  get: (field: string) => string | undefined,
  ignore?: ReadonlySet<string>,
): boolean {
  if (node.type === 'and') return node.parts.every((p) => evaluateRsql(p, get, ignore))
  if (node.type !== 'cmp') return node.parts.some((p) => evaluateRsql(p, get, ignore))
  if (ignore?.has(node.field)) return true
  const actual = get(node.field) ?? ''
  const v = node.values[0] ?? ''
  switch (node.op) {
    case '==':
      return matchWildcard(actual, v)
    case '!=':
      return !matchWildcard(actual, v)
    case '=in=':
      return node.values.some((x) => matchWildcard(actual, x))
    case '=out=':
      return !node.values.some((x) => matchWildcard(actual, x))
    case '=lt=':
    case '<':
      return order(actual, v) < 0
    case '=le=':
    case '<=':
      return order(actual, v) <= 0
    case '=gt=':
    case '>':
      return order(actual, v) > 0
    default:
      return order(actual, v) >= 0
  }
}
