import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AnsattportenClaims, IdPortenClaims } from '../claims.js'
import { parseClaims } from './claims-check.js'

const base = {
  iss: 'https://test.idporten.no',
  sub: 'pairwise-sub',
  aud: 'client',
  exp: 2_000_000_000,
  iat: 1_999_999_880,
  acr: 'idporten-loa-high',
  pid: '21879498012',
  sid: 'provider-session',
  nonce: 'n-0S6_WzA2Mj',
}

// Values of every kind a JSON claims set can hold, so each claim is tried with the wrong type too.
const anyValue = fc.oneof(
  fc.string(),
  fc.constant(''),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
)
const claimNames = [
  'iss',
  'sub',
  'aud',
  'exp',
  'iat',
  'auth_time',
  'acr',
  'amr',
  'pid',
  'locale',
  'sid',
  'nonce',
  'jti',
  'extra',
]
const claimsSet = fc
  .record(Object.fromEntries(claimNames.map((name) => [name, anyValue])), { requiredKeys: [] })
  .map((overrides) => ({ ...base, ...overrides }) as Record<string, unknown>)

describe('claims check (fast path of the zod schemas)', () => {
  it('gives exactly what the ID-porten zod schema gives, for valid and invalid claims', () => {
    fc.assert(
      fc.property(claimsSet, (raw) => {
        const fast = parseClaims('idporten', raw)
        const slow = IdPortenClaims.safeParse(raw)
        expect(fast.success).toBe(slow.success)
        if (slow.success) expect(fast.data).toStrictEqual(slow.data)
        else expect(fast.error?.issues).toEqual(slow.error.issues)
      }),
      { numRuns: 400 },
    )
  })

  it('normalises amr to a new array, as zod does', () => {
    const raw = { ...base, amr: 'MinID-OTC' }
    expect(parseClaims('idporten', raw).data?.amr).toEqual(['MinID-OTC'])
    const list = ['BankID']
    const parsed = parseClaims('idporten', { ...base, amr: list })
    expect(parsed.data?.amr).toEqual(['BankID'])
    expect(parsed.data?.amr).not.toBe(list)
  })

  it("leaves Ansattporten's authorization_details to the zod schema", () => {
    const good = {
      ...base,
      authorization_details: [{ type: 'ansattporten:altinn:service', reportees: [{ ID: '0192:991825827' }] }],
    }
    expect(parseClaims('ansattporten', good)).toStrictEqual(AnsattportenClaims.safeParse(good))
    const bad = { ...base, authorization_details: [{ type: 'x', reportees: [{ Name: 'no id' }] }] }
    expect(parseClaims('ansattporten', bad).success).toBe(false)
    fc.assert(
      fc.property(claimsSet, (raw) => {
        const slow = AnsattportenClaims.safeParse(raw)
        const fast = parseClaims('ansattporten', raw)
        expect(fast.success).toBe(slow.success)
        if (slow.success) expect(fast.data).toStrictEqual(slow.data)
      }),
      { numRuns: 200 },
    )
  })
})
