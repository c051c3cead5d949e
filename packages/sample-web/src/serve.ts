import type { AddressInfo } from 'node:net'
import { serve as honoServe } from '@hono/node-server'

/** A running server. */
export interface Served {
  /** `http://host:port` (no trailing slash). */
  readonly url: string
  readonly port: number
  /** Stops accepting connections and ends open ones. */
  close(): Promise<void>
}

/** Options for {@link serve} and {@link listen}. */
export interface ServeOptions {
  /** Default 0 (a free port). */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
}

type FetchHandler = (request: Request) => Response | Promise<Response>

/**
 * Serves a Hono app (or any fetch handler) on Node's HTTP server.
 *
 * @param app - Something with `fetch(request)`.
 * @param options - Port and host.
 * @returns The URL and `close()`.
 */
export async function serve(app: { fetch: FetchHandler }, options: ServeOptions = {}): Promise<Served> {
  const started = await listen(options)
  started.attach(app)
  return started
}

/** A server listening before its app exists (so the app can know its own URL first). */
export interface Listening extends Served {
  /** Sets the app that answers; until then every request gets 503. */
  attach(app: { fetch: FetchHandler }): void
}

/**
 * Starts listening first and attaches the app later: a started app knows its
 * port (for redirect URIs registered at the identity mock) before it is built.
 *
 * @param options - Port and host.
 * @returns The server; call `attach(app)` once the app is ready.
 */
export async function listen(options: ServeOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1'
  let handler: FetchHandler = () =>
    new Response('Starter …', { status: 503, headers: { 'retry-after': '1', 'cache-control': 'no-store' } })
  const server = await new Promise<ReturnType<typeof honoServe>>((resolve, reject) => {
    const s = honoServe(
      { fetch: (request: Request) => handler(request), port: options.port ?? 0, hostname: host },
      () => resolve(s),
    )
    s.once('error', reject)
  })
  const address = server.address() as AddressInfo
  const shownHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${address.port}`
  return {
    url,
    port: address.port,
    attach(app) {
      handler = (request) => app.fetch(request)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        const s = server as unknown as {
          closeAllConnections?: () => void
          close(cb: (e?: Error) => void): void
        }
        s.close((error) => (error === undefined ? resolve() : reject(error)))
        s.closeAllConnections?.()
      }),
  }
}
