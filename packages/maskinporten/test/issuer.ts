import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type JWTPayload, SignJWT } from 'jose'
import { rsaKeyPair, type TestKeyPair } from './certs.js'

/** A minimal token issuer on 127.0.0.1: RFC 8414 metadata, a JWKS that can rotate, RFC 7662 introspection. */
export interface TestIssuer {
  readonly url: string
  /** With a trailing slash, like Maskinporten's. */
  readonly issuer: string
  readonly jwksUri: string
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number
  readonly introspections: number
  /** Signs a token with the current key (or the one named). */
  sign(
    payload: JWTPayload,
    options?: { readonly kid?: string; readonly key?: TestKeyPair; readonly alg?: string },
  ): Promise<string>
  /** Publishes a new key (kid returned) and, unless `keepOld`, stops publishing the others. */
  rotate(keepOld?: boolean): string
  /** Opaque tokens the introspection endpoint knows, with their answers. */
  readonly opaque: Map<string, Record<string, unknown>>
  /** The Basic credentials the introspection endpoint accepts. */
  readonly introspectionClient: { readonly clientId: string; readonly clientSecret: string }
  close(): Promise<void>
}

export async function startTestIssuer(): Promise<TestIssuer> {
  let counter = 0
  const keys = new Map<string, TestKeyPair>()
  const published = new Set<string>()
  let current = ''
  const rotate = (keepOld = false): string => {
    const kid = `key-${++counter}`
    keys.set(kid, rsaKeyPair(kid))
    if (!keepOld) published.clear()
    published.add(kid)
    current = kid
    return kid
  }
  rotate()
  let jwksFetches = 0
  let introspections = 0
  const opaque = new Map<string, Record<string, unknown>>()
  const introspectionClient = { clientId: 'api-client', clientSecret: 'api-secret' }
  let base = ''

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', base).pathname
    if (path === '/mp/.well-known/oauth-authorization-server') {
      send(res, 200, {
        issuer: `${base}/mp/`,
        jwks_uri: `${base}/mp/jwks`,
        token_endpoint: `${base}/mp/token`,
        introspection_endpoint: `${base}/mp/introspect`,
      })
      return
    }
    if (path === '/mp/jwks') {
      jwksFetches++
      send(res, 200, {
        keys: [...published].map((kid) => ({
          ...keys.get(kid)!.publicKey.export({ format: 'jwk' }),
          kid,
          use: 'sig',
          alg: 'RS256',
        })),
      })
      return
    }
    if (path === '/mp/introspect' && req.method === 'POST') {
      introspections++
      let body = ''
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString()
      })
      req.on('end', () => {
        const expected = `Basic ${Buffer.from(`${introspectionClient.clientId}:${introspectionClient.clientSecret}`).toString('base64')}`
        if (req.headers.authorization !== expected) {
          send(res, 401, { error: 'invalid_client' })
          return
        }
        const token = new URLSearchParams(body).get('token') ?? ''
        send(res, 200, opaque.get(token) ?? { active: false })
      })
      return
    }
    send(res, 404, { error: 'not_found' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url: base,
    issuer: `${base}/mp/`,
    jwksUri: `${base}/mp/jwks`,
    get jwksFetches() {
      return jwksFetches
    },
    get introspections() {
      return introspections
    },
    opaque,
    introspectionClient,
    sign(payload, options = {}) {
      const kid = options.kid ?? current
      const key = options.key ?? keys.get(kid) ?? keys.get(current)!
      return new SignJWT(payload)
        .setProtectedHeader({ alg: options.alg ?? 'RS256', kid, typ: 'at+jwt' })
        .sign(key.privateKey)
    },
    rotate,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
