export {
  type AuthOptions,
  DEFAULT_STATIC_TOKEN,
} from './auth.js'
export { type ClockOptions, createClock, type MockClock } from './clock.js'
export {
  FAULT_HEADER,
  type FaultHandle,
  type FaultKind,
  type FaultRule,
} from './faults.js'
export { OPERATIONS, type OperationMatcher, type OperationName } from './operations.js'
export {
  type MockCredentials,
  type RequestRecord,
  type SvarUtMock,
  type SvarUtMockOptions,
  startSvarUtMock,
} from './server.js'
export { type ForsendelseStatus, type SigneringStatus, STATUSES } from './statuses.js'
export {
  builtinValidator,
  findSpecsDir,
  loadSpecValidator,
  type RequestValidator,
  type SafeParseSchema,
  type SchemaValidatorOptions,
  type SpecValidator,
  schemaValidator,
  type ValidationIssue,
} from './validation.js'
export {
  type Hendelse,
  type MockAccount,
  type MockIntegration,
  type MockLetter,
  type MockNhn,
  type MockOrganisation,
  type MockPerson,
  type MockSvarInnSystem,
  type PersonChannel,
  type SendKind,
  type Signeringshendelse,
  type StoredDocument,
  SvarUtWorld,
  type WorldOptions,
  type WorldTimings,
} from './world.js'
