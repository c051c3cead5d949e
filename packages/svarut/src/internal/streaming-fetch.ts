// A `fetch` for uploads on node:http/https. Node 20's bundled fetch reads a
// streamed request body faster than the socket drains it, holding up to the
// whole body in memory; piping into an http.ClientRequest keeps real
// backpressure, so a 1 GiB send stays within a few MiB.
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { FetchLike } from '@felles/http'

function responseHeaders(res: IncomingMessage): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else if (value !== undefined) headers.set(name, value)
  }
  return headers
}

export const streamingFetch: FetchLike = (input, init) =>
  new Promise<Response>((resolve, reject) => {
    const signal = init.signal ?? undefined
    if (signal?.aborted) {
      reject(signal.reason)
      return
    }
    const url = new URL(input)
    const headers: Record<string, string> = {}
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value
    })
    const method = init.method ?? 'GET'
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers })
    let settled = false
    const fail = (cause: unknown): void => {
      if (settled) return
      settled = true
      reject(new TypeError('fetch failed', { cause }))
    }
    const onAbort = (): void => {
      req.destroy()
      if (!settled) {
        settled = true
        reject(signal?.reason)
      }
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    req.on('error', fail)
    req.on('response', (res) => {
      if (settled) {
        res.resume()
        return
      }
      settled = true
      const status = res.statusCode ?? 0
      const nullBody = method === 'HEAD' || status === 204 || status === 304
      if (nullBody) res.resume()
      if (signal) {
        signal.removeEventListener('abort', onAbort)
        signal.addEventListener('abort', () => res.destroy(signal.reason as Error), { once: true })
      }
      resolve(
        new Response(nullBody ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>), {
          status,
          statusText: res.statusMessage ?? '',
          headers: responseHeaders(res),
        }),
      )
    })
    const body = init.body
    if (body === undefined || body === null) req.end()
    else if (typeof body === 'string' || body instanceof Uint8Array) req.end(body)
    else if (body instanceof ArrayBuffer) req.end(Buffer.from(body))
    else if (body instanceof URLSearchParams) req.end(body.toString())
    else {
      const stream =
        typeof Blob !== 'undefined' && body instanceof Blob
          ? Readable.fromWeb(body.stream() as WebReadableStream<Uint8Array>)
          : Readable.fromWeb(body as WebReadableStream<Uint8Array>)
      pipeline(stream, req).catch((error: unknown) => {
        req.destroy(error as Error)
        fail(error)
      })
    }
  })
