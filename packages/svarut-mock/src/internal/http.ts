import { randomUUID } from 'node:crypto'
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http'
import type { ValidationIssue } from '../validation.js'

/** Fiks error codes the mock uses (shape `^[A-Z]{1,10}-[0-9]{4}$`). */
export const ERROR_CODES = {
  validation: 'SVARUT-1400',
  unauthenticated: 'SVARUT-1401',
  forbidden: 'SVARUT-1403',
  notFound: 'SVARUT-1404',
  methodNotAllowed: 'SVARUT-1405',
  tooLarge: 'SVARUT-1413',
  unsupportedMediaType: 'SVARUT-1415',
  rateLimited: 'SVARUT-1429',
  internal: 'SVARUT-1500',
  unavailable: 'SVARUT-1503',
} as const

export type ErrorCodeKey = keyof typeof ERROR_CODES

export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly status: number
  readonly code: ErrorCodeKey
  readonly issues: readonly ValidationIssue[] | undefined
  readonly headers: Record<string, string>
  constructor(
    status: number,
    code: ErrorCodeKey,
    message: string,
    issues?: readonly ValidationIssue[],
    headers: Record<string, string> = {},
  ) {
    super(message)
    this.status = status
    this.code = code
    this.issues = issues
    this.headers = headers
  }
}

/** Thrown for request validation failures. */
export const invalid = (issues: readonly ValidationIssue[]): HttpError =>
  new HttpError(
    400,
    'validation',
    `Ugyldig forespørsel: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`,
    issues,
  )

/** The Fiks error body. */
export function fiksErrorBody(
  now: number,
  status: number,
  path: string,
  message: string,
  code: ErrorCodeKey,
  issues?: readonly ValidationIssue[],
): Record<string, unknown> {
  return {
    timestamp: now,
    status,
    error: STATUS_CODES[status] ?? 'Error',
    errorId: randomUUID(),
    path,
    originalPath: path,
    message,
    errorCode: ERROR_CODES[code],
    ...(issues ? { errorJson: { feil: issues.map((i) => ({ felt: i.field, melding: i.message })) } } : {}),
  }
}

export function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
  })
  res.end(text)
}

/** Reads a small body whole (JSON requests); rejects above `limit` bytes. */
export async function readSmallBody(req: IncomingMessage, limit: number = 5 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) throw new HttpError(413, 'tooLarge', 'Forespørselen er for stor')
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Parses a JSON body; undefined when empty. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readSmallBody(req)
  if (body.length === 0) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw invalid([{ field: '(body)', message: 'is not valid JSON' }])
  }
}

export const isoWithOffset = (ms: number): string => new Date(ms).toISOString()

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}
