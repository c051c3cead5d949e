import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { PDF, send, startMock } from '../test/helpers.js'
import { type SvarUtMock, schemaValidator } from './index.js'

// Stands in for the zod schemas of @felles/svarut (FORSENDELSE_SCHEMAS).
const Person = z.object({
  tittel: z.string().min(1).max(1000),
  mottaker: z.object({ navn: z.string().min(1).max(100), digitalId: z.string().min(9).max(11) }),
  dokumenter: z.array(z.object({ filnavn: z.string().min(1).max(226), mimeType: z.string().min(1) })),
})

describe('schemaValidator: zod schemas as the validator', () => {
  let mock: SvarUtMock
  beforeAll(async () => {
    mock = await startMock({ validator: schemaValidator({ person: Person }, { name: 'zod' }) })
  })
  afterAll(async () => {
    await mock.close()
  })

  it('reports its name and checks sends with the schema, naming the field', async () => {
    expect(mock.validation).toBe('zod')
    const p = mock.world.personOn('digital')
    const bad = await send(
      mock,
      'person',
      { tittel: '', mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { errorJson: { feil: { felt: string }[] } }
    expect(body.errorJson.feil.map((f) => f.felt)).toEqual(['forsendelse.tittel'])
    const ok = await send(
      mock,
      'person',
      { tittel: 'T', mottaker: { navn: p.name, digitalId: p.digitalId } },
      [{ filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    expect(ok.status).toBe(200)
  })

  it('falls back to the builtin schemas for the other operations', async () => {
    const res = await fetch(`${mock.apiUrl}/v2/mottakersystem?niva=99`, {
      headers: {
        authorization: `Bearer ${mock.credentials.token}`,
        integrasjonid: mock.credentials.integrasjonId,
        integrasjonpassord: mock.credentials.integrasjonPassord,
      },
    })
    expect(res.status).toBe(400)
  })
})
