import { generateKeyPair as generateKeyPairCallback } from 'node:crypto'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import {
  type IdportenMock,
  type IdportenMockOptions,
  type OidcClientOptions,
  type RegisteredOidcClient,
  startIdportenMock as startMock,
} from '@felles/id-porten-mock'
import {
  clientSecretBasic,
  clientSecretPost,
  createIdPorten,
  type IdPortenClient,
  type IdPortenOptions,
  localPreset,
  privateKeyJwt,
} from '../../src/index.js'
import { type AdapterName, mountApp, serveNode } from './apps.js'
import { type Browser, type Page, radioValues, readForm } from './browser.js'
import { type Running, serveFetch } from './server.js'

// RSA key generation dominates the cost of starting mocks and registering
// clients; every test in a worker shares these (fresh ones where a test needs them).
let keys:
  | Promise<{ client: JsonWebKey; publicClient: JsonWebKey; signing: Record<string, JsonWebKey> }>
  | undefined

async function rsa(): Promise<{ privateJwk: JsonWebKey; publicJwk: JsonWebKey }> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
  return { privateJwk: privateKey.export({ format: 'jwk' }), publicJwk: publicKey.export({ format: 'jwk' }) }
}

// Generated once per machine and kept in the temp folder: on this hardware one
// 2048-bit RSA key takes about half a second, and every test file needs four.
const KEY_CACHE = join(tmpdir(), 'felles-id-porten-test-keys-v1.json')

async function loadOrCreateKeys(): Promise<JsonWebKey[]> {
  try {
    const cached = JSON.parse(await readFile(KEY_CACHE, 'utf8')) as JsonWebKey[]
    if (
      Array.isArray(cached) &&
      cached.length === 4 &&
      cached.every((k) => k.kty === 'RSA' && typeof k.d === 'string')
    ) {
      return cached
    }
  } catch {
    // no cache yet
  }
  const fresh = (await Promise.all([rsa(), rsa(), rsa(), rsa()])).map((k) => k.privateJwk)
  const temp = `${KEY_CACHE}.${process.pid}.${Date.now()}`
  await writeFile(temp, JSON.stringify(fresh), { mode: 0o600 })
  await rename(temp, KEY_CACHE)
  return fresh
}

function sharedKeys(): NonNullable<typeof keys> {
  keys ??= (async () => {
    const [client, idporten, ansattporten, maskinporten] = (await loadOrCreateKeys()) as [
      JsonWebKey,
      JsonWebKey,
      JsonWebKey,
      JsonWebKey,
    ]
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicClient } = client
    return {
      client: { ...client, kid: 'shared-test-key' } as JsonWebKey,
      publicClient: { ...publicClient, kid: 'shared-test-key' } as JsonWebKey,
      signing: { idporten, ansattporten, maskinporten },
    }
  })()
  return keys
}

/** Starts the mock with this worker's shared signing keys (unless the test gives its own). */
export async function startIdportenMock(options: IdportenMockOptions = {}): Promise<IdportenMock> {
  const shared = await sharedKeys()
  return startMock({
    signingKeys: shared.signing as NonNullable<IdportenMockOptions['signingKeys']>,
    ...options,
  })
}

/** Starts the mock signing with other keys than {@link startIdportenMock} does (key rotation). */
export async function startRotatedIdportenMock(options: IdportenMockOptions = {}): Promise<IdportenMock> {
  const { signing } = await sharedKeys()
  return startMock({
    signingKeys: {
      idporten: signing.maskinporten,
      ansattporten: signing.idporten,
      maskinporten: signing.ansattporten,
    } as NonNullable<IdportenMockOptions['signingKeys']>,
    ...options,
  })
}
export type { IdportenMock, IdportenMockOptions, RegisteredOidcClient }

const generateKeyPair = promisify(generateKeyPairCallback)

export const COOKIE_SECRET = 'a test cookie secret that is long enough for HKDF'

export interface RelyingParty {
  readonly auth: IdPortenClient
  readonly app: Running
  readonly client: RegisteredOidcClient
  close(): Promise<void>
}

