import { parseNationalId } from '@felles/identifiers'
import { PDFDocument, type PDFPage } from 'pdf-lib'
import type { DocumentLanguage, FontChoice, PdfMetadata } from '../document-options.js'
import type { Organisation, Recipient, Signer } from '../parties.js'
import {
  ACCENT,
  CONTENT_WIDTH,
  drawLine,
  drawLineRight,
  MARGIN,
  MUTED,
  PAGE,
  PageFlow,
  RULE,
  type TextStyle,
  WHITE,
  wrapText,
} from './pdf-flow.js'
import { embedFonts, type FontPair } from './pdf-fonts.js'
import { formatOrganizationNumber, LETTER_TEXTS, type LetterTexts } from './texts.js'
import type { TextField } from './validate.js'

/** A block of body text. */
export type Block =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'bullets'; readonly items: readonly string[] }

/** Everything a letter or a guide on the municipality's letterhead is made of. */
export interface MunicipalDocument {
  readonly language: DocumentLanguage
  readonly sender: Organisation
  /** Letters have one; guides do not. */
  readonly recipient?: Recipient | undefined
  readonly showNationalIdentityNumber: boolean
  /** Label/value rows beside the recipient block (date, case number, references). */
  readonly references: readonly (readonly [string, string])[]
  /** Repeated in the running header of pages 2 and on. */
  readonly runningHeader: string
  readonly title: string
  /** A line under the title (guides). */
  readonly subtitle?: string | undefined
  readonly blocks: readonly Block[]
  readonly signers?: readonly Signer[] | undefined
  readonly electronicallyApproved: boolean
  readonly font: FontChoice
  /** Every text the document prints, with its input field, for the font check. */
  readonly printed: readonly TextField[]
  readonly metadata: PdfMetadata
}

const PRODUCER = '@felles/sample-documents (pdf-lib)'

// A shield with mountains over a wave: drawn here, in SVG path syntax, 40 × 48 units.
const SHIELD = 'M0 0 H40 V27 C40 38 31 45 20 48 C9 45 0 38 0 27 Z'
const MOUNTAINS = 'M5 30 L14 15 L19 22 L26 10 L35 30 Z'
const WAVE = 'M5 36 C9 33 12 33 15 36 C18 39 22 39 25 36 C28 33 31 33 35 36'

function drawCoatOfArms(page: PDFPage, x: number, top: number): void {
  page.drawSvgPath(SHIELD, { x, y: top, color: ACCENT })
  page.drawSvgPath(MOUNTAINS, { x, y: top, color: WHITE })
  page.drawSvgPath(WAVE, { x, y: top, borderColor: WHITE, borderWidth: 2 })
}

interface Styles {
  readonly name: TextStyle
  readonly unit: TextStyle
  readonly small: TextStyle
  readonly smallBold: TextStyle
  readonly address: TextStyle
  readonly title: TextStyle
  readonly subtitle: TextStyle
  readonly heading: TextStyle
  readonly body: TextStyle
  readonly bodyBold: TextStyle
  readonly footer: TextStyle
}

function styles(fonts: FontPair): Styles {
  return {
    name: { font: fonts.bold, size: 15, lineHeight: 18, color: ACCENT },
    unit: { font: fonts.regular, size: 10, lineHeight: 13, color: MUTED },
    small: { font: fonts.regular, size: 8.5, lineHeight: 11, color: MUTED },
    smallBold: { font: fonts.bold, size: 8.5, lineHeight: 11, color: MUTED },
    address: { font: fonts.regular, size: 10.5, lineHeight: 13.5 },
    title: { font: fonts.bold, size: 14, lineHeight: 18 },
    subtitle: { font: fonts.regular, size: 10, lineHeight: 14, color: MUTED },
    heading: { font: fonts.bold, size: 11.5, lineHeight: 15 },
    body: { font: fonts.regular, size: 10.5, lineHeight: 14.5 },
    bodyBold: { font: fonts.bold, size: 10.5, lineHeight: 14.5 },
    footer: { font: fonts.regular, size: 8, lineHeight: 10, color: MUTED },
  }
}

