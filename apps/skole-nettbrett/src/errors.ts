/** Stable codes of the console's own errors. */
export type ConsoleErrorCode = 'ERR_NOT_FOUND' | 'ERR_VALIDATION' | 'ERR_FORBIDDEN'

/**
 * The console's error: `ERR_NOT_FOUND` for anything outside the caller's schools
 * (reported exactly like a missing thing), `ERR_VALIDATION` naming the field.
 * Messages never carry personal data.
 */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError' as const
  readonly code: ConsoleErrorCode
  readonly field: string | undefined

  constructor(code: ConsoleErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.field = options.field
  }
}

/** Whether a value is a {@link ConsoleError} (by name and code, so it works across copies). */
export function isConsoleError(error: unknown): error is ConsoleError {
  return (
    error instanceof Error &&
    error.name === 'ConsoleError' &&
    typeof (error as { code?: unknown }).code === 'string'
  )
}
