import {
  createCipheriv,
  createDecipheriv,
  constants as cryptoConstants,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type X509Certificate,
} from 'node:crypto'
import {
  BerError,
  decodeOid,
  explicit,
  NULL,
  octets,
  octetValue,
  oid,
  readBer,
  seq,
  set,
  smallInteger,
} from './der.js'

// Streaming CMS EnvelopedData (RFC 5652) as SvarUt uses it: one
// KeyTransRecipientInfo with RSAES-OAEP (SHA-256, MGF1-SHA-256) and AES-CBC
// content encryption, BER with indefinite lengths so neither side ever holds
// the whole file.

const OID_DATA = '1.2.840.113549.1.7.1'
const OID_ENVELOPED = '1.2.840.113549.1.7.3'
const OID_RSA_OAEP = '1.2.840.113549.1.1.7'
const OID_MGF1 = '1.2.840.113549.1.1.8'
const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}
const CIPHERS: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
}

/** A CMS blob that cannot be decrypted with the given key. */
export class CmsError extends Error {
  override readonly name = 'CmsError'
}

const SHA256_ALG = seq(oid('2.16.840.1.101.3.4.2.1'), NULL)
const OAEP_SHA256 = seq(
  oid(OID_RSA_OAEP),
  seq(explicit(0, SHA256_ALG), explicit(1, seq(oid(OID_MGF1), SHA256_ALG))),
)

function issuerAndSerial(certificate: X509Certificate): Buffer {
  const cert = readBer(certificate.raw).element
  const tbs = cert.children?.[0]
  const fields = tbs?.children ?? []
  const start = fields[0]?.tag === 0xa0 ? 1 : 0
  const serial = fields[start]
  const issuer = fields[start + 2]
  if (!serial || !issuer) throw new CmsError('certificate without issuer or serial')
  return seq(issuer.raw, serial.raw)
}

const INDEF_END = Buffer.from([0, 0])
const CHUNK = 64 * 1024

/**
 * Encrypts a stream for `certificate`: yields a BER (indefinite-length)
 * ContentInfo with EnvelopedData, RSAES-OAEP-SHA256 key transport and
 * AES-256-CBC.
 */
export async function* encryptCms(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  certificate: X509Certificate,
): AsyncGenerator<Buffer> {
  const key = randomBytes(32)
  const iv = randomBytes(16)
  const encryptedKey = publicEncrypt(
    { key: certificate.publicKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    key,
  )
  const recipient = seq(smallInteger(0), issuerAndSerial(certificate), OAEP_SHA256, octets(encryptedKey))
  yield Buffer.concat([
    Buffer.from([0x30, 0x80]),
    oid(OID_ENVELOPED),
    Buffer.from([0xa0, 0x80, 0x30, 0x80]),
    smallInteger(0),
    set(recipient),
    Buffer.from([0x30, 0x80]),
    oid(OID_DATA),
    seq(oid('2.16.840.1.101.3.4.1.42'), octets(iv)),
    Buffer.from([0xa0, 0x80]),
  ])
  const cipher = createCipheriv('aes-256-cbc', key, iv)
  for await (const chunk of source) {
    const out = cipher.update(chunk)
    for (let i = 0; i < out.length; i += CHUNK) yield octets(out.subarray(i, i + CHUNK))
  }
  const last = cipher.final()
  if (last.length > 0) yield octets(last)
  // end of [0] content, EncryptedContentInfo, EnvelopedData, [0], ContentInfo
  yield Buffer.concat([INDEF_END, INDEF_END, INDEF_END, INDEF_END, INDEF_END])
}

class PullReader {
  private buf: Buffer = Buffer.alloc(0)
  private done = false
  private readonly it: AsyncIterator<Uint8Array>
  consumed = 0
  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.it = (async function* () {
      yield* source
    })()
  }
  async fill(n: number): Promise<boolean> {
    while (this.buf.length < n && !this.done) {
      const r = await this.it.next()
      if (r.done) this.done = true
      else this.buf = this.buf.length === 0 ? Buffer.from(r.value) : Buffer.concat([this.buf, r.value])
    }
    return this.buf.length >= n
  }
  async take(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new CmsError('truncated CMS structure')
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(n)
    this.consumed += n
    return out
  }
  async peek(n: number): Promise<Buffer> {
    if (!(await this.fill(n))) throw new CmsError('truncated CMS structure')
    return this.buf.subarray(0, n)
  }
  /** Yields exactly n bytes as they arrive. */
  async *stream(n: number): AsyncGenerator<Buffer> {
    let left = n
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill(1))) throw new CmsError('truncated CMS content')
      const piece = this.buf.subarray(0, Math.min(left, this.buf.length))
      this.buf = this.buf.subarray(piece.length)
      left -= piece.length
      this.consumed += piece.length
      yield piece
    }
  }
  async rest(): Promise<number> {
    let n = this.buf.length
    this.buf = Buffer.alloc(0)
    while (!this.done) {
      const r = await this.it.next()
      if (r.done) this.done = true
      else n += r.value.length
    }
    return n
  }
}

