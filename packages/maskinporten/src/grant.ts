import { randomUUID } from 'node:crypto'
import { isValidNationalId, isValidOrganisationNumber } from '@felles/identifiers'
import { SignJWT } from 'jose'
import { type MaskinportenSigningKey, privateKeyOf } from './keys.js'

/** One entry of `authorization_details` (RFC 9396), for example an Altinn system user. */
export interface AuthorizationDetail {
  /** `urn:altinn:systemuser` for system users. */
  readonly type: string
  readonly [member: string]: unknown
}

/** What a token is asked for, beyond the client's defaults. */
export interface TokenRequestOptions {
  /** Scopes; default the client's `scopes`. */
  readonly scopes?: readonly string[]
  /** RFC 8707 audience restriction: the API's identifier(s). Sent as an array. */
  readonly resource?: string | readonly string[]
  /** Delegation: the organisation (9 digits) that delegated access to this client's organisation. */
  readonly consumerOrg?: string
  /** The organisation a supplier acts on behalf of (`iss_onbehalfof`), as registered at Digdir. */
  readonly issOnBehalfOf?: string
  /** A person's national identity number, for APIs that need one (`pid`). Never logged. */
  readonly pid?: string
  /** Rich authorization requests, for Altinn system users. */
  readonly authorizationDetails?: readonly AuthorizationDetail[]
}

/** Options of {@link createGrant}. */
export interface GrantOptions extends TokenRequestOptions {
  /** Maskinporten's issuer, exactly as in its metadata (with the trailing slash): becomes `aud`. */
  readonly issuer: string
  /** The client id: becomes `iss`. */
  readonly clientId: string
  /** The loaded key (see {@link loadSigningKey}). */
  readonly key: MaskinportenSigningKey
  readonly scopes: readonly string[]
  /** `iat`, in epoch ms. Default `Date.now()`. */
  readonly now?: number
  /** `exp − iat` in seconds, 1–120. Default 60. */
  readonly lifetime?: number
  /** Default a random UUID. Pass only in tests: every grant needs a fresh one. */
  readonly jti?: string
}

/** The claims of a grant, as sent. */
export interface GrantClaims {
  readonly aud: string
  readonly iss: string
  readonly iat: number
  readonly exp: number
  readonly jti: string
  readonly scope: string
  readonly resource?: readonly string[]
  readonly consumer_org?: string
  readonly iss_onbehalfof?: string
  readonly pid?: string
  readonly authorization_details?: readonly AuthorizationDetail[]
}

/** The longest `exp − iat` Maskinporten accepts, in seconds. */
export const MAX_GRANT_LIFETIME = 120

const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]+$/

/** @internal Validates and normalises the request part; returns sorted, de-duplicated scopes. */
export function normaliseRequest(request: TokenRequestOptions & { readonly scopes: readonly string[] }): {
  scopes: string[]
  resource: string[] | undefined
} {
  if (!Array.isArray(request.scopes) || request.scopes.length === 0) {
    throw new TypeError('At least one scope is needed')
  }
  for (const scope of request.scopes) {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) {
      throw new TypeError(`Invalid scope ${JSON.stringify(String(scope))}: a scope has no spaces or quotes`)
    }
  }
  const scopes = [...new Set(request.scopes)].sort()
  let resource: string[] | undefined
  if (request.resource !== undefined) {
    resource = typeof request.resource === 'string' ? [request.resource] : [...request.resource]
    if (resource.length === 0 || resource.some((r) => typeof r !== 'string' || r === '')) {
      throw new TypeError('resource must be a non-empty string or a non-empty array of them')
    }
  }
  if (request.consumerOrg !== undefined && !isValidOrganisationNumber(request.consumerOrg)) {
    throw new TypeError('consumerOrg must be a valid organisasjonsnummer (9 digits)')
  }
  if (
    request.issOnBehalfOf !== undefined &&
    (typeof request.issOnBehalfOf !== 'string' || request.issOnBehalfOf === '')
  ) {
    throw new TypeError('issOnBehalfOf must be a non-empty string')
  }
  // The message never repeats the value: it is a national identity number.
  if (request.pid !== undefined && !isValidNationalId(request.pid)) {
    throw new TypeError('pid must be a valid national identity number')
  }
  if (request.authorizationDetails !== undefined) {
    if (
      !Array.isArray(request.authorizationDetails) ||
      request.authorizationDetails.some(
        (d) => d === null || typeof d !== 'object' || typeof d.type !== 'string',
      )
    ) {
      throw new TypeError('authorizationDetails must be an array of objects with a string "type"')
    }
  }
  return { scopes, resource }
}

