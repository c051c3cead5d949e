import {
  createHttpClient,
  googleClassifier,
  type HttpClient,
  isHttpError,
  paginate,
  type RequestOptions,
} from '@felles/http'
import type { DeviceAction } from '../actions.js'
import type {
  CommandState,
  DevicePage,
  DeviceRecord,
  ListDevicesOptions,
  MdmAdapter,
  PerformResult,
} from '../adapter.js'
import { CAPABILITIES, type CapabilityMatrix } from '../capabilities.js'
import { MdmError } from '../errors.js'
import { oauthTokenCache } from '../internal/oauth-token.js'
import { toMdmError } from '../internal/vendor-error.js'
import { sig, type TransportOptions, transport } from './common.js'

/** The parts of a Google service-account key file the adapter uses. */
export interface GoogleServiceAccount {
  readonly client_email: string
  /** PKCS#8 PEM. Never logged. */
  readonly private_key: string
  readonly token_uri?: string
}

/** Options for {@link createGoogleAdapter}. */
export interface GoogleAdapterOptions extends TransportOptions {
  /** The service account (with domain-wide delegation). */
  readonly serviceAccount: GoogleServiceAccount
  /** The administrator the service account acts as (`sub`). */
  readonly adminEmail: string
  /** Customer id. Default `my_customer`. */
  readonly customerId?: string
  /** API root. Default `https://admin.googleapis.com`. */
  readonly apiUrl?: string
  /** Token endpoint. Default the key's `token_uri` or `https://oauth2.googleapis.com/token`. */
  readonly tokenUrl?: string
  /** `maxResults` per page (at most 300). Default 300. */
  readonly pageSize?: number
  /** Queries per minute this client allows itself. Default 2,400 (Google's default quota). */
  readonly queriesPerMinute?: number
}

/** The OAuth scope for ChromeOS devices (read, write and commands). */
export const CHROMEOS_SCOPE = 'https://www.googleapis.com/auth/admin.directory.device.chromeos'

interface ChromeOsDevice {
  deviceId: string
  serialNumber?: string
  status?: string
  lastSync?: string
  annotatedUser?: string
  model?: string
  osVersion?: string
  orgUnitPath?: string
  lastEnrollmentTime?: string
}

/** Google's partial-response selector for list pages: exactly what {@link toRecord} reads. */
const LIST_FIELDS =
  'nextPageToken,chromeosdevices(deviceId,serialNumber,status,lastSync,annotatedUser,model,osVersion,orgUnitPath,lastEnrollmentTime)'

const COMMANDS: Partial<Record<DeviceAction['type'], string>> = {
  restart: 'REBOOT',
  wipe: 'REMOTE_POWERWASH',
}
const STATUS_ACTIONS: Partial<Record<DeviceAction['type'], string>> = {
  disable: 'disable',
  reenable: 'reenable',
  retire: 'deprovision',
}

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')
const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text)

async function importKey(pem: string): Promise<CryptoKey> {
  const body = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '')
  const der = Uint8Array.from(atob(body), (c) => c.charCodeAt(0))
  return crypto.subtle.importKey('pkcs8', der, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
    'sign',
  ])
}

function toRecord(d: ChromeOsDevice): DeviceRecord {
  return {
    id: `google:${d.deviceId}`,
    vendor: 'google',
    vendorId: d.deviceId,
    serialNumber: d.serialNumber || null,
    name: null,
    model: d.model ?? null,
    platform: 'chromeos',
    osVersion: d.osVersion ?? null,
    owner: d.annotatedUser || null,
    placement: { kind: 'google-org-unit', path: d.orgUnitPath ?? null },
    managed: d.status !== 'DEPROVISIONED',
    supervised: null,
    enrolledAt: d.lastEnrollmentTime ?? null,
    compliance: 'not-evaluated',
    lostMode: d.status === undefined ? null : d.status === 'DISABLED',
    lastCheckIn: d.lastSync ?? null,
    raw: d,
  }
}

