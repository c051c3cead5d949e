import { describe, expect, it } from 'vitest'
import { ANSATTPORTEN, ANSATTPORTEN_TEST, ID_PORTEN, ID_PORTEN_TEST, localPreset } from './presets.js'

describe('presets', () => {
  it('carry the exact issuers, without trailing slashes', () => {
    expect(ID_PORTEN.issuer).toBe('https://idporten.no')
    expect(ID_PORTEN_TEST.issuer).toBe('https://test.idporten.no')
    expect(ANSATTPORTEN.issuer).toBe('https://ansattporten.no')
    expect(ANSATTPORTEN_TEST.issuer).toBe('https://test.ansattporten.no')
  })

  it('accept synthetic persons only in test and local', () => {
    expect(ID_PORTEN.allowSyntheticPid).toBe(false)
    expect(ANSATTPORTEN.allowSyntheticPid).toBe(false)
    expect(ID_PORTEN_TEST.allowSyntheticPid).toBe(true)
    expect(ANSATTPORTEN_TEST.allowSyntheticPid).toBe(true)
    expect(localPreset('http://127.0.0.1:4000').allowSyntheticPid).toBe(true)
  })

  it('allow plain http only on loopback and keep the issuer exactly as given', () => {
    expect(localPreset('http://localhost:4000/').issuer).toBe('http://localhost:4000/')
    expect(localPreset('http://127.0.0.1:4000').allowInsecureRequests).toBe(true)
    expect(localPreset('https://idp.test').allowInsecureRequests).toBe(false)
    expect(() => localPreset('http://10.0.0.1:4000')).toThrow(TypeError)
    expect(() => localPreset('not a url')).toThrow(TypeError)
    expect(localPreset('http://127.0.0.1:1/ansattporten', 'ansattporten').product).toBe('ansattporten')
  })
})
