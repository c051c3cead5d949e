export { type AcrRank, type AcrValue, acrRank, meetsAcr, normalizeAcr } from './acr.js'
export { Amr, AnsattportenClaims, AuthorizationDetail, IdPortenClaims, Reportee } from './claims.js'
export {
  type AssertionAlgorithm,
  type ClientAuthentication,
  type ClientPrivateKey,
  clientSecretBasic,
  clientSecretPost,
  type PrivateKeyJwtOptions,
  privateKeyJwt,
  x5cFromPem,
} from './client-auth.js'
export { type Clock, systemClock } from './clock.js'
export {
  IdPortenError,
  type IdPortenErrorCode,
  type IdPortenErrorOptions,
  isIdPortenError,
} from './errors.js'
export { type BusinessCertificate, businessCertificateFromPkcs12 } from './pkcs12.js'
export {
  ANSATTPORTEN,
  ANSATTPORTEN_TEST,
  ID_PORTEN,
  ID_PORTEN_TEST,
  localPreset,
  type Preset,
  type Product,
} from './presets.js'
export {
  type AuthorizationDetailRequest,
  createIdPorten,
  IdPortenClient,
  type IdPortenOptions,
  type LoginOptions,
  type RequireSessionOptions,
  type RequireSessionResult,
  type Session,
  type SessionLimits,
  type SessionLookup,
  type UiLocale,
} from './relying-party.js'
export { safeReturnTo } from './return-to.js'
export {
  MemorySessionStore,
  type MemorySessionStoreOptions,
  type SessionRecord,
  type SessionStore,
} from './session.js'
