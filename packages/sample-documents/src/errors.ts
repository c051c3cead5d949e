/** Stable codes of {@link DocumentError}. */
export type DocumentErrorCode = 'ERR_INVALID_INPUT' | 'ERR_UNSUPPORTED_CHARACTER' | 'ERR_NATIONAL_ID_IN_TEXT'

const CODES: ReadonlySet<string> = new Set<DocumentErrorCode>([
  'ERR_INVALID_INPUT',
  'ERR_UNSUPPORTED_CHARACTER',
  'ERR_NATIONAL_ID_IN_TEXT',
])

/** Options for {@link DocumentError}. */
export interface DocumentErrorOptions {
  /** Path of the offending input field, such as `recipient.postalCode` or `paragraphs[2]`. */
  readonly field: string
  /** For `ERR_UNSUPPORTED_CHARACTER`: the first character that cannot be rendered, as `U+014B`. */
  readonly codePoint?: string
  readonly cause?: unknown
}

/**
 * The one error thrown by `@felles/sample-documents` for bad input. The message
 * names the field and the rule broken, never the value, so it is safe to log
 * (inputs carry names, addresses and identity numbers).
 *
 * @example
 * ```ts
 * try { await renderLetterPdf(input) }
 * catch (e) { if (isDocumentError(e)) console.error(e.code, e.field) }
 * ```
 */
export class DocumentError extends Error {
  override readonly name = 'DocumentError' as const
  readonly code: DocumentErrorCode
  readonly field: string
  readonly codePoint: string | undefined

  constructor(code: DocumentErrorCode, message: string, options: DocumentErrorOptions) {
    super(message, { cause: options.cause })
    this.code = code
    this.field = options.field
    this.codePoint = options.codePoint
  }
}

/**
 * Type guard for {@link DocumentError} that works across duplicate installs
 * (it checks `name` and `code`, not `instanceof`).
 *
 * @param error - Anything caught.
 * @returns `true` for a `DocumentError`.
 * @example
 * ```ts
 * if (isDocumentError(e) && e.code === 'ERR_UNSUPPORTED_CHARACTER') showFieldError(e.field)
 * ```
 */
export function isDocumentError(error: unknown): error is DocumentError {
  return (
    error instanceof Error &&
    error.name === 'DocumentError' &&
    CODES.has(String((error as { code?: unknown }).code))
  )
}
