import { constants, createDecipheriv, type Decipher, type KeyObject, privateDecrypt } from 'node:crypto'
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream'
import { SvarUtError } from '../errors.js'
import { BerTokenizer } from '../internal/ber-stream.js'
import { decodeOid, OID } from '../internal/der.js'
import {
  assertRsa,
  type CertificateInput,
  type PrivateKeyInput,
  type RecipientCertificate,
  readCertificate,
  toPrivateKey,
} from './certificate.js'
import { type CmsSource, collect, toReadable } from './source.js'

/** Options for {@link decrypt}, {@link createDecryptStream} and {@link decryptBuffer}. */
export interface DecryptOptions {
  /** The recipient's RSA private key. */
  readonly privateKey: PrivateKeyInput
  /**
   * The recipient's certificate. When given, only the RecipientInfo naming
   * it (issuer and serial, or subject key identifier) is tried.
   */
  readonly certificate?: CertificateInput
}

interface Node {
  readonly tag: number
  readonly children: Node[]
  value: Buffer[]
}

const MAX_HEADER_BYTES = 1024 * 1024

const CONTENT_ALGORITHMS: Record<string, { name: string; keyLength: number }> = {
  [OID.aes256cbc]: { name: 'aes-256-cbc', keyLength: 32 },
  [OID.aes192cbc]: { name: 'aes-192-cbc', keyLength: 24 },
  [OID.aes128cbc]: { name: 'aes-128-cbc', keyLength: 16 },
}
const HASHES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
}

function malformed(message: string): SvarUtError {
  return new SvarUtError('ERR_CMS_MALFORMED', message)
}
function unsupported(message: string): SvarUtError {
  return new SvarUtError('ERR_CMS_UNSUPPORTED', message)
}
const bytes = (n: Node | undefined): Buffer => Buffer.concat(n?.value ?? [])
const oidOf = (n: Node | undefined): string | undefined => (n?.tag === 0x06 ? decodeOid(bytes(n)) : undefined)

function encodeNode(n: Node): Buffer {
  // Re-encode a parsed subtree in DER for comparison with a certificate's issuer.
  const body = n.children.length > 0 ? Buffer.concat(n.children.map(encodeNode)) : bytes(n)
  const len = body.length
  const lengthBytes: number[] = []
  if (len < 0x80) lengthBytes.push(len)
  else {
    let m = len
    const tail: number[] = []
    while (m > 0) {
      tail.unshift(m & 0xff)
      m = Math.floor(m / 256)
    }
    lengthBytes.push(0x80 | tail.length, ...tail)
  }
  return Buffer.concat([Buffer.from([n.tag, ...lengthBytes]), body])
}

function stripInteger(b: Buffer): Buffer {
  let i = 0
  while (i < b.length - 1 && b[i] === 0) i++
  return b.subarray(i)
}

function oaepHashOf(params: Node | undefined): string {
  let hash = 'sha1'
  let mgfHash = 'sha1'
  for (const p of params?.children ?? []) {
    if (p.tag === 0xa0) {
      const h = HASHES[oidOf(p.children[0]?.children[0]) ?? '']
      if (!h) throw unsupported('RSAES-OAEP hash algorithm not supported')
      hash = h
    } else if (p.tag === 0xa1) {
      const mgf = p.children[0]
      if (oidOf(mgf?.children[0]) !== OID.mgf1)
        throw unsupported('RSAES-OAEP mask generation function not supported')
      const h = HASHES[oidOf(mgf?.children[1]?.children[0]) ?? '']
      if (!h) throw unsupported('RSAES-OAEP MGF1 hash not supported')
      mgfHash = h
    } else if (p.tag === 0xa2) {
      throw unsupported('RSAES-OAEP pSourceFunc labels are not supported')
    }
  }
  if (hash !== mgfHash) throw unsupported('RSAES-OAEP with different OAEP and MGF1 hashes is not supported')
  return hash
}

function matches(rid: Node | undefined, cert: RecipientCertificate | undefined): boolean {
  if (!cert || !rid) return true
  if (rid.tag === 0x30) {
    const [issuer, serial] = rid.children
    if (!issuer || !serial) return false
    return (
      encodeNode(issuer).equals(cert.issuer) && stripInteger(bytes(serial)).equals(stripInteger(cert.serial))
    )
  }
  if (rid.tag === 0x80) return cert.subjectKeyIdentifier?.equals(bytes(rid)) ?? false
  return false
}

