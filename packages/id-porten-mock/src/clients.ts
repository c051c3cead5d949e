import {
  createPublicKey,
  generateKeyPair as generateKeyPairCallback,
  type KeyObject,
  randomBytes,
  randomUUID,
  X509Certificate,
} from 'node:crypto'
import { promisify } from 'node:util'
import { isValidOrganisationNumber } from '@felles/identifiers'
import type { JWK } from 'jose'
import {
  generateRsaKeyPair,
  isPrivateJwk,
  normalisePublicJwk,
  publicJwkOf,
  type RsaKeyPair,
} from './internal/keys.js'
import { issueCertificate, toPem } from './internal/x509.js'
import type {
  ClientAuthMethod,
  ClientKey,
  MaskinportenClientOptions,
  OidcClientOptions,
  RegisteredMaskinportenClient,
  RegisteredOidcClient,
  TestBusinessCertificate,
} from './types.js'

const generateKeyPair = promisify(generateKeyPairCallback)

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
export const ANSATTPORTEN_RAR_TYPE = 'ansattporten:altinn:service'

const AUTH_METHODS = new Set<ClientAuthMethod>([
  'private_key_jwt',
  'client_secret_basic',
  'client_secret_post',
  'none',
])

export interface OidcRecord {
  readonly kind: 'oidc'
  registered: RegisteredOidcClient
  metadata: Record<string, unknown>
}

export interface MaskinportenRecord {
  readonly kind: 'maskinporten'
  registered: RegisteredMaskinportenClient
  /** Registered public keys by kid. */
  readonly keys: Map<string, KeyObject>
  readonly certificateTrust: boolean
  readonly delegations: ReadonlyMap<string, ReadonlySet<string> | undefined>
  readonly onBehalfOf: ReadonlySet<string>
  readonly resources: ReadonlySet<string> | undefined
  metadata: Record<string, unknown>
}

export type ClientRecord = OidcRecord | MaskinportenRecord

/** The mock's test CA for business certificates, created on first use. */
export interface TestCa {
  readonly pem: string
  readonly certificate: X509Certificate
  readonly privateKey: KeyObject
}

const CA_NAME = {
  commonName: 'Felles Test CA (id-porten-mock, not for production)',
  organisationName: 'Felles',
}

export async function createTestCa(): Promise<TestCa> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
  const now = Date.now()
  const der = issueCertificate({
    subject: CA_NAME,
    subjectPublicKey: publicKey,
    issuer: CA_NAME,
    issuerPrivateKey: privateKey,
    notBefore: new Date(now - 24 * 3600_000),
    notAfter: new Date(now + 10 * 365 * 24 * 3600_000),
    ca: true,
  })
  return { pem: toPem(der), certificate: new X509Certificate(der), privateKey }
}

export async function issueBusinessCertificate(
  ca: TestCa,
  organisationNumber: string,
  organisationName: string,
  notAfter?: Date,
): Promise<TestBusinessCertificate> {
  const { privateKey, publicKey } = await generateKeyPair('rsa', { modulusLength: 2048 })
  const now = Date.now()
  const end = notAfter ?? new Date(now + 365 * 24 * 3600_000)
  const der = issueCertificate({
    subject: { commonName: `${organisationName.toUpperCase()} TEST`, organisationName, organisationNumber },
    subjectPublicKey: publicKey,
    issuer: CA_NAME,
    issuerPrivateKey: ca.privateKey,
    notBefore: new Date(Math.min(now - 24 * 3600_000, end.getTime() - 3600_000)),
    notAfter: end,
    ca: false,
  })
  const certificatePem = toPem(der)
  return {
    x5c: [der.toString('base64'), ca.certificate.raw.toString('base64')],
    certificatePem,
    chainPem: certificatePem + ca.pem,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), alg: 'RS256' },
    organisationNumber,
    notAfter: end,
  }
}