/** Draws lines top-down from `top`; returns the baseline of the last line. */
function drawLines(
  page: PDFPage,
  lines: readonly string[],
  x: number,
  top: number,
  style: TextStyle,
): number {
  let y = top
  for (const line of lines) {
    y -= style.lineHeight
    drawLine(page, line, x, y, style)
  }
  return y
}

function senderContactLines(sender: Organisation, texts: LetterTexts): string[] {
  const lines = [...sender.addressLines, `${sender.postalCode} ${sender.city}`]
  lines.push(`${texts.organizationNumber} ${formatOrganizationNumber(sender.organizationNumber)}`)
  if (sender.phone !== undefined) lines.push(`${texts.phone} ${sender.phone}`)
  // E-mail and web addresses speak for themselves; a label would only push them onto two lines.
  if (sender.email !== undefined) lines.push(sender.email)
  if (sender.website !== undefined) lines.push(sender.website)
  return lines
}

/** The letterhead of page 1; returns the y of the rule under it. */
function drawLetterhead(page: PDFPage, doc: MunicipalDocument, s: Styles, texts: LetterTexts): number {
  const top = PAGE.height - 42
  drawCoatOfArms(page, MARGIN.left, top)
  const nameX = MARGIN.left + 52
  const rightX = 372
  const nameWidth = rightX - nameX - 14
  let leftBottom = drawLines(
    page,
    wrapText(doc.sender.name, s.name.font, s.name.size, nameWidth),
    nameX,
    top,
    s.name,
  )
  if (doc.sender.unit !== undefined) {
    const unitLines = wrapText(doc.sender.unit, s.unit.font, s.unit.size, nameWidth)
    leftBottom = drawLines(page, unitLines, nameX, leftBottom - 2, s.unit)
  }
  leftBottom = Math.min(leftBottom, top - 48)
  const rightWidth = PAGE.width - MARGIN.right - rightX
  const contact = senderContactLines(doc.sender, texts).flatMap((l) =>
    wrapText(l, s.small.font, s.small.size, rightWidth),
  )
  const rightBottom = drawLines(page, contact, rightX, top + 2, s.small)
  const ruleY = Math.min(leftBottom, rightBottom) - 12
  page.drawLine({
    start: { x: MARGIN.left, y: ruleY },
    end: { x: PAGE.width - MARGIN.right, y: ruleY },
    thickness: 0.75,
    color: ACCENT,
  })
  return ruleY
}

function recipientLines(doc: MunicipalDocument, texts: LetterTexts): string[] {
  const r = doc.recipient
  if (r === undefined) return []
  const lines = [r.name]
  if (r.organizationNumber !== undefined) {
    lines.push(`${texts.organizationNumber} ${formatOrganizationNumber(r.organizationNumber)}`)
  }
  if (doc.showNationalIdentityNumber && r.nationalIdentityNumber !== undefined) {
    const parsed = parseNationalId(r.nationalIdentityNumber)
    const label = parsed.valid && parsed.kind === 'dnr' ? texts.dNumber : texts.nationalIdentityNumber
    lines.push(`${label}: ${r.nationalIdentityNumber}`)
  }
  lines.push(...r.addressLines, `${r.postalCode} ${r.city}`)
  if (r.country !== undefined) lines.push(r.country.toLocaleUpperCase(texts.bcp47))
  return lines
}

