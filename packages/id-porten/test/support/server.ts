import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Running {
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export async function listen(server: Server, host = '127.0.0.1'): Promise<Running> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/**
 * Serves a Fetch API handler over node:http. The handler is set later (the
 * relying party needs the server's URL before it exists).
 */
export async function serveFetch(
  host = '127.0.0.1',
): Promise<Running & { handler: (request: Request) => Promise<Response> }> {
  const box: { handler: (request: Request) => Promise<Response> } = {
    handler: async () => new Response('not ready', { status: 503 }),
  }
  const server = createServer((req, res) => {
    bridge(req, res, (r) => box.handler(r)).catch((error: unknown) => {
      res.statusCode = 500
      res.end(String(error))
    })
  })
  const running = await listen(server, host)
  return Object.defineProperty({ ...running }, 'handler', {
    get: () => box.handler,
    set: (h: (request: Request) => Promise<Response>) => {
      box.handler = h
    },
    enumerable: true,
  }) as Running & { handler: (request: Request) => Promise<Response> }
}

async function bridge(
  req: IncomingMessage,
  res: ServerResponse,
  handler: (request: Request) => Promise<Response>,
): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const headers = new Headers()
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x)
    else if (v !== undefined) headers.set(k, v)
  }
  const method = req.method ?? 'GET'
  const request = new Request(`http://${req.headers.host}${req.url}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  })
  const response = await handler(request)
  res.statusCode = response.status
  for (const [k, v] of response.headers) if (k !== 'set-cookie') res.setHeader(k, v)
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('set-cookie', cookies)
  res.end(Buffer.from(await response.arrayBuffer()))
}
