/// <reference path="../internal/oidc-provider.d.ts" />
import { createPublicKey, type KeyObject, randomUUID, X509Certificate } from 'node:crypto'
import { isValidOrganisationNumber, parseNationalId } from '@felles/identifiers'
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload, SignJWT } from 'jose'
import type { KoaContext, Provider } from 'oidc-provider'
import { JWT_BEARER, type MaskinportenRecord } from '../clients.js'
import { getNotes, type MockContext } from '../internal/context.js'
import type { RsaKeyPair } from '../internal/keys.js'
import { loadOidcProvider } from '../internal/load-oidc-provider.js'
import { createMemoryStore } from '../internal/store.js'
import { organisationNumberOf } from '../internal/x509.js'

/**
 * Maskinporten error codes used by this mock and their descriptions (see the
 * README's table). Only MP-012 (jti reuse) is a code named in our sources; the
 * other numbers are the mock's own, with Digdir's wording.
 *
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_protocol_jwtgrant
 * @example
 * ```ts
 * expect(body.error_description).toMatch(/\(MP-012\)$/)
 * ```
 */
export const MASKINPORTEN_ERRORS = {
  'MP-001': 'Invalid assertion. Client authentication failed. Client not found',
  'MP-002': 'Invalid assertion. Invalid parameter value: the assertion is not a signed JWT',
  'MP-003': 'Invalid assertion. Unsupported alg: use RS256, RS384 or RS512',
  'MP-004':
    'Invalid assertion. Failed to extract certificate or key from jwt: kid or x5c (an array) is required',
  'MP-005': 'Invalid assertion. Could not validate JWT Signature',
  'MP-006': 'Invalid assertion. Client authentication failed. Invalid JWT claim aud',
  'MP-007': 'Invalid assertion. Issue time (iat) is more than 10 seconds off our clock',
  'MP-008': 'Invalid assertion. JWT has too long lifetime (exp - iat > 120)',
  'MP-009': 'Invalid assertion. JWT is expired',
  'MP-010': 'Invalid scope. Token request contains invalid scopes for client',
  'MP-011': 'Invalid assertion. No delegation from consumer_org to the client',
  'MP-012': 'Invalid assertion. Grant is used before (jti reuse)',
  'MP-013': 'Invalid assertion. Unknown iss_onbehalfof',
  'MP-014': 'Invalid target. resource must be an array of allowed resources',
  'MP-015': 'Invalid assertion. Invalid claim value',
} as const

export type MaskinportenErrorCode = keyof typeof MASKINPORTEN_ERRORS

const ERROR_NAMES: Record<MaskinportenErrorCode, string> = {
  'MP-001': 'invalid_client',
  'MP-002': 'invalid_request',
  'MP-003': 'invalid_grant',
  'MP-004': 'invalid_grant',
  'MP-005': 'invalid_grant',
  'MP-006': 'invalid_grant',
  'MP-007': 'invalid_grant',
  'MP-008': 'invalid_grant',
  'MP-009': 'invalid_grant',
  'MP-010': 'invalid_scope',
  'MP-011': 'invalid_grant',
  'MP-012': 'invalid_grant',
  'MP-013': 'invalid_grant',
  'MP-014': 'invalid_target',
  'MP-015': 'invalid_grant',
}

/** The JSON error body Maskinporten answers with, `(MP-xxx)` at the end of the description. */
export function maskinportenError(
  code: MaskinportenErrorCode,
  detail?: string,
): { error: string; error_description: string } {
  return {
    error: ERROR_NAMES[code],
    error_description: `${MASKINPORTEN_ERRORS[code]}${detail === undefined ? '' : ` (${detail})`} (${code})`,
  }
}

class MaskinportenGrantError extends Error {
  readonly code: MaskinportenErrorCode
  readonly body: { error: string; error_description: string }
  constructor(code: MaskinportenErrorCode, detail?: string) {
    const body = maskinportenError(code, detail)
    super(body.error_description)
    this.code = code
    this.body = body
  }
}

export interface MaskinportenHandle {
  readonly provider: Provider
  readonly issuer: string
  readonly mountPath: string
  readonly signingKey: RsaKeyPair
  /** RFC 8414 metadata, as Maskinporten publishes it. */
  metadata(): Record<string, unknown>
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512']

export async function createMaskinportenProvider(
  context: MockContext,
  signingKey: RsaKeyPair,
): Promise<MaskinportenHandle> {
  const { Provider, errors } = await loadOidcProvider()
  const issuer = context.issuers.maskinporten
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '')
  const seenJti = new Map<string, number>()

  const store = createMemoryStore(context.clock, (id) => {
    const record = context.clients.get(id)
    return record?.kind === 'maskinporten' ? structuredClone(record.metadata) : undefined
  })

