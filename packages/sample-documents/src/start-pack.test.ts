import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { sender } from '../test/fixtures.js'
import { fontNames, readPdf } from '../test/pdf.js'
import { isDocumentError, renderStartPackPdfs, type StartPackInput } from './index.js'

function pack(overrides: Partial<StartPackInput> = {}): StartPackInput {
  return {
    municipality: sender,
    school: {
      name: 'Bakken skole',
      organizationNumber: '974760673',
      addressLines: ['Skoleveien 2'],
      postalCode: '0002',
      city: 'Eksempelby',
    },
    itContact: {
      name: 'Per Hansen',
      title: 'IT-rådgiver',
      email: 'it@eksempel.kommune.no',
      phone: '+47 22 33 44 55',
    },
    consoleUrl: 'https://nettbrett.eksempel.kommune.no',
    vendors: ['jamf-school', 'intune', 'google'],
    caseNumber: '2026/77',
    date: '2026-11-30',
    administrators: ['Anne Admin', 'Bjørn Bakke'],
    signers: [{ name: 'Ida Iversen', title: 'IT-sjef' }],
    metadata: { creationDate: new Date('2026-11-30T08:00:00Z') },
    ...overrides,
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

describe('renderStartPackPdfs', () => {
  it('writes a welcome letter addressed to the school', async () => {
    const { welcomeLetter } = await renderStartPackPdfs(pack())
    const doc = await PDFDocument.load(welcomeLetter, { updateMetadata: false })
    expect(doc.getTitle()).toBe('Velkommen til nettbrettløsningen – startpakke for Bakken skole')
    const { text, pages } = await readPdf(welcomeLetter)
    for (const expected of [
      'Eksempel kommune',
      'Bakken skole',
      'Org.nr. 974 760 673',
      'Skoleveien 2',
      '0002 Eksempelby',
      'Saksnummer',
      '2026/77',
      '30.11.2026',
      'https://nettbrett.eksempel.kommune.no',
      'Ansattporten',
      'Anne Admin og Bjørn Bakke',
      'it@eksempel.kommune.no',
      'Med hilsen',
      'Ida Iversen',
    ]) {
      expect(text.replace(/\s+/g, ' ')).toContain(expected)
    }
    expect(pages.at(-1)?.map((l) => l.text)).toContain(`Side ${pages.length} av ${pages.length}`)
  })

  it('writes an administrator guide with every section', async () => {
    const { adminGuide } = await renderStartPackPdfs(pack())
    const doc = await PDFDocument.load(adminGuide, { updateMetadata: false })
    expect(doc.getTitle()).toBe('Administratorveiledning for nettbrettkonsollen')
    const { pages, text } = await readPdf(adminGuide)
    expect(pages.length).toBeGreaterThanOrEqual(2)
    const lines = pages.flat().map((l) => l.text)
    for (const heading of [
      '1. Logge inn med Ansattporten',
      '2. Hva konsollen kan gjøre',
      '3. Mistet-modus',
      '4. Sletting og utfasing',
      '5. Hvem du kontakter',
    ]) {
      expect(lines).toContain(heading)
    }
    const flowed = text.replace(/\s+/g, ' ')
    expect(flowed).toContain(
      'Jamf School (iPad), Microsoft Intune (Windows-maskiner) og Google Admin (Chromebook)',
    )
    expect(flowed).toContain('serienummer og en begrunnelse')
    expect(flowed).toContain(
      'Per Hansen, IT-rådgiver · e-post: it@eksempel.kommune.no · telefon: +47 22 33 44 55',
    )
    expect(flowed).toContain('Bakken skole · Eksempel kommune · 30.11.2026')
    pages.forEach((page, i) => {
      expect(page.map((l) => l.text)).toContain(`Side ${i + 1} av ${pages.length}`)
    })
    // A guide has no recipient block and no signature.
    expect(flowed).not.toContain('Med hilsen')
    expect(flowed).not.toContain('Skoleveien 2')
  })

  it('asks for administrators when none are given', async () => {
    const { welcomeLetter } = await renderStartPackPdfs(pack({ administrators: [] }))
    expect((await readPdf(welcomeLetter)).text.replace(/\s+/g, ' ')).toContain(
      'Gi IT-tjenesten beskjed om hvem som skal være administratorer',
    )
  })

  it('writes nynorsk and English', async () => {
    const nn = await renderStartPackPdfs(pack({ language: 'nn' }))
    expect((await readPdf(nn.adminGuide)).text).toContain('5. Kven du kontaktar')
    expect((await readPdf(nn.welcomeLetter)).text).toContain('Med helsing')
    const en = await renderStartPackPdfs(pack({ language: 'en' }))
    const guide = (await readPdf(en.adminGuide)).text
    expect(guide).toContain('1. Logging in with Ansattporten')
    expect(guide).toContain('3. Lost mode')
    expect(guide).toContain('4. Wiping and retiring')
    expect(guide).toContain('Page 1 of')
    expect((await readPdf(en.welcomeLetter)).text).toContain('Yours sincerely')
  })

  it('embeds Noto Sans in both documents for a Sami school name', async () => {
    const school = { ...pack().school, name: 'Guovdageainnu skuvla – Čáhcegeaidnu ŋ' }
    const { welcomeLetter, adminGuide } = await renderStartPackPdfs(pack({ school }))
    for (const pdf of [welcomeLetter, adminGuide]) {
      expect(await fontNames(pdf)).toEqual(['NotoSans-Bold', 'NotoSans-Regular'])
      expect((await readPdf(pdf)).text).toContain('Čáhcegeaidnu ŋ')
    }
  })

  it('names the field of bad input', async () => {
    const cases: [Partial<StartPackInput>, string][] = [
      [{ vendors: [] }, 'vendors'],
      [{ vendors: ['intune', 'intune'] }, 'vendors'],
      [{ consoleUrl: 'javascript:alert(1)' }, 'consoleUrl'],
      [{ itContact: { name: 'A', email: 'nope' } }, 'itContact.email'],
      [{ school: { ...pack().school, organizationNumber: '974760674' } }, 'school.organizationNumber'],
    ]
    for (const [overrides, field] of cases) {
      const error = await rejection(renderStartPackPdfs(pack(overrides)))
      expect(isDocumentError(error) && [error.code, error.field]).toEqual(['ERR_INVALID_INPUT', field])
    }
  })

  it('refuses an emoji with the field named', async () => {
    const error = await rejection(renderStartPackPdfs(pack({ administrators: ['Anne 🎉'] })))
    expect(isDocumentError(error) && [error.code, error.field]).toEqual([
      'ERR_UNSUPPORTED_CHARACTER',
      'administrators[0]',
    ])
  })
})
