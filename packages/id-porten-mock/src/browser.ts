import type { MockPerson } from './persons.js'
import type { AcrValue } from './types.js'

/** Which person and level to choose on the mock's login page. */
export interface LoginChoice {
  /** A person (object), its `id`, its national id, or an index into `mock.persons`. Default: the first. */
  readonly person?: MockPerson | string | number
  /** `substantial`, `high` or a full acr value. Default: what the page preselects (the requested level). */
  readonly level?: 'substantial' | 'high' | AcrValue
  /** Ansattporten: the organisation number to represent. Default: the first offered. */
  readonly organisation?: string
  /** Press "Avbryt" (cancel) instead: the client gets `access_denied`. */
  readonly cancel?: boolean
}

/** Where the login ended: the redirect (or form post) back to the client. */
export interface LoginResult {
  /** The callback URL, with the authorization response in its query (`response_mode=query`). */
  readonly url: URL
  /** The fields of the authorization response for `response_mode=form_post`. */
  readonly formPost?: Readonly<Record<string, string>>
  /** How many times the login page was answered (0 when single sign-on answered straight away). */
  readonly loginPages: number
}

/** A front-channel logout iframe the mock rendered, and how its load went. */
export interface FrameLoad {
  readonly url: URL
  /** HTTP status of loading the frame (undefined when not loaded or unreachable). */
  readonly status?: number
}

/** Where logout ended. */
export interface LogoutResult {
  /** The front-channel logout URLs (`iss` and `sid` in the query), one per client in the session. */
  readonly frontChannel: readonly FrameLoad[]
  /** Where the browser went at the end: the `post_logout_redirect_uri` (with `state`) or the mock's logged-out page. */
  readonly redirect: URL
}

/**
 * A page the {@link MockBrowser} could not get past (an error status, a level not offered, a loop).
 *
 * @example
 * ```ts
 * await expect(browser.login(url, { level: 'substantial' })).rejects.toThrow(MockBrowserError)
 * ```
 */
export class MockBrowserError extends Error {
  readonly status: number
  readonly url: string
  constructor(message: string, status: number, url: string) {
    super(message)
    this.name = 'MockBrowserError'
    this.status = status
    this.url = url
  }
}

interface Cookie {
  name: string
  value: string
  host: string
  path: string
  expires: number
}

interface ParsedForm {
  action: URL
  method: string
  fields: Map<string, string>
  radios: Map<string, string[]>
  checked: Map<string, string>
  buttons: { name: string; value: string }[]
}

const decode = (s: string): string =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

