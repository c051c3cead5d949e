export { type AssertOptions, assertNationalId, assertOrganisationNumber } from './assert.js'
export {
  IdentifierError,
  type IdentifierErrorCode,
  type IdentifierErrorOptions,
  isIdentifierError,
} from './errors.js'
export {
  createSyntheticGenerator,
  type GeneratorOptions,
  type PersonOptions,
  type SyntheticGenerator,
  type SyntheticPerson,
} from './generate.js'
export {
  birthDateOf,
  type ChecksumRule,
  type InvalidNationalId,
  isValidNationalId,
  type NationalIdInvalidReason,
  type NationalIdKind,
  type NationalIdResult,
  type ParseNationalIdOptions,
  parseNationalId,
  type ValidNationalId,
} from './national-id.js'
export {
  isValidOrganisationNumber,
  type OrganisationNumberInvalidReason,
  type OrganisationNumberResult,
  parseOrganisationNumber,
} from './organisation-number.js'
export { containsNationalId, mask, type ScrubOptions, scrubNationalIds } from './redact.js'
export {
  NationalIdentityNumber,
  type NationalIdentityNumberSchema,
  nationalIdentityNumber,
  Organisasjonsnummer,
} from './schemas.js'
