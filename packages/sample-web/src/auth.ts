import { readFileSync } from 'node:fs'
import {
  ANSATTPORTEN,
  ANSATTPORTEN_TEST,
  type AuthorizationDetailRequest,
  type Clock,
  createIdPorten,
  ID_PORTEN,
  ID_PORTEN_TEST,
  type IdPortenClient,
  type IdPortenError,
  localPreset,
  type Preset,
  privateKeyJwt,
  type SessionLimits,
  type SessionStore,
} from '@felles/id-porten'
import { type HonoIdPorten, idPortenHono } from '@felles/id-porten/hono'

/** Which login service: citizens (ID-porten) or employees (Ansattporten). */
export type Product = 'idporten' | 'ansattporten'

/**
 * A client already registered at the identity provider: for the local mock,
 * what `mock.registerClient()` returned (see {@link fromMockClient}).
 */
export interface RegisteredClient {
  readonly clientId: string
  /** The private key for `private_key_jwt`: a JWK object, or a PEM (PKCS#8 or PKCS#1) string. */
  readonly privateKey: JsonWebKey | string
  /** The key's `kid` as registered. */
  readonly kid: string
}

/** Where to log in and as which client. */
export interface IdentityOptions {
  /** Default `idporten`. */
  readonly product?: Product
  /**
   * `local` (the mock; plain http on loopback allowed), `test` or `prod` (Digdir's presets, whose
   * issuers are fixed). Default `local`.
   */
  readonly environment?: 'local' | 'test' | 'prod'
  /** The issuer, needed for `local` (for the mock's Ansattporten: `${mock.url}/ansattporten`). */
  readonly issuer?: string
  readonly client: RegisteredClient
}

/** The redirect URIs to register for an app (at Digdir's self-service or at the mock). */
export interface ClientUris {
  readonly redirectUri: string
  readonly postLogoutRedirectUri: string
  readonly frontchannelLogoutUri: string
}

/**
 * The URIs an app at `baseUrl` must have registered (the kit mounts the login
 * routes at `/auth`).
 *
 * @param baseUrl - The app's public origin, e.g. `http://127.0.0.1:4100`.
 * @returns The three URIs.
 */
export function clientUris(baseUrl: string): ClientUris {
  const origin = new URL(baseUrl).origin
  return {
    redirectUri: `${origin}/auth/callback`,
    postLogoutRedirectUri: `${origin}/auth/logout/callback`,
    frontchannelLogoutUri: `${origin}/auth/frontchannel-logout`,
  }
}

/**
 * Options for `mock.registerClient()` of `@felles/id-porten-mock` for an app at `baseUrl`.
 *
 * @param baseUrl - The app's origin.
 * @param product - `idporten` (default) or `ansattporten`.
 * @param clientName - Shown on the mock's login page.
 * @returns The registration options (private_key_jwt with a generated key).
 * @example
 * ```ts
 * const client = await mock.registerClient(mockRegistration('http://127.0.0.1:4100', 'idporten', 'Min side'))
 * await startMinSide({ port: 4100, identity: { issuer: mock.issuer, client: fromMockClient(client) } })
 * ```
 */
export function mockRegistration(
  baseUrl: string,
  product: Product = 'idporten',
  clientName?: string,
): {
  issuer: Product
  clientName?: string
  redirectUris: string[]
  postLogoutRedirectUris: string[]
  frontchannelLogoutUri: string
} {
  const uris = clientUris(baseUrl)
  return {
    issuer: product,
    ...(clientName === undefined ? {} : { clientName }),
    redirectUris: [uris.redirectUri],
    postLogoutRedirectUris: [uris.postLogoutRedirectUri],
    frontchannelLogoutUri: uris.frontchannelLogoutUri,
  }
}

/** The parts of the mock's `registerClient()` result the kit needs. */
export interface MockClientLike {
  readonly clientId: string
  readonly keys: readonly { readonly kid: string; readonly privateJwk?: object | undefined }[]
}

/**
 * Converts what `mock.registerClient()` returned into a {@link RegisteredClient}.
 *
 * @param client - The mock's registered client (private_key_jwt).
 * @returns The client id, private JWK and kid.
 * @throws TypeError when the client has no private key (register it with the default `private_key_jwt`).
 */
export function fromMockClient(client: MockClientLike): RegisteredClient {
  const key = client.keys[0]
  if (key?.privateJwk === undefined) {
    throw new TypeError('fromMockClient: the client has no private key (use private_key_jwt)')
  }
  return { clientId: client.clientId, privateKey: key.privateJwk as JsonWebKey, kid: key.kid }
}

/**
 * Reads the identity configuration from environment variables, for real
 * ID-porten or Ansattporten test (prefix `IDPORTEN_` or `ANSATTPORTEN_`):
 *
 * | variable | meaning |
 * | --- | --- |
 * | `{P}_ENV` | `test` or `prod` (Digdir's issuers), or `local` with `{P}_ISSUER` |
 * | `{P}_ISSUER` | only for `local` |
 * | `{P}_CLIENT_ID` | the client id from Digdir's self-service |
 * | `{P}_CLIENT_KEY` or `{P}_CLIENT_KEY_FILE` | the private key: PEM (PKCS#8/PKCS#1) or a JWK as JSON |
 * | `{P}_CLIENT_KID` | the key's `kid` as registered |
 *
 * @param product - Which service.
 * @param env - Default `process.env`.
 * @returns The options, or `undefined` when `{P}_CLIENT_ID` is not set.
 * @throws TypeError when the configuration is incomplete.
 */
