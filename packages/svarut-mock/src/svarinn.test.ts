import { createHash, createPrivateKey, X509Certificate } from 'node:crypto'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, HAVE_SPECS, PDF, SPECS_DIR, send, startMock, statusOf } from '../test/helpers.js'
import { createClock, loadSpecValidator, type SvarUtMock } from './index.js'
import { decryptCms, encryptCms } from './internal/cms.js'

async function decrypt(mock: SvarUtMock, res: Response): Promise<Buffer> {
  const chunks: Buffer[] = []
  const body = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>)
  for await (const c of decryptCms(body, createPrivateKey(mock.privateKeyPem))) chunks.push(c)
  return Buffer.concat(chunks)
}

/** Reads a stored ZIP: name → content, checking each CRC-32. */
function unzip(zip: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  let p = 0
  while (zip.readUInt32LE(p) === 0x04034b50) {
    const size = zip.readUInt32LE(p + 18)
    const nameLength = zip.readUInt16LE(p + 26)
    const extra = zip.readUInt16LE(p + 28)
    const name = zip.subarray(p + 30, p + 30 + nameLength).toString('utf8')
    const start = p + 30 + nameLength + extra
    out.set(name, zip.subarray(start, start + size))
    p = start + size
  }
  expect(zip.readUInt32LE(zip.length - 22)).toBe(0x06054b50)
  return out
}

