import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { inspect } from 'node:util'
import { createManualClock } from '@felles/http/testing'
import { createSyntheticGenerator } from '@felles/identifiers'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { decryptBuffer } from '../src/cms/index.js'
import {
  createMemoryOutbox,
  createSvarUtClient,
  isSvarUtError,
  type OutboxStore,
  type SvarUtClientOptions,
  verifySha256,
} from '../src/index.js'
import { skippingClock } from './clocks.js'
import { type FakeSvarUt, startFakeSvarUt } from './fake-svarut.js'

const gen = createSyntheticGenerator({ seed: 'client' })
const fnr = gen.nationalId()
const orgnr = gen.organisationNumber()
const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`)
const dir = mkdtempSync(join(tmpdir(), 'svarut-client-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let svarut: FakeSvarUt
beforeEach(async () => {
  svarut = await startFakeSvarUt()
})
afterEach(async () => {
  await svarut.close()
})

function client(extra: Partial<SvarUtClientOptions> = {}) {
  return createSvarUtClient({
    environment: svarut.api,
    kontoId: svarut.kontoId,
    integrationId: svarut.integrationId,
    integrationPassword: svarut.integrationPassword,
    token: { getToken: async () => svarut.token },
    clock: skippingClock(),
    resend: { lookupDelay: 0 },
    ...extra,
  })
}

const letter = (extra: Record<string, unknown> = {}) => ({
  tittel: 'Vedtak i byggesak',
  mottaker: { navn: 'Kari Nordmann', digitalId: fnr },
  dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: pdf('vedtak') }],
  ...extra,
})
const sends = () =>
  svarut.requests.filter(
    (r) => r.method === 'POST' && /forsendelser\/(person|organisasjon|nhn|print)$/.test(r.path),
  )

describe('send', () => {
  it('streams files from paths, buffers, Node and Web streams in dokumenter order', async () => {
    const path = join(dir, 'a.pdf')
    writeFileSync(path, pdf('from a path'))
    const result = await client().sendToPerson({
      ...letter(),
      dokumenter: [
        { filnavn: 'a.pdf', mimeType: 'application/pdf', content: { path } },
        { filnavn: 'b.pdf', mimeType: 'application/pdf', content: pdf('buffer') },
        { filnavn: 'c.pdf', mimeType: 'application/pdf', content: Readable.from([pdf('node stream')]) },
        { filnavn: 'd.pdf', mimeType: 'application/pdf', content: new Blob([pdf('web stream')]).stream() },
        {
          filnavn: 'e.txt',
          mimeType: 'text/plain',
          content: Buffer.from('hei'),
          skalEkskluderesFraUtskrift: true,
        },
      ],
    })
    expect(result.resolvedBy).toBe('response')
    expect(sends()[0]?.headers['transfer-encoding']).toBe('chunked')
    const stored = svarut.letters.get(result.id)
    expect(stored?.files.map((f) => f.filename)).toEqual(['a.pdf', 'b.pdf', 'c.pdf', 'd.pdf', 'e.txt'])
    expect(stored?.files[0]?.body.equals(readFileSync(path))).toBe(true)
    expect(stored?.files[2]?.body.toString()).toContain('node stream')
    expect(stored?.files[4]?.contentType).toBe('text/plain')
    expect(stored?.forsendelse.dokumenter).toEqual([
      { filnavn: 'a.pdf', mimeType: 'application/pdf' },
      { filnavn: 'b.pdf', mimeType: 'application/pdf' },
      { filnavn: 'c.pdf', mimeType: 'application/pdf' },
      { filnavn: 'd.pdf', mimeType: 'application/pdf' },
      { filnavn: 'e.txt', mimeType: 'text/plain', skalEkskluderesFraUtskrift: true },
    ])
  })

  it('generates an eksternReferanse without personal data and records it in the outbox', async () => {
    const outbox = createMemoryOutbox()
    const result = await client({ outbox }).sendToPerson(letter())
    expect(result.eksternReferanse).toMatch(/^felles-[0-9a-f-]{36}$/)
    // Sizes known (a buffer): a Content-Length instead of chunked encoding.
    expect(sends()[0]?.headers['content-length']).toMatch(/^\d+$/)
    expect(sends()[0]?.headers['transfer-encoding']).toBeUndefined()
    expect(result.eksternReferanse).not.toContain(fnr)
    expect(svarut.letters.get(result.id)?.forsendelse.eksternReferanse).toBe(result.eksternReferanse)
    expect(await outbox.get(result.eksternReferanse)).toMatchObject({
      state: 'sent',
      id: result.id,
      kind: 'person',
    })
  })

  it('sends to an organisation, to print and to NHN', async () => {
    const c = client()
    const org = await c.sendToOrganisation({
      ...letter(),
      mottaker: { navn: 'Kommunen', digitalId: orgnr },
      forsendelsestype: 'Byggesøknad',
      metadataForImport: { saksaar: 2025, sakssekvensnummer: 12 },
    })
    expect(svarut.letters.get(org.id)?.kind).toBe('organisasjon')
    const print = await c.sendToPrint({
      tittel: 'Brev',
      mottaker: { navn: 'Ola', adresse: { adresselinje1: 'Vei 1', postnummer: '5003', poststed: 'Bergen' } },
      dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', content: pdf('print') }],
    })
    expect(svarut.letters.get(print.id)?.kind).toBe('print')
    const nhn = await c.sendToNhn({
      tittel: 'Epikrise',
      mottakertype: 'FASTLEGE',
      avsenderKontakt: { fornavn: 'Lege', etternavn: 'Legesen', telefonnummer: '12345678' },
      pasient: { fodselsnummer: fnr, fornavn: 'Kari', etternavn: 'Nordmann' },
      dokument: { filnavn: 'epikrise.pdf', content: pdf('nhn') },
    })
    const stored = svarut.letters.get(nhn.id)
    expect(stored?.files.map((f) => [f.name, f.filename])).toEqual([['dokument', 'epikrise.pdf']])
    expect(stored?.forsendelse.dokument).toBeUndefined()
  })

  it('validates before any byte is uploaded (security case 27)', async () => {
    const c = client()
    const err = await c.sendToPerson(letter({ sikkerhetsniva: 'HOYESTE' })).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_VALIDATION')).toBe(true)
    expect((err as { field: string }).field).toBe('kryptert')
    const bad = await c
      .sendToPerson(
        letter({ mottaker: { navn: 'K', digitalId: `${fnr.slice(0, 10)}${(Number(fnr[10]) + 1) % 10}` } }),
      )
      .catch((e: unknown) => e)
    expect(isSvarUtError(bad, 'ERR_VALIDATION')).toBe(true)
    expect((bad as Error).message).not.toMatch(/\d{11}/)
    expect(svarut.requests).toHaveLength(0)
  })

  it('encrypts every file for SvarUt’s certificate when kryptert (HOYESTE)', async () => {
    const result = await client().sendToPerson(letter({ kryptert: true, sikkerhetsniva: 'HOYESTE' }))
    const stored = svarut.letters.get(result.id)
    const file = stored?.files[0]?.body as Buffer
    expect(file.subarray(0, 2).toString('hex')).toBe('3080')
    expect((await decryptBuffer(file, { privateKey: svarut.privateKey })).equals(pdf('vedtak'))).toBe(true)
    expect(svarut.requests.filter((r) => r.path === '/forsendelse/publickey/hent')).toHaveLength(1)
  })

  it('sends the three credentials on every call and never exposes them in errors', async () => {
    await client().sendToPerson(letter())
    for (const r of svarut.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${svarut.token}`)
      expect(r.headers.integrasjonpassord).toBe(svarut.integrationPassword)
    }
    svarut.faults.push({ match: 'send', fault: { kind: 'status', status: 403 } })
    const err = await client()
      .sendToPerson(letter())
      .catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_FORBIDDEN')).toBe(true)
    expect((err as { errorId?: string }).errorId).toMatch(/^[0-9a-f-]{36}$/)
    const text = `${JSON.stringify(err)} ${inspect(err, { depth: 8 })} ${(err as Error).message}`
    expect(text).not.toContain(svarut.integrationPassword)
    expect(text).not.toContain(svarut.token)
  })
})