/** Key material for a client key: generated, or normalised from a given JWK. */
export async function clientKeyFrom(jwk: JWK | undefined): Promise<{ key: ClientKey; publicKey: KeyObject }> {
  if (jwk === undefined) {
    const pair: RsaKeyPair = await generateRsaKeyPair()
    return {
      key: { kid: pair.kid, publicJwk: pair.publicJwk, privateJwk: pair.privateJwk },
      publicKey: pair.publicKey,
    }
  }
  if (jwk.kty !== 'RSA') throw new TypeError('client keys must be RSA (RS256/RS384/RS512)')
  const publicJwk = await normalisePublicJwk(jwk)
  const publicKey = createPublicKey({ key: publicJwk as import('node:crypto').JsonWebKey, format: 'jwk' })
  if ((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new TypeError('RSA keys must be ≥ 2048 bits')
  const key: ClientKey = isPrivateJwk(jwk)
    ? { kid: publicJwk.kid, publicJwk, privateJwk: { ...jwk, kid: publicJwk.kid } }
    : { kid: publicJwk.kid, publicJwk }
  return { key, publicKey }
}

function uris(name: string, values: readonly string[] | undefined, required: boolean): string[] {
  if (values === undefined || values.length === 0) {
    if (required) throw new TypeError(`${name} must list at least one URI`)
    return []
  }
  for (const value of values) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new TypeError(`${name}: "${value}" is not an absolute URI`)
    }
    if (url.hash !== '') throw new TypeError(`${name}: "${value}" must not have a fragment`)
  }
  return [...values]
}

/** Builds a login client's registration and oidc-provider metadata. */
export async function createOidcRecord(options: OidcClientOptions, issuer: string): Promise<OidcRecord> {
  const flavour = options.issuer ?? 'idporten'
  const clientId = options.clientId ?? randomUUID()
  if (clientId.length === 0 || clientId.length > 200) throw new TypeError('clientId must be 1–200 characters')
  const authMethod = options.authMethod ?? 'private_key_jwt'
  if (!AUTH_METHODS.has(authMethod)) throw new TypeError(`unsupported authMethod "${String(authMethod)}"`)
  const redirectUris = uris('redirectUris', options.redirectUris, true)
  const postLogoutRedirectUris = uris('postLogoutRedirectUris', options.postLogoutRedirectUris, false)
  const frontchannel =
    options.frontchannelLogoutUri === undefined
      ? []
      : uris('frontchannelLogoutUri', [options.frontchannelLogoutUri], true)
  const scopes = [...new Set(['openid', ...(options.scopes ?? ['openid', 'profile'])])]

  const keys: ClientKey[] = []
  let clientSecret: string | undefined
  if (authMethod === 'private_key_jwt') {
    keys.push((await clientKeyFrom(options.jwk)).key)
  } else if (authMethod === 'client_secret_basic' || authMethod === 'client_secret_post') {
    clientSecret = options.clientSecret ?? randomBytes(32).toString('base64url')
    if (clientSecret.length < 16) throw new TypeError('clientSecret must be at least 16 characters')
  }

  const hosts = new Set(redirectUris.map((u) => new URL(u).host))
  const metadata: Record<string, unknown> = {
    client_id: clientId,
    ...(options.clientName === undefined ? {} : { client_name: options.clientName }),
    application_type: 'web',
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutRedirectUris,
    response_types: ['code'],
    grant_types:
      options.refreshTokens === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'],
    token_endpoint_auth_method: authMethod,
    // API scopes ride on resource indicators; oidc-provider only knows the OpenID ones.
    scope: scopes.filter((s) => s === 'openid' || s === 'profile' || s === 'offline_access').join(' '),
    subject_type: 'pairwise',
    require_auth_time: true,
    // Pairwise `sub` is computed per client (as ID-porten does), so the sector
    // URI only satisfies the schema for clients with several redirect hosts.
    ...(hosts.size > 1
      ? { sector_identifier_uri: `https://sector.invalid/${encodeURIComponent(clientId)}` }
      : {}),
    require_pushed_authorization_requests: options.requirePushedAuthorizationRequests === true,
    ...(clientSecret === undefined ? {} : { client_secret: clientSecret }),
    ...(frontchannel.length === 0
      ? {}
      : {
          frontchannel_logout_uri: frontchannel[0],
          frontchannel_logout_session_required: options.frontchannelLogoutSessionRequired !== false,
        }),
    ...(flavour === 'ansattporten' ? { authorization_details_types: [ANSATTPORTEN_RAR_TYPE] } : {}),
  }
  setJwks(metadata, keys)

  const registered: RegisteredOidcClient = {
    kind: 'oidc',
    flavour,
    issuer,
    clientId,
    authMethod,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    keys,
    redirectUris,
    postLogoutRedirectUris,
    ...(frontchannel[0] === undefined ? {} : { frontchannelLogoutUri: frontchannel[0] }),
    scopes,
    metadata,
  }
  return { kind: 'oidc', registered: hideSecrets(registered), metadata }
}

