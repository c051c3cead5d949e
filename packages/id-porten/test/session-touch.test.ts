// How often a session's activity is written to the store (`session.touchIntervalMs`), against the
// mock over HTTP with a fake clock: the idle limit counts from the last write, writes are throttled,
// and bad settings are refused.
import { createManualClock, type ManualClock } from '@felles/id-porten-mock'
import { afterEach, describe, expect, it } from 'vitest'
import { createIdPorten, localPreset, MemorySessionStore, privateKeyJwt } from '../src/index.js'
import { Browser } from './support/browser.js'
import {
  COOKIE_SECRET,
  type IdportenMock,
  login,
  me,
  type RelyingParty,
  startIdportenMock,
  startRelyingParty,
} from './support/fixture.js'

/** The memory store, counting the writes of activity. */
class CountingStore extends MemorySessionStore {
  touches = 0
  override touch(id: string, lastSeenAt: number, expiresAt: number): void {
    this.touches++
    super.touch(id, lastSeenAt, expiresAt)
  }
}

describe('session activity writes (touchIntervalMs)', () => {
  let mock: IdportenMock | undefined
  let rp: RelyingParty | undefined
  let clock: ManualClock
  let store: CountingStore

  const start = async (session: { touchIntervalMs?: number } = {}): Promise<Browser> => {
    clock = createManualClock()
    store = new CountingStore({ clock })
    mock = await startIdportenMock({ clock })
    rp = await startRelyingParty(mock, { options: { clock, store, session } })
    const browser = new Browser()
    await login(browser, rp)
    return browser
  }
  afterEach(async () => {
    await rp?.close()
    await mock?.close()
  })

  it('writes at most once a minute by default, and the idle limit counts from the last write', async () => {
    const browser = await start()
    const r = rp as RelyingParty
    clock.advance(10_000)
    expect(await me(browser, r)).toBeDefined()
    expect(store.touches).toBe(0) // 10 s after login: nothing written
    clock.advance(51_000)
    expect(await me(browser, r)).toBeDefined()
    expect(store.touches).toBe(1) // 61 s: written
    clock.advance(30_000)
    expect(await me(browser, r)).toBeDefined()
    expect(store.touches).toBe(1) // 30 s after the write: not again
    // 30 minutes after the last write (29.5 after the last request) the session has ended.
    clock.advance(30 * 60_000 - 30_000)
    expect(await me(browser, r)).toBeUndefined()
  })

  it('a session in use lasts to its absolute limit: each request a minute or more after the last write writes', async () => {
    const browser = await start()
    const r = rp as RelyingParty
    for (let i = 0; i < 4; i++) {
      clock.advance(29 * 60_000)
      expect(await me(browser, r)).toBeDefined()
    }
    expect(store.touches).toBe(4) // 116 minutes since login
    clock.advance(5 * 60_000)
    expect(await me(browser, r)).toBeUndefined() // 121: past the absolute limit
  })

  it('touchIntervalMs: 0 writes on every request', async () => {
    const browser = await start({ touchIntervalMs: 0 })
    const r = rp as RelyingParty
    for (let i = 0; i < 3; i++) {
      clock.advance(1)
      expect(await me(browser, r)).toBeDefined()
    }
    expect(store.touches).toBe(3)
  })

  it('refuses a negative interval or one not below the idle limit', async () => {
    mock = await startIdportenMock()
    rp = await startRelyingParty(mock)
    const base = {
      preset: localPreset(mock.issuer),
      clientId: rp.client.clientId,
      clientAuth: privateKeyJwt({ keys: [{ key: rp.client.keys[0]?.privateJwk as JsonWebKey, kid: 'k' }] }),
      baseUrl: rp.app.url,
      cookieSecret: COOKIE_SECRET,
    }
    for (const session of [
      { touchIntervalMs: -1 },
      { touchIntervalMs: Number.NaN },
      { touchIntervalMs: 30 * 60_000 },
      { idleTimeoutMs: 60_000, touchIntervalMs: 60_000 },
    ]) {
      await expect(createIdPorten({ ...base, session })).rejects.toThrow(/touchIntervalMs/)
    }
    await expect(createIdPorten({ ...base, session: { touchIntervalMs: 5_000 } })).resolves.toBeDefined()
  })
})
