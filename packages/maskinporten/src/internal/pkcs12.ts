import forge from 'node-forge'

/** What a PKCS#12 file holds: one private key (PKCS#8 PEM) and its certificates (DER). */
export interface Pkcs12Contents {
  readonly privateKeyPem: string
  readonly certificates: readonly Buffer[]
}

/**
 * Opens a PKCS#12 file (legacy 3DES/RC2 and OpenSSL 3's PBES2/AES both work)
 * and returns its first private key and every certificate. `undefined` when
 * the file cannot be opened: forge's errors may quote bytes of the input, so
 * they are never passed on.
 */
export function readPkcs12(bytes: Buffer, passphrase: string): Pkcs12Contents | undefined {
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')))
    const p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase)
    const oids = forge.pki.oids
    const shrouded =
      p12.getBags({ bagType: oids.pkcs8ShroudedKeyBag })[oids.pkcs8ShroudedKeyBag as string] ?? []
    const plain = p12.getBags({ bagType: oids.keyBag })[oids.keyBag as string] ?? []
    const keyBag = [...shrouded, ...plain].find((bag) => bag.key !== undefined)
    if (keyBag?.key === undefined) return undefined
    const privateKeyPem = forge.pki.privateKeyInfoToPem(
      forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key as forge.pki.rsa.PrivateKey)),
    )
    const certBags = p12.getBags({ bagType: oids.certBag })[oids.certBag as string] ?? []
    const certificates: Buffer[] = []
    for (const bag of certBags) {
      const asn1Cert = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1
      if (asn1Cert !== undefined)
        certificates.push(Buffer.from(forge.asn1.toDer(asn1Cert).getBytes(), 'binary'))
    }
    return { privateKeyPem, certificates }
  } catch {
    return undefined
  }
}
