import fontkit from '@pdf-lib/fontkit'
import { decodePDFRawStream, PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** One line of text as pdf.js reads it back, with its position. */
export interface TextLine {
  readonly text: string
  readonly x: number
  readonly y: number
  readonly width: number
}

/** The text of each page, read by pdf.js (an independent PDF parser). */
export async function readPdf(bytes: Uint8Array): Promise<{ pages: TextLine[][]; text: string }> {
  // pdf.js takes ownership of the buffer it is given.
  const pdf = await getDocument({ data: bytes.slice(), verbosity: 0 }).promise
  const pages: TextLine[][] = []
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n)
    const content = await page.getTextContent()
    const lines: TextLine[] = []
    for (const item of content.items) {
      if (!('str' in item) || item.str === '') continue
      lines.push({ text: item.str, x: item.transform[4], y: item.transform[5], width: item.width })
    }
    pages.push(lines)
  }
  await pdf.destroy()
  return { pages, text: pages.map((p) => p.map((l) => l.text).join('\n')).join('\n') }
}

/** Base font names used by the document, such as `Helvetica` or `NotoSans-Regular`. */
export async function fontNames(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes)
  const names = new Set<string>()
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Font')) {
      const base = object.get(PDFName.of('BaseFont'))
      if (base instanceof PDFName) names.add(base.decodeText())
    }
  }
  return [...names].sort()
}

/** Every embedded TrueType font program, parsed with fontkit. */
export async function embeddedFonts(bytes: Uint8Array): Promise<ReturnType<typeof fontkit.create>[]> {
  const doc = await PDFDocument.load(bytes)
  const fonts: ReturnType<typeof fontkit.create>[] = []
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')) {
      for (const key of ['FontFile', 'FontFile2', 'FontFile3']) {
        const file = object.get(PDFName.of(key))
        const stream = file === undefined ? undefined : doc.context.lookup(file)
        if (stream instanceof PDFRawStream) fonts.push(fontkit.create(decodePDFRawStream(stream).decode()))
      }
    }
  }
  return fonts
}