/**
 * The claims of a Maskinporten JWT grant, built to Digdir's rules: `aud` is
 * the issuer exactly (trailing slash kept), `iss` the client id, `iat` now,
 * `exp − iat` at most 120 s, a fresh `jti`, `scope` space-separated, and the
 * optional `resource` (always an array), `consumer_org`, `iss_onbehalfof`,
 * `pid` and `authorization_details`.
 *
 * @param options - Issuer, client, scopes and optional claims.
 * @returns The claims.
 * @throws {TypeError} for a missing scope, an invalid organisasjonsnummer or pid, or a lifetime outside 1–120 s.
 * @example
 * ```ts
 * const claims = grantClaims({ issuer: 'https://test.maskinporten.no/', clientId: 'abc', key, scopes: ['ks:fiks'] })
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant
 */
export function grantClaims(options: Omit<GrantOptions, 'key'>): GrantClaims {
  if (typeof options.issuer !== 'string' || options.issuer === '') throw new TypeError('issuer is required')
  if (typeof options.clientId !== 'string' || options.clientId === '')
    throw new TypeError('clientId is required')
  const lifetime = options.lifetime ?? 60
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > MAX_GRANT_LIFETIME) {
    throw new TypeError(`lifetime must be a whole number of seconds from 1 to ${MAX_GRANT_LIFETIME}`)
  }
  const { scopes, resource } = normaliseRequest(options)
  const iat = Math.floor((options.now ?? Date.now()) / 1000)
  return {
    aud: options.issuer,
    iss: options.clientId,
    iat,
    exp: iat + lifetime,
    jti: options.jti ?? randomUUID(),
    scope: scopes.join(' '),
    ...(resource === undefined ? {} : { resource }),
    ...(options.consumerOrg === undefined ? {} : { consumer_org: options.consumerOrg }),
    ...(options.issOnBehalfOf === undefined ? {} : { iss_onbehalfof: options.issOnBehalfOf }),
    ...(options.pid === undefined ? {} : { pid: options.pid }),
    ...(options.authorizationDetails === undefined
      ? {}
      : { authorization_details: options.authorizationDetails }),
  }
}

/**
 * Builds and signs a Maskinporten JWT grant with `jose`. The header carries
 * `alg` and either `kid` (a registered key) or `x5c` (the business
 * certificate chain, as an array).
 *
 * @param options - Issuer, client, key, scopes and optional claims.
 * @returns The compact JWS to send as `assertion`.
 * @throws {TypeError} for invalid options (see {@link grantClaims}).
 * @example
 * ```ts
 * const assertion = await createGrant({ issuer: 'https://test.maskinporten.no/', clientId, key, scopes: ['ks:fiks'] })
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant
 */
export async function createGrant(options: GrantOptions): Promise<string> {
  const claims = grantClaims(options)
  return signGrant(claims, options.key)
}

/** @internal */
export function signGrant(claims: GrantClaims, key: MaskinportenSigningKey): Promise<string> {
  const header =
    key.kid !== undefined ? { alg: key.alg, kid: key.kid } : { alg: key.alg, x5c: [...(key.x5c ?? [])] }
  return new SignJWT({ ...claims }).setProtectedHeader(header).sign(privateKeyOf(key))
}
