import { execFileSync, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isSvarUtError } from '../errors.js'
import { createSelfSignedCertificate, decrypt, decryptBuffer, encrypt, encryptBuffer } from './index.js'

const specs = fileURLToPath(new URL('../../../../../shared/specs/svarut-cms/', import.meta.url))
const hasSpecs = existsSync(specs)
const hasOpenssl = spawnSync('openssl', ['version']).status === 0

const pair = createSelfSignedCertificate({ commonName: 'cms-test' })
const other = createSelfSignedCertificate({ commonName: 'someone-else' })

function chunked(data: Buffer, sizes: readonly number[]): Readable {
  const parts: Buffer[] = []
  let pos = 0
  let i = 0
  while (pos < data.length) {
    const size = Math.max(1, sizes[i++ % Math.max(1, sizes.length)] ?? 1)
    parts.push(data.subarray(pos, pos + size))
    pos += size
  }
  return Readable.from(parts)
}

async function collectStream(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const chunk of stream) parts.push(Buffer.from(chunk))
  return Buffer.concat(parts)
}

describe.skipIf(!hasSpecs)('KS SvarUt CMS files (../shared/specs/svarut-cms)', () => {
  const key = () => readFileSync(join(specs, 'sp-key.pem'), 'utf8')
  const cert = () => readFileSync(join(specs, 'sp-cert.pem'), 'utf8')
  for (const [crypt, plain] of [
    ['small.crypt', 'small.pdf'],
    ['test.crypt', 'test.pdf'],
    ['dokumenter.crypt', 'dokumenter.zip'],
  ] as const) {
    it(`decrypts ${crypt} byte-exact to ${plain}`, async () => {
      const out = await decryptBuffer(readFileSync(join(specs, crypt)), {
        privateKey: key(),
        certificate: cert(),
      })
      expect(out.equals(readFileSync(join(specs, plain)))).toBe(true)
    })
    it(`streams ${crypt} in odd-sized chunks`, async () => {
      const stream = createReadStream(join(specs, crypt), { highWaterMark: 997 })
      const out = await collectStream(decrypt(stream, { privateKey: key() }))
      expect(out.equals(readFileSync(join(specs, plain)))).toBe(true)
    })
  }
  it('encrypts for a certificate by subject key identifier', async () => {
    const blob = await encryptBuffer(Buffer.from('hei'), {
      certificate: cert(),
      useSubjectKeyIdentifier: true,
    })
    expect((await decryptBuffer(blob, { privateKey: key(), certificate: cert() })).toString()).toBe('hei')
  })
  it('refuses a key that is not the recipient', async () => {
    const err = await decryptBuffer(readFileSync(join(specs, 'small.crypt')), {
      privateKey: pair.privateKey,
    }).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_CMS_NO_RECIPIENT')).toBe(true)
  })
})

