import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PDF, send, startMock } from '../test/helpers.js'
import { createClock, type SvarUtMock } from './index.js'

describe('letters page', () => {
  let mock: SvarUtMock
  let id: string
  let digitalId: string
  beforeAll(async () => {
    mock = await startMock({ clock: createClock({ start: '2026-06-01T08:00:00Z', mode: 'manual' }) })
    const p = mock.world.personOn('digital')
    digitalId = p.digitalId
    const res = await send(
      mock,
      'person',
      { tittel: 'Vedtak <b>om</b> plass', mottaker: { navn: p.name, digitalId } },
      [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', body: PDF }],
    )
    id = ((await res.json()) as { id: string }).id
  })
  afterAll(async () => {
    await mock.close()
  })

  it('lists letters with status and a link to each document; escaped, masked, no inline script', async () => {
    const res = await fetch(`${mock.url}/`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("default-src 'none'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await res.text()
    expect(html).toContain('<html lang="nb">')
    expect(html).toContain('<th scope="col">Status</th>')
    expect(html).toContain('MOTTATT')
    expect(html).toContain('Vedtak &#60;b&#62;om&#60;/b&#62; plass')
    expect(html).toContain(`href="/forsendelse/${id}/1"`)
    expect(html).not.toMatch(/<script|\son\w+=|style="/i)
    expect(html).not.toContain(digitalId)
    expect(html).toContain(`${digitalId.slice(0, 6)}*****`)
  })

  it('opens the document as the citizen would get it, sandboxed', async () => {
    const res = await fetch(`${mock.url}/forsendelse/${id}/1`)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-security-policy')).toBe('sandbox')
    expect(Buffer.from(await res.arrayBuffer()).equals(PDF)).toBe(true)
    expect((await fetch(`${mock.url}/forsendelse/${id}/2`)).status).toBe(404)
  })

  it('the letter page shows hendelser; its form marks the letter read', async () => {
    const page = await (await fetch(`${mock.url}/brev/${id}`)).text()
    expect(page).toContain('Forsendelse mottatt')
    expect(page).toContain(`action="/brev/${id}/les"`)
    const res = await fetch(`${mock.url}/brev/${id}/les`, { method: 'POST', redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(mock.world.letter(id)?.status).toBe('LEST')
    const css = await fetch(`${mock.url}/_mock/style.css`)
    expect(css.headers.get('content-type')).toContain('text/css')
  })
})
