import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { drain, json, rejection, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

let n = 0
const unique = (name: string): string => `/${name}-${++n}`

/** A generated stream of `size` bytes in 64 KiB chunks, read lazily (as from a file). */
function generated(size: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= size) {
        controller.close()
        return
      }
      const chunk = new Uint8Array(Math.min(65_536, size - sent)).fill(sent % 251)
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
}

describe('streaming request bodies', () => {
  it('re-streams the body from its factory when an upload is reset mid-way (security 23)', async () => {
    const path = unique('upload-reset')
    const sizes: number[] = []
    server.route(path, (req, res, hit) => {
      if (hit === 1) {
        let got = 0
        req.on('data', (chunk: Buffer) => {
          got += chunk.length
          if (got > 256 * 1024) req.socket.destroy()
        })
        return
      }
      void drain(req).then((size) => {
        sizes.push(size)
        json(res, 201, { received: size })
      })
    })
    const clock = createManualClock()
    const client = createHttpClient({ baseUrl: server.url, clock, random: () => 1, timeout: false })
    let created = 0
    const size = 2 * 1024 * 1024
    const result = client.json({
      url: path,
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: () => {
        created++
        return generated(size)
      },
    })
    await clock.advance(await clock.nextSleep())
    await expect(result).resolves.toEqual({ received: size })
    expect(created).toBe(2)
    expect(sizes).toEqual([size])
  })

  it('never retries a non-idempotent streamed upload that was reset (a SvarUt send)', async () => {
    const path = unique('send-reset')
    server.route(path, (req) => {
      let got = 0
      req.on('data', (chunk: Buffer) => {
        got += chunk.length
        if (got > 128 * 1024) req.socket.destroy()
      })
    })
    const client = createHttpClient({ baseUrl: server.url, timeout: false })
    let created = 0
    const error = await rejection(
      client.json({
        url: path,
        method: 'POST',
        body: () => {
          created++
          return generated(1024 * 1024)
        },
      }),
    )
    expect(error.code).toBe('ERR_NETWORK')
    expect(error.requestSent).toBe('unknown')
    expect(created).toBe(1)
    expect(server.hits(path)).toBe(1)
  })

  it('does not retry a one-shot stream body, and says how to allow it', async () => {
    const path = unique('one-shot')
    server.route(path, async (req, res) => {
      await drain(req)
      json(res, 503, {})
    })
    const client = createHttpClient({ baseUrl: server.url, timeout: false })
    const error = await rejection(client.json({ url: path, method: 'PUT', body: generated(1000) }))
    expect(error.status).toBe(503)
    expect(error.message).toContain('one-shot stream')
    expect(server.hits(path)).toBe(1)
  })
})

describe('streaming responses', () => {
  it('hands over the body unread and streams it', async () => {
    const path = unique('download')
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      let left = 20
      const timer = setInterval(() => {
        res.write(Buffer.alloc(1024, 7))
        if (--left === 0) {
          clearInterval(timer)
          res.end()
        }
      }, 1)
    })
    const client = createHttpClient({ baseUrl: server.url, maxConcurrency: 1 })
    const response = await client.request({ url: path, signal: new AbortController().signal })
    expect(response.status).toBe(200)
    expect(response.url).toBe(`${server.url}${path}`)
    let total = 0
    for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>)
      total += chunk.byteLength
    expect(total).toBe(20 * 1024)
    // The concurrency slot came back when the body ended.
    await expect(client.text(path)).resolves.toHaveLength(20 * 1024)
  })

  it('rejects a non-2xx streamed request with an HttpError carrying the body', async () => {
    const path = unique('download-404')
    server.route(path, (_req, res) => json(res, 404, { message: 'DeviceNotFound' }))
    const client = createHttpClient({ baseUrl: server.url })
    const error = await rejection(client.request(path))
    expect(error.status).toBe(404)
    expect(error.body).toEqual({ message: 'DeviceNotFound' })
  })
})