/**
 * An adapter for ChromeOS devices in Google Admin (Admin SDK Directory API):
 * service-account tokens with domain-wide delegation (an RS256 JWT assertion
 * signed with WebCrypto, renewed before expiry, one request in flight), org
 * units as the school boundary (child units included), `pageToken` paging one
 * page at a time, Google's 403 `userRateLimitExceeded`/`quotaExceeded` treated
 * as a rate limit, device commands (reboot, powerwash) whose state can be
 * followed, and disable/re-enable/deprovision.
 *
 * @param options - Service account, administrator and endpoints.
 * @returns The adapter.
 * @example
 * ```ts
 * const google = createGoogleAdapter({ serviceAccount: JSON.parse(keyFile), adminEmail: 'it@kommune.no' })
 * ```
 * @see https://developers.google.com/admin-sdk/directory/reference/rest/v1/chromeosdevices
 */
export function createGoogleAdapter(options: GoogleAdapterOptions): MdmAdapter {
  const apiUrl = (options.apiUrl ?? 'https://admin.googleapis.com').replace(/\/$/, '')
  const tokenUrl =
    options.tokenUrl ?? options.serviceAccount.token_uri ?? 'https://oauth2.googleapis.com/token'
  const customer = encodeURIComponent(options.customerId ?? 'my_customer')
  const devicesPath = `admin/directory/v1/customer/${customer}/devices/chromeos`
  const pageSize = Math.min(300, Math.max(1, options.pageSize ?? 300))
  const common = transport(options)
  const clockNow = (): number => (options.clock ?? { now: Date.now }).now()
  let key: Promise<CryptoKey> | undefined

  const tokens = oauthTokenCache({
    vendor: 'google',
    url: tokenUrl,
    async form() {
      key ??= importKey(options.serviceAccount.private_key)
      const iat = Math.floor(clockNow() / 1000)
      const header = base64url(utf8(JSON.stringify({ alg: 'RS256', typ: 'JWT' })))
      const claims = base64url(
        utf8(
          JSON.stringify({
            iss: options.serviceAccount.client_email,
            sub: options.adminEmail,
            scope: CHROMEOS_SCOPE,
            aud: tokenUrl,
            iat,
            exp: iat + 3600,
          }),
        ),
      )
      const signature = new Uint8Array(
        await crypto.subtle.sign('RSASSA-PKCS1-v1_5', await key, utf8(`${header}.${claims}`)),
      )
      return new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: `${header}.${claims}.${base64url(signature)}`,
      })
    },
    refreshBefore: 5 * 60_000,
    transport: options,
  })
  const api: HttpClient = createHttpClient({
    ...common,
    baseUrl: `${apiUrl}/`,
    token: tokens.provider(),
    classify: googleClassifier,
    rateLimit: { requests: options.queriesPerMinute ?? 2400, interval: 60_000 },
    maxConcurrency: 8,
  })

  const listRequest = (orgUnitPath: string | undefined, pageToken?: string): RequestOptions => ({
    url: devicesPath,
    query: {
      maxResults: pageSize,
      projection: 'FULL',
      // Partial response: the fields the device model reads, not the whole record (recent users,
      // activity, reports); a list page is several times smaller to send and parse.
      fields: LIST_FIELDS,
      ...(orgUnitPath === undefined ? {} : { orgUnitPath, includeChildOrgunits: 'true' }),
      ...(pageToken === undefined ? {} : { pageToken }),
    },
  })

  const adapter: MdmAdapter = {
    vendor: 'google',
    capabilities: CAPABILITIES.google as CapabilityMatrix,
    schoolFilter: 'server',
    listConcurrency: 8,

    async *listDevices(opts: ListDevicesOptions): AsyncIterable<DevicePage> {
      const ou = opts.school?.scopes.google?.orgUnitPath
      try {
        for await (const page of paginate<{ chromeosdevices?: ChromeOsDevice[]; nextPageToken?: string }>(
          api,
          {
            first: listRequest(ou),
            next: (body) => body.nextPageToken,
            request: (token) => listRequest(ou, token),
            ...(opts.cursor === undefined ? {} : { cursor: opts.cursor }),
            ...sig(opts.signal),
          },
        )) {
          yield { devices: (page.body.chromeosdevices ?? []).map(toRecord), nextCursor: page.next ?? null }
        }
      } catch (error) {
        throw toMdmError('google', error, 'listing devices')
      }
    },

    async getDevice(vendorId, opts = {}) {
      try {
        return toRecord(
          await api.json<ChromeOsDevice>({
            url: `${devicesPath}/${encodeURIComponent(vendorId)}`,
            query: { projection: 'FULL' },
            ...sig(opts.signal),
          }),
        )
      } catch (error) {
        if (isHttpError(error) && error.status === 404) return null
        throw toMdmError('google', error, 'reading a device')
      }
    },

    async findBySerial(serialNumber, opts = {}) {
      try {
        const body = await api.json<{ chromeosdevices?: ChromeOsDevice[] }>({
          url: devicesPath,
          query: { query: `id:${serialNumber}`, projection: 'FULL', maxResults: 10 },
          ...sig(opts.signal),
        })
        return (body.chromeosdevices ?? []).map(toRecord)
      } catch (error) {
        throw toMdmError('google', error, 'searching by serial number')
      }
    },

    async perform(device, action, opts): Promise<PerformResult> {
      const destructive = action.type === 'wipe' || action.type === 'retire'
      const url = `${devicesPath}/${encodeURIComponent(device.vendorId)}`
      try {
        const command = COMMANDS[action.type]
        if (command !== undefined) {
          const body = await api.json<{ commandId: string }>({
            url: `${url}:issueCommand`,
            method: 'POST',
            json: { commandType: command },
            idempotent: false,
            ...(destructive ? { retry: false as const } : {}),
            ...sig(opts.signal),
          })
          return { outcome: 'queued', commandId: String(body.commandId) }
        }
        const status = STATUS_ACTIONS[action.type]
        if (status !== undefined) {
          await api.send({
            url: `${url}/action`,
            method: 'POST',
            json: {
              action: status,
              ...(status === 'deprovision' ? { deprovisionReason: 'retiring_device' } : {}),
            },
            idempotent: false,
            ...(destructive ? { retry: false as const } : {}),
            ...sig(opts.signal),
          })
          // Status changes take effect in Google at once.
          return { outcome: 'completed' }
        }
      } catch (error) {
        throw toMdmError('google', error, action.type)
      }
      throw new MdmError('ERR_MDM_UNSUPPORTED', `Google Admin has no ${action.type} for ChromeOS`, {
        vendor: 'google',
      })
    },

    async commandState(device, commandId, opts = {}): Promise<CommandState> {
      try {
        const command = await api.json<{ state?: string; commandResult?: { result?: string } }>({
          url: `${devicesPath}/${encodeURIComponent(device.vendorId)}/commands/${encodeURIComponent(commandId)}`,
          ...sig(opts.signal),
        })
        switch (command.state) {
          case 'PENDING':
            return 'pending'
          case 'SENT_TO_CLIENT':
            return 'sent'
          case 'ACKED_BY_CLIENT':
            return 'acknowledged'
          case 'EXECUTED_BY_CLIENT':
            return command.commandResult?.result === 'FAILURE' ? 'failed' : 'completed'
          case 'EXPIRED':
          case 'CANCELLED':
            return 'expired'
          default:
            return 'unknown'
        }
      } catch (error) {
        throw toMdmError('google', error, 'reading a command')
      }
    },

    async moveDevice(device, to, opts = {}) {
      const orgUnitPath = to.scopes.google?.orgUnitPath
      if (orgUnitPath === undefined) {
        throw new MdmError('ERR_MDM_VALIDATION', `School ${to.id} has no Google org unit`, {
          vendor: 'google',
          field: 'scopes.google',
        })
      }
      try {
        await api.send({
          url: `${devicesPath}/moveDevicesToOu`,
          method: 'POST',
          query: { orgUnitPath },
          json: { deviceIds: [device.vendorId] },
          ...sig(opts.signal),
        })
      } catch (error) {
        throw toMdmError('google', error, 'moving a device')
      }
    },
  }
  return adapter
}
