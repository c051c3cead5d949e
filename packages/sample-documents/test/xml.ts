/**
 * A small well-formedness check for the SVG and HTML the charts produce:
 * tags nest and close, attributes are quoted and unique, and `&` only starts
 * a known entity. Returns the problems found (none for good markup).
 */
export function xmlProblems(markup: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|>|&(?!(?:amp|lt|gt|quot|#39);)/g
  let last = 0
  for (const match of markup.matchAll(token)) {
    const [whole, closing, name, attributes, selfClosing] = match
    if (name === undefined) {
      problems.push(`stray ${JSON.stringify(whole)} at ${match.index}`)
      continue
    }
    const seen = new Set<string>()
    for (const attr of (attributes ?? '').matchAll(/([\w:-]+)="/g)) {
      if (seen.has(attr[1] ?? '')) problems.push(`duplicate attribute ${attr[1]} on <${name}>`)
      seen.add(attr[1] ?? '')
    }
    if (closing === '/') {
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open}>`)
    } else if (selfClosing !== '/') {
      stack.push(name)
    }
    last = (match.index ?? 0) + whole.length
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`)
  if (last === 0) problems.push('no elements')
  return problems
}
