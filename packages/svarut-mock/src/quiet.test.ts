import { describe, expect, it, vi } from 'vitest'
import { call, PDF, send, startMock } from '../test/helpers.js'

describe('library mode is quiet', () => {
  it('writes nothing to stdout, stderr or the console while serving, failing and faulting', async () => {
    const spies = [
      vi.spyOn(process.stdout, 'write'),
      vi.spyOn(process.stderr, 'write'),
      ...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => vi.spyOn(console, m)),
    ]
    try {
      const mock = await startMock()
      const p = mock.world.personOn('digital')
      await send(mock, 'person', { tittel: 'T', mottaker: { navn: p.name, digitalId: p.digitalId } }, [
        { filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF },
      ])
      await send(mock, 'person', { tittel: '' }, [
        { filnavn: 'a.pdf', mimeType: 'application/pdf', body: PDF },
      ])
      mock.setFault({ kind: 'loseResponse' })
      await call(mock, 'GET', '/api/v2/forsendelsestyper').catch(() => undefined)
      await fetch(`${mock.url}/`)
      await mock.close()
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})
