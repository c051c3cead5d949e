import type { JWK } from 'jose'
import type { Clock } from './clock.js'
import type { FaultName, FaultOptions } from './faults.js'
import type { MockOrganisation, MockPerson, PersonInput } from './persons.js'

/** The three identity providers the mock runs. */
export type Flavour = 'idporten' | 'ansattporten' | 'maskinporten'

/** Security levels: `idporten-loa-substantial` ranks below `idporten-loa-high`. */
export type AcrValue = 'idporten-loa-substantial' | 'idporten-loa-high'

/** How a login client authenticates at the token endpoint. */
export type ClientAuthMethod = 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post' | 'none'

/** Options of {@link startIdportenMock}. */
export interface IdportenMockOptions {
  /** TCP port; `0` (default) picks a free one. */
  readonly port?: number
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string
  /** Seed for test persons, organisations and pairwise `sub` values. Default `felles`. */
  readonly seed?: string | number
  /** How many generated test persons (default 6, plus a foreign eID user), or an explicit list. */
  readonly persons?: number | readonly PersonInput[]
  /** Clients to register at start (same as calling `registerClient` for each). */
  readonly clients?: readonly ClientOptions[]
  /** Source of time for the mock's own expiry and checks (see {@link Clock}). */
  readonly clock?: Clock
  /**
   * Private RSA JWKs to sign with, per provider. Default: fresh keys every start.
   * Pass stable keys when an app should keep its cached JWKS across mock restarts.
   */
  readonly signingKeys?: { readonly idporten?: JWK; readonly ansattporten?: JWK; readonly maskinporten?: JWK }
  /** Override ID-porten's lifetimes (seconds). */
  readonly lifetimes?: Partial<Lifetimes>
}

/** Lifetimes in seconds; the defaults are ID-porten's. */
export interface Lifetimes {
  /** Access token, default 120. */
  readonly accessToken: number
  /** ID token, default 120. */
  readonly idToken: number
  /** Authorization code, default 60. */
  readonly authorizationCode: number
  /** Refresh token inactivity, default 600. */
  readonly refreshTokenIdle: number
  /** Whole authorization (refresh chain), default 7200. */
  readonly authorization: number
  /** SSO session idle limit, default 1800. */
  readonly sessionIdle: number
  /** SSO session absolute limit, default 7200. */
  readonly sessionAbsolute: number
  /** Maskinporten access token, default 120. */
  readonly maskinportenToken: number
}

/** A login client (ID-porten or Ansattporten). */
export interface OidcClientOptions {
  /** `idporten` (default) or `ansattporten`. */
  readonly issuer?: 'idporten' | 'ansattporten'
  /** Default: a random UUID. */
  readonly clientId?: string
  readonly clientName?: string
  /** Registered redirect URIs (exact match). */
  readonly redirectUris: readonly string[]
  readonly postLogoutRedirectUris?: readonly string[]
  /** The front-channel logout URI; the mock loads it in an iframe with `iss` and `sid` at logout. */
  readonly frontchannelLogoutUri?: string
  /** `sid` in ID tokens and logout URLs. Default: true when `frontchannelLogoutUri` is set. */
  readonly frontchannelLogoutSessionRequired?: boolean
  /** Default `private_key_jwt`. */
  readonly authMethod?: ClientAuthMethod
  /**
   * `private_key_jwt`: the client's key, public or private (RS256/384/512).
   * Default: a generated 2048-bit RSA key pair, returned in the result.
   */
  readonly jwk?: JWK
  /** `client_secret_*`: the secret. Default: a random one, returned in the result. */
  readonly clientSecret?: string
  /** Scopes the client may ask for. Default `['openid', 'profile']`. */
  readonly scopes?: readonly string[]
  /** Issue refresh tokens. Default true. */
  readonly refreshTokens?: boolean
  /** Refuse authorization requests that did not come through PAR. Default false. */
  readonly requirePushedAuthorizationRequests?: boolean
}

/** A Maskinporten client (jwt-bearer grant). */
export interface MaskinportenClientOptions {
  readonly issuer: 'maskinporten'
  /** Default: a random UUID. */
  readonly clientId?: string
  /** The client's organisation (consumer of its tokens). Default: the mock's first organisation. */
  readonly organisationNumber?: string
  /** Scopes this client may get tokens for. */
  readonly scopes: readonly string[]
  /**
   * How the client proves itself: `key` (default; a registered key, `kid` in
   * the assertion header), `certificate` (a business certificate from the
   * mock's test CA, sent as `x5c`), or `both`.
   */
  readonly trust?: 'key' | 'certificate' | 'both'
  /** `key` trust: the registered key (public or private). Default: generated. */
  readonly jwk?: JWK
  /** Organisations that delegated to this client (allowed `consumer_org` values), with the scopes delegated. */
  readonly delegations?: readonly { readonly consumerOrg: string; readonly scopes?: readonly string[] }[]
  /** Allowed `iss_onbehalfof` values. */
  readonly onBehalfOf?: readonly string[]
  /** Allowed `resource` values. Default: any. */
  readonly resources?: readonly string[]
}

/** Either kind of client. */
export type ClientOptions = OidcClientOptions | MaskinportenClientOptions

/** Key material of a registered key. */
export interface ClientKey {
  readonly kid: string
  readonly publicJwk: JWK
  /** Present when the mock generated the key or was given a private JWK. */
  readonly privateJwk?: JWK
}

