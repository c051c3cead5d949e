import { randomBytes } from 'node:crypto'
import { type IdPortenError, safeReturnTo } from '@felles/id-porten'
import type { IdPortenVariables } from '@felles/id-porten/hono'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie, setCookie } from 'hono/cookie'
import { routePath } from 'hono/route'
import { type Asset, stylesheets, type Theme } from './assets.js'
import type { Auth } from './auth.js'
import { html, type SafeHtml } from './html.js'
import { type I18n, isLang, LANG_NAMES, type Lang, type SharedKey, type Translate } from './i18n.js'
import { createLogger, type Logger } from './logger.js'

/** Context variables every kit route can read with `c.get(…)` / `c.var`. */
export interface WebVariables extends IdPortenVariables {
  /** The page language (from the `lang` cookie). */
  lang: Lang
  /** The translator for `lang`. */
  t: Translate
  /** The CSRF token for forms on this page: the session's, or an anonymous double-submit token. */
  csrfToken: string
  log: Logger
}

/** The environment type for `new Hono<WebEnv>()` and handlers. */
export interface WebEnv {
  Variables: WebVariables
}

/** A link in the main menu. */
export interface NavItem {
  readonly href: string
  readonly label: string
}

/** Options for {@link createWebApp}. */
export interface WebAppOptions<K extends string> {
  /** The app's public origin (used for the same-origin check of forms). */
  readonly baseUrl: string
  /** The app's translations (from `createI18n`). */
  readonly i18n: I18n<K | SharedKey>
  /** Key of the service's name in the catalogue (shown in the header and titles). */
  readonly serviceName: K | SharedKey
  /** Shown in the header. Default `Fjellvik kommune`. */
  readonly municipality?: string
  /** Login (from `createAuth`); without it, no sessions. */
  readonly auth?: Auth
  /** The main menu (may depend on the session). */
  readonly nav?: (c: Context<WebEnv>) => readonly NavItem[]
  /** Default: JSON lines on stdout. */
  readonly logger?: Logger
  /** Designsystemet theme. Default `digdir`. */
  readonly theme?: Theme
  /** Extra `Content-Security-Policy` `form-action` sources (the kit allows `'self'`). */
  readonly formActions?: readonly string[]
  /** Largest request body accepted, in bytes (larger ones get a 413 page before anything parses them). Default 12 MiB. */
  readonly bodyLimit?: number
}

/** Options for {@link WebApp.render}. */
export interface RenderOptions {
  /** The page's own title; the document title becomes "title – service – municipality". */
  readonly title: string
  /** The content of `<main>` (start it with the page's `<h1>`). */
  readonly main: SafeHtml
  /** HTTP status. Default 200. */
  readonly status?: number
}

/** Options for {@link WebApp.requireSession}. */
export interface RequireOptions {
  /** The level the route needs, e.g. `idporten-loa-high` (step-up when the session ranks lower). */
  readonly acr?: string
}

