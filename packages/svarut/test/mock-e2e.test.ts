// End to end against @felles/svarut-mock over real HTTP: security cases 22–28
// and a send of each kind through to a final status.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClock, type SvarUtMock, startSvarUtMock } from '@felles/svarut-mock'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  createSvarInnReceiver,
  createSvarUtClient,
  isSvarUtError,
  type SvarUtClientOptions,
} from '../src/index.js'
import { skippingClock } from './clocks.js'

const pdf = (text: string) => Buffer.from(`%PDF-1.7\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`)
const dir = mkdtempSync(join(tmpdir(), 'svarut-e2e-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let mock: SvarUtMock
beforeEach(async () => {
  mock = await startSvarUtMock({ clock: createClock({ start: '2026-01-05T08:00:00Z', mode: 'manual' }) })
})
afterEach(async () => {
  await mock.close()
})

function client(extra: Partial<SvarUtClientOptions> = {}) {
  const { kontoId, integrasjonId, integrasjonPassord, token } = mock.credentials
  return createSvarUtClient({
    environment: mock.apiUrl,
    kontoId,
    integrationId: integrasjonId,
    integrationPassword: integrasjonPassord,
    token: () => token ?? '',
    clock: skippingClock(),
    resend: { lookupDelay: 0 },
    ...extra,
  })
}

const toPerson = (digitalId: string, extra: Record<string, unknown> = {}) => ({
  tittel: 'Vedtak',
  mottaker: { navn: 'Syntetisk Person', digitalId },
  dokumenter: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: pdf('vedtak') }],
  ...extra,
})

async function finalStatus(c: ReturnType<typeof client>, id: string, stepMs: number, steps = 20) {
  for (let i = 0; i < steps; i++) {
    const [s] = await c.getStatuses([id])
    if (s?.final) return s
    mock.clock.advance(stepMs)
  }
  return (await c.getStatuses([id]))[0]
}

