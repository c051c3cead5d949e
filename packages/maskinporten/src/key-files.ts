import { readFile } from 'node:fs/promises'
import { MaskinportenError } from './errors.js'
import type { MaskinportenKeyInput, SigningAlgorithm } from './keys.js'

/** Options of {@link readKeyFile} and {@link readKeyFromEnv}. */
export interface KeySourceOptions {
  /** The registered key's id; without it a certificate in the material is sent as `x5c`. */
  readonly kid?: string
  /** Passphrase of an encrypted PEM or a PKCS#12 file. */
  readonly passphrase?: string
  readonly alg?: SigningAlgorithm
}

/**
 * Recognises key material: a JWK (JSON), PEM text (a key, optionally with
 * its certificate chain), PKCS#12 bytes, or PKCS#12 as base64 text.
 *
 * @param material - File contents or an environment variable's value.
 * @param options - kid, passphrase, alg.
 * @returns A key input for {@link createMaskinportenClient} or {@link loadSigningKey}.
 * @throws {MaskinportenError} `ERR_KEY` when the format is not recognised (the message never quotes the material).
 * @example
 * ```ts
 * const key = keyInputFromMaterial(process.env.MASKINPORTEN_KEY!, { kid: process.env.MASKINPORTEN_KID })
 * ```
 */
export function keyInputFromMaterial(
  material: string | Uint8Array,
  options: KeySourceOptions = {},
): MaskinportenKeyInput {
  const base = {
    ...(options.kid === undefined ? {} : { kid: options.kid }),
    ...(options.alg === undefined ? {} : { alg: options.alg }),
  }
  const text = typeof material === 'string' ? material : Buffer.from(material).toString('latin1')
  const trimmed = text.trim()
  if (trimmed.startsWith('{')) {
    let jwk: unknown
    try {
      jwk = JSON.parse(trimmed)
    } catch {
      throw new MaskinportenError('ERR_KEY', 'The key material looks like JSON but does not parse as a JWK')
    }
    return { ...base, jwk: jwk as import('jose').JWK }
  }
  if (trimmed.includes('-----BEGIN')) {
    return {
      ...base,
      pem: trimmed,
      ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
    }
  }
  const passphrase = options.passphrase
  if (passphrase === undefined) {
    throw new MaskinportenError('ERR_KEY', 'The key material looks like PKCS#12, which needs a passphrase')
  }
  if (typeof material !== 'string') return { ...base, pkcs12: material, passphrase }
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) return { ...base, pkcs12: trimmed.replace(/\s+/g, ''), passphrase }
  throw new MaskinportenError('ERR_KEY', 'The key material is neither a JWK, PEM, nor PKCS#12')
}

/**
 * Reads key material from a file (`.json` JWK, `.pem`/`.key` PEM, `.p12`/`.pfx` PKCS#12).
 *
 * @param path - The file path.
 * @param options - kid, passphrase, alg.
 * @returns A key input.
 * @throws {MaskinportenError} `ERR_KEY` when the file cannot be read or recognised.
 * @example
 * ```ts
 * const key = await readKeyFile('/run/secrets/virksomhet.p12', { passphrase: process.env.P12_PASSWORD })
 * ```
 */
export async function readKeyFile(
  path: string,
  options: KeySourceOptions = {},
): Promise<MaskinportenKeyInput> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new MaskinportenError(
      'ERR_KEY',
      `The key file could not be read (${typeof code === 'string' ? code : 'error'})`,
    )
  }
  const head = bytes.subarray(0, 64).toString('latin1').trimStart()
  if (head.startsWith('{') || head.startsWith('-----BEGIN'))
    return keyInputFromMaterial(bytes.toString('utf8'), options)
  return keyInputFromMaterial(new Uint8Array(bytes), options)
}

/**
 * Reads key material from an environment variable (JWK JSON, PEM text, or
 * base64 PKCS#12).
 *
 * @param name - The variable's name.
 * @param options - kid, passphrase, alg.
 * @param env - The environment. Default `process.env`.
 * @returns A key input.
 * @throws {MaskinportenError} `ERR_KEY` when the variable is empty or not recognised.
 * @example
 * ```ts
 * const key = readKeyFromEnv('MASKINPORTEN_KEY', { kid: 'my-kid' })
 * ```
 */
export function readKeyFromEnv(
  name: string,
  options: KeySourceOptions = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): MaskinportenKeyInput {
  const value = env[name]
  if (value === undefined || value.trim() === '') {
    throw new MaskinportenError('ERR_KEY', `The environment variable ${name} is empty`)
  }
  return keyInputFromMaterial(value.replace(/\\n/g, '\n'), options)
}
