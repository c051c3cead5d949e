import type { DeviceAction } from './actions.js'
import type { CapabilityMatrix } from './capabilities.js'
import type { MdmError } from './errors.js'
import type { Device, Vendor } from './model.js'
import type { School } from './schools.js'

/** A device as an adapter reads it: everything but the school, which Felles resolves. */
export type DeviceRecord = Omit<Device, 'schoolId'>

/** One page of devices and the cursor of the page after it (`null` at the end). */
export interface DevicePage {
  readonly devices: readonly DeviceRecord[]
  readonly nextCursor: string | null
  /**
   * How many devices the whole listing holds, where the vendor says so (Jamf
   * School's `count`, Jamf Pro's `totalCount`); for progress only, never for
   * deciding where a listing ends.
   */
  readonly totalCount?: number
}

/** Common options of adapter calls. */
export interface CallOptions {
  readonly signal?: AbortSignal
}

/** Options of {@link MdmAdapter.listDevices}. */
export interface ListDevicesOptions extends CallOptions {
  /**
   * Ask the vendor to filter to this school's scope. A hint only: vendors
   * ignore filters at times, so Felles checks every device again.
   */
  readonly school?: School
  /** Resume from a cursor returned with an earlier page. */
  readonly cursor?: string
  /**
   * Only this part of the vendor's inventory (one of the adapter's
   * `listParts`), from its start or from `cursor`; the listing ends with the part.
   */
  readonly part?: string
}

/** What the vendor said about a command it was given. */
export interface PerformResult {
  readonly outcome: 'queued' | 'completed'
  readonly commandId?: string
}

/**
 * The vendor's answer for one device of a bulk action ({@link MdmAdapter.performMany}):
 * either what it said about the command, or the error for that device alone.
 */
export type PerformManyResult =
  | { readonly ok: true; readonly result: PerformResult }
  | { readonly ok: false; readonly error: MdmError }

/** Options of {@link MdmAdapter.performMany}. */
export interface PerformManyOptions extends CallOptions {
  readonly reason: string
}

/** The state of a queued command, where the vendor can tell. */
export type CommandState =
  | 'pending'
  | 'sent'
  | 'acknowledged'
  | 'completed'
  | 'failed'
  | 'expired'
  | 'unknown'

/**
 * What each vendor adapter implements. Adapters do the vendor's HTTP, paging,
 * auth and error mapping; the school boundary, validation, dry-run and bulk
 * handling live in {@link createMdmClient}, once, for every vendor.
 */
export interface MdmAdapter {
  readonly vendor: Vendor
  readonly capabilities: CapabilityMatrix
  /**
   * Whether `listDevices({ school })` narrows the listing at the vendor
   * (`'server'`: Intune categories, Jamf School locations, Google org units)
   * or returns every device for Felles to sort (`'client'`: Jamf Pro sites,
   * Intune scope tags). Decides how {@link MdmClient.inventory} splits the work.
   * Default `'server'`.
   */
  readonly schoolFilter?: 'server' | 'client'
  /**
   * How many listings the vendor allows at once (its connection or
   * concurrency limit). {@link MdmClient.inventory} runs at most this many
   * school listings of the vendor in parallel. Default 4.
   */
  readonly listConcurrency?: number
  /**
   * Parts of a whole-vendor listing that can be listed side by side with
   * `listDevices({ part })` (Jamf Pro: `mobile` and `computer`).
   */
  readonly listParts?: readonly string[]
  /** Pages of devices, one page in memory at a time. */
  listDevices(options: ListDevicesOptions): AsyncIterable<DevicePage>
  /** One device by the vendor's id, fresh from the vendor; `null` when it does not exist. */
  getDevice(vendorId: string, options?: CallOptions): Promise<DeviceRecord | null>
  /** Devices with a serial number (usually zero or one). */
  findBySerial(serialNumber: string, options?: CallOptions): Promise<readonly DeviceRecord[]>
  /** Sends one action. Must not retry destructive actions; may throw `MdmError`. */
  perform(
    device: DeviceRecord,
    action: DeviceAction,
    options: CallOptions & { readonly reason: string },
  ): Promise<PerformResult>
  /**
   * Fresh records of many devices by the vendor's ids, in as few requests as the
   * vendor allows; a missing device is simply absent from the map. Felles still
   * checks every returned record's school itself before any action.
   */
  getDevices?(vendorIds: readonly string[], options?: CallOptions): Promise<ReadonlyMap<string, DeviceRecord>>
  /**
   * Sends one action to many devices in the vendor's bulk form (Graph `$batch`),
   * returning one result per device, in input order. Called only with devices
   * Felles has already re-fetched and checked against the school. Must not retry
   * destructive actions; per-device failures are results, not exceptions.
   */
  performMany?(
    devices: readonly DeviceRecord[],
    action: DeviceAction,
    options: PerformManyOptions,
  ): Promise<PerformManyResult[]>
  /** Follows up a queued command, where the vendor can tell. */
  commandState?(device: DeviceRecord, commandId: string, options?: CallOptions): Promise<CommandState>
  /** Moves a device to another school's scope, where the vendor supports it. */
  moveDevice?(device: DeviceRecord, to: School, options?: CallOptions): Promise<void>
}
