import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IdPortenError } from '../src/index.js'
import { Browser } from './support/browser.js'
import { type IdportenMock, login, startIdportenMock, startRelyingParty } from './support/fixture.js'

// openid-client calls fetch itself (no wrapper on the hot path), so a 5xx
// from the provider is recognised from openid-client's error: it must still
// be a retryable ERR_TOKEN_REQUEST_FAILED, never an invalid ID token.
describe('provider failures are told apart from bad tokens', () => {
  let mock: IdportenMock
  beforeAll(async () => {
    mock = await startIdportenMock()
  })
  afterAll(async () => {
    await mock?.close()
  })

  it.each([
    ['the global fetch', false],
    ["the app's own fetch", true],
  ] as const)('a token endpoint 5xx is a retryable ERR_TOKEN_REQUEST_FAILED with %s', async (_name, own) => {
    const errors: IdPortenError[] = []
    const rp = await startRelyingParty(mock, {
      options: {
        onError: (error) => errors.push(error),
        ...(own ? { fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) } : {}),
      },
    })
    try {
      mock.setFault(rp.client.clientId, 'token-5xx', { times: 1 })
      const browser = new Browser()
      const stop = await login(browser, rp, { stopAtCallback: true })
      const page = await browser.navigate(stop.url)
      expect(page.status).toBeGreaterThanOrEqual(400)
      expect(errors.map((e) => [e.code, e.retryable])).toEqual([['ERR_TOKEN_REQUEST_FAILED', true]])
    } finally {
      await rp.close()
    }
  })
})