describe('SvarInn v1 and v2', () => {
  const clock = createClock({ start: '2026-04-06T07:00:00Z', mode: 'manual' })
  let mock: SvarUtMock
  const check = HAVE_SPECS ? loadSpecValidator(SPECS_DIR) : undefined
  beforeAll(async () => {
    mock = await startMock({ clock })
  })
  afterAll(async () => {
    await mock.close()
  })

  const sendToSvarInn = async (
    docs: Parameters<typeof send>[3],
    extra: Record<string, unknown> = {},
  ): Promise<string> => {
    const org = mock.world.organisation(true)
    const res = await send(
      mock,
      'organisasjon',
      {
        tittel: 'Byggesøknad',
        mottaker: { navn: org.name, digitalId: org.organisasjonsnummer },
        eksternReferanse: 'bygg-1',
        ...extra,
      },
      docs,
    )
    const body = (await res.json()) as { id: string; message?: string }
    expect(res.status, body.message).toBe(200)
    clock.advance(mock.world.timings.accept + mock.world.timings.dispatch)
    expect(await statusOf(mock, body.id)).toBe('KLAR_FOR_MOTTAK')
    return body.id
  }

  it('v2: list, download the encrypted ZIP, check hashes, confirm; then the letter is LEST and gone from the list', async () => {
    const id = await sendToSvarInn([
      { filnavn: 'soknad.pdf', mimeType: 'application/pdf', body: PDF },
      { filnavn: 'kart.txt', mimeType: 'text/plain', body: 'kart', skalEkskluderesFraUtskrift: true },
    ])
    const list = await call(mock, 'GET', '/tjenester/svarinn/v2/forsendelser')
    const items = (await list.json()) as {
      id: string
      nedlastingslenke: string
      filer: { filnavn: string; hash: string }[]
    }[]
    check && expect(check.response('svarinn.v2.list', 200, items)).toEqual([])
    expect(items.map((i) => i.id)).toEqual([id])
    const item = items[0] as (typeof items)[number]
    const download = await fetch(item.nedlastingslenke, {
      headers: (await import('../test/helpers.js')).authHeaders(mock),
    })
    expect(download.headers.get('content-type')).toBe('application/zip')
    const files = unzip(await decrypt(mock, download))
    for (const f of item.filer)
      expect(
        createHash('sha256')
          .update(files.get(f.filnavn) as Buffer)
          .digest('hex'),
      ).toBe(f.hash)
    expect(files.get('kart.txt')?.toString()).toBe('kart')
    const patch = await call(mock, 'PATCH', `/tjenester/svarinn/v2/forsendelser/${id}/status`, {
      status: 'MOTTATT',
    })
    expect(patch.status).toBe(204)
    expect(await statusOf(mock, id)).toBe('LEST')
    expect(await (await call(mock, 'GET', '/tjenester/svarinn/v2/forsendelser')).json()).toEqual([])
  })

  it('v1 with Basic auth: list, download a single file, confirm receipt', async () => {
    const id = await sendToSvarInn([{ filnavn: 'brev.pdf', mimeType: 'application/pdf', body: PDF }])
    const system = mock.world.organisation(true).svarInn[0]
    const basic = {
      authorization: `Basic ${Buffer.from(`${system?.id}:${system?.passord}`).toString('base64')}`,
    }
    const list = await fetch(`${mock.svarInnUrl}/svarinn/mottaker/hentNyeForsendelser`, { headers: basic })
    const items = (await list.json()) as {
      id: string
      downloadUrl: string
      filmetadata: { sha256hash: string }[]
    }[]
    check && expect(check.response('svarinn.v1.list', 200, items)).toEqual([])
    expect(items.map((i) => i.id)).toEqual([id])
    const download = await fetch(items[0]?.downloadUrl as string, { headers: basic })
    expect(download.headers.get('content-disposition')).toContain('brev.pdf')
    const pdf = await decrypt(mock, download)
    expect(pdf.equals(PDF)).toBe(true)
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(items[0]?.filmetadata[0]?.sha256hash)
    const wrong = await fetch(`${mock.svarInnUrl}/svarinn/mottaker/hentNyeForsendelser`, {
      headers: { authorization: `Basic ${Buffer.from(`${system?.id}:feil`).toString('base64')}` },
    })
    expect(wrong.status).toBe(401)
    const ok = await fetch(`${mock.svarInnUrl}/svarinn/kvitterMottak/forsendelse/${id}`, {
      method: 'POST',
      headers: basic,
    })
    expect(ok.status).toBe(200)
    expect(await statusOf(mock, id)).toBe('LEST')
  })

  it('failure reports: temporary keeps it waiting; permanent sends it on through Altinn', async () => {
    const id = await sendToSvarInn([{ filnavn: 'brev.pdf', mimeType: 'application/pdf', body: PDF }])
    const temp = await call(mock, 'POST', `/tjenester/svarinn/mottakFeilet/forsendelse/${id}`, {
      feilmelding: 'Arkivet er nede',
      permanent: false,
    })
    expect(temp.status).toBe(200)
    expect(await statusOf(mock, id)).toBe('KLAR_FOR_MOTTAK')
    const bad = await call(mock, 'PATCH', `/tjenester/svarinn/v2/forsendelser/${id}/status`, {
      status: 'FEILET',
    })
    expect(bad.status).toBe(400)
    const perm = await call(mock, 'PATCH', `/tjenester/svarinn/v2/forsendelser/${id}/status`, {
      status: 'FEILET',
      feil: { feilmelding: 'Ukjent sak', permanent: true },
    })
    expect(perm.status).toBe(204)
    expect(await statusOf(mock, id)).toBe('VARSLET')
    const hendelser = JSON.stringify(mock.world.letter(id)?.hendelser)
    expect(hendelser).toContain('Mottak feilet midlertidig i SvarInn: Arkivet er nede')
    expect(hendelser).toContain('Mottak feilet permanent i SvarInn: Ukjent sak')
  })

  it('encrypted upload (kryptert): decrypted with the mock key, stored and hashed as plaintext', async () => {
    const cert = new X509Certificate(await (await fetch(`${mock.url}/forsendelse/publickey/hent`)).text())
    const encrypted: Buffer[] = []
    for await (const c of encryptCms([PDF], cert)) encrypted.push(c)
    const id = await sendToSvarInn(
      [{ filnavn: 'hemmelig.pdf', mimeType: 'application/pdf', body: Buffer.concat(encrypted) }],
      {
        kryptert: true,
        sikkerhetsniva: 'HOYESTE',
      },
    )
    const doc = mock.world.letter(id)?.documents[0]
    expect(doc?.encrypted).toBe(true)
    expect(doc?.sha256).toBe(createHash('sha256').update(PDF).digest('hex'))
    const org = mock.world.organisation(true)
    const res = await send(
      mock,
      'organisasjon',
      { tittel: 'T', kryptert: true, mottaker: { navn: org.name, digitalId: org.organisasjonsnummer } },
      [{ filnavn: 'ikke-cms.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    expect(res.status).toBe(400)
    expect(((await res.json()) as { message: string }).message).toContain('forsendelse.dokumenter[0]')
  })
})
