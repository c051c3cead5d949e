import { open, stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'

/**
 * The bytes of one document: a file on disk (`{ path }`), a buffer, a
 * `Blob`, a Node.js readable, a Web `ReadableStream` or an async iterable.
 * Paths, buffers and Blobs can be read again, so an upload that failed
 * before SvarUt saw it is re-streamed from the source; a stream can be read
 * once only.
 */
export type FileContent =
  | { readonly path: string }
  | Uint8Array
  | Blob
  | NodeJS.ReadableStream
  | ReadableStream<Uint8Array>
  | WebReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array>

/** @internal What pre-flight validation can learn about a content without consuming it. */
export interface ContentFacts {
  /** Byte size, when known before reading. */
  readonly size: number | undefined
  /** The first bytes (up to 64 KiB), when readable without consuming. */
  readonly head: Buffer | undefined
  /** The last bytes (up to 64 KiB), when readable without consuming. */
  readonly tail: Buffer | undefined
  /** Whether the content can be read more than once. */
  readonly repeatable: boolean
}

const PEEK = 64 * 1024

function isPath(c: FileContent): c is { readonly path: string } {
  return typeof (c as { path?: unknown }).path === 'string' && !(c instanceof Uint8Array)
}

/** @internal */
export async function inspectContent(content: FileContent): Promise<ContentFacts> {
  if (content instanceof Uint8Array) {
    const b = Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    return {
      size: b.length,
      head: b.subarray(0, PEEK),
      tail: b.subarray(Math.max(0, b.length - PEEK)),
      repeatable: true,
    }
  }
  if (typeof Blob !== 'undefined' && content instanceof Blob) {
    const head = Buffer.from(await content.slice(0, PEEK).arrayBuffer())
    const tail = Buffer.from(await content.slice(Math.max(0, content.size - PEEK)).arrayBuffer())
    return { size: content.size, head, tail, repeatable: true }
  }
  if (isPath(content)) {
    const info = await stat(content.path)
    const handle = await open(content.path, 'r')
    try {
      const head = Buffer.alloc(Math.min(PEEK, info.size))
      await handle.read(head, 0, head.length, 0)
      const tail = Buffer.alloc(Math.min(PEEK, info.size))
      await handle.read(tail, 0, tail.length, info.size - tail.length)
      return { size: info.size, head, tail, repeatable: true }
    } finally {
      await handle.close()
    }
  }
  return { size: undefined, head: undefined, tail: undefined, repeatable: false }
}

/** @internal A fresh readable of the content (streams: the stream itself, once). */
export async function* readContent(content: FileContent): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) {
    yield content
    return
  }
  if (typeof Blob !== 'undefined' && content instanceof Blob) {
    yield* Readable.fromWeb(content.stream() as WebReadableStream<Uint8Array>)
    return
  }
  if (isPath(content)) {
    const { createReadStream } = await import('node:fs')
    yield* createReadStream(content.path, { highWaterMark: 256 * 1024 })
    return
  }
  if (typeof (content as ReadableStream<Uint8Array>).getReader === 'function') {
    yield* Readable.fromWeb(content as WebReadableStream<Uint8Array>)
    return
  }
  yield* content as AsyncIterable<Uint8Array>
}

/** @internal */
export function isRepeatable(content: FileContent): boolean {
  return (
    content instanceof Uint8Array ||
    (typeof Blob !== 'undefined' && content instanceof Blob) ||
    isPath(content)
  )
}

/** @internal Byte size when known without reading. */
export async function contentSize(content: FileContent): Promise<number | undefined> {
  if (content instanceof Uint8Array) return content.byteLength
  if (typeof Blob !== 'undefined' && content instanceof Blob) return content.size
  if (isPath(content)) return (await stat(content.path)).size
  return undefined
}

/**
 * Computes the SHA-256 of a document (hex) by streaming it.
 *
 * @param content - The bytes: `{ path }`, buffer, Blob or stream.
 * @returns The lowercase hex digest.
 * @example
 * ```ts
 * const hex = await sha256Of({ path: 'vedtak.pdf' })
 * ```
 */
export async function sha256Of(content: FileContent): Promise<string> {
  const { createHash } = await import('node:crypto')
  const hash = createHash('sha256')
  for await (const chunk of readContent(content)) hash.update(chunk)
  return hash.digest('hex')
}

/**
 * Checks a document against the `sha256Hash` of SvarUt's metadata
 * (`client.getMetadata(id)`), e.g. after downloading it from `nedlasningUrl`.
 *
 * @param content - The document's bytes.
 * @param expected - `sha256Hash` from the metadata (hex or base64).
 * @returns `true` when the digests match.
 * @example
 * ```ts
 * const [meta] = await svarut.getMetadata(id)
 * const ok = meta !== undefined && (await verifySha256({ path: 'vedtak.pdf' }, meta.sha256Hash))
 * ```
 */
export async function verifySha256(content: FileContent, expected: string): Promise<boolean> {
  const actual = await sha256Of(content)
  const normalised = /^[0-9a-fA-F]{64}$/.test(expected)
    ? expected.toLowerCase()
    : Buffer.from(expected, 'base64').toString('hex')
  return actual === normalised
}
