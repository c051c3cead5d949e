export {
  type ActionRequest,
  type ActionService,
  type Actor,
  createActionService,
  MAX_BULK,
} from './actions.js'
export { ConsoleError, type ConsoleErrorCode, isConsoleError } from './errors.js'
export {
  createAdapters,
  createFleet,
  type Fleet,
  type MdmConnection,
  type MdmMockLike,
  mdmConnectionFromMock,
} from './mdm-connection.js'
export { createOnboardingService, RegisterSchool, type SvarUtConnection } from './onboarding.js'
export { type ComplianceReport, complianceReport, DEFAULT_MINIMUM_OS } from './report.js'
export { demoOrgnr, scopesOfWorldSchool, seedSchools, type WorldSchoolLike } from './seed.js'
export {
  DEFAULT_MUNICIPALITY,
  type IdentityMockLike,
  type SkoleNettbrett,
  type SkoleNettbrettOptions,
  startSkoleNettbrett,
} from './server.js'
export { createInventorySync, type InventorySync, type SyncSummary } from './sync.js'
