import { type Cipher, constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto'
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream'
import { encodeLength, integer, nul, OID, octets, oid, seq, set, tlv } from '../internal/der.js'
import { assertRsa, type CertificateInput, readCertificate } from './certificate.js'
import { type CmsSource, collect, toReadable } from './source.js'

/** Content-encryption algorithms supported for encryption. */
export type ContentEncryptionAlgorithm = 'aes-256-cbc' | 'aes-192-cbc' | 'aes-128-cbc'

/** Hash used by RSAES-OAEP and its MGF1. */
export type OaepHash = 'sha256' | 'sha384' | 'sha512'

/** Options for {@link encrypt}, {@link createEncryptStream} and {@link encryptBuffer}. */
export interface EncryptOptions {
  /** The recipient's certificate (SvarUt's, or a SvarInn receiver's). */
  readonly certificate: CertificateInput
  /** Default `aes-256-cbc`, as SvarUt uses. */
  readonly contentEncryption?: ContentEncryptionAlgorithm
  /** RSAES-OAEP hash (also used for MGF1). Default `sha256`, as SvarUt uses. */
  readonly oaepHash?: OaepHash
  /**
   * Identify the recipient by subject key identifier instead of issuer and
   * serial number (needs the certificate to carry one). Default `false`.
   */
  readonly useSubjectKeyIdentifier?: boolean
}

const CONTENT_OID: Record<ContentEncryptionAlgorithm, string> = {
  'aes-256-cbc': OID.aes256cbc,
  'aes-192-cbc': OID.aes192cbc,
  'aes-128-cbc': OID.aes128cbc,
}
const KEY_LENGTH: Record<ContentEncryptionAlgorithm, number> = {
  'aes-256-cbc': 32,
  'aes-192-cbc': 24,
  'aes-128-cbc': 16,
}
const HASH_OID: Record<OaepHash, string> = { sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 }

const INDEFINITE_SEQ = Buffer.from([0x30, 0x80])
const INDEFINITE_CONTEXT_0 = Buffer.from([0xa0, 0x80])
// Closes encryptedContent [0], EncryptedContentInfo, EnvelopedData, [0] and ContentInfo.
const TRAILER = Buffer.alloc(10)

function header(options: EncryptOptions): { head: Buffer; cipher: Cipher } {
  const cert = readCertificate(options.certificate)
  assertRsa(cert.publicKey, 'The recipient certificate')
  const algorithm = options.contentEncryption ?? 'aes-256-cbc'
  const hash = options.oaepHash ?? 'sha256'
  const key = randomBytes(KEY_LENGTH[algorithm])
  const iv = randomBytes(16)
  const encryptedKey = publicEncrypt(
    { key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
    key,
  )
  const hashAlg = seq(oid(HASH_OID[hash]), nul())
  const keyEncryptionAlgorithm = seq(
    oid(OID.rsaesOaep),
    seq(tlv(0xa0, hashAlg), tlv(0xa1, seq(oid(OID.mgf1), hashAlg))),
  )
  let rid: Buffer
  let version = 0
  if (options.useSubjectKeyIdentifier) {
    if (!cert.subjectKeyIdentifier) throw new TypeError('The certificate has no subject key identifier')
    rid = tlv(0x80, cert.subjectKeyIdentifier)
    version = 2
  } else {
    rid = seq(cert.issuer, tlv(0x02, cert.serial))
  }
  const recipientInfo = seq(integer(version), rid, keyEncryptionAlgorithm, octets(encryptedKey))
  const head = Buffer.concat([
    INDEFINITE_SEQ,
    oid(OID.envelopedData),
    INDEFINITE_CONTEXT_0,
    INDEFINITE_SEQ,
    // RFC 5652 §6.1: version 0 when every RecipientInfo is version 0, else 2.
    integer(version),
    set(recipientInfo),
    INDEFINITE_SEQ,
    oid(OID.data),
    seq(oid(CONTENT_OID[algorithm]), octets(iv)),
    INDEFINITE_CONTEXT_0,
  ])
  const cipher = createCipheriv(algorithm, key, iv)
  key.fill(0)
  return { head, cipher }
}

class EncryptTransform extends Transform {
  private readonly head: Buffer
  private readonly cipher: Cipher
  private started = false

  constructor(options: EncryptOptions) {
    super()
    const { head, cipher } = header(options)
    this.head = head
    this.cipher = cipher
  }

  private start(): void {
    if (!this.started) {
      this.started = true
      this.push(this.head)
    }
  }

  private pushCiphertext(out: Buffer): void {
    if (out.length === 0) return
    this.push(Buffer.concat([Buffer.from([0x04]), encodeLength(out.length)]))
    this.push(out)
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.start()
    try {
      this.pushCiphertext(this.cipher.update(chunk))
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }

  override _flush(callback: TransformCallback): void {
    this.start()
    try {
      this.pushCiphertext(this.cipher.final())
      this.push(TRAILER)
      callback()
    } catch (error) {
      callback(error as Error)
    }
  }
}

/**
 * Creates a Node.js `Transform` that turns plaintext into a CMS
 * EnvelopedData (BER, indefinite lengths) for one RSA recipient: key
 * transport RSAES-OAEP (SHA-256, MGF1-SHA-256), content AES-256-CBC — the
 * format SvarUt and SvarInn use. Memory use is constant.
 *
 * @param options - Recipient certificate and algorithm choices.
 * @returns A transform stream: write plaintext, read CMS bytes.
 * @throws TypeError when the certificate cannot be read.
 * @example
 * ```ts
 * await pipeline(createReadStream('brev.pdf'), createEncryptStream({ certificate }), createWriteStream('brev.pdf.cms'))
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function createEncryptStream(options: EncryptOptions): Transform {
  return new EncryptTransform(options)
}

/**
 * Encrypts a source (buffer, Node stream, Web stream or iterable) into a
 * streaming CMS EnvelopedData.
 *
 * @param source - The plaintext.
 * @param options - Recipient certificate and algorithm choices.
 * @returns A Node.js readable of CMS bytes (also an async iterable; use
 *   `Readable.toWeb` for a Web stream).
 * @throws TypeError when the certificate cannot be read.
 * @example
 * ```ts
 * const cms = encrypt(createReadStream('brev.pdf'), { certificate: svarUtCertificate })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function encrypt(source: CmsSource, options: EncryptOptions): Readable {
  const transform = createEncryptStream(options)
  pipeline(toReadable(source), transform, () => {})
  return transform
}

/**
 * Encrypts a whole buffer into a CMS EnvelopedData.
 *
 * @param data - The plaintext.
 * @param options - Recipient certificate and algorithm choices.
 * @returns The CMS bytes (BER).
 * @throws TypeError when the certificate cannot be read.
 * @example
 * ```ts
 * const cms = await encryptBuffer(Buffer.from('hei'), { certificate })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc5652#section-6
 */
export function encryptBuffer(data: Uint8Array, options: EncryptOptions): Promise<Buffer> {
  return collect(encrypt(data, options))
}
