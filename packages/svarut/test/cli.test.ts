import { spawn } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createSyntheticGenerator } from '@felles/identifiers'
import { zipSync } from 'fflate'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSelfSignedCertificate, encryptBuffer } from '../src/cms/index.js'
import { type FakeSvarUt, startFakeSvarUt } from './fake-svarut.js'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))
const fnr = createSyntheticGenerator({ seed: 'cli' }).nationalId()
const dir = mkdtempSync(join(tmpdir(), 'svarut-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let svarut: FakeSvarUt
beforeEach(async () => {
  svarut = await startFakeSvarUt()
})
afterEach(async () => {
  await svarut.close()
})

function run(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH ?? '',
        SVARUT_ENVIRONMENT: svarut.api,
        SVARUT_KONTO_ID: svarut.kontoId,
        SVARUT_INTEGRATION_ID: svarut.integrationId,
        SVARUT_INTEGRATION_PASSWORD: svarut.integrationPassword,
        SVARUT_TOKEN: svarut.token,
        ...env,
      },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('felles-svarut CLI', () => {
  it('sends files to a person and prints the id; status shows it', async () => {
    const pdf = join(dir, 'vedtak.pdf')
    writeFileSync(pdf, '%PDF-1.7\n% vedtak\n%%EOF\n')
    const sent = await run(['send', '--person', fnr, '--name', 'Kari Nordmann', '--title', 'Vedtak', pdf])
    expect(sent.stderr).not.toContain(svarut.integrationPassword)
    expect(sent.code).toBe(0)
    const id = sent.stdout.trim()
    expect(svarut.letters.get(id)?.files[0]?.filename).toBe('vedtak.pdf')
    const status = await run(['status', id])
    expect(status.code).toBe(0)
    expect(status.stdout).toContain(`${id}\tMOTTATT\tpending`)
  }, 30_000)

  it('reports validation errors by field without echoing the number, exit 1', async () => {
    const pdf = join(dir, 'x.pdf')
    writeFileSync(pdf, '%PDF-1.7\n')
    const bad = `${fnr.slice(0, 10)}${(Number(fnr[10]) + 1) % 10}`
    const r = await run(['send', '--person', bad, '--name', 'K', '--title', 'T', pdf])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ERR_VALIDATION (mottaker.digitalId)')
    expect(r.stderr).not.toContain(bad)
    expect(svarut.requests).toHaveLength(0)
  }, 30_000)

  it('watch follows a letter until it is final; settings may come from a config file', async () => {
    const pdf = join(dir, 'w.pdf')
    writeFileSync(pdf, '%PDF-1.7\n')
    const config = join(dir, 'config.json')
    writeFileSync(
      config,
      JSON.stringify({
        environment: svarut.api,
        kontoId: svarut.kontoId,
        integrationId: svarut.integrationId,
        integrationPassword: svarut.integrationPassword,
        token: svarut.token,
      }),
    )
    const sent = await run(
      ['--config', config, 'send', '--person', fnr, '--name', 'K', '--title', 'T', pdf],
      {
        SVARUT_KONTO_ID: '',
      },
    )
    const id = sent.stdout.trim()
    const letter = svarut.letters.get(id)!
    letter.status = 'LEST'
    const watched = await run(['--config', config, 'watch', '--interval', '1', id])
    expect(watched.code).toBe(0)
    expect(watched.stdout).toContain(`${id}\tLEST\tread\tfinal`)
  }, 30_000)

  it('svarinn pull writes each letter into DIR/<id>/ and confirms it', async () => {
    const keys = createSelfSignedCertificate({ commonName: 'cli-mottaker' })
    const keyFile = join(dir, 'key.pem')
    writeFileSync(keyFile, keys.privateKey)
    const files = { 'a.pdf': Buffer.from('%PDF a'), 'b.txt': Buffer.from('bbb') }
    const id = randomUUID()
    svarut.svarinn.set(id, {
      meta: {
        id,
        tittel: 'T',
        filer: Object.entries(files).map(([n, b]) => ({
          filnavn: n,
          mimeType: 'application/octet-stream',
          hash: createHash('sha256').update(b).digest('hex'),
          storrelse: b.length,
        })),
        nedlastingslenke: `${svarut.url}/tjenester/svarinn/v2/forsendelser/${id}`,
      },
      blob: await encryptBuffer(zipSync(files), { certificate: keys.certificate }),
    })
    const out = join(dir, 'inbox')
    const r = await run(['svarinn', 'pull', '--out', out], { SVARINN_PRIVATE_KEY_FILE: keyFile })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`${id}\treceived\n`)
    expect(readFileSync(join(out, id, 'b.txt'), 'utf8')).toBe('bbb')
    expect(svarut.svarinn.get(id)?.state).toBe('MOTTATT')
  }, 30_000)

  it('prints usage and exits 2 on unknown commands or missing settings', async () => {
    expect((await run(['frobnicate'])).code).toBe(2)
    const missing = await run(['status', randomUUID()], { SVARUT_TOKEN: '' })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('SVARUT_TOKEN')
  }, 30_000)
})
