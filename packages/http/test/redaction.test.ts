import { inspect } from 'node:util'
import { createSyntheticGenerator } from '@felles/identifiers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpError } from '../src/index.js'
import { drain, json, rejection, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

const gen = createSyntheticGenerator({ seed: 'http-redaction' })
const fnr = gen.nationalId()
const SECRETS = ['s3cr3t-passord', 'super-secret-token', 'session=abc123', 'hunter2', 'eyJhbGciOiJSUzI1NiJ9']

function everyRendering(error: HttpError): string[] {
  return [
    error.message,
    String(error),
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10 }),
    inspect({ wrapped: error }, { depth: 10 }),
  ]
}

describe('no secret or national identity number in errors (personal data rules, security 21)', () => {
  it('keeps credentials, tokens, cookies and a fødselsnummer out of message, toJSON and inspect', async () => {
    const path = '/leaky'
    server.route(path, async (req, res) => {
      await drain(req)
      // A server that echoes everything back in its error body, as some do.
      json(
        res,
        400,
        {
          message: `Invalid recipient ${fnr}; IntegrasjonPassord: ${req.headers.integrasjonpassord}`,
          echo: {
            authorization: req.headers.authorization,
            cookie: req.headers.cookie,
            password: 'hunter2',
            access_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
          },
          note: `refresh_token=super-secret-token&fnr=${fnr}`,
        },
        { 'x-request-id': 'req-123', 'set-cookie': 'session=abc123' },
      )
    })
    const client = createHttpClient({
      baseUrl: server.url,
      headers: { IntegrasjonId: 'integrasjon-1', IntegrasjonPassord: 's3cr3t-passord' },
      allowNationalIdInUrl: true,
    })
    const error = await rejection(
      client.json({
        url: `${path}?fnr=${fnr}&token=super-secret-token`,
        method: 'POST',
        headers: { authorization: 'Bearer super-secret-token', cookie: 'session=abc123' },
        json: { mottaker: fnr },
      }),
    )
    expect(error.requestId).toBe('req-123')
    expect(error.url).toBe(`${server.url}${path}?fnr=***&token=***`)
    for (const text of everyRendering(error)) {
      expect(text).not.toContain(fnr)
      for (const secret of SECRETS) expect(text).not.toContain(secret)
    }
    // Useful context survives.
    expect(inspect(error)).toContain('ERR_HTTP_STATUS')
    expect(JSON.stringify(error)).toContain('req-123')
    expect(error.body).toMatchObject({ message: expect.stringContaining('Invalid recipient ***********') })
  })

  it('scrubs a national identity number written in a path', async () => {
    server.route(`/persons/${fnr}`, (_req, res) => json(res, 404, {}))
    const client = createHttpClient({ baseUrl: server.url, allowNationalIdInUrl: true })
    const error = await rejection(client.json(`/persons/${fnr}`))
    expect(error.status).toBe(404)
    for (const text of everyRendering(error)) expect(text).not.toContain(fnr)
  })

  it('refuses to put a national identity number in a URL unless allowed', async () => {
    const client = createHttpClient({ baseUrl: server.url })
    await expect(client.json({ url: '/persons', query: { fnr } })).rejects.toThrow(TypeError)
    await expect(client.json({ url: '/persons', query: { fnr } })).rejects.not.toThrow(fnr)
  })

  it('keeps the raw cause out of util.inspect', async () => {
    const client = createHttpClient({ baseUrl: server.url, retry: false })
    const controller = new AbortController()
    controller.abort(new Error(`aborted while sending for ${fnr} with Bearer super-secret-token`))
    const error = await rejection(client.json({ url: '/x', signal: controller.signal }))
    expect(error.code).toBe('ERR_ABORTED')
    for (const text of everyRendering(error)) {
      expect(text).not.toContain(fnr)
      expect(text).not.toContain('super-secret-token')
    }
  })
})
