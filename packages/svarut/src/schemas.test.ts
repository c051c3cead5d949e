import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  Adresse,
  ErrorMessage,
  ForsendelseStatus,
  KNOWN_STATUSES,
  Lenke,
  Mottaker,
  NhnForsendelse,
  NoarkMetadataForImport,
  NoarkMetadataFraAvleverendeSystem,
  OrganisasjonForsendelse,
  PersonForsendelse,
  Postadresse,
  PrintForsendelse,
  SvarSendesTil,
} from './schemas.js'

const dir = fileURLToPath(new URL('../../../../shared/specs/svarut/', import.meta.url))

interface JsonSchema {
  $ref?: string
  required?: string[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  enum?: string[]
}

describe.skipIf(!existsSync(dir))(
  'schemas match the official v3 OpenAPI documents (../shared/specs/svarut)',
  () => {
    const send = JSON.parse(readFileSync(`${dir}forsendelse-send-api-v3.json`, 'utf8')) as {
      components: { schemas: Record<string, JsonSchema> }
    }
    const status = JSON.parse(readFileSync(`${dir}forsendelse-status-api-v3.json`, 'utf8')) as {
      components: { schemas: Record<string, JsonSchema> }
    }
    const resolve = (s: JsonSchema): JsonSchema =>
      s.$ref ? resolve(send.components.schemas[s.$ref.split('/').pop() as string] as JsonSchema) : s

    const pairs: [string, z.ZodObject][] = [
      ['PersonForsendelse', PersonForsendelse as unknown as z.ZodObject],
      ['OrganisasjonForsendelse', OrganisasjonForsendelse as unknown as z.ZodObject],
      ['NhnForsendelse', NhnForsendelse as unknown as z.ZodObject],
      ['PrintForsendelse', PrintForsendelse as unknown as z.ZodObject],
      ['Mottaker', Mottaker as unknown as z.ZodObject],
      ['Postadresse', Postadresse as unknown as z.ZodObject],
      ['Adresse', Adresse as unknown as z.ZodObject],
      ['SvarSendesTil', SvarSendesTil as unknown as z.ZodObject],
      ['Lenke', Lenke as unknown as z.ZodObject],
      ['NoarkMetadataForImport', NoarkMetadataForImport as unknown as z.ZodObject],
      ['NoarkMetadataFraAvleverendeSakssystem', NoarkMetadataFraAvleverendeSystem as unknown as z.ZodObject],
    ]
    for (const [name, schema] of pairs) {
      it(`${name}: every documented field, same required fields`, () => {
        const spec = send.components.schemas[name] as JsonSchema
        expect(Object.keys(schema.shape).sort()).toEqual(Object.keys(spec.properties ?? {}).sort())
        const required = Object.entries(schema.shape)
          .filter(([, v]) => !(v as z.ZodType).safeParse(undefined).success)
          .map(([k]) => k)
          .sort()
        expect(required).toEqual([...(spec.required ?? [])].sort())
      })
    }

    it('document items of each send kind have every documented field', () => {
      for (const [name, schema] of pairs.slice(0, 4)) {
        const items = resolve(
          (send.components.schemas[name] as JsonSchema).properties?.dokumenter ?? {},
        ).items
        if (!items) continue
        const ours = (schema.shape.dokumenter as z.ZodOptional<z.ZodArray<z.ZodObject>>).unwrap().element
        expect(Object.keys(ours.shape).sort(), name).toEqual(Object.keys(items.properties ?? {}).sort())
      }
    })

    it('KNOWN_STATUSES is the documented v3 status enum', () => {
      const spec = status.components.schemas.ForsendelseStatus as JsonSchema
      expect([...KNOWN_STATUSES]).toEqual(spec.properties?.status?.enum)
    })
  },
)

describe('schemas', () => {
  it('accept a minimal person send and reject over-long fields', () => {
    const ok = PersonForsendelse.safeParse({
      tittel: 'Vedtak',
      mottaker: { navn: 'Kari', digitalId: '12345678901' },
    })
    expect(ok.success).toBe(true)
    const bad = PersonForsendelse.safeParse({
      tittel: 'x'.repeat(1001),
      mottaker: { navn: 'Kari', digitalId: '12345678901' },
    })
    expect(bad.success).toBe(false)
  })
  it('enforce the konteringskode pattern and at most 5 links', () => {
    const base = { tittel: 'T', mottaker: { navn: 'K', digitalId: '123456789' } }
    expect(OrganisasjonForsendelse.safeParse({ ...base, konteringskode: 'abc-ÆØÅ_1.2' }).success).toBe(true)
    expect(OrganisasjonForsendelse.safeParse({ ...base, konteringskode: 'a b' }).success).toBe(false)
    const lenke = { url: 'https://kommune.no', tekst: 'Se' }
    expect(PersonForsendelse.safeParse({ ...base, lenker: Array(5).fill(lenke) }).success).toBe(true)
    expect(PersonForsendelse.safeParse({ ...base, lenker: Array(6).fill(lenke) }).success).toBe(false)
  })
  it('keep unknown statuses and accept errorJson as object or string', () => {
    expect(ForsendelseStatus.parse({ id: 'x', sisteStatusEndring: 't', status: 'NY_STATUS' }).status).toBe(
      'NY_STATUS',
    )
    expect(ErrorMessage.parse({ errorJson: { a: 1 } }).errorJson).toEqual({ a: 1 })
    expect(ErrorMessage.parse({ errorJson: '{"a":1}' }).errorJson).toBe('{"a":1}')
  })
})
