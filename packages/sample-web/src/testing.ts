// Test helpers of the sample apps: Debian's Chromium through playwright-core
// (never a downloaded browser), axe-core checks, screenshots, and an HTTP
// "browser" that logs in through the identity mock's login page.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type LoginChoice, MockBrowser } from '@felles/id-porten-mock'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** The flags the kit launches Chromium with. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Whether Debian's Chromium is installed. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH)
}

/**
 * `describe` for browser tests: skipped with a clear message when Chromium is
 * missing, but failing when `CI` is set (CI must have it).
 *
 * @param title - The suite's title.
 * @param body - The suite.
 */
export function describeBrowser(title: string, body: () => void): void {
  if (chromiumAvailable()) {
    describe(title, body)
    return
  }
  if (process.env.CI) {
    describe(title, () => {
      throw new Error(
        `${CHROMIUM_PATH} is missing and CI is set: install it with apt-get install -y chromium`,
      )
    })
    return
  }
  describe.skip(`${title} — SKIPPED: ${CHROMIUM_PATH} not found (apt-get install -y chromium)`, body)
}

/**
 * Launches Debian's Chromium headless with the kit's flags. Playwright gives
 * every launch a new temporary profile (user data dir) and removes it on close.
 *
 * @returns The browser; close it in `afterAll`.
 * @throws Error when Chromium is missing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!chromiumAvailable()) throw new Error(`${CHROMIUM_PATH} not found (apt-get install -y chromium)`)
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] })
}

/** One axe-core violation, reduced to what a failing test should print. */
export interface AxeViolation {
  readonly id: string
  readonly impact: string | null | undefined
  readonly help: string
  readonly targets: readonly string[]
}

let axeSource: string | undefined

/**
 * Runs axe-core (all default rules) on the page as it is now. The script is
 * evaluated through the DevTools protocol, so the page's CSP stays as strict
 * as in production.
 *
 * @param page - A loaded page.
 * @returns The violations (expect `[]`).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (axeSource === undefined) {
    const require = createRequire(import.meta.url)
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
  }
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[] }[] }[]
    }
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.map(String).join(' ')),
    }))
  })
}

/**
 * Saves a full-page screenshot to `<appDir>/test-results/<name>.png`.
 *
 * @param page - The page.
 * @param appDir - The app's folder (e.g. `fileURLToPath(new URL('..', import.meta.url))`).
 * @param name - File name without extension.
 * @returns The file's path.
 */
export async function screenshot(page: Page, appDir: string, name: string): Promise<string> {
  const dir = join(appDir, 'test-results')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** A clock whose time can be moved forward and back (pass it as the app's `clock`). */
export interface OffsetClock {
  now(): number
  advance(ms: number): void
  reset(): void
}

/**
 * The system clock plus an offset: move an app's session clock past the idle
 * limit, then `reset()` so the next login's tokens (stamped with the real
 * clock by the mock) are valid again.
 *
 * @returns The clock.
 */
export function createOffsetClock(): OffsetClock {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms
    },
    reset: () => {
      offset = 0
    },
  }
}

/** A response with its body read. */
export interface AgentResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The final URL (after redirects were followed, when they were). */
  readonly url: string
}

/**
 * An HTTP "browser" for an app: keeps cookies (for the app and the identity
 * mock), follows redirects when asked, logs in through the mock's login page
 * and logs out through the provider, all without JavaScript.
 *
 * @example
 * ```ts
 * const agent = new AppAgent(app.url)
 * await agent.login({ person: 0, returnTo: '/saker' })
 * const page = await agent.get('/saker')
 * ```
 */
export class AppAgent {
  readonly base: string
  readonly browser: MockBrowser
  /** Every URL this agent requested (check that none holds a national identity number). */
  readonly visited: string[] = []
  /** Every `Set-Cookie` header the app sent, in order. */
  readonly setCookies: string[] = []

  /**
   * @param base - The app's origin.
   * @param browser - Share another agent's cookies (the same browser talking to a restarted app).
   */
  constructor(base: string, browser: MockBrowser = new MockBrowser()) {
    this.base = base.replace(/\/$/, '')
    this.browser = browser
  }

