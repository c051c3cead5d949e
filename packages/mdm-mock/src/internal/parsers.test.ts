import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FaultState } from '../faults.js'
import { parseFields } from '../vendors/google.js'
import { hashString, scramble, unscramble } from './hash.js'
import { evaluateFilter, FilterSyntaxError, parseFilter } from './odata.js'
import { evaluateRsql, parseRsql, RsqlSyntaxError } from './rsql.js'
import { SlidingWindow } from './window.js'

const record = {
  deviceName: "O'Brien-PC",
  osVersion: '10.0.22631',
  isSupervised: false,
  complianceState: 'compliant',
  lastSyncDateTime: '2025-03-01T10:00:00Z',
  notes: null,
}
const get = (p: string): unknown => (record as Record<string, unknown>)[p]

describe('OData $filter', () => {
  it('evaluates comparisons, functions, booleans, dates, null and precedence', () => {
    const yes = [
      "deviceName eq 'O''Brien-PC'",
      "startswith(deviceName,'o''b')",
      "contains(deviceName, 'PC') and isSupervised eq false",
      "complianceState ne 'noncompliant'",
      'lastSyncDateTime lt 2025-03-02T00:00:00Z',
      'notes eq null',
      "complianceState eq 'x' or (osVersion ge '10.0' and not (isSupervised eq true))",
    ]
    for (const f of yes) expect(evaluateFilter(parseFilter(f), get), f).toBe(true)
    expect(
      evaluateFilter(
        parseFilter("complianceState eq 'x' or osVersion ge '10.0' and isSupervised eq true"),
        get,
      ),
    ).toBe(false)
    expect(evaluateFilter(parseFilter("complianceState ne 'compliant'"), get, { neAsEq: true })).toBe(true)
    expect(evaluateFilter(parseFilter("deviceName eq 'x'"), get, { ignore: new Set(['deviceName']) })).toBe(
      true,
    )
  })

  it('rejects what it cannot parse with FilterSyntaxError, never anything else (property)', () => {
    for (const bad of [
      "deviceName eq 'x",
      'deviceName',
      'deviceName xx 1',
      "roleScopeTagIds/any(t:t eq '1')",
      'and',
      "(deviceName eq 'x'",
    ]) {
      expect(() => parseFilter(bad), bad).toThrow(FilterSyntaxError)
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          evaluateFilter(parseFilter(text), get)
        } catch (e) {
          expect(e).toBeInstanceOf(FilterSyntaxError)
        }
      }),
    )
  })

  it('eq on any quoted string matches exactly that value (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (a, b) => {
        const f = parseFilter(`deviceName eq '${b.replace(/'/g, "''")}'`)
        expect(evaluateFilter(f, () => a)).toBe(a.toLowerCase() === b.toLowerCase())
      }),
    )
  })
})

describe('RSQL filter', () => {
  const fields: Record<string, string> = {
    serialNumber: 'DMQVGC0DHLA0',
    managed: 'true',
    osVersion: '17.7.2',
    displayName: 'BERG-IPAD-1',
  }
  const val = (f: string): string | undefined => fields[f]
  it('evaluates ;/and, ,/or, wildcards, lists and ordering', () => {
    const yes = [
      'serialNumber=="DMQVGC0DHLA0"',
      'serialNumber==DMQ*',
      'managed==true;displayName=="BERG*"',
      'managed==false,osVersion=ge=17.0',
      'displayName=in=("X","BERG-IPAD-1")',
      'displayName=out=(X,Y) and managed!=false',
      '(managed==false or serialNumber==*HLA0);osVersion=lt=18',
    ]
    for (const f of yes) expect(evaluateRsql(parseRsql(f), val), f).toBe(true)
    expect(evaluateRsql(parseRsql('managed==false;serialNumber==DMQ*'), val)).toBe(false)
    expect(evaluateRsql(parseRsql('managed==false'), val, new Set(['managed']))).toBe(true)
  })

  it('throws only RsqlSyntaxError on garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          evaluateRsql(parseRsql(text), val)
        } catch (e) {
          expect(e).toBeInstanceOf(RsqlSyntaxError)
        }
      }),
    )
  })
})

describe('Google partial-response fields', () => {
  it('parses nested selections', () => {
    const m = parseFields('nextPageToken,chromeosdevices(deviceId,recentUsers/email),kind')
    expect([...m.keys()]).toEqual(['nextPageToken', 'chromeosdevices', 'kind'])
    expect(() => parseFields('a(b')).toThrow(SyntaxError)
  })
})

describe('internals', () => {
  it('scramble is a bijection on 32-bit integers (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 0, max: 0xffffffff }), (seed, v) => {
        const key = hashString(seed)
        expect(unscramble(key, scramble(key, v))).toBe(v)
      }),
    )
  })

  it('sliding window admits `limit` per window and tells how long to wait', () => {
    const w = new SlidingWindow(3, 1000)
    expect([w.take(0), w.take(10), w.take(20), w.take(30)]).toEqual([true, true, true, false])
    expect(w.waitMs(30)).toBe(970)
    expect(w.take(1000)).toBe(true)
    expect(w.remaining(1000)).toBe(0)
  })

  it('counted faults switch themselves off; true stays on; null clears', () => {
    const f = new FaultState()
    f.set('graph', { throttle: 2, latencyMs: 5 })
    expect([f.take('graph', 'throttle'), f.take('graph', 'throttle'), f.take('graph', 'throttle')]).toEqual([
      true,
      true,
      false,
    ])
    expect(f.get('graph').latencyMs).toBe(5)
    f.set('all', { unavailable: true })
    expect([f.take('google', 'unavailable'), f.take('google', 'unavailable')]).toEqual([true, true])
    f.set('google', null)
    expect(f.get('google')).toEqual({})
    expect(() => f.set('nope' as 'graph', {})).toThrow(TypeError)
  })
})
