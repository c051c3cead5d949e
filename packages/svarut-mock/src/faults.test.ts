import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { call, PDF, send, startMock, statusOf } from '../test/helpers.js'
import { createClock, FAULT_HEADER, type SvarUtMock } from './index.js'

describe('fault injection', () => {
  const clock = createClock({ start: '2026-03-02T09:00:00Z', mode: 'manual' })
  let mock: SvarUtMock
  beforeAll(async () => {
    mock = await startMock({ clock })
  })
  afterEach(async () => {
    mock.clearFaults()
    await mock.world.clear()
  })
  afterAll(async () => {
    await mock.close()
  })

  const letter = (ref: string) => {
    const p = mock.world.personOn('digital')
    return { tittel: 'Vedtak', mottaker: { navn: p.name, digitalId: p.digitalId }, eksternReferanse: ref }
  }
  const lookup = async (ref: string): Promise<string[]> => {
    const res = await call(
      mock,
      'GET',
      `/api/v2/kontoer/${mock.credentials.kontoId}/forsendelser?eksternRef=${encodeURIComponent(ref)}`,
    )
    expect(res.status).toBe(200)
    return ((await res.json()) as { forsendelseIds: string[] }).forsendelseIds
  }

  it('loseResponse: the letter is committed, the response never arrives, the lookup finds exactly one letter', async () => {
    mock.setFault({ kind: 'loseResponse', operation: 'send' })
    await expect(
      send(mock, 'person', letter('ref-lost-1'), [
        { filnavn: 'v.pdf', mimeType: 'application/pdf', body: PDF },
      ]),
    ).rejects.toThrow()
    const ids = await lookup('ref-lost-1')
    expect(ids).toHaveLength(1)
    expect(mock.letters()).toHaveLength(1)
    expect(await statusOf(mock, ids[0] as string)).toBe('MOTTATT')
    expect(
      mock
        .requests()
        .filter((r) => r.operation === 'send.person')
        .map((r) => r.status),
    ).toEqual([0])
  })

  it('resetMidUpload: the connection resets during the body, nothing is recorded, a resend makes exactly one letter', async () => {
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024, 0x20)])
    const handle = mock.setFault({ kind: 'resetMidUpload', afterBytes: 256 * 1024 })
    await expect(
      send(mock, 'person', letter('ref-reset'), [
        { filnavn: 'v.pdf', mimeType: 'application/pdf', body: big },
      ]),
    ).rejects.toThrow()
    expect(handle.remaining()).toBe(0)
    expect(await lookup('ref-reset')).toEqual([])
    const res = await send(mock, 'person', letter('ref-reset'), [
      { filnavn: 'v.pdf', mimeType: 'application/pdf', body: big },
    ])
    expect(res.status).toBe(200)
    expect(await lookup('ref-reset')).toHaveLength(1)
    expect(mock.letters()[0]?.documents[0]?.size).toBe(big.length)
  })

  it('rateLimit: 429 with Retry-After in seconds, or as an HTTP date from the mock clock', async () => {
    mock.setFault({ kind: 'rateLimit', retryAfterSeconds: 7 })
    const a = await call(mock, 'GET', '/api/v2/forsendelsestyper')
    expect(a.status).toBe(429)
    expect(a.headers.get('retry-after')).toBe('7')
    expect(((await a.json()) as { errorCode: string }).errorCode).toBe('SVARUT-1429')
    mock.setFault({ kind: 'rateLimit', retryAfterSeconds: 30, retryAfterAsDate: true })
    const b = await call(mock, 'GET', '/api/v2/forsendelsestyper')
    expect(b.status).toBe(429)
    expect(Date.parse(b.headers.get('retry-after') ?? '')).toBe(clock.now() + 30_000)
    expect((await call(mock, 'GET', '/api/v2/forsendelsestyper')).status).toBe(200)
  })

  it('unavailable for the next N requests, then healthy; a 503 on a send records nothing', async () => {
    mock.setFault({ kind: 'unavailable', times: 2, operation: 'send' })
    const doc = [{ filnavn: 'v.pdf', mimeType: 'application/pdf', body: PDF }]
    expect((await send(mock, 'person', letter('ref-503'), doc)).status).toBe(503)
    expect((await send(mock, 'person', letter('ref-503'), doc)).status).toBe(503)
    expect(await lookup('ref-503')).toEqual([])
    expect((await send(mock, 'person', letter('ref-503'), doc)).status).toBe(200)
    expect(await lookup('ref-503')).toHaveLength(1)
  })

  it('faults aimed at one operation leave the others alone', async () => {
    mock.setFault({ kind: 'unavailable', operation: 'status.sok' })
    expect((await call(mock, 'GET', '/api/v2/forsendelsestyper')).status).toBe(200)
    const res = await call(
      mock,
      'POST',
      `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/status/sok`,
      { id: [] },
    )
    expect(res.status).toBe(503)
  })

  it('per-request fault through the header', async () => {
    const res = await call(mock, 'GET', '/api/v2/forsendelsestyper', undefined, {
      [FAULT_HEADER]: 'unavailable; retryAfterSeconds=3',
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('3')
  })

  it('slow: the answer is held back, so a client deadline fires; without the fault it is prompt', async () => {
    mock.setFault({ kind: 'slow', delayMs: 400 })
    await expect(
      fetch(`${mock.url}/api/v2/forsendelsestyper`, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow(/abort|timeout/i)
    mock.setFault({ kind: 'slow', delayMs: 120 })
    const started = performance.now()
    const res = await call(mock, 'GET', '/api/v2/forsendelsestyper')
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(100)
  })

  it('intakeFailure: accepted with an id, then FEILET_UNDER_MOTTAK', async () => {
    mock.setFault({ kind: 'intakeFailure' })
    const res = await send(mock, 'person', letter('ref-intake'), [
      { filnavn: 'v.pdf', mimeType: 'application/pdf', body: PDF },
    ])
    const { id } = (await res.json()) as { id: string }
    clock.advance(mock.world.timings.accept)
    expect(await statusOf(mock, id)).toBe('FEILET_UNDER_MOTTAK')
  })

  it('duplicate eksternReferanse: both sends are accepted and the lookup returns both ids, oldest first', async () => {
    const doc = [{ filnavn: 'v.pdf', mimeType: 'application/pdf', body: PDF }]
    const a = (await (await send(mock, 'person', letter('ref-dup'), doc)).json()) as { id: string }
    clock.advance(1000)
    const b = (await (await send(mock, 'person', letter('ref-dup'), doc)).json()) as { id: string }
    expect(await lookup('ref-dup')).toEqual([a.id, b.id])
    const meta = await call(
      mock,
      'GET',
      `/api/v2/kontoer/${mock.credentials.kontoId}/forsendelser/metadata?eksternRef=ref-dup`,
    )
    const body = (await meta.json()) as { forsendelser: { id: string; dato: string }[] }
    expect(body.forsendelser.map((f) => f.id)).toEqual([a.id, b.id])
  })
})

describe('control endpoints for use from another process', () => {
  it('moves the clock, installs and clears faults, lists letters', async () => {
    const { startMock } = await import('../test/helpers.js')
    const mock = await startMock({ clock: createClock({ start: '2026-03-02T09:00:00Z', mode: 'manual' }) })
    try {
      const post = (path: string, body: unknown) =>
        fetch(`${mock.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      const moved = (await (await post('/_mock/clock', { advanceMs: 60_000 })).json()) as { now: string }
      expect(moved.now).toBe('2026-03-02T09:01:00.000Z')
      expect((await post('/_mock/faults', { kind: 'unavailable', times: 5 })).status).toBe(204)
      expect((await call(mock, 'GET', '/api/v2/forsendelsestyper')).status).toBe(503)
      expect((await fetch(`${mock.url}/_mock/faults`, { method: 'DELETE' })).status).toBe(204)
      expect((await call(mock, 'GET', '/api/v2/forsendelsestyper')).status).toBe(200)
      expect((await post('/_mock/faults', { kind: 'nonsense' })).status).toBe(400)
      const p = mock.world.personOn('digital')
      await send(mock, 'person', { tittel: 'T', mottaker: { navn: p.name, digitalId: p.digitalId } }, [
        { filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF },
      ])
      const letters = await (await fetch(`${mock.url}/_mock/letters`)).json()
      expect(letters).toMatchObject([
        { kind: 'person', tittel: 'T', status: 'MOTTATT', documents: [{ filnavn: 'a.pdf' }] },
      ])
      expect(JSON.stringify(letters)).not.toContain(p.digitalId)
    } finally {
      await mock.close()
    }
  })
})
