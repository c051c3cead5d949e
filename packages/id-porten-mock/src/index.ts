export {
  type FrameLoad,
  type LoginChoice,
  type LoginResult,
  type LogoutResult,
  MockBrowser,
  MockBrowserError,
} from './browser.js'
export { type Clock, createManualClock, type ManualClock, systemClock } from './clock.js'
export {
  type ActiveFault,
  FAULT_NAMES,
  type FaultName,
  type FaultOptions,
  parseFaultList,
} from './faults.js'
export { startIdportenMock } from './mock.js'
export type { MockOrganisation, MockPerson, MockReportee, PersonInput } from './persons.js'
export { MASKINPORTEN_ERRORS, type MaskinportenErrorCode } from './providers/maskinporten.js'
export type {
  AcrValue,
  ClientAuthMethod,
  ClientKey,
  ClientOptions,
  Flavour,
  IdportenMock,
  IdportenMockOptions,
  Lifetimes,
  MaskinportenClientOptions,
  MockIssuers,
  MockRequestLogEntry,
  OidcClientOptions,
  RegisteredClient,
  RegisteredMaskinportenClient,
  RegisteredOidcClient,
  TestBusinessCertificate,
} from './types.js'
