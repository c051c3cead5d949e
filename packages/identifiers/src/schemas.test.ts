import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { NationalIdentityNumber, nationalIdentityNumber, Organisasjonsnummer } from './schemas.js'

describe('zod schemas', () => {
  it('accepts valid numbers and brands them', () => {
    const value: NationalIdentityNumber = NationalIdentityNumber.parse('21879498012')
    expect(value).toBe('21879498012')
    expect(Organisasjonsnummer.parse('991825827')).toBe('991825827')
  })

  it('never echoes the number in issues, messages or the serialised error', () => {
    const schema = z.object({
      mottaker: z.object({ fnr: nationalIdentityNumber({ allowSynthetic: false }) }),
    })
    const result = schema.safeParse({ mottaker: { fnr: '21879498012' } })
    expect(result.success).toBe(false)
    if (result.success) return
    const everything = [
      result.error.message,
      JSON.stringify(result.error),
      JSON.stringify(result.error.issues),
      z.prettifyError(result.error),
    ].join('\n')
    expect(everything).not.toContain('21879498012')
    expect(everything).not.toContain('98012')
    expect(result.error.issues[0]?.path).toEqual(['mottaker', 'fnr'])
    expect(result.error.issues[0]?.message).toMatch(/synthetic/)
  })

  it('reports the reason code in params', () => {
    const result = NationalIdentityNumber.safeParse('21879498013')
    expect(result.success).toBe(false)
    if (result.success) return
    const issue = result.error.issues[0] as { params?: { reason?: string } }
    expect(issue.params?.reason).toBe('checksum')
    const org = Organisasjonsnummer.safeParse('991825828')
    expect(org.success).toBe(false)
    expect(JSON.stringify(org.error)).not.toContain('991825828')
  })

  it('rejects non-strings with a type message', () => {
    expect(NationalIdentityNumber.safeParse(21879498012).success).toBe(false)
  })
})
