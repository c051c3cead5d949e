import { createMdmClient, type MdmAdapter, type MdmClient, type School } from '@felles/mdm'
import { createGoogleAdapter } from '@felles/mdm/google'
import { createIntuneAdapter } from '@felles/mdm/intune'
import { createJamfProAdapter } from '@felles/mdm/jamf-pro'
import { createJamfSchoolAdapter } from '@felles/mdm/jamf-school'

/** The clock the vendor adapters use (`@felles/http`'s `Clock`). */
export type AdapterClock = NonNullable<Parameters<typeof createJamfSchoolAdapter>[0]['clock']>

/** Where and how to reach each vendor the municipality runs (any may be left out). Secrets are never logged. */
export interface MdmConnection {
  readonly intune?: {
    readonly graphUrl: string
    readonly tokenUrl: string
    readonly tenantId: string
    readonly clientId: string
    readonly clientSecret: string
  }
  readonly jamfPro?: { readonly serverUrl: string; readonly clientId: string; readonly clientSecret: string }
  readonly jamfSchool?: { readonly baseUrl: string; readonly networkId: string; readonly apiKey: string }
  readonly google?: {
    readonly apiUrl: string
    readonly tokenUrl: string
    readonly serviceAccount: { readonly client_email: string; readonly private_key: string }
    readonly adminEmail: string
  }
  /** For tests: a clock whose sleeps end at once, so backoff is observed, never slept. */
  readonly clock?: AdapterClock
  /** Per-request timeout (ms), or `false`. */
  readonly timeout?: number | false
  /** Page size of inventory listings (each vendor caps it at its own maximum). */
  readonly pageSize?: number
}

/** The shape of `@felles/mdm-mock`'s `urls` and `credentials` this app needs. */
export interface MdmMockLike {
  readonly urls: {
    readonly graph: string
    readonly jamfPro: string
    readonly jamfSchool: string
    readonly google: string
    readonly tokenEndpoints: { readonly graph: string; readonly google: string }
  }
  readonly credentials: {
    readonly graph: { readonly tenantId: string; readonly clientId: string; readonly clientSecret: string }
    readonly jamfPro: { readonly clientId: string; readonly clientSecret: string }
    readonly jamfSchool: { readonly networkId: string; readonly apiKey: string }
    readonly google: {
      readonly serviceAccountKey: { readonly client_email: string; readonly private_key: string }
      readonly adminEmail: string
    }
  }
}

/**
 * The connection to every vendor of a running `@felles/mdm-mock` (its `urls` and `credentials`).
 *
 * @param mock - The emulator handle, or the same fields printed by its CLI with `--json`.
 * @returns A connection for {@link createAdapters}.
 */
export function mdmConnectionFromMock(mock: MdmMockLike): MdmConnection {
  const c = mock.credentials
  return {
    intune: {
      graphUrl: mock.urls.graph,
      tokenUrl: mock.urls.tokenEndpoints.graph,
      tenantId: c.graph.tenantId,
      clientId: c.graph.clientId,
      clientSecret: c.graph.clientSecret,
    },
    jamfPro: {
      serverUrl: mock.urls.jamfPro,
      clientId: c.jamfPro.clientId,
      clientSecret: c.jamfPro.clientSecret,
    },
    jamfSchool: {
      baseUrl: mock.urls.jamfSchool,
      networkId: c.jamfSchool.networkId,
      apiKey: c.jamfSchool.apiKey,
    },
    google: {
      apiUrl: mock.urls.google,
      tokenUrl: mock.urls.tokenEndpoints.google,
      serviceAccount: {
        client_email: c.google.serviceAccountKey.client_email,
        private_key: c.google.serviceAccountKey.private_key,
      },
      adminEmail: c.google.adminEmail,
    },
  }
}

/** One `@felles/mdm` adapter per configured vendor. */
export function createAdapters(connection: MdmConnection): MdmAdapter[] {
  const transport = {
    ...(connection.clock === undefined ? {} : { clock: connection.clock }),
    ...(connection.timeout === undefined ? {} : { timeout: connection.timeout }),
    ...(connection.pageSize === undefined ? {} : { pageSize: connection.pageSize }),
  }
  const adapters: MdmAdapter[] = []
  if (connection.jamfSchool)
    adapters.push(createJamfSchoolAdapter({ ...connection.jamfSchool, ...transport }))
  if (connection.jamfPro) adapters.push(createJamfProAdapter({ ...connection.jamfPro, ...transport }))
  if (connection.intune) adapters.push(createIntuneAdapter({ ...connection.intune, ...transport }))
  if (connection.google) {
    const g = connection.google
    adapters.push(
      createGoogleAdapter({
        serviceAccount: g.serviceAccount,
        adminEmail: g.adminEmail,
        apiUrl: g.apiUrl,
        tokenUrl: g.tokenUrl,
        ...transport,
      }),
    )
  }
  return adapters
}

/** The fleet client over the adapters and the schools as currently registered. */
export interface Fleet {
  readonly adapters: readonly MdmAdapter[]
  /** The client for the current school configuration (rebuilt when schools change). */
  client(): MdmClient
  schools(): readonly School[]
  setSchools(schools: readonly School[]): void
}

/** Holds the adapters (and their token caches) and rebuilds the client when schools change. */
export function createFleet(adapters: readonly MdmAdapter[], schools: readonly School[]): Fleet {
  let current = schools
  let client = createMdmClient({ adapters, schools: current })
  return {
    adapters,
    client: () => client,
    schools: () => current,
    setSchools(next) {
      current = next
      client = createMdmClient({ adapters, schools: current })
    },
  }
}
