import { createHttpClient, type HttpClient, isHttpError, jamfSchoolClassifier } from '@felles/http'
import type { DeviceAction } from '../actions.js'
import type { DevicePage, DeviceRecord, ListDevicesOptions, MdmAdapter, PerformResult } from '../adapter.js'
import { CAPABILITIES, type CapabilityMatrix } from '../capabilities.js'
import { MdmError } from '../errors.js'
import { osloLocalToIso } from '../internal/oslo-time.js'
import { toMdmError } from '../internal/vendor-error.js'
import type { Platform } from '../model.js'
import type { School } from '../schools.js'
import { sig, type TransportOptions, transport } from './common.js'

/** Options for {@link createJamfSchoolAdapter}. */
export interface JamfSchoolAdapterOptions extends TransportOptions {
  /** API base, for example `https://kommune.jamfcloud.com/api`. */
  readonly baseUrl: string
  readonly networkId: string
  /** The API key. Never logged. */
  readonly apiKey: string
  /** `X-Server-Protocol-Version`. Default `'3'`. */
  readonly protocolVersion?: string
  /** Devices per page handed on (Jamf School itself returns the whole list at once). Default 500. */
  readonly pageSize?: number
}

interface JamfSchoolDevice {
  UDID: string
  locationId?: number | string | null
  serialNumber?: string | null
  name?: string | null
  model?: { name?: string | null } | null
  os?: { prefix?: string | null; version?: string | null } | null
  owner?: { username?: string | null } | null
  isManaged?: boolean | null
  isSupervised?: boolean | null
  region?: { string?: string | null } | null
  lastCheckin?: string | null
  enrolledAt?: string | null
}

const ACTIONS: Partial<Record<DeviceAction['type'], string>> = {
  sync: 'refresh',
  restart: 'restart',
  wipe: 'wipe',
  retire: 'unenroll',
}

function platformOf(prefix: string | null | undefined): Platform {
  switch ((prefix ?? '').toLowerCase()) {
    case 'ipados':
      return 'ipados'
    case 'ios':
      return 'ios'
    case 'macos':
      return 'macos'
    case 'tvos':
      return 'other'
    default:
      return 'other'
  }
}

function toRecord(d: JamfSchoolDevice): DeviceRecord {
  return {
    id: `jamf-school:${d.UDID}`,
    vendor: 'jamf-school',
    vendorId: d.UDID,
    serialNumber: d.serialNumber || null,
    name: d.name ?? null,
    model: d.model?.name ?? null,
    platform: platformOf(d.os?.prefix),
    osVersion: d.os?.version || null,
    owner: d.owner?.username || null,
    placement: {
      kind: 'jamf-school-location',
      id: d.locationId === undefined || d.locationId === null ? null : String(d.locationId),
    },
    managed: d.isManaged ?? true,
    supervised: d.isSupervised ?? null,
    enrolledAt: osloLocalToIso(d.enrolledAt),
    // Jamf School has no compliance evaluation of its own.
    compliance: 'not-evaluated',
    lostMode: d.region?.string === 'Lost' ? true : null,
    lastCheckIn: osloLocalToIso(d.lastCheckin),
    raw: d,
  }
}

/**
 * An adapter for Jamf School (formerly ZuluDesk): HTTP Basic with the network
 * id and API key plus the `X-Server-Protocol-Version` header, locations as the
 * school boundary, 405 read as a missing permission (never retried), the whole
 * device list handed on in pages because the API has no paging, at most five
 * connections at once, and the vendor's inconsistent error bodies normalised.
 *
 * @param options - Base URL and API key.
 * @returns The adapter.
 * @example
 * ```ts
 * const jamfSchool = createJamfSchoolAdapter({ baseUrl: 'https://kommune.jamfcloud.com/api', networkId, apiKey })
 * ```
 * @see https://docs.jamf.com/jamf-school/api-docs/
 */
