/// <reference path="../internal/oidc-provider.d.ts" />
import { createHmac, randomBytes } from 'node:crypto'
import {
  type CompactJWSHeaderParameters,
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  SignJWT,
} from 'jose'
import type { KoaContext, Provider } from 'oidc-provider'
import { ANSATTPORTEN_RAR_TYPE } from '../clients.js'
import { epochSeconds } from '../clock.js'
import { type ActiveFault, ID_TOKEN_FAULTS, parseFaultList, RESPONSE_FAULTS, select } from '../faults.js'
import { getNotes, type MockContext } from '../internal/context.js'
import type { RsaKeyPair } from '../internal/keys.js'
import { loadOidcProvider } from '../internal/load-oidc-provider.js'
import { createMemoryStore, type MemoryStore } from '../internal/store.js'
import type { MockReportee } from '../persons.js'
import { PAGE_CSP, type PageLanguage } from '../ui/html.js'
import { errorPage, frontChannelPage, loggedOutPage, logoutPage } from '../ui/pages.js'

export const ACR_SUBSTANTIAL = 'idporten-loa-substantial'
export const ACR_HIGH = 'idporten-loa-high'

/** Rank of an `acr` value: 2 = high, 1 = substantial, 0 = anything else. Any `*-high` (and legacy `Level4`) is high. */
export function acrRank(acr: unknown): number {
  if (typeof acr !== 'string') return 0
  if (acr.endsWith('-high') || acr === 'high' || acr === 'Level4') return 2
  if (acr.endsWith('-substantial') || acr === 'substantial' || acr === 'Level3') return 1
  return 0
}

/** The lowest rank among the requested `acr_values` (0 when none are recognised). */
export function requestedAcrRank(acrValues: unknown): number {
  if (typeof acrValues !== 'string' || acrValues.trim() === '') return 0
  const ranks = acrValues
    .split(/\s+/)
    .map(acrRank)
    .filter((r) => r > 0)
  return ranks.length === 0 ? 0 : Math.min(...ranks)
}

const LOCALES = new Set(['nb', 'nn', 'en', 'se'])

/** The first supported locale of `ui_locales`, default `nb`. */
export function localeOf(uiLocales: unknown): string {
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(/\s+/)) {
      const lang = tag.toLowerCase().split('-')[0] ?? ''
      if (LOCALES.has(lang)) return lang
      if (lang === 'no') return 'nb'
    }
  }
  return 'nb'
}

export function pageLanguage(locale: string): PageLanguage {
  return locale === 'en' ? 'en' : 'nb'
}

export type OidcFlavour = 'idporten' | 'ansattporten'