describe('idempotent send (security cases 22–25)', () => {
  it('22: response lost after SvarUt accepted → resolved by eksternReferanse, exactly one letter', async () => {
    svarut.faults.push({ match: 'send', fault: { kind: 'accept-then-drop' } })
    const result = await client().sendToPerson(letter())
    expect(result.resolvedBy).toBe('lookup')
    expect(svarut.letters.size).toBe(1)
    expect(sends()).toHaveLength(1)
  })

  it('22: a 500 after accepting → looked up, not resent', async () => {
    svarut.faults.push({ match: 'send', fault: { kind: 'accept-then-500' } })
    const result = await client().sendToPerson(letter())
    expect(result.resolvedBy).toBe('lookup')
    expect(svarut.letters.size).toBe(1)
  })

  it('23: reset mid-upload of a large file → looked up, then re-streamed from the source', async () => {
    const path = join(dir, 'large.pdf')
    const big = Buffer.concat([pdf('large'), Buffer.alloc(3 * 1024 * 1024, 0x41)])
    writeFileSync(path, big)
    svarut.faults.push({ match: 'send', fault: { kind: 'reset-mid-upload', afterBytes: 512 * 1024 } })
    const result = await client().sendToPerson(
      letter({ dokumenter: [{ filnavn: 'large.pdf', mimeType: 'application/pdf', content: { path } }] }),
    )
    expect(result).toMatchObject({ resolvedBy: 'response', uploads: 2 })
    expect(svarut.letters.size).toBe(1)
    expect(svarut.letters.get(result.id)?.files[0]?.body.equals(big)).toBe(true)
    const lookups = svarut.requests.filter((r) => r.path.endsWith('/forsendelser') && r.method === 'GET')
    expect(lookups.length).toBeGreaterThanOrEqual(1)
  })

  it('23: a stream source cannot be re-streamed → outcome unknown, left pending, no second upload', async () => {
    const outbox = createMemoryOutbox()
    svarut.faults.push({ match: 'send', fault: { kind: 'reset-mid-upload', afterBytes: 64 * 1024 } })
    const stream = Readable.from([pdf('s'), Buffer.alloc(512 * 1024)])
    const err = await client({ outbox })
      .sendToPerson(
        letter({ dokumenter: [{ filnavn: 's.pdf', mimeType: 'application/pdf', content: stream }] }),
      )
      .catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_SEND_OUTCOME_UNKNOWN')).toBe(true)
    expect(await outbox.pending()).toHaveLength(1)
    expect(sends()).toHaveLength(1)
    expect(svarut.letters.size).toBe(0)
  })

  it('24: 429 with Retry-After → waits at least that long, looks up, sends once more', async () => {
    const clock = skippingClock()
    svarut.faults.push({ match: 'send', fault: { kind: 'status', status: 429, retryAfter: '7' } })
    const result = await client({ clock }).sendToPerson(letter())
    expect(result.uploads).toBe(2)
    expect(Math.max(...clock.waits)).toBeGreaterThanOrEqual(7_000)
    expect(svarut.letters.size).toBe(1)
  })

  it('24: 503 on status → backoff and retry; 400/401/403 on a send → no retry', async () => {
    const clock = skippingClock()
    const c = client({ clock })
    const { id } = await c.sendToPerson(letter())
    svarut.faults.push({ match: 'status', fault: { kind: 'status', status: 503 } })
    const [status] = await c.getStatuses([id])
    expect(status?.status).toBe('MOTTATT')
    expect(clock.waits.length).toBeGreaterThan(0)
    for (const code of [400, 403]) {
      svarut.faults.push({ match: 'send', fault: { kind: 'status', status: code } })
      const before = sends().length
      const err = await c.sendToPerson(letter()).catch((e: unknown) => e)
      expect(isSvarUtError(err)).toBe(true)
      expect((err as { retryable: boolean }).retryable).toBe(false)
      expect(sends().length - before).toBe(1)
    }
    // 401: @felles/http renews the token once; a second 401 is final.
    svarut.faults.push({ match: 'send', fault: { kind: 'status', status: 401 } })
    svarut.faults.push({ match: 'send', fault: { kind: 'status', status: 401 } })
    const before = sends().length
    const err = await c.sendToPerson(letter()).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_UNAUTHORIZED')).toBe(true)
    expect(sends().length - before).toBeLessThanOrEqual(2)
    expect(svarut.letters.size).toBe(1)
  })

  it('25: the send timeout defaults to 16 minutes; the stalled send is looked up, then sent once', async () => {
    const clock = createManualClock()
    svarut.faults.push({ match: 'send', fault: { kind: 'stall' } })
    const c = client({ clock })
    let settled = false
    const pending = c.sendToPerson(letter()).finally(() => {
      settled = true
    })
    for (let i = 0; i < 50 && sends().length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    await clock.advance(16 * 60_000 - 1)
    expect(settled).toBe(false)
    await clock.advance(1)
    const result = await pending
    expect(result).toMatchObject({ resolvedBy: 'response', uploads: 2 })
    expect(svarut.letters.size).toBe(1)
  })

  it('25: an AbortSignal stops the send', async () => {
    svarut.faults.push({ match: 'send', fault: { kind: 'stall' } })
    const controller = new AbortController()
    const pending = client().sendToPerson(letter(), { signal: controller.signal })
    for (let i = 0; i < 50 && sends().length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    controller.abort()
    const err = await pending.catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_ABORTED')).toBe(true)
  })

  it('a crashed process resolves its in-flight send on restart; a resend creates no second letter', async () => {
    const outbox: OutboxStore = createMemoryOutbox()
    // The first process recorded the send, uploaded, and died before the answer.
    svarut.faults.push({ match: 'send', fault: { kind: 'accept-then-drop' } })
    const first = client({ outbox, resend: { lookups: 0, maxAttempts: 1, lookupDelay: 0 } })
    const ref = 'sak-2025-0042-vedtak'
    await first.sendToPerson(letter({ eksternReferanse: ref })).catch(() => undefined)
    expect(await outbox.pending()).toHaveLength(1)
    const second = client({ outbox })
    const resolved = await second.resolvePendingSends()
    expect(resolved).toEqual([
      { eksternReferanse: ref, kind: 'person', outcome: 'sent', id: expect.any(String) },
    ])
    const again = await second.sendToPerson(letter({ eksternReferanse: ref }))
    expect(again).toMatchObject({ resolvedBy: 'outbox', uploads: 0 })
    expect(svarut.letters.size).toBe(1)
  })

  it('a pending reference is looked up before any upload', async () => {
    const outbox = createMemoryOutbox()
    const c = client({ outbox })
    const { id, eksternReferanse } = await c.sendToPerson(letter())
    await outbox.put({ ...(await outbox.get(eksternReferanse))!, state: 'pending' })
    const again = await c.sendToPerson(letter({ eksternReferanse }))
    expect(again).toEqual({ id, eksternReferanse, resolvedBy: 'lookup', uploads: 0 })
    expect(svarut.letters.size).toBe(1)
  })
})

describe('status', () => {
  it('batches status/sok: ceil(n / batch size) requests', async () => {
    const c = client({ statusBatchSize: 2 })
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await c.sendToPerson(letter())).id)
    const before = svarut.requests.length
    const statuses = await c.getStatuses(ids)
    expect(statuses.map((s) => s.id).sort()).toEqual([...ids].sort())
    expect(svarut.requests.length - before).toBe(3)
  })

  it('26: keeps an unknown status raw and flags it', async () => {
    const c = client()
    const { id } = await c.sendToPerson(letter())
    const stored = svarut.letters.get(id)!
    stored.status = 'HELT_NY_STATUS'
    const [s] = await c.getStatuses([id])
    expect(s).toMatchObject({ status: 'HELT_NY_STATUS', known: false, phase: 'unknown', final: false })
  })

  it('watchStatus polls on the injected clock, reports changes and regressions, stops at final', async () => {
    const clock = createManualClock()
    const c = client({ clock })
    const { id } = await c.sendToPerson(letter())
    const stored = svarut.letters.get(id)!
    const watch = c.watchStatus([id], { interval: 60_000 })
    const first = await watch.next()
    expect(first.value).toMatchObject({ type: 'change', status: { status: 'MOTTATT', phase: 'pending' } })
    const step = async (status: string) => {
      stored.status = status
      stored.changedAt = new Date().toISOString()
      const next = watch.next()
      await clock.advance(60_000)
      return next
    }
    expect((await step('VARSLET')).value).toMatchObject({
      type: 'change',
      status: { phase: 'delivered-digitally' },
    })
    expect((await step('IKKE_LEVERT')).value).toMatchObject({
      type: 'regression',
      status: { phase: 'failed', final: true },
      previous: { status: 'VARSLET' },
    })
    expect((await watch.next()).done).toBe(true)
  })

  it('merges status, hendelser and signeringshendelser into one timeline', async () => {
    const c = client()
    const { id } = await c.sendToPerson(letter())
    const stored = svarut.letters.get(id)!
    stored.hendelser = [
      { tidspunkt: '2025-01-01T10:00:00+01:00', hendelse: 'Mottatt' },
      { tidspunkt: '2025-01-01T10:05:00+01:00', hendelse: 'Varsel sendt til Altinn' },
    ]
    stored.signeringshendelser = [
      { tidspunkt: '2025-01-01T10:02:00+01:00', hendelse: 'Venter', status: 'VENTER_SIGNERING' },
    ]
    stored.status = 'VARSLET'
    stored.changedAt = '2025-01-01T10:06:00+01:00'
    const timeline = await c.getTimeline(id)
    expect(timeline.map((e) => `${e.source}:${e.text}`)).toEqual([
      'hendelse:Mottatt',
      'signering:Venter',
      'hendelse:Varsel sendt til Altinn',
      'status:VARSLET',
    ])
  })
})

