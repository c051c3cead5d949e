import type {
  CapabilityMatrix,
  DeviceAction,
  DevicePage,
  DeviceRecord,
  ListDevicesOptions,
  MdmAdapter,
  PerformResult,
  School,
  Vendor,
} from '../src/index.js'
import { CAPABILITIES, type MdmError, placementInSchool } from '../src/index.js'

/**
 * An in-memory vendor for testing the client's own rules (school boundary,
 * validation, dry-run, bulk). It misbehaves like the real ones can: it may
 * ignore the school filter, and it fails on demand. Adapter behaviour against
 * the vendor emulators is tested with the adapters.
 */
export class VendorDouble implements MdmAdapter {
  readonly capabilities: CapabilityMatrix
  readonly performed: { id: string; action: DeviceAction['type'] }[] = []
  readonly failNext: Map<string, MdmError> = new Map()
  ignoreFilter: boolean = false
  pageSize: number = 3

  readonly vendor: Vendor
  readonly records: DeviceRecord[]

  constructor(vendor: Vendor, records: DeviceRecord[]) {
    this.vendor = vendor
    this.records = records
    this.capabilities = CAPABILITIES[vendor]
  }

  async *listDevices(options: ListDevicesOptions): AsyncIterable<DevicePage> {
    const school: School | undefined = options.school
    const visible = this.records.filter(
      (r) => this.ignoreFilter || school === undefined || placementInSchool(school, r.placement),
    )
    for (let i = 0; i < visible.length; i += this.pageSize) {
      yield {
        devices: visible.slice(i, i + this.pageSize),
        nextCursor: i + this.pageSize < visible.length ? String(i + this.pageSize) : null,
      }
    }
  }

  async getDevice(vendorId: string): Promise<DeviceRecord | null> {
    return this.records.find((r) => r.vendorId === vendorId) ?? null
  }

  async findBySerial(serialNumber: string): Promise<DeviceRecord[]> {
    // Like a vendor whose serial filter is ignored: returns everything.
    return this.ignoreFilter ? this.records : this.records.filter((r) => r.serialNumber === serialNumber)
  }

  async perform(device: DeviceRecord, action: DeviceAction): Promise<PerformResult> {
    this.performed.push({ id: device.id, action: action.type })
    const failure = this.failNext.get(device.id)
    if (failure !== undefined) {
      this.failNext.delete(device.id)
      throw failure
    }
    return { outcome: 'queued', commandId: `cmd-${this.performed.length}` }
  }
}

/**
 * A {@link VendorDouble} with the bulk form (`getDevices` + `performMany`) that
 * misbehaves where a vendor could: `getDevices` may return other devices, or a
 * device under another id's key; `performMany` records what it was handed.
 */
export class BulkVendorDouble extends VendorDouble {
  /** Return every record too (an ignored id filter). */
  leakAll: boolean = false
  /** Put the record of the next device under each key (a confused vendor). */
  shiftKeys: boolean = false

  async getDevices(vendorIds: readonly string[]): Promise<ReadonlyMap<string, DeviceRecord>> {
    const found = new Map<string, DeviceRecord>()
    if (this.leakAll) for (const r of this.records) found.set(`leak-${r.vendorId}`, r)
    vendorIds.forEach((id, i) => {
      const index = this.records.findIndex((r) => r.vendorId === id)
      if (index < 0) return
      const record = this.shiftKeys
        ? (this.records[(index + 1 + i) % this.records.length] as DeviceRecord)
        : (this.records[index] as DeviceRecord)
      found.set(id, record)
    })
    return found
  }

  async performMany(
    devices: readonly DeviceRecord[],
    action: DeviceAction,
  ): Promise<{ ok: true; result: PerformResult }[]> {
    return devices.map((device) => {
      this.performed.push({ id: device.id, action: action.type })
      return {
        ok: true as const,
        result: { outcome: 'queued' as const, commandId: `cmd-${this.performed.length}` },
      }
    })
  }
}
