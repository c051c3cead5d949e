import { generateKeyPairSync, type KeyObject } from 'node:crypto'
import forge from 'node-forge'

/** A test RSA key pair with its PEMs. */
export interface TestKeyPair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
  readonly pkcs8Pem: string
}

const cache = new Map<string, TestKeyPair>()

/** A 2048-bit RSA key pair (cached per name: key generation is slow on small machines). */
export function rsaKeyPair(name = 'default', bits = 2048): TestKeyPair {
  const id = `${name}:${bits}`
  const cached = cache.get(id)
  if (cached !== undefined) return cached
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits })
  const pair = {
    privateKey,
    publicKey,
    pkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  }
  cache.set(id, pair)
  return pair
}

export interface TestCertificateOptions {
  readonly key: TestKeyPair
  readonly organisationNumber?: string
  readonly commonName?: string
  readonly notBefore: Date
  readonly notAfter: Date
  /** Signs with this issuer (a CA) instead of self-signing. */
  readonly issuer?: { readonly key: TestKeyPair; readonly certPem: string }
  readonly ca?: boolean
}

/** A certificate like a Norwegian business certificate (serialNumber = organisasjonsnummer). */
export function testCertificate(options: TestCertificateOptions): string {
  const cert = forge.pki.createCertificate()
  cert.publicKey = forge.pki.publicKeyFromPem(
    options.key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  )
  cert.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`
  cert.validity.notBefore = options.notBefore
  cert.validity.notAfter = options.notAfter
  const subject = [
    { shortName: 'C', value: 'NO' },
    { shortName: 'O', value: 'TESTKOMMUNE' },
    ...(options.organisationNumber === undefined
      ? []
      : [{ name: 'serialNumber', value: options.organisationNumber }]),
    { shortName: 'CN', value: options.commonName ?? 'TESTKOMMUNE TEST' },
  ]
  cert.setSubject(subject)
  if (options.issuer === undefined) cert.setIssuer(subject)
  else cert.setIssuer(forge.pki.certificateFromPem(options.issuer.certPem).subject.attributes)
  cert.setExtensions([{ name: 'basicConstraints', cA: options.ca === true }])
  const signer = options.issuer?.key ?? options.key
  cert.sign(
    forge.pki.privateKeyFromPem(signer.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()),
    forge.md.sha256.create(),
  )
  return forge.pki.certificateToPem(cert)
}

/** A PKCS#12 file with the key and certificate chain. */
export function testPkcs12(
  key: TestKeyPair,
  chainPem: readonly string[],
  passphrase: string,
  algorithm: 'aes256' | '3des' = 'aes256',
): Uint8Array {
  const asn1 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(key.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()),
    chainPem.map((pem) => forge.pki.certificateFromPem(pem)),
    passphrase,
    { algorithm },
  )
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'))
}
