import { createHash, randomBytes } from 'node:crypto'
import { MockBrowser, type RegisteredOidcClient, startIdportenMock } from '@felles/id-porten-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isMaskinportenError } from './errors.js'
import { createTokenIntrospector } from './introspect.js'
import { verifyAccessToken } from './verify.js'

// ID-porten access tokens from the emulator's ID-porten (issuer without a trailing slash): a JWT
// when the client asks for a resource, an opaque token otherwise.
let mock: Awaited<ReturnType<typeof startIdportenMock>>
let client: RegisteredOidcClient
const redirectUri = 'http://127.0.0.1:9/callback'
const API = 'https://api.kommune.no'

beforeAll(async () => {
  mock = await startIdportenMock()
  client = await mock.registerClient({
    redirectUris: [redirectUri],
    authMethod: 'client_secret_basic',
    scopes: ['openid', 'profile', 'kommune:api'],
  })
}, 30_000)
afterAll(async () => {
  await mock.close()
})

async function login(resource?: string): Promise<string> {
  const metadata = (await (await fetch(`${mock.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string
    token_endpoint: string
  }
  const verifier = randomBytes(32).toString('base64url')
  const url = new URL(metadata.authorization_endpoint)
  const params = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: redirectUri,
    scope: resource === undefined ? 'openid profile' : 'openid kommune:api',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...(resource === undefined ? {} : { resource }),
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  const { url: callback } = await new MockBrowser().login(url, { person: 0 })
  const code = callback.searchParams.get('code')
  if (code === null) throw new Error(`no code in the callback: ${callback.search}`)
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      ...(resource === undefined ? {} : { resource }),
    }),
  })
  const body = (await response.json()) as {
    access_token?: string
    error?: string
    error_description?: string
  }
  if (body.access_token === undefined)
    throw new Error(`token request failed: ${body.error} ${body.error_description}`)
  return body.access_token
}

describe('ID-porten access tokens from the emulator', { timeout: 30_000 }, () => {
  it('verifies a JWT access token (metadata from openid-configuration) and rejects the wrong audience or scope', async () => {
    const token = await login(API)
    const verified = await verifyAccessToken(token, {
      issuer: mock.issuer,
      audience: API,
      requiredScopes: ['kommune:api'],
    })
    expect(verified.issuer).toBe(mock.issuer)
    expect(verified.audience).toContain(API)
    expect(verified.scopes).toContain('kommune:api')

    const wrongAudience = await verifyAccessToken(token, {
      issuer: mock.issuer,
      audience: 'https://other.api',
    }).catch((e: unknown) => e)
    expect(isMaskinportenError(wrongAudience, 'ERR_TOKEN_INVALID')).toBe(true)
    const missingScope = await verifyAccessToken(token, {
      issuer: mock.issuer,
      requiredScopes: ['kommune:admin'],
    }).catch((e: unknown) => e)
    expect(isMaskinportenError(missingScope, 'ERR_INSUFFICIENT_SCOPE')).toBe(true)
    // ID-porten's issuer has no trailing slash; one with a slash is another issuer.
    const slashed = await verifyAccessToken(token, {
      issuer: `${mock.issuer}/`,
      jwksUri: `${mock.issuer}/jwks.json`,
    }).catch((e: unknown) => e)
    expect(isMaskinportenError(slashed, 'ERR_TOKEN_INVALID')).toBe(true)
  })

  it('introspects an opaque access token with client_secret_basic and private_key_jwt', async () => {
    const token = await login()
    expect(token.split('.')).not.toHaveLength(3)
    const introspector = createTokenIntrospector({
      issuer: mock.issuer,
      clientAuth: {
        method: 'client_secret_basic',
        clientId: client.clientId,
        clientSecret: client.clientSecret!,
      },
    })
    const result = await introspector.introspect(token)
    expect(result.clientId).toBe(client.clientId)
    expect(result.scopes).toContain('openid')
    const unknown = await introspector.introspect('not-a-token-the-issuer-knows').catch((e: unknown) => e)
    expect(isMaskinportenError(unknown, 'ERR_TOKEN_INVALID')).toBe(true)
    const scope = await introspector
      .introspect(token, { requiredScopes: ['kommune:api'] })
      .catch((e: unknown) => e)
    expect(isMaskinportenError(scope, 'ERR_INSUFFICIENT_SCOPE')).toBe(true)
  })
})
