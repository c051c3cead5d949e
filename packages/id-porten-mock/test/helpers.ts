import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { importJWK } from 'jose'
import * as oidc from 'openid-client'
import type { LoginChoice, LoginResult } from '../src/browser.js'
import { MockBrowser } from '../src/browser.js'
import { generateRsaKeyPair, type RsaKeyPair } from '../src/internal/keys.js'
import type { IdportenMock, RegisteredOidcClient } from '../src/types.js'

let sharedKey: Promise<RsaKeyPair> | undefined
/** One RSA key pair per test file: RSA key generation dominates test time on a 2-core machine. */
export function testKey(): Promise<RsaKeyPair> {
  sharedKey ??= generateRsaKeyPair()
  return sharedKey
}

/** A stand-in relying party: records what the mock's front-channel iframes load. */
export interface FakeRp {
  readonly url: string
  readonly hits: URL[]
  close(): Promise<void>
}

export async function startFakeRp(): Promise<FakeRp> {
  const hits: URL[] = []
  let base = ''
  const server: Server = createServer((req, res) => {
    hits.push(new URL(req.url ?? '/', base))
    res.setHeader('Cache-Control', 'no-store')
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** openid-client configuration for a registered client (ID token signatures verified). */
export async function configFor(
  mock: IdportenMock,
  client: RegisteredOidcClient,
  options: { timeout?: number } = {},
): Promise<oidc.Configuration> {
  let auth: oidc.ClientAuth
  if (client.authMethod === 'private_key_jwt') {
    const key = client.keys[0]
    if (key?.privateJwk === undefined) throw new Error('no private key')
    auth = oidc.PrivateKeyJwt({ key: (await importJWK(key.privateJwk, 'RS256')) as CryptoKey, kid: key.kid })
  } else if (client.authMethod === 'client_secret_basic') auth = oidc.ClientSecretBasic(client.clientSecret)
  else if (client.authMethod === 'client_secret_post') auth = oidc.ClientSecretPost(client.clientSecret)
  else auth = oidc.None()
  const config = await oidc.discovery(new URL(client.issuer), client.clientId, {}, auth, {
    execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks],
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
  })
  void mock
  return config
}

export interface FlowOptions {
  readonly config?: oidc.Configuration
  readonly browser?: MockBrowser
  readonly params?: Record<string, string>
  readonly choice?: LoginChoice
  readonly par?: boolean
}

export interface Flow {
  readonly config: oidc.Configuration
  readonly browser: MockBrowser
  readonly login: LoginResult
  readonly verifier: string
  readonly state: string
  readonly nonce: string
  /** Exchanges the code (openid-client checks state, nonce, iss, signature). */
  exchange(): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>
}

/** Starts an authorization-code + PKCE flow (PAR by default) and drives the login page. */
export async function startFlow(
  mock: IdportenMock,
  client: RegisteredOidcClient,
  options: FlowOptions = {},
): Promise<Flow> {
  const config = options.config ?? (await configFor(mock, client))
  const browser = options.browser ?? new MockBrowser()
  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const params = {
    redirect_uri: client.redirectUris[0] as string,
    scope: 'openid',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...options.params,
  }
  const url =
    options.par === false
      ? oidc.buildAuthorizationUrl(config, params)
      : await oidc.buildAuthorizationUrlWithPAR(config, params)
  const login = await browser.login(url, options.choice)
  return {
    config,
    browser,
    login,
    verifier,
    state,
    nonce,
    exchange: () =>
      oidc.authorizationCodeGrant(config, login.url, {
        pkceCodeVerifier: verifier,
        expectedState: state,
        expectedNonce: nonce,
        idTokenExpected: true,
      }),
  }
}

/** Registers a private_key_jwt client with a front-channel logout URI on the fake RP. */
export async function rpClient(
  mock: IdportenMock,
  rp: FakeRp,
  extra: Partial<Parameters<IdportenMock['registerClient']>[0]> = {},
): Promise<RegisteredOidcClient> {
  const key = await testKey()
  return mock.registerClient({
    jwk: key.privateJwk,
    redirectUris: [`${rp.url}/callback`],
    postLogoutRedirectUris: [`${rp.url}/logged-out`],
    frontchannelLogoutUri: `${rp.url}/frontchannel-logout`,
    ...extra,
  } as Parameters<IdportenMock['registerClient']>[0]) as Promise<RegisteredOidcClient>
}