interface Header {
  readonly tag: number
  readonly constructed: boolean
  /** -1 for indefinite */
  readonly length: number
  readonly raw: Buffer
}

async function readHeader(r: PullReader): Promise<Header> {
  const first = await r.take(2)
  const tag = first[0] as number
  const l = first[1] as number
  if ((tag & 0x1f) === 0x1f) throw new CmsError('unsupported ASN.1 tag')
  const constructed = (tag & 0x20) !== 0
  if (l === 0x80) return { tag, constructed, length: -1, raw: first }
  if (l < 0x80) return { tag, constructed, length: l, raw: first }
  const n = l & 0x7f
  if (n > 6) throw new CmsError('ASN.1 length too large')
  const lenBytes = await r.take(n)
  let length = 0
  for (const b of lenBytes) length = length * 256 + b
  return { tag, constructed, length, raw: Buffer.concat([first, lenBytes]) }
}

async function readElementRaw(r: PullReader, header?: Header, depth = 0): Promise<Buffer> {
  if (depth > 32) throw new CmsError('ASN.1 nesting too deep')
  const h = header ?? (await readHeader(r))
  if (h.length >= 0) {
    if (h.length > 1 << 20) throw new CmsError('ASN.1 header element too large')
    return Buffer.concat([h.raw, await r.take(h.length)])
  }
  const parts: Buffer[] = [h.raw]
  for (;;) {
    const eoc = await r.peek(2)
    if (eoc[0] === 0 && eoc[1] === 0) {
      parts.push(await r.take(2))
      return Buffer.concat(parts)
    }
    parts.push(await readElementRaw(r, undefined, depth + 1))
  }
}

