import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { unzipSync, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSelfSignedCertificate, encryptBuffer } from '../src/cms/index.js'
import { createSvarInnReceiver, type ReceivedFile, type SvarInnReceiverOptions } from '../src/index.js'
import { type FakeSvarUt, startFakeSvarUt } from './fake-svarut.js'

const receiverKeys = createSelfSignedCertificate({ commonName: 'svarinn-mottaker' })
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
const specs = fileURLToPath(new URL('../../../../shared/specs/svarut-cms/', import.meta.url))

let svarut: FakeSvarUt
beforeEach(async () => {
  svarut = await startFakeSvarUt()
})
afterEach(async () => {
  await svarut.close()
})

function receiver(extra: Partial<SvarInnReceiverOptions> = {}) {
  return createSvarInnReceiver({
    environment: svarut.api,
    integrationId: svarut.integrationId,
    integrationPassword: svarut.integrationPassword,
    token: () => svarut.token,
    privateKey: receiverKeys.privateKey,
    retry: false,
    ...extra,
  })
}

async function offerV2(files: Record<string, Buffer>, tamper?: (meta: { hash: string }[]) => void) {
  const id = randomUUID()
  const names = Object.keys(files)
  const plain = names.length === 1 ? (files[names[0] as string] as Buffer) : Buffer.from(zipSync(files))
  const blob = await encryptBuffer(plain, { certificate: receiverKeys.certificate })
  const filer = names.map((n) => ({
    filnavn: n,
    mimeType: n.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
    hash: sha(files[n] as Buffer),
    storrelse: (files[n] as Buffer).length,
  }))
  tamper?.(filer)
  svarut.svarinn.set(id, {
    meta: {
      id,
      tittel: 'Søknad om byggetillatelse',
      avsender: { postadresse: { navn: 'Kari' } },
      mottaker: { postadresse: { navn: 'Kommunen' } },
      sikkerhetsniva: '3',
      taushetsbelagtPost: false,
      filer,
      nedlastingslenke: `${svarut.url}/tjenester/svarinn/v2/forsendelser/${id}`,
    },
    blob,
  })
  return id
}

