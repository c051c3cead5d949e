export { type ClockOptions, createClock, type MockClock } from './clock.js'
export {
  APPLE_COMMAND_REQUIREMENTS,
  type CommandKind,
  type CommandStatus,
  type MockCommand,
} from './commands.js'
export type { FaultSettings, FaultTarget, GoogleRateLimitReason } from './faults.js'
export {
  type GoogleServiceAccountKey,
  type LoggedRequest,
  type MdmMock,
  type MdmMockCredentials,
  type MdmMockOptions,
  type MdmMockStats,
  type MdmMockUrls,
  startMdmMock,
  type VendorStats,
} from './server.js'
export { GOOGLE_SCOPES } from './vendors/google.js'
export { GRAPH_ACTIONS, GRAPH_ROLES, type GraphLimits, MANAGED_DEVICE_PROPERTIES } from './vendors/graph.js'
export {
  JAMF_PRO_COMMAND_TYPES,
  JAMF_PRO_NEWER_COMMAND_TYPES,
  JAMF_PRO_PRIVILEGES,
  type JamfProValidator,
} from './vendors/jamf-pro.js'
export {
  createWorld,
  DEFAULT_MIX,
  DEVICE_KINDS,
  type DeviceKind,
  type DeviceOwner,
  type DeviceTruth,
  type FleetMix,
  KIND_VENDOR,
  LATEST_OS,
  type Platform,
  type School,
  type VendorKey,
  World,
  type WorldOptions,
} from './world.js'
