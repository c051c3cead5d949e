/** A SvarUt environment: `test`, `prod`, or the base URL of another server (the mock). */
export type SvarUtEnvironment = 'test' | 'prod' | (string & {})

/** Resolved URLs of an environment. */
export interface SvarUtUrls {
  /** REST API base, e.g. `https://test.svarut.ks.no/api`. */
  readonly api: string
  /** The server origin, for SvarInn and the public key (`https://test.svarut.ks.no`). */
  readonly origin: string
  /** SvarUt's public certificate for encrypted sends. */
  readonly publicKey: string
}

/**
 * Resolves the URLs of a SvarUt environment. A custom base URL is the API
 * base (for the mock: `${mock.url}/api`); SvarInn and the public key are
 * taken from its origin.
 *
 * @param environment - `test`, `prod` or a base URL.
 * @returns API base, origin and public-key URL.
 * @throws TypeError for a value that is neither an environment nor an http(s) URL.
 * @example
 * ```ts
 * resolveEnvironment('test').api // 'https://test.svarut.ks.no/api'
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export function resolveEnvironment(environment: SvarUtEnvironment): SvarUtUrls {
  const api =
    environment === 'test'
      ? 'https://test.svarut.ks.no/api'
      : environment === 'prod'
        ? 'https://svarut.ks.no/api'
        : environment.replace(/\/+$/, '')
  let url: URL
  try {
    url = new URL(api)
  } catch {
    throw new TypeError('environment must be "test", "prod" or an http(s) base URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('environment must be "test", "prod" or an http(s) base URL')
  }
  return { api, origin: url.origin, publicKey: `${url.origin}/forsendelse/publickey/hent` }
}