export interface RelyingPartyOptions {
  readonly flavour?: 'idporten' | 'ansattporten'
  readonly client?: Partial<OidcClientOptions>
  readonly options?: Partial<IdPortenOptions>
  readonly host?: string
  /** Serve through one of the framework adapters instead of the bare Fetch handler. */
  readonly adapter?: AdapterName
  /** Runs after the client is registered; may return options (for example another clientAuth). */
  readonly prepare?: (client: RegisteredOidcClient) => Promise<Partial<IdPortenOptions>>
  /** The origin users see, when it differs from the server's (a TLS-terminating proxy). */
  readonly publicOrigin?: (serverUrl: string) => string
}

/** A relying party on a fresh local server, with a client registered at the mock. */
export async function startRelyingParty(
  mock: IdportenMock,
  setup: RelyingPartyOptions = {},
): Promise<RelyingParty> {
  const app = setup.adapter === undefined ? await serveFetch(setup.host) : await serveNode()
  const base = setup.publicOrigin?.(app.url) ?? app.url
  const flavour = setup.flavour ?? 'idporten'
  const shared = await sharedKeys()
  const client = await mock.registerClient({
    issuer: flavour,
    jwk: shared.client as never,
    clientName: 'Min side test',
    redirectUris: [`${base}/auth/callback`],
    postLogoutRedirectUris: [`${base}/auth/logout/callback`],
    frontchannelLogoutUri: `${base}/auth/frontchannel-logout`,
    ...setup.client,
  })
  const clientAuth =
    client.authMethod === 'client_secret_basic'
      ? clientSecretBasic(client.clientSecret ?? '')
      : client.authMethod === 'client_secret_post'
        ? clientSecretPost(client.clientSecret ?? '')
        : privateKeyJwt({
            keys: [
              {
                key: (client.keys[0]?.privateJwk ?? shared.client) as JsonWebKey,
                kid: client.keys[0]?.kid ?? '',
              },
            ],
          })
  const endSessionMethod = (await postLogoutSupported(mock)) ? 'POST' : 'GET'
  const auth = await createIdPorten({
    endSessionMethod,
    preset: localPreset(flavour === 'idporten' ? mock.issuers.idporten : mock.issuers.ansattporten, flavour),
    clientId: client.clientId,
    clientAuth,
    baseUrl: base,
    cookieSecret: COOKIE_SECRET,
    ...setup.options,
    ...(await setup.prepare?.(client)),
  })
  if ('attach' in app) app.attach(await mountApp(setup.adapter as AdapterName, auth))
  else app.handler = async (request) => (await auth.handle(request)) ?? appRoutes(auth, request)
  return {
    auth,
    app: { ...app, url: app.url },
    client,
    close: () => app.close(),
  }
}

const postSupport = new WeakMap<IdportenMock, boolean>()

/**
 * Whether the mock accepts POST at its end_session_endpoint (oidc-provider v9
 * needs `enableHttpPostMethods`); the relying party falls back to GET if not.
 */
export async function postLogoutSupported(mock: IdportenMock): Promise<boolean> {
  let known = postSupport.get(mock)
  if (known === undefined) {
    const response = await fetch(`${mock.issuer}/logout`, { method: 'POST', body: new URLSearchParams() })
    await response.body?.cancel()
    known = response.status !== 404
    postSupport.set(mock, known)
  }
  return known
}

/** The sample app's own routes: `/me` (the session as JSON, 401 without), `/high` (needs level high). */
async function appRoutes(auth: IdPortenClient, request: Request): Promise<Response> {
  const { pathname } = new URL(request.url)
  if (pathname === '/me' || pathname === '/high') {
    const result = await auth.requireSession(
      request,
      pathname === '/high' ? { acr: 'idporten-loa-high' } : {},
    )
    if (result.response !== undefined) {
      if (pathname !== '/me') return result.response
      const headers = new Headers()
      for (const c of result.response.headers.getSetCookie()) headers.append('set-cookie', c)
      return new Response('anonymous', { status: 401, headers })
    }
    const s = result.session
    return Response.json(
      {
        sub: s.sub,
        pid: s.pid,
        acr: s.acr,
        amr: s.amr,
        sid: s.sid,
        locale: s.locale,
        csrf: s.csrfToken,
        id: s.id,
        claims: s.claims,
      },
      { headers: { 'cache-control': 'no-store' } },
    )
  }
  return new Response(`page ${pathname}`, { status: 200 })
}