/** What {@link createWebApp} returns. */
export interface WebApp {
  /** The Hono app with the kit's middleware in place: add your routes to it. */
  readonly app: Hono<WebEnv>
  readonly logger: Logger
  /** Renders a page in the kit's layout. */
  render(c: Context<WebEnv>, options: RenderOptions): Response
  /**
   * Protects a route: no session → login (returning here); a dead session →
   * the "session expired" page; too low a level → step-up. Sets `no-store`.
   */
  requireSession(options?: RequireOptions): MiddlewareHandler<WebEnv>
  /**
   * The same check as {@link WebApp.requireSession} inside a handler, for a level that depends on the
   * data (a screened document needs level high): `undefined` when the session suffices, else the
   * response to send (login, step-up, or the "session expired" page).
   */
  checkSession(c: Context<WebEnv>, options?: RequireOptions): Response | undefined
  /** The 404 page (reveals nothing about whether the thing exists). */
  notFound(c: Context<WebEnv>): Response
  /** The hidden CSRF field for a POST form on this page. */
  csrfField(c: Context<WebEnv>): SafeHtml
  /** The stylesheets (for tests and other servers). */
  readonly assets: readonly Asset[]
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

function equal(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * The Content-Security-Policy of every kit page: nothing inline, nothing from
 * elsewhere, no framing.
 *
 * @param formActions - Extra `form-action` sources.
 * @returns The header value.
 */
export function contentSecurityPolicy(formActions: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action ${["'self'", ...formActions].join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Creates a sample app's web layer: Hono with request logging (no personal
 * data), security headers on every response (CSP without inline script or
 * style, `nosniff`, `Referrer-Policy`, `frame-ancestors 'none'`, `no-store`
 * on everything but the hashed assets), the stylesheets under `/assets/…`,
 * the language switch (`GET /lang/:lang?returnTo=…` sets a cookie), login
 * routes under `/auth/…` when `auth` is given, CSRF checks on every POST,
 * and 404/500 pages that reveal nothing.
 *
 * @param options - Origin, texts, service name, auth, menu, logger.
 * @returns The app and helpers.
 */
export function createWebApp<K extends string>(options: WebAppOptions<K>): WebApp {
  const app = new Hono<WebEnv>()
  const logger = options.logger ?? createLogger()
  const origin = new URL(options.baseUrl).origin
  const secure = origin.startsWith('https:')
  // On https the kit's own cookies carry the __Host- prefix too (host-only, Secure, Path=/).
  const ANON_CSRF = `${secure ? '__Host-' : ''}felles-csrf`
  const LANG_COOKIE = `${secure ? '__Host-' : ''}felles-lang`
  const municipality = options.municipality ?? 'Fjellvik kommune'
  const assets = stylesheets(options.theme)
  const csp = contentSecurityPolicy(options.formActions)
  const limit = bodyLimit({
    maxSize: options.bodyLimit ?? 12 * 1024 * 1024,
    onError: (c) => errorPage(c as Context<WebEnv>, 413),
  })
  const i18n = options.i18n
  const auth = options.auth

  // 1. Logging and security headers around everything.
  app.use(async (c, next) => {
    const started = performance.now()
    c.set('log', logger)
    await next()
    const h = c.res.headers
    if (!h.has('content-security-policy')) h.set('content-security-policy', csp)
    if (!h.has('cache-control')) h.set('cache-control', 'no-store')
    h.set('x-content-type-options', 'nosniff')
    h.set('referrer-policy', 'no-referrer')
    h.set('cross-origin-opener-policy', 'same-origin')
    h.set('permissions-policy', 'camera=(), microphone=(), geolocation=()')
    if (secure) h.set('strict-transport-security', 'max-age=31536000')
    let route = '*'
    try {
      route = routePath(c, -1)
    } catch {
      // no route matched
    }
    logger.info('request', {
      method: c.req.method,
      route: route === '/*' || route === '*' ? (c.res.status === 404 ? '(not found)' : c.req.path) : route,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  })

  // 2. Stylesheets: content-hashed paths, cached for a year.
  const byPath = new Map(assets.map((a) => [a.path, a]))
  app.get('/assets/*', (c) => {
    const asset = byPath.get(c.req.path)
    if (asset === undefined) return c.body('Not found', 404, { 'content-type': 'text/plain; charset=utf-8' })
    return c.body(asset.body, 200, {
      'content-type': asset.type,
      'cache-control': 'public, max-age=31536000, immutable',
    })
  })

  // 3. Language.
  app.use(async (c, next) => {
    const lang = i18n.pick(getCookie(c, LANG_COOKIE))
    c.set('lang', lang)
    c.set('t', i18n.translator(lang) as Translate)
    await next()
  })
  app.get('/lang/:lang', (c) => {
    const wanted = c.req.param('lang')
    if (isLang(wanted) && i18n.languages.includes(wanted)) {
      setCookie(c, LANG_COOKIE, wanted, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure,
        maxAge: 365 * 24 * 3600,
      })
    }
    return c.redirect(safeReturnTo(c.req.query('returnTo')), 303)
  })

  // 4. Login routes and the session.
  if (auth !== undefined) app.use(auth.hono.middleware)

  // 5. Body size, before the CSRF check (or a route) reads a body.
  app.use(async (c, next) => {
    if (!UNSAFE.has(c.req.method) || c.req.path.startsWith('/auth/')) return next()
    return limit(c, next)
  })

  // 6. CSRF: a token on every form, checked on every unsafe method (the login routes check their own).
  app.use(async (c, next) => {
    const session = c.get('idPortenSession')
    let expected = session?.csrfToken
    if (expected === undefined) {
      expected = getCookie(c, ANON_CSRF)
      if (expected === undefined || expected.length < 32) {
        expected = randomBytes(32).toString('base64url')
        setCookie(c, ANON_CSRF, expected, { path: '/', httpOnly: true, sameSite: 'Lax', secure })
      }
    }
    c.set('csrfToken', expected)
    if (UNSAFE.has(c.req.method) && !c.req.path.startsWith('/auth/')) {
      const site = c.req.header('sec-fetch-site')
      const from = c.req.header('origin')
      let token = c.req.header('x-csrf-token')
      if (token === undefined) {
        const type = c.req.header('content-type') ?? ''
        if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
          const body = await c.req.parseBody()
          const field = body.csrf
          token = typeof field === 'string' ? field : undefined
        }
      }
      const ok =
        site !== 'cross-site' &&
        site !== 'same-site' &&
        (from === undefined || from === 'null' || from === origin) &&
        token !== undefined &&
        equal(token, expected)
      if (!ok) {
        logger.warn('security.csrf-refused', { method: c.req.method, route: c.req.path })
        return errorPage(c, 403)
      }
    }
    await next()
    return undefined
  })

  const nav = (c: Context<WebEnv>): SafeHtml => {
    const items = options.nav?.(c) ?? []
    if (items.length === 0) return html``
    const t = c.get('t')
    return html`<nav class="kit-nav" aria-label="${t('kit.menu')}"><div class="kit-wrap"><ul>
${items.map(
  (item) =>
    html`<li><a class="ds-link" href="${item.href}"${
      c.req.path === item.href || (item.href !== '/' && c.req.path.startsWith(`${item.href}/`))
        ? html` aria-current="page"`
        : ''
    }>${item.label}</a></li>`,
)}
</ul></div></nav>`
  }

  const csrfField = (c: Context<WebEnv>): SafeHtml =>
    html`<input type="hidden" name="csrf" value="${c.get('csrfToken')}">`

  const render = (c: Context<WebEnv>, page: RenderOptions): Response => {
    const t = c.get('t') ?? (i18n.translator('nb') as Translate)
    const lang = c.get('lang') ?? 'nb'
    const service = t(options.serviceName)
    const session = c.get('idPortenSession')
    const returnTo = c.req.path + (new URL(c.req.url).search || '')
    const langs = html`<nav aria-label="${t('kit.language')}"><ul class="kit-langs">
${i18n.languages.map((code) =>
  code === lang
    ? html`<li><a class="ds-link" lang="${code}" aria-current="true" href="/lang/${code}?returnTo=${encodeURIComponent(returnTo)}">${LANG_NAMES[code]}</a></li>`
    : html`<li><a class="ds-link" lang="${code}" hreflang="${code}" href="/lang/${code}?returnTo=${encodeURIComponent(returnTo)}">${LANG_NAMES[code]}</a></li>`,
)}
</ul></nav>`
    const account =
      auth === undefined
        ? ''
        : session !== undefined
          ? html`<form class="kit-inline-form" method="post" action="/auth/logout">${csrfField(c)}<button class="ds-button" data-variant="secondary" data-size="sm" type="submit">${t('kit.logout')}</button></form>`
          : html`<a class="ds-button" data-variant="primary" data-size="sm" href="/auth/login?returnTo=${encodeURIComponent(returnTo === '/' ? '/' : returnTo)}">${t('kit.login')}</a>`
    const body = html`<!doctype html>
<html lang="${lang}" data-color-scheme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title === service ? `${service} – ${municipality}` : `${page.title} – ${service} – ${municipality}`}</title>
<link rel="icon" href="data:,">
${assets.map((a) => html`<link rel="stylesheet" href="${a.path}">`)}
</head>
<body>
<a class="ds-skip-link" href="#main">${t('kit.skipLink')}</a>
<header class="kit-header"><div class="kit-wrap">
<a class="kit-brand" href="/"><span class="kit-brand-municipality">${municipality}</span><span class="kit-brand-service">${service}</span></a>
<div class="kit-tools">${langs}${account}</div>
</div></header>
${nav(c)}
<main id="main" tabindex="-1"><div class="kit-wrap kit-stack">
${page.main}
</div></main>
<footer class="kit-footer"><div class="kit-wrap">
<ul>
<li><a class="ds-link" href="/personvern">${t('kit.footer.privacy')}</a></li>
<li><a class="ds-link" href="/tilgjengelighet">${t('kit.footer.accessibility')}</a></li>
</ul>
<p class="ds-paragraph" data-size="sm">${t('kit.footer.contact')}</p>
<p class="ds-paragraph kit-muted" data-size="sm">${t('kit.footer.demo')}</p>
</div></footer>
</body>
</html>
`
    return c.html(body.toString(), (page.status ?? 200) as 200)
  }

  const errorPage = (c: Context<WebEnv>, status: 401 | 403 | 404 | 413 | 500, ref?: string): Response => {
    const t = c.get('t') ?? (i18n.translator('nb') as Translate)
    const key = status === 401 ? 'expired' : String(status)
    const title = t(`kit.error.${key}.title` as SharedKey)
    const action =
      status === 401
        ? html`<p><a class="ds-button" data-variant="primary" href="/auth/login?returnTo=${encodeURIComponent(
            safeReturnTo(c.req.path),
          )}">${t('kit.login')}</a></p>`
        : html`<p><a class="ds-link" href="/">${t('kit.error.home')}</a></p>`
    return render(c, {
      title,
      status,
      main: html`<h1 class="ds-heading" data-size="lg">${title}</h1>
<p class="ds-paragraph">${t(`kit.error.${key}.text` as SharedKey)}</p>
${ref === undefined ? '' : html`<p class="ds-paragraph kit-muted">${t('kit.error.reference', { ref })}</p>`}
${action}`,
    })
  }

  const checkSession = (c: Context<WebEnv>, required: RequireOptions = {}): Response | undefined => {
    if (auth === undefined) throw new TypeError('requireSession: the app has no auth')
    const session = c.get('idPortenSession')
    if (auth.auth.satisfies(session, required.acr)) return undefined
    if (session === undefined && getCookie(c, auth.auth.sessionCookieName) !== undefined) {
      return errorPage(c, 401)
    }
    const response = c.redirect(
      auth.auth.loginLocation(c.req.path + new URL(c.req.url).search, required.acr),
      303,
    )
    response.headers.set('cache-control', 'no-store')
    return response
  }

  app.notFound((c) => errorPage(c, 404))
  app.onError((error, c) => {
    const ref = randomBytes(6).toString('hex')
    // The name and a reference only: messages may carry data from the request.
    logger.error('error', { ref, name: error.name, route: c.req.path })
    return errorPage(c, 500, ref)
  })

  return {
    app,
    logger,
    assets,
    render,
    csrfField,
    notFound: (c) => errorPage(c, 404),
    checkSession,
    requireSession(required = {}) {
      return async (c, next) => {
        const refused = checkSession(c, required)
        if (refused !== undefined) return refused
        await next()
        c.res.headers.set('cache-control', 'no-store')
        return undefined
      }
    },
  }
}

/**
 * A plain error page for `createAuth({ errorPage })`: the login failed. Shows
 * only the status, in bokmål, with no detail from the request.
 *
 * @param error - From `@felles/id-porten`.
 * @returns The response.
 */
export function loginErrorPage(error: IdPortenError): Response {
  const csrf = error.code === 'ERR_CSRF'
  const title = csrf ? 'Forespørselen ble avvist' : 'Innloggingen feilet'
  const text = csrf
    ? 'Forespørselen kom ikke fra denne tjenesten. Gå til forsiden og prøv igjen.'
    : 'Vi kunne ikke fullføre innloggingen. Prøv igjen, eller gå til forsiden.'
  const assets = stylesheets()
  const body = html`<!doctype html>
<html lang="nb" data-color-scheme="light"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><link rel="icon" href="data:,">${assets.map((a) => html`<link rel="stylesheet" href="${a.path}">`)}</head>
<body><main id="main"><div class="kit-wrap kit-stack">
<h1 class="ds-heading" data-size="lg">${title}</h1><p class="ds-paragraph">${text}</p>
<p><a class="ds-link" href="/">Til forsiden</a></p></div></main></body></html>`
  return new Response(body.toString(), {
    status: error.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy(),
    },
  })
}
