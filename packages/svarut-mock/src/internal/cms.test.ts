import { execFileSync, spawnSync } from 'node:child_process'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { CMS_DIR, TEST_KEY } from '../../test/helpers.js'
import { generateKeyAndCertificate } from './certificate.js'
import { CmsError, decryptCms, encryptCms } from './cms.js'

const collect = async (it: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const out: Buffer[] = []
  for await (const c of it) out.push(Buffer.from(c))
  return Buffer.concat(out)
}

const fixture = {
  privateKey: createPrivateKey(TEST_KEY.privateKeyPem),
  certificate: new X509Certificate(TEST_KEY.certificatePem),
  certificatePem: TEST_KEY.certificatePem,
}

const HAVE_KS = existsSync(join(CMS_DIR, 'sp-key.pem'))
const HAVE_OPENSSL = spawnSync('openssl', ['version']).status === 0

describe.skipIf(!HAVE_KS)('CMS decryption of the real KS files (needs ../shared/specs/svarut-cms)', () => {
  const key = HAVE_KS ? createPrivateKey(readFileSync(join(CMS_DIR, 'sp-key.pem'))) : undefined
  for (const [crypt, plain] of [
    ['small.crypt', 'small.pdf'],
    ['test.crypt', 'test.pdf'],
    ['dokumenter.crypt', 'dokumenter.zip'],
  ] as const) {
    it(`${crypt} → ${plain} byte-exact, read in small pieces`, async () => {
      const out = await collect(
        decryptCms(createReadStream(join(CMS_DIR, crypt), { highWaterMark: 997 }), key!),
      )
      expect(out.equals(readFileSync(join(CMS_DIR, plain)))).toBe(true)
    })
  }
  it('a tampered blob fails instead of yielding valid-looking plaintext', async () => {
    const blob = Buffer.from(readFileSync(join(CMS_DIR, 'small.crypt')))
    blob[blob.length - 20] = (blob[blob.length - 20] as number) ^ 0xff
    await expect(collect(decryptCms([blob], key!))).rejects.toBeInstanceOf(CmsError)
  })
})

describe('CMS encryption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'svarut-mock-cms-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('round-trips through decryptCms and refuses another key', async () => {
    const a = fixture
    const b = await generateKeyAndCertificate('b', new Date())
    const plain = Buffer.alloc(200_003, 7)
    const blob = await collect(encryptCms([plain.subarray(0, 100), plain.subarray(100)], a.certificate))
    expect(blob.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]))
    expect((await collect(decryptCms([blob], a.privateKey))).equals(plain)).toBe(true)
    await expect(collect(decryptCms([blob], b.privateKey))).rejects.toBeInstanceOf(CmsError)
  })

  it.skipIf(!HAVE_OPENSSL)('interoperates with openssl cms in both directions', async () => {
    const kc = fixture
    const certPath = join(dir, 'cert.pem')
    const keyPath = join(dir, 'key.pem')
    writeFileSync(certPath, kc.certificatePem)
    writeFileSync(keyPath, kc.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const plain = Buffer.from('Hei fra Felles\n'.repeat(5000))
    writeFileSync(join(dir, 'plain'), plain)
    writeFileSync(join(dir, 'ours.cms'), await collect(encryptCms([plain], kc.certificate)))
    const decrypted = execFileSync('openssl', [
      'cms',
      '-decrypt',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'ours.cms'),
      '-inkey',
      keyPath,
      '-recip',
      certPath,
    ])
    expect(decrypted.equals(plain)).toBe(true)
    execFileSync('openssl', [
      'cms',
      '-encrypt',
      '-binary',
      '-stream',
      '-outform',
      'DER',
      '-aes-256-cbc',
      '-in',
      join(dir, 'plain'),
      '-out',
      join(dir, 'theirs.cms'),
      '-recip',
      certPath,
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-keyopt',
      'rsa_oaep_md:sha256',
      '-keyopt',
      'rsa_mgf1_md:sha256',
    ])
    const theirs = await collect(decryptCms(createReadStream(join(dir, 'theirs.cms')), kc.privateKey))
    expect(theirs.equals(plain)).toBe(true)
    expect(new X509Certificate(kc.certificatePem).checkPrivateKey(kc.privateKey)).toBe(true)
  })
})

describe('CMS round trip (property)', () => {
  it('decrypts what it encrypts for any content and any chunking of the ciphertext', async () => {
    const fc = await import('fast-check')
    const kc = fixture
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
        async (plain, cuts) => {
          const blob = await collect(encryptCms([plain], kc.certificate))
          const pieces: Buffer[] = []
          let at = 0
          for (let i = 0; at < blob.length; i++) {
            const n = cuts[i % cuts.length] as number
            pieces.push(blob.subarray(at, at + n))
            at += n
          }
          const back = await collect(decryptCms(pieces, kc.privateKey))
          expect(back.equals(Buffer.from(plain))).toBe(true)
        },
      ),
      { numRuns: 60 },
    )
  })
})
