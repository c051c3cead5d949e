import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { type HttpError, isHttpError } from '../src/index.js'

/** A handler gets the request, the response and how many times its route was hit (from 1). */
export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => unknown

/** A recorded request. */
export interface Seen {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
  readonly bytes: number
}

/**
 * A local node:http server that misbehaves on purpose. Each test registers the
 * routes it needs (`server.route('/x', handler)`); the helpers below build the
 * usual misbehaviours: drop mid-body, stall, drip, 429/503 storms, oversize bodies.
 */
export interface TestServer {
  readonly url: string
  route(path: string, handler: Handler): string
  hits(path: string): number
  readonly seen: Seen[]
  close(): Promise<void>
}

export async function startServer(): Promise<TestServer> {
  const routes = new Map<string, Handler>()
  const counts = new Map<string, number>()
  const sockets = new Set<Socket>()
  const seen: Seen[] = []
  const server: Server = createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const hit = (counts.get(path) ?? 0) + 1
    counts.set(path, hit)
    const handler = routes.get(path)
    if (handler === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no route"}')
      return
    }
    try {
      await handler(req, res, hit)
    } catch {
      res.destroy()
    }
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('request', (req) => {
    let bytes = 0
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length
    })
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        headers: req.headers,
        bytes,
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    route(path, handler) {
      routes.set(path, handler)
      return `${url}${path}`
    },
    hits: (path) => counts.get(path) ?? 0,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Sends JSON. */
export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/** Reads the request body to the end (so keep-alive works) and resolves with its size. */
export function drain(req: IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
    })
    req.on('end', () => resolve(size))
    req.on('error', reject)
  })
}

/** Promises the port of a server that was started and closed again: connecting to it is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** The HTTP-date `ms` after the given time. */
export function httpDate(epochMs: number): string {
  return new Date(epochMs).toUTCString()
}

/** Awaits a promise that must reject with an HttpError, and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise
  } catch (error) {
    if (isHttpError(error)) return error
    throw error
  }
  throw new Error('expected a rejection')
}