  /**
   * The last value the app set for a cookie (`undefined` when never set or cleared).
   *
   * @param name - Cookie name.
   */
  cookie(name: string): string | undefined {
    for (let i = this.setCookies.length - 1; i >= 0; i--) {
      const header = this.setCookies[i] as string
      if (header.startsWith(`${name}=`)) {
        const value = header.slice(name.length + 1).split(';')[0] ?? ''
        return value === '' || /max-age=0/i.test(header) ? undefined : value
      }
    }
    return undefined
  }

  /** Forgets every cookie. */
  clearCookies(): void {
    this.browser.clearCookies()
  }

  /**
   * One request, no redirects followed.
   *
   * @param path - Path on the app, or an absolute URL.
   * @param init - As for `fetch`.
   */
  async request(path: string, init: RequestInit = {}): Promise<AgentResponse> {
    const url = new URL(path, `${this.base}/`)
    this.visited.push(url.href)
    const res = await this.browser.fetch(url, init)
    if (url.origin === new URL(this.base).origin) this.setCookies.push(...res.headers.getSetCookie())
    const location = res.headers.get('location')
    if (location !== null) this.visited.push(new URL(location, url).href)
    return { status: res.status, headers: res.headers, text: await res.text(), url: url.href }
  }

  /**
   * GET, following redirects within the app (at most 10).
   *
   * @param path - Path on the app.
   * @param headers - Extra request headers.
   */
  async get(path: string, headers: Record<string, string> = {}): Promise<AgentResponse> {
    let url = new URL(path, `${this.base}/`).href
    for (let i = 0; i < 10; i++) {
      const res = await this.request(url, { headers })
      const location = res.headers.get('location')
      if (res.status < 300 || res.status >= 400 || location === null) return res
      const next = new URL(location, url)
      if (next.origin !== new URL(this.base).origin) return res
      url = next.href
    }
    throw new Error('AppAgent.get: too many redirects')
  }

  /**
   * POST a form (urlencoded) with the page's CSRF token added unless given.
   *
   * @param path - The form's action.
   * @param fields - The fields.
   * @param headers - Extra headers (e.g. a forged `origin`).
   */
  async post(
    path: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): Promise<AgentResponse> {
    return this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    })
  }

  /**
   * The CSRF token on a page (the hidden `csrf` field).
   *
   * @param path - A page with a form. Default `/`.
   */
  async csrf(path = '/'): Promise<string> {
    const page = await this.get(path)
    const m = /name="csrf" value="([^"]+)"/.exec(page.text)
    if (m === null) throw new Error(`no CSRF field on ${path}`)
    return m[1] as string
  }

  /**
   * Logs in through the identity mock's login page.
   *
   * @param options - Person and level (as `MockBrowser.login`), the path to come back to, and the level to ask for.
   * @returns The page the app lands on after login (redirects followed).
   */
  async login(
    options: LoginChoice & { readonly returnTo?: string; readonly acr?: string } = {},
  ): Promise<AgentResponse> {
    const params = new URLSearchParams({ returnTo: options.returnTo ?? '/' })
    if (options.acr !== undefined) params.set('acr_values', options.acr)
    return this.loginFrom(`/auth/login?${params}`, options)
  }

  /**
   * Follows a path that leads to login (a protected page, a step-up) through
   * the mock's login page and back.
   *
   * @param path - E.g. `/saker/abc` (redirects to login) or `/auth/login?…`.
   * @param choice - Person and level.
   * @returns The page the app lands on.
   */
  async loginFrom(path: string, choice: LoginChoice = {}): Promise<AgentResponse> {
    let url = new URL(path, `${this.base}/`).href
    const appOrigin = new URL(this.base).origin
    for (let i = 0; i < 10; i++) {
      const res = await this.request(url)
      const location = res.headers.get('location')
      if (res.status < 300 || res.status >= 400 || location === null) {
        throw new Error(`AppAgent.loginFrom: no redirect to the identity provider (status ${res.status})`)
      }
      const next = new URL(location, url)
      if (next.origin === appOrigin) {
        url = next.href
        continue
      }
      const result = await this.browser.login(next, choice)
      this.visited.push(result.url.href)
      return this.get(result.url.href)
    }
    throw new Error('AppAgent.loginFrom: too many redirects')
  }

  /**
   * Logs out through the provider (RP-initiated logout, front-channel frames
   * loaded) and follows the way back to the app.
   *
   * @returns The page the app shows after logout.
   */
  async logout(): Promise<AgentResponse> {
    const csrf = await this.csrf('/')
    const page = await this.post('/auth/logout', { csrf })
    if (page.status !== 200) return page
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.text)
    if (form === null) throw new Error('AppAgent.logout: no logout form')
    const fields: Record<string, string> = {}
    for (const m of (form[2] as string).matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      fields[m[1] as string] = decodeEntities(m[2] as string)
    }
    const result = await this.browser.logout(decodeEntities(form[1] as string), { form: fields })
    return this.get(result.redirect.href)
  }
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/** Eleven digits in a row: the shape of a fødselsnummer or D-nummer. */
export const NATIONAL_ID_SHAPE: RegExp = /(?<!\d)\d{11}(?!\d)/

