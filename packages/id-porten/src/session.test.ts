import { describe, expect, it } from 'vitest'
import { MemorySessionStore, type SessionRecord } from './session.js'

const record = (id: string, sid?: string): SessionRecord => ({
  id,
  issuer: 'https://test.idporten.no',
  sub: `sub-${id}`,
  acr: 'idporten-loa-substantial',
  amr: ['TestID'],
  claims: {},
  idToken: 'x',
  csrfToken: 'c',
  createdAt: 0,
  lastSeenAt: 0,
  ...(sid === undefined ? {} : { sid }),
})

describe('MemorySessionStore', () => {
  it('stores, indexes by sid, and deletes', () => {
    let now = 0
    const store = new MemorySessionStore({ clock: { now: () => now } })
    store.set(record('a', 's1'), 1000)
    store.set(record('b', 's1'), 1000)
    store.set(record('c', 's2'), 1000)
    expect([...store.findIdsBySid('s1')].sort()).toEqual(['a', 'b'])
    store.delete('a')
    expect(store.findIdsBySid('s1')).toEqual(['b'])
    expect(store.get('a')).toBeUndefined()
    expect(store.get('c')?.sub).toBe('sub-c')
    // Replacing a record with another sid moves it in the index.
    store.set(record('c', 's3'), 1000)
    expect(store.findIdsBySid('s2')).toEqual([])
    expect(store.findIdsBySid('s3')).toEqual(['c'])
    now = 1000
    expect(store.get('b')).toBeUndefined()
    expect(store.findIdsBySid('s1')).toEqual([])
  })

  it('records activity with touch', () => {
    let now = 0
    const store = new MemorySessionStore({ clock: { now: () => now } })
    store.set(record('a'), 100)
    store.touch('a', 50, 200)
    now = 150
    expect(store.get('a')?.lastSeenAt).toBe(50)
    now = 200
    expect(store.get('a')).toBeUndefined()
    store.touch('unknown', 1, 2)
  })

  it('drops the oldest sessions beyond its bound', () => {
    const store = new MemorySessionStore({ maxSessions: 3, clock: { now: () => 0 } })
    for (const id of ['a', 'b', 'c', 'd', 'e']) store.set(record(id), 10)
    expect(store.size).toBe(3)
    expect(store.get('a')).toBeUndefined()
    expect(store.get('e')).toBeDefined()
  })

  it('consumes a one-time key once until it expires', () => {
    let now = 0
    const store = new MemorySessionStore({ clock: { now: () => now } })
    expect(store.consume('k', 100)).toBe(true)
    expect(store.consume('k', 100)).toBe(false)
    now = 100
    expect(store.consume('k', 200)).toBe(true)
  })
})
