import { encodeBase64url } from './internal/base64url.js'
import { type Der, oidOf, readDer } from './internal/der.js'

/** A business certificate ("virksomhetssertifikat") read from a PKCS#12 file. */
export interface BusinessCertificate {
  /** The certificate's private key, for signing client assertions (not extractable). */
  readonly key: CryptoKey
  /** The certificate chain as `x5c`: base64 DER, the certificate that matches the key first. */
  readonly x5c: string[]
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
} as const

const PRF: Readonly<Record<string, string>> = {
  '1.2.840.113549.2.7': 'SHA-1',
  '1.2.840.113549.2.9': 'SHA-256',
  '1.2.840.113549.2.10': 'SHA-384',
  '1.2.840.113549.2.11': 'SHA-512',
}

const AES_CBC: Readonly<Record<string, number>> = {
  '2.16.840.1.101.3.4.1.2': 128,
  '2.16.840.1.101.3.4.1.22': 192,
  '2.16.840.1.101.3.4.1.42': 256,
}

/**
 * Reads a business certificate and its private key from a PKCS#12 file
 * (`.p12`/`.pfx`) protected with PBES2 (PBKDF2 and AES-CBC, what OpenSSL 3
 * and current issuers write). Files with the legacy 3DES/RC2 encryption must
 * be converted first (`openssl pkcs12 -legacy -in old.p12 -nodes | openssl
 * pkcs12 -export -out new.p12`). Web Crypto only: runs outside Node.js too.
 *
 * @param file - The PKCS#12 file's bytes.
 * @param password - Its password.
 * @returns The private key (RS256) and the `x5c` chain, ready for {@link privateKeyJwt}.
 * @throws TypeError when the file is not PKCS#12, uses an unsupported encryption, the password is wrong, or it holds no key or certificate.
 * @example
 * ```ts
 * const { key, x5c } = await businessCertificateFromPkcs12(await readFile('virksomhet.p12'), process.env.P12_PASSWORD ?? '')
 * const clientAuth = privateKeyJwt({ keys: [{ key, kid: 'virksomhet-2026' }], x5c })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc7292 (PKCS #12), https://www.rfc-editor.org/rfc/rfc8018 (PBES2)
 */
export async function businessCertificateFromPkcs12(
  file: Uint8Array | ArrayBuffer,
  password: string,
): Promise<BusinessCertificate> {
  const bytes = file instanceof Uint8Array ? file : new Uint8Array(file)
  let pfx: Der
  try {
    pfx = readDer(bytes)
  } catch {
    throw new TypeError('businessCertificateFromPkcs12: not a DER-encoded PKCS#12 file')
  }
  const authSafe = child(pfx, 1)
  if (oidOf(child(authSafe, 0)) !== OID.data)
    throw new TypeError('businessCertificateFromPkcs12: unsupported PFX content')
  const safes = readDer(child(child(authSafe, 1), 0).value)

  const keys: { id: string | undefined; pkcs8: Uint8Array }[] = []
  const certs: { id: string | undefined; der: Uint8Array }[] = []
  for (const contentInfo of safes.children) {
    const type = oidOf(child(contentInfo, 0))
    let safeContents: Uint8Array
    if (type === OID.data) {
      safeContents = child(child(contentInfo, 1), 0).value
    } else if (type === OID.encryptedData) {
      const encryptedContentInfo = child(child(child(contentInfo, 1), 0), 1)
      safeContents = await decrypt(
        child(encryptedContentInfo, 1),
        child(encryptedContentInfo, 2).value,
        password,
      )
    } else {
      continue
    }
    for (const bag of readDer(safeContents).children) {
      const bagId = oidOf(child(bag, 0))
      const value = child(child(bag, 1), 0)
      const id = localKeyId(bag)
      if (bagId === OID.shroudedKeyBag) {
        keys.push({ id, pkcs8: await decrypt(child(value, 0), child(value, 1).value, password) })
      } else if (bagId === OID.keyBag) {
        keys.push({ id, pkcs8: value.raw })
      } else if (bagId === OID.certBag && oidOf(child(value, 0)) === OID.x509Certificate) {
        certs.push({ id, der: child(child(value, 1), 0).value })
      }
    }
  }
  const found = keys[0]
  if (found === undefined) throw new TypeError('businessCertificateFromPkcs12: the file holds no private key')
  if (certs.length === 0) throw new TypeError('businessCertificateFromPkcs12: the file holds no certificate')
  const leaf = certs.findIndex((c) => c.id !== undefined && c.id === found.id)
  const ordered =
    leaf > 0 ? [certs[leaf] as (typeof certs)[number], ...certs.filter((_, i) => i !== leaf)] : certs
  let key: CryptoKey
  try {
    key = await crypto.subtle.importKey(
      'pkcs8',
      new Uint8Array(found.pkcs8),
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    )
  } catch {
    throw new TypeError(
      'businessCertificateFromPkcs12: the private key is not an RSA key, or the password is wrong',
    )
  }
  return { key, x5c: ordered.map((c) => toBase64(c.der)) }
}

function child(node: Der, index: number): Der {
  const found = node.children[index]
  if (found === undefined) throw new TypeError('businessCertificateFromPkcs12: malformed PKCS#12 structure')
  return found
}

function localKeyId(bag: Der): string | undefined {
  const attributes = bag.children[2]
  if (attributes === undefined) return undefined
  for (const attribute of attributes.children) {
    if (oidOf(child(attribute, 0)) === OID.localKeyId) {
      const value = child(attribute, 1).children[0]
      return value === undefined ? undefined : encodeBase64url(value.value)
    }
  }
  return undefined
}

async function decrypt(algorithm: Der, ciphertext: Uint8Array, password: string): Promise<Uint8Array> {
  if (oidOf(child(algorithm, 0)) !== OID.pbes2) {
    throw new TypeError(
      'businessCertificateFromPkcs12: only PBES2 (AES) encryption is supported; convert legacy 3DES/RC2 files with openssl',
    )
  }
  const params = child(algorithm, 1)
  const kdf = child(params, 0)
  const scheme = child(params, 1)
  if (oidOf(child(kdf, 0)) !== OID.pbkdf2)
    throw new TypeError('businessCertificateFromPkcs12: unsupported key derivation')
  const kdfParams = child(kdf, 1)
  const salt = child(kdfParams, 0).value
  const iterations = integer(child(kdfParams, 1).value)
  let hash = 'SHA-1'
  for (const extra of kdfParams.children.slice(2)) {
    if (extra.tag === 0x30) hash = PRF[oidOf(child(extra, 0))] ?? ''
  }
  const bits = AES_CBC[oidOf(child(scheme, 0))]
  if (bits === undefined || hash === '')
    throw new TypeError('businessCertificateFromPkcs12: unsupported cipher')
  const iv = child(scheme, 1).value
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveKey',
  ])
  const aes = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt: new Uint8Array(salt), iterations, hash },
    material,
    { name: 'AES-CBC', length: bits },
    false,
    ['decrypt'],
  )
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-CBC', iv: new Uint8Array(iv) },
        aes,
        new Uint8Array(ciphertext),
      ),
    )
  } catch {
    throw new TypeError('businessCertificateFromPkcs12: wrong password or damaged file')
  }
}

function integer(bytes: Uint8Array): number {
  let n = 0
  for (const b of bytes) n = n * 256 + b
  return n
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i] as number)
  return btoa(binary)
}
