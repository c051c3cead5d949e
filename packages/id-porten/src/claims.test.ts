import { describe, expect, it } from 'vitest'
import { AnsattportenClaims, IdPortenClaims, Reportee } from './claims.js'

const base = {
  iss: 'https://test.idporten.no',
  sub: 'pairwise-sub',
  aud: 'client',
  exp: 2_000_000_000,
  iat: 1_999_999_880,
  acr: 'idporten-loa-high',
  pid: '21879498012',
}

describe('claims schemas', () => {
  it('accepts amr as an array or as a single string, always giving an array', () => {
    expect(IdPortenClaims.parse({ ...base, amr: ['BankID'] }).amr).toEqual(['BankID'])
    expect(IdPortenClaims.parse({ ...base, amr: 'MinID-OTC' }).amr).toEqual(['MinID-OTC'])
    expect(IdPortenClaims.parse(base).amr).toBeUndefined()
  })

  it('keeps unknown claims and rejects a wrong shape', () => {
    expect(IdPortenClaims.parse({ ...base, extra: 1 }).extra).toBe(1)
    expect(IdPortenClaims.safeParse({ ...base, acr: 4 }).success).toBe(false)
    expect(IdPortenClaims.safeParse({ ...base, sub: '' }).success).toBe(false)
  })

  it("types Ansattporten's authorization_details with reportees", () => {
    const claims = AnsattportenClaims.parse({
      ...base,
      authorization_details: [
        {
          type: 'ansattporten:altinn:service',
          resource: 'urn:altinn:resource:2480:40',
          reportees: [
            {
              Rights: ['read', 'write'],
              Authority: 'iso6523-actorid-upis',
              ID: '0192:991825827',
              Name: 'DIGDIR',
            },
          ],
        },
      ],
    })
    expect(claims.authorization_details?.[0]?.reportees?.[0]?.ID).toBe('0192:991825827')
    expect(Reportee.safeParse({ Name: 'no id' }).success).toBe(false)
  })
})
