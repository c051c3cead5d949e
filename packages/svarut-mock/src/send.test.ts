import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adresse, call, PDF, send, startMock, statusOf } from '../test/helpers.js'
import { createClock, type SpecValidator, type SvarUtMock } from './index.js'

const DAY = 86_400_000

describe('send of each kind through to a final status', () => {
  const clock = createClock({ start: '2026-01-05T08:00:00Z', mode: 'manual' })
  let mock: SvarUtMock
  beforeAll(async () => {
    mock = await startMock({ clock })
  })
  afterAll(async () => {
    await mock.close()
  })

  const sendAndId = async (...args: Parameters<typeof send> extends [unknown, ...infer R] ? R : never) => {
    const res = await send(mock, ...args)
    const body = (await res.json()) as { id?: string; message?: string }
    expect(res.status, body.message).toBe(200)
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/)
    return body.id as string
  }

  const history = (id: string) => mock.world.letter(id)?.statusHistory.map((s) => s.status)

  it('person with a digital mailbox: MOTTATT → AKSEPTERT → SENDT_SDP → LEVERT_SDP', async () => {
    const p = mock.world.personOn('digital')
    const id = await sendAndId(
      'person',
      {
        tittel: 'Vedtak om barnehageplass',
        mottaker: { navn: p.name, digitalId: p.digitalId },
        eksternReferanse: 'sak-1',
      },
      [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    expect(await statusOf(mock, id)).toBe('MOTTATT')
    clock.advance(mock.world.timings.accept)
    expect(await statusOf(mock, id)).toBe('AKSEPTERT')
    clock.advance(mock.world.timings.dispatch + mock.world.timings.deliver)
    expect(await statusOf(mock, id)).toBe('LEVERT_SDP')
    expect(history(id)).toEqual(['MOTTATT', 'AKSEPTERT', 'SENDT_SDP', 'LEVERT_SDP'])
  })

  it('person in Altinn, unread: VARSLET → read deadline → SENDT_PRINT → PRINTET, with hendelser texts', async () => {
    const p = mock.world.personOn('altinn')
    const id = await sendAndId(
      'person',
      { tittel: 'Faktura', mottaker: { navn: p.name, digitalId: p.digitalId, adresse } },
      [{ filnavn: 'faktura.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(2 * 60_000)
    expect(await statusOf(mock, id)).toBe('VARSLET')
    clock.advance(7 * DAY + 2 * DAY)
    expect(await statusOf(mock, id)).toBe('PRINTET')
    const res = await call(mock, 'GET', `/api/v2/forsendelser/${id}/hendelser`)
    const { hendelser } = (await res.json()) as { hendelser: { tidspunkt: string; hendelse: string }[] }
    expect(hendelser.map((h) => h.hendelse)).toEqual([
      'Forsendelse mottatt',
      'Akseptert for ekspedering',
      'Registrert i Kontakt- og reservasjonsregisteret, ingen digital postkasse',
      'Varsel sendt til Altinn',
      'Lesefrist utløpt',
      'Sendt til print',
      'Printkvittering mottatt fra printleverandør',
    ])
    expect(Date.parse(hendelser[0]?.tidspunkt ?? '')).toBeLessThan(
      Date.parse(hendelser.at(-1)?.tidspunkt ?? ''),
    )
  })

  it('person in Altinn who reads in time: LEST and never printed', async () => {
    const p = mock.world.personOn('altinn')
    const id = await sendAndId(
      'person',
      { tittel: 'Svar', mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 'svar.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(DAY)
    mock.world.read(id)
    clock.advance(30 * DAY)
    expect(await statusOf(mock, id)).toBe('LEST')
    expect(history(id)).not.toContain('SENDT_PRINT')
  })

  it('reserved person: SENDT_PRINT → PRINTET; kunDigitalLevering → IKKE_LEVERT', async () => {
    const p = mock.world.personOn('reserved')
    const printed = await sendAndId(
      'person',
      { tittel: 'Brev', mottaker: { navn: p.name, digitalId: p.digitalId, adresse } },
      [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    const digitalOnly = await sendAndId(
      'person',
      { tittel: 'Brev', kunDigitalLevering: true, mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 'brev.txt', mimeType: 'text/plain', body: 'hei' }],
    )
    clock.advance(2 * DAY)
    expect(await statusOf(mock, printed)).toBe('PRINTET')
    expect(history(printed)).toEqual(['MOTTATT', 'AKSEPTERT', 'SENDT_PRINT', 'PRINTET'])
    expect(await statusOf(mock, digitalOnly)).toBe('IKKE_LEVERT')
  })

  it('unknown person: AVVIST', async () => {
    const id = await sendAndId(
      'person',
      { tittel: 'Brev', mottaker: { navn: 'Ukjent', digitalId: '21879498012' } },
      [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(mock.world.timings.accept)
    expect(await statusOf(mock, id)).toBe('AVVIST')
  })

  it('organisation with SvarInn: KLAR_FOR_MOTTAK; without: VARSLET through Altinn; unknown: AVVIST', async () => {
    const withSvarInn = mock.world.organisation(true)
    const without = mock.world.organisation(false)
    const a = await sendAndId(
      'organisasjon',
      { tittel: 'Søknad', mottaker: { navn: withSvarInn.name, digitalId: withSvarInn.organisasjonsnummer } },
      [{ filnavn: 'soknad.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    const b = await sendAndId(
      'organisasjon',
      { tittel: 'Søknad', mottaker: { navn: without.name, digitalId: without.organisasjonsnummer } },
      [{ filnavn: 'soknad.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    const c = await sendAndId(
      'organisasjon',
      { tittel: 'Søknad', mottaker: { navn: 'Ukjent AS', digitalId: '974760673' } },
      [{ filnavn: 'soknad.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(2 * 60_000)
    expect(await statusOf(mock, a)).toBe('KLAR_FOR_MOTTAK')
    expect(await statusOf(mock, b)).toBe('VARSLET')
    expect(await statusOf(mock, c)).toBe('AVVIST')
  })

  it('NHN to a fastlege: SENDT_NHN_MOTTAKER → LEVERT_NHN_MOTTAKER; unknown HER id: IKKE_LEVERT', async () => {
    const patient = mock.world.persons[0]
    const nhn = (extra: Record<string, unknown>) => ({
      tittel: 'Epikrise',
      avsenderKontakt: { fornavn: 'Kari', etternavn: 'Lege', telefonnummer: '22222222' },
      pasient: { fodselsnummer: patient?.digitalId, fornavn: 'Pasient', etternavn: 'Testesen' },
      ...extra,
    })
    const ok = await sendAndId('nhn', nhn({ mottakertype: 'FASTLEGE' }), [
      { filnavn: 'epikrise.pdf', mimeType: 'application/pdf', body: PDF },
    ])
    const unknown = await sendAndId('nhn', nhn({ mottakertype: 'HER_ID', mottakerHerId: 1 }), [
      { filnavn: 'epikrise.pdf', mimeType: 'application/pdf', body: PDF },
    ])
    clock.advance(10 * 60_000)
    expect(await statusOf(mock, ok)).toBe('LEVERT_NHN_MOTTAKER')
    expect(history(ok)).toEqual(['MOTTATT', 'AKSEPTERT', 'SENDT_NHN_MOTTAKER', 'LEVERT_NHN_MOTTAKER'])
    expect(await statusOf(mock, unknown)).toBe('IKKE_LEVERT')
  })

  it('print: SENDT_PRINT → PRINTET', async () => {
    const id = await sendAndId(
      'print',
      { tittel: 'Brev i posten', mottaker: { navn: 'Ola Nordmann', adresse } },
      [{ filnavn: 'brev.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(2 * DAY)
    expect(await statusOf(mock, id)).toBe('PRINTET')
    expect(history(id)).toEqual(['MOTTATT', 'AKSEPTERT', 'SENDT_PRINT', 'PRINTET'])
  })

  it('status/sok answers many ids in one request, leaving out unknown ones', async () => {
    const ids = mock.letters().map((l) => l.id)
    const res = await call(
      mock,
      'POST',
      `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/status/sok`,
      {
        id: [...ids, '00000000-0000-4000-8000-000000000000'],
      },
    )
    const body = (await res.json()) as {
      statuser: { id: string; status: string; sisteStatusEndring: string }[]
    }
    expect(body.statuser.map((s) => s.id).sort()).toEqual([...ids].sort())
    if (mock.validation === 'official')
      expect((mock.validator as SpecValidator).response('status.sok', 200, body)).toEqual([])
  })

  it('signing: VENTER_SIGNERING then SIGNERT_AV_MOTTAKER in signeringshendelser', async () => {
    const p = mock.world.personOn('digital')
    const id = await sendAndId(
      'person',
      {
        tittel: 'Avtale',
        mottaker: { navn: p.name, digitalId: p.digitalId },
        signering: {
          signeringUtloper: new Date(clock.now() + 7 * DAY).toISOString(),
          signaturType: 'AVANSERT_SIGNATUR',
        },
      },
      [{ filnavn: 'avtale.pdf', mimeType: 'application/pdf', body: PDF, skalSigneres: true }],
    )
    clock.advance(mock.world.timings.accept)
    mock.world.sign(id)
    const res = await call(mock, 'GET', `/api/v2/forsendelser/${id}/signeringshendelser`)
    const { hendelser } = (await res.json()) as { hendelser: { status: string }[] }
    expect(hendelser.map((h) => h.status)).toEqual(['VENTER_SIGNERING', 'SIGNERT_AV_MOTTAKER'])
  })

  it('forceStatus: an undocumented status string and a regression reach status/sok as they are', async () => {
    const p = mock.world.personOn('digital')
    const id = await sendAndId(
      'person',
      { tittel: 'T', mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 't.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(10 * 60_000)
    expect(await statusOf(mock, id)).toBe('LEVERT_SDP')
    mock.world.forceStatus(id, 'IKKE_LEVERT', 'Levering feilet etter kvittering')
    expect(await statusOf(mock, id)).toBe('IKKE_LEVERT')
    mock.world.forceStatus(id, 'NY_STATUS_2027')
    expect(await statusOf(mock, id)).toBe('NY_STATUS_2027')
    expect(history(id)?.slice(-3)).toEqual(['LEVERT_SDP', 'IKKE_LEVERT', 'NY_STATUS_2027'])
  })

  it('a letter read early stays LEST while the rest of its course runs', async () => {
    const p = mock.world.personOn('digital')
    const id = await sendAndId(
      'person',
      { tittel: 'T', mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 't.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    clock.advance(mock.world.timings.accept)
    mock.world.read(id)
    clock.advance(DAY)
    expect(await statusOf(mock, id)).toBe('LEST')
    expect(mock.world.letter(id)?.hendelser.map((h) => h.hendelse)).toContain(
      'Sendt til digital postkasse (Digipost)',
    )
  })

  it('injectLetter: many letters without HTTP, answered by status/sok in batches', async () => {
    const injected = Array.from({ length: 2500 }, () => mock.world.injectLetter().id)
    clock.advance(10 * 60_000)
    const before = mock.requests().filter((r) => r.operation === 'status.sok').length
    const seen: string[] = []
    for (let i = 0; i < injected.length; i += 1000) {
      const res = await call(
        mock,
        'POST',
        `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/status/sok`,
        {
          id: injected.slice(i, i + 1000),
        },
      )
      const body = (await res.json()) as { statuser: { id: string; status: string }[] }
      seen.push(...body.statuser.filter((s) => s.status === 'LEVERT_SDP').map((s) => s.id))
    }
    expect(seen).toHaveLength(2500)
    expect(mock.requests().filter((r) => r.operation === 'status.sok').length - before).toBe(3)
    const tooMany = await call(
      mock,
      'POST',
      `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/status/sok`,
      {
        id: injected.slice(0, 1001),
      },
    )
    expect(tooMany.status).toBe(400)
  })
})
