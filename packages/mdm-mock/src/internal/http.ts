import type { IncomingHttpHeaders } from 'node:http'
import type { MockClock } from '../clock.js'
import type { CommandQueue } from '../commands.js'
import type { FaultState } from '../faults.js'
import type { VendorKey, World } from '../world.js'
import type { TokenStore } from './tokens.js'

/** What a vendor handler sees of a request. */
export interface Exchange {
  readonly vendor: VendorKey
  readonly method: string
  /** Path below the vendor prefix, e.g. `/v1.0/deviceManagement/managedDevices`. */
  readonly path: string
  /** Path with the prefix, as requested. */
  readonly rawPath: string
  readonly query: URLSearchParams
  readonly headers: IncomingHttpHeaders
  readonly body: Buffer
  /** Absolute origin, e.g. `http://127.0.0.1:4010`. */
  readonly origin: string
  /** The full URL as requested. */
  readonly url: string
  readonly requestId: string
}

/** A reply a handler produces. */
export interface Reply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** JSON value, a text, or chunks of text to stream. */
  readonly json?: unknown
  readonly text?: string
  readonly chunks?: Iterable<string>
  readonly contentType?: string
}

/** Shared state every vendor emulator works on. */
export interface Env {
  readonly world: World
  readonly clock: MockClock
  readonly queue: CommandQueue
  readonly faults: FaultState
  readonly tokens: TokenStore
  readonly now: () => number
}

/** JSON reply helper. */
export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, json: body, headers } : { status, json: body }
}

/** Empty reply helper. */
export function empty(status: number, headers?: Record<string, string>): Reply {
  return headers ? { status, headers } : { status }
}

/** Parses a JSON body; returns `undefined` when empty, throws SyntaxError when malformed. */
export function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined
  return JSON.parse(body.toString('utf8'))
}

/** Parses an `application/x-www-form-urlencoded` body. */
export function parseForm(body: Buffer): URLSearchParams {
  return new URLSearchParams(body.toString('utf8'))
}

/** Reads the bearer token of a request, if any. */
export function bearer(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization
  if (!h) return undefined
  const m = /^Bearer\s+(.+)$/i.exec(h)
  return m ? m[1]!.trim() : undefined
}

/** Reads HTTP Basic credentials of a request, if any. */
export function basic(headers: IncomingHttpHeaders): { user: string; password: string } | undefined {
  const h = headers.authorization
  if (!h) return undefined
  const m = /^Basic\s+(.+)$/i.exec(h)
  if (!m) return undefined
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** A `Retry-After` header value per the fault settings. */
export function retryAfterHeader(
  mode: 'seconds' | 'http-date' | 'omit' | undefined,
  seconds: number,
  now: number,
): Record<string, string> {
  if (mode === 'omit') return {}
  if (mode === 'http-date') return { 'Retry-After': new Date(now + seconds * 1000).toUTCString() }
  return { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) }
}

/** Opaque cursor encoding for next-page links and page tokens. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

/** Decodes {@link encodeCursor}; `undefined` when the cursor is not ours. */
export function decodeCursor(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** ISO 8601 with milliseconds dropped where the vendor does so. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z')
}
