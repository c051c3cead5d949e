import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adresse, call, HAVE_SPECS, PDF, SPECS_DIR, send, startMock } from '../test/helpers.js'
import type { SvarUtMock } from './index.js'

interface FiksError {
  status: number
  errorId: string
  errorCode: string
  message: string
  path: string
  errorJson: { feil: { felt: string; melding: string }[] } | null
}

const modes = [
  { name: 'official OpenAPI documents', specs: SPECS_DIR as string | false, skip: !HAVE_SPECS },
  { name: 'builtin fallback schemas', specs: false as string | false, skip: false },
]

for (const mode of modes) {
  describe.skipIf(mode.skip)(`request validation with the ${mode.name}`, () => {
    let mock: SvarUtMock
    beforeAll(async () => {
      mock = await startMock({ specs: mode.specs })
    })
    afterAll(async () => {
      await mock.close()
    })

    const expect400 = async (res: Response, field: string): Promise<FiksError> => {
      const body = (await res.json()) as FiksError
      expect(res.status).toBe(400)
      expect(body.status).toBe(400)
      expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/)
      expect(body.errorCode).toMatch(/^[A-Z]{1,10}-[0-9]{4}$/)
      expect(body.errorJson?.feil.map((f) => f.felt)).toContain(field)
      expect(body.message).toContain(field)
      return body
    }

    it('uses the expected rule source', () => {
      expect(mock.validation).toBe(mode.specs === false ? 'builtin' : 'official')
    })

    it('names a too-long tittel, a missing mottaker.navn and a bad konteringskode', async () => {
      const p = mock.world.personOn('digital')
      const res = await send(
        mock,
        'person',
        { tittel: 'x'.repeat(1001), mottaker: { digitalId: p.digitalId }, konteringskode: 'a b' },
        [{ filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF }],
      )
      const body = await expect400(res, 'forsendelse.tittel')
      const fields = body.errorJson?.feil.map((f) => f.felt)
      expect(fields).toContain('forsendelse.mottaker.navn')
      expect(fields).toContain('forsendelse.konteringskode')
      expect(mock.letters()).toHaveLength(0)
    })

    it('rejects more than five lenker and a bad landkode', async () => {
      const p = mock.world.personOn('digital')
      const lenke = { url: 'https://example.org', tekst: 'Les mer' }
      const res = await send(
        mock,
        'person',
        {
          tittel: 'T',
          mottaker: { navn: 'N', digitalId: p.digitalId, adresse: { ...adresse, landkode: 'nor' } },
          lenker: [lenke, lenke, lenke, lenke, lenke, lenke],
        },
        [{ filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF }],
      )
      const body = await expect400(res, 'forsendelse.lenker')
      expect(body.errorJson?.feil.map((f) => f.felt)).toContain('forsendelse.mottaker.adresse.landkode')
    })

    it('checks identifiers, file names, print rules and HOYESTE without encryption', async () => {
      const res = await send(
        mock,
        'person',
        { tittel: 'T', sikkerhetsniva: 'HOYESTE', mottaker: { navn: 'N', digitalId: '12345678901' } },
        [
          { filnavn: 'a:b.pdf', mimeType: 'application/pdf', body: PDF },
          { filnavn: 'notat.txt', mimeType: 'text/plain', body: 'x' },
        ],
      )
      const body = await expect400(res, 'forsendelse.mottaker.digitalId')
      const fields = body.errorJson?.feil.map((f) => f.felt)
      expect(fields).toEqual(
        expect.arrayContaining([
          'forsendelse.sikkerhetsniva',
          'forsendelse.dokumenter[0].filnavn',
          'forsendelse.dokumenter[1].mimeType',
        ]),
      )
      expect(JSON.stringify(body)).not.toContain('12345678901')
    })

    it('refuses file parts out of dokumenter order', async () => {
      const p = mock.world.personOn('digital')
      const { multipart, authHeaders } = await import('../test/helpers.js')
      const { body, contentType } = multipart([
        {
          name: 'forsendelse',
          contentType: 'application/json',
          body: JSON.stringify({
            tittel: 'T',
            mottaker: { navn: 'N', digitalId: p.digitalId },
            dokumenter: [
              { filnavn: 'en.pdf', mimeType: 'application/pdf' },
              { filnavn: 'to.pdf', mimeType: 'application/pdf' },
            ],
          }),
        },
        { name: 'dokumenter', filename: 'to.pdf', contentType: 'application/pdf', body: PDF },
        { name: 'dokumenter', filename: 'en.pdf', contentType: 'application/pdf', body: PDF },
      ])
      const res = await fetch(`${mock.apiUrl}/v3/kontoer/${mock.credentials.kontoId}/forsendelser/person`, {
        method: 'POST',
        headers: { ...authHeaders(mock), 'content-type': contentType },
        body,
        duplex: 'half',
      } as RequestInit)
      await expect400(res, 'forsendelse.dokumenter[0].filnavn')
    })

    it('checks NHN, print and organisation payloads by their own schema', async () => {
      const nhn = await send(mock, 'nhn', { tittel: 'E', mottakertype: 'LEGEVAKT' }, [
        { filnavn: 'e.pdf', mimeType: 'application/pdf', body: PDF },
      ])
      const nb = await expect400(nhn, 'forsendelse.mottakertype')
      expect(nb.errorJson?.feil.map((f) => f.felt)).toContain('forsendelse.pasient')
      const print = await send(
        mock,
        'print',
        { tittel: 'P', mottaker: { navn: 'N', adresse: { poststed: 'Oslo' } } },
        [{ filnavn: 'p.pdf', mimeType: 'application/pdf', body: PDF }],
      )
      await expect400(print, 'forsendelse.mottaker.adresse.adresselinje1')
      const org = mock.world.organisation(true)
      const orgRes = await send(
        mock,
        'organisasjon',
        {
          tittel: 'O',
          mottaker: { navn: 'N', digitalId: org.organisasjonsnummer },
          taushetsbelagtPost: 'ja',
        },
        [{ filnavn: 'o.pdf', mimeType: 'application/pdf', body: PDF }],
      )
      await expect400(orgRes, 'forsendelse.taushetsbelagtPost')
    })

    it('refuses an NHN document over 18 MB (413) and a non-PDF NHN document', async () => {
      const patient = mock.world.persons[0]?.digitalId
      const nhn = {
        tittel: 'Epikrise',
        mottakertype: 'FASTLEGE',
        avsenderKontakt: { fornavn: 'Kari', etternavn: 'Lege', telefonnummer: '22222222' },
        pasient: { fodselsnummer: patient, fornavn: 'P', etternavn: 'T' },
      }
      const big = Buffer.concat([PDF, Buffer.alloc(18 * 1024 * 1024, 0x20)])
      const res = await send(mock, 'nhn', nhn, [
        { filnavn: 'stor.pdf', mimeType: 'application/pdf', body: big },
      ])
      expect(res.status).toBe(413)
      expect(((await res.json()) as FiksError).errorCode).toBe('SVARUT-1413')
      const txt = await send(mock, 'nhn', nhn, [{ filnavn: 'notat.txt', mimeType: 'text/plain', body: 'x' }])
      await expect400(txt, 'dokument')
      expect(mock.letters()).toHaveLength(0)
    })

    it('checks JSON bodies, path and query parameters of the other operations', async () => {
      const konto = mock.credentials.kontoId
      await expect400(
        await call(mock, 'POST', `/api/v3/kontoer/${konto}/forsendelser/status/sok`, { id: ['nope'] }),
        'id[0]',
      )
      await expect400(await call(mock, 'POST', `/api/v3/kontoer/${konto}/forsendelser/status/sok`, {}), 'id')
      await expect400(await call(mock, 'GET', `/api/v2/kontoer/${konto}/forsendelser`), 'eksternRef')
      await expect400(
        await call(mock, 'GET', '/api/v2/kontoer/ikke-en-uuid/forsendelser?eksternRef=x'),
        'kontoId',
      )
      await expect400(await call(mock, 'GET', '/api/v2/mottakersystem?niva=12'), 'niva')
      await expect400(await call(mock, 'GET', '/api/v2/forsendelser/x/hendelser'), 'forsendelseId')
      const id = '3f2b1c0d-9e8f-4a6b-8c2d-1e0f9a8b7c6d'
      await expect400(
        await call(mock, 'DELETE', `/api/v2/forsendelser/${id}/dokumenter?slettetype=NOEN`),
        'slettetype',
      )
      await expect400(
        await call(mock, 'POST', `/api/v2/forsendelser/${id}/lest`, { fnr: '123' }),
        'tidspunkt',
      )
    })

    it('answers 404 and 405 in the Fiks error shape', async () => {
      const nf = await call(mock, 'GET', '/api/v9/ukjent')
      expect(nf.status).toBe(404)
      expect(((await nf.json()) as FiksError).errorCode).toBe('SVARUT-1404')
      const na = await call(mock, 'GET', `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/person`)
      expect(na.status).toBe(405)
    })
  })
}
