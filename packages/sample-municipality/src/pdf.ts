// A one-page PDF with lines of text (Helvetica, WinAnsi: æ ø å are in it), for
// demo letters and documents. Small and dependency-free on purpose.

function encodeText(text: string): string {
  let out = ''
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63
    const byte = code < 256 ? code : 63 // outside Latin-1: '?'
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`
    else if (byte < 32 || byte > 126) out += `\\${byte.toString(8).padStart(3, '0')}`
    else out += String.fromCharCode(byte)
  }
  return out
}

/**
 * A minimal valid PDF 1.4 document with a title line and body lines.
 *
 * @param title - The heading (bold).
 * @param lines - Body text, one line each (no wrapping).
 * @returns The PDF bytes.
 */
export function simplePdf(title: string, lines: readonly string[]): Uint8Array {
  const ops = [`BT /F2 16 Tf 56 780 Td (${encodeText(title)}) Tj ET`]
  let y = 750
  for (const line of lines) {
    ops.push(`BT /F1 11 Tf 56 ${y} Td (${encodeText(line)}) Tj ET`)
    y -= 16
  }
  const content = ops.join('\n')
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ]
  let pdf = '%PDF-1.4\n%\xE2\xE3\xCF\xD3\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'))
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = Buffer.byteLength(pdf, 'latin1')
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new Uint8Array(Buffer.from(pdf, 'latin1'))
}