/** Recipient block (left) and references (right); returns the y under both. */
function drawAddressArea(
  page: PDFPage,
  top: number,
  doc: MunicipalDocument,
  s: Styles,
  texts: LetterTexts,
): number {
  const leftWidth = 250
  const lines = recipientLines(doc, texts).flatMap((l) =>
    wrapText(l, s.address.font, s.address.size, leftWidth),
  )
  const leftBottom = drawLines(page, lines, MARGIN.left, top, s.address)
  const labelX = 352
  const valueX = 430
  const valueWidth = PAGE.width - MARGIN.right - valueX
  let y = top
  for (const [label, value] of doc.references) {
    const valueLines = wrapText(value, s.address.font, 9.5, valueWidth)
    y -= 13
    drawLine(page, label, labelX, y, s.smallBold)
    valueLines.forEach((line, index) => {
      drawLine(page, line, valueX, y - index * 12, { ...s.address, size: 9.5 })
    })
    y -= (valueLines.length - 1) * 12
  }
  return Math.min(leftBottom, y)
}

function drawSignature(flow: PageFlow, doc: MunicipalDocument, s: Styles, texts: LetterTexts): void {
  const signers = doc.signers ?? []
  if (signers.length === 0 && !doc.electronicallyApproved) return
  const columnWidth = CONTENT_WIDTH / 2 - 10
  const rows: Signer[][] = []
  for (let i = 0; i < signers.length; i += 2) rows.push(signers.slice(i, i + 2))
  const rowHeight = (row: Signer[]): number =>
    Math.max(
      ...row.map(
        (signer) =>
          wrapText(signer.name, s.body.font, s.body.size, columnWidth).length +
          (signer.title === undefined
            ? 0
            : wrapText(signer.title, s.body.font, s.body.size, columnWidth).length),
      ),
    ) * s.body.lineHeight
  const note = doc.electronicallyApproved
    ? wrapText(texts.electronicallyApproved, s.small.font, s.small.size, CONTENT_WIDTH)
    : []
  const height =
    s.body.lineHeight +
    (signers.length > 0 ? 22 : 4) +
    rows.reduce((sum, row) => sum + rowHeight(row) + 6, 0) +
    note.length * s.small.lineHeight +
    8
  // The closing, the names and the note stay on one page.
  flow.space(10)
  flow.ensure(height)
  flow.y -= s.body.lineHeight
  drawLine(flow.page, texts.closing, MARGIN.left, flow.y, s.body)
  flow.space(signers.length > 0 ? 22 : 4)
  for (const row of rows) {
    const top = flow.y
    let bottom = top
    row.forEach((signer, column) => {
      const x = MARGIN.left + column * (columnWidth + 20)
      let y = drawLines(
        flow.page,
        wrapText(signer.name, s.body.font, s.body.size, columnWidth),
        x,
        top,
        s.body,
      )
      if (signer.title !== undefined) {
        const titleStyle = { ...s.body, color: MUTED }
        y = drawLines(
          flow.page,
          wrapText(signer.title, s.body.font, s.body.size, columnWidth),
          x,
          y,
          titleStyle,
        )
      }
      bottom = Math.min(bottom, y)
    })
    flow.y = bottom - 6
  }
  if (note.length > 0) {
    flow.space(8)
    for (const line of note) {
      flow.y -= s.small.lineHeight
      drawLine(flow.page, line, MARGIN.left, flow.y, s.small)
    }
  }
}

function drawBlocks(flow: PageFlow, blocks: readonly Block[], s: Styles): void {
  for (const block of blocks) {
    if (block.kind === 'heading') {
      flow.space(8)
      // A heading is never the last line of a page.
      flow.ensure(s.heading.lineHeight + 2 * s.body.lineHeight + 8)
      flow.text(block.text, s.heading, { keepLines: 1 })
      flow.space(3)
    } else if (block.kind === 'paragraph') {
      flow.text(block.text, s.body)
      flow.space(7)
    } else {
      const indent = MARGIN.left + 14
      for (const item of block.items) {
        const lines = wrapText(item, s.body.font, s.body.size, PAGE.width - MARGIN.right - indent)
        // The bullet and the item's first two lines share a page.
        flow.ensure(s.body.lineHeight * Math.min(lines.length, 2))
        drawLine(flow.page, '•', MARGIN.left + 3, flow.y - s.body.lineHeight, s.body)
        flow.lines(lines, s.body, indent)
        flow.space(3)
      }
      flow.space(5)
    }
  }
}

