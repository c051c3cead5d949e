import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { createSyntheticGenerator } from '@felles/identifiers'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { isSvarUtError } from './errors.js'
import { assertValidForsendelse, MAX_NHN_BYTES, validateForsendelse } from './validate.js'

const gen = createSyntheticGenerator({ seed: 'validate' })
const fnr = gen.nationalId()
const orgnr = gen.organisationNumber()
const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
const lockedPdf = Buffer.from('%PDF-1.7\ntrailer << /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF\n')
const doc = (extra: Record<string, unknown> = {}) => ({
  filnavn: 'vedtak.pdf',
  mimeType: 'application/pdf',
  content: pdf,
  ...extra,
})
const person = (extra: Record<string, unknown> = {}) => ({
  tittel: 'Vedtak',
  mottaker: { navn: 'Kari Nordmann', digitalId: fnr },
  dokumenter: [doc()],
  ...extra,
})
const rules = async (kind: Parameters<typeof validateForsendelse>[0], f: unknown) =>
  (await validateForsendelse(kind, f)).map((i) => `${i.field}:${i.rule}`)

const dir = mkdtempSync(join(tmpdir(), 'svarut-validate-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('validateForsendelse (security case 27)', () => {
  it('accepts a valid person and organisation send', async () => {
    expect(await rules('person', person())).toEqual([])
    expect(
      await rules('organisasjon', { ...person(), mottaker: { navn: 'Kommunen', digitalId: orgnr } }),
    ).toEqual([])
  })

  it('checks identifier checksums and never echoes the number', async () => {
    const bad = fnr.slice(0, 10) + String((Number(fnr[10]) + 1) % 10)
    const issues = await validateForsendelse('person', person({ mottaker: { navn: 'K', digitalId: bad } }))
    expect(issues.map((i) => `${i.field}:${i.rule}`)).toEqual(['mottaker.digitalId:checksum'])
    expect(JSON.stringify(issues)).not.toContain(bad)
    expect(
      await rules('organisasjon', { ...person(), mottaker: { navn: 'K', digitalId: '123456789' } }),
    ).toEqual(['mottaker.digitalId:checksum'])
    expect(await rules('person', person({ eksponertFor: ['12345678901'] }))).toEqual([
      'eksponertFor[0]:checksum',
    ])
  })

  it('refuses synthetic persons when asked (production)', async () => {
    const issues = await validateForsendelse('person', person(), { allowSyntheticIds: false })
    expect(issues.map((i) => i.rule)).toEqual(['checksum'])
  })

  it('never puts a fødselsnummer into an error message (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^\d{11}$/), async (id) => {
        const f = person({
          mottaker: { navn: 'x'.repeat(101), digitalId: id },
          eksternReferanse: `ref-${id}`,
        })
        const err = await assertValidForsendelse('person', f).catch((e: unknown) => e)
        expect(isSvarUtError(err, 'ERR_VALIDATION')).toBe(true)
        expect(
          JSON.stringify({ m: (err as Error).message, j: (err as { errorJson: unknown }).errorJson }),
        ).not.toContain(id)
      }),
      { numRuns: 50 },
    )
  })

  it('checks field lengths and patterns, naming the field', async () => {
    expect(await rules('person', person({ tittel: 'x'.repeat(1001) }))).toEqual(['tittel:too_big'])
    expect(await rules('person', person({ konteringskode: 'a b' }))).toEqual([
      'konteringskode:invalid_format',
    ])
    expect(await rules('person', person({ eksternReferanse: 'x'.repeat(101) }))).toEqual([
      'eksternReferanse:too_big',
    ])
  })

  it('allows at most 5 links', async () => {
    const lenke = { url: 'https://kommune.no', tekst: 'Se saken' }
    expect(await rules('person', person({ lenker: Array(6).fill(lenke) }))).toEqual(['lenker:too_big'])
  })

  it('requires unique and legal file names', async () => {
    expect(await rules('person', person({ dokumenter: [doc(), doc()] }))).toEqual([
      'dokumenter[1].filnavn:filename-unique',
    ])
    for (const c of ['*', ':', '"', '\\', '/', '<', '>', '|', '?']) {
      expect(await rules('person', person({ dokumenter: [doc({ filnavn: `a${c}b.pdf` })] }))).toEqual([
        'dokumenter[0].filnavn:filename-characters',
      ])
    }
    expect(await rules('person', person({ dokumenter: [doc({ filnavn: 'x'.repeat(227) })] }))).toEqual([
      'dokumenter[0].filnavn:too_big',
    ])
  })

  it('allows only PDFs to be printed', async () => {
    const txt = { filnavn: 'data.csv', mimeType: 'text/csv', content: Buffer.from('a,b') }
    expect(await rules('person', person({ dokumenter: [doc(), txt] }))).toEqual([
      'dokumenter[1].mimeType:pdf-only',
    ])
    expect(
      await rules('person', person({ dokumenter: [doc(), { ...txt, skalEkskluderesFraUtskrift: true }] })),
    ).toEqual([])
    expect(await rules('person', person({ kunDigitalLevering: true, dokumenter: [doc(), txt] }))).toEqual([])
    expect(
      await rules('print', {
        tittel: 'Brev',
        mottaker: { navn: 'Ola', adresse: { adresselinje1: 'Vei 1', poststed: 'Bergen' } },
        dokumenter: [txt],
      }),
    ).toEqual(['dokumenter[0].mimeType:pdf-only'])
  })

  it('refuses a password-protected PDF and a PDF that is not one', async () => {
    expect(await rules('person', person({ dokumenter: [doc({ content: lockedPdf })] }))).toEqual([
      'dokumenter[0].content:pdf-password',
    ])
    const path = join(dir, 'locked.pdf')
    writeFileSync(path, lockedPdf)
    expect(await rules('person', person({ dokumenter: [doc({ content: { path } })] }))).toEqual([
      'dokumenter[0].content:pdf-password',
    ])
    expect(await rules('person', person({ dokumenter: [doc({ content: Buffer.from('hello') })] }))).toEqual([
      'dokumenter[0].content:not-a-pdf',
    ])
  })

  it('enforces 350 MB printable and 18 MB NHN', async () => {
    const big = doc({ content: Readable.from([pdf]), size: 350_000_000 })
    expect(await rules('person', person({ dokumenter: [big] }))).toEqual(['dokumenter:size-limit'])
    expect(await rules('person', person({ kunDigitalLevering: true, dokumenter: [big] }))).toEqual([])
    const nhn = {
      tittel: 'Epikrise',
      mottakertype: 'FASTLEGE',
      avsenderKontakt: { fornavn: 'Lege', etternavn: 'Legesen', telefonnummer: '12345678' },
      pasient: { fodselsnummer: fnr, fornavn: 'Kari', etternavn: 'Nordmann' },
    }
    expect(await rules('nhn', { ...nhn, dokumenter: [doc()] })).toEqual([])
    expect(await rules('nhn', { ...nhn, dokumenter: [doc({ size: MAX_NHN_BYTES + 1 })] })).toEqual([
      'dokumenter[0].content:size-limit',
    ])
    expect(await rules('nhn', { ...nhn, dokumenter: [doc(), doc({ filnavn: 'b.pdf' })] })).toEqual([
      'dokumenter:nhn-one-document',
    ])
    expect(await rules('nhn', { ...nhn, mottakertype: 'HER_ID', dokumenter: [doc()] })).toEqual([
      'mottakerHerId:required',
    ])
  })

  it('requires encryption for HOYESTE', async () => {
    expect(await rules('person', person({ sikkerhetsniva: 'HOYESTE' }))).toEqual([
      'kryptert:hoyeste-requires-encryption',
    ])
    expect(await rules('person', person({ sikkerhetsniva: 'HOYESTE', kryptert: true }))).toEqual([])
  })

  it('applies the signing rules', async () => {
    const signering = { signeringUtloper: '2999-01-01T00:00:00Z', signaturType: 'AVANSERT_SIGNATUR' }
    expect(await rules('person', person({ signering, dokumenter: [doc({ skalSigneres: true })] }))).toEqual(
      [],
    )
    expect(await rules('person', person({ signering }))).toEqual(['signering:signing-needs-document'])
    expect(await rules('person', person({ dokumenter: [doc({ skalSigneres: true })] }))).toEqual([
      'signering:required',
    ])
    expect(
      await rules(
        'person',
        person({
          signering,
          dokumenter: [doc({ skalSigneres: true }), doc({ filnavn: 'b.pdf', skalSigneres: true })],
        }),
      ),
    ).toEqual(['dokumenter:signing-one-document'])
    expect(
      await rules(
        'person',
        person({
          signering: { ...signering, signeringUtloper: new Date().toISOString() },
          dokumenter: [doc({ skalSigneres: true })],
        }),
      ),
    ).toEqual(['signering.signeringUtloper:signing-deadline'])
  })

  it('needs an organisation reply address for eDialog and no personal data in eksternReferanse', async () => {
    expect(await rules('person', person({ kanSvareViaEdialog: true }))).toEqual([
      'kanSvareViaEdialog:edialog-needs-organisation',
    ])
    expect(await rules('person', person({ eksternReferanse: `sak-${fnr}` }))).toEqual([
      'eksternReferanse:personal-data',
    ])
  })

  it('assertValidForsendelse throws ERR_VALIDATION naming field and rule', async () => {
    const err = await assertValidForsendelse('person', person({ dokumenter: [] })).catch((e: unknown) => e)
    expect(isSvarUtError(err, 'ERR_VALIDATION')).toBe(true)
    expect((err as { field: string }).field).toBe('dokumenter')
    expect((err as { rule: string }).rule).toBe('required')
  })
})