describe('against @felles/svarut-mock', () => {
  it('sends of each kind reach a final status', async () => {
    const c = client()
    const person = await c.sendToPerson(toPerson(mock.world.personOn('digital').digitalId))
    expect(await finalStatus(c, person.id, 60_000)).toMatchObject({ status: 'LEVERT_SDP', final: true })

    const print = await c.sendToPrint({
      tittel: 'Brev',
      mottaker: { navn: 'Ola', adresse: { adresselinje1: 'Vei 1', postnummer: '5003', poststed: 'Bergen' } },
      dokumenter: [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', content: pdf('print') }],
    })
    expect(await finalStatus(c, print.id, 86_400_000)).toMatchObject({ status: 'PRINTET', phase: 'printed' })

    const patient = mock.world.nhn.patientsWithFastlege[0] as string
    const nhn = await c.sendToNhn({
      tittel: 'Epikrise',
      mottakertype: 'FASTLEGE',
      avsenderKontakt: { fornavn: 'Lege', etternavn: 'Legesen', telefonnummer: '12345678' },
      pasient: { fodselsnummer: patient, fornavn: 'Kari', etternavn: 'Nordmann' },
      dokument: { filnavn: 'epikrise.pdf', content: pdf('nhn') },
    })
    expect(await finalStatus(c, nhn.id, 60_000)).toMatchObject({ status: 'LEVERT_NHN_MOTTAKER' })

    const org = mock.world.organisation(false)
    const letter = await c.sendToOrganisation({
      ...toPerson(org.organisasjonsnummer),
      mottaker: { navn: org.name, digitalId: org.organisasjonsnummer },
    })
    const s = await finalStatus(c, letter.id, 86_400_000)
    expect(s?.final).toBe(true)
    const timeline = await c.getTimeline(letter.id)
    expect(timeline.some((e) => e.source === 'hendelse')).toBe(true)
  })

  it('an organisation with SvarInn receives the letter; the receiver confirms it and SvarUt shows LEST', async () => {
    const integration = mock.world.integrations.find(
      (i) => i.integrasjonId === mock.credentials.integrasjonId,
    )!
    const system = mock.world.svarInnSystems().find((x) => integration.svarInnSystemIds.includes(x.id))!
    const c = client()
    const { id } = await c.sendToOrganisation({
      tittel: 'Søknad',
      mottaker: { navn: system.navn, digitalId: system.organisasjonsnummer },
      dokumenter: [
        { filnavn: 'soknad.pdf', mimeType: 'application/pdf', content: pdf('søknad') },
        { filnavn: 'vedlegg.pdf', mimeType: 'application/pdf', content: pdf('vedlegg') },
      ],
    })
    for (let i = 0; i < 10 && (await c.getStatuses([id]))[0]?.status !== 'KLAR_FOR_MOTTAK'; i++) {
      mock.clock.advance(60_000)
    }
    const { integrasjonId, integrasjonPassord, token } = mock.credentials
    const receiver = createSvarInnReceiver({
      environment: mock.apiUrl,
      integrationId: integrasjonId,
      integrationPassword: integrasjonPassord,
      token: () => token ?? '',
      privateKey: mock.privateKeyPem,
    })
    const names: string[] = []
    const outcomes = await receiver.poll((_letter, files) => {
      for (const f of files) names.push(f.filnavn)
    })
    expect(outcomes).toContainEqual({ id, outcome: 'received' })
    expect(names).toEqual(['soknad.pdf', 'vedlegg.pdf'])
    expect((await c.getStatuses([id]))[0]).toMatchObject({ status: 'LEST', final: true })
  })

  it('22: lost response after the send was committed → one letter', async () => {
    mock.setFault({ kind: 'loseResponse', operation: 'send' })
    const result = await client().sendToPerson(toPerson(mock.world.personOn('digital').digitalId))
    expect(result.resolvedBy).toBe('lookup')
    expect(mock.letters()).toHaveLength(1)
  })

  it('23: reset mid-upload of a large file → re-streamed, one letter', async () => {
    const path = join(dir, 'large.pdf')
    writeFileSync(path, Buffer.concat([pdf('large'), Buffer.alloc(2 * 1024 * 1024, 0x20)]))
    mock.setFault({ kind: 'resetMidUpload', operation: 'send', afterBytes: 256 * 1024 })
    const result = await client().sendToPerson({
      ...toPerson(mock.world.personOn('digital').digitalId),
      dokumenter: [{ filnavn: 'large.pdf', mimeType: 'application/pdf', content: { path } }],
    })
    expect(result.uploads).toBe(2)
    expect(mock.letters()).toHaveLength(1)
  })

  it('24: 429 with Retry-After → waits at least that long, one letter; 503 on status → retried', async () => {
    const clock = skippingClock()
    const c = client({ clock })
    mock.setFault({ kind: 'rateLimit', operation: 'send', retryAfterSeconds: 3 })
    const { id } = await c.sendToPerson(toPerson(mock.world.personOn('digital').digitalId))
    expect(clock.waits.some((w) => w >= 3_000)).toBe(true)
    expect(mock.letters()).toHaveLength(1)
    mock.setFault({ kind: 'unavailable', operation: 'status.sok' })
    expect((await c.getStatuses([id]))[0]?.id).toBe(id)
  })

  it('27: HOYESTE is refused before upload without encryption, and sent encrypted with it', async () => {
    const c = client()
    const person = mock.world.personOn('digital').digitalId
    const err = await c.sendToPerson(toPerson(person, { sikkerhetsniva: 'HOYESTE' })).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_VALIDATION')).toBe(true)
    expect(mock.requests().filter((r) => r.operation.startsWith('send'))).toHaveLength(0)
    const { id } = await c.sendToPerson(toPerson(person, { sikkerhetsniva: 'HOYESTE', kryptert: true }))
    const stored = mock.letters().find((l) => l.id === id)
    expect(stored?.documents[0]?.encrypted).toBe(true)
  })

  it('26: a status the client does not know is kept raw', async () => {
    const c = client()
    const { id } = await c.sendToPerson(toPerson(mock.world.personOn('digital').digitalId))
    mock.world.forceStatus(id, 'NY_FREMTIDIG_STATUS')
    expect((await c.getStatuses([id]))[0]).toMatchObject({ status: 'NY_FREMTIDIG_STATUS', known: false })
  })
})
