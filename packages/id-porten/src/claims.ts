import { z } from 'zod'

/**
 * `amr` as ID-porten sends it: an array today, a single string in older
 * documentation; always parsed to an array. Do not gate access on it.
 */
export const Amr: z.ZodType<string[]> = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (typeof v === 'string' ? [v] : v))

/** Claims of an ID-porten ID token (see {@link IdPortenClaims the schema}). */
export interface IdPortenClaims {
  readonly iss: string
  /** Pairwise per client. */
  readonly sub: string
  readonly aud: string | string[]
  readonly exp: number
  readonly iat: number
  readonly auth_time?: number | undefined
  readonly acr: string
  readonly amr?: string[] | undefined
  /** Fødselsnummer or D-nummer; absent for foreign eID users. */
  readonly pid?: string | undefined
  readonly locale?: string | undefined
  /** Present only for clients registered for front-channel logout. */
  readonly sid?: string | undefined
  readonly nonce?: string | undefined
  readonly jti?: string | undefined
  readonly [claim: string]: unknown
}

const idPortenShape = {
  iss: z.string(),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number(),
  auth_time: z.number().optional(),
  acr: z.string(),
  amr: Amr.optional(),
  pid: z.string().optional(),
  locale: z.string().optional(),
  sid: z.string().optional(),
  nonce: z.string().optional(),
  jti: z.string().optional(),
}

/**
 * Schema of an ID-porten ID token's claims, checked after the signature.
 * Unknown claims are kept; `amr` is normalised to an array.
 *
 * @example
 * ```ts
 * const claims = IdPortenClaims.parse(tokenClaims)
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/oidc_protocol_id_token
 */
export const IdPortenClaims: z.ZodType<IdPortenClaims> = z.looseObject(idPortenShape)

/** One organisation the employee may act for (Ansattporten; field names as on the wire). */
export interface Reportee {
  readonly Rights?: string[] | undefined
  readonly Authority?: string | undefined
  /** The organisation's identifier, for example `0192:991825827`. */
  readonly ID: string
  readonly Name?: string | undefined
  readonly [field: string]: unknown
}

/**
 * Schema of one entry of `authorization_details[].reportees[]`.
 *
 * @example
 * ```ts
 * Reportee.parse({ ID: '0192:991825827', Name: 'DIGDIR', Rights: ['read'], Authority: 'iso6523-actorid-upis' })
 * ```
 */
export const Reportee: z.ZodType<Reportee> = z.looseObject({
  Rights: z.array(z.string()).optional(),
  Authority: z.string().optional(),
  ID: z.string(),
  Name: z.string().optional(),
})

/** One entry of Ansattporten's `authorization_details` (RFC 9396). */
export interface AuthorizationDetail {
  readonly type: string
  readonly resource?: string | undefined
  readonly resource_name?: string | undefined
  readonly reportees?: Reportee[] | undefined
  readonly [field: string]: unknown
}

/**
 * Schema of one entry of `authorization_details` in an Ansattporten ID token.
 *
 * @example
 * ```ts
 * AuthorizationDetail.parse({ type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:x', reportees: [] })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc9396
 */
export const AuthorizationDetail: z.ZodType<AuthorizationDetail> = z.looseObject({
  type: z.string(),
  resource: z.string().optional(),
  resource_name: z.string().optional(),
  reportees: z.array(Reportee).optional(),
})

/** Claims of an Ansattporten ID token. */
export interface AnsattportenClaims extends IdPortenClaims {
  readonly authorization_details?: AuthorizationDetail[] | undefined
}

/**
 * Schema of an Ansattporten ID token's claims: ID-porten's plus
 * `authorization_details` with the organisations chosen at login.
 *
 * @example
 * ```ts
 * const orgs = AnsattportenClaims.parse(tokenClaims).authorization_details?.flatMap((d) => d.reportees ?? [])
 * ```
 * @see https://docs.digdir.no/docs/idporten/oidc/ansattporten_guide
 */
export const AnsattportenClaims: z.ZodType<AnsattportenClaims> = z.looseObject({
  ...idPortenShape,
  authorization_details: z.array(AuthorizationDetail).optional(),
})
