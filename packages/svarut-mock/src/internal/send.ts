import { createHash, randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { join } from 'node:path'
import { Readable, Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { crc32 } from 'node:zlib'
import { containsNationalId, isValidNationalId, isValidOrganisationNumber } from '@felles/identifiers'
import busboy from 'busboy'
import type { ValidationIssue } from '../validation.js'
import type { SendKind, StoredDocument } from '../world.js'
import { HttpError, invalid } from './http.js'

/** Streams a CMS blob in and plaintext out; throws when it is not valid for the mock's key. */
export type CmsDecrypt = (source: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>

export interface SendContext {
  readonly kind: SendKind
  readonly dataDir: string
  readonly now: number
  readonly validateJson: (value: unknown) => readonly ValidationIssue[]
  readonly decrypt: CmsDecrypt
  readonly strict: boolean
  /** Called with the body byte count as it grows (fault injection). */
  readonly onBytes?: (total: number) => void
}

export interface ReceivedSend {
  readonly forsendelse: Record<string, unknown>
  readonly documents: StoredDocument[]
}

const MB = 1024 * 1024
const PRINT_LIMIT = 350 * MB
const NHN_LIMIT = 18 * MB
const FORBIDDEN_FILENAME = /[*:"\\/<>|?]/

type Doc = Record<string, unknown>

/** Checks the `forsendelse` beyond its JSON Schema: identifiers, file names, print and signing rules. */
export function semanticIssues(kind: SendKind, f: Doc, now: number, strict: boolean): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const add = (field: string, message: string): void => {
    issues.push({ field: `forsendelse.${field}`, message })
  }
  const mottaker = (f.mottaker ?? {}) as Doc
  if (kind === 'person' && !isValidNationalId(mottaker.digitalId))
    add('mottaker.digitalId', 'is not a valid fødselsnummer or D-nummer')
  if (kind === 'organisasjon' && !isValidOrganisationNumber(mottaker.digitalId))
    add('mottaker.digitalId', 'is not a valid organisasjonsnummer')
  if (kind === 'nhn') {
    const pasient = (f.pasient ?? {}) as Doc
    if (!isValidNationalId(pasient.fodselsnummer))
      add('pasient.fodselsnummer', 'is not a valid fødselsnummer or D-nummer')
    if (f.mottakertype === 'HER_ID' && f.mottakerHerId === undefined)
      add('mottakerHerId', 'is required when mottakertype is HER_ID')
  }
  const svar = f.svarSendesTil as Doc | undefined
  if (svar) {
    if (svar.type === 'ORGANISASJON' && !isValidOrganisationNumber(svar.digitalId))
      add('svarSendesTil.digitalId', 'is not a valid organisasjonsnummer')
    if (svar.type === 'PERSON' && !isValidNationalId(svar.digitalId))
      add('svarSendesTil.digitalId', 'is not a valid fødselsnummer or D-nummer')
  }
  if (f.kanSvareViaEdialog === true && svar?.type !== 'ORGANISASJON')
    add('kanSvareViaEdialog', 'needs svarSendesTil of type ORGANISASJON')
  if (f.sikkerhetsniva === 'HOYESTE' && f.kryptert !== true)
    add('sikkerhetsniva', 'HOYESTE requires kryptert documents')
  if (strict && typeof f.eksternReferanse === 'string' && containsNationalId(f.eksternReferanse))
    add('eksternReferanse', 'must not contain a national identity number')
  if (kind === 'nhn') return issues
  const docs = (Array.isArray(f.dokumenter) ? f.dokumenter : []) as Doc[]
  if (docs.length === 0) add('dokumenter', 'at least one document is required')
  const names = new Set<string>()
  const printable = kind === 'print' || f.kunDigitalLevering !== true
  let toSign = 0
  docs.forEach((d, i) => {
    const name = String(d.filnavn ?? '')
    if (FORBIDDEN_FILENAME.test(name))
      add(`dokumenter[${i}].filnavn`, 'must not contain any of * : " \\ / < > | ?')
    if (names.has(name)) add(`dokumenter[${i}].filnavn`, 'must be unique within the forsendelse')
    names.add(name)
    const pdf = d.mimeType === 'application/pdf'
    if (kind === 'print' && !pdf) add(`dokumenter[${i}].mimeType`, 'only application/pdf can be printed')
    else if (printable && !pdf && d.skalEkskluderesFraUtskrift !== true)
      add(
        `dokumenter[${i}].mimeType`,
        'only application/pdf can be printed: set kunDigitalLevering or skalEkskluderesFraUtskrift',
      )
    if (d.skalSigneres === true) {
      toSign++
      if (!pdf) add(`dokumenter[${i}].skalSigneres`, 'only an application/pdf document can be signed')
    }
  })
  const signering = f.signering as Doc | undefined
  if (signering && toSign !== 1)
    add('dokumenter', 'exactly one document must have skalSigneres when signering is set')
  if (!signering && toSign > 0) add('signering', 'is required when a document has skalSigneres')
  if (signering) {
    const expires = Date.parse(String(signering.signeringUtloper))
    if (Number.isFinite(expires) && expires < now + 86_400_000)
      add('signering.signeringUtloper', 'must be at least one day ahead')
  }
  return issues
}

class Meter extends Transform {
  readonly hash = createHash('sha256')
  crc = 0
  size = 0
  head: Buffer = Buffer.alloc(0)
  private readonly limit: (size: number) => string | undefined
  constructor(limit: (size: number) => string | undefined) {
    super({ highWaterMark: MB })
    this.limit = limit
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length
    const over = this.limit(this.size)
    if (over) {
      done(new HttpError(413, 'tooLarge', over))
      return
    }
    this.hash.update(chunk)
    this.crc = crc32(chunk, this.crc)
    if (this.head.length < 8) this.head = Buffer.concat([this.head, chunk.subarray(0, 8 - this.head.length)])
    done(null, chunk)
  }
}

/**
 * Reads a multipart send as a stream: the `forsendelse` JSON part first
 * (validated before any file byte is stored), then each file part to disk in
 * the mock's data folder, hashed on the way, decrypted on the way when
 * `kryptert`. Throws {@link HttpError}; removes its files on failure.
 */
export async function receiveMultipart(req: IncomingMessage, ctx: SendContext): Promise<ReceivedSend> {
  const type = req.headers['content-type'] ?? ''
  if (!/^multipart\/form-data/i.test(type))
    throw new HttpError(415, 'unsupportedMediaType', 'Forventet multipart/form-data')
  const dir = join(ctx.dataDir, randomUUID())
  await mkdir(dir, { recursive: true })
  let bytes = 0
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length
    ctx.onBytes?.(bytes)
  })
  let forsendelse: Doc | undefined
  let docs: Doc[] = []
  const stored: (StoredDocument | undefined)[] = []
  const pending: Promise<void>[] = []
  let failure: HttpError | undefined
  let fileIndex = 0
  let printableTotal = 0
  const fail = (e: HttpError): void => {
    failure ??= e
  }

  const acceptJson = (text: string): void => {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      fail(invalid([{ field: 'forsendelse', message: 'is not valid JSON' }]))
      return
    }
    const issues = ctx.validateJson(value)
    if (issues.length) {
      fail(invalid(issues))
      return
    }
    const f = value as Doc
    const more = semanticIssues(ctx.kind, f, ctx.now, ctx.strict)
    if (more.length) {
      fail(invalid(more))
      return
    }
    forsendelse = f
    docs = ctx.kind === 'nhn' ? [] : ((Array.isArray(f.dokumenter) ? f.dokumenter : []) as Doc[])
  }

  const active = new Set<Readable>()
  const storeFile = (stream: Readable, filename: string | undefined, mimeType: string): void => {
    const index = fileIndex++
    active.add(stream)
    stream.once('close', () => active.delete(stream))
    if (failure || !forsendelse) {
      if (!failure)
        fail(invalid([{ field: 'forsendelse', message: 'must be the first part of the request' }]))
      stream.resume()
      return
    }
    const f = forsendelse
    let meta: Doc
    if (ctx.kind === 'nhn') {
      if (index > 0) {
        fail(invalid([{ field: 'dokument', message: 'an NHN send takes exactly one document' }]))
        stream.resume()
        return
      }
      const name = filename ?? ''
      const issues: ValidationIssue[] = []
      if (!name || name.length > 226 || FORBIDDEN_FILENAME.test(name))
        issues.push({
          field: 'dokument',
          message: 'needs a filename of 1–226 characters without * : " \\ / < > | ?',
        })
      if (mimeType !== 'application/pdf')
        issues.push({ field: 'dokument', message: 'an NHN document must be application/pdf' })
      if (issues.length) {
        fail(invalid(issues))
        stream.resume()
        return
      }
      meta = { filnavn: name, mimeType }
    } else {
      const expected = docs[index]
      if (!expected) {
        fail(
          invalid([
            {
              field: `forsendelse.dokumenter[${index}]`,
              message: 'file part without a matching entry in dokumenter',
            },
          ]),
        )
        stream.resume()
        return
      }
      if (filename !== expected.filnavn) {
        fail(
          invalid([
            {
              field: `forsendelse.dokumenter[${index}].filnavn`,
              message:
                'does not match the filename of file part ' +
                (index + 1) +
                ' (parts must follow dokumenter order)',
            },
          ]),
        )
        stream.resume()
        return
      }
      meta = expected
    }
    const pdf = meta.mimeType === 'application/pdf'
    const counts =
      ctx.kind === 'print' ||
      (f.kunDigitalLevering !== true && pdf && meta.skalEkskluderesFraUtskrift !== true)
    const before = printableTotal
    const limit = (size: number): string | undefined => {
      if (ctx.kind === 'nhn' && size > NHN_LIMIT) return 'dokument: an NHN document may be at most 18 MB'
      if (counts && before + size >= PRINT_LIMIT)
        return 'forsendelse.dokumenter: printable documents must total less than 350 MB'
      return undefined
    }
    const meter = new Meter(limit)
    const path = join(dir, `${index}.bin`)
    const encrypted = f.kryptert === true
    const source: Readable = encrypted ? Readable.from(ctx.decrypt(stream)) : stream
    pending.push(
      pipeline(source, meter, createWriteStream(path, { highWaterMark: MB })).then(
        () => {
          printableTotal += counts ? meter.size : 0
          if (pdf && meter.head.subarray(0, 5).toString('latin1') !== '%PDF-')
            fail(
              invalid([
                {
                  field: ctx.kind === 'nhn' ? 'dokument' : `forsendelse.dokumenter[${index}]`,
                  message: 'is not a PDF file',
                },
              ]),
            )
          stored[index] = {
            filnavn: String(meta.filnavn),
            mimeType: String(meta.mimeType),
            size: meter.size,
            sha256: meter.hash.digest('hex'),
            crc32: meter.crc >>> 0,
            path,
            encrypted,
            meta,
          }
        },
        (error: unknown) => {
          stream.resume()
          if (error instanceof HttpError) {
            fail(error)
            return
          }
          fail(
            invalid([
              {
                field: ctx.kind === 'nhn' ? 'dokument' : `forsendelse.dokumenter[${index}]`,
                message: encrypted
                  ? 'is not a CMS EnvelopedData that decrypts with the SvarUt certificate'
                  : 'could not be read',
              },
            ]),
          )
        },
      ),
    )
  }

  const bb = busboy({
    headers: req.headers,
    limits: { fieldSize: MB, parts: 1000 },
    defParamCharset: 'utf8',
    highWaterMark: MB,
    fileHwm: MB,
  })
  bb.on('field', (name, value) => {
    if (name === 'forsendelse' && !forsendelse && !failure) acceptJson(value)
  })
  bb.on('file', (name, stream, info) => {
    if (name === 'forsendelse' && !forsendelse && fileIndex === 0) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => acceptJson(Buffer.concat(chunks).toString('utf8')))
      return
    }
    storeFile(stream, info.filename, info.mimeType)
  })
  try {
    await new Promise<void>((resolve, reject) => {
      bb.on('close', resolve)
      bb.on('error', (e: unknown) =>
        reject(invalid([{ field: '(body)', message: `malformed multipart: ${(e as Error).message}` }])),
      )
      req.on('aborted', () => reject(new HttpError(400, 'validation', 'request aborted')))
      req.on('error', () => reject(new HttpError(400, 'validation', 'request aborted')))
      req.pipe(bb)
    })
    await Promise.all(pending)
    if (failure) throw failure
    if (!forsendelse) throw invalid([{ field: 'forsendelse', message: 'is required' }])
    if (ctx.kind === 'nhn' && fileIndex !== 1)
      throw invalid([{ field: 'dokument', message: 'an NHN send takes exactly one document' }])
    if (ctx.kind !== 'nhn' && fileIndex !== docs.length)
      throw invalid([
        {
          field: 'forsendelse.dokumenter',
          message: `lists ${docs.length} documents but the request has ${fileIndex} file parts`,
        },
      ])
    return { forsendelse, documents: stored as StoredDocument[] }
  } catch (error) {
    req.unpipe(bb)
    for (const stream of active) stream.destroy(new Error('request aborted'))
    bb.destroy()
    await Promise.allSettled(pending)
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
