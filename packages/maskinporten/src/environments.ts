/** Maskinporten's environments. */
export type MaskinportenEnvironment = 'prod' | 'test'

/**
 * Maskinporten's issuers, each with its trailing slash: the exact `aud` of a
 * grant and `iss` of a token.
 *
 * @example
 * ```ts
 * MASKINPORTEN_ISSUERS.test // 'https://test.maskinporten.no/'
 * ```
 * @see https://docs.digdir.no/docs/Maskinporten/maskinporten_func_wellknown
 */
export const MASKINPORTEN_ISSUERS: Readonly<Record<MaskinportenEnvironment, string>> = Object.freeze({
  prod: 'https://maskinporten.no/',
  test: 'https://test.maskinporten.no/',
})

/** The JWT bearer grant type (RFC 7523). */
export const JWT_BEARER_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