  const provider = new Provider(issuer, {
    adapter: store.adapter,
    jwks: { keys: [signingKey.privateJwk] },
    clients: [],
    clientAuthMethods: ['none'],
    responseTypes: ['code'],
    scopes: ['openid'],
    subjectTypes: ['public'],
    routes: { token: '/token', jwks: '/jwk' },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
    clientBasedCORS: () => false,
    async findAccount() {
      return undefined
    },
    async renderError(ctx: KoaContext, out: Record<string, unknown>) {
      ctx.type = 'json'
      ctx.body = out
    },
    ttl: {
      Interaction: 60,
      Session: 60,
      Grant: 60,
      AccessToken: 120,
      IdToken: 120,
      RefreshToken: 120,
      ClientCredentials: 120,
    },
  })

  provider.registerGrantType(
    JWT_BEARER,
    async (ctx) => {
      const record = context.clients.get(ctx.oidc.client.clientId)
      if (record?.kind !== 'maskinporten') throw new errors.InvalidClient!('client not found')
      try {
        ctx.body = await grant(ctx, record)
      } catch (error) {
        if (!(error instanceof MaskinportenGrantError)) throw error
        ctx.status = error.code === 'MP-001' ? 401 : 400
        ctx.body = error.body
      }
    },
    ['assertion'],
  )

