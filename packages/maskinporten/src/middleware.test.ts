import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rsaKeyPair } from '../test/certs.js'
import { startTestIssuer, type TestIssuer } from '../test/issuer.js'
import { requireAccessToken as expressAuth } from './express.js'
import { requireAccessToken as fastifyAuth } from './fastify.js'
import { type AccessTokenVariables, requireAccessToken as honoAuth } from './hono.js'
import type { ProtectOptions } from './protect.js'
import type { VerifiedAccessToken } from './verify.js'

let issuer: TestIssuer
const servers: Array<() => Promise<void>> = []

beforeAll(async () => {
  issuer = await startTestIssuer()
  issuer.opaque.set('opaque-good', {
    active: true,
    iss: '',
    scope: 'kommune:api',
    client_id: 'opaque-client',
    consumer: { authority: 'iso6523-actorid-upis', ID: '0192:991825827' },
    exp: Math.floor(Date.now() / 1000) + 300,
  })
  issuer.opaque.get('opaque-good')!.iss = issuer.issuer
})
afterAll(async () => {
  for (const close of servers) await close()
  await issuer.close()
})

function options(): ProtectOptions {
  return {
    issuer: issuer.issuer,
    requiredScopes: ['kommune:api'],
    realm: 'kommune-api',
    introspection: { clientAuth: { method: 'client_secret_basic', ...issuer.introspectionClient } },
  }
}

const describeToken = (token: VerifiedAccessToken | undefined | null) => ({
  clientId: token?.clientId,
  consumer: token?.consumer,
})

async function startExpress(): Promise<string> {
  const app = express()
  app.get('/api/who', expressAuth(options()), (req, res) => {
    res.json(describeToken((req as unknown as { accessToken?: VerifiedAccessToken }).accessToken))
  })
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  servers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function startFastify(): Promise<string> {
  const app = Fastify({ logger: false })
  app.decorateRequest('accessToken', null)
  app.get('/api/who', { onRequest: fastifyAuth(options()) }, async (request) =>
    describeToken((request as unknown as { accessToken: VerifiedAccessToken | null }).accessToken),
  )
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  servers.push(() => app.close())
  return url.replace('localhost', '127.0.0.1')
}

async function startHono(): Promise<string> {
  const app = new Hono<{ Variables: AccessTokenVariables }>()
  app.use('/api/*', honoAuth(options()))
  app.get('/api/who', (c) => c.json(describeToken(c.get('accessToken'))))
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server))
  })
  servers.push(() => new Promise((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const frameworks: Array<[string, () => Promise<string>]> = [
  ['Express', startExpress],
  ['Fastify', startFastify],
  ['Hono', startHono],
]

describe.each(frameworks)('%s middleware over real HTTP', { timeout: 20_000 }, (_name, start) => {
  let base = ''
  beforeAll(async () => {
    base = await start()
  })

  const call = async (authorization?: string) => {
    const response = await fetch(`${base}/api/who`, {
      headers: authorization === undefined ? {} : { authorization },
    })
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate'),
      cache: response.headers.get('cache-control'),
      body: (await response.json()) as Record<string, unknown>,
    }
  }
  const sign = (extra: Record<string, unknown> = {}) =>
    issuer.sign({
      iss: issuer.issuer,
      scope: 'kommune:api',
      client_id: 'jwt-client',
      consumer: { authority: 'iso6523-actorid-upis', ID: '0192:991825827' },
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 120,
      ...extra,
    })

  it('admits a valid JWT and hands the verified token to the route', async () => {
    const result = await call(`Bearer ${await sign()}`)
    expect(result).toMatchObject({ status: 200, body: { clientId: 'jwt-client', consumer: '991825827' } })
  })

  it('introspects an opaque token', async () => {
    expect(await call('Bearer opaque-good')).toMatchObject({
      status: 200,
      body: { clientId: 'opaque-client' },
    })
    expect(await call('Bearer opaque-unknown')).toMatchObject({
      status: 401,
      challenge: expect.stringContaining('error="invalid_token"'),
    })
  })

  it('answers 401 without an error code when there is no token (RFC 6750 §3.1)', async () => {
    const result = await call()
    expect(result.status).toBe(401)
    expect(result.challenge).toBe('Bearer realm="kommune-api"')
    expect(result.cache).toBe('no-store')
  })

  it('answers 400 invalid_request for a malformed Authorization header', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b']) {
      const result = await call(header)
      expect(result.status).toBe(400)
      expect(result.challenge).toMatch(/^Bearer realm="kommune-api", error="invalid_request"/)
    }
  })

  it('answers 401 invalid_token for forged, expired and foreign tokens, never echoing the token', async () => {
    const forged = [
      await sign({}).then((t) => `${t.slice(0, -4)}AAAA`),
      await issuer.sign(
        { iss: issuer.issuer, scope: 'kommune:api', exp: 9e9 },
        { key: rsaKeyPair('forger') },
      ),
      await sign({ exp: Math.floor(Date.now() / 1000) - 60 }),
      await sign({ iss: 'https://maskinporten.no/' }),
    ]
    for (const token of forged) {
      const result = await call(`Bearer ${token}`)
      expect(result.status).toBe(401)
      expect(result.challenge).toMatch(
        /^Bearer realm="kommune-api", error="invalid_token", error_description="[^"]+"$/,
      )
      expect(JSON.stringify(result)).not.toContain(token.split('.')[1])
      expect(result.body.error).toBe('invalid_token')
    }
  })

  it('answers 403 insufficient_scope naming the scope the API needs', async () => {
    const result = await call(`Bearer ${await sign({ scope: 'kommune:other' })}`)
    expect(result.status).toBe(403)
    expect(result.challenge).toBe(
      'Bearer realm="kommune-api", error="insufficient_scope", error_description="The access token lacks the scope kommune:api", scope="kommune:api"',
    )
    expect(result.body).toEqual({
      error: 'insufficient_scope',
      error_description: 'The access token lacks the scope kommune:api',
    })
  })
})
