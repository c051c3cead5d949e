// Streams a multipart/form-data body part by part, never holding a whole file.
import { randomBytes } from 'node:crypto'

export interface Part {
  readonly name: string
  readonly filename?: string
  readonly contentType: string
  /** Bytes of the part, produced lazily. */
  readonly body: () => AsyncIterable<Uint8Array>
  /** Byte length, when known in advance. */
  readonly size: number | undefined
}

export function newBoundary(): string {
  return `----felles-svarut-${randomBytes(12).toString('hex')}`
}

function quote(value: string): string {
  // RFC 7578 §4.2: raw UTF-8, with quote, CR and LF percent-encoded.
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function head(boundary: string, part: Part): Buffer {
  const disposition = `form-data; name="${quote(part.name)}"${
    part.filename === undefined ? '' : `; filename="${quote(part.filename)}"`
  }`
  return Buffer.from(
    `--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.contentType}\r\n\r\n`,
    'utf8',
  )
}

/** Total length of the body, or `undefined` when a part's size is unknown. */
export function multipartLength(boundary: string, parts: readonly Part[]): number | undefined {
  let total = Buffer.byteLength(`--${boundary}--\r\n`)
  for (const part of parts) {
    if (part.size === undefined) return undefined
    total += head(boundary, part).length + part.size + 2
  }
  return total
}

export async function* multipart(boundary: string, parts: readonly Part[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    yield head(boundary, part)
    for await (const chunk of part.body()) yield chunk
    yield Buffer.from('\r\n')
  }
  yield Buffer.from(`--${boundary}--\r\n`)
}

/** A Web ReadableStream pulling from an async iterator (backpressure: one chunk per pull). */
export function toWebStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = source[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await it.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      } catch (error) {
        controller.error(error)
      }
    },
    async cancel(reason) {
      await it.return?.(reason)
    },
  })
}