/** What {@link securitySuite} needs from the running app, read when each test runs. */
export interface SecuritySuiteContext {
  /** The app's origin. */
  readonly appUrl: string
  /** The identity provider's issuer (the mock's; for the front-channel tests). */
  readonly issuer: string
  /** The clock the app's `createAuth` was given. */
  readonly clock: OffsetClock
  /** The app's log lines (a sink that collects them). */
  readonly logs: readonly { readonly event: string }[]
  /** The session cookie's name (`auth.sessionCookieName`). */
  readonly sessionCookieName: string
}

/** Options for {@link securitySuite}. */
export interface SecuritySuiteOptions {
  /** The running app (read lazily, after `beforeAll`). */
  readonly context: () => SecuritySuiteContext
  /** GET pages that need a session. The first one is used for most checks. */
  readonly personalPaths: readonly string[]
  /** GET pages without login. Default `['/']`. */
  readonly publicPaths?: readonly string[]
  /** Who logs in (a mock person and level). Default the first person. */
  readonly person?: LoginChoice
  /** A second person. Default the second person. */
  readonly otherPerson?: LoginChoice
  /**
   * Paths of things that belong to `otherPerson` (their case, their letter),
   * found after both have logged in once; `hidden` are strings (their national
   * id, their name) that must appear in no log line.
   */
  readonly foreign?: () => Promise<{ readonly paths: readonly string[]; readonly hidden: readonly string[] }>
  /** State-changing forms of the app besides logout (POST without CSRF must fail). */
  readonly forms?: readonly { readonly path: string; readonly fields?: Readonly<Record<string, string>> }[]
  /** The app's idle and absolute session limits. Default 30 and 120 minutes. */
  readonly idleMs?: number
  readonly absoluteMs?: number
}

const BAD_RETURN_TO = [
  '//evil.example',
  '/\\evil.example',
  'https://evil.example',
  '%2F%2Fevil.example',
  'javascript:alert(1)',
  '/ok\r\nSet-Cookie: x=y',
]

/**
 * Registers security.md cases 37–45 as vitest tests over HTTP against an app
 * started by the caller (with the kit, against the identity mock). Call it
 * inside a `describe` whose `beforeAll` starts the app.
 *
 * @param options - The app's routes and how to reach it.
 */
