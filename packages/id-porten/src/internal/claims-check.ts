import type { z } from 'zod'
import { AnsattportenClaims, IdPortenClaims } from '../claims.js'

type Check = (value: unknown) => boolean

const isString: Check = (v) => typeof v === 'string'
const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v)
const optional =
  (check: Check): Check =>
  (v) =>
    v === undefined || check(v)
const isAud: Check = (v) => typeof v === 'string' || isStringArray(v)
const isAmr: Check = (v) => typeof v === 'string' || isStringArray(v)

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false
  return true
}

// The shape of `IdPortenClaims` (see claims.ts), as plain checks. Kept in step
// with the zod schema by claims-check.test.ts, which compares the two on
// generated claims sets.
const CHECKS: readonly (readonly [string, Check])[] = [
  ['iss', isString],
  ['sub', (v) => typeof v === 'string' && v.length > 0],
  ['aud', isAud],
  ['exp', isNumber],
  ['iat', isNumber],
  ['auth_time', optional(isNumber)],
  ['acr', isString],
  ['amr', optional(isAmr)],
  ['pid', optional(isString)],
  ['locale', optional(isString)],
  ['sid', optional(isString)],
  ['nonce', optional(isString)],
  ['jti', optional(isString)],
]

/**
 * @internal Parses ID token claims with the package's zod schema for the
 * product, giving exactly what `schema.safeParse` gives. The common case (a
 * well-formed ID-porten claims set) is checked by hand, which costs a small
 * fraction of the general parser on every callback; anything else (a wrong
 * shape, Ansattporten's `authorization_details`) goes through zod itself, so
 * errors and nested types are zod's.
 */
export function parseClaims(
  product: 'idporten' | 'ansattporten',
  raw: Record<string, unknown>,
): z.ZodSafeParseResult<IdPortenClaims> {
  const schema: z.ZodType<IdPortenClaims> = product === 'ansattporten' ? AnsattportenClaims : IdPortenClaims
  if (raw.authorization_details !== undefined && product === 'ansattporten') return schema.safeParse(raw)
  for (const [name, check] of CHECKS) {
    if (!check(raw[name])) return schema.safeParse(raw)
  }
  const data: Record<string, unknown> = { ...raw }
  const amr = raw.amr
  if (typeof amr === 'string') data.amr = [amr]
  else if (Array.isArray(amr)) data.amr = [...amr]
  return { success: true, data: data as unknown as IdPortenClaims }
}