function contentKey(recipientInfos: Buffer, privateKey: KeyObject): Buffer {
  const set = readBer(recipientInfos).element
  let lastError: unknown
  for (const ri of set.children ?? []) {
    if (ri.tag !== 0x30) continue // only KeyTransRecipientInfo
    const fields = ri.children ?? []
    const alg = fields[2]
    const encryptedKey = fields[3]
    if (!alg || !encryptedKey) continue
    const algOid = decodeOid(alg.children?.[0]?.content ?? Buffer.alloc(0))
    if (algOid !== OID_RSA_OAEP) {
      lastError = new CmsError(`unsupported key transport algorithm ${algOid}`)
      continue
    }
    let hash = 'sha1'
    let mgfHash = 'sha1'
    for (const p of alg.children?.[1]?.children ?? []) {
      const inner = p.children?.[0]
      if (p.tag === 0xa0 && inner)
        hash = HASHES[decodeOid(inner.children?.[0]?.content ?? Buffer.alloc(0))] ?? '?'
      if (p.tag === 0xa1 && inner) {
        const mgfParams = inner.children?.[1]
        mgfHash = HASHES[decodeOid(mgfParams?.children?.[0]?.content ?? Buffer.alloc(0))] ?? '?'
      }
    }
    if (hash === '?' || hash !== mgfHash) {
      lastError = new CmsError('unsupported RSAES-OAEP parameters')
      continue
    }
    try {
      return privateDecrypt(
        { key: privateKey, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
        octetValue(encryptedKey),
      )
    } catch (error) {
      lastError = new CmsError('the content-encryption key does not decrypt with this key', { cause: error })
    }
  }
  throw lastError instanceof CmsError ? lastError : new CmsError('no recipient for this key')
}

/**
 * Decrypts a CMS EnvelopedData stream (BER or DER) with `privateKey` and
 * yields the plaintext as it is deciphered. Throws {@link CmsError} when the
 * structure is wrong, no recipient matches or the padding check fails; the
 * caller must treat output already yielded as invalid in that case.
 */
export async function* decryptCms(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  privateKey: KeyObject,
): AsyncGenerator<Buffer> {
  const r = new PullReader(source)
  try {
    const outer = await readHeader(r)
    if (outer.tag !== 0x30) throw new CmsError('not a CMS ContentInfo')
    const typeOid = readBer(await readElementRaw(r)).element
    if (typeOid.tag !== 0x06 || decodeOid(typeOid.content) !== OID_ENVELOPED)
      throw new CmsError('not CMS EnvelopedData')
    if ((await readHeader(r)).tag !== 0xa0) throw new CmsError('malformed ContentInfo')
    if ((await readHeader(r)).tag !== 0x30) throw new CmsError('malformed EnvelopedData')
    await readElementRaw(r) // version
    let next = await readHeader(r)
    if (next.tag === 0xa0) {
      await readElementRaw(r, next) // originatorInfo
      next = await readHeader(r)
    }
    if (next.tag !== 0x31) throw new CmsError('malformed recipientInfos')
    const key = contentKey(await readElementRaw(r, next), privateKey)
    if ((await readHeader(r)).tag !== 0x30) throw new CmsError('malformed EncryptedContentInfo')
    await readElementRaw(r) // content type
    const alg = readBer(await readElementRaw(r)).element
    const cipherOid = decodeOid(alg.children?.[0]?.content ?? Buffer.alloc(0))
    const cipherInfo = CIPHERS[cipherOid]
    const ivElement = alg.children?.[1]
    if (!cipherInfo || !ivElement) throw new CmsError(`unsupported content encryption ${cipherOid}`)
    if (key.length !== cipherInfo.keyLength) throw new CmsError('content-encryption key has the wrong length')
    const decipher = createDecipheriv(cipherInfo.name, key, octetValue(ivElement))
    const content = await readHeader(r)
    if (content.tag === 0x80) {
      for await (const piece of r.stream(content.length)) {
        const out = decipher.update(piece)
        if (out.length) yield out
      }
    } else if (content.tag === 0xa0) {
      yield* decipherConstructed(r, content, decipher)
    } else throw new CmsError('no encrypted content')
    let last: Buffer
    try {
      last = decipher.final()
    } catch (error) {
      throw new CmsError('bad padding: the content was tampered with or the key is wrong', { cause: error })
    }
    if (last.length) yield last
    await r.rest()
  } catch (error) {
    if (error instanceof BerError) throw new CmsError(error.message, { cause: error })
    throw error
  }
}

async function* decipherConstructed(
  r: PullReader,
  header: Header,
  decipher: ReturnType<typeof createDecipheriv>,
  depth = 0,
): AsyncGenerator<Buffer> {
  if (depth > 8) throw new CmsError('encrypted content nested too deep')
  const endAt = header.length >= 0 ? r.consumed + header.length : -1
  for (;;) {
    if (endAt >= 0 && r.consumed >= endAt) return
    if (endAt < 0) {
      const eoc = await r.peek(2)
      if (eoc[0] === 0 && eoc[1] === 0) {
        await r.take(2)
        return
      }
    }
    const child = await readHeader(r)
    if (child.constructed) {
      yield* decipherConstructed(r, child, decipher, depth + 1)
      continue
    }
    if (child.tag !== 0x04 || child.length < 0) throw new CmsError('malformed encrypted content')
    for await (const piece of r.stream(child.length)) {
      const out = decipher.update(piece)
      if (out.length) yield out
    }
  }
}