const attributes = (tag: string): Map<string, string> => {
  const out = new Map<string, string>()
  for (const m of tag.matchAll(/([a-zA-Z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    out.set((m[1] as string).toLowerCase(), decode(m[2] ?? m[3] ?? m[4] ?? ''))
  }
  return out
}

function parseForms(html: string, base: URL): ParsedForm[] {
  const forms: ParsedForm[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(m[1] as string)
    const inner = m[2] as string
    const form: ParsedForm = {
      action: new URL(attrs.get('action') ?? base.href, base),
      method: (attrs.get('method') ?? 'get').toUpperCase(),
      fields: new Map(),
      radios: new Map(),
      checked: new Map(),
      buttons: [],
    }
    for (const input of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const a = attributes(input[1] as string)
      const name = a.get('name')
      if (name === undefined) continue
      const type = (a.get('type') ?? 'text').toLowerCase()
      const value = a.get('value') ?? ''
      if (type === 'radio' || type === 'checkbox') {
        form.radios.set(name, [...(form.radios.get(name) ?? []), value])
        if (a.has('checked')) form.checked.set(name, value)
      } else {
        form.fields.set(name, value)
      }
    }
    for (const button of inner.matchAll(/<button\b([^>]*)>/gi)) {
      const a = attributes(button[1] as string)
      const name = a.get('name')
      if (name !== undefined) form.buttons.push({ name, value: a.get('value') ?? '' })
    }
    forms.push(form)
  }
  return forms
}

function metaRefresh(html: string, base: URL): URL | undefined {
  const m = /<meta\s+http-equiv="refresh"\s+content="\d+;url=([^"]+)"/i.exec(html)
  return m === null ? undefined : new URL(decode(m[1] as string), base)
}

/**
 * A minimal browser for tests: keeps cookies, follows redirects by hand and
 * fills in the mock's login, organisation and logout pages over real HTTP.
 * It does not run JavaScript (the mock's pages do not need it).
 *
 * @example
 * ```ts
 * const browser = new MockBrowser()
 * const { url } = await browser.login(authorizationUrl, { person: 0, level: 'high' })
 * const tokens = await authorizationCodeGrant(config, url, { pkceCodeVerifier, expectedState, expectedNonce })
 * ```
 */
export class MockBrowser {
  readonly #cookies: Cookie[] = []

  /** Forgets every cookie (a fresh browser profile). */
  clearCookies(): void {
    this.#cookies.length = 0
  }

  /**
   * `fetch` with this browser's cookies and without following redirects.
   *
   * @param input - The URL.
   * @param init - As for `fetch`; `redirect` is always `manual`.
   * @returns The response; its cookies are stored.
   */
  async fetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input)
    const headers = new Headers(init.headers)
    const cookie = this.#cookieHeader(url)
    if (cookie !== '') headers.set('cookie', cookie)
    const res = await fetch(url, { ...init, headers, redirect: 'manual' })
    this.#store(url, res.headers.getSetCookie())
    return res
  }

  /**
   * Follows an authorization URL through the mock until it redirects (or
   * form-posts) back to the client, answering the login page as `choice` says.
   *
   * @param authorizationUrl - From `buildAuthorizationUrl` or `buildAuthorizationUrlWithPAR`.
   * @param choice - Person, level, organisation, or cancel.
   * @returns The redirect back to the client and how many login pages were answered.
   * @throws MockBrowserError when a page answers with an error or the choice is not offered.
   */
  async login(authorizationUrl: string | URL, choice: LoginChoice = {}): Promise<LoginResult> {
    const start = new URL(authorizationUrl)
    const origin = start.origin
    let next: { url: URL; method: string; body?: URLSearchParams } = { url: start, method: 'GET' }
    let loginPages = 0
    for (let step = 0; step < 40; step++) {
      const res = await this.fetch(next.url, {
        method: next.method,
        ...(next.body === undefined ? {} : { body: next.body }),
      })
      const location = res.headers.get('location')
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel()
        const target = new URL(location, next.url)
        if (target.origin !== origin) return { url: target, loginPages }
        next = { url: target, method: 'GET' }
        continue
      }
      const html = await res.text()
      if (res.status >= 400 && !html.includes('name="person"')) {
        throw new MockBrowserError(
          `the mock answered ${res.status} at ${next.url.pathname}`,
          res.status,
          next.url.href,
        )
      }
      const forms = parseForms(html, next.url)
      const form = forms[0]
      const refresh = metaRefresh(html, next.url)
      if (form === undefined) {
        if (refresh !== undefined) {
          if (refresh.origin !== origin) return { url: refresh, loginPages }
          next = { url: refresh, method: 'GET' }
          continue
        }
        throw new MockBrowserError(`no form on the page at ${next.url.pathname}`, res.status, next.url.href)
      }
      const body = new URLSearchParams()
      for (const [k, v] of form.fields) body.set(k, v)
      for (const [k, v] of form.checked) body.set(k, v)
      if (form.radios.has('person')) {
        if (loginPages > 5)
          throw new MockBrowserError('the login page keeps coming back', res.status, next.url.href)
        loginPages++
        if (choice.cancel === true) {
          const cancel = new URLSearchParams({ action: 'cancel' })
          next = { url: form.action, method: 'POST', body: cancel }
          continue
        }
        body.set('person', this.#person(choice.person, form.radios.get('person') ?? [], html))
        if (choice.level !== undefined) {
          const level = choice.level.startsWith('idporten-') ? choice.level : `idporten-loa-${choice.level}`
          if (!(form.radios.get('level') ?? []).includes(level)) {
            throw new MockBrowserError(`level ${level} is not offered`, res.status, next.url.href)
          }
          body.set('level', level)
        }
        body.set('action', 'login')
      } else if (form.fields.get('step') === 'organisation') {
        if (choice.cancel === true) body.set('action', 'cancel')
        else {
          const offered = form.radios.get('organisation') ?? []
          if (choice.organisation !== undefined) {
            if (!offered.includes(choice.organisation)) {
              throw new MockBrowserError('that organisation is not offered', res.status, next.url.href)
            }
            body.set('organisation', choice.organisation)
          }
          body.set('action', 'login')
        }
      }
      if (form.action.origin !== origin) {
        return { url: form.action, formPost: Object.fromEntries(body), loginPages }
      }
      next = { url: form.action, method: form.method, body }
    }
    throw new MockBrowserError('too many steps', 0, start.href)
  }

  /**
   * Runs RP-initiated logout: GET `endSessionUrl` (or POST `form` to it, as an
   * auto-submitting form would), through the mock's logout pages. Loads each
   * front-channel iframe unless `loadFrames` is false (no cookies are sent to
   * them: third-party cookies do not arrive in iframes).
   *
   * @param endSessionUrl - The `end_session_endpoint` (with parameters when GET).
   * @param options - `form`: POST these fields instead; `loadFrames: false` to skip loading the iframes.
   * @returns The front-channel URLs (and their load status) and where the browser ended up.
   * @throws MockBrowserError when a page answers with an error.
   */
  async logout(
    endSessionUrl: string | URL,
    options: { readonly form?: Readonly<Record<string, string>>; readonly loadFrames?: boolean } = {},
  ): Promise<LogoutResult> {
    const start = new URL(endSessionUrl)
    const origin = start.origin
    const frames: FrameLoad[] = []
    let next: { url: URL; method: string; body?: URLSearchParams } =
      options.form === undefined
        ? { url: start, method: 'GET' }
        : { url: start, method: 'POST', body: new URLSearchParams({ ...options.form }) }
    for (let step = 0; step < 20; step++) {
      const res = await this.fetch(next.url, {
        method: next.method,
        ...(next.body === undefined ? {} : { body: next.body }),
      })
      const location = res.headers.get('location')
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel()
        const target = new URL(location, next.url)
        if (target.origin !== origin) return { frontChannel: frames, redirect: target }
        next = { url: target, method: 'GET' }
        continue
      }
      const html = await res.text()
      if (res.status >= 400) {
        throw new MockBrowserError(
          `the mock answered ${res.status} at ${next.url.pathname}`,
          res.status,
          next.url.href,
        )
      }
      const iframes = [...html.matchAll(/<iframe\b([^>]*)>/gi)]
        .map((m) => attributes(m[1] as string).get('src'))
        .filter((src): src is string => src !== undefined)
      for (const src of iframes) {
        const frameUrl = new URL(src, next.url)
        let status: number | undefined
        if (options.loadFrames !== false) {
          try {
            const frame = await fetch(frameUrl, { redirect: 'manual' })
            status = frame.status
            await frame.body?.cancel()
          } catch {
            status = undefined
          }
        }
        frames.push(status === undefined ? { url: frameUrl } : { url: frameUrl, status })
      }
      const refresh = metaRefresh(html, next.url)
      if (refresh !== undefined) {
        if (refresh.origin !== origin) return { frontChannel: frames, redirect: refresh }
        next = { url: refresh, method: 'GET' }
        continue
      }
      const form = parseForms(html, next.url)[0]
      if (form !== undefined) {
        const body = new URLSearchParams()
        for (const [k, v] of form.fields) body.set(k, v)
        if (form.action.origin !== origin) return { frontChannel: frames, redirect: form.action }
        next = { url: form.action, method: form.method, body }
        continue
      }
      return { frontChannel: frames, redirect: next.url }
    }
    throw new MockBrowserError('too many steps', 0, start.href)
  }

  #person(person: LoginChoice['person'], offered: readonly string[], html: string): string {
    if (person === undefined) {
      const first = offered[0]
      if (first === undefined) throw new MockBrowserError('no persons on the login page', 200, '')
      return first
    }
    if (typeof person === 'number') {
      const id = offered[person]
      if (id === undefined) throw new MockBrowserError(`no person at index ${person}`, 200, '')
      return id
    }
    if (typeof person === 'object') return person.id
    if (offered.includes(person)) return person
    // A national id: find the radio whose label shows it.
    const m = new RegExp(`value="([^"]+)"[^>]*>\\s*<label[^>]*>(?:(?!</label>)[\\s\\S])*${person}`).exec(html)
    if (m === null) throw new MockBrowserError('that person is not on the login page', 200, '')
    return decode(m[1] as string)
  }

  #cookieHeader(url: URL): string {
    const now = Date.now()
    return this.#cookies
      .filter((c) => c.host === url.hostname && url.pathname.startsWith(c.path) && c.expires > now)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
  }

  #store(url: URL, setCookies: readonly string[]): void {
    for (const header of setCookies) {
      const [pair = '', ...attrs] = header.split(';')
      const eq = pair.indexOf('=')
      if (eq < 1) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      let path = '/'
      let expires = Number.POSITIVE_INFINITY
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=', 2).map((s) => s.trim())
        const key = k.toLowerCase()
        if (key === 'path' && v.startsWith('/')) path = v
        else if (key === 'max-age') expires = Date.now() + Number(v) * 1000
        else if (key === 'expires' && expires === Number.POSITIVE_INFINITY) expires = Date.parse(v)
      }
      const index = this.#cookies.findIndex(
        (c) => c.name === name && c.host === url.hostname && c.path === path,
      )
      if (index !== -1) this.#cookies.splice(index, 1)
      if (expires > Date.now() && value !== '')
        this.#cookies.push({ name, value, host: url.hostname, path, expires })
    }
  }
}
