import { redactText } from '@felles/http'
import { MaskinportenError, type MaskinportenErrorCode } from '../errors.js'

/** What the token endpoint answered, as far as errors go. */
export interface TokenErrorInput {
  readonly status: number
  readonly body: unknown
  /** Local clock minus the server's `Date` header, in seconds; `undefined` without one. */
  readonly skewSeconds: number | undefined
  readonly maxSkewSeconds: number
  readonly requestId: string | undefined
  /** The issuer sent as `aud`, for the wrong-audience message. */
  readonly issuer: string
}

interface Cause {
  readonly code: MaskinportenErrorCode
  readonly text: string
}

// The documented causes, from Digdir's troubleshooting page for Maskinporten.
const MP_CAUSES: Readonly<Record<string, Cause>> = {
  'MP-012': {
    code: 'ERR_JTI_REUSED',
    text: 'the assertion\'s "jti" was used before; every grant needs a fresh jti (this client makes one per attempt, so another process may share the grant)',
  },
  'MP-100': {
    code: 'ERR_INVALID_GRANT',
    text: 'client authentication failed: the signature does not verify with a key registered for this client (wrong kid, or a key removed in self-service), the certificate is not linked to the client\'s organisation, or "iss" is not the client id',
  },
  'MP-110': {
    code: 'ERR_WRONG_AUDIENCE',
    text: '"aud" must be Maskinporten\'s issuer of the same environment exactly, trailing slash included (test and production differ)',
  },
  'MP-120': {
    code: 'ERR_INVALID_CERTIFICATE',
    text: 'the assertion is signed with a certificate Maskinporten does not accept: a test certificate in production or the other way round, a certificate that is not a business certificate (virksomhetssertifikat), a revoked one, or an incomplete chain',
  },
  'MP-121': {
    code: 'ERR_EXPIRED_KEY',
    text: 'the key or certificate has expired; rotate to a new one and register it in self-service',
  },
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function clean(description: string): string {
  const text = redactText(description).replace(/[\r\n\t]+/g, ' ')
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** @internal Formats a skew for a message. */
export function skewText(skewSeconds: number): string {
  const s = Math.round(Math.abs(skewSeconds))
  return `the local clock is ${s} s ${skewSeconds > 0 ? 'ahead of' : 'behind'} Maskinporten's (its Date header)`
}

/**
 * Maps a failed token response to a {@link MaskinportenError} whose message
 * names the documented cause. 5xx and 429 are retryable; nothing else is.
 *
 * @internal
 */
export function tokenError(input: TokenErrorInput): MaskinportenError {
  const body = (input.body !== null && typeof input.body === 'object' ? input.body : {}) as Record<
    string,
    unknown
  >
  const error = str(body.error)
  const rawDescription = str(body.error_description)
  const description = rawDescription === undefined ? undefined : clean(rawDescription)
  const mpCode = rawDescription === undefined ? undefined : /\bMP-\d{3}\b/.exec(rawDescription)?.[0]
  const said = description === undefined ? '' : ` Maskinporten said: "${description}"`
  const label = [mpCode, error].filter((v) => v !== undefined).join(', ')
  const base = {
    status: input.status,
    ...(error === undefined ? {} : { error }),
    ...(mpCode === undefined ? {} : { mpCode }),
    ...(description === undefined ? {} : { description }),
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
  }

  if (input.status >= 500 || input.status === 429 || input.status === 408) {
    return new MaskinportenError(
      'ERR_SERVER',
      `Maskinporten answered ${input.status}${input.status === 429 ? ' (rate limited)' : ''}; try again later.${said}`,
      { ...base, retryable: true },
    )
  }
  const skewed = input.skewSeconds !== undefined && Math.abs(input.skewSeconds) > input.maxSkewSeconds
  const timeComplaint =
    rawDescription !== undefined && /\b(iat|exp|nbf)\b|expired|not yet valid|clock|time/i.test(rawDescription)
  if (
    skewed &&
    (error === 'invalid_grant' || error === 'invalid_request' || timeComplaint || mpCode === undefined)
  ) {
    return new MaskinportenError(
      'ERR_CLOCK_SKEW',
      `Maskinporten refused the grant${label === '' ? '' : ` (${label})`} because ${skewText(input.skewSeconds!)}; it accepts "iat" within ±10 s. Synchronise this machine's clock (NTP).${said}`,
      base,
    )
  }
  const known = mpCode === undefined ? undefined : MP_CAUSES[mpCode]
  let cause: Cause | undefined = known
  if (cause === undefined && rawDescription !== undefined) {
    if (/x5c/i.test(rawDescription)) {
      cause = {
        code: 'ERR_X5C_FORMAT',
        text: '"x5c" must be a JSON array of base64 DER certificates, leaf first, not a string',
      }
    } else if (/\bjti\b/i.test(rawDescription)) {
      cause = MP_CAUSES['MP-012']
    } else if (/\baud(ience)?\b/i.test(rawDescription)) {
      cause = MP_CAUSES['MP-110']
    } else if (/expired (key|certificate)/i.test(rawDescription)) {
      cause = MP_CAUSES['MP-121']
    } else if (timeComplaint) {
      cause = {
        code: 'ERR_CLOCK_SKEW',
        text: '"iat" or "exp" is outside what Maskinporten accepts (iat within ±10 s, exp − iat ≤ 120 s); check this machine\'s clock',
      }
    }
  }
  if (cause === undefined && error === 'invalid_scope') {
    cause = {
      code: 'ERR_INVALID_SCOPE',
      text: 'a scope is unknown, or not granted to this client (or, with consumer_org, not delegated by that organisation)',
    }
  }
  if (cause === undefined && error === 'invalid_target') {
    cause = {
      code: 'ERR_INVALID_GRANT',
      text: 'a resource is not allowed for this client; resource must be an array of audiences registered for the API',
    }
  }
  if (cause === undefined && (error === 'invalid_client' || error === 'unauthorized_client')) {
    cause = {
      code: 'ERR_INVALID_CLIENT',
      text: 'the client id is unknown or may not use the JWT bearer grant',
    }
  }
  cause ??= {
    code: 'ERR_INVALID_GRANT',
    text:
      error === 'invalid_grant'
        ? 'the grant was refused'
        : `the request was refused with status ${input.status}`,
  }
  const audienceHint = cause.code === 'ERR_WRONG_AUDIENCE' ? ` (this client sent aud "${input.issuer}")` : ''
  return new MaskinportenError(
    cause.code,
    `Maskinporten refused the grant${label === '' ? '' : ` (${label})`}: ${cause.text}${audienceHint}.${said}`,
    base,
  )
}
