import { describe, expect, it } from 'vitest'
import { createSealer } from './sealed.js'

const secret = 'x'.repeat(32)

describe.each([
  ['node:crypto fast path', {}],
  ['Web Crypto only', { webCryptoOnly: true }],
] as const)('sealed cookies (AES-256-GCM, HKDF keys), %s', (_name, options) => {
  it('round-trips and hides the payload', async () => {
    const sealer = createSealer([secret], options)
    const sealed = await sealer.seal('tx', { state: 'abc', nonce: 'def' })
    expect(sealed).not.toContain('abc')
    expect(await sealer.unseal('tx', sealed)).toEqual({ state: 'abc', nonce: 'def' })
  })

  it('rejects tampering, another purpose and another secret', async () => {
    const sealer = createSealer([secret], options)
    const sealed = await sealer.seal('tx', { a: 1 })
    const at = sealed.length - 2
    const flipped = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1)
    expect(flipped).not.toBe(sealed)
    expect(await sealer.unseal('tx', flipped)).toBeUndefined()
    expect(await sealer.unseal('logout', sealed)).toBeUndefined()
    expect(await createSealer(['y'.repeat(32)], options).unseal('tx', sealed)).toBeUndefined()
    expect(await sealer.unseal('tx', 'not base64url!')).toBeUndefined()
    expect(await sealer.unseal('tx', '')).toBeUndefined()
  })

  it('decrypts with an older secret during rotation', async () => {
    const old = await createSealer([secret]).seal('tx', { a: 1 })
    expect(await createSealer(['n'.repeat(32), secret], options).unseal('tx', old)).toEqual({ a: 1 })
  })

  it('refuses short secrets', () => {
    expect(() => createSealer(['short'])).toThrow(TypeError)
    expect(() => createSealer([])).toThrow(TypeError)
  })
})
