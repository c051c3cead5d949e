import type { RequestSent } from '../errors.js'

// Failures that happen before a single byte of the request can reach the
// server: it never saw the request, so even a non-idempotent one may be retried.
const BEFORE_SEND = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** Every `code` along an error's `cause` chain (and inside AggregateErrors). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = []
  const seen = new Set<unknown>()
  const visit = (e: unknown, depth: number): void => {
    if (e === null || typeof e !== 'object' || seen.has(e) || depth > 8) return
    seen.add(e)
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') codes.push(code)
    const errors = (e as { errors?: unknown }).errors
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1)
    visit((e as { cause?: unknown }).cause, depth + 1)
  }
  visit(error, 0)
  return codes
}

/**
 * Whether a rejection of `fetch` is a network failure (as opposed to a
 * programming error such as an invalid header, which fetch reports as a
 * `TypeError` without a cause), and whether the server can have seen the request.
 */
export function classifyNetworkError(error: unknown): {
  network: boolean
  sent: RequestSent
  code: string | undefined
} {
  const codes = errorCodes(error)
  const before = codes.find((c) => BEFORE_SEND.has(c))
  if (before !== undefined) return { network: true, sent: 'no', code: before }
  const isBareTypeError = error instanceof TypeError && error.cause === undefined && codes.length === 0
  return { network: !isBareTypeError, sent: 'unknown', code: codes[0] }
}

const DESCRIBE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CONNECT_TIMEOUT: 'connect timed out',
}

/** A short description of a network failure for messages. */
export function describeNetworkError(code: string | undefined): string {
  if (code === undefined) return 'network failure'
  return `${DESCRIBE[code] ?? 'network failure'} (${code})`
}
