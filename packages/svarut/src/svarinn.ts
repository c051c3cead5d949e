import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import {
  type Clock,
  createHttpClient,
  type FetchLike,
  type RetryOptions,
  type TokenProvider,
} from '@felles/http'
import { scrubNationalIds } from '@felles/identifiers'
import { Unzip, UnzipInflate } from 'fflate'
import type { SvarUtTokenProvider } from './client.js'
import { toSvarUtError } from './client.js'
import type { CertificateInput, PrivateKeyInput } from './cms/certificate.js'
import { createDecryptStream } from './cms/decrypt.js'
import { resolveEnvironment, type SvarUtEnvironment } from './environment.js'
import { SvarUtError } from './errors.js'

/** A file of a received letter, as announced in SvarInn's metadata. */
export interface SvarInnFileMetadata {
  readonly filnavn: string
  readonly mimeType: string
  /** SHA-256 (hex) from the metadata, when SvarInn sent one. */
  readonly sha256: string | undefined
  readonly size: number | undefined
}

/** A letter waiting in SvarInn. */
export interface SvarInnForsendelse {
  readonly id: string
  readonly tittel: string | undefined
  readonly downloadUrl: string
  readonly files: readonly SvarInnFileMetadata[]
  /** The item as SvarInn sent it (v1 or v2 shape). */
  readonly raw: Readonly<Record<string, unknown>>
}

/** A received, decrypted and verified file, spooled to a temporary path until the handler returns. */
export interface ReceivedFile {
  readonly filnavn: string
  readonly mimeType: string
  readonly size: number
  /** SHA-256 (hex), verified against the metadata. */
  readonly sha256: string
  /** Temporary path; removed after the handler returns. Copy or move the file to keep it. */
  readonly path: string
  /** A fresh stream of the file's bytes. */
  open(): Readable
}

/**
 * Handles one received letter. Return normally to have it confirmed as
 * received; throw to report a failure — temporary (SvarInn offers it again)
 * unless the error has `permanent: true` (SvarUt then delivers it through
 * other channels).
 */
export type SvarInnHandler = (
  forsendelse: SvarInnForsendelse,
  files: readonly ReceivedFile[],
) => Promise<void> | void

/** The outcome for one letter of a poll. */
export interface SvarInnOutcome {
  readonly id: string
  readonly outcome: 'received' | 'failed'
  /** For failures: reported as permanent. */
  readonly permanent?: boolean
  /** For failures: why (no personal data). */
  readonly reason?: string
}

/** Download progress of one letter. */
export interface SvarInnProgress {
  readonly id: string
  readonly bytes: number
  readonly total: number | undefined
}

/** Options of {@link createSvarInnReceiver}. */
export interface SvarInnReceiverOptions {
  /** `test`, `prod`, or a base URL; SvarInn lives at `{origin}/tjenester/svarinn`. */
  readonly environment: SvarUtEnvironment
  readonly integrationId: string
  readonly integrationPassword: string
  readonly token: SvarUtTokenProvider
  /** The receiving system's private key (downloads are encrypted for its certificate). */
  readonly privateKey: PrivateKeyInput
  readonly certificate?: CertificateInput
  /** SvarInn API version. Default `2`. */
  readonly version?: 1 | 2
  /** Refuse files the metadata gives no SHA-256 for. Default `true`. */
  readonly requireHash?: boolean
  /** Where files are spooled while verified and handled. Default the OS temp dir. */
  readonly tmpDir?: string
  readonly timeout?: number
  readonly retry?: RetryOptions | false
  readonly fetch?: FetchLike
  readonly clock?: Clock
}

/** Options of one poll. */
export interface PollOptions {
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: SvarInnProgress) => void
}

/** A SvarInn receiver made by {@link createSvarInnReceiver}. */
export interface SvarInnReceiver {
  /** Letters waiting (v2: up to 200 per call). */
  list(options?: { readonly signal?: AbortSignal }): Promise<SvarInnForsendelse[]>
  /** Lists, downloads, decrypts, verifies, unzips and hands each letter to `handler`; confirms only after it succeeded. */
  poll(handler: SvarInnHandler, options?: PollOptions): Promise<SvarInnOutcome[]>
  /** Processes one listed letter. */
  receive(
    forsendelse: SvarInnForsendelse,
    handler: SvarInnHandler,
    options?: PollOptions,
  ): Promise<SvarInnOutcome>
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

function toHex(hash: string | undefined): string | undefined {
  if (hash === undefined) return undefined
  if (/^[0-9a-fA-F]{64}$/.test(hash)) return hash.toLowerCase()
  const b = Buffer.from(hash, 'base64')
  return b.length === 32 ? b.toString('hex') : hash.toLowerCase()
}

function parseItem(item: unknown, version: 1 | 2): SvarInnForsendelse {
  const raw = (item ?? {}) as Record<string, unknown>
  const id = str(raw.id)
  const downloadUrl = str(version === 2 ? raw.nedlastingslenke : raw.downloadUrl)
  const list = (version === 2 ? raw.filer : raw.filmetadata) as unknown
  if (id === undefined || downloadUrl === undefined || !Array.isArray(list)) {
    throw new SvarUtError('ERR_INVALID_RESPONSE', 'A SvarInn item lacks id, download link or file list')
  }
  const files = list.map((f): SvarInnFileMetadata => {
    const o = (f ?? {}) as Record<string, unknown>
    return {
      filnavn: str(o.filnavn) ?? '',
      mimeType: str(version === 2 ? o.mimeType : o.mimetype) ?? 'application/octet-stream',
      sha256: toHex(str(version === 2 ? o.hash : o.sha256hash)),
      size: num(version === 2 ? o.storrelse : o.size),
    }
  })
  return { id, tittel: str(raw.tittel), downloadUrl, files, raw }
}

class Tap extends Transform {
  readonly hash = createHash('sha256')
  size = 0
  private readonly onBytes: ((n: number) => void) | undefined
  constructor(onBytes?: (n: number) => void) {
    super()
    this.onBytes = onBytes
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk)
    this.size += chunk.length
    this.onBytes?.(this.size)
    cb(null, chunk)
  }
}

