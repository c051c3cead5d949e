import { decodeBase64url, encodeBase64url } from './base64url.js'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * @internal Authenticated encryption of small JSON payloads for cookies:
 * AES-256-GCM with keys derived by HKDF-SHA-256 from the configured secrets
 * (the first encrypts; all decrypt, for rotation). The purpose is bound as
 * additional data, so a login-transaction cookie cannot be replayed as a
 * logout-state cookie. Web Crypto only.
 */
export interface Sealer {
  seal(purpose: string, payload: unknown): Promise<string>
  unseal(purpose: string, sealed: string): Promise<unknown>
}

/** The parts of `node:crypto` used for a synchronous fast path (no thread-pool hop per request). */
interface NodeCrypto {
  hkdfSync(digest: string, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): ArrayBuffer
  createDecipheriv(
    algorithm: 'aes-256-gcm',
    key: Uint8Array,
    iv: Uint8Array,
  ): {
    setAAD(data: Uint8Array): unknown
    setAuthTag(tag: Uint8Array): unknown
    update(data: Uint8Array): Uint8Array
    final(): Uint8Array
  }
}

const nodeCrypto: NodeCrypto | undefined = (() => {
  try {
    const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
      ?.getBuiltinModule
    return typeof get === 'function' ? (get('node:crypto') as NodeCrypto) : undefined
  } catch {
    return undefined
  }
})()

const SALT = encoder.encode('@felles/id-porten cookie v1')

/**
 * Decrypts with node:crypto when it is there: the same AES-256-GCM and HKDF as
 * the Web Crypto path (byte for byte), but synchronous, so the callback does
 * not wait for the thread pool on a busy server.
 */
function unsealSync(
  node: NodeCrypto,
  keys: readonly Uint8Array[],
  aad: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): unknown {
  if (data.length < 16) return undefined
  const ciphertext = data.subarray(0, data.length - 16)
  const tag = data.subarray(data.length - 16)
  for (const key of keys) {
    try {
      const decipher = node.createDecipheriv('aes-256-gcm', key, iv)
      decipher.setAAD(aad)
      decipher.setAuthTag(tag)
      const head = decipher.update(ciphertext)
      // final() checks the tag; GCM is a stream mode, so it returns no more bytes.
      const tail = decipher.final()
      let plaintext = head
      if (tail.length > 0) {
        plaintext = new Uint8Array(head.length + tail.length)
        plaintext.set(head, 0)
        plaintext.set(tail, head.length)
      }
      return JSON.parse(decoder.decode(plaintext)) as unknown
    } catch {
      // try the next key
    }
  }
  return undefined
}

/** @internal */
export function createSealer(secrets: readonly string[], options: { webCryptoOnly?: boolean } = {}): Sealer {
  const fast = options.webCryptoOnly === true ? undefined : nodeCrypto
  if (secrets.length === 0) throw new TypeError('cookieSecret: at least one secret is required')
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < 32) {
      throw new TypeError('cookieSecret: every secret must be a string of at least 32 characters')
    }
  }
  const keys = new Map<string, Promise<CryptoKey[]>>()
  const rawKeys = new Map<string, Uint8Array[]>()
  const aads = new Map<string, Uint8Array>()
  // The purpose, bound as additional data: encoded once per purpose, not per cookie.
  const aadFor = (purpose: string): Uint8Array => {
    let aad = aads.get(purpose)
    if (aad === undefined) {
      aad = encoder.encode(purpose)
      aads.set(purpose, aad)
    }
    return aad
  }
  const keysFor = (purpose: string): Promise<CryptoKey[]> => {
    let pending = keys.get(purpose)
    if (pending === undefined) {
      pending = Promise.all(secrets.map((secret) => deriveKey(secret, purpose)))
      keys.set(purpose, pending)
    }
    return pending
  }
  return {
    async seal(purpose, payload) {
      const [key] = await keysFor(purpose)
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const plaintext = encoder.encode(JSON.stringify(payload))
      const ciphertext = new Uint8Array(
        await crypto.subtle.encrypt(
          { name: 'AES-GCM', iv, additionalData: encoder.encode(purpose) },
          key as CryptoKey,
          plaintext,
        ),
      )
      const out = new Uint8Array(iv.length + ciphertext.length)
      out.set(iv, 0)
      out.set(ciphertext, iv.length)
      return encodeBase64url(out)
    },
    async unseal(purpose, sealed) {
      const bytes = decodeBase64url(sealed)
      if (bytes === undefined || bytes.length < 12 + 16) return undefined
      const iv = bytes.subarray(0, 12)
      const ciphertext = bytes.subarray(12)
      if (fast !== undefined) {
        let raw = rawKeys.get(purpose)
        if (raw === undefined) {
          const hkdf = fast
          raw = secrets.map(
            (secret) =>
              new Uint8Array(
                hkdf.hkdfSync('sha256', encoder.encode(secret), SALT, encoder.encode(purpose), 32),
              ),
          )
          rawKeys.set(purpose, raw)
        }
        return unsealSync(fast, raw, aadFor(purpose), iv, ciphertext)
      }
      for (const key of await keysFor(purpose)) {
        try {
          const plaintext = await crypto.subtle.decrypt(
            { name: 'AES-GCM', iv, additionalData: encoder.encode(purpose) },
            key,
            ciphertext,
          )
          return JSON.parse(decoder.decode(plaintext)) as unknown
        } catch {
          // try the next key
        }
      }
      return undefined
    },
  }
}

async function deriveKey(secret: string, purpose: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: SALT,
      info: encoder.encode(purpose),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}
