import { type Color, type PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'

/** A4 portrait in PDF points. */
export const PAGE = { width: 595.28, height: 841.89 } as const
/** Margins of the text area; the bottom one leaves room for the footer. */
export const MARGIN = { left: 62, right: 57, top: 50, bottom: 82 } as const
export const CONTENT_WIDTH: number = PAGE.width - MARGIN.left - MARGIN.right

// Body text #1a1a1a and secondary text #4d4d4d on white: contrast 17:1 and 8.5:1.
export const INK: Color = rgb(0.1, 0.1, 0.1)
export const MUTED: Color = rgb(0.3, 0.3, 0.3)
export const ACCENT: Color = rgb(0.09, 0.27, 0.47)
export const RULE: Color = rgb(0.75, 0.75, 0.75)
export const WHITE: Color = rgb(1, 1, 1)

/** Font, size and leading of a run of text. */
export interface TextStyle {
  readonly font: PDFFont
  readonly size: number
  readonly lineHeight: number
  readonly color?: Color
}

function splitLongWord(word: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const parts: string[] = []
  let current = ''
  for (const ch of word) {
    if (current !== '' && font.widthOfTextAtSize(current + ch, size) > maxWidth) {
      parts.push(current)
      current = ch
    } else {
      current += ch
    }
  }
  if (current !== '') parts.push(current)
  return parts
}

/**
 * Greedy word wrap measured with the font's own metrics. A line feed starts a
 * new line; a word wider than the line is broken between characters.
 */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = []
  for (const hardLine of text.split('\n')) {
    const words = hardLine.split(/[ \t]+/).filter((w) => w !== '')
    if (words.length === 0) {
      lines.push('')
      continue
    }
    let current = ''
    for (const word of words) {
      const candidate = current === '' ? word : `${current} ${word}`
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        current = candidate
        continue
      }
      if (current !== '') lines.push(current)
      if (font.widthOfTextAtSize(word, size) <= maxWidth) {
        current = word
      } else {
        const pieces = splitLongWord(word, font, size, maxWidth)
        current = pieces.pop() ?? ''
        lines.push(...pieces)
      }
    }
    lines.push(current)
  }
  return lines
}

/** Draws one line with its baseline at `y`. */
export function drawLine(page: PDFPage, text: string, x: number, y: number, style: TextStyle): void {
  if (text === '') return
  page.drawText(text, { x, y, font: style.font, size: style.size, color: style.color ?? INK })
}

/** Draws one line right-aligned at `right`. */
export function drawLineRight(page: PDFPage, text: string, right: number, y: number, style: TextStyle): void {
  const width = style.font.widthOfTextAtSize(text, style.size)
  drawLine(page, text, right - width, y, style)
}

/**
 * Flows text down the pages of a document: a cursor (`y`, the baseline of the
 * last line drawn) that starts a new page when the next line would run into
 * the bottom margin.
 */
export class PageFlow {
  readonly pages: PDFPage[] = []
  readonly #doc: PDFDocument
  readonly #startPage: (page: PDFPage, index: number) => number
  #page: PDFPage | undefined
  y = 0

  /**
   * @param startPage - Draws what a new page begins with (letterhead or running
   *   header) and returns the y where the text flow starts.
   */
  constructor(doc: PDFDocument, startPage: (page: PDFPage, index: number) => number) {
    this.#doc = doc
    this.#startPage = startPage
  }

  get page(): PDFPage {
    if (this.#page === undefined) this.newPage()
    return this.#page as PDFPage
  }

  newPage(): void {
    const page = this.#doc.addPage([PAGE.width, PAGE.height])
    this.pages.push(page)
    this.#page = page
    this.y = this.#startPage(page, this.pages.length - 1)
  }

  /** Starts a new page unless `height` more points fit above the bottom margin. */
  ensure(height: number): void {
    if (this.#page === undefined) this.newPage()
    if (this.y - height < MARGIN.bottom) this.newPage()
  }

  space(points: number): void {
    this.y -= points
  }

  /** Wrapped text at `x` within `width`; keeps at least `keepLines` lines together. */
  text(
    text: string,
    style: TextStyle,
    options: { x?: number; width?: number; keepLines?: number } = {},
  ): void {
    const x = options.x ?? MARGIN.left
    const width = options.width ?? PAGE.width - MARGIN.right - x
    const lines = wrapText(text, style.font, style.size, width)
    this.ensure(style.lineHeight * Math.min(lines.length, options.keepLines ?? 2))
    this.lines(lines, style, x)
  }

  /** Already wrapped lines at `x`, breaking pages between lines as needed. */
  lines(lines: readonly string[], style: TextStyle, x: number): void {
    for (const line of lines) {
      this.ensure(style.lineHeight)
      this.y -= style.lineHeight
      drawLine(this.page, line, x, this.y, style)
    }
  }
}
