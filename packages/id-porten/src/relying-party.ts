import { parseNationalId } from '@felles/identifiers'
import * as oidc from 'openid-client'
import { acrRank, meetsAcr, normalizeAcr } from './acr.js'
import type { IdPortenClaims } from './claims.js'
import { type ClientAuthentication, toOpenidClientAuth } from './client-auth.js'
import { type Clock, systemClock } from './clock.js'
import { IdPortenError, type IdPortenErrorCode, isIdPortenError, sanitizedCause } from './errors.js'
import { randomTokens } from './internal/base64url.js'
import { parseClaims } from './internal/claims-check.js'
import { clearCookie, cookieNamesWithPrefix, readCookie, serializeCookie } from './internal/cookies.js'
import { escapeHtml, page, pageHeaders } from './internal/html.js'
import { createProviderFetch, isTransportError } from './internal/http.js'
import { createIdTokenVerifier, type IdTokenVerifier } from './internal/id-token-signature.js'
import { createSealer, type Sealer } from './internal/sealed.js'
import { isLoopbackHttp, type Preset } from './presets.js'
import { safeReturnTo } from './return-to.js'
import { MemorySessionStore, type SessionRecord, type SessionStore } from './session.js'

/** Languages ID-porten's login pages offer (`ui_locales`). */
export type UiLocale = 'nb' | 'nn' | 'en' | 'se'

const UI_LOCALES: ReadonlySet<string> = new Set(['nb', 'nn', 'en', 'se'])

/** A rich authorization request entry for Ansattporten (`authorization_details`). */
export interface AuthorizationDetailRequest {
  /** For example `ansattporten:altinn:service`. */
  readonly type: string
  /** For example `urn:altinn:resource:…`. */
  readonly resource?: string
  readonly [key: string]: unknown
}

/** Session limits; the defaults are ID-porten's own (Digdir asks services to use the same). */
export interface SessionLimits {
  /** Idle limit, ms. Default 30 minutes. */
  readonly idleTimeoutMs?: number
  /** Absolute limit from login, ms. Default 120 minutes. */
  readonly absoluteTimeoutMs?: number
  /**
   * A session's activity is written to the store at most this often, ms.
   * The idle limit counts from the last write, so a session may end up to
   * this long before the idle limit has passed since its last request;
   * smaller values cost a store write on more requests. Default one
   * thirtieth of the idle limit, at most one minute (one minute for
   * ID-porten's 30). 0 writes on every request.
   */
  readonly touchIntervalMs?: number
}

/** Options of {@link createIdPorten}. */
export interface IdPortenOptions {
  /** The provider: `ID_PORTEN`, `ID_PORTEN_TEST`, `ANSATTPORTEN`, `ANSATTPORTEN_TEST` or `localPreset(issuer)`. */
  readonly preset: Preset
  /** The client id from Digdir's self-service. */
  readonly clientId: string
  /** `privateKeyJwt(...)`, `clientSecretBasic(...)` or `clientSecretPost(...)`. */
  readonly clientAuth: ClientAuthentication
  /** The app's origin as users see it, for example `https://minside.kommune.no`. Plain http only on loopback. */
  readonly baseUrl: string
  /** Where the login routes live. Default `/auth`. */
  readonly basePath?: string
  /** At least one secret of 32+ characters for the encrypted cookies; the first encrypts, all decrypt (rotation). */
  readonly cookieSecret: string | readonly string[]
  /** Session store. Default: a {@link MemorySessionStore}. */
  readonly store?: SessionStore
  /** Scopes. Default `openid profile`. */
  readonly scope?: string
  /** Level asked for by default. Default `idporten-loa-substantial`. */
  readonly acrValues?: string
  /** Default language of the login pages. */
  readonly uiLocales?: UiLocale
  /** Pushed authorization requests: `auto` (default: when the provider offers them), `always`, `never`. */
  readonly par?: 'auto' | 'always' | 'never'
  /**
   * Serve `{basePath}/frontchannel-logout` and require `sid` in ID tokens.
   * Default `true` (Digdir requires front-channel logout).
   */
  readonly frontChannelLogout?: boolean
  /**
   * How the browser is sent to `end_session_endpoint`: `POST` (default, as
   * Digdir recommends: `id_token_hint` stays out of URLs and logs) or `GET`
   * for providers that accept only that.
   */
  readonly endSessionMethod?: 'POST' | 'GET'
  /** Where users land after logout. Default `/`. */
  readonly postLogoutPath?: string
  /** `max_age` in seconds: ask for a login no older than this and check `auth_time`. */
  readonly maxAge?: number
  /** Refuse logins without `pid` (foreign eID users). Default `false`: the service decides. */
  readonly requirePid?: boolean
  /** Accept synthetic test persons as `pid`. Default: the preset's (test and local only). */
  readonly allowSyntheticPid?: boolean
  /** Ansattporten: rich authorization request sent with every login. */
  readonly authorizationDetails?: readonly AuthorizationDetailRequest[]
  /** Session limits. */
  readonly session?: SessionLimits
  /** Clock for sessions and token time checks. Default: the system clock. */
  readonly clock?: Clock
  /** Tolerance for `exp`/`iat`/`auth_time` checks, seconds. Default 30; at most 60. */
  readonly clockToleranceSeconds?: number
  /** Timeout of each request to the provider, ms, rounded up to whole seconds. Default 10 000. */
  readonly httpTimeoutMs?: number
  /** How long discovered metadata is used before it is fetched again, ms. Default 24 hours. */
  readonly metadataMaxAgeMs?: number
  /** A Fetch API implementation for requests to the provider (tracing, proxies). Default: `globalThis.fetch`. */
  readonly fetch?: typeof fetch
  /** Session cookie name without the `__Host-` prefix. Default `felles-session`. */
  readonly cookieName?: string
  /** Called with every error the handlers turn into an error page (for logging: messages hold no personal data). */
  readonly onError?: (error: IdPortenError) => void
  /** Renders the error page. Default: a generic page that reflects nothing from the request. */
  readonly errorPage?: (error: IdPortenError) => Response
}

/**
 * A logged-in user's session as handlers see it: claims and metadata, no
 * tokens (use {@link IdPortenClient.accessToken}).
 *
 * @example
 * ```ts
 * const session = await auth.getSession(request)
 * if (session?.acr === 'idporten-loa-high') showTaxReturn(session.pid)
 * ```
 */