export interface LoginChoice {
  /** Index into the login page's list of persons. Default 0. */
  readonly person?: number
  /** Level to choose on the login page. Default: what the page preselects. */
  readonly level?: 'idporten-loa-substantial' | 'idporten-loa-high'
  /** Extra query for the app's login route. */
  readonly query?: string
  /** Stop before the callback reaches the app; the page's `url` is the callback URL. */
  readonly stopAtCallback?: boolean
  /** Press cancel on the login page. */
  readonly cancel?: boolean
}

/** Logs in through the app's login route and the mock's login page, as a browser would. */
export async function login(browser: Browser, rp: RelyingParty, choice: LoginChoice = {}): Promise<Page> {
  const stopAt =
    choice.stopAtCallback === true || rp.auth.redirectUri.startsWith('https:')
      ? (u: URL) => u.href.startsWith(rp.auth.redirectUri)
      : undefined
  const first = await browser.navigate(
    `${rp.app.url}/auth/login${choice.query ?? ''}`,
    {},
    stopAt ? { stopAt } : {},
  )
  if (!first.body.includes('name="person"')) return first // SSO: no login page
  return choosePerson(browser, first, choice, stopAt)
}

/** Fills in the mock's login page (and organisation page for Ansattporten). */
export async function choosePerson(
  browser: Browser,
  page: Page,
  choice: LoginChoice,
  stopAt: ((u: URL) => boolean) | undefined,
): Promise<Page> {
  const form = readForm(page)
  const persons = radioValues(page, 'person')
  const overrides: Record<string, string> = { action: choice.cancel === true ? 'cancel' : 'login' }
  overrides.person = persons[choice.person ?? 0] ?? ''
  if (choice.level !== undefined) overrides.level = choice.level
  let next = await browser.submit(form, overrides, stopAt ? { stopAt } : {})
  if (next.body.includes('name="organisation"')) {
    next = await browser.submit(readForm(next), { action: 'login' }, stopAt ? { stopAt } : {})
  }
  return next
}

/** Reads `/me`: the session as the app sees it, or `undefined` (401). */
export async function me(browser: Browser, rp: RelyingParty): Promise<Record<string, unknown> | undefined> {
  const response = await browser.request(`${rp.app.url}/me`)
  if (response.status === 401) {
    await response.body?.cancel()
    return undefined
  }
  return (await response.json()) as Record<string, unknown>
}

/**
 * RP-initiated logout the way a browser does it: POST the app's logout form
 * with the CSRF token, submit the auto-submitting form to the provider,
 * confirm on the mock's page, load every front-channel logout iframe, then
 * follow on to the post-logout redirect.
 */
export async function logout(browser: Browser, rp: RelyingParty): Promise<{ page: Page; iframes: string[] }> {
  const session = await me(browser, rp)
  const ours = await browser.submit(
    { action: `${rp.app.url}/auth/logout`, method: 'POST', fields: {} },
    { csrf: String(session?.csrf ?? '') },
  )
  if (!ours.body.includes('felles-logout')) return { page: ours, iframes: [] }
  const atProvider = await browser.submit(readForm(ours))
  let page = atProvider
  if (page.body.includes('data-autosubmit')) page = await browser.submit(readForm(page, /data-autosubmit/))
  const iframes = [...page.body.matchAll(/<iframe[^>]*src="([^"]*)"/g)].map((m) =>
    (m[1] ?? '').replace(/&amp;/g, '&'),
  )
  for (const src of iframes) await browser.navigate(src)
  const next = /data-next[^>]*|href="([^"]*)"[^>]*data-next/.exec(page.body)
  const refresh = /http-equiv="refresh" content="0;url=([^"]*)"/.exec(page.body)?.[1]
  const target = refresh ?? next?.[1]
  if (target !== undefined)
    page = await browser.navigate(new URL(target.replace(/&amp;/g, '&'), page.url).href)
  return { page, iframes }
}
