export {
  createMaskinportenClient,
  type GetTokenOptions,
  type MaskinportenClient,
  type MaskinportenClientOptions,
  type MaskinportenEvent,
  type MaskinportenLogger,
} from './client.js'
export { JWT_BEARER_GRANT_TYPE, MASKINPORTEN_ISSUERS, type MaskinportenEnvironment } from './environments.js'
export {
  isMaskinportenError,
  MASKINPORTEN_ERROR_CODES,
  MaskinportenError,
  type MaskinportenErrorCode,
  type MaskinportenErrorOptions,
} from './errors.js'
export {
  type AuthorizationDetail,
  createGrant,
  type GrantClaims,
  type GrantOptions,
  grantClaims,
  MAX_GRANT_LIFETIME,
  type TokenRequestOptions,
} from './grant.js'
export {
  createTokenIntrospector,
  type IntrospectionClientAuth,
  type IntrospectionOptions,
  type TokenIntrospector,
} from './introspect.js'
export { type KeySourceOptions, keyInputFromMaterial, readKeyFile, readKeyFromEnv } from './key-files.js'
export {
  type JwkKeyInput,
  loadSigningKey,
  type MaskinportenKeyInput,
  type MaskinportenSigningKey,
  type PemKeyInput,
  type Pkcs12KeyInput,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
} from './keys.js'
export {
  type BearerCheck,
  bearerChallenge,
  createBearerCheck,
  type ProtectOptions,
  type ProtectResult,
} from './protect.js'
export {
  type AccessTokenRequirements,
  type AccessTokenVerifier,
  createAccessTokenVerifier,
  DEFAULT_ACCESS_TOKEN_ALGORITHMS,
  type VerifiedAccessToken,
  type VerifyAccessTokenOptions,
  verifyAccessToken,
} from './verify.js'