export interface Session {
  readonly id: string
  readonly sub: string
  /** Fødselsnummer or D-nummer; absent for foreign eID users. */
  readonly pid: string | undefined
  /** Normalised `acr` (`idporten-loa-substantial`, `idporten-loa-high`, …). */
  readonly acr: string
  readonly amr: readonly string[]
  readonly sid: string | undefined
  readonly locale: string | undefined
  /** `auth_time`, seconds since the epoch. */
  readonly authTime: number | undefined
  /** All validated ID token claims. */
  readonly claims: Readonly<Record<string, unknown>>
  /** Put this in a hidden `csrf` field of every POST form (logout). */
  readonly csrfToken: string
  /** Login time, ms since the epoch. */
  readonly createdAt: number
  /** When the session ends unless used again (idle limit, capped by the absolute limit), ms since the epoch. */
  readonly expiresAt: number
}

/** Per-request login options (for example from a route that needs level high). */
export interface LoginOptions {
  /** Where to go after login; only same-origin paths are accepted. */
  readonly returnTo?: string
  /** The level this login needs; never lower than the configured default. */
  readonly acrValues?: string
  /** `login` forces a new authentication even with an SSO session. */
  readonly prompt?: 'login'
  readonly uiLocales?: UiLocale
  readonly authorizationDetails?: readonly AuthorizationDetailRequest[]
}

/** Options of {@link IdPortenClient.requireSession}. */
export interface RequireSessionOptions {
  /** The level the route needs: a weaker session is sent to login again (step-up). */
  readonly acr?: string
}

/** What {@link IdPortenClient.readSession} found. */
export interface SessionLookup {
  /** The session, when there is a valid one. */
  readonly session: Session | undefined
  /** A `Set-Cookie` value to send (the cookie of an ended session is cleared). */
  readonly setCookie: string | undefined
}

/** Result of {@link IdPortenClient.requireSession}. */
export type RequireSessionResult =
  | { readonly session: Session; readonly response?: undefined }
  | { readonly session?: undefined; readonly response: Response }

interface Transaction {
  readonly s: string
  readonly n: string
  readonly v: string
  readonly r: string
  readonly a: string
  readonly m?: number
  readonly e: number
}

interface DiscoveryState {
  config: oidc.Configuration
  fetchedAt: number
}

const TX_PURPOSE = 'login-transaction'
const LOGOUT_PURPOSE = 'logout-state'
const TX_TTL_MS = 10 * 60 * 1000
const MAX_DEFAULT_TOUCH_INTERVAL_MS = 60_000
const ACCESS_TOKEN_MARGIN_MS = 10_000
const MAX_FORM_BYTES = 8192
const NO_SESSION: SessionLookup = Object.freeze({ session: undefined, setCookie: undefined })

const LOGOUT_SCRIPT = "document.getElementById('felles-logout').submit()\n"

/**
 * A relying party for ID-porten or Ansattporten. Create it with
 * {@link createIdPorten}. Handlers take a Fetch API `Request` and return a
 * `Response`; the adapters (`@felles/id-porten/express`, `/fastify`, `/hono`)
 * mount them in each framework. Its state lives in private fields, so
 * logging the instance shows no keys or tokens.
 *
 * @example
 * ```ts
 * const response = (await auth.handle(request)) ?? (await app(request))
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_guide_idporten
 */
export class IdPortenClient {
  /** The issuer, exactly as configured and as the metadata states it. */
  readonly issuer: string
  /** The client id. */
  readonly clientId: string
  /** Where the login routes live, for example `/auth`. */
  readonly basePath: string
  /** The redirect URI to register at Digdir: `{baseUrl}{basePath}/callback`. */
  readonly redirectUri: string
  /** The post-logout redirect URI to register: `{baseUrl}{basePath}/logout/callback`. */
  readonly postLogoutRedirectUri: string
  /** The front-channel logout URI to register: `{baseUrl}{basePath}/frontchannel-logout`. */
  readonly frontChannelLogoutUri: string
  /** Name of the session cookie (`__Host-` prefixed unless the app runs on plain-http localhost). */
  readonly sessionCookieName: string

  readonly #preset: Preset
  readonly #options: IdPortenOptions
  readonly #store: SessionStore
  readonly #clock: Clock
  readonly #sealer: Sealer
  readonly #secure: boolean
  readonly #origin: string
  readonly #txPrefix: string
  /** `{redirectUri}?`: a callback request to exactly this URL needs no rebuilt URL for openid-client. */
  readonly #callbackPrefix: string
  /** What follows the name in a `Set-Cookie` that clears a cookie (the same for every cookie here). */
  readonly #clearSuffix: string
  readonly #logoutCookie: string
  readonly #idle: number
  readonly #touchInterval: number
  readonly #absolute: number
  readonly #tolerance: number
  readonly #defaultAcr: string
  readonly #allowSynthetic: boolean
  readonly #clientAuth: oidc.ClientAuth
  readonly #fetch: ((url: string, options: RequestInit) => Promise<Response>) | undefined
  readonly #used = new Map<string, number>()
  readonly #refreshing = new Map<string, Promise<string>>()
  #discovery: DiscoveryState
  #rediscovering: Promise<void> | undefined
  /** ID token signatures, checked against the provider's JWKS (kept across rediscovery unless `jwks_uri` changes). */
  #idTokens: IdTokenVerifier

