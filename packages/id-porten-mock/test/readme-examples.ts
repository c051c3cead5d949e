// The README's TypeScript examples, type-checked with the package (readme.test.ts keeps them in step).

import { importJWK, SignJWT } from 'jose'
import * as oidc from 'openid-client'
import { createManualClock, MockBrowser, startIdportenMock } from '../src/index.js'

export async function example1(): Promise<void> {
  const mock = await startIdportenMock()
  const client = await mock.registerClient({
    redirectUris: ['http://127.0.0.1:3000/callback'],
    postLogoutRedirectUris: ['http://127.0.0.1:3000/logged-out'],
    frontchannelLogoutUri: 'http://127.0.0.1:3000/frontchannel-logout',
  }) // private_key_jwt with a generated RS256 key by default

  const key = client.keys[0]!
  const config = await oidc.discovery(
    new URL(client.issuer),
    client.clientId,
    {},
    oidc.PrivateKeyJwt({ key: (await importJWK(key.privateJwk!, 'RS256')) as CryptoKey, kid: key.kid }),
    { execute: [oidc.allowInsecureRequests, oidc.enableNonRepudiationChecks] },
  )

  const verifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const url = await oidc.buildAuthorizationUrlWithPAR(config, {
    redirect_uri: 'http://127.0.0.1:3000/callback',
    scope: 'openid',
    acr_values: 'idporten-loa-high',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })

  // Drive the login page over real HTTP (cookies kept, no JavaScript needed).
  const browser = new MockBrowser()
  const login = await browser.login(url, { person: 0, level: 'high' })
  const tokens = await oidc.authorizationCodeGrant(config, login.url, {
    pkceCodeVerifier: verifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  })
  tokens.claims() // { sub (pairwise), pid, acr, amr: ['TestID'], locale, sid, auth_time, jti, … }

  await mock.close()
}

export async function example2(): Promise<unknown> {
  const mock = await startIdportenMock()
  const mp = await mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
  // mp.issuer === `${mock.url}/maskinporten/`, mp.tokenEndpoint, mp.keys[0].privateJwk / kid
  const assertion = await new SignJWT({ scope: 'ks:fiks', jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'RS256', kid: mp.keys[0]!.kid })
    .setIssuer(mp.clientId)
    .setAudience(mp.issuer) // exactly, trailing slash kept
    .setIssuedAt()
    .setExpirationTime('120s')
    .sign(await importJWK(mp.keys[0]!.privateJwk!, 'RS256'))
  const res = await fetch(mp.tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }),
  })
  const body = await res.json()
  // { access_token (JWT, verify with `${mp.issuer}jwk`), token_type: 'Bearer', expires_in: 120, scope }
  return body
}

export async function example3(): Promise<void> {
  const clock = createManualClock()
  const mock = await startIdportenMock({ clock })
  // … log in …
  clock.advance(31 * 60_000) // the SSO session has timed out: the next login shows the login page
  await mock.close()
}
