import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import fontkit from '@pdf-lib/fontkit'
import { type PDFDocument, type PDFFont, StandardFonts } from 'pdf-lib'
import type { FontChoice } from '../document-options.js'
import { DocumentError } from '../errors.js'
import { codePointLabel, type TextField } from './validate.js'

/** The two faces every document uses. */
export interface FontPair {
  readonly kind: 'standard' | 'embedded'
  readonly regular: PDFFont
  readonly bold: PDFFont
}

// Windows-1252 (WinAnsiEncoding, PDF 32000-1 Annex D) above Latin-1's printable ranges: what
// Helvetica can show. Everything else would be mangled or throw deep inside pdf-lib.
const WIN_ANSI_EXTRA = '€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'
const winAnsi: ReadonlySet<number> = (() => {
  const set = new Set<number>()
  for (let cp = 0x20; cp <= 0x7e; cp++) set.add(cp)
  for (let cp = 0xa0; cp <= 0xff; cp++) set.add(cp)
  for (const ch of WIN_ANSI_EXTRA) set.add(ch.codePointAt(0) ?? 0)
  return set
})()

/** Whether Helvetica (WinAnsi) can show the character. */
export function isWinAnsi(codePoint: number): boolean {
  return winAnsi.has(codePoint)
}

interface NotoFaces {
  readonly regular: Uint8Array
  readonly bold: Uint8Array
  readonly covers: (codePoint: number) => boolean
  /**
   * Hands pdf-lib the fonts parsed here instead of parsing them again for each
   * document: the layout caches stay warm, which makes drawing text with them
   * about ten times faster.
   */
  readonly fontkit: { create: (bytes: Uint8Array) => ReturnType<typeof fontkit.create> }
}

let noto: Promise<NotoFaces> | undefined

/** Noto Sans from its npm package, read and parsed once per process. */
function loadNoto(): Promise<NotoFaces> {
  noto ??= (async () => {
    const require = createRequire(import.meta.url)
    const [regular, bold] = await Promise.all([
      readFile(require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf')),
      readFile(require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf')),
    ])
    const parsed = new Map([
      [regular as Uint8Array, fontkit.create(regular)],
      [bold as Uint8Array, fontkit.create(bold)],
    ])
    const [regularFont, boldFont] = [...parsed.values()]
    return {
      regular,
      bold,
      covers: (codePoint) =>
        regularFont?.hasGlyphForCodePoint(codePoint) === true &&
        boldFont?.hasGlyphForCodePoint(codePoint) === true,
      fontkit: { create: (bytes) => parsed.get(bytes) ?? fontkit.create(bytes) },
    }
  })()
  noto.catch(() => {
    noto = undefined
  })
  return noto
}

function firstMissing(text: string, covers: (codePoint: number) => boolean): number | undefined {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp === 0x0a) continue
    if (!covers(cp)) return cp
  }
  return undefined
}

function unsupported(field: string, codePoint: number, fontName: string): DocumentError {
  const label = codePointLabel(codePoint)
  return new DocumentError(
    'ERR_UNSUPPORTED_CHARACTER',
    `${field} contains the character ${label}, which the font ${fontName} cannot show`,
    { field, codePoint: label },
  )
}

/**
 * Chooses and embeds the fonts for a document. Every printed text is checked
 * against the chosen font first, so nothing is silently dropped or replaced.
 */
export async function embedFonts(
  doc: PDFDocument,
  choice: FontChoice,
  printed: readonly TextField[],
): Promise<FontPair> {
  if (choice !== 'embedded') {
    const firstOutside = printed.find((f) => firstMissing(f.text, isWinAnsi) !== undefined)
    if (firstOutside === undefined) {
      const regular = await doc.embedFont(StandardFonts.Helvetica)
      const bold = await doc.embedFont(StandardFonts.HelveticaBold)
      return { kind: 'standard', regular, bold }
    }
    if (choice === 'standard') {
      throw unsupported(
        firstOutside.field,
        firstMissing(firstOutside.text, isWinAnsi) ?? 0,
        'Helvetica (WinAnsi)',
      )
    }
  }
  const faces = await loadNoto()
  for (const { field, text } of printed) {
    const missing = firstMissing(text, faces.covers)
    if (missing !== undefined) throw unsupported(field, missing, 'Noto Sans')
  }
  doc.registerFontkit(faces.fontkit)
  // Whole fonts, not subsets: @pdf-lib/fontkit's subsetter corrupts the glyf table of Noto Sans
  // (composite glyphs such as i and a come out empty), which the tests check for. One after the
  // other, so object numbers and the output bytes stay the same from run to run.
  const regular = await doc.embedFont(faces.regular, { subset: false, customName: 'NotoSans-Regular' })
  const bold = await doc.embedFont(faces.bold, { subset: false, customName: 'NotoSans-Bold' })
  return { kind: 'embedded', regular, bold }
}