export interface OidcProviderHandle {
  readonly flavour: OidcFlavour
  readonly provider: Provider
  readonly issuer: string
  /** Path prefix of this provider on the server ('' for ID-porten). */
  readonly mountPath: string
  readonly brand: string
  readonly store: MemoryStore
  /** The key oidc-provider was built with (it validates `id_token_hint` with it). */
  readonly signingKey: RsaKeyPair
  /** Keys after rotation: `active` signs ID tokens, `published` is the JWKS. */
  readonly keys: { active: RsaKeyPair; published: RsaKeyPair[] }
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access'])

/** Extra state the login page puts into the interaction result, read back when the code is issued. */
export interface FellesLoginResult {
  readonly locale: string
  readonly reportees?: readonly MockReportee[]
}

export async function createOidcProvider(
  flavour: OidcFlavour,
  context: MockContext,
  signingKey: RsaKeyPair,
  otherKey: () => Promise<RsaKeyPair>,
): Promise<OidcProviderHandle> {
  const { Provider, interactionPolicy, errors } = await loadOidcProvider()
  const { clock, lifetimes } = context
  const issuer = context.issuers[flavour]
  const mountPath = new URL(issuer).pathname.replace(/\/$/, '')
  const brand = flavour === 'idporten' ? 'ID-porten' : 'Ansattporten'
  const ansattporten = flavour === 'ansattporten'

  const store = createMemoryStore(clock, (id) => {
    const record = context.clients.get(id)
    if (record?.kind !== 'oidc' || record.registered.flavour !== flavour) return undefined
    return structuredClone(record.metadata)
  })

  const pairwiseSecret = createHmac('sha256', 'felles-id-porten-mock')
    .update(`${context.seed}:${flavour}`)
    .digest()

  const policy = interactionPolicy.base()
  const login = policy.get('login')
  if (login === undefined) throw new Error('oidc-provider: login prompt missing')
  login.checks.add(
    new interactionPolicy.Check(
      'acr_step_up',
      'the requested level of assurance is higher than the session’s',
      (ctx: KoaContext) => {
        const { oidc } = ctx
        if (!oidc.session.accountId) return false
        if (oidc.result?.login) return false
        return acrRank(oidc.session.acr) < requestedAcrRank(oidc.params.acr_values)
      },
    ),
  )
  if (ansattporten) {
    // Ansattporten has no single sign-on: every authorization request logs in.
    login.checks.add(
      new interactionPolicy.Check(
        'no_sso',
        'Ansattporten has no single sign-on',
        (ctx: KoaContext) => !ctx.oidc.result?.login,
      ),
    )
  }

  const localeFor = (ctx: KoaContext): string => {
    const { entities } = ctx.oidc
    const uid =
      entities.AuthorizationCode?.sessionUid ??
      entities.RefreshToken?.sessionUid ??
      entities.AccessToken?.sessionUid
    return (typeof uid === 'string' ? context.sessionLocales.get(uid) : undefined) ?? 'nb'
  }

  const configuration: Record<string, unknown> = {
    adapter: store.adapter,
    jwks: { keys: [signingKey.privateJwk] },
    clients: [],
    clientDefaults: {
      grant_types: ['authorization_code'],
      id_token_signed_response_alg: 'RS256',
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      subject_type: 'pairwise',
    },
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'none'],
    enabledJWA: {
      clientAuthSigningAlgValues: ['RS256', 'RS384', 'RS512'],
      idTokenSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
    },
    acrValues: [ACR_SUBSTANTIAL, ACR_HIGH, 'eidas-loa-substantial', 'eidas-loa-high'],
    claims: {
      // ID-porten returns acr and auth_time in every ID token.
      openid: [
        'sub',
        'pid',
        'locale',
        'amr',
        'acr',
        'auth_time',
        ...(ansattporten ? ['authorization_details'] : []),
      ],
      profile: ['pid', 'locale'],
      sid: null,
    },
    conformIdTokenClaims: false,
    scopes: ['openid', 'profile', 'offline_access'],
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx: KoaContext, accountId: string, client: { clientId: string }) =>
      createHmac('sha256', pairwiseSecret).update(`${client.clientId}\u0000${accountId}`).digest('base64url'),
    sectorIdentifierUriValidate: () => false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    allowOmittingSingleRegisteredRedirectUri: false,
    extraParams: ['mock_fault'],
    extraClientMetadata: {
      properties: ['frontchannel_logout_uri', 'frontchannel_logout_session_required'],
      validator(_ctx: unknown, key: string, value: unknown) {
        if (key === 'frontchannel_logout_uri' && value !== undefined) {
          if (typeof value !== 'string' || !/^https?:\/\//.test(value)) {
            throw new errors.InvalidClientMetadata!('frontchannel_logout_uri must be an http(s) URL')
          }
        }
        if (
          key === 'frontchannel_logout_session_required' &&
          value !== undefined &&
          typeof value !== 'boolean'
        ) {
          throw new errors.InvalidClientMetadata!('frontchannel_logout_session_required must be a boolean')
        }
      },
    },
    routes: {
      authorization: '/authorize',
      end_session: '/logout',
      jwks: '/jwks.json',
      pushed_authorization_request: '/par',
      token: '/token',
      userinfo: '/userinfo',
      introspection: '/token/introspect',
      revocation: '/token/revoke',
    },
    discovery: {
      ui_locales_supported: ['nb', 'nn', 'en', 'se'],
      claims_locales_supported: ['nb', 'nn', 'en', 'se'],
      frontchannel_logout_supported: true,
      frontchannel_logout_session_supported: true,
      service_documentation: 'https://docs.digdir.no/',
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? lifetimes.accessToken,
      AuthorizationCode: lifetimes.authorizationCode,
      ClientCredentials: lifetimes.accessToken,
      IdToken: lifetimes.idToken,
      RefreshToken: lifetimes.refreshTokenIdle,
      Grant: lifetimes.authorization,
      Interaction: 1800,
      Session: (_ctx: unknown, session: { loginTs?: number }) => {
        const now = epochSeconds(clock)
        const loginTs = typeof session.loginTs === 'number' ? session.loginTs : now
        const left = loginTs + lifetimes.sessionAbsolute - now
        return Math.max(1, Math.min(lifetimes.sessionIdle, left))
      },
    },
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    // ID-porten: logout revokes tokens that carry only openid/profile; others stay valid.
    expiresWithSession: async (_ctx: unknown, code: { scopes: Set<string> }) =>
      [...code.scopes].every((s) => s === 'openid' || s === 'profile'),
    async loadExistingGrant(ctx: KoaContext) {
      const { oidc } = ctx
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId)
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined
      if (grant === undefined || grant.accountId !== oidc.session.accountId) {
        grant = new oidc.provider.Grant({ clientId: oidc.client.clientId, accountId: oidc.session.accountId })
      }
      // Consent is implicit in ID-porten: grant what was asked for.
      const scopes = [...(oidc.requestParamScopes ?? [])].filter((s: string) => OIDC_SCOPES.has(s))
      if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '))
      const claims = [...(oidc.requestParamClaims ?? [])]
      if (claims.length > 0) grant.addOIDCClaims(claims)
      for (const [indicator, server] of Object.entries(oidc.resourceServers ?? {})) {
        const scope = (server as { scope?: string }).scope
        if (scope) grant.addResourceScope(indicator, scope)
      }
      await grant.save()
      return grant
    },
    async findAccount(ctx: KoaContext, id: string) {
      const person = context.personsById.get(id)
      if (person === undefined) return undefined
      return {
        accountId: id,
        async claims(use: string) {
          const out: Record<string, unknown> = { sub: id, locale: localeFor(ctx) }
          if (person.nationalId !== undefined) out.pid = person.nationalId
          if (ansattporten && use === 'id_token') {
            const { entities } = ctx.oidc
            const rar = entities.AuthorizationCode?.rar ?? entities.RefreshToken?.rar
            if (rar !== undefined) out.authorization_details = rar
          }
          return out
        },
      }
    },
    async extraTokenClaims(ctx: KoaContext, token: { kind?: string; accountId?: string }) {
      if (token.kind !== 'AccessToken' || token.accountId === undefined) return undefined
      const person = context.personsById.get(token.accountId)
      const { entities } = ctx.oidc
      const acr = entities.AuthorizationCode?.acr ?? entities.RefreshToken?.acr
      return {
        ...(person?.nationalId === undefined ? {} : { pid: person.nationalId }),
        ...(typeof acr === 'string' ? { acr } : {}),
      }
    },
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/login/${interaction.uid}`,
    },
    cookies: {
      names: {
        session: `${flavour}_mock_session`,
        interaction: `${flavour}_mock_interaction`,
        resume: `${flavour}_mock_resume`,
      },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    clientBasedCORS(_ctx: unknown, origin: string, client: { redirectUris: string[] }) {
      return client.redirectUris.some((uri) => URL.parse(uri)?.origin === origin)
    },
    async assertJwtClientAuthClaimsAndHeader(
      _ctx: unknown,
      claims: JWTPayload,
      header: CompactJWSHeaderParameters,
    ) {
      // Digdir's rules for client assertions, stricter than oidc-provider's.
      if (typeof header.kid !== 'string' || header.kid === '') {
        throw new errors.InvalidClientAuth!('client assertion must have a kid header')
      }
      const aud = Array.isArray(claims.aud) && claims.aud.length === 1 ? claims.aud[0] : claims.aud
      if (aud !== issuer) throw new errors.InvalidClientAuth!('client assertion aud must be the issuer')
      if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number' || claims.exp - claims.iat > 120) {
        throw new errors.InvalidClientAuth!('client assertion must have iat and exp at most 120 s apart')
      }
    },
    async renderError(ctx: KoaContext, out: { error?: string }) {
      ctx.type = 'html'
      ctx.body = errorPage(
        pageLanguage(localeOf(ctx.oidc?.params?.ui_locales)),
        brand,
        String(out.error ?? 'server_error'),
      )
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      claimsParameter: { enabled: false },
      jwtResponseModes: { enabled: true },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: false },
      userinfo: { enabled: !ansattporten },
      introspection: {
        enabled: true,
        async allowedPolicy(
          _ctx: unknown,
          client: { clientAuthMethod: string; clientId: string },
          token: { clientId?: string },
        ) {
          return !(client.clientAuthMethod === 'none' && token.clientId !== client.clientId)
        },
      },
      revocation: {
        enabled: true,
        async allowedPolicy(
          _ctx: unknown,
          client: { clientAuthMethod: string; clientId: string },
          token: { clientId?: string },
        ) {
          if (token.clientId === client.clientId) return true
          if (client.clientAuthMethod === 'none') return false
          throw new errors.InvalidRequest!('client is not authorized to revoke the presented token')
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx: KoaContext) {
          const lang = pageLanguage(localeOf(ctx.oidc.params?.ui_locales))
          ctx.type = 'html'
          ctx.body = logoutPage(
            lang,
            brand,
            ctx.oidc.urlFor('end_session_confirm'),
            ctx.oidc.session.state.secret,
          )
        },
        async postLogoutSuccessSource(ctx: KoaContext) {
          ctx.type = 'html'
          ctx.body = loggedOutPage('nb', brand)
        },
      },
      resourceIndicators: {
        enabled: true,
        // oidc-provider needs a resource with RAR: Ansattporten's is the Altinn resource asked for.
        async defaultResource(ctx: KoaContext) {
          if (!ansattporten || typeof ctx.oidc.params.authorization_details !== 'string') return undefined
          try {
            const [first] = JSON.parse(ctx.oidc.params.authorization_details) as {
              resource?: unknown
              ressurs?: unknown
            }[]
            const resource = first?.resource ?? first?.ressurs
            return typeof resource === 'string' ? resource : undefined
          } catch {
            return undefined
          }
        },
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx: unknown, resource: string, client: { clientId: string }) {
          const record = context.clients.get(client.clientId)
          const scope = (record?.registered.scopes ?? []).filter((s) => !OIDC_SCOPES.has(s)).join(' ')
          return {
            scope,
            audience: resource,
            accessTokenTTL: lifetimes.accessToken,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }
        },
      },
      richAuthorizationRequests: ansattporten
        ? {
            enabled: true,
            types: {
              [ANSATTPORTEN_RAR_TYPE]: {
                validate(_ctx: unknown, detail: Record<string, unknown>) {
                  const resource = detail.resource ?? detail.ressurs
                  if (typeof resource !== 'string' || !resource.startsWith('urn:altinn:resource:')) {
                    throw new errors.InvalidAuthorizationDetails!('resource must be urn:altinn:resource:…')
                  }
                },
              },
            },
            authorizationDetailsForGrantSource(ctx: KoaContext) {
              const requested = JSON.parse(ctx.oidc.params.authorization_details ?? '[]') as Record<
                string,
                unknown
              >[]
              const felles = ctx.oidc.result?.felles as FellesLoginResult | undefined
              const reportees = (felles?.reportees ?? []).map((r) => ({
                Rights: [...r.rights],
                Authority: 'iso6523-actorid-upis',
                ID: `0192:${r.organisationNumber}`,
                Name: r.name,
              }))
              return requested.map((d) => ({
                type: d.type,
                resource: d.resource ?? d.ressurs,
                resource_name: `Testressurs ${String(d.resource ?? d.ressurs)
                  .split(':')
                  .slice(3)
                  .join(':')}`,
                reportees,
              }))
            },
            authorizationDetailsForAccessToken(_ctx: unknown, _token: unknown, source: { rar?: unknown }) {
              return source?.rar
            },
            authorizationDetailsForIntrospection(_ctx: unknown, token: { rar?: unknown }) {
              return token.rar
            },
          }
        : { enabled: false },
    },
  }

  const provider = new Provider(issuer, configuration)
  const keys = { active: signingKey, published: [signingKey] }

  // `sid` for clients registered with frontchannel_logout_session_required
  // (oidc-provider adds it only for back-channel clients since v7).
  const clientPrototype = provider.Client.prototype as {
    includeSid(this: Record<string, unknown>): boolean
  }
  const includeSid = clientPrototype.includeSid
  clientPrototype.includeSid = function (this: Record<string, unknown>): boolean {
    return (
      Boolean(this.frontchannel_logout_uri && this.frontchannel_logout_session_required) ||
      includeSid.call(this)
    )
  }

  provider.use(async (ctx, next) => {
    ctx.set('Content-Security-Policy', PAGE_CSP)
    ctx.set('X-Content-Type-Options', 'nosniff')
    ctx.set('Referrer-Policy', 'no-referrer')
    await next()
    const route = ctx.oidc?.route as string | undefined
    if (route === 'authorization' || route === 'resume') afterAuthorization(ctx)
    else if (route === 'token') await afterToken(ctx)
    else if (route === 'end_session_confirm') await afterLogout(ctx)
  })

  function afterAuthorization(ctx: KoaContext): void {
    const { oidc } = ctx
    const felles = oidc.result?.felles as FellesLoginResult | undefined
    if (felles !== undefined && typeof oidc.session?.uid === 'string') {
      context.sessionLocales.set(oidc.session.uid, felles.locale)
    }
    const location = ctx.response.get('location')
    if (typeof location !== 'string' || (ctx.status !== 302 && ctx.status !== 303)) return
    const url = URL.parse(location)
    const code = url?.searchParams.get('code')
    if (url === null || code === null || code === undefined) return
    const clientId = oidc.client?.clientId as string | undefined
    const requested = parseFaultList(oidc.params?.mock_fault)
    const idTokenFaults = select(requested, ID_TOKEN_FAULTS)
    if (idTokenFaults.length > 0) context.codeFaults.set(code, idTokenFaults)
    const responseFaults = [
      ...context.faults.take(clientId, RESPONSE_FAULTS),
      ...select(requested, RESPONSE_FAULTS),
    ]
    if (responseFaults.length === 0) return
    const names = new Set(responseFaults.map((f) => f.name))
    const params = url.searchParams
    if (names.has('access-denied') || names.has('response-error-html')) {
      params.delete('code')
      params.set('error', 'access_denied')
      params.set(
        'error_description',
        names.has('response-error-html')
          ? '<script>alert("mock")</script><b>Bruker avbrøt</b>'
          : 'Brukeren avbrøt innloggingen',
      )
    }
    if (names.has('response-wrong-iss')) params.set('iss', 'https://idporten.mock.invalid')
    if (names.has('response-missing-iss')) params.delete('iss')
    if (names.has('response-wrong-state')) params.set('state', randomBytes(16).toString('base64url'))
    ctx.set('Location', url.href)
  }

  async function afterToken(ctx: KoaContext): Promise<void> {
    const body = ctx.body as Record<string, unknown> | undefined
    if (ctx.status !== 200 || body === undefined || typeof body.id_token !== 'string') return
    const notes = getNotes(ctx.req)
    const clientId = ctx.oidc.client?.clientId as string | undefined
    const faults: ActiveFault[] = [
      ...context.faults.take(clientId, ID_TOKEN_FAULTS),
      ...select(notes?.faults ?? [], ID_TOKEN_FAULTS),
    ]
    if (notes?.code !== undefined) {
      faults.push(...(context.codeFaults.get(notes.code) ?? []))
      context.codeFaults.delete(notes.code)
    }
    notes?.applied.push(...faults.map((f) => f.name))
    body.id_token = await tamperIdToken(body.id_token, faults, keys.active, otherKey)
  }

  async function afterLogout(ctx: KoaContext): Promise<void> {
    const location = ctx.response.get('location')
    if (ctx.status !== 303 || typeof location !== 'string') return
    const session = ctx.oidc.session
    const authorizations = (session?.authorizations ?? {}) as Record<string, { sid?: string }>
    const frames: { clientName: string; url: string }[] = []
    for (const [clientId, authorization] of Object.entries(authorizations)) {
      let client: Record<string, unknown> | undefined
      try {
        client = await provider.Client.find(clientId)
      } catch {
        client = undefined
      }
      const uri = client?.frontchannel_logout_uri
      if (typeof uri !== 'string') continue
      const url = new URL(uri)
      url.searchParams.set('iss', issuer)
      if (client?.frontchannel_logout_session_required === true && typeof authorization.sid === 'string') {
        url.searchParams.set('sid', authorization.sid)
      }
      frames.push({ clientName: String(client?.clientName ?? clientId), url: url.href })
    }
    if (frames.length === 0) return
    ctx.status = 200
    ctx.remove('Location')
    ctx.type = 'html'
    ctx.body = frontChannelPage(pageLanguage(localeOf(undefined)), brand, frames, location)
  }

  return { flavour, provider, issuer, mountPath, brand, store, signingKey, keys }
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

/** Rewrites an ID token as the faults say, re-signed (or not) accordingly. */
export async function tamperIdToken(
  idToken: string,
  faults: readonly ActiveFault[],
  signingKey: RsaKeyPair,
  otherKey: () => Promise<RsaKeyPair>,
): Promise<string> {
  // ID-porten's ID tokens carry a jti; oidc-provider's do not, so every ID token is re-signed with one.
  const payload: JWTPayload & Record<string, unknown> = { ...decodeJwt(idToken) }
  payload.jti ??= randomBytes(16).toString('base64url')
  const header = decodeProtectedHeader(idToken)
  const names = new Set(faults.map((f) => f.name))
  const iat = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000)
  const exp = typeof payload.exp === 'number' ? payload.exp : iat + 120
  if (names.has('wrong-iss')) payload.iss = 'https://idporten.mock.invalid'
  if (names.has('wrong-aud')) payload.aud = 'another-client'
  if (names.has('extra-aud')) payload.aud = [String(payload.aud), 'untrusted-client']
  if (names.has('expired')) {
    payload.iat = iat - 900
    payload.exp = iat - 600
  }
  if (names.has('iat-in-future')) {
    payload.iat = iat + 3600
    payload.exp = exp + 3600
  }
  if (names.has('missing-exp')) delete payload.exp
  if (names.has('wrong-nonce')) payload.nonce = randomBytes(16).toString('base64url')
  if (names.has('missing-nonce')) delete payload.nonce
  if (names.has('lower-acr')) {
    const acr = String(payload.acr ?? '')
    payload.acr = acr.endsWith('-high') ? acr.replace(/-high$/, '-substantial') : 'idporten-loa-low'
  }
  if (names.has('missing-pid')) delete payload.pid
  if (names.has('missing-sid')) delete payload.sid

  if (names.has('alg-none')) return `${b64({ alg: 'none', typ: header.typ ?? 'JWT' })}.${b64(payload)}.`
  const useOther = names.has('other-signing-key') || names.has('unknown-kid')
  const key = useOther ? await otherKey() : signingKey
  const kid = names.has('unknown-kid') ? `unknown-${key.kid.slice(0, 12)}` : signingKey.kid
  return new SignJWT(payload).setProtectedHeader({ ...header, alg: 'RS256', kid }).sign(key.privateKey)
}
