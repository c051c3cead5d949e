import { type HttpClient, isHttpError } from '@felles/http'
import { MaskinportenError } from '../errors.js'

/** The parts of RFC 8414 / OpenID discovery metadata this package reads. */
export interface IssuerMetadata {
  readonly issuer: string
  readonly token_endpoint?: string
  readonly jwks_uri?: string
  readonly introspection_endpoint?: string
  readonly [member: string]: unknown
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** @internal Refuses plain http except on loopback, where the emulators run. */
export function checkUrl(value: string, what: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new TypeError(`${what} is not an absolute URL`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url
  throw new TypeError(`${what} must use https (plain http only on localhost)`)
}

/**
 * @internal The metadata URLs to try for an issuer: Digdir publishes
 * Maskinporten's as `{issuer}.well-known/oauth-authorization-server` (issuer
 * with a trailing slash) and ID-porten's as `{issuer}/.well-known/openid-configuration`.
 */
export function metadataUrls(issuer: string): string[] {
  const base = issuer.endsWith('/') ? issuer : `${issuer}/`
  const oauth = `${base}.well-known/oauth-authorization-server`
  const oidc = `${base}.well-known/openid-configuration`
  return issuer.endsWith('/') ? [oauth, oidc] : [oidc, oauth]
}

/**
 * @internal Fetches an issuer's metadata and checks that it names exactly
 * that issuer (no normalising of trailing slashes: ID-porten has none,
 * Maskinporten has one).
 */
export async function fetchMetadata(
  http: HttpClient,
  issuer: string,
  metadataUrl: string | undefined,
  signal?: AbortSignal,
): Promise<IssuerMetadata> {
  const urls = metadataUrl === undefined ? metadataUrls(issuer) : [metadataUrl]
  let lastError: unknown
  for (const url of urls) {
    try {
      const body = await http.json<IssuerMetadata>(signal === undefined ? { url } : { url, signal })
      if (body === null || typeof body !== 'object' || typeof body.issuer !== 'string') {
        throw new MaskinportenError('ERR_METADATA', `The metadata at ${url} has no "issuer"`)
      }
      if (body.issuer !== issuer) {
        throw new MaskinportenError(
          'ERR_METADATA',
          `The metadata at ${url} names issuer "${body.issuer}", not the configured "${issuer}" (issuers are compared exactly, trailing slash included)`,
        )
      }
      return body
    } catch (error) {
      if (error instanceof MaskinportenError) throw error
      lastError = error
      if (isHttpError(error) && error.status === 404) continue
      break
    }
  }
  if (isHttpError(lastError) && lastError.code === 'ERR_ABORTED') throw lastError
  throw new MaskinportenError('ERR_METADATA', `The metadata of issuer "${issuer}" could not be read`, {
    cause: lastError,
    retryable: isHttpError(lastError) ? lastError.retryable : false,
  })
}