function drawFooters(pages: readonly PDFPage[], doc: MunicipalDocument, s: Styles, texts: LetterTexts): void {
  const left = `${doc.sender.name} · ${texts.organizationNumber} ${formatOrganizationNumber(doc.sender.organizationNumber)}`
  const leftLine = wrapText(left, s.footer.font, s.footer.size, CONTENT_WIDTH - 90)[0] ?? ''
  pages.forEach((page, index) => {
    page.drawLine({
      start: { x: MARGIN.left, y: 58 },
      end: { x: PAGE.width - MARGIN.right, y: 58 },
      thickness: 0.5,
      color: RULE,
    })
    drawLine(page, leftLine, MARGIN.left, 44, s.footer)
    drawLineRight(page, texts.page(index + 1, pages.length), PAGE.width - MARGIN.right, 44, s.footer)
  })
}

function drawRunningHeader(page: PDFPage, doc: MunicipalDocument, s: Styles): number {
  const top = PAGE.height - MARGIN.top
  const name = wrapText(doc.sender.name, s.smallBold.font, s.smallBold.size, CONTENT_WIDTH / 2)[0] ?? ''
  drawLine(page, name, MARGIN.left, top, s.smallBold)
  const right = wrapText(doc.runningHeader, s.small.font, s.small.size, CONTENT_WIDTH / 2 - 10)[0] ?? ''
  drawLineRight(page, right, PAGE.width - MARGIN.right, top, s.small)
  page.drawLine({
    start: { x: MARGIN.left, y: top - 8 },
    end: { x: PAGE.width - MARGIN.right, y: top - 8 },
    thickness: 0.5,
    color: RULE,
  })
  return top - 24
}

/** Renders a letter or guide on the municipality's letterhead. */
export async function renderMunicipalPdf(doc: MunicipalDocument): Promise<Uint8Array> {
  const texts = LETTER_TEXTS[doc.language]
  const pdf = await PDFDocument.create({ updateMetadata: false })
  const fonts = await embedFonts(pdf, doc.font, doc.printed)
  const s = styles(fonts)

  const flow = new PageFlow(pdf, (page, index) => {
    return index === 0 ? firstPageStart(page) : drawRunningHeader(page, doc, s)
  })
  const firstPageStart = (page: PDFPage): number => {
    const ruleY = drawLetterhead(page, doc, s, texts)
    const areaBottom = drawAddressArea(page, ruleY - 22, doc, s, texts)
    return areaBottom - (doc.recipient === undefined ? 18 : 34)
  }

  flow.newPage()
  flow.text(doc.title, doc.recipient === undefined ? { ...s.title, size: 18, lineHeight: 23 } : s.title)
  if (doc.subtitle !== undefined) flow.text(doc.subtitle, s.subtitle)
  flow.space(doc.recipient === undefined ? 14 : 8)
  drawBlocks(flow, doc.blocks, s)
  drawSignature(flow, doc, s, texts)
  drawFooters(flow.pages, doc, s, texts)

  const created = doc.metadata.creationDate ?? new Date()
  pdf.setTitle(doc.title, { showInWindowTitleBar: true })
  pdf.setAuthor(doc.metadata.author ?? doc.sender.name)
  if (doc.metadata.subject !== undefined) pdf.setSubject(doc.metadata.subject)
  if (doc.metadata.keywords !== undefined) pdf.setKeywords([...doc.metadata.keywords])
  pdf.setLanguage(texts.bcp47)
  pdf.setCreator(PRODUCER)
  pdf.setProducer(PRODUCER)
  pdf.setCreationDate(created)
  pdf.setModificationDate(created)
  return pdf.save()
}
