import { scrubNationalIds } from '@felles/identifiers'

/**
 * What replaces a secret in text, headers and bodies.
 *
 * @example
 * ```ts
 * if (redactHeaders(headers).authorization === REDACTED) console.log('authorization was set')
 * ```
 */
export const REDACTED = '[REDACTED]'

// Header names whose values are secrets, and fragments that make any header or
// body key one (IntegrasjonPassord, x-api-key, client_secret, access_token, …).
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie'])
const SECRET_KEY =
  /pass(?:word|ord|wd)?|secret|token|assertion|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|credential|session/i
const SCHEMES = 'bearer|basic|digest|negotiate|ntlm|dpop'
const SCHEME_VALUE = new RegExp(`\\b(${SCHEMES})\\s+[A-Za-z0-9\\-._~+/]+=*`, 'gi')
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
const KEY_VALUE = new RegExp(
  `(["']?)([\\w-]*(?:pass(?:word|ord|wd)?|secret|token|assertion|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|credential)[\\w-]*)\\1(\\s*[:=]\\s*)("[^"]*"|'[^']*'|(?:(?:${SCHEMES})\\s+)?[^\\s&,;"'}<>]+)`,
  'gi',
)

/**
 * Removes secrets and personal data from free text (error messages, bodies,
 * log lines): every checksum-valid national identity number, credentials
 * after an auth scheme (`Bearer …`, `Basic …`), JWTs, and the value of any
 * `key=value` or `"key": "value"` pair whose key names a password, token,
 * secret, cookie or API key (`IntegrasjonPassord`, `access_token`, …).
 *
 * @param text - Any text.
 * @returns The text with each secret replaced by `[REDACTED]` and each national identity number by stars.
 * @example
 * ```ts
 * redactText('IntegrasjonPassord: hunter2 for 21879498012')
 * // 'IntegrasjonPassord: [REDACTED] for ***********'
 * ```
 * @see https://owasp.org/www-project-application-security-verification-standard/ (ASVS V16, logging)
 */
export function redactText(text: string): string {
  let out = scrubNationalIds(text)
  if (!/[:=]|bearer|basic|digest|negotiate|ntlm|dpop|eyJ/i.test(out)) return out
  out = out.replace(KEY_VALUE, (match: string, quote: string, key: string, sep: string, value: string) => {
    if (value === '***') return match // already redacted by redactUrl
    const q = value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : ''
    return `${quote}${key}${quote}${sep}${q}${REDACTED}${q}`
  })
  out = out.replace(SCHEME_VALUE, (_m, scheme: string) => `${scheme} ${REDACTED}`)
  return out.replace(JWT, REDACTED)
}

/**
 * Makes a URL safe to log: drops user info and fragment, keeps each query
 * parameter's name but replaces its value with `***`, and scrubs national
 * identity numbers from the path.
 *
 * @param url - An absolute or relative URL.
 * @returns The redacted URL.
 * @example
 * ```ts
 * redactUrl('https://api.example.no/v1/users?token=abc&top=10') // 'https://api.example.no/v1/users?token=***&top=***'
 * ```
 */
export function redactUrl(url: string | URL): string {
  const text = String(url)
  const hash = text.indexOf('#')
  const withoutHash = hash >= 0 ? text.slice(0, hash) : text
  const q = withoutHash.indexOf('?')
  let head = q >= 0 ? withoutHash.slice(0, q) : withoutHash
  head = head.replace(/^([a-z][a-z\d+\-.]*:\/\/)[^/@]*@/i, '$1')
  let search = ''
  if (q >= 0) {
    const names = withoutHash
      .slice(q + 1)
      .split('&')
      .filter((pair) => pair !== '')
      .map((pair) => {
        const eq = pair.indexOf('=')
        return `${eq >= 0 ? pair.slice(0, eq) : pair}=***`
      })
    if (names.length > 0) search = `?${names.join('&')}`
  }
  return scrubNationalIds(head) + scrubNationalIds(search)
}

/**
 * Whether a header's value is a secret: `Authorization`, `Cookie`,
 * `Set-Cookie`, and any header whose name mentions a password (`passord`),
 * token, secret, API key or session, plus the names in `extra`.
 *
 * @param name - A header name (any case).
 * @param extra - More header names to treat as secret.
 * @returns `true` for a secret header.
 * @example
 * ```ts
 * isSensitiveHeader('IntegrasjonPassord') // true
 * ```
 */
export function isSensitiveHeader(name: string, extra?: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase()
  return SECRET_HEADERS.has(lower) || SECRET_KEY.test(lower) || (extra?.has(lower) ?? false)
}

/**
 * Copies headers into a plain object that is safe to log: secret headers
 * (see {@link isSensitiveHeader}) become `[REDACTED]`, other values are
 * scrubbed with {@link redactText}.
 *
 * @param headers - Headers in any `HeadersInit` form.
 * @param extra - More header names to treat as secret.
 * @returns A new object with lower-case names.
 * @example
 * ```ts
 * redactHeaders({ Authorization: 'Bearer abc', Accept: 'application/json' })
 * // { authorization: '[REDACTED]', accept: 'application/json' }
 * ```
 */
export function redactHeaders(headers: HeadersInit, extra?: readonly string[]): Record<string, string> {
  const set = extra === undefined ? undefined : new Set(extra.map((h) => h.toLowerCase()))
  const out: Record<string, string> = {}
  new Headers(headers).forEach((value, name) => {
    out[name] = isSensitiveHeader(name, set) ? REDACTED : redactText(value)
  })
  return out
}

/**
 * Deep-copies a parsed body with every secret-named key's value replaced and
 * every string scrubbed, for error objects and logs. Depth and size are bounded.
 *
 * @internal
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth >= 16) return REDACTED
  if (Array.isArray(value)) return value.slice(0, 1_000).map((v) => redactValue(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && v !== null && typeof v !== 'object' ? REDACTED : redactValue(v, depth + 1)
  }
  return out
}