interface Spooled {
  readonly name: string
  readonly path: string
  readonly sha256: string
  readonly size: number
}

/** Unzips a file as a stream into `dir`, hashing every entry. */
async function unzipTo(zipPath: string, dir: string): Promise<Spooled[]> {
  const entries: Spooled[] = []
  const pending: Promise<void>[] = []
  let failure: unknown
  const unzip = new Unzip((file) => {
    const path = join(dir, `entry-${entries.length + pending.length}`)
    const out = createWriteStream(path)
    const hash = createHash('sha256')
    let size = 0
    pending.push(
      new Promise<void>((resolve, reject) => {
        out.on('error', reject)
        file.ondata = (error, chunk, final) => {
          if (error) {
            failure = error
            out.destroy()
            reject(error)
            return
          }
          hash.update(chunk)
          size += chunk.length
          out.write(chunk)
          if (final) {
            out.end(() => {
              entries.push({ name: file.name, path, sha256: hash.digest('hex'), size })
              resolve()
            })
          }
        }
      }),
    )
    file.start()
  })
  unzip.register(UnzipInflate)
  for await (const chunk of createReadStream(zipPath, { highWaterMark: 256 * 1024 })) {
    unzip.push(chunk as Buffer)
    if (failure) throw failure
  }
  unzip.push(new Uint8Array(0), true)
  await Promise.all(pending)
  return entries
}

/**
 * Creates a SvarInn receiver (v2 by default, v1 supported): poll for letters
 * addressed to the organisation, stream each download, decrypt it (CMS with
 * the receiving system's key), verify each file's SHA-256 against the
 * metadata, unzip as a stream, hand the files to the handler, and confirm
 * receipt only after the handler succeeded — or report the failure as
 * permanent or temporary. Nothing that failed verification is confirmed.
 *
 * @param options - Environment, credentials, private key, version.
 * @returns The receiver.
 * @throws TypeError when a required option is missing.
 * @example
 * ```ts
 * const svarinn = createSvarInnReceiver({ environment: 'test', integrationId, integrationPassword, token, privateKey })
 * await svarinn.poll(async (letter, files) => { for (const f of files) await archive(letter.id, f.filnavn, f.open()) })
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarinn/
 */
