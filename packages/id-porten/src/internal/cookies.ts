/** @internal Attributes of a cookie this package sets. */
export interface CookieAttributes {
  readonly secure: boolean
  readonly maxAge?: number
  readonly sameSite?: 'Lax' | 'Strict'
  readonly path?: string
}

/**
 * @internal Reads one cookie from a `Cookie` header without building a map:
 * session lookup runs on every request.
 */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined
  let start = 0
  const len = header.length
  while (start < len) {
    let end = header.indexOf(';', start)
    if (end === -1) end = len
    let i = start
    while (i < end && header.charCodeAt(i) === 32) i++
    const eq = header.indexOf('=', i)
    if (eq !== -1 && eq < end && eq - i === name.length && header.startsWith(name, i)) {
      let value = header.slice(eq + 1, end).trim()
      if (value.length >= 2 && value.charCodeAt(0) === 34 && value.charCodeAt(value.length - 1) === 34) {
        value = value.slice(1, -1)
      }
      return value
    }
    start = end + 1
  }
  return undefined
}

/** @internal Names of all cookies in a header that start with a prefix. */
export function cookieNamesWithPrefix(header: string | null | undefined, prefix: string): string[] {
  if (!header) return []
  const names: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    const name = (eq === -1 ? part : part.slice(0, eq)).trim()
    if (name.startsWith(prefix)) names.push(name)
  }
  return names
}

/** @internal Serialises a Set-Cookie value: always HttpOnly, Path=/ unless given, SameSite=Lax unless given. */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes): string {
  let out = `${name}=${value}; Path=${attributes.path ?? '/'}; HttpOnly; SameSite=${attributes.sameSite ?? 'Lax'}`
  if (attributes.secure) out += '; Secure'
  if (attributes.maxAge !== undefined) out += `; Max-Age=${Math.max(0, Math.floor(attributes.maxAge))}`
  return out
}

/** @internal A Set-Cookie value that deletes the cookie. */
export function clearCookie(name: string, attributes: CookieAttributes): string {
  return `${serializeCookie(name, '', { ...attributes, maxAge: 0 })}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`
}