describe('CMS EnvelopedData round trip', () => {
  it('decrypt(encrypt(x)) = x for any bytes and any chunking (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        async (data, inSizes, outSizes) => {
          const plain = Buffer.from(data)
          const blob = await collectStream(
            encrypt(chunked(plain, inSizes), { certificate: pair.certificate }),
          )
          const back = await collectStream(decrypt(chunked(blob, outSizes), { privateKey: pair.privateKey }))
          expect(back.equals(plain)).toBe(true)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('starts with BER indefinite length and names RSAES-OAEP SHA-256 and AES-256-CBC', async () => {
    const blob = await encryptBuffer(Buffer.from('x'), { certificate: pair.certificate })
    expect(blob.subarray(0, 2).toString('hex')).toBe('3080')
    expect(blob.includes(Buffer.from('06092a864886f70d010107', 'hex'))).toBe(true) // rsaesOaep
    expect(blob.includes(Buffer.from('0609608648016503040201', 'hex'))).toBe(true) // sha256
    expect(blob.includes(Buffer.from('060960864801650304012a', 'hex'))).toBe(true) // aes256-CBC
  })

  it('accepts Web streams and async iterables', async () => {
    const web = new Blob([Buffer.from('web stream input')]).stream()
    const blob = await collectStream(encrypt(web, { certificate: pair.certificate }))
    async function* gen() {
      yield blob.subarray(0, 10)
      yield blob.subarray(10)
    }
    expect((await collectStream(decrypt(gen(), { privateKey: pair.privateKey }))).toString()).toBe(
      'web stream input',
    )
  })

  it('uses a fresh key and IV for every message', async () => {
    const a = await encryptBuffer(Buffer.from('same'), { certificate: pair.certificate })
    const b = await encryptBuffer(Buffer.from('same'), { certificate: pair.certificate })
    expect(a.equals(b)).toBe(false)
  })
})

describe('tampered or foreign input (security case 28)', () => {
  const plain = Buffer.alloc(100, 7)
  let blob: Buffer
  beforeAll(async () => {
    blob = await encryptBuffer(plain, { certificate: pair.certificate })
  })

  it('rejects every truncation and never resolves with plaintext (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000 }), async (n) => {
        const cut = blob.subarray(0, n % blob.length)
        const err = await decryptBuffer(cut, { privateKey: pair.privateKey }).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isSvarUtError(err)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('breaks the stream with an error when the padding was tampered with', async () => {
    // Layout of the tail: ...04 60 <96 bytes> 04 10 <16 bytes> + 10 end-of-contents bytes.
    const tampered = Buffer.from(blob)
    const lastOfPenultimateBlock = tampered.length - 10 - 16 - 2 - 1
    const padding = 16 - (plain.length % 16)
    tampered[lastOfPenultimateBlock] = (tampered[lastOfPenultimateBlock] ?? 0) ^ padding
    const stream = decrypt(tampered, { privateKey: pair.privateKey })
    let ended = false
    stream.on('end', () => {
      ended = true
    })
    const err = await collectStream(stream).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(isSvarUtError(err, 'ERR_CMS_DECRYPT')).toBe(true)
    expect(ended).toBe(false)
  })

  it('rejects a tampered encrypted key', async () => {
    const tampered = Buffer.from(blob)
    const i = tampered.indexOf(Buffer.from('0482010', 'hex').subarray(0, 3)) + 6
    tampered[i] = (tampered[i] ?? 0) ^ 0xff
    const err = await decryptBuffer(tampered, { privateKey: pair.privateKey }).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_CMS_NO_RECIPIENT')).toBe(true)
  })

  it('rejects the wrong private key, and a certificate that is not the recipient', async () => {
    const a = await decryptBuffer(blob, { privateKey: other.privateKey }).catch((e: unknown) => e)
    expect(isSvarUtError(a, 'ERR_CMS_NO_RECIPIENT')).toBe(true)
    const b = await decryptBuffer(blob, {
      privateKey: pair.privateKey,
      certificate: other.certificate,
    }).catch((e: unknown) => e)
    expect(isSvarUtError(b, 'ERR_CMS_NO_RECIPIENT')).toBe(true)
  })

  it('rejects trailing bytes and input that is not CMS', async () => {
    const trailing = await decryptBuffer(Buffer.concat([blob, Buffer.from([0x30, 0x00])]), {
      privateKey: pair.privateKey,
    }).catch((e: unknown) => e)
    expect(isSvarUtError(trailing, 'ERR_CMS_MALFORMED')).toBe(true)
    const junk = await decryptBuffer(Buffer.from('%PDF-1.7 not encrypted'), {
      privateKey: pair.privateKey,
    }).catch((e: unknown) => e)
    expect(isSvarUtError(junk, 'ERR_CMS_MALFORMED')).toBe(true)
  })

  it('rejects random bytes without crashing (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        const err = await decryptBuffer(bytes, { privateKey: pair.privateKey }).then(
          () => undefined,
          (e: unknown) => e,
        )
        expect(isSvarUtError(err)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})

describe.skipIf(!hasOpenssl)('interoperability with openssl cms (skipped: openssl not installed)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'svarut-cms-'))
    writeFileSync(join(dir, 'cert.pem'), pair.certificate)
    writeFileSync(join(dir, 'key.pem'), pair.privateKey)
    writeFileSync(
      join(dir, 'plain.bin'),
      Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)),
    )
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('openssl cms -decrypt opens what encrypt() wrote', async () => {
    const plain = readFileSync(join(dir, 'plain.bin'))
    writeFileSync(join(dir, 'ours.cms'), await encryptBuffer(plain, { certificate: pair.certificate }))
    const out = execFileSync('openssl', [
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      join(dir, 'ours.cms'),
      '-inkey',
      join(dir, 'key.pem'),
      '-recip',
      join(dir, 'cert.pem'),
    ])
    expect(out.equals(plain)).toBe(true)
  })

  for (const stream of [true, false]) {
    it(`decrypt() opens what openssl cms -encrypt wrote (${stream ? 'BER streamed' : 'DER'})`, async () => {
      execFileSync('openssl', [
        'cms',
        '-encrypt',
        '-binary',
        '-aes256',
        ...(stream ? ['-stream'] : []),
        '-recip',
        join(dir, 'cert.pem'),
        '-keyopt',
        'rsa_padding_mode:oaep',
        '-keyopt',
        'rsa_oaep_md:sha256',
        '-keyopt',
        'rsa_mgf1_md:sha256',
        '-outform',
        'DER',
        '-in',
        join(dir, 'plain.bin'),
        '-out',
        join(dir, 'theirs.cms'),
      ])
      const out = await collectStream(
        decrypt(createReadStream(join(dir, 'theirs.cms'), { highWaterMark: 4096 }), {
          privateKey: pair.privateKey,
          certificate: pair.certificate,
        }),
      )
      expect(out.equals(readFileSync(join(dir, 'plain.bin')))).toBe(true)
    })
  }
})