function contentKey(recipientInfos: Node, key: KeyObject, cert: RecipientCertificate | undefined): Buffer {
  let sawUnsupported: SvarUtError | undefined
  let candidates = 0
  for (const ri of recipientInfos.children) {
    if (ri.tag !== 0x30) continue // only KeyTransRecipientInfo
    const [, rid, alg, encryptedKey] = ri.children
    if (!matches(rid, cert)) continue
    candidates++
    const algorithm = oidOf(alg?.children[0])
    try {
      if (algorithm !== OID.rsaesOaep) {
        throw unsupported(
          algorithm === OID.rsaEncryption
            ? 'RSA PKCS#1 v1.5 key transport is not supported (use RSAES-OAEP)'
            : 'Key transport algorithm not supported',
        )
      }
      const oaepHash = oaepHashOf(alg?.children[1])
      return privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, bytes(encryptedKey))
    } catch (error) {
      if (error instanceof SvarUtError) sawUnsupported = error
    }
  }
  if (candidates === 0) {
    throw new SvarUtError('ERR_CMS_NO_RECIPIENT', 'No RecipientInfo names the given certificate')
  }
  if (sawUnsupported && candidates === 1) throw sawUnsupported
  throw new SvarUtError('ERR_CMS_NO_RECIPIENT', 'No RecipientInfo could be opened with the given private key')
}

class DecryptTransform extends Transform {
  private readonly key: KeyObject
  private readonly cert: RecipientCertificate | undefined
  private readonly tokenizer: BerTokenizer
  private readonly stack: Node[] = []
  private root: Node | undefined
  private headerBytes = 0
  private decipher: Decipher | undefined
  private contentDepth = -1
  private contentSeen = false

  constructor(options: DecryptOptions) {
    super()
    this.key = toPrivateKey(options.privateKey)
    assertRsa(this.key, 'The private key')
    this.cert = options.certificate === undefined ? undefined : readCertificate(options.certificate)
    this.tokenizer = new BerTokenizer({
      open: (tag, constructed) => this.open(tag, constructed),
      data: (chunk) => this.data(chunk),
      close: () => this.close(),
    })
  }

  private envelopedData(): Node | undefined {
    const root = this.root
    if (root?.tag !== 0x30 || oidOf(root.children[0]) !== OID.envelopedData) return undefined
    const explicit = root.children[1]
    return explicit?.tag === 0xa0 ? explicit.children[0] : undefined
  }

  private open(tag: number, constructed: boolean): void {
    if (this.contentDepth >= 0) {
      // Inside encryptedContent: only (constructed) OCTET STRINGs may appear.
      if (tag !== 0x04 && tag !== 0x24) throw malformed('Unexpected element inside encryptedContent')
      this.stack.push({ tag, children: [], value: [] })
      return
    }
    const parent = this.stack[this.stack.length - 1]
    const node: Node = { tag, children: [], value: [] }
    if (!parent) {
      if (this.root) throw malformed('More than one top-level element')
      this.root = node
    } else parent.children.push(node)
    this.stack.push(node)
    const ed = this.envelopedData()
    const eci = ed?.children.find((c, i) => i > 0 && c.tag === 0x30)
    if (parent !== undefined && parent === eci && (tag & 0xdf) === 0x80) {
      if (this.contentSeen) throw malformed('More than one encryptedContent')
      this.contentSeen = true
      this.contentDepth = this.stack.length
      parent.children.pop()
      this.startContent(ed as Node, eci)
      if (!constructed) this.stack[this.stack.length - 1] = { tag: 0x04, children: [], value: [] }
    }
  }

  private startContent(ed: Node, eci: Node): void {
    if (ed.tag !== 0x30 || ed.children[0]?.tag !== 0x02) throw malformed('EnvelopedData has no version')
    const recipientInfos = ed.children.find((c) => c.tag === 0x31)
    if (!recipientInfos) throw malformed('EnvelopedData has no recipientInfos')
    const alg = eci.children[1]
    const algorithm = CONTENT_ALGORITHMS[oidOf(alg?.children[0]) ?? '']
    if (!algorithm) throw unsupported('Content-encryption algorithm not supported (AES-CBC only)')
    const iv = bytes(alg?.children[1])
    if (alg?.children[1]?.tag !== 0x04 || iv.length !== 16)
      throw malformed('AES-CBC parameters must be a 16-byte IV')
    const key = contentKey(recipientInfos, this.key, this.cert)
    if (key.length !== algorithm.keyLength) {
      throw new SvarUtError('ERR_CMS_DECRYPT', 'The content-encryption key has the wrong length')
    }
    this.decipher = createDecipheriv(algorithm.name, key, iv)
    key.fill(0)
  }

