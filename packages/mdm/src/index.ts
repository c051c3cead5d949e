export {
  ACTION_TYPES,
  type ActionOutcome,
  type ActionResult,
  type ActionType,
  DESTRUCTIVE_ACTIONS,
  DeviceAction,
  isDestructive,
} from './actions.js'
export type {
  CallOptions,
  CommandState,
  DevicePage,
  DeviceRecord,
  ListDevicesOptions,
  MdmAdapter,
  PerformManyOptions,
  PerformManyResult,
  PerformResult,
} from './adapter.js'
export { CAPABILITIES, type CapabilityMatrix, canPerform, type Support } from './capabilities.js'
export {
  type ActOptions,
  type ComplianceOptions,
  type ComplianceSummary,
  createMdmClient,
  type MdmClient,
  type MdmClientOptions,
  type MdmEvents,
  type SchoolView,
} from './client.js'
export { isMdmError, MdmError, type MdmErrorCode, type MdmErrorOptions } from './errors.js'
export type { InventoryOptions, InventoryPage, InventoryProgress } from './inventory.js'
export type { Compliance, Device, Platform, Vendor, VendorPlacement } from './model.js'
export { deviceInSchool, placementInSchool, resolveSchool, School, SchoolScopes } from './schools.js'
