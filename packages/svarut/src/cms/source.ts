import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'

/**
 * Bytes to en- or decrypt: a whole buffer, a Node.js readable stream, a Web
 * `ReadableStream`, or any (async) iterable of chunks.
 */
export type CmsSource =
  | Uint8Array
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | WebReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>
  | Iterable<Uint8Array>

/** @internal Turns any {@link CmsSource} into a Node.js `Readable`. */
export function toReadable(source: CmsSource): Readable {
  if (source instanceof Readable) return source
  if (source instanceof Uint8Array)
    return Readable.from([Buffer.from(source.buffer, source.byteOffset, source.byteLength)])
  if (typeof (source as ReadableStream<Uint8Array>).getReader === 'function') {
    return Readable.fromWeb(source as WebReadableStream<Uint8Array>)
  }
  return Readable.from(source as AsyncIterable<Uint8Array>, { objectMode: false })
}

/** @internal Collects a stream into one buffer. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts)
}
