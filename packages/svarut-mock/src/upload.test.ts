import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PDF, send, startMock } from '../test/helpers.js'
import { createClock, type SvarUtMock } from './index.js'

const MiB = 1024 * 1024
/** Size of the streamed upload; FELLES_SVARUT_MOCK_UPLOAD_MIB overrides the 1 GiB default. */
const SIZE = Number(process.env.FELLES_SVARUT_MOCK_UPLOAD_MIB ?? 1024) * MiB

describe('large streamed upload', () => {
  let mock: SvarUtMock
  beforeAll(async () => {
    mock = await startMock({ clock: createClock({ mode: 'manual' }) })
  })
  afterAll(async () => {
    await mock.close()
  })

  it(`takes ${SIZE / MiB} MiB without holding it in memory (RSS growth under 64 MiB)`, {
    timeout: 120_000,
  }, async () => {
    const chunk = Buffer.alloc(MiB, 0x20)
    async function* body(): AsyncGenerator<Uint8Array> {
      yield PDF
      for (let sent = PDF.length; sent < SIZE; sent += MiB)
        yield chunk.subarray(0, Math.min(MiB, SIZE - sent))
    }
    const p = mock.world.personOn('digital')
    const letter = {
      tittel: 'Stor fil',
      kunDigitalLevering: true,
      mottaker: { navn: p.name, digitalId: p.digitalId },
    }
    // Warm up the HTTP client and the mock's code paths, so one-time growth is not counted.
    const warm = await send(mock, 'person', letter, [
      {
        filnavn: 'varm.pdf',
        mimeType: 'application/pdf',
        body: Buffer.concat([PDF, Buffer.alloc(8 * MiB, 0x20)]),
      },
    ])
    expect(warm.status).toBe(200)
    await mock.world.clear()
    const before = process.memoryUsage().rss
    let peak = before
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss)
    }, 20)
    const res = await send(mock, 'person', letter, [
      { filnavn: 'stor.pdf', mimeType: 'application/pdf', body: body() },
    ])
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().rss)
    const answer = (await res.json()) as { id: string; message?: string }
    expect(res.status, answer.message).toBe(200)
    const doc = mock.world.letter(answer.id)?.documents[0]
    expect(doc?.size).toBe(Math.max(SIZE, PDF.length))
    expect(peak - before).toBeLessThan(64 * MiB)
  })
})
