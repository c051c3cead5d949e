/** The assurance levels ID-porten and Ansattporten issue. */
export type AcrValue = 'idporten-loa-substantial' | 'idporten-loa-high' | (string & {})

/** Rank of an assurance level: 0 unknown or low, 1 substantial, 2 high. */
export type AcrRank = 0 | 1 | 2

const LEGACY: Readonly<Record<string, string>> = {
  Level3: 'idporten-loa-substantial',
  Level4: 'idporten-loa-high',
}

/**
 * Maps the legacy levels (`Level3`, `Level4`) still found in old documentation
 * and test tools to today's values; other values are returned unchanged.
 *
 * @param acr - An `acr` claim or `acr_values` entry.
 * @returns The current name of the level.
 * @example
 * ```ts
 * normalizeAcr('Level4') // 'idporten-loa-high'
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_protocol_id_token
 */
export function normalizeAcr(acr: string): string {
  return LEGACY[acr] ?? acr
}

/**
 * Ranks an assurance level: substantial < high, any `*-high` (for example
 * `eidas-loa-high`) counts as high, any `*-substantial` as substantial, the
 * legacy `Level3`/`Level4` are mapped; anything else ranks 0 and satisfies
 * no requirement.
 *
 * @param acr - An `acr` value, or `undefined`.
 * @returns 0, 1 or 2.
 * @example
 * ```ts
 * acrRank('eidas-loa-high') // 2
 * ```
 */
export function acrRank(acr: string | undefined): AcrRank {
  if (typeof acr !== 'string') return 0
  const value = normalizeAcr(acr)
  if (value.endsWith('-high')) return 2
  if (value.endsWith('-substantial')) return 1
  return 0
}

/**
 * Whether a returned `acr` meets a required level. openid-client does not
 * compare the returned `acr` with what was asked for; the relying party must.
 *
 * @param actual - The `acr` claim of the ID token or session.
 * @param required - The level the route needs.
 * @returns `true` when `actual` ranks at least as high as `required`.
 * @example
 * ```ts
 * meetsAcr('idporten-loa-substantial', 'idporten-loa-high') // false
 * ```
 */
export function meetsAcr(actual: string | undefined, required: string): boolean {
  const need = acrRank(required)
  return need > 0 && acrRank(actual) >= need
}