export function securitySuite(options: SecuritySuiteOptions): void {
  const me = options.person ?? { person: 0 }
  const other = options.otherPerson ?? { person: 1 }
  const personal = options.personalPaths[0] as string
  const publicPaths = options.publicPaths ?? ['/']
  const idle = options.idleMs ?? 30 * 60_000
  const absolute = options.absoluteMs ?? 120 * 60_000
  const loggedIn = async (): Promise<AppAgent> => {
    const agent = new AppAgent(options.context().appUrl)
    await agent.loginFrom(personal, me)
    return agent
  }
  const canSee = async (agent: AppAgent, path = personal): Promise<boolean> =>
    (await agent.request(path)).status === 200

  it('37: the session id changes at login and the old id is dead afterwards', async () => {
    const ctx = options.context()
    const agent = new AppAgent(ctx.appUrl)
    await agent.get('/')
    await agent.loginFrom(personal, me)
    const first = agent.cookie(ctx.sessionCookieName)
    expect(first).toBeDefined()
    await agent.loginFrom(`/auth/login?prompt=login&returnTo=${encodeURIComponent(personal)}`, me)
    const second = agent.cookie(ctx.sessionCookieName)
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    const stale = await fetch(new URL(personal, ctx.appUrl), {
      headers: { cookie: `${ctx.sessionCookieName}=${first}` },
      redirect: 'manual',
    })
    expect(stale.status).not.toBe(200)
    await stale.body?.cancel()
  })

  it('38: the session cookie is HttpOnly, SameSite=Lax, Path=/ (Secure and __Host- on https)', async () => {
    const ctx = options.context()
    const agent = await loggedIn()
    const header = agent.setCookies.filter((h) => h.startsWith(`${ctx.sessionCookieName}=`)).at(-1) ?? ''
    expect(header).toMatch(/;\s*HttpOnly/i)
    expect(header).toMatch(/;\s*SameSite=Lax/i)
    expect(header).toMatch(/;\s*Path=\//i)
    if (ctx.appUrl.startsWith('https:')) {
      expect(header).toMatch(/;\s*Secure/i)
      expect(ctx.sessionCookieName.startsWith('__Host-')).toBe(true)
    }
  })

  it('39: returnTo values that leave the site fall back to /', async () => {
    const ctx = options.context()
    for (const bad of BAD_RETURN_TO) {
      const agent = new AppAgent(ctx.appUrl)
      const landed = await agent.loginFrom(`/auth/login?returnTo=${encodeURIComponent(bad)}`, me)
      expect(new URL(landed.url).origin).toBe(new URL(ctx.appUrl).origin)
      expect(new URL(landed.url).pathname).toBe('/')
    }
  })

  it('40: GET /auth/logout and forged POSTs have no effect; logout is a POST with the CSRF token', async () => {
    const agent = await loggedIn()
    expect((await agent.request('/auth/logout')).status).toBe(405)
    expect(await canSee(agent)).toBe(true)
    expect((await agent.post('/auth/logout', {})).status).toBe(403)
    const csrf = await agent.csrf(personal)
    expect((await agent.post('/auth/logout', { csrf }, { origin: 'https://evil.example' })).status).toBe(403)
    expect((await agent.post('/auth/logout', { csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
    expect(await canSee(agent)).toBe(true)
    const out = await agent.post('/auth/logout', { csrf })
    expect(out.status).toBe(200)
    expect(await canSee(agent)).toBe(false)
  })

  it('41: front-channel logout ignores a wrong iss or unknown sid, ends only that sid, may be framed only by the provider', async () => {
    const ctx = options.context()
    const a = await loggedIn()
    const b = new AppAgent(ctx.appUrl)
    await b.loginFrom(personal, other)
    const wrongIss = await a.request(
      `/auth/frontchannel-logout?iss=${encodeURIComponent('https://evil.example')}&sid=x`,
    )
    expect(wrongIss.status).toBe(200)
    expect(wrongIss.headers.get('cache-control')).toBe('no-store')
    const fa = wrongIss.headers.get('content-security-policy') ?? ''
    expect(fa).toContain('frame-ancestors')
    expect(fa).toContain(new URL(ctx.issuer).origin)
    expect(fa).not.toContain("'none'")
    await a.request(`/auth/frontchannel-logout?iss=${encodeURIComponent(ctx.issuer)}&sid=unknown-sid`)
    expect(await canSee(a)).toBe(true)
    // Single logout started elsewhere: a logs out at the provider, which loads our front-channel URL.
    const result = await a.browser.logout(`${ctx.issuer}/logout`)
    expect(
      result.frontChannel.some((f) => f.url.origin === new URL(ctx.appUrl).origin && f.status === 200),
    ).toBe(true)
    expect(await canSee(a)).toBe(false)
    expect(await canSee(b)).toBe(true)
    // Every other page forbids framing.
    expect((await a.request('/')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
  })

  it('42: idle and absolute limits; personal pages are no-store; nothing personal after logout', async () => {
    const ctx = options.context()
    try {
      const agent = await loggedIn()
      for (const path of options.personalPaths) {
        const page = await agent.request(path)
        expect(page.status).toBe(200)
        expect(page.headers.get('cache-control')).toBe('no-store')
      }
      ctx.clock.advance(idle + 1_000)
      expect(await canSee(agent)).toBe(false)
      ctx.clock.reset()

      const busy = await loggedIn()
      let moved = 0
      while (moved + idle / 2 < absolute) {
        ctx.clock.advance(idle / 2)
        moved += idle / 2
        expect(await canSee(busy)).toBe(true)
      }
      ctx.clock.advance(absolute - moved + 1_000)
      expect(await canSee(busy)).toBe(false)
    } finally {
      ctx.clock.reset()
    }
    const agent = await loggedIn()
    const before = await agent.request(personal)
    await agent.logout()
    const after = await agent.request(personal)
    expect(after.status).not.toBe(200)
    expect(after.text.length === 0 || !after.text.includes(before.text.slice(0, 2000))).toBe(true)
  })

  it('43: error pages show no stack, token or identifier; no national id in any URL', async () => {
    const ctx = options.context()
    const agent = await loggedIn()
    const missing = await agent.get(`/finnes-ikke-${Date.now()}`)
    expect(missing.status).toBe(404)
    expect(missing.text).not.toMatch(/\sat \S+ \(.+:\d+:\d+\)|\w*Error:|eyJ[\w-]{10,}\./)
    expect(missing.text).not.toMatch(NATIONAL_ID_SHAPE)
    for (const path of options.personalPaths) await agent.get(path)
    await agent.logout()
    expect(agent.visited.filter((u) => NATIONAL_ID_SHAPE.test(u))).toEqual([])
    expect(ctx.logs.filter((l) => NATIONAL_ID_SHAPE.test(JSON.stringify(l)))).toEqual([])
  })

  it.skipIf(options.foreign === undefined)(
    "44: another person's things answer 404, and the attempt is logged without their identifier",
    async () => {
      const ctx = options.context()
      const owner = new AppAgent(ctx.appUrl)
      await owner.loginFrom(personal, other)
      const foreign = await (options.foreign as NonNullable<SecuritySuiteOptions['foreign']>)()
      expect(foreign.paths.length).toBeGreaterThan(0)
      for (const path of foreign.paths) expect((await owner.request(path)).status).toBe(200)
      const agent = await loggedIn()
      const before = ctx.logs.length
      for (const path of foreign.paths) {
        const page = await agent.request(path)
        expect(page.status).toBe(404)
        for (const secret of foreign.hidden) expect(page.text).not.toContain(secret)
      }
      const lines = ctx.logs.slice(before)
      expect(lines.some((l) => l.event.startsWith('security.'))).toBe(true)
      const text = JSON.stringify(ctx.logs)
      for (const secret of foreign.hidden) expect(text).not.toContain(secret)
    },
  )

  it('45: security headers on every page, no inline script or style, CSRF on every form', async () => {
    const ctx = options.context()
    const agent = await loggedIn()
    for (const path of [...publicPaths, ...options.personalPaths]) {
      const page = await agent.request(path)
      expect(page.status).toBe(200)
      const csp = page.headers.get('content-security-policy') ?? ''
      expect(csp).toMatch(/script-src 'self'|default-src 'self'/)
      expect(csp).not.toContain('unsafe-inline')
      expect(page.headers.get('x-content-type-options')).toBe('nosniff')
      expect(page.headers.get('referrer-policy')).toBeTruthy()
      expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i)
      expect(page.text).not.toMatch(/\sstyle="/i)
      expect(page.text).not.toMatch(/\son[a-z]+="/i)
      for (const form of page.text.matchAll(/<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/gi)) {
        expect(form[1]).toContain('name="csrf"')
      }
    }
    for (const form of options.forms ?? []) {
      expect((await agent.post(form.path, { ...form.fields })).status).toBe(403)
      const csrf = await agent.csrf(personal)
      expect(
        (await agent.post(form.path, { ...form.fields, csrf }, { 'sec-fetch-site': 'cross-site' })).status,
      ).toBe(403)
    }
    expect(ctx.appUrl).toBeTruthy()
  })
}
