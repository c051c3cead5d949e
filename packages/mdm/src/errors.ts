import type { Vendor } from './model.js'

/** Normalised error codes, the same across vendors. */
export type MdmErrorCode =
  | 'ERR_MDM_AUTH'
  | 'ERR_MDM_FORBIDDEN'
  | 'ERR_MDM_NOT_FOUND'
  | 'ERR_MDM_RATE_LIMITED'
  | 'ERR_MDM_VALIDATION'
  | 'ERR_MDM_CONFLICT'
  | 'ERR_MDM_UNSUPPORTED'
  | 'ERR_MDM_SCOPE_VIOLATION'
  | 'ERR_MDM_UNAVAILABLE'

/** Options for {@link MdmError}. */
export interface MdmErrorOptions {
  readonly vendor?: Vendor
  /** The vendor's own error code (Graph `error.code`, Jamf `errors[].code`, Google `reason`). */
  readonly vendorCode?: string
  /** The vendor's request id, for support cases. */
  readonly requestId?: string
  readonly status?: number
  readonly retryable?: boolean
  /** The field or argument at fault, for validation errors. */
  readonly field?: string
  readonly cause?: unknown
}

/**
 * The one error class of `@felles/mdm`: vendor failures normalised to a closed
 * set of codes, keeping the vendor's code and request id. Messages never hold
 * tokens or credentials.
 *
 * @example
 * ```ts
 * try { await mdm.act(...) } catch (e) { if (isMdmError(e) && e.code === 'ERR_MDM_SCOPE_VIOLATION') … }
 * ```
 */
export class MdmError extends Error {
  override readonly name = 'MdmError' as const
  readonly code: MdmErrorCode
  readonly vendor: Vendor | undefined
  readonly vendorCode: string | undefined
  readonly requestId: string | undefined
  readonly status: number | undefined
  readonly retryable: boolean
  readonly field: string | undefined

  constructor(code: MdmErrorCode, message: string, options: MdmErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.vendor = options.vendor
    this.vendorCode = options.vendorCode
    this.requestId = options.requestId
    this.status = options.status
    this.retryable = options.retryable ?? (code === 'ERR_MDM_RATE_LIMITED' || code === 'ERR_MDM_UNAVAILABLE')
    this.field = options.field
  }

  /** A plain object for logs: no cause chain, which could hold a vendor's raw response. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      vendor: this.vendor,
      vendorCode: this.vendorCode,
      requestId: this.requestId,
      status: this.status,
      retryable: this.retryable,
      field: this.field,
    }
  }
}

/**
 * Type guard for {@link MdmError} that works across duplicate installs.
 *
 * @param error - Anything caught.
 * @returns `true` for an `MdmError`.
 * @example
 * ```ts
 * if (isMdmError(e)) console.error(e.code, e.requestId)
 * ```
 */
export function isMdmError(error: unknown): error is MdmError {
  return (
    error instanceof Error &&
    error.name === 'MdmError' &&
    typeof (error as { code?: unknown }).code === 'string' &&
    String((error as unknown as { code: string }).code).startsWith('ERR_MDM_')
  )
}
