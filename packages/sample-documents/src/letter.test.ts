import fc from 'fast-check'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { letter, SYNTHETIC_FNR } from '../test/fixtures.js'
import { embeddedFonts, fontNames, readPdf } from '../test/pdf.js'
import { isDocumentError, renderLetterPdf } from './index.js'

const A4_WIDTH = 595.28
const RIGHT_EDGE = A4_WIDTH - 57

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}

const longBody = Array.from(
  { length: 40 },
  (_, i) =>
    `Avsnitt ${i + 1}: ` +
    'Dette er en lang tekst om saken, som må brytes over flere linjer og etter hvert over flere sider. '.repeat(
      3,
    ),
)

describe('renderLetterPdf', () => {
  it('renders letterhead, recipient, references, body, signature and footer', async () => {
    const bytes = await renderLetterPdf(letter())
    const doc = await PDFDocument.load(bytes)
    expect(doc.getPageCount()).toBe(1)
    const [page] = doc.getPages()
    expect(page?.getSize()).toEqual({ width: A4_WIDTH, height: 841.89 })

    const { text } = await readPdf(bytes)
    for (const expected of [
      'Eksempel kommune',
      'Helse og omsorg',
      'Postboks 1',
      'Rådhusgata 1',
      '0001 Eksempelby',
      'Org.nr. 123 456 785',
      'postmottak@eksempel.kommune.no',
      'Kari Nordmann',
      'Storgata 1',
      '0150 Oslo',
      'Vår dato',
      '30.11.2026',
      'Saksnummer',
      '2026/1234',
      'Vår referanse',
      '2026/1234-3',
      'Vedtak om støttekontakt',
      'Vi viser til søknaden din om støttekontakt, mottatt 2. november 2026.',
      'Vedtaket gjelder i ett år.',
      'Med hilsen',
      'Ola Saksbehandler',
      'saksbehandler',
      'Siri Leder',
      'Dokumentet er elektronisk godkjent og har derfor ingen håndskrevne signaturer.',
      'Side 1 av 1',
    ]) {
      expect(text).toContain(expected)
    }
    // References are printed only when given.
    expect(text).not.toContain('Deres referanse')
  })

  it('writes the document metadata', async () => {
    const created = new Date('2026-11-30T08:00:00Z')
    const bytes = await renderLetterPdf(
      letter({
        metadata: { creationDate: created, subject: 'Vedtak', keywords: ['vedtak', 'støttekontakt'] },
      }),
    )
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    expect(doc.getTitle()).toBe('Vedtak om støttekontakt')
    expect(doc.getAuthor()).toBe('Eksempel kommune')
    expect(doc.getSubject()).toBe('Vedtak')
    expect(doc.getKeywords()).toBe('vedtak støttekontakt')
    expect(doc.getCreator()).toBe('@felles/sample-documents (pdf-lib)')
    expect(doc.getCreationDate()?.toISOString()).toBe(created.toISOString())
    expect(doc.getModificationDate()?.toISOString()).toBe(created.toISOString())
    expect(doc.catalog.toString()).toContain('/Lang (nb-NO)')
  })

  it('gives byte-identical output for the same input and creation date', async () => {
    const [a, b] = await Promise.all([renderLetterPdf(letter()), renderLetterPdf(letter())])
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    const c = await renderLetterPdf(letter({ metadata: { creationDate: new Date('2026-12-01T08:00:00Z') } }))
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false)
  })

  it('never prints the fødselsnummer unless asked to', async () => {
    const bytes = await renderLetterPdf(letter())
    const { text } = await readPdf(bytes)
    expect(text).not.toContain(SYNTHETIC_FNR)
    expect(text).not.toContain('Fødselsnummer')
    expect(Buffer.from(bytes).toString('latin1')).not.toContain(SYNTHETIC_FNR)

    const shown = await readPdf(await renderLetterPdf(letter({ showNationalIdentityNumber: true })))
    expect(shown.text).toContain(`Fødselsnummer: ${SYNTHETIC_FNR}`)

    const dnr = '45840375084'
    const recipient = { ...letter().recipient, nationalIdentityNumber: dnr }
    const withDnr = await readPdf(
      await renderLetterPdf(letter({ recipient, showNationalIdentityNumber: true })),
    )
    expect(withDnr.text).toContain(`D-nummer: ${dnr}`)
  })

  it('refuses a fødselsnummer anywhere but the recipient block', async () => {
    for (const [overrides, field] of [
      [
        { paragraphs: ['Hei', `Gjelder ${SYNTHETIC_FNR.slice(0, 6)} ${SYNTHETIC_FNR.slice(6)}.`] },
        'paragraphs[1]',
      ],
      [{ title: `Vedtak for ${SYNTHETIC_FNR}` }, 'title'],
      [{ metadata: { subject: `fnr ${SYNTHETIC_FNR}` } }, 'metadata.subject'],
    ] as const) {
      const error = await rejection(renderLetterPdf(letter(overrides)))
      expect(isDocumentError(error) && error.code).toBe('ERR_NATIONAL_ID_IN_TEXT')
      expect(isDocumentError(error) && error.field).toBe(field)
      expect(String(error)).not.toContain(SYNTHETIC_FNR)
    }
  })

  it('wraps words within the margins and breaks pages, numbering them "Side n av N"', async () => {
    const bytes = await renderLetterPdf(letter({ paragraphs: longBody }))
    const { pages } = await readPdf(bytes)
    expect(pages.length).toBeGreaterThanOrEqual(3)
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(pages.length)
    pages.forEach((lines, index) => {
      expect(lines.map((l) => l.text)).toContain(`Side ${index + 1} av ${pages.length}`)
      for (const line of lines) {
        expect(line.x).toBeGreaterThanOrEqual(62 - 0.01)
        expect(line.x + line.width).toBeLessThanOrEqual(RIGHT_EDGE + 0.5)
        // Nothing drawn into the footer area except the footer itself.
        if (line.y < 70) expect(line.y).toBeLessThan(50)
      }
      if (index > 0) expect(lines.map((l) => l.text)).toContain('Saksnummer 2026/1234')
    })
    // Every word of every paragraph is there, in order (running headers and footers left out).
    const flowed = pages
      .flat()
      .filter((l) => l.y > 60 && l.y < 780)
      .map((l) => l.text)
      .join(' ')
      .replace(/\s+/g, ' ')
    for (const paragraph of longBody) expect(flowed).toContain(paragraph.trim())
    // The signature block is kept together on the last page.
    const last = pages.at(-1)?.map((l) => l.text) ?? []
    expect(last).toContain('Med hilsen')
    expect(last).toContain('Siri Leder')
  })

  it('breaks a word longer than the line instead of running off the page', async () => {
    const word = 'Lang'.repeat(60)
    const { pages, text } = await readPdf(await renderLetterPdf(letter({ paragraphs: [word] })))
    for (const line of pages[0] ?? []) expect(line.x + line.width).toBeLessThanOrEqual(RIGHT_EDGE + 0.5)
    expect(text.replace(/\n/g, '')).toContain(word)
  })

  it('keeps line breaks inside a paragraph', async () => {
    const { pages } = await readPdf(
      await renderLetterPdf(letter({ paragraphs: ['Første linje\r\nAndre linje'] })),
    )
    const lines = pages[0]?.map((l) => l.text) ?? []
    expect(lines).toContain('Første linje')
    expect(lines).toContain('Andre linje')
  })

  it('writes the fixed texts in nynorsk and English', async () => {
    const nn = await readPdf(
      await renderLetterPdf(
        letter({ language: 'nn', yourReference: 'Dykkar ref 1', electronicallyApproved: true }),
      ),
    )
    expect(nn.text).toContain('Med helsing')
    expect(nn.text).toContain('Dykkar referanse')
    expect(nn.text).toContain('har difor ingen handskrivne signaturar')

    const enBytes = await renderLetterPdf(letter({ language: 'en', yourReference: 'Y-1' }))
    const en = await readPdf(enBytes)
    for (const expected of [
      'Yours sincerely',
      'Our date',
      'Case number',
      'Your reference',
      '30 November 2026',
      'Page 1 of 1',
    ]) {
      expect(en.text).toContain(expected)
    }
    expect((await PDFDocument.load(enBytes)).catalog.toString()).toContain('/Lang (en-GB)')
  })

  it('reads a Date in the Oslo time zone', async () => {
    const { text } = await readPdf(await renderLetterPdf(letter({ date: new Date('2026-11-30T23:30:00Z') })))
    expect(text).toContain('01.12.2026')
  })

  it('leaves the electronic-approval note out when asked', async () => {
    const { text } = await readPdf(
      await renderLetterPdf(letter({ electronicallyApproved: false, signers: [] })),
    )
    expect(text).not.toContain('elektronisk godkjent')
    expect(text).not.toContain('Med hilsen')
  })

  it('prints an address abroad with its country', async () => {
    const { text } = await readPdf(
      await renderLetterPdf(
        letter({
          recipient: {
            name: 'Anna Svensson',
            addressLines: ['Storgatan 1'],
            postalCode: '111 22',
            city: 'Stockholm',
            country: 'Sverige',
          },
        }),
      ),
    )
    expect(text).toContain('111 22 Stockholm')
    expect(text).toContain('SVERIGE')
  })
})

