import { describe, expect, it } from 'vitest'
import { acrRank, meetsAcr, normalizeAcr } from './acr.js'

describe('acr ranking', () => {
  it('ranks substantial below high, maps legacy levels, and treats any *-high as high', () => {
    expect(acrRank('idporten-loa-substantial')).toBe(1)
    expect(acrRank('idporten-loa-high')).toBe(2)
    expect(acrRank('Level3')).toBe(1)
    expect(acrRank('Level4')).toBe(2)
    expect(acrRank('eidas-loa-high')).toBe(2)
    expect(acrRank('eidas-loa-substantial')).toBe(1)
    expect(acrRank('idporten-loa-low')).toBe(0)
    expect(acrRank('Level2')).toBe(0)
    expect(acrRank(undefined)).toBe(0)
    expect(acrRank('')).toBe(0)
  })

  it('normalises the legacy names only', () => {
    expect(normalizeAcr('Level3')).toBe('idporten-loa-substantial')
    expect(normalizeAcr('Level4')).toBe('idporten-loa-high')
    expect(normalizeAcr('eidas-loa-high')).toBe('eidas-loa-high')
  })

  it('requires at least the asked rank', () => {
    expect(meetsAcr('idporten-loa-substantial', 'idporten-loa-high')).toBe(false)
    expect(meetsAcr('idporten-loa-high', 'idporten-loa-substantial')).toBe(true)
    expect(meetsAcr('Level4', 'idporten-loa-high')).toBe(true)
    expect(meetsAcr('eidas-loa-high', 'Level4')).toBe(true)
    expect(meetsAcr('idporten-loa-low', 'idporten-loa-substantial')).toBe(false)
    expect(meetsAcr(undefined, 'idporten-loa-substantial')).toBe(false)
    // An unknown requirement is never met, rather than always.
    expect(meetsAcr('idporten-loa-high', 'something-else')).toBe(false)
  })
})
