// A minimal cookie-keeping HTTP client that behaves like a browser for
// redirects and forms, so login and logout flows run over real HTTP.

interface StoredCookie {
  name: string
  value: string
  host: string
  path: string
  expires: number | undefined
}

export interface Hop {
  readonly url: string
  readonly status: number
}

export interface Page {
  readonly url: string
  readonly status: number
  readonly headers: Headers
  readonly body: string
  /** Every response on the way, including redirects. */
  readonly hops: readonly Hop[]
}

export interface FormData {
  readonly action: string
  readonly method: string
  readonly fields: Record<string, string>
}

export class Browser {
  readonly cookies: StoredCookie[] = []
  /** Every Set-Cookie header received, raw. */
  readonly setCookies: string[] = []

  cookieHeader(url: string): string {
    const u = new URL(url)
    const now = Date.now()
    return this.cookies
      .filter(
        (c) =>
          c.host === u.hostname &&
          u.pathname.startsWith(c.path) &&
          (c.expires === undefined || c.expires > now),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
  }

  cookie(name: string, host = '127.0.0.1'): string | undefined {
    return this.cookies.find((c) => c.name === name && c.host === host)?.value
  }

  setCookie(host: string, name: string, value: string, path = '/'): void {
    this.#store({ name, value, host, path, expires: undefined })
  }

  #store(cookie: StoredCookie): void {
    const i = this.cookies.findIndex(
      (c) => c.name === cookie.name && c.host === cookie.host && c.path === cookie.path,
    )
    if (i !== -1) this.cookies.splice(i, 1)
    if (cookie.expires === undefined || cookie.expires > Date.now()) this.cookies.push(cookie)
  }

  #absorb(url: string, headers: Headers): void {
    const u = new URL(url)
    for (const raw of headers.getSetCookie()) {
      this.setCookies.push(raw)
      const [pair = '', ...attrs] = raw.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      let path = '/'
      let expires: number | undefined
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=')
        const key = k.trim().toLowerCase()
        if (key === 'path') path = v.trim()
        if (key === 'max-age') expires = Date.now() + Number(v) * 1000 - (Number(v) <= 0 ? 1 : 0)
        if (key === 'expires' && expires === undefined) expires = Date.parse(v)
      }
      this.#store({ name, value, host: u.hostname, path, expires })
    }
  }

  /** One request, no redirect following. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const cookie = this.cookieHeader(url)
    if (cookie !== '' && !headers.has('cookie')) headers.set('cookie', cookie)
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    this.#absorb(url, response.headers)
    return response
  }

  /**
   * Follows redirects (303/302/301 become GET). `stopAt` ends the walk before
   * requesting a URL that matches (the callback, to tamper with it).
   */
  async navigate(
    url: string,
    init: RequestInit = {},
    options: { stopAt?: (url: URL) => boolean; max?: number } = {},
  ): Promise<Page> {
    const hops: Hop[] = []
    let current = url
    let currentInit = init
    for (let i = 0; i < (options.max ?? 20); i++) {
      if (i > 0 && options.stopAt?.(new URL(current))) {
        return { url: current, status: 0, headers: new Headers(), body: '', hops }
      }
      const response = await this.request(current, currentInit)
      hops.push({ url: current, status: response.status })
      const location = response.headers.get('location')
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel()
        current = new URL(location, current).href
        currentInit = response.status === 307 || response.status === 308 ? currentInit : {}
        continue
      }
      return {
        url: current,
        status: response.status,
        headers: response.headers,
        body: await response.text(),
        hops,
      }
    }
    throw new Error(`too many redirects from ${url}`)
  }

  /** Submits a form like a browser: urlencoded POST (or GET). */
  async submit(
    form: FormData,
    overrides: Record<string, string> = {},
    options: { stopAt?: (url: URL) => boolean } = {},
  ): Promise<Page> {
    const body = new URLSearchParams({ ...form.fields, ...overrides })
    if (form.method.toUpperCase() === 'GET') {
      const u = new URL(form.action)
      u.search = body.toString()
      return this.navigate(u.href, {}, options)
    }
    return this.navigate(
      form.action,
      {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(form.action).origin },
      },
      options,
    )
  }
}

const decode = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

/** The first form on a page (or the one whose HTML matches `match`), with its hidden and checked fields. */
export function readForm(page: Page, match?: RegExp): FormData {
  const forms = [...page.body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)]
  const form = match === undefined ? forms[0] : forms.find((f) => match.test(f[0]))
  if (form === undefined)
    throw new Error(`no form on ${page.url} (status ${page.status}): ${page.body.slice(0, 300)}`)
  const attrs = form[1] ?? ''
  const action = decode(/action="([^"]*)"/.exec(attrs)?.[1] ?? page.url)
  const method = /method="([^"]*)"/.exec(attrs)?.[1] ?? 'GET'
  const fields: Record<string, string> = {}
  for (const input of (form[2] ?? '').matchAll(/<input\b([^>]*)>/g)) {
    const a = input[1] ?? ''
    const name = /name="([^"]*)"/.exec(a)?.[1]
    if (name === undefined) continue
    const type = /type="([^"]*)"/.exec(a)?.[1] ?? 'text'
    if ((type === 'radio' || type === 'checkbox') && !/\bchecked\b/.test(a)) continue
    fields[decode(name)] = decode(/value="([^"]*)"/.exec(a)?.[1] ?? '')
  }
  return { action: new URL(action, page.url).href, method, fields }
}

/** Values of every radio input with this name. */
export function radioValues(page: Page, name: string): string[] {
  return [...page.body.matchAll(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g'))].map((m) =>
    decode(/value="([^"]*)"/.exec(m[0])?.[1] ?? ''),
  )
}
