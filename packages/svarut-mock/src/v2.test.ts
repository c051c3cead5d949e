import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call, HAVE_SPECS, PDF, SPECS_DIR, send, startMock, statusOf } from '../test/helpers.js'
import { createClock, loadSpecValidator, type SvarUtMock, startSvarUtMock } from './index.js'

describe('REST v2 operations', () => {
  const clock = createClock({ start: '2026-02-02T10:00:00Z', mode: 'manual' })
  let mock: SvarUtMock
  let id: string
  const check = HAVE_SPECS ? loadSpecValidator(SPECS_DIR) : undefined
  beforeAll(async () => {
    mock = await startMock({ clock })
    const org = mock.world.organisation(false)
    const res = await send(
      mock,
      'organisasjon',
      {
        tittel: 'Melding',
        mottaker: { navn: org.name, digitalId: org.organisasjonsnummer },
        eksternReferanse: 'v2-ref',
        avgivendeSystem: 'Sak 1.0',
      },
      [
        {
          filnavn: 'melding.pdf',
          mimeType: 'application/pdf',
          body: PDF,
          dokumentType: 'U',
          ekstraMetadata: [{ key: 'k', value: 'v' }],
        },
        { filnavn: 'vedlegg.txt', mimeType: 'text/plain', body: 'vedlegg', skalEkskluderesFraUtskrift: true },
      ],
    )
    id = ((await res.json()) as { id: string }).id
  })
  afterAll(async () => {
    await mock.close()
  })

  it('metadata: size, SHA-256 and a download link per document', async () => {
    const res = await call(mock, 'GET', `/api/v2/forsendelser/${id}/metadata`)
    const body = (await res.json()) as { dokumenter: Record<string, unknown>[] }
    check && expect(check.response('metadata', 200, body)).toEqual([])
    expect(body.dokumenter.map((d) => [d.filnavn, d.storrelse, d.sha256Hash, d.dokumentType])).toEqual([
      ['melding.pdf', PDF.length, createHash('sha256').update(PDF).digest('hex'), 'U'],
      ['vedlegg.txt', 7, createHash('sha256').update('vedlegg').digest('hex'), ''],
    ])
    const download = await fetch(String(body.dokumenter[1]?.nedlasningUrl))
    expect(await download.text()).toBe('vedlegg')
  })

  it('eksternref lookup finds the id; an unknown reference gives an empty list', async () => {
    const base = `/api/v2/kontoer/${mock.credentials.kontoId}/forsendelser`
    const found = (await (await call(mock, 'GET', `${base}?eksternRef=v2-ref`)).json()) as {
      forsendelseIds: string[]
    }
    expect(found.forsendelseIds).toEqual([id])
    const none = (await (await call(mock, 'GET', `${base}?eksternRef=ingen`)).json()) as {
      forsendelseIds: string[]
    }
    expect(none.forsendelseIds).toEqual([])
    const meta = (await (await call(mock, 'GET', `${base}/metadata?eksternRef=v2-ref`)).json()) as unknown
    check && expect(check.response('eksternref.metadata', 200, meta)).toEqual([])
    expect(meta).toEqual({
      forsendelser: [{ id, dato: new Date(clock.now()).toISOString(), avgivendeSystem: 'Sak 1.0' }],
    })
  })

  it('mark read: 204, status LEST, no print afterwards', async () => {
    clock.advance(5 * 60_000)
    expect(await statusOf(mock, id)).toBe('VARSLET')
    const res = await call(mock, 'POST', `/api/v2/forsendelser/${id}/lest`, {
      fnr: mock.world.persons[0]?.digitalId,
      tidspunkt: new Date(clock.now()).toISOString(),
      eksterntSystemnavn: 'Min side',
    })
    expect(res.status).toBe(204)
    clock.advance(30 * 86_400_000)
    expect(await statusOf(mock, id)).toBe('LEST')
    const h = (await (await call(mock, 'GET', `/api/v2/forsendelser/${id}/hendelser`)).json()) as unknown
    check && expect(check.response('hendelser', 200, h)).toEqual([])
    expect(JSON.stringify(h)).toContain('Lest i eksternt system (Min side)')
  })

  it('delete documents: ORIGINALDOKUMENTER keeps the status, ALLE makes it SLETTET', async () => {
    expect((await call(mock, 'DELETE', `/api/v2/forsendelser/${id}/dokumenter`)).status).toBe(204)
    const meta = (await (await call(mock, 'GET', `/api/v2/forsendelser/${id}/metadata`)).json()) as {
      dokumenter: unknown[]
    }
    expect(meta.dokumenter).toEqual([])
    expect(await statusOf(mock, id)).toBe('LEST')
    expect((await call(mock, 'DELETE', `/api/v2/forsendelser/${id}/dokumenter?slettetype=ALLE`)).status).toBe(
      204,
    )
    expect(await statusOf(mock, id)).toBe('SLETTET')
  })

  it('forsendelsestyper and mottakersystem', async () => {
    const types = (await (await call(mock, 'GET', '/api/v2/forsendelsestyper')).json()) as unknown
    check && expect(check.response('forsendelsestyper', 200, types)).toEqual([])
    expect(types).toEqual({ forsendelsestyper: mock.world.forsendelsestyper })
    const org = mock.world.organisation(true)
    const sys = (await (
      await call(
        mock,
        'GET',
        `/api/v2/mottakersystem?organisasjonsnummer=${org.organisasjonsnummer}&forsendelseType=Byggesak&niva=4`,
      )
    ).json()) as { mottakersystemer: { id: string }[] }
    check && expect(check.response('mottakersystem', 200, sys)).toEqual([])
    expect(sys.mottakersystemer.map((s) => s.id)).toEqual([org.svarInn[0]?.id])
    const none = (await (
      await call(
        mock,
        'GET',
        `/api/v2/mottakersystem?organisasjonsnummer=${mock.world.organisation(false).organisasjonsnummer}`,
      )
    ).json()) as { mottakersystemer: unknown[] }
    expect(none.mottakersystemer).toEqual([])
  })

  it('a letter of another account is not found', async () => {
    const other = await startMock({
      clock,
      world: {
        integrations: [
          {
            integrasjonId: 'b0b0b0b0-0000-4000-8000-000000000001',
            passord: 'p',
            organisasjonsnummer: '974760673',
            kontoIds: [],
            svarInnSystemIds: [],
          },
        ],
      },
    })
    try {
      const res = await call(other, 'GET', `/api/v2/forsendelser/${id}/hendelser`)
      expect(res.status).toBe(404)
      const sok = await call(
        other,
        'POST',
        `/api/v3/kontoer/${other.world.accounts[0]?.kontoId}/forsendelser/status/sok`,
        { id: [id] },
      )
      expect(sok.status).toBe(403)
    } finally {
      await other.close()
    }
  })

  it('public key: the mock certificate as PEM, no credentials needed', async () => {
    const res = await fetch(`${mock.url}/forsendelse/publickey/hent`)
    const pem = await res.text()
    expect(pem).toBe(mock.certificatePem)
    const { X509Certificate } = await import('node:crypto')
    const cert = new X509Certificate(pem)
    expect(cert.verify(cert.publicKey)).toBe(true)
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa')
  })

  it('by default generates its own RSA key and a self-signed certificate for it', async () => {
    const fresh = await startSvarUtMock({ clock })
    try {
      const { X509Certificate, createPrivateKey } = await import('node:crypto')
      const cert = new X509Certificate(fresh.certificatePem)
      expect(cert.checkPrivateKey(createPrivateKey(fresh.privateKeyPem))).toBe(true)
      expect(fresh.certificatePem).not.toBe(mock.certificatePem)
    } finally {
      await fresh.close()
    }
  })
})
