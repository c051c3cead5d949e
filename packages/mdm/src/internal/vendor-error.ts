import { isHttpError } from '@felles/http'
import { MdmError, type MdmErrorCode } from '../errors.js'
import type { Vendor } from '../model.js'

/** Reads the vendor's own error code from the error bodies of the four vendors. */
function vendorCodeOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined
  const b = body as Record<string, unknown>
  const error = b.error as Record<string, unknown> | undefined
  if (error && typeof error === 'object') {
    // Graph: {error:{code}}; Google: {error:{errors:[{reason}], status}}; Jamf School: {error:{code:405}}.
    const reasons = error.errors as { reason?: unknown }[] | undefined
    if (Array.isArray(reasons) && typeof reasons[0]?.reason === 'string') return reasons[0].reason
    if (typeof error.code === 'string') return error.code
    if (typeof error.status === 'string') return error.status
    if (typeof error.code === 'number') return String(error.code)
  }
  // Jamf Pro: {httpStatus, errors:[{code}]}; Jamf School: {code:404, message:'DeviceNotFound'}.
  const errors = b.errors as { code?: unknown }[] | undefined
  if (Array.isArray(errors) && typeof errors[0]?.code === 'string') return errors[0].code
  if (typeof b.message === 'string') return b.message
  return undefined
}

function codeFor(status: number | undefined, httpCode: string): MdmErrorCode {
  if (httpCode === 'ERR_RATE_LIMITED' || status === 429) return 'ERR_MDM_RATE_LIMITED'
  if (status === 401) return 'ERR_MDM_AUTH'
  if (status === 403 || status === 405) return 'ERR_MDM_FORBIDDEN'
  if (status === 404) return 'ERR_MDM_NOT_FOUND'
  if (status === 409 || status === 412) return 'ERR_MDM_CONFLICT'
  if (status === 400 || status === 422) return 'ERR_MDM_VALIDATION'
  return 'ERR_MDM_UNAVAILABLE'
}

/**
 * Turns a transport failure into the normalised {@link MdmError}, keeping the
 * vendor's code and request id. Anything that is not an HTTP failure is passed on.
 */
export function toMdmError(vendor: Vendor, error: unknown, what: string): unknown {
  if (!isHttpError(error)) return error
  if (error.code === 'ERR_REPEATED_PAGE') {
    return new MdmError(
      'ERR_MDM_UNAVAILABLE',
      `${vendor}: ${what} stopped: the server repeated a page link`,
      {
        vendor,
        retryable: false,
        cause: error,
      },
    )
  }
  const status = error.status
  const code = codeFor(status, error.code)
  const vendorCode = vendorCodeOf(error.body)
  return new MdmError(code, `${vendor}: ${what} failed (${status ?? error.code})`, {
    vendor,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(error.requestId === undefined ? {} : { requestId: error.requestId }),
    ...(status === undefined ? {} : { status }),
    retryable: error.retryable,
    cause: error,
  })
}

/**
 * The normalised {@link MdmError} for a failed sub-response that never became an
 * HTTP failure of its own (a Graph `$batch` item), keeping the vendor's code and request id.
 */
export function mdmErrorFromStatus(
  vendor: Vendor,
  status: number,
  body: unknown,
  requestId: string | undefined,
  what: string,
): MdmError {
  const vendorCode = vendorCodeOf(body)
  return new MdmError(codeFor(status, ''), `${vendor}: ${what} failed (${status})`, {
    vendor,
    ...(vendorCode === undefined ? {} : { vendorCode }),
    ...(requestId === undefined ? {} : { requestId }),
    status,
    retryable: status === 429 || status >= 500,
  })
}
