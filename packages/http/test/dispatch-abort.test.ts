import type { IncomingMessage } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createHttpClient } from '../src/index.js'
import { canAbortByDispatcher } from '../src/internal/dispatch-abort.js'
import { createManualClock } from '../src/testing.js'
import { json, rejection, startServer, type TestServer } from './server.js'

// With only a timeout (no caller signal, no deadline), the client cuts Node's
// fetch through a per-attempt dispatcher instead of handing it a signal. These
// tests make sure that path really is taken and really aborts the request.

let server: TestServer
beforeAll(async () => {
  server = await startServer()
  server.route('/ok', (_req, res) => json(res, 200, { ok: true }))
  await fetch(`${server.url}/ok`).then((r) => r.arrayBuffer()) // Node installs its dispatcher on first use
})
afterAll(() => server.close())
afterEach(() => {
  vi.restoreAllMocks()
})

/** A route that never answers; resolves `closed` when the client drops the request. */
function stallRoute(path: string): { arrived: Promise<void>; closed: Promise<void> } {
  let arrive: () => void = () => {}
  let close: () => void = () => {}
  const arrived = new Promise<void>((resolve) => {
    arrive = resolve
  })
  const closed = new Promise<void>((resolve) => {
    close = resolve
  })
  server.route(path, (req: IncomingMessage) => {
    req.socket.once('close', close)
    arrive()
  })
  return { arrived, closed }
}

describe('per-attempt timeout without a signal (Node fetch)', () => {
  it('hands fetch no signal and aborts only the attempt that timed out', async () => {
    expect(canAbortByDispatcher()).toBe(true)
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const clock = createManualClock()
    const client = createHttpClient({ baseUrl: server.url, clock, retry: false })
    const first = stallRoute('/stall-first')
    const second = stallRoute('/stall-second')
    let secondSettled = false
    const a = rejection(client.json({ url: '/stall-first', timeout: 1_000 }))
    const b = rejection(client.json({ url: '/stall-second', timeout: 5_000 })).finally(() => {
      secondSettled = true
    })
    await Promise.all([first.arrived, second.arrived])
    const init = fetchSpy.mock.calls[0]?.[1] as (RequestInit & { dispatcher?: unknown }) | undefined
    expect(init?.signal).toBeUndefined()
    expect(init?.dispatcher).toBeDefined()

    await clock.advance(1_000)
    const error = await a
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(error.message).toContain('timed out after 1000 ms')
    expect((error.cause as DOMException).name).toBe('TimeoutError')
    await first.closed // the server saw the connection go: the request was really aborted
    expect(secondSettled).toBe(false)

    await clock.advance(4_000)
    expect((await b).code).toBe('ERR_TIMEOUT')
    await second.closed
    expect(await client.json('/ok')).toEqual({ ok: true })
  })

  it('aborts a body that drips past the timeout', async () => {
    server.route('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('[')
    })
    let headersArrived: () => void = () => {}
    const headers = new Promise<void>((resolve) => {
      headersArrived = resolve
    })
    const clock = createManualClock()
    const client = createHttpClient({
      baseUrl: server.url,
      clock,
      retry: false,
      timeout: 2_000,
      hooks: { onResponse: () => headersArrived() },
    })
    const failed = rejection(client.json('/drip'))
    await headers
    await clock.advance(2_000)
    const error = await failed
    expect(error.code).toBe('ERR_TIMEOUT')
    expect(error.message).toContain('while reading the response body')
  })

  it('still hands fetch a signal when the caller gives one', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch')
    const client = createHttpClient({ baseUrl: server.url })
    const controller = new AbortController()
    expect(await client.json({ url: '/ok', signal: controller.signal })).toEqual({ ok: true })
    const init = fetchSpy.mock.calls[0]?.[1] as (RequestInit & { dispatcher?: unknown }) | undefined
    expect(init?.signal).toBeInstanceOf(AbortSignal)
    expect(init?.dispatcher).toBeUndefined()
  })
})