export function createJamfSchoolAdapter(options: JamfSchoolAdapterOptions): MdmAdapter {
  const pageSize = Math.max(1, options.pageSize ?? 500)
  const basic = btoa(`${options.networkId}:${options.apiKey}`)
  const api: HttpClient = createHttpClient({
    ...transport(options),
    baseUrl: `${options.baseUrl.replace(/\/$/, '')}/`,
    headers: { authorization: `Basic ${basic}`, 'x-server-protocol-version': options.protocolVersion ?? '3' },
    classify: jamfSchoolClassifier,
    maxConcurrency: 5,
  })

  const locationOf = (school: School | undefined): string | undefined => school?.scopes.jamfSchool?.locationId

  const adapter: MdmAdapter = {
    vendor: 'jamf-school',
    capabilities: CAPABILITIES['jamf-school'] as CapabilityMatrix,
    schoolFilter: 'server',
    listConcurrency: 5,

    async *listDevices(opts: ListDevicesOptions): AsyncIterable<DevicePage> {
      const location = locationOf(opts.school)
      let list: JamfSchoolDevice[]
      try {
        const body = await api.json<{ devices?: JamfSchoolDevice[] }>({
          url: 'devices',
          query: location === undefined ? {} : { location },
          ...sig(opts.signal),
        })
        list = body.devices ?? []
      } catch (error) {
        throw toMdmError('jamf-school', error, 'listing devices')
      }
      const start = opts.cursor === undefined ? 0 : Number(opts.cursor)
      if (!Number.isInteger(start) || start < 0) throw new TypeError('cursor must come from an earlier page')
      for (let i = start; i < list.length; i += pageSize) {
        const next = i + pageSize
        yield {
          devices: list.slice(i, next).map(toRecord),
          nextCursor: next < list.length ? String(next) : null,
          totalCount: list.length,
        }
      }
    },

    async getDevice(vendorId, opts = {}) {
      try {
        const body = await api.json<{ device?: JamfSchoolDevice }>({
          url: `devices/${encodeURIComponent(vendorId)}`,
          ...sig(opts.signal),
        })
        return body.device === undefined ? null : toRecord(body.device)
      } catch (error) {
        if (isHttpError(error) && error.status === 404) return null
        throw toMdmError('jamf-school', error, 'reading a device')
      }
    },

    async findBySerial(serialNumber, opts = {}) {
      try {
        const body = await api.json<{ devices?: JamfSchoolDevice[] }>({
          url: 'devices',
          query: { serialnumber: serialNumber },
          ...sig(opts.signal),
        })
        return (body.devices ?? []).map(toRecord)
      } catch (error) {
        throw toMdmError('jamf-school', error, 'searching by serial number')
      }
    },

    async perform(device, action, opts): Promise<PerformResult> {
      const path = ACTIONS[action.type]
      if (path === undefined) {
        throw new MdmError('ERR_MDM_UNSUPPORTED', `Jamf School has no ${action.type}`, {
          vendor: 'jamf-school',
        })
      }
      try {
        const body = await api.json<{ UUID?: string }>({
          url: `devices/${encodeURIComponent(device.vendorId)}/${path}`,
          method: 'POST',
          idempotent: false,
          ...(action.type === 'wipe' || action.type === 'retire' ? { retry: false as const } : {}),
          ...sig(opts.signal),
        })
        return { outcome: 'queued', commandId: body?.UUID ?? `${path}@${device.vendorId}` }
      } catch (error) {
        throw toMdmError('jamf-school', error, action.type)
      }
    },

    async moveDevice(device, to, opts = {}) {
      const location = locationOf(to)
      if (location === undefined) {
        throw new MdmError('ERR_MDM_VALIDATION', `School ${to.id} has no Jamf School location`, {
          vendor: 'jamf-school',
          field: 'scopes.jamfSchool',
        })
      }
      try {
        await api.json({
          url: `devices/${encodeURIComponent(device.vendorId)}/migrate`,
          method: 'PUT',
          json: { location: Number(location) },
          ...sig(opts.signal),
        })
      } catch (error) {
        throw toMdmError('jamf-school', error, 'moving a device')
      }
    },
  }
  return adapter
}