/** A registered login client, with what a relying party needs to use it. */
export interface RegisteredOidcClient {
  readonly kind: 'oidc'
  readonly flavour: 'idporten' | 'ansattporten'
  /** The issuer this client belongs to (ID-porten's or Ansattporten's). */
  readonly issuer: string
  readonly clientId: string
  readonly authMethod: ClientAuthMethod
  /** `client_secret_*` only. */
  readonly clientSecret?: string
  /** `private_key_jwt` only: the registered key(s); the first is the one to sign with. */
  readonly keys: readonly ClientKey[]
  readonly redirectUris: readonly string[]
  readonly postLogoutRedirectUris: readonly string[]
  readonly frontchannelLogoutUri?: string
  readonly scopes: readonly string[]
  /** The client metadata as registered (snake_case, as in OpenID Connect Dynamic Registration). */
  readonly metadata: Readonly<Record<string, unknown>>
}

/** A business certificate issued by the mock's test CA. */
export interface TestBusinessCertificate {
  /** `x5c` header value: leaf first, then the test CA (base64 DER, an array as Digdir requires). */
  readonly x5c: readonly string[]
  readonly certificatePem: string
  /** Leaf and CA certificates, PEM. */
  readonly chainPem: string
  /** The certificate's private key, PKCS#8 PEM. */
  readonly privateKeyPem: string
  /** The same private key as a JWK (no `kid`). */
  readonly privateJwk: JWK
  readonly organisationNumber: string
  readonly notAfter: Date
}

/** A registered Maskinporten client. */
export interface RegisteredMaskinportenClient {
  readonly kind: 'maskinporten'
  readonly flavour: 'maskinporten'
  /** Maskinporten's issuer, with its trailing slash: the exact `aud` of every grant. */
  readonly issuer: string
  readonly tokenEndpoint: string
  readonly clientId: string
  readonly organisationNumber: string
  readonly scopes: readonly string[]
  /** Registered keys (`key`/`both` trust); the first is the one to sign with. */
  readonly keys: readonly ClientKey[]
  /** `certificate`/`both` trust. */
  readonly certificate?: TestBusinessCertificate
}

/** Either kind of registered client. */
export type RegisteredClient = RegisteredOidcClient | RegisteredMaskinportenClient

/** One request to one of the mock's back-channel endpoints, as recorded. */
export interface MockRequestLogEntry {
  /** Clock time, ms. */
  readonly at: number
  readonly flavour: Flavour
  /** `token`, `par`, `introspection`, `revocation`, `userinfo`. */
  readonly endpoint: string
  readonly clientId?: string
  /** `grant_type` of token requests. */
  readonly grantType?: string
  /** Faults applied to this request. */
  readonly faults: readonly FaultName[]
  /** The HTTP status, once answered (`undefined` while pending or when the connection was dropped). */
  status?: number
}

/** The issuer URLs. */
export interface MockIssuers {
  /** ID-porten: the server's base URL, no trailing slash. */
  readonly idporten: string
  /** Ansattporten: `{url}/ansattporten`. */
  readonly ansattporten: string
  /** Maskinporten: `{url}/maskinporten/`, with the trailing slash. */
  readonly maskinporten: string
}

/** A running mock. */
export interface IdportenMock {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  readonly port: number
  /** ID-porten's issuer (same as `issuers.idporten`). */
  readonly issuer: string
  readonly issuers: MockIssuers
  /** Discovery / metadata URLs, per provider. */
  readonly metadataUrls: MockIssuers
  /** The test persons on the login page. */
  readonly persons: readonly MockPerson[]
  /** Organisations (Ansattporten reportees, Maskinporten consumers). */
  readonly organisations: readonly MockOrganisation[]
  /** The clock in use. */
  readonly clock: Clock
  /** The PEM of the test CA that issues Maskinporten business certificates (created on first use). */
  testCa(): Promise<string>

  /** Registers a login client (ID-porten/Ansattporten). */
  registerClient(options: OidcClientOptions): Promise<RegisteredOidcClient>
  /** Registers a Maskinporten client. */
  registerClient(options: MaskinportenClientOptions): Promise<RegisteredMaskinportenClient>
  /** Registers either kind. */
  registerClient(options: ClientOptions): Promise<RegisteredClient>
  /** The registered client with this id, if any. */
  getClient(clientId: string): RegisteredClient | undefined
  /** Removes a client. */
  removeClient(clientId: string): void
  /** Adds a key to a `private_key_jwt` or Maskinporten client (key rotation). Generated unless given. */
  addClientKey(clientId: string, jwk?: JWK): Promise<ClientKey>
  /** Removes a key from a client (the end of a rotation). */
  removeClientKey(clientId: string, kid: string): void
  /** Issues another business certificate for a Maskinporten client's organisation (certificate rotation). */
  issueCertificate(clientId: string, options?: { readonly notAfter?: Date }): Promise<TestBusinessCertificate>

  /**
   * Rotates ID-porten's (or Ansattporten's) signing key: ID tokens are signed
   * with a new key (new `kid`) from now on, and the JWKS publishes it first,
   * followed by the old keys unless `keepOld` is false. JWT access tokens and
   * oidc-provider's own checks keep the original key.
   */
  rotateSigningKey(
    flavour?: 'idporten' | 'ansattporten',
    options?: { readonly keepOld?: boolean },
  ): Promise<{ readonly kid: string; readonly publicJwk: JWK }>
  /** Turns a fault on for a client until cleared (or `times` uses). */
  setFault(clientId: string, fault: FaultName, options?: FaultOptions): void
  /** Clears the faults of one client, or of all. */
  clearFaults(clientId?: string): void

  /** Back-channel requests so far, oldest first. */
  readonly requests: readonly MockRequestLogEntry[]
  /** Forgets the recorded requests. */
  clearRequests(): void
  /** Ends every SSO session (as if they all timed out). */
  endAllSessions(): void

  /** Stops the server: hanging requests are dropped, open connections closed. */
  close(): Promise<void>
}