export function setJwks(metadata: Record<string, unknown>, keys: readonly ClientKey[]): void {
  if (metadata.token_endpoint_auth_method === 'private_key_jwt') {
    metadata.jwks = { keys: keys.map((k) => publicJwkOf(k.publicJwk)) }
  }
}

export interface MaskinportenContext {
  readonly issuer: string
  readonly tokenEndpoint: string
  readonly defaultOrganisation: { organisationNumber: string; name: string }
  organisationName(organisationNumber: string): string
  ca(): Promise<TestCa>
}

/** Builds a Maskinporten client's registration and oidc-provider metadata. */
export async function createMaskinportenRecord(
  options: MaskinportenClientOptions,
  context: MaskinportenContext,
): Promise<MaskinportenRecord> {
  const clientId = options.clientId ?? randomUUID()
  if (clientId.length === 0 || clientId.length > 200) throw new TypeError('clientId must be 1–200 characters')
  const organisationNumber = options.organisationNumber ?? context.defaultOrganisation.organisationNumber
  if (!isValidOrganisationNumber(organisationNumber)) throw new TypeError('organisationNumber is not valid')
  if (!Array.isArray(options.scopes) || options.scopes.length === 0)
    throw new TypeError('scopes must list at least one scope')
  for (const scope of options.scopes) {
    if (typeof scope !== 'string' || !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))
      throw new TypeError(`invalid scope "${scope}"`)
  }
  const trust = options.trust ?? 'key'
  if (trust !== 'key' && trust !== 'certificate' && trust !== 'both')
    throw new TypeError('trust must be key, certificate or both')

  const keys = new Map<string, KeyObject>()
  const clientKeys: ClientKey[] = []
  if (trust !== 'certificate') {
    const { key, publicKey } = await clientKeyFrom(options.jwk)
    keys.set(key.kid, publicKey)
    clientKeys.push(key)
  }
  const certificate =
    trust === 'key'
      ? undefined
      : await issueBusinessCertificate(
          await context.ca(),
          organisationNumber,
          context.organisationName(organisationNumber),
        )

  const delegations = new Map<string, ReadonlySet<string> | undefined>()
  for (const d of options.delegations ?? []) {
    if (!isValidOrganisationNumber(d.consumerOrg))
      throw new TypeError('delegations: consumerOrg is not valid')
    delegations.set(d.consumerOrg, d.scopes === undefined ? undefined : new Set(d.scopes))
  }
  const scopes = [...new Set(options.scopes)]

  const registered: RegisteredMaskinportenClient = {
    kind: 'maskinporten',
    flavour: 'maskinporten',
    issuer: context.issuer,
    tokenEndpoint: context.tokenEndpoint,
    clientId,
    organisationNumber,
    scopes,
    keys: clientKeys,
    ...(certificate === undefined ? {} : { certificate }),
  }
  return {
    kind: 'maskinporten',
    registered: hideSecrets(registered),
    keys,
    certificateTrust: trust !== 'key',
    delegations,
    onBehalfOf: new Set(options.onBehalfOf ?? []),
    resources: options.resources === undefined ? undefined : new Set(options.resources),
    metadata: {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      grant_types: [JWT_BEARER],
      response_types: [],
      redirect_uris: [],
    },
  }
}

const REDACTED = '[redacted]'

/**
 * Keeps secrets out of `JSON.stringify`, `util.inspect` and logs of the
 * returned registration while leaving the properties readable: the secret and
 * private keys are non-enumerable, and `toJSON`/inspect show a redacted copy.
 */
export function hideSecrets<T extends object>(value: T): T {
  const redacted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(redacted)
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      const out: Record<string, unknown> = {}
      for (const [k, inner] of Object.entries(v)) {
        if (k === 'clientSecret' || k === 'client_secret' || k === 'privateJwk' || k === 'privateKeyPem')
          out[k] = REDACTED
        else out[k] = redacted(inner)
      }
      return out
    }
    return v
  }
  Object.defineProperty(value, 'toJSON', { value: () => redacted(value), enumerable: false })
  Object.defineProperty(value, Symbol.for('nodejs.util.inspect.custom'), {
    value: () => redacted(value),
    enumerable: false,
  })
  return value
}