describe('response size cap', () => {
  it('refuses a body larger than maxResponseBytes (declared length) without reading it', async () => {
    const path = unique('big-declared')
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) })
      res.write('[')
    })
    const client = createHttpClient({ baseUrl: server.url, maxResponseBytes: 1024 })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_BODY_TOO_LARGE')
    expect(error.retryable).toBe(false)
    expect(server.hits(path)).toBe(1)
  })

  it('stops reading a chunked body once it passes the cap', async () => {
    const path = unique('big-chunked')
    let written = 0
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const timer = setInterval(() => {
        if (res.destroyed || written > 50 * 1024 * 1024) {
          clearInterval(timer)
          res.end()
          return
        }
        written += 64 * 1024
        res.write(Buffer.alloc(64 * 1024, 32))
      }, 1)
    })
    const client = createHttpClient({ baseUrl: server.url, maxResponseBytes: 256 * 1024 })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_BODY_TOO_LARGE')
    expect(error.message).toContain('262144 bytes')
    expect(written).toBeLessThan(50 * 1024 * 1024)
  })

  it('decodes UTF-8 split across chunks whole, drops a leading BOM and replaces invalid bytes', async () => {
    const path = unique('split-utf8')
    const text = JSON.stringify({ name: 'Bjørnøya skole – Åse Ærø 🙂', n: 1 })
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      // One byte per write, each flushed on its own: every multi-byte character arrives split.
      let i = 0
      const timer = setInterval(() => {
        if (i >= bytes.length) {
          clearInterval(timer)
          res.end()
          return
        }
        res.write(bytes.subarray(i, i + 1))
        i++
      }, 0)
    })
    const client = createHttpClient({ baseUrl: server.url })
    expect(await client.json(path)).toEqual(JSON.parse(text))
    const bad = unique('bad-utf8')
    server.route(bad, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(Buffer.from([0x61, 0xff, 0x62]))
    })
    expect(await client.text(bad)).toBe('a\ufffdb')
  })

  it('keeps only a capped part of a huge error body', async () => {
    const path = unique('big-error')
    server.route(path, (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('x'.repeat(1024 * 1024))
    })
    const client = createHttpClient({ baseUrl: server.url, retry: false, maxErrorBodyBytes: 100 })
    const error = await rejection(client.json(path))
    expect(error.body).toBe(`${'x'.repeat(100)}…`)
  })

  it('reports a success body that is not JSON as ERR_INVALID_BODY', async () => {
    const path = unique('not-json')
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('<html>maintenance</html>')
    })
    const client = createHttpClient({ baseUrl: server.url })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_INVALID_BODY')
    expect(error.status).toBe(200)
  })
})

describe('redirects', () => {
  it('follows a same-origin redirect with credentials, and drops them when a redirect leaves the origin', async () => {
    const other = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(
        JSON.stringify({
          authorization: req.headers.authorization ?? null,
          passord: req.headers.integrasjonpassord ?? null,
          id: req.headers.integrasjonid ?? null,
        }),
      )
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
    try {
      const hop = unique('hop')
      const away = unique('away')
      const target = unique('target')
      server.route(hop, (_req, res) => res.writeHead(302, { location: target }).end())
      server.route(target, (req, res) => json(res, 200, { authorization: req.headers.authorization ?? null }))
      server.route(away, (_req, res) => res.writeHead(307, { location: `${otherUrl}/blob` }).end())
      const client = createHttpClient({
        baseUrl: server.url,
        headers: { IntegrasjonId: 'id-1', IntegrasjonPassord: 's3cr3t' },
        token: () => 'tok',
      })
      await expect(client.json(hop)).resolves.toEqual({ authorization: 'Bearer tok' })
      await expect(client.json(away)).resolves.toEqual({ authorization: null, passord: null, id: 'id-1' })
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()))
    }
  })

  it('turns a POST into a GET on 303', async () => {
    const from = unique('post-303')
    const to = unique('result')
    server.route(from, async (req, res) => {
      await drain(req)
      res.writeHead(303, { location: to }).end()
    })
    server.route(to, (req, res) => json(res, 200, { method: req.method }))
    const client = createHttpClient({ baseUrl: server.url })
    await expect(client.json({ url: from, method: 'POST', json: { a: 1 } })).resolves.toEqual({
      method: 'GET',
    })
  })

  it('refuses a request to another origin than the base URL', async () => {
    const client = createHttpClient({ baseUrl: server.url })
    await expect(client.json('https://evil.example/steal')).rejects.toThrow(TypeError)
  })
})