  private data(chunk: Buffer): void {
    if (this.contentDepth >= 0) {
      const top = this.stack[this.stack.length - 1]
      if (top?.tag !== 0x04) throw malformed('Unexpected data inside encryptedContent')
      const out = this.decipher?.update(chunk)
      if (out && out.length > 0) this.push(out)
      return
    }
    this.headerBytes += chunk.length
    if (this.headerBytes > MAX_HEADER_BYTES) throw malformed('The CMS header is larger than 1 MiB')
    this.stack[this.stack.length - 1]?.value.push(Buffer.from(chunk))
  }

  private close(): void {
    if (this.contentDepth >= 0 && this.stack.length === this.contentDepth) this.contentDepth = -1
    this.stack.pop()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.tokenizer.write(chunk)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.tokenizer.end()
      if (!this.envelopedData()) throw malformed('Not a CMS EnvelopedData')
      if (!this.decipher) throw malformed('The EnvelopedData carries no encryptedContent')
      let last: Buffer
      try {
        last = this.decipher.final()
      } catch (cause) {
        throw new SvarUtError('ERR_CMS_DECRYPT', 'The content did not decrypt: wrong key or tampered data', {
          cause,
        })
      }
      if (last.length > 0) this.push(last)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }
}

/**
 * Creates a Node.js `Transform` that decrypts a CMS EnvelopedData (BER or
 * DER, definite or indefinite lengths) with an RSA private key: key
 * transport RSAES-OAEP, content AES-CBC. Plaintext flows out as ciphertext
 * flows in, in constant memory.
 *
 * CMS EnvelopedData carries no integrity check: the stream ends with an
 * error (`ERR_CMS_MALFORMED`, `ERR_CMS_DECRYPT`, `ERR_CMS_NO_RECIPIENT`)
 * when the input is truncated, malformed or fails the padding check, and a
 * consumer must treat plaintext as valid only after the stream ended
 * without error (and, for SvarInn, after the SHA-256 matched).
 *
 * @param options - Private key and optionally the matching certificate.
 * @returns A transform stream: write CMS bytes, read plaintext.
 * @throws TypeError when the key or certificate cannot be read.
 * @example
 * ```ts
 * await pipeline(createReadStream('x.crypt'), createDecryptStream({ privateKey }), createWriteStream('x.pdf'))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function createDecryptStream(options: DecryptOptions): Transform {
  return new DecryptTransform(options)
}

/**
 * Decrypts a source (buffer, Node stream, Web stream or iterable) holding a
 * CMS EnvelopedData. See {@link createDecryptStream} for when the output
 * counts as valid.
 *
 * @param source - The CMS bytes.
 * @param options - Private key and optionally the matching certificate.
 * @returns A Node.js readable of plaintext that errors on tampered input.
 * @throws TypeError when the key or certificate cannot be read.
 * @example
 * ```ts
 * for await (const chunk of decrypt(response.body, { privateKey })) hash.update(chunk)
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function decrypt(source: CmsSource, options: DecryptOptions): Readable {
  const transform = createDecryptStream(options)
  pipeline(toReadable(source), transform, () => {})
  return transform
}

/**
 * Decrypts a whole CMS EnvelopedData buffer. Resolves only with complete,
 * correctly padded plaintext; otherwise rejects and returns nothing.
 *
 * @param data - The CMS bytes (BER or DER).
 * @param options - Private key and optionally the matching certificate.
 * @returns The plaintext.
 * @throws SvarUtError `ERR_CMS_MALFORMED`, `ERR_CMS_UNSUPPORTED`, `ERR_CMS_NO_RECIPIENT` or `ERR_CMS_DECRYPT`.
 * @example
 * ```ts
 * const pdf = await decryptBuffer(await readFile('small.crypt'), { privateKey: await readFile('sp-key.pem', 'utf8') })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function decryptBuffer(data: Uint8Array, options: DecryptOptions): Promise<Buffer> {
  return collect(decrypt(data, options))
}
