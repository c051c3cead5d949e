import { spawn, spawnSync } from 'node:child_process'
import { createReadStream, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createDecryptStream, createEncryptStream, createSelfSignedCertificate } from '../src/cms/index.js'
import { MiB, makeFile } from './harness.js'

// CMS encryption of the same 256 MiB file: createEncryptStream against
// `openssl cms -encrypt` (same algorithms, streamed BER), same run, alternating
// order. Goal: throughput ratio ≥ 0.8. Decryption is reported the same way.

const SIZE_MIB = 256
const hasOpenssl = spawnSync('openssl', ['version']).status === 0
const dir = mkdtempSync(join(tmpdir(), 'svarut-cms-bench-'))
const plain = join(dir, 'plain.bin')
const keys = createSelfSignedCertificate({ commonName: 'bench' })
const results: Record<string, number[]> = {}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: 'ignore' })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`openssl exited ${code}`))))
  })
}

async function timed(name: string, fn: () => Promise<void>): Promise<void> {
  const t0 = performance.now()
  await fn()
  const list = results[name] ?? []
  list.push(performance.now() - t0)
  results[name] = list
}

const ours = () =>
  timed('ours-encrypt', () =>
    pipeline(
      createReadStream(plain, { highWaterMark: 256 * 1024 }),
      createEncryptStream({ certificate: keys.certificate }),
      createWriteStream(join(dir, 'ours.cms')),
    ),
  )
const theirs = () =>
  timed('openssl-encrypt', () =>
    openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-stream',
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
      plain,
      '-out',
      join(dir, 'openssl.cms'),
    ]),
  )
const oursDecrypt = () =>
  timed('ours-decrypt', () =>
    pipeline(
      createReadStream(join(dir, 'openssl.cms'), { highWaterMark: 256 * 1024 }),
      createDecryptStream({ privateKey: keys.privateKey }),
      createWriteStream(join(dir, 'ours.out')),
    ),
  )
const theirsDecrypt = () =>
  timed('openssl-decrypt', () =>
    openssl([
      'cms',
      '-decrypt',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(dir, 'ours.cms'),
      '-inkey',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'openssl.out'),
    ]),
  )

beforeAll(async () => {
  writeFileSync(join(dir, 'cert.pem'), keys.certificate)
  writeFileSync(join(dir, 'key.pem'), keys.privateKey)
  await makeFile(plain, SIZE_MIB)
}, 120_000)

describe.skipIf(!hasOpenssl)(`CMS encryption of ${SIZE_MIB} MiB vs openssl cms`, () => {
  bench(
    'encrypt and decrypt, ours and openssl, alternating',
    async () => {
      for (let round = 0; round < 2; round++) {
        if (round % 2 === 0) {
          await ours()
          await theirs()
        } else {
          await theirs()
          await ours()
        }
        await oursDecrypt()
        await theirsDecrypt()
      }
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  if (!hasOpenssl) {
    process.stdout.write('cms bench: openssl not installed, nothing measured\n')
    return
  }
  const best = (name: string) => Math.min(...(results[name] ?? [Number.NaN]))
  const mbps = (ms: number) => (SIZE_MIB / (ms / 1000)).toFixed(0)
  const e = best('ours-encrypt')
  const eo = best('openssl-encrypt')
  const d = best('ours-decrypt')
  const dO = best('openssl-decrypt')
  process.stdout.write(
    `CMS ${SIZE_MIB} MiB encrypt: ours ${mbps(e)} MiB/s, openssl ${mbps(eo)} MiB/s, ratio ${(eo / e).toFixed(2)} (goal >= 0.8)\n` +
      `CMS ${SIZE_MIB} MiB decrypt: ours ${mbps(d)} MiB/s, openssl ${mbps(dO)} MiB/s, ratio ${(dO / d).toFixed(2)}\n`,
  )
  void MiB
})
