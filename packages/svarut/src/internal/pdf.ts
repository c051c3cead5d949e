// Cheap PDF facts from the first and last 64 KiB, without a PDF parser.

/** Whether the bytes look like a PDF (`%PDF-` within the first KiB, as readers allow). */
export function looksLikePdf(head: Buffer): boolean {
  return head.subarray(0, 1024).includes('%PDF-', 0, 'latin1')
}

// A standard security handler is announced by an /Encrypt entry in the
// trailer (classic xref) or the xref stream dictionary, both near the end;
// linearised files repeat the trailer near the start.
const ENCRYPT = /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/

/** Whether the PDF is encrypted (password-protected). */
export function isEncryptedPdf(head: Buffer | undefined, tail: Buffer | undefined): boolean {
  return (
    (head !== undefined && ENCRYPT.test(head.toString('latin1'))) ||
    (tail !== undefined && ENCRYPT.test(tail.toString('latin1')))
  )
}