export function createSvarInnReceiver(options: SvarInnReceiverOptions): SvarInnReceiver {
  for (const key of ['integrationId', 'integrationPassword', 'token', 'privateKey'] as const) {
    if (!options[key]) throw new TypeError(`createSvarInnReceiver: ${key} is required`)
  }
  const version = options.version ?? 2
  const urls = resolveEnvironment(options.environment)
  const requireHash = options.requireHash ?? true
  const provider = options.token
  const token: TokenProvider = typeof provider === 'function' ? provider : () => provider.getToken()
  const http = createHttpClient({
    baseUrl: urls.origin,
    headers: { IntegrasjonId: options.integrationId, IntegrasjonPassord: options.integrationPassword },
    sensitiveHeaders: ['IntegrasjonPassord', 'IntegrasjonId'],
    token,
    timeout: options.timeout ?? 60_000,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  })
  const sig = (s: AbortSignal | undefined) => (s ? { signal: s } : {})

  const list = async (o: { readonly signal?: AbortSignal } = {}): Promise<SvarInnForsendelse[]> => {
    try {
      const body = await http.json<unknown>({
        url:
          version === 2
            ? '/tjenester/svarinn/v2/forsendelser'
            : '/tjenester/svarinn/mottaker/hentNyeForsendelser',
        ...sig(o.signal),
      })
      if (!Array.isArray(body))
        throw new SvarUtError('ERR_INVALID_RESPONSE', 'SvarInn did not answer with a list')
      return body.map((item) => parseItem(item, version))
    } catch (error) {
      throw toSvarUtError(error)
    }
  }

  const report = async (
    id: string,
    ok: boolean,
    reason: string,
    permanent: boolean,
    signal?: AbortSignal,
  ) => {
    const safe = scrubNationalIds(reason).slice(0, 1000)
    const enc = encodeURIComponent(id)
    try {
      if (version === 2) {
        await http.send({
          url: `/tjenester/svarinn/v2/forsendelser/${enc}/status`,
          method: 'PATCH',
          json: ok ? { status: 'MOTTATT' } : { status: 'FEILET', feil: { feilmelding: safe, permanent } },
          idempotent: true,
          ...sig(signal),
        })
      } else if (ok) {
        await http.send({
          url: `/tjenester/svarinn/kvitterMottak/forsendelse/${enc}`,
          method: 'POST',
          idempotent: true,
          ...sig(signal),
        })
      } else {
        await http.send({
          url: `/tjenester/svarinn/mottakFeilet/forsendelse/${enc}`,
          method: 'POST',
          json: { feilmelding: safe, permanent },
          idempotent: true,
          ...sig(signal),
        })
      }
    } catch (error) {
      throw toSvarUtError(error)
    }
  }

  async function download(item: SvarInnForsendelse, dir: string, o: PollOptions): Promise<ReceivedFile[]> {
    let response: Response
    try {
      response = await http.request({ url: item.downloadUrl, timeout: 16 * 60_000, ...sig(o.signal) })
    } catch (error) {
      throw toSvarUtError(error)
    }
    if (!response.body) throw new SvarUtError('ERR_INVALID_RESPONSE', 'SvarInn sent no file')
    const lengthHeader = Number(response.headers.get('content-length'))
    const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : undefined
    const progress = new Tap((bytes) => o.onProgress?.({ id: item.id, bytes, total }))
    const plain = new Tap()
    const whole = join(dir, 'content')
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      progress,
      createDecryptStream({
        privateKey: options.privateKey,
        ...(options.certificate === undefined ? {} : { certificate: options.certificate }),
      }),
      plain,
      createWriteStream(whole),
    )
    const wholeHash = plain.hash.digest('hex')
    const head = Buffer.alloc(4)
    {
      const { open } = await import('node:fs/promises')
      const fh = await open(whole, 'r')
      await fh.read(head, 0, 4, 0)
      await fh.close()
    }
    const only = item.files.length === 1 ? item.files[0] : undefined
    const isZip = head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
    let spooled: Spooled[]
    if (only && (!isZip || only.sha256 === wholeHash || /\.zip$/i.test(only.filnavn))) {
      spooled = [{ name: only.filnavn, path: whole, sha256: wholeHash, size: plain.size }]
    } else if (isZip) {
      const out = join(dir, 'files')
      await mkdir(out)
      spooled = await unzipTo(whole, out)
    } else {
      throw new SvarUtError(
        'ERR_INTEGRITY',
        'The download is neither the announced file nor a ZIP of the files',
      )
    }
    return item.files.map((meta, i) => {
      const file = spooled.find((s) => s.name === meta.filnavn)
      if (!file)
        throw new SvarUtError('ERR_INTEGRITY', `File ${i + 1} of the metadata is missing from the download`)
      if (meta.sha256 === undefined && requireHash) {
        throw new SvarUtError('ERR_INTEGRITY', `File ${i + 1} has no SHA-256 in the metadata`)
      }
      if (meta.sha256 !== undefined && meta.sha256 !== file.sha256) {
        throw new SvarUtError('ERR_INTEGRITY', `File ${i + 1} does not match its SHA-256`)
      }
      return {
        filnavn: meta.filnavn,
        mimeType: meta.mimeType,
        size: file.size,
        sha256: file.sha256,
        path: file.path,
        open: () => createReadStream(file.path),
      }
    })
  }

  async function receive(
    item: SvarInnForsendelse,
    handler: SvarInnHandler,
    o: PollOptions = {},
  ): Promise<SvarInnOutcome> {
    const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'felles-svarinn-'))
    try {
      let files: ReceivedFile[]
      try {
        files = await download(item, dir, o)
      } catch (error) {
        if (o.signal?.aborted) throw error
        // Not verified → never confirmed; a temporary failure lets SvarInn offer it again.
        const reason = error instanceof SvarUtError ? error.message : 'Download or decryption failed'
        await report(item.id, false, reason, false, o.signal)
        return { id: item.id, outcome: 'failed', permanent: false, reason }
      }
      try {
        await handler(item, files)
      } catch (error) {
        const permanent = (error as { permanent?: unknown })?.permanent === true
        const reason = error instanceof Error ? error.message : 'The handler failed'
        await report(item.id, false, reason, permanent, o.signal)
        return { id: item.id, outcome: 'failed', permanent, reason: scrubNationalIds(reason) }
      }
      await report(item.id, true, '', false, o.signal)
      return { id: item.id, outcome: 'received' }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  return {
    list,
    receive,
    async poll(handler, o = {}) {
      const outcomes: SvarInnOutcome[] = []
      for (const item of await list(o)) outcomes.push(await receive(item, handler, o))
      return outcomes
    },
  }
}
