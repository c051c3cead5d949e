/** Which login service a preset points at. */
export type Product = 'idporten' | 'ansattporten'

/**
 * A provider preset: the exact issuer and what follows from the environment.
 * Issuers are compared character for character, never "normalised".
 */
export interface Preset {
  /** `idporten` (citizens) or `ansattporten` (employees). */
  readonly product: Product
  /** `prod`, `test`, or `local` (the mock). */
  readonly environment: 'prod' | 'test' | 'local'
  /** The issuer exactly as the provider's metadata states it (no trailing slash). */
  readonly issuer: string
  /** Whether synthetic test persons (month + 80) are accepted as `pid`. */
  readonly allowSyntheticPid: boolean
  /** Whether plain-http requests to the provider are allowed (only for a local issuer on loopback). */
  readonly allowInsecureRequests: boolean
}

/**
 * ID-porten production (`https://idporten.no`); synthetic persons refused.
 *
 * @example
 * ```ts
 * const auth = await createIdPorten({ preset: ID_PORTEN, ...rest })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_func_wellknown
 */
export const ID_PORTEN: Preset = Object.freeze({
  product: 'idporten',
  environment: 'prod',
  issuer: 'https://idporten.no',
  allowSyntheticPid: false,
  allowInsecureRequests: false,
})

/**
 * ID-porten's test environment (`https://test.idporten.no`); synthetic persons from Tenor/TestID accepted.
 *
 * @example
 * ```ts
 * const auth = await createIdPorten({ preset: ID_PORTEN_TEST, ...rest })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_func_wellknown
 */
export const ID_PORTEN_TEST: Preset = Object.freeze({
  product: 'idporten',
  environment: 'test',
  issuer: 'https://test.idporten.no',
  allowSyntheticPid: true,
  allowInsecureRequests: false,
})

/**
 * Ansattporten production (`https://ansattporten.no`); synthetic persons refused.
 *
 * @example
 * ```ts
 * const auth = await createIdPorten({ preset: ANSATTPORTEN, ...rest })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/ansattporten_guide
 */
export const ANSATTPORTEN: Preset = Object.freeze({
  product: 'ansattporten',
  environment: 'prod',
  issuer: 'https://ansattporten.no',
  allowSyntheticPid: false,
  allowInsecureRequests: false,
})

/**
 * Ansattporten's test environment (`https://test.ansattporten.no`).
 *
 * @example
 * ```ts
 * const auth = await createIdPorten({ preset: ANSATTPORTEN_TEST, ...rest })
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/ansattporten_guide
 */
export const ANSATTPORTEN_TEST: Preset = Object.freeze({
  product: 'ansattporten',
  environment: 'test',
  issuer: 'https://test.ansattporten.no',
  allowSyntheticPid: true,
  allowInsecureRequests: false,
})

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** @internal Whether a URL is plain http on a loopback host. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && LOOPBACK.has(url.hostname)
}

/**
 * A preset for a local issuer such as `@felles/id-porten-mock`. Plain http is
 * allowed only on loopback hosts; synthetic persons are accepted.
 *
 * @param issuer - The mock's issuer, for example `http://127.0.0.1:4000`, used exactly as given.
 * @param product - Which service the mock plays. Default `idporten`.
 * @returns A preset.
 * @throws TypeError when `issuer` is not a URL, or is plain http on a host that is not loopback.
 * @example
 * ```ts
 * const preset = localPreset(mock.issuer)
 * ```
 */
export function localPreset(issuer: string, product: Product = 'idporten'): Preset {
  let url: URL
  try {
    url = new URL(issuer)
  } catch {
    throw new TypeError('localPreset: issuer must be an absolute URL')
  }
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
    throw new TypeError('localPreset: plain http is allowed only on localhost, 127.0.0.1 or [::1]')
  }
  return Object.freeze({
    product,
    environment: 'local',
    issuer,
    allowSyntheticPid: true,
    allowInsecureRequests: url.protocol === 'http:',
  })
}