  /** @internal Use {@link createIdPorten}. */
  constructor(options: IdPortenOptions, clientAuth: oidc.ClientAuth, discovery: DiscoveryState) {
    const base = new URL(options.baseUrl)
    this.#preset = options.preset
    this.#options = options
    this.issuer = options.preset.issuer
    this.clientId = options.clientId
    this.#origin = base.origin
    this.#secure = base.protocol === 'https:'
    this.basePath = normaliseBasePath(options.basePath ?? '/auth')
    this.redirectUri = `${this.#origin}${this.basePath}/callback`
    this.postLogoutRedirectUri = `${this.#origin}${this.basePath}/logout/callback`
    this.frontChannelLogoutUri = `${this.#origin}${this.basePath}/frontchannel-logout`
    const name = options.cookieName ?? 'felles-session'
    const prefix = this.#secure ? '__Host-' : ''
    this.sessionCookieName = `${prefix}${name}`
    this.#txPrefix = `${prefix}${name}-tx.`
    this.#callbackPrefix = `${this.redirectUri}?`
    this.#clearSuffix = clearCookie('', { secure: this.#secure })
    this.#logoutCookie = `${prefix}${name}-lo`
    this.#store = options.store ?? new MemorySessionStore(options.clock ? { clock: options.clock } : {})
    this.#clock = options.clock ?? systemClock
    this.#sealer = createSealer(
      typeof options.cookieSecret === 'string' ? [options.cookieSecret] : options.cookieSecret,
    )
    this.#idle = options.session?.idleTimeoutMs ?? 30 * 60 * 1000
    this.#touchInterval =
      options.session?.touchIntervalMs ?? Math.min(MAX_DEFAULT_TOUCH_INTERVAL_MS, Math.floor(this.#idle / 30))
    this.#absolute = options.session?.absoluteTimeoutMs ?? 120 * 60 * 1000
    this.#tolerance = options.clockToleranceSeconds ?? 30
    this.#defaultAcr = normalizeAcr(options.acrValues ?? 'idporten-loa-substantial')
    this.#allowSynthetic = options.allowSyntheticPid ?? options.preset.allowSyntheticPid
    this.#clientAuth = clientAuth
    this.#fetch = createProviderFetch(options.fetch)
    this.#discovery = discovery
    this.#idTokens = this.#createVerifier(discovery.config)
  }

  #createVerifier(config: oidc.Configuration): IdTokenVerifier {
    const alg = config.clientMetadata().id_token_signed_response_alg
    return createIdTokenVerifier({
      jwksUri: config.serverMetadata().jwks_uri,
      allowInsecureRequests: this.#preset.allowInsecureRequests,
      // ID-porten and Ansattporten sign ID tokens with RS256.
      allowedAlgorithms: typeof alg === 'string' ? [alg] : ['RS256'],
      fetch: this.#fetch,
      // The same whole seconds as openid-client's own requests.
      timeoutMs: Math.max(1, Math.ceil((this.#options.httpTimeoutMs ?? 10_000) / 1000)) * 1000,
      clock: this.#clock,
    })
  }

  /** @internal */
  static async discover(
    options: IdPortenOptions,
    clientAuth: oidc.ClientAuth,
    providerFetch: ((url: string, options: RequestInit) => Promise<Response>) | undefined,
    clock: Clock,
  ): Promise<DiscoveryState> {
    const issuer = options.preset.issuer
    // No enableNonRepudiationChecks: the ID token signature is checked by #idTokens, synchronously.
    const execute: ((config: oidc.Configuration) => void)[] = []
    if (options.preset.allowInsecureRequests) execute.push(oidc.allowInsecureRequests)
    let config: oidc.Configuration
    try {
      config = await oidc.discovery(
        new URL(issuer),
        options.clientId,
        { [oidc.clockTolerance]: options.clockToleranceSeconds ?? 30 },
        clientAuth,
        {
          execute,
          // Only the app's own fetch: without one, openid-client calls the global fetch directly.
          ...(providerFetch === undefined ? {} : { [oidc.customFetch]: providerFetch as oidc.CustomFetch }),
          // openid-client's own per-request signal, in whole seconds (it covers the body too).
          timeout: Math.max(1, Math.ceil((options.httpTimeoutMs ?? 10_000) / 1000)),
        },
      )
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
        throw new IdPortenError('ERR_ISSUER_MISMATCH', "The provider's metadata names another issuer", {
          cause: sanitizedCause(error),
        })
      }
      throw new IdPortenError('ERR_DISCOVERY_FAILED', "The provider's metadata could not be fetched", {
        cause: sanitizedCause(error),
        retryable: true,
      })
    }
    // openid-client compares too; compare the exact strings ourselves, never "normalised".
    if (config.serverMetadata().issuer !== issuer) {
      throw new IdPortenError('ERR_ISSUER_MISMATCH', "The provider's metadata names another issuer")
    }
    return { config, fetchedAt: clock.now() }
  }

  /** The discovered provider metadata (endpoints, supported features). */
  get metadata(): Readonly<oidc.ServerMetadata> {
    return this.#discovery.config.serverMetadata()
  }

  /**
   * The value for a `Content-Security-Policy: frame-ancestors` header on the
   * front-channel logout route: only the provider's own hosts may frame it.
   *
   * @returns For example `frame-ancestors https://login.idporten.no https://idporten.no`.
   */
  frameAncestors(): string {
    const m = this.metadata
    const origins = new Set<string>()
    for (const url of [m.end_session_endpoint, m.authorization_endpoint, this.issuer]) {
      if (typeof url === 'string') origins.add(new URL(url).origin)
    }
    return `frame-ancestors ${[...origins].join(' ')}`
  }

  /**
   * Routes a request to the matching handler: `GET {basePath}/login`,
   * `GET /callback`, `POST /logout`, `POST /logout/local`, `GET /logout/callback`,
   * `GET /frontchannel-logout`, `GET /logout.js`.
   *
   * @param request - The incoming request.
   * @returns The response, or `undefined` when the path is not one of these routes.
   */
  async handle(request: Request): Promise<Response | undefined> {
    const { pathname } = new URL(request.url)
    if (!pathname.startsWith(this.basePath)) return undefined
    switch (pathname.slice(this.basePath.length)) {
      case '/login':
        return this.login(request)
      case '/callback':
        return this.callback(request)
      case '/logout':
        return this.logout(request)
      case '/logout/local':
        return this.localLogout(request)
      case '/logout/callback':
        return this.logoutCallback(request)
      case '/frontchannel-logout':
        return this.#options.frontChannelLogout === false ? undefined : this.frontChannelLogout(request)
      case '/logout.js':
        return new Response(LOGOUT_SCRIPT, {
          headers: {
            'content-type': 'text/javascript; charset=utf-8',
            'cache-control': 'public, max-age=3600',
            'x-content-type-options': 'nosniff',
          },
        })
      default:
        return undefined
    }
  }

  /**
   * Starts a login: PKCE (S256), `state` and `nonce`, PAR when offered, and a
   * short-lived encrypted transaction cookie; answers with a redirect to the
   * provider. Query parameters `returnTo`, `acr_values` (never below the
   * default), `prompt=login` and `ui_locales` are honoured.
   *
   * @param request - `GET {basePath}/login`.
   * @param options - Overrides from the app (step-up, a fixed return path).
   * @returns A 303 redirect, or an error page.
   */
  async login(request: Request, options: LoginOptions = {}): Promise<Response> {
    try {
      return await this.#login(request, options)
    } catch (error) {
      return this.#errorResponse(error, 'ERR_PAR_FAILED')
    }
  }

  async #login(request: Request, options: LoginOptions): Promise<Response> {
    const query = new URL(request.url).searchParams
    const config = this.#config()
    const metadata = config.serverMetadata()
    if (!metadata.code_challenge_methods_supported?.includes('S256')) {
      throw new IdPortenError('ERR_PKCE_UNSUPPORTED', 'The provider does not offer PKCE with S256')
    }
    const requested = options.acrValues ?? query.get('acr_values') ?? undefined
    const acr =
      requested !== undefined && acrRank(requested) > acrRank(this.#defaultAcr)
        ? normalizeAcr(requested)
        : this.#defaultAcr
    const prompt = options.prompt ?? (query.get('prompt') === 'login' ? 'login' : undefined)
    const localeParam = query.get('ui_locales')
    const uiLocales =
      options.uiLocales ??
      (localeParam !== null && UI_LOCALES.has(localeParam) ? localeParam : this.#options.uiLocales)
    const returnTo = safeReturnTo(options.returnTo ?? query.get('returnTo'))

    const state = oidc.randomState()
    const nonce = oidc.randomNonce()
    const verifier = oidc.randomPKCECodeVerifier()
    const params: Record<string, string> = {
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: this.#options.scope ?? 'openid profile',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      acr_values: acr,
    }
    if (uiLocales !== undefined) params.ui_locales = uiLocales
    if (prompt !== undefined) params.prompt = prompt
    if (this.#options.maxAge !== undefined) params.max_age = String(this.#options.maxAge)
    const details = options.authorizationDetails ?? this.#options.authorizationDetails
    if (details !== undefined) params.authorization_details = JSON.stringify(details)

    const mode = this.#options.par ?? 'auto'
    const usePar =
      mode === 'always' || (mode === 'auto' && metadata.pushed_authorization_request_endpoint !== undefined)
    let url: URL
    if (usePar) {
      try {
        url = await oidc.buildAuthorizationUrlWithPAR(config, params)
      } catch (error) {
        throw new IdPortenError('ERR_PAR_FAILED', 'The pushed authorization request failed', {
          cause: sanitizedCause(error),
          retryable: isTransportError(error),
        })
      }
    } else {
      url = oidc.buildAuthorizationUrl(config, params)
    }

    const now = this.#clock.now()
    const tx: Transaction = {
      s: state,
      n: nonce,
      v: verifier,
      r: returnTo,
      a: acr,
      e: now + TX_TTL_MS,
      ...(this.#options.maxAge === undefined ? {} : { m: this.#options.maxAge }),
    }
    const headers = new Headers({ location: url.href, 'cache-control': 'no-store' })
    headers.append(
      'set-cookie',
      serializeCookie(this.#txCookieName(state), await this.#sealer.seal(TX_PURPOSE, tx), {
        secure: this.#secure,
        maxAge: TX_TTL_MS / 1000,
      }),
    )
    return new Response(null, { status: 303, headers })
  }

  /**
   * Completes a login: checks the transaction (one time only), the `iss`
   * response parameter (RFC 9207), exchanges the code once, verifies the ID
   * token's signature and claims, `acr` by rank, `pid`, `sid`, and creates a
   * new session with a new id. Any failure gives a generic error page and no
   * session.
   *
   * @param request - `GET {basePath}/callback?code=…&state=…&iss=…`.
   * @returns A 303 redirect to the return path with the session cookie, or an error page.
   */
  async callback(request: Request): Promise<Response> {
    const cookieHeader = request.headers.get('cookie')
    // Every transaction cookie present is cleared, whatever happens: each is good for one try.
    const clears: string[] = []
    for (const name of cookieNamesWithPrefix(cookieHeader, this.#txPrefix)) {
      clears.push(name + this.#clearSuffix)
    }
    let response: Response
    try {
      const { record, returnTo } = await this.#callback(request, cookieHeader)
      const previous = readCookie(cookieHeader, this.sessionCookieName)
      if (previous !== undefined && previous !== record.id) await this.#store.delete(previous)
      // Headers appended to the new Response's own list: cheaper than converting an init list.
      response = new Response(null, { status: 303 })
      const headers = response.headers
      for (const clear of clears) headers.append('set-cookie', clear)
      headers.append(
        'set-cookie',
        serializeCookie(this.sessionCookieName, record.id, { secure: this.#secure }),
      )
      headers.append('cache-control', 'no-store')
      headers.append('location', returnTo)
    } catch (error) {
      response = this.#errorResponse(error, 'ERR_ID_TOKEN_INVALID')
      for (const clear of clears) response.headers.append('set-cookie', clear)
    }
    return response
  }

  /**
   * The checks and the code exchange of {@link callback}, without HTTP
   * plumbing: returns the stored session record and the return path.
   */
  async #callback(
    request: Request,
    cookieHeader: string | null,
  ): Promise<{ record: SessionRecord; returnTo: string }> {
    const url = new URL(request.url)
    const params = url.searchParams
    const state = params.get('state')
    if (state === null || state.length === 0) {
      throw new IdPortenError('ERR_STATE_MISMATCH', 'The authorization response has no state')
    }
    const sealed = readCookie(cookieHeader, this.#txCookieName(state))
    if (sealed === undefined) {
      throw new IdPortenError('ERR_TRANSACTION_MISSING', 'No login transaction matches this response')
    }
    const tx = (await this.#sealer.unseal(TX_PURPOSE, sealed)) as Transaction | undefined
    const now = this.#clock.now()
    if (tx === undefined || typeof tx.s !== 'string' || tx.e <= now) {
      throw new IdPortenError('ERR_TRANSACTION_MISSING', 'The login transaction is missing or has expired')
    }
    if (tx.s !== state)
      throw new IdPortenError('ERR_STATE_MISMATCH', 'The state does not match the login transaction')
    if (!(await this.#consume(`tx:${state}`, tx.e))) {
      throw new IdPortenError('ERR_TRANSACTION_REPLAYED', 'This login transaction was already used')
    }
    const iss = params.get('iss')
    if (iss !== this.issuer) {
      throw new IdPortenError(
        'ERR_MIX_UP',
        iss === null
          ? 'The authorization response has no iss parameter'
          : 'The authorization response comes from another issuer',
      )
    }
    const oauthError = params.get('error')
    if (oauthError !== null) {
      throw new IdPortenError('ERR_AUTHORIZATION_DENIED', 'The provider answered with an error', {
        oauthError: /^[a-z_]{1,64}$/.test(oauthError) ? oauthError : 'invalid_error',
      })
    }

    const config = this.#config()
    // openid-client takes the redirect URI from this URL: the registered one, whatever
    // host the request reached (behind a proxy it differs); parsed again only then.
    const currentUrl =
      request.url.startsWith(this.#callbackPrefix) && url.hash === ''
        ? url
        : new URL(this.redirectUri + url.search)
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: tx.v,
        expectedState: tx.s,
        expectedNonce: tx.n,
        idTokenExpected: true,
        ...(tx.m === undefined ? {} : { maxAge: tx.m }),
      })
    } catch (error) {
      if (isTransportError(error) || error instanceof oidc.ResponseBodyError) {
        throw new IdPortenError('ERR_TOKEN_REQUEST_FAILED', 'The token request failed', {
          cause: sanitizedCause(error),
          retryable: isTransportError(error),
        })
      }
      const code = (error as { code?: unknown }).code
      if (
        code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' &&
        /auth_time|max_age/.test((error as Error).message)
      ) {
        throw new IdPortenError('ERR_AUTH_TIME', 'The login is older than max_age allows', {
          cause: sanitizedCause(error),
        })
      }
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token was rejected', {
        cause: sanitizedCause(error),
      })
    }
    const idToken = tokens.id_token
    if (idToken === undefined) {
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The token response has no ID token')
    }
    // openid-client checked the claims; the signature is checked here, before any claim is used.
    const verifying = this.#idTokens.verify(idToken)
    if (verifying !== undefined) await verifying
    const raw = tokens.claims()
    if (raw === undefined) {
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The token response has no ID token')
    }
    const claims = this.#checkClaims(raw as unknown as Record<string, unknown>, tx, now)

    const expiresIn = tokens.expires_in
    // Session id (256 bits) and CSRF token (192 bits): separate bytes from one draw.
    const [id, csrfToken] = randomTokens(32, 24) as [string, string]
    // Built in place rather than from conditional spreads: absent values stay absent keys.
    const record: { -readonly [K in keyof SessionRecord]: SessionRecord[K] } = {
      id,
      issuer: this.issuer,
      sub: claims.sub,
      acr: normalizeAcr(claims.acr),
      amr: claims.amr ?? [],
      claims,
      idToken,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
    }
    if (claims.pid !== undefined) record.pid = claims.pid
    if (claims.sid !== undefined) record.sid = claims.sid
    if (claims.locale !== undefined) record.locale = claims.locale
    if (claims.auth_time !== undefined) record.authTime = claims.auth_time
    const accessToken = tokens.access_token
    if (accessToken !== undefined) record.accessToken = accessToken
    if (expiresIn !== undefined) record.accessTokenExpiresAt = now + expiresIn * 1000
    const refreshToken = tokens.refresh_token
    if (refreshToken !== undefined) record.refreshToken = refreshToken
    await this.#store.set(record, this.#expiresAt(record.createdAt, now))
    return { record, returnTo: safeReturnTo(tx.r) }
  }

  #checkClaims(raw: Record<string, unknown>, tx: Transaction, now: number): IdPortenClaims {
    const parsed = parseClaims(this.#preset.product, raw)
    if (!parsed.success) {
      throw new IdPortenError(
        'ERR_CLAIMS_INVALID',
        `The ID token's claims do not have the expected shape (${parsed.error.issues.map((i) => i.path.join('.')).join(', ')})`,
      )
    }
    const claims = parsed.data
    if (claims.iss !== this.issuer)
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token has another issuer')
    const aud = claims.aud
    if (!(aud === this.clientId || (Array.isArray(aud) && aud.length === 1 && aud[0] === this.clientId))) {
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token has an unexpected audience')
    }
    const nowSeconds = now / 1000
    if (claims.exp + this.#tolerance <= nowSeconds) {
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token has expired')
    }
    if (claims.iat > nowSeconds + this.#tolerance) {
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token was issued in the future')
    }
    if (claims.nonce !== tx.n)
      throw new IdPortenError('ERR_ID_TOKEN_INVALID', 'The ID token has another nonce')
    if (!meetsAcr(claims.acr, tx.a)) {
      throw new IdPortenError('ERR_ACR_TOO_LOW', 'The login has a lower level of assurance than required')
    }
    if (this.#options.frontChannelLogout !== false && claims.sid === undefined) {
      throw new IdPortenError(
        'ERR_SID_MISSING',
        'The ID token has no sid; register the client with frontchannel_logout_session_required',
      )
    }
    if (tx.m !== undefined) {
      if (claims.auth_time === undefined || claims.auth_time + tx.m + this.#tolerance < nowSeconds) {
        throw new IdPortenError('ERR_AUTH_TIME', 'The login is older than max_age allows')
      }
    }
    if (claims.pid !== undefined) {
      const result = parseNationalId(claims.pid, { allowSynthetic: this.#allowSynthetic })
      if (!result.valid) {
        throw new IdPortenError(
          'ERR_PID_INVALID',
          `The pid claim is not an accepted national identity number (${result.reason})`,
        )
      }
    } else if (this.#options.requirePid === true) {
      throw new IdPortenError('ERR_PID_MISSING', 'The login has no pid (for example a foreign eID user)')
    }
    return claims
  }

  /**
   * Reads the session cookie from a `Cookie` header and returns the session
   * when it is within its idle and absolute limits (recording activity).
   * This is the per-request hot path; adapters call it directly.
   *
   * @param cookieHeader - The request's `Cookie` header.
   * @returns The session (if any) and a `Set-Cookie` value clearing a dead session's cookie.
   */
  async readSession(cookieHeader: string | null | undefined): Promise<SessionLookup> {
    const id = readCookie(cookieHeader, this.sessionCookieName)
    if (id === undefined || id.length === 0) return NO_SESSION
    // Memory stores answer synchronously: skip a microtask on the hot path.
    const found = this.#store.get(id)
    const record = found instanceof Promise ? await found : found
    const now = this.#clock.now()
    if (
      record === undefined ||
      now - record.lastSeenAt >= this.#idle ||
      now - record.createdAt >= this.#absolute
    ) {
      if (record !== undefined) await this.#store.delete(id)
      return { session: undefined, setCookie: clearCookie(this.sessionCookieName, { secure: this.#secure }) }
    }
    // Activity is written at most every touchInterval; until then the stored limits stand.
    const touch = now - record.lastSeenAt >= this.#touchInterval
    const expiresAt = this.#expiresAt(record.createdAt, touch ? now : record.lastSeenAt)
    if (touch) await this.#store.touch(id, now, expiresAt)
    return { session: toSession(record, expiresAt), setCookie: undefined }
  }

  /**
   * The current session of a request, or `undefined`.
   *
   * @param request - Any request.
   * @returns The session within its limits, or `undefined`.
   */
  async getSession(request: Request): Promise<Session | undefined> {
    return (await this.readSession(request.headers.get('cookie'))).session
  }

  /**
   * Requires a session (and a level): without one, or with a weaker level
   * than `options.acr` (step-up), answers with a redirect to login that
   * returns to this request's path.
   *
   * @param request - The request to a protected page.
   * @param options - The level the route needs.
   * @returns `{ session }`, or `{ response }` to send instead.
   */
  async requireSession(request: Request, options: RequireSessionOptions = {}): Promise<RequireSessionResult> {
    const lookup = await this.readSession(request.headers.get('cookie'))
    const need = options.acr === undefined ? undefined : normalizeAcr(options.acr)
    if (lookup.session !== undefined && (need === undefined || meetsAcr(lookup.session.acr, need))) {
      return { session: lookup.session }
    }
    const url = new URL(request.url)
    const headers = new Headers({
      location: this.loginLocation(url.pathname + url.search, need),
      'cache-control': 'no-store',
    })
    if (lookup.setCookie !== undefined) headers.append('set-cookie', lookup.setCookie)
    return { response: new Response(null, { status: 303, headers }) }
  }

  /**
   * The path of the login route that returns to `returnTo` afterwards, asking
   * for at least `acr` (adapters use it for protected routes and step-up).
   *
   * @param returnTo - Path (and query) to come back to; only same-origin paths are kept.
   * @param acr - The level needed, if more than the default.
   * @returns For example `/auth/login?returnTo=%2Fsaker&acr_values=idporten-loa-high`.
   */
  loginLocation(returnTo: string, acr?: string): string {
    const params = new URLSearchParams({ returnTo: safeReturnTo(returnTo) })
    if (acr !== undefined) params.set('acr_values', normalizeAcr(acr))
    return `${this.basePath}/login?${params}`
  }

  /**
   * Whether a session satisfies a route's level.
   *
   * @param session - The session, or `undefined`.
   * @param acr - The level the route needs; any session suffices when omitted.
   * @returns `true` when the session exists and ranks high enough.
   */
  satisfies(session: Session | undefined, acr?: string): session is Session {
    return session !== undefined && (acr === undefined || meetsAcr(session.acr, normalizeAcr(acr)))
  }

  /**
   * A valid access token for the session, refreshed with the refresh token
   * when it is about to expire. Concurrent callers for one session share one
   * refresh request.
   *
   * @param session - The session (or its id).
   * @returns The access token.
   * @throws {@link IdPortenError} `ERR_NO_SESSION` when the session is gone, `ERR_REFRESH_FAILED` when no token can be had.
   */
  async accessToken(session: Session | string): Promise<string> {
    const id = typeof session === 'string' ? session : session.id
    const record = await this.#store.get(id)
    if (record === undefined) throw new IdPortenError('ERR_NO_SESSION', 'The session has ended')
    const now = this.#clock.now()
    if (
      record.accessToken !== undefined &&
      (record.accessTokenExpiresAt === undefined ||
        record.accessTokenExpiresAt - ACCESS_TOKEN_MARGIN_MS > now)
    ) {
      return record.accessToken
    }
    let pending = this.#refreshing.get(id)
    if (pending === undefined) {
      pending = this.#refresh(record).finally(() => this.#refreshing.delete(id))
      this.#refreshing.set(id, pending)
    }
    return pending
  }

  async #refresh(record: SessionRecord): Promise<string> {
    if (record.refreshToken === undefined) {
      throw new IdPortenError(
        'ERR_REFRESH_FAILED',
        'The access token has expired and there is no refresh token',
      )
    }
    let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>>
    try {
      // A new ID token in the answer is not used: the session keeps the one verified at login
      // (claims, id_token_hint), so its signature needs no check here.
      tokens = await oidc.refreshTokenGrant(this.#config(), record.refreshToken)
    } catch (error) {
      throw new IdPortenError('ERR_REFRESH_FAILED', 'The refresh token grant failed', {
        cause: sanitizedCause(error),
        retryable: isTransportError(error),
      })
    }
    const now = this.#clock.now()
    const { accessTokenExpiresAt: _a, refreshToken: _r, ...rest } = record
    const current = (await this.#store.get(record.id)) ?? record
    const updated: SessionRecord = {
      ...rest,
      lastSeenAt: current.lastSeenAt,
      accessToken: tokens.access_token,
      ...(tokens.expires_in === undefined ? {} : { accessTokenExpiresAt: now + tokens.expires_in * 1000 }),
      ...((tokens.refresh_token ?? record.refreshToken) === undefined
        ? {}
        : { refreshToken: (tokens.refresh_token ?? record.refreshToken) as string }),
    }
    await this.#store.set(updated, this.#expiresAt(updated.createdAt, updated.lastSeenAt))
    return tokens.access_token
  }

  /**
   * RP-initiated logout. Only `POST` with the session's CSRF token (form
   * field `csrf` or header `x-csrf-token`) has any effect. Ends the local
   * session, then answers with a page whose form posts `id_token_hint`,
   * `post_logout_redirect_uri`, `state` and `client_id` to the provider's
   * `end_session_endpoint`; a same-origin script (`{basePath}/logout.js`)
   * submits it, so the page works under a CSP without inline scripts, and a
   * button remains for browsers without JavaScript.
   *
   * @param request - `POST {basePath}/logout`.
   * @returns The auto-submitting page, a redirect when there is no session, 403 on a CSRF failure, 405 for other methods.
   */
  async logout(request: Request): Promise<Response> {
    const checked = await this.#checkLogoutRequest(request)
    if (checked instanceof Response) return checked
    const { record } = checked
    await this.#store.delete(record.id)
    const endSession = this.metadata.end_session_endpoint
    const clear = clearCookie(this.sessionCookieName, { secure: this.#secure })
    if (endSession === undefined) return this.#redirect(this.#options.postLogoutPath ?? '/', [clear])
    const state = oidc.randomState()
    const sealed = await this.#sealer.seal(LOGOUT_PURPOSE, { s: state, e: this.#clock.now() + TX_TTL_MS })
    const fields: Record<string, string> = {
      id_token_hint: record.idToken,
      post_logout_redirect_uri: this.postLogoutRedirectUri,
      state,
      client_id: this.clientId,
    }
    if (record.locale !== undefined && UI_LOCALES.has(record.locale)) fields.ui_locales = record.locale
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
      .join('\n')
    const html = page(
      'Logger ut',
      `<h1>Logger ut</h1>
<form id="felles-logout" method="${this.#options.endSessionMethod === 'GET' ? 'get' : 'post'}" action="${escapeHtml(endSession)}">
${inputs}
<p>Du blir sendt videre for å logge ut av ID-porten.</p>
<button type="submit">Fortsett utlogging</button>
</form>
<script src="${escapeHtml(this.basePath)}/logout.js"></script>`,
    )
    const headers = pageHeaders(
      "default-src 'none'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'",
    )
    headers.append('set-cookie', clear)
    headers.append(
      'set-cookie',
      serializeCookie(this.#logoutCookie, sealed, { secure: this.#secure, maxAge: TX_TTL_MS / 1000 }),
    )
    return new Response(html, { status: 200, headers })
  }

  /**
   * Local logout: ends the session here only (the provider's SSO session
   * stays). `POST` with the CSRF token, like {@link logout}.
   *
   * @param request - `POST {basePath}/logout/local`.
   * @returns A 303 redirect to the post-logout path.
   */
  async localLogout(request: Request): Promise<Response> {
    const checked = await this.#checkLogoutRequest(request)
    if (checked instanceof Response) return checked
    await this.#store.delete(checked.record.id)
    return this.#redirect(this.#options.postLogoutPath ?? '/', [
      clearCookie(this.sessionCookieName, { secure: this.#secure }),
    ])
  }

  async #checkLogoutRequest(request: Request): Promise<Response | { record: SessionRecord }> {
    if (request.method !== 'POST') {
      return new Response('Method Not Allowed', {
        status: 405,
        headers: { allow: 'POST', 'cache-control': 'no-store', 'content-type': 'text/plain; charset=utf-8' },
      })
    }
    const id = readCookie(request.headers.get('cookie'), this.sessionCookieName)
    const record = id === undefined ? undefined : await this.#store.get(id)
    if (record === undefined) {
      return this.#redirect(this.#options.postLogoutPath ?? '/', [
        clearCookie(this.sessionCookieName, { secure: this.#secure }),
      ])
    }
    const origin = request.headers.get('origin')
    const site = request.headers.get('sec-fetch-site')
    const token = request.headers.get('x-csrf-token') ?? (await readFormField(request, 'csrf'))
    if (
      // Browsers send `Origin: null` under `Referrer-Policy: no-referrer`; the token decides then.
      (origin !== null && origin !== 'null' && origin !== this.#origin) ||
      site === 'cross-site' ||
      site === 'same-site' ||
      token === undefined ||
      !timingSafeEqual(token, record.csrfToken)
    ) {
      return this.#errorResponse(
        new IdPortenError('ERR_CSRF', 'The logout request failed the CSRF check'),
        'ERR_CSRF',
      )
    }
    return { record }
  }

  /**
   * Where the provider sends the user back after logout
   * (`post_logout_redirect_uri`): checks the `state` against the logout cookie
   * and redirects to the post-logout path.
   *
   * @param request - `GET {basePath}/logout/callback?state=…`.
   * @returns A 303 redirect.
   */
  async logoutCallback(request: Request): Promise<Response> {
    const clear = clearCookie(this.#logoutCookie, { secure: this.#secure })
    const sealed = readCookie(request.headers.get('cookie'), this.#logoutCookie)
    const state = new URL(request.url).searchParams.get('state')
    const saved =
      sealed === undefined
        ? undefined
        : ((await this.#sealer.unseal(LOGOUT_PURPOSE, sealed)) as { s?: string } | undefined)
    if (saved?.s === undefined || saved.s !== state) {
      this.#report(new IdPortenError('ERR_STATE_MISMATCH', 'The logout response state does not match'))
    }
    return this.#redirect(this.#options.postLogoutPath ?? '/', [clear])
  }

  /**
   * Front-channel logout: the provider loads this URL in a hidden iframe with
   * `iss` and `sid`. Third-party cookies do not arrive there, so the session
   * is found by `sid`. A wrong `iss` or an unknown `sid` is ignored. Answers
   * with `Cache-Control: no-store` and a `frame-ancestors` policy that allows
   * only the provider.
   *
   * @param request - `GET {basePath}/frontchannel-logout?iss=…&sid=…`.
   * @returns An empty 200 response.
   */
  async frontChannelLogout(request: Request): Promise<Response> {
    const params = new URL(request.url).searchParams
    const iss = params.get('iss')
    const sid = params.get('sid')
    if (iss === this.issuer && sid !== null && sid.length > 0) {
      for (const id of await this.#store.findIdsBySid(sid)) {
        const record = await this.#store.get(id)
        if (record !== undefined && record.issuer === this.issuer && record.sid === sid)
          await this.#store.delete(id)
      }
    }
    return new Response('', {
      status: 200,
      headers: {
        'cache-control': 'no-store',
        'content-type': 'text/plain; charset=utf-8',
        'content-security-policy': this.frameAncestors(),
      },
    })
  }

  /**
   * Ends every local session that belongs to a provider session (`sid`), as
   * front-channel logout does.
   *
   * @param sid - The provider's session id.
   * @returns How many sessions ended.
   */
  async endSessionsBySid(sid: string): Promise<number> {
    let n = 0
    for (const id of await this.#store.findIdsBySid(sid)) {
      await this.#store.delete(id)
      n++
    }
    return n
  }

  #txCookieName(state: string): string {
    return this.#txPrefix + state.slice(0, 16).replace(/[^A-Za-z0-9_-]/g, '_')
  }

  #expiresAt(createdAt: number, lastSeenAt: number): number {
    return Math.min(lastSeenAt + this.#idle, createdAt + this.#absolute)
  }

  async #consume(key: string, expiresAt: number): Promise<boolean> {
    if (this.#store.consume !== undefined) return this.#store.consume(key, expiresAt)
    const now = this.#clock.now()
    const seen = this.#used.get(key)
    if (seen !== undefined && seen > now) return false
    if (this.#used.size > 10_000) for (const [k, exp] of this.#used) if (exp <= now) this.#used.delete(k)
    this.#used.set(key, expiresAt)
    return true
  }

  #config(): oidc.Configuration {
    const state = this.#discovery
    const maxAge = this.#options.metadataMaxAgeMs ?? 24 * 60 * 60 * 1000
    if (this.#clock.now() - state.fetchedAt >= maxAge && this.#rediscovering === undefined) {
      this.#rediscovering = IdPortenClient.discover(this.#options, this.#clientAuth, this.#fetch, this.#clock)
        .then((next) => {
          // The cached keys stay unless the keys now live elsewhere.
          if (next.config.serverMetadata().jwks_uri !== this.#idTokens.jwksUri) {
            this.#idTokens = this.#createVerifier(next.config)
          }
          this.#discovery = next
        })
        .catch((error: unknown) => {
          // Keep the metadata we have; try again after another interval.
          state.fetchedAt = this.#clock.now()
          if (isIdPortenError(error)) this.#report(error)
        })
        .finally(() => {
          this.#rediscovering = undefined
        })
    }
    return state.config
  }

  #redirect(location: string, cookies: readonly string[]): Response {
    const headers = new Headers({ location, 'cache-control': 'no-store' })
    for (const cookie of cookies) headers.append('set-cookie', cookie)
    return new Response(null, { status: 303, headers })
  }

  #report(error: IdPortenError): void {
    try {
      this.#options.onError?.(error)
    } catch {
      // a failing logger must not break login
    }
  }

  #errorResponse(error: unknown, fallback: IdPortenErrorCode): Response {
    const failure = isIdPortenError(error)
      ? error
      : new IdPortenError(fallback, 'Login failed', { cause: sanitizedCause(error) })
    this.#report(failure)
    if (this.#options.errorPage !== undefined) return this.#options.errorPage(failure)
    const title = failure.code === 'ERR_CSRF' ? 'Forespørselen ble avvist' : 'Innlogging feilet'
    const text =
      failure.code === 'ERR_CSRF'
        ? 'Forespørselen kom ikke fra denne tjenesten. Gå til forsiden og prøv igjen.'
        : 'Vi kunne ikke fullføre innloggingen. Prøv igjen, eller gå til forsiden.'
    const html = page(
      title,
      `<h1>${title}</h1>
<p>${text}</p>
<p><a href="/">Til forsiden</a></p>
<p>Feilkode: <code>${escapeHtml(failure.code)}</code></p>`,
    )
    return new Response(html, {
      status: failure.status,
      headers: pageHeaders("default-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
    })
  }
}

/**
 * Creates a relying party: discovers the provider's metadata (refusing to
 * start when its `issuer` differs from the preset's by a single character),
 * and prepares client authentication.
 *
 * @param options - Provider preset, client, app URL, cookie secret, store and policies.
 * @returns A ready {@link IdPortenClient}.
 * @throws {@link IdPortenError} `ERR_DISCOVERY_FAILED` or `ERR_ISSUER_MISMATCH`; `TypeError` for invalid options.
 * @example
 * ```ts
 * const auth = await createIdPorten({
 *   preset: ID_PORTEN_TEST,
 *   clientId: 'my-client',
 *   clientAuth: privateKeyJwt({ keys: [{ key: pem, kid: 'k1' }] }),
 *   baseUrl: 'https://minside.kommune.no',
 *   cookieSecret: process.env.COOKIE_SECRET ?? '',
 * })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_guide_idporten
 */
export async function createIdPorten(options: IdPortenOptions): Promise<IdPortenClient> {
  validateOptions(options)
  const clientAuth = await toOpenidClientAuth(options.clientAuth)
  const clock = options.clock ?? systemClock
  const providerFetch = createProviderFetch(options.fetch)
  const discovery = await IdPortenClient.discover(options, clientAuth, providerFetch, clock)
  return new IdPortenClient(options, clientAuth, discovery)
}

function validateOptions(options: IdPortenOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('createIdPorten: options are required')
  if (typeof options.clientId !== 'string' || options.clientId.length === 0) {
    throw new TypeError('createIdPorten: clientId is required')
  }
  let base: URL
  try {
    base = new URL(options.baseUrl)
  } catch {
    throw new TypeError('createIdPorten: baseUrl must be an absolute URL')
  }
  if (base.protocol !== 'https:' && !isLoopbackHttp(base)) {
    throw new TypeError('createIdPorten: baseUrl must be https (plain http only on localhost)')
  }
  const tolerance = options.clockToleranceSeconds
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 60)) {
    throw new TypeError('createIdPorten: clockToleranceSeconds must be between 0 and 60')
  }
  const limits = options.session
  for (const value of [limits?.idleTimeoutMs, limits?.absoluteTimeoutMs, options.httpTimeoutMs]) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new TypeError('createIdPorten: timeouts must be positive numbers of milliseconds')
    }
  }
  const touch = limits?.touchIntervalMs
  if (
    touch !== undefined &&
    !(Number.isFinite(touch) && touch >= 0 && touch < (limits?.idleTimeoutMs ?? 30 * 60 * 1000))
  ) {
    throw new TypeError('createIdPorten: session.touchIntervalMs must be 0 or more and below the idle limit')
  }
  if (options.postLogoutPath !== undefined && safeReturnTo(options.postLogoutPath, '') === '') {
    throw new TypeError('createIdPorten: postLogoutPath must be a same-origin path')
  }
  if (options.acrValues !== undefined && acrRank(options.acrValues) === 0) {
    throw new TypeError('createIdPorten: acrValues must be a substantial or high level')
  }
}

function normaliseBasePath(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//'))
    throw new TypeError('basePath must start with a single /')
  return path.endsWith('/') ? path.slice(0, -1) : path
}

function toSession(record: SessionRecord, expiresAt: number): Session {
  return {
    id: record.id,
    sub: record.sub,
    pid: record.pid,
    acr: record.acr,
    amr: record.amr,
    sid: record.sid,
    locale: record.locale,
    authTime: record.authTime,
    claims: record.claims,
    csrfToken: record.csrfToken,
    createdAt: record.createdAt,
    expiresAt,
  }
}

function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

async function readFormField(request: Request, name: string): Promise<string | undefined> {
  const type = request.headers.get('content-type') ?? ''
  if (!type.startsWith('application/x-www-form-urlencoded') || request.body === null) return undefined
  const text = await request.text()
  if (text.length > MAX_FORM_BYTES) return undefined
  return new URLSearchParams(text).get(name) ?? undefined
}