describe('hooks', () => {
  it('reports request, response, retry and rate-limit waits with redacted URLs, and can set headers', async () => {
    const path = unique('hooks')
    const traceparents: Array<string | undefined> = []
    server.route(path, (req, res, hit) => {
      traceparents.push(req.headers.traceparent as string | undefined)
      if (hit === 1) json(res, 429, {}, { 'retry-after': '2' })
      else json(res, 200, 'ok')
    })
    const events: string[] = []
    const clock = createManualClock()
    const client = createHttpClient({
      baseUrl: server.url,
      clock,
      random: () => 0,
      timeout: false,
      hooks: {
        onRequest: (e) => {
          events.push(`request ${e.method} ${e.url} #${e.attempt}`)
          e.setHeader('traceparent', `00-${'a'.repeat(32)}-${'b'.repeat(15)}${e.attempt}-01`)
        },
        onResponse: (e) => events.push(`response ${e.status} #${e.attempt}`),
        onRetry: (e) => events.push(`retry #${e.attempt} in ${e.delay} (${e.error.code})`),
        onRateLimitWait: (e) => events.push(`wait ${e.source} ${e.delay}`),
      },
    })
    const result = client.json({ url: path, query: { key: 'secret-api-key' } })
    await clock.advance(await clock.nextSleep())
    await result
    expect(events).toEqual([
      `request GET ${server.url}${path}?key=*** #1`,
      'response 429 #1',
      'retry #1 in 2000 (ERR_RATE_LIMITED)',
      'wait server 2000',
      `request GET ${server.url}${path}?key=*** #2`,
      'response 200 #2',
    ])
    expect(traceparents).toEqual([
      `00-${'a'.repeat(32)}-${'b'.repeat(15)}1-01`,
      `00-${'a'.repeat(32)}-${'b'.repeat(15)}2-01`,
    ])
  })
})

describe('argument checks', () => {
  it('throws TypeError for misuse before sending anything', async () => {
    expect(() => createHttpClient({ timeout: -1 })).toThrow(TypeError)
    expect(() => createHttpClient({ retry: { maxAttempts: 0 } })).toThrow(TypeError)
    expect(() => createHttpClient({ rateLimit: { requests: 0, interval: 1_000 } })).toThrow(TypeError)
    const client = createHttpClient({ baseUrl: server.url })
    await expect(client.json({ url: '/x', body: 'a', json: {} })).rejects.toThrow(TypeError)
    await expect(client.json({ url: '/x', deadline: -5 })).rejects.toThrow(TypeError)
    await expect(createHttpClient().json('/relative')).rejects.toThrow(TypeError)
  })

  it('returns a redirect as an error when redirects are off', async () => {
    const path = unique('no-follow')
    server.route(path, (_req, res) => res.writeHead(302, { location: '/elsewhere' }).end())
    const client = createHttpClient({ baseUrl: server.url, maxRedirects: 0 })
    const error = await rejection(client.json(path))
    expect(error.code).toBe('ERR_HTTP_STATUS')
    expect(error.status).toBe(302)
  })
})

describe('a throwing hook', () => {
  it('fails its request but frees the concurrency slot', async () => {
    const path = unique('hook-throws')
    server.route(path, (_req, res) => json(res, 200, 'ok'))
    let calls = 0
    const client = createHttpClient({
      baseUrl: server.url,
      maxConcurrency: 1,
      hooks: {
        onRequest: () => {
          if (++calls === 1) throw new Error('logger down')
        },
        onResponse: () => {
          if (calls === 2) throw new Error('metrics down')
        },
      },
    })
    await expect(client.json(path)).rejects.toThrow('logger down')
    await expect(client.json(path)).rejects.toThrow('metrics down')
    await expect(client.json(path)).resolves.toBe('ok')
  })
})
