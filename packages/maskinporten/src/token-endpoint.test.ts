import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createManualClock } from '@felles/http/testing'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rsaKeyPair } from '../test/certs.js'
import { createMaskinportenClient, type MaskinportenEvent } from './client.js'
import { isMaskinportenError } from './errors.js'

// A token endpoint that misbehaves on purpose, for what the emulator does not do.
type Behaviour = (req: IncomingMessage, res: ServerResponse, body: string) => void
let behaviour: Behaviour = (_req, res) => res.end()
const assertions: string[] = []
const server = createServer((req, res) => {
  let body = ''
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString()
  })
  req.on('end', () => {
    assertions.push(new URLSearchParams(body).get('assertion') ?? '')
    behaviour(req, res, body)
  })
})
let tokenEndpoint = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  tokenEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

const key = rsaKeyPair()
const clock = createManualClock({ now: Date.now() })

function client(events: MaskinportenEvent[] = []) {
  return createMaskinportenClient({
    issuer: 'https://test.maskinporten.no/',
    tokenEndpoint,
    clientId: 'c1',
    key: { pem: key.pkcs8Pem, kid: 'k1' },
    scopes: ['ks:fiks'],
    clock,
    maxAttempts: 3,
    onEvent: (e) => events.push(e),
  })
}

async function code(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'resolved',
    (e: unknown) => (isMaskinportenError(e) ? e.code : String(e)),
  )
}

describe('token endpoint failures', { timeout: 20_000 }, () => {
  it('refuses answers that are not JSON or lack access_token, without retrying', async () => {
    assertions.length = 0
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>proxy login</html>')
    }
    expect(await code(client().getToken())).toBe('ERR_INVALID_RESPONSE')
    behaviour = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_type: 'Bearer' }))
    }
    expect(await code(client().getToken())).toBe('ERR_INVALID_RESPONSE')
    expect(assertions).toHaveLength(2)
  })

  it('retries dropped connections with a new grant each time, then reports ERR_NETWORK', async () => {
    assertions.length = 0
    behaviour = (req) => {
      req.socket.destroy()
    }
    const events: MaskinportenEvent[] = []
    const pending = code(client(events).getToken())
    for (let retry = 1; retry <= 2; retry++) {
      const deadline = performance.now() + 10_000
      while (events.filter((e) => e.type === 'retry').length < retry) {
        if (performance.now() > deadline) throw new Error('no retry')
        await new Promise((resolve) => setImmediate(resolve))
      }
      const delay = events.filter((e) => e.type === 'retry')[retry - 1]
      await clock.advance(delay?.type === 'retry' ? delay.delay : 0)
    }
    expect(await pending).toBe('ERR_NETWORK')
    expect(assertions).toHaveLength(3)
    expect(new Set(assertions.map((a) => decodeJwt(a).jti)).size).toBe(3)
  })

  it('sends the grant as a form with the jwt-bearer grant type and nothing else', async () => {
    let form: URLSearchParams | undefined
    let contentType: string | undefined
    behaviour = (req, res, body) => {
      form = new URLSearchParams(body)
      contentType = req.headers['content-type']
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ access_token: 'opaque', token_type: 'Bearer', expires_in: 120 }))
    }
    expect(await client().getToken()).toBe('opaque')
    expect(contentType).toMatch(/^application\/x-www-form-urlencoded/)
    expect([...form!.keys()].sort()).toEqual(['assertion', 'grant_type'])
    expect(form!.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
  })
})