  async function grant(ctx: KoaContext, record: MaskinportenRecord): Promise<Record<string, unknown>> {
    const notes = getNotes(ctx.req)
    const offset = notes?.clockOffsetSeconds ?? 0
    const now = Math.floor(context.clock.now() / 1000) + offset
    const assertion = String(ctx.oidc.params.assertion ?? '')

    let header: ReturnType<typeof decodeProtectedHeader>
    let claims: JWTPayload & Record<string, unknown>
    try {
      header = decodeProtectedHeader(assertion)
      claims = decodeJwt(assertion)
    } catch {
      throw new MaskinportenGrantError('MP-002')
    }
    if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg))
      throw new MaskinportenGrantError('MP-003')

    let key: KeyObject
    let clientAmr: string
    if (header.x5c !== undefined) {
      if (!record.certificateTrust)
        throw new MaskinportenGrantError('MP-004', 'the client has no certificate trust, use kid')
      if (
        !Array.isArray(header.x5c) ||
        header.x5c.length === 0 ||
        !header.x5c.every((c) => typeof c === 'string')
      ) {
        throw new MaskinportenGrantError('MP-004', 'x5c must be an array of base64 certificates')
      }
      key = await certificateKey(header.x5c as string[], record, now)
      clientAmr = 'virksomhetssertifikat'
    } else if (typeof header.kid === 'string') {
      const registered = record.keys.get(header.kid)
      if (registered === undefined) throw new MaskinportenGrantError('MP-005', 'unknown kid')
      key = registered
      clientAmr = 'private_key_jwt'
    } else {
      throw new MaskinportenGrantError('MP-004')
    }
    try {
      await compactVerify(assertion, key, { algorithms: ALGORITHMS })
    } catch {
      throw new MaskinportenGrantError('MP-005')
    }

    if (claims.aud !== issuer) throw new MaskinportenGrantError('MP-006')
    if (claims.iss !== record.registered.clientId)
      throw new MaskinportenGrantError('MP-001', 'iss is not the client')
    if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') {
      throw new MaskinportenGrantError('MP-015', 'iat and exp are required')
    }
    if (claims.exp - claims.iat > 120) throw new MaskinportenGrantError('MP-008')
    if (claims.exp < now - 10) throw new MaskinportenGrantError('MP-009')
    if (Math.abs(claims.iat - now) > 10) throw new MaskinportenGrantError('MP-007')

    // Which organisation is the consumer: the client's own, or one that delegated to it.
    const consumerOrg = claims.consumer_org
    const onBehalfOf = claims.iss_onbehalfof
    if (consumerOrg !== undefined && onBehalfOf !== undefined) {
      throw new MaskinportenGrantError('MP-015', 'consumer_org and iss_onbehalfof are mutually exclusive')
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter((s) => s !== '') : []
    if (scopes.length === 0) throw new MaskinportenGrantError('MP-010', 'scope is required')
    let consumer = record.registered.organisationNumber
    let supplier: string | undefined
    if (consumerOrg !== undefined) {
      if (typeof consumerOrg !== 'string' || !isValidOrganisationNumber(consumerOrg)) {
        throw new MaskinportenGrantError('MP-015', 'consumer_org must be an organisation number')
      }
      if (!record.delegations.has(consumerOrg)) throw new MaskinportenGrantError('MP-011')
      const delegated = record.delegations.get(consumerOrg)
      for (const scope of scopes) {
        if (delegated !== undefined ? !delegated.has(scope) : !record.registered.scopes.includes(scope)) {
          throw new MaskinportenGrantError('MP-010')
        }
      }
      supplier = consumer
      consumer = consumerOrg
    } else {
      for (const scope of scopes)
        if (!record.registered.scopes.includes(scope)) throw new MaskinportenGrantError('MP-010')
    }
    if (onBehalfOf !== undefined && (typeof onBehalfOf !== 'string' || !record.onBehalfOf.has(onBehalfOf))) {
      throw new MaskinportenGrantError('MP-013')
    }

    let aud: string | string[] = 'unspecified'
    if (claims.resource !== undefined) {
      const resource = claims.resource
      if (
        !Array.isArray(resource) ||
        resource.length === 0 ||
        !resource.every((r) => typeof r === 'string' && r !== '')
      ) {
        throw new MaskinportenGrantError('MP-014')
      }
      if (record.resources !== undefined && !resource.every((r) => record.resources?.has(r))) {
        throw new MaskinportenGrantError('MP-014', 'resource not allowed for client')
      }
      aud = resource.length === 1 ? (resource[0] as string) : [...resource]
    }
    if (claims.pid !== undefined) {
      const parsed = typeof claims.pid === 'string' ? parseNationalId(claims.pid) : undefined
      if (parsed === undefined || !parsed.valid) throw new MaskinportenGrantError('MP-015', 'pid')
    }
    if (claims.authorization_details !== undefined) {
      const details = claims.authorization_details
      if (
        !Array.isArray(details) ||
        !details.every((d) => d !== null && typeof d === 'object' && typeof d.type === 'string')
      ) {
        throw new MaskinportenGrantError('MP-015', 'authorization_details')
      }
    }

    // Replay: a jti may be used once (remembered until the assertion expires).
    if (typeof claims.jti === 'string') {
      const key = `${record.registered.clientId}\u0000${claims.jti}`
      for (const [k, until] of seenJti) if (until < now - 10) seenJti.delete(k)
      if (seenJti.has(key)) throw new MaskinportenGrantError('MP-012')
      seenJti.set(key, claims.exp)
    }

    const lifetime = context.lifetimes.maskinportenToken
    const payload: Record<string, unknown> = {
      aud,
      scope: scopes.join(' '),
      iss: issuer,
      client_amr: clientAmr,
      token_type: 'Bearer',
      exp: now + lifetime,
      iat: now,
      client_id: record.registered.clientId,
      jti: randomUUID(),
      consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${consumer}` },
      ...(supplier === undefined
        ? {}
        : {
            supplier: { authority: 'iso6523-actorid-upis', ID: `0192:${supplier}` },
            delegation_source: 'https://www.altinn.no',
          }),
      ...(typeof onBehalfOf === 'string' ? { iss_onbehalfof: onBehalfOf } : {}),
      ...(claims.pid === undefined ? {} : { pid: claims.pid }),
      ...(claims.authorization_details === undefined
        ? {}
        : { authorization_details: claims.authorization_details }),
    }
    const accessToken = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'at+jwt' })
      .sign(signingKey.privateKey)
    return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope: scopes.join(' ') }
  }

  async function certificateKey(
    x5c: readonly string[],
    record: MaskinportenRecord,
    now: number,
  ): Promise<KeyObject> {
    let leaf: X509Certificate
    try {
      leaf = new X509Certificate(Buffer.from(x5c[0] as string, 'base64'))
    } catch {
      throw new MaskinportenGrantError('MP-004', 'x5c[0] is not a certificate')
    }
    const ca = await context.ca()
    if (!leaf.checkIssued(ca.certificate) || !leaf.verify(ca.certificate.publicKey)) {
      throw new MaskinportenGrantError('MP-005', 'certificate not issued by a trusted CA')
    }
    const nowMs = now * 1000
    if (Date.parse(leaf.validFrom) > nowMs || Date.parse(leaf.validTo) < nowMs) {
      throw new MaskinportenGrantError('MP-005', 'certificate is not valid now')
    }
    if (organisationNumberOf(leaf) !== record.registered.organisationNumber) {
      throw new MaskinportenGrantError(
        'MP-005',
        "certificate belongs to another organisation than the client's",
      )
    }
    return createPublicKey(leaf.publicKey.export({ format: 'pem', type: 'spki' }))
  }

  const metadata = (): Record<string, unknown> => ({
    issuer,
    token_endpoint: `${issuer}token`,
    jwks_uri: `${issuer}jwk`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    grant_types_supported: [JWT_BEARER],
    token_endpoint_auth_signing_alg_values_supported: ALGORITHMS,
    authorization_details_types_supported: ['urn:altinn:systemuser'],
  })

  return { provider, issuer, mountPath, signingKey, metadata }
}