describe('v2 operations', () => {
  it('hendelser, metadata with SHA-256, eksternRef look-up, mark read, delete, types, mottakersystem', async () => {
    const c = client()
    const { id, eksternReferanse } = await c.sendToPerson(letter())
    expect((await c.getHendelser(id))[0]?.hendelse).toBe('Mottatt')
    expect(await c.getSigneringshendelser(id)).toEqual([])
    const [meta] = await c.getMetadata(id)
    const { createHash } = await import('node:crypto')
    expect(meta?.sha256Hash).toBe(createHash('sha256').update(pdf('vedtak')).digest('hex'))
    expect(await verifySha256(pdf('vedtak'), meta?.sha256Hash ?? '')).toBe(true)
    expect(await verifySha256(pdf('tampered'), meta?.sha256Hash ?? '')).toBe(false)
    expect(await c.findByExternalReference(eksternReferanse)).toEqual([id])
    await c.markRead(id, { fnr, eksterntSystemnavn: 'Min side' })
    const read = svarut.requests.find((r) => r.path.endsWith('/lest'))
    expect(read?.path).not.toContain(fnr)
    expect(svarut.letters.get(id)?.readBy).toMatchObject({ fnr, eksterntSystemnavn: 'Min side' })
    await c.deleteDocuments(id, 'ORIGINALDOKUMENTER')
    expect(svarut.letters.get(id)?.deleted).toBe('ORIGINALDOKUMENTER')
    expect(await c.getForsendelsestyper()).toContain('Byggesøknad')
    const [system] = await c.findMottakersystem({
      organisasjonsnummer: orgnr,
      forsendelseType: 'Faktura',
      niva: 4,
    })
    expect(system).toMatchObject({ organisasjonsnummer: orgnr, forsendelseType: 'Faktura', niva: 4 })
  })

  it('refuses ids that are not UUIDs (no personal data in URLs)', async () => {
    await expect(client().getHendelser(fnr)).rejects.toThrow(TypeError)
  })
})