export function identityFromEnv(
  product: Product,
  env: Readonly<Record<string, string | undefined>> = process.env,
): IdentityOptions | undefined {
  const p = product === 'idporten' ? 'IDPORTEN' : 'ANSATTPORTEN'
  const clientId = env[`${p}_CLIENT_ID`]
  if (clientId === undefined || clientId === '') return undefined
  const environment = (env[`${p}_ENV`] ?? 'test') as IdentityOptions['environment']
  if (environment !== 'local' && environment !== 'test' && environment !== 'prod') {
    throw new TypeError(`${p}_ENV must be local, test or prod`)
  }
  const file = env[`${p}_CLIENT_KEY_FILE`]
  const raw = file !== undefined && file !== '' ? readFileSync(file, 'utf8') : env[`${p}_CLIENT_KEY`]
  const kid = env[`${p}_CLIENT_KID`]
  if (raw === undefined || raw.trim() === '' || kid === undefined || kid === '') {
    throw new TypeError(`${p}_CLIENT_KEY (or ${p}_CLIENT_KEY_FILE) and ${p}_CLIENT_KID are required`)
  }
  const text = raw.trim()
  const privateKey = text.startsWith('{') ? (JSON.parse(text) as JsonWebKey) : text
  const issuer = env[`${p}_ISSUER`]
  if (environment === 'local' && (issuer === undefined || issuer === '')) {
    throw new TypeError(`${p}_ISSUER is required with ${p}_ENV=local`)
  }
  return {
    product,
    environment,
    ...(issuer === undefined || issuer === '' ? {} : { issuer }),
    client: { clientId, privateKey, kid },
  }
}

function presetFor(identity: IdentityOptions): Preset {
  const product = identity.product ?? 'idporten'
  const environment = identity.environment ?? 'local'
  if (environment === 'local') {
    if (identity.issuer === undefined) throw new TypeError('identity.issuer is required for the local mock')
    return localPreset(identity.issuer, product)
  }
  if (product === 'idporten') return environment === 'prod' ? ID_PORTEN : ID_PORTEN_TEST
  return environment === 'prod' ? ANSATTPORTEN : ANSATTPORTEN_TEST
}

/** Options for {@link createAuth}. */
export interface CreateAuthOptions {
  /** The app's public origin (https, or plain http on loopback). */
  readonly baseUrl: string
  readonly identity: IdentityOptions
  /** Where sessions live (use {@link SqlSessionStore}). */
  readonly store: SessionStore
  /** The session cookie's name, unique per app on one host (cookies ignore ports). */
  readonly cookieName: string
  /** 32+ characters; default `COOKIE_SECRET` or a random one per process (logins in flight then fail on restart). */
  readonly cookieSecret?: string
  /** Default level; default `idporten-loa-substantial`. */
  readonly acrValues?: string
  readonly session?: SessionLimits
  readonly clock?: Clock
  /** Ansattporten's rich authorization request. */
  readonly authorizationDetails?: readonly AuthorizationDetailRequest[]
  /** `ui_locales` default. */
  readonly uiLocales?: 'nb' | 'nn' | 'en' | 'se'
  readonly onError?: (error: IdPortenError) => void
  readonly errorPage?: (error: IdPortenError) => Response
}

/** What {@link createAuth} returns. */
export interface Auth {
  readonly auth: IdPortenClient
  readonly hono: HonoIdPorten
}

/**
 * Builds the `@felles/id-porten` relying party and its Hono adapter for an app,
 * against the local mock or Digdir's test or production services.
 *
 * @param options - App origin, identity, store, cookie name.
 * @returns The relying party and adapter.
 * @throws IdPortenError when discovery fails; TypeError for bad options.
 */
export async function createAuth(options: CreateAuthOptions): Promise<Auth> {
  const secret =
    options.cookieSecret ??
    process.env.COOKIE_SECRET ??
    Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
  const { client } = options.identity
  const auth = await createIdPorten({
    preset: presetFor(options.identity),
    clientId: client.clientId,
    clientAuth: privateKeyJwt({ keys: [{ key: client.privateKey, kid: client.kid }] }),
    baseUrl: options.baseUrl,
    cookieSecret: secret,
    cookieName: options.cookieName,
    store: options.store,
    ...(options.acrValues === undefined ? {} : { acrValues: options.acrValues }),
    ...(options.session === undefined ? {} : { session: options.session }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.authorizationDetails === undefined
      ? {}
      : { authorizationDetails: options.authorizationDetails }),
    ...(options.uiLocales === undefined ? {} : { uiLocales: options.uiLocales }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.errorPage === undefined ? {} : { errorPage: options.errorPage }),
  })
  return { auth, hono: idPortenHono(auth) }
}