describe('SvarInn receiver v2', () => {
  it('downloads, decrypts, unzips, verifies SHA-256, hands over, then confirms', async () => {
    const files = { 'soknad.pdf': Buffer.from('%PDF-1.7 søknad'), 'vedlegg.txt': Buffer.from('tegninger') }
    const id = await offerV2(files)
    const seen: { name: string; body: string; path: string }[] = []
    const progress: number[] = []
    const outcomes = await receiver().poll(
      async (letter, received: readonly ReceivedFile[]) => {
        expect(letter.id).toBe(id)
        expect(svarut.svarinn.get(id)?.state).toBeUndefined()
        for (const f of received) {
          const chunks: Buffer[] = []
          for await (const c of f.open()) chunks.push(c as Buffer)
          seen.push({ name: f.filnavn, body: Buffer.concat(chunks).toString(), path: f.path })
        }
      },
      { onProgress: (p) => progress.push(p.bytes) },
    )
    expect(outcomes).toEqual([{ id, outcome: 'received' }])
    expect(seen.map((s) => [s.name, s.body])).toEqual([
      ['soknad.pdf', '%PDF-1.7 søknad'],
      ['vedlegg.txt', 'tegninger'],
    ])
    expect(svarut.svarinn.get(id)?.state).toBe('MOTTATT')
    expect(progress.length).toBeGreaterThan(0)
    for (const s of seen) expect(existsSync(s.path)).toBe(false)
  })

  it('a single file is handed over as itself', async () => {
    const id = await offerV2({ 'brev.pdf': Buffer.from('%PDF-1.7 brev') })
    let body = ''
    await receiver().poll(async (_l, files) => {
      body = readFileSync(files[0]?.path as string, 'utf8')
    })
    expect(body).toBe('%PDF-1.7 brev')
    expect(svarut.svarinn.get(id)?.state).toBe('MOTTATT')
  })

  it('28: a SHA-256 mismatch is never confirmed and never reaches the handler', async () => {
    const id = await offerV2({ 'a.pdf': Buffer.from('%PDF a'), 'b.txt': Buffer.from('b') }, (filer) => {
      ;(filer[1] as { hash: string }).hash = sha(Buffer.from('something else'))
    })
    let called = false
    const [outcome] = await receiver().poll(() => {
      called = true
    })
    expect(called).toBe(false)
    expect(outcome).toMatchObject({ id, outcome: 'failed', permanent: false })
    expect(svarut.svarinn.get(id)).toMatchObject({ state: 'FEILET', feil: { permanent: false } })
  })

  it('28: a truncated (tampered) download is never confirmed', async () => {
    const id = await offerV2({ 'a.pdf': Buffer.from('%PDF a'), 'b.txt': Buffer.from('b') })
    const item = svarut.svarinn.get(id)!
    item.blob = item.blob.subarray(0, item.blob.length - 20)
    let called = false
    const [outcome] = await receiver().poll(() => {
      called = true
    })
    expect(called).toBe(false)
    expect(outcome?.outcome).toBe('failed')
    expect(svarut.svarinn.get(id)?.state).toBe('FEILET')
  })

  it('reports handler failures as temporary, or permanent when the error says so', async () => {
    const a = await offerV2({ 'a.pdf': Buffer.from('%PDF a') })
    const [first] = await receiver().poll(() => {
      throw new Error('archive is down')
    })
    expect(first).toMatchObject({ id: a, outcome: 'failed', permanent: false })
    expect(svarut.svarinn.get(a)).toMatchObject({
      state: 'FEILET',
      feil: { feilmelding: 'archive is down', permanent: false },
    })
    const b = await offerV2({ 'b.pdf': Buffer.from('%PDF b') })
    const [second] = await receiver().poll(() => {
      throw Object.assign(new Error('not for us'), { permanent: true })
    })
    expect(second).toMatchObject({ id: b, outcome: 'failed', permanent: true })
  })

  it('cleans up its temporary files', async () => {
    const { mkdtempSync } = await import('node:fs')
    const { tmpdir } = await import('node:os')
    const tmp = mkdtempSync(join(tmpdir(), 'svarinn-spool-'))
    await offerV2({ 'a.pdf': Buffer.from('%PDF a'), 'b.txt': Buffer.from('b') })
    await receiver({ tmpDir: tmp }).poll(() => {})
    expect(await readdir(tmp)).toEqual([])
  })
})

describe.skipIf(!existsSync(specs))(
  'SvarInn receiver v1 with the real KS blob (../shared/specs/svarut-cms)',
  () => {
    it('decrypts dokumenter.crypt, unzips it as a stream (data descriptors) and confirms with kvitterMottak', async () => {
      const zip = readFileSync(join(specs, 'dokumenter.zip'))
      const entries = unzipSync(new Uint8Array(zip))
      const id = randomUUID()
      svarut.svarinn.set(id, {
        meta: {
          id,
          tittel: 'tittel',
          status: 'Akseptert',
          niva: '3',
          mottaker: { navn: 'Orgnavn' },
          filmetadata: Object.entries(entries).map(([name, data]) => ({
            filnavn: name,
            mimetype: name.endsWith('.pdf') ? 'application/pdf' : 'text/plain',
            sha256hash: sha(data),
            size: data.length,
          })),
          downloadUrl: `${svarut.url}/tjenester/svarinn/forsendelse/${id}`,
        },
        blob: readFileSync(join(specs, 'dokumenter.crypt')),
      })
      const got: Record<string, string> = {}
      const outcomes = await receiver({
        version: 1,
        privateKey: readFileSync(join(specs, 'sp-key.pem'), 'utf8'),
      }).poll((_l, files) => {
        for (const f of files) got[f.filnavn] = f.sha256
      })
      expect(outcomes).toEqual([{ id, outcome: 'received' }])
      expect(got['small.pdf']).toBe(sha(readFileSync(join(specs, 'small.pdf'))))
      expect(svarut.svarinn.get(id)?.state).toBe('MOTTATT')
    })
  },
)
