/** Thrown by {@link readBody} in `throw` mode when the body exceeds the limit. */
export class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge' as const
  readonly limit: number
  constructor(limit: number) {
    super(`body larger than ${limit} bytes`)
    this.limit = limit
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/**
 * Reads a whole response body, never holding more than `limit` bytes: in
 * `throw` mode a larger body is cancelled and {@link BodyTooLarge} thrown; in
 * `truncate` mode the first `limit` bytes are kept and the rest cancelled.
 */
export async function readBody(
  response: Response,
  limit: number,
  mode: 'throw' | 'truncate',
): Promise<{ readonly bytes: Uint8Array; readonly truncated: boolean }> {
  const body = response.body
  if (body === null) return { bytes: new Uint8Array(0), truncated: false }
  const length = response.headers.get('content-length')
  // Without content coding, Content-Length is the size we will read: the fast path.
  if (length !== null && !response.headers.has('content-encoding')) {
    const declared = Number(length)
    if (declared <= limit) return { bytes: new Uint8Array(await response.arrayBuffer()), truncated: false }
    if (mode === 'throw') {
      await body.cancel().catch(() => {})
      throw new BodyTooLarge(limit)
    }
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (total + value.byteLength > limit) {
      await reader.cancel().catch(() => {})
      if (mode === 'throw') throw new BodyTooLarge(limit)
      chunks.push(value.subarray(0, limit - total))
      return { bytes: concat(chunks, limit), truncated: true }
    }
    chunks.push(value)
    total += value.byteLength
  }
  return { bytes: concat(chunks, total), truncated: false }
}

/** Bodies up to this size with a declared length are read in one piece. */
const SMALL_BODY = 64 * 1024

/**
 * Reads a whole response body as UTF-8 text, never holding more than `limit`
 * bytes (a larger body is cancelled and {@link BodyTooLarge} thrown). Each
 * chunk is decoded as it arrives (a streaming decoder keeps characters split
 * across chunks whole): no copy of the whole body into one buffer, and V8
 * decodes many small chunks several times faster than one large buffer
 * (small bodies of known size are read in one piece). Invalid sequences become U+FFFD and a leading BOM is dropped, as
 * {@link decodeText} does.
 */
export async function readText(response: Response, limit: number): Promise<string> {
  const body = response.body
  if (body === null) return ''
  const length = response.headers.get('content-length')
  if (length !== null && !response.headers.has('content-encoding')) {
    const declared = Number(length)
    if (declared > limit) {
      await body.cancel().catch(() => {})
      throw new BodyTooLarge(limit)
    }
    // A small body of known size: one read and one decode cost less than a reader loop.
    if (declared <= SMALL_BODY) return decodeText(new Uint8Array(await response.arrayBuffer()))
  }
  const streaming = new TextDecoder()
  const reader = body.getReader()
  let text = ''
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      throw new BodyTooLarge(limit)
    }
    text += streaming.decode(value, { stream: true })
  }
  return text + streaming.decode()
}

const decoder = new TextDecoder()

/** Decodes UTF-8 (invalid sequences become U+FFFD). */
export function decodeText(bytes: Uint8Array): string {
  return bytes.byteLength === 0 ? '' : decoder.decode(bytes)
}