describe('fonts', () => {
  const sami = {
    name: 'Máret Áŋŋá Šađđa',
    addressLines: ['Čáhcegeaidnu 3'],
    postalCode: '9520',
    city: 'Guovdageaidnu',
  }

  it('uses Helvetica, embedding nothing, when all text is WinAnsi', async () => {
    const bytes = await renderLetterPdf(letter())
    expect(await fontNames(bytes)).toEqual(['Helvetica', 'Helvetica-Bold'])
    expect(await embeddedFonts(bytes)).toHaveLength(0)
  })

  it('round-trips every WinAnsi character through Helvetica', async () => {
    const chars: string[] = []
    for (let cp = 0x21; cp <= 0x7e; cp++) chars.push(String.fromCodePoint(cp))
    for (let cp = 0xa1; cp <= 0xff; cp++) if (cp !== 0xad) chars.push(String.fromCodePoint(cp))
    chars.push(...'€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
    const paragraph = chars.join(' ')
    const bytes = await renderLetterPdf(letter({ paragraphs: [paragraph], font: 'standard' }))
    // pdf.js reads some glyphs back as their compatibility forms (µ as Greek mu), hence NFKC.
    const text = (await readPdf(bytes)).text.normalize('NFKC')
    for (const ch of chars)
      expect(text, `U+${ch.codePointAt(0)?.toString(16)}`).toContain(ch.normalize('NFKC'))
  })

  it('embeds Noto Sans for Sami letters, with real outlines for every character', async () => {
    const bytes = await renderLetterPdf(letter({ recipient: sami }))
    expect(await fontNames(bytes)).toEqual(['NotoSans-Bold', 'NotoSans-Regular'])
    const { text } = await readPdf(bytes)
    expect(text).toContain('Máret Áŋŋá Šađđa')
    expect(text).toContain('Čáhcegeaidnu 3')
    expect(text).toContain('9520 Guovdageaidnu')
    const fonts = await embeddedFonts(bytes)
    expect(fonts).toHaveLength(2)
    // A broken font program still extracts as text but draws nothing: check the outlines.
    for (const font of fonts) {
      for (const ch of 'Máret Áŋŋá Šađđa Čáhcegeaidnu Eksempel kommune Vedtak'.replace(/ /g, '')) {
        const glyph = font.glyphForCodePoint(ch.codePointAt(0) ?? 0)
        expect(glyph.id, ch).toBeGreaterThan(0)
        expect(glyph.path.toSVG(), ch).not.toBe('')
      }
    }
  })

  it('embeds Noto Sans when asked even for WinAnsi text', async () => {
    expect(await fontNames(await renderLetterPdf(letter({ font: 'embedded' })))).toEqual([
      'NotoSans-Bold',
      'NotoSans-Regular',
    ])
  })

  it('refuses text outside WinAnsi with font "standard", naming the field and character', async () => {
    const error = await rejection(renderLetterPdf(letter({ recipient: sami, font: 'standard' })))
    expect(isDocumentError(error)).toBe(true)
    if (!isDocumentError(error)) return
    expect(error.code).toBe('ERR_UNSUPPORTED_CHARACTER')
    expect(error.field).toBe('recipient.name')
    expect(error.codePoint).toBe('U+014B')
    expect(error.message).not.toContain('Máret')
  })

  it('refuses characters no font can show, such as emoji', async () => {
    for (const font of ['auto', 'embedded'] as const) {
      const error = await rejection(renderLetterPdf(letter({ font, paragraphs: ['Takk 😀'] })))
      expect(isDocumentError(error) && [error.code, error.field, error.codePoint]).toEqual([
        'ERR_UNSUPPORTED_CHARACTER',
        'paragraphs[0]',
        'U+1F600',
      ])
    }
  })

  it('composes decomposed letters (NFD) so that å stays å', async () => {
    const { text } = await readPdf(
      await renderLetterPdf(letter({ title: 'Va\u0308r og ha\u030Ap', font: 'standard' })),
    )
    expect(text).toContain('Vär og håp')
  })
})

describe('validation', () => {
  const cases: [string, Parameters<typeof letter>[0], string][] = [
    [
      'postal code',
      { recipient: { name: 'A', addressLines: [], postalCode: '12', city: 'B' } },
      'recipient.postalCode',
    ],
    [
      'org number',
      { sender: { ...letter().sender, organizationNumber: '123456789' } },
      'sender.organizationNumber',
    ],
    [
      'national id',
      {
        recipient: {
          name: 'A',
          addressLines: [],
          postalCode: '1234',
          city: 'B',
          nationalIdentityNumber: '12345678901',
        },
      },
      'recipient.nationalIdentityNumber',
    ],
    ['empty title', { title: '   ' }, 'title'],
    ['no paragraphs', { paragraphs: [] }, 'paragraphs'],
    ['date', { date: '2026-02-30' }, 'date'],
    ['control character', { title: 'Vedtak\u0007' }, 'title'],
    ['line feed in a single-line field', { caseNumber: '2026/1\n2' }, 'caseNumber'],
    ['e-mail', { sender: { ...letter().sender, email: 'ikke en adresse' } }, 'sender.email'],
  ]

  for (const [what, overrides, field] of cases) {
    it(`names the field for a bad ${what}`, async () => {
      const error = await rejection(renderLetterPdf(letter(overrides)))
      expect(isDocumentError(error) && [error.code, error.field]).toEqual(['ERR_INVALID_INPUT', field])
    })
  }

  it('refuses unknown keys (a misspelt option would otherwise be ignored)', async () => {
    const input = { ...letter(), organisationNumber: '1' } as Parameters<typeof renderLetterPdf>[0]
    const error = await rejection(renderLetterPdf(input))
    expect(isDocumentError(error) && error.code).toBe('ERR_INVALID_INPUT')
    expect(String(error)).toContain('organisationNumber')
  })

  it('keeps the rejected value out of the message', async () => {
    const error = await rejection(
      renderLetterPdf(
        letter({
          recipient: {
            name: 'A',
            addressLines: [],
            postalCode: '1234',
            city: 'B',
            nationalIdentityNumber: '01019912346',
          },
        }),
      ),
    )
    expect(String(error)).not.toContain('01019912346')
  })
})

describe('properties', () => {
  it('prints every word of any body inside the margins', async () => {
    const word = fc.stringMatching(/^[A-Za-zÆØÅæøå0-9.,!?()«»–-]{1,30}$/)
    const paragraph = fc.array(word, { minLength: 1, maxLength: 60 }).map((words) => words.join(' '))
    await fc.assert(
      fc.asyncProperty(fc.array(paragraph, { minLength: 1, maxLength: 6 }), async (paragraphs) => {
        const { pages } = await readPdf(await renderLetterPdf(letter({ paragraphs })))
        for (const line of pages.flat()) expect(line.x + line.width).toBeLessThanOrEqual(RIGHT_EDGE + 0.5)
        const flowed = pages
          .flat()
          .filter((l) => l.y > 60 && l.y < 780)
          .map((l) => l.text)
          .join(' ')
          .replace(/\s+/g, ' ')
        for (const p of paragraphs) expect(flowed).toContain(p)
      }),
      // Each run renders and re-reads a PDF of up to three pages: few runs keep the suite quick.
      { numRuns: 6 },
    )
  })
})
