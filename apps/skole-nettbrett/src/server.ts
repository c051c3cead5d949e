import type { Organisation } from '@felles/sample-documents'
import { type OpenDatabaseOptions, openDatabase, type SampleDatabase } from '@felles/sample-municipality'
import type { AdminAssignment } from '@felles/sample-municipality/schools'
import {
  createAuth,
  createLogger,
  createWebApp,
  fromMockClient,
  type IdentityOptions,
  type Logger,
  listen,
  loginErrorPage,
  type MockClientLike,
  mockRegistration,
  SqlSessionStore,
} from '@felles/sample-web'
import { createActionService } from './actions.js'
import { createAdapters, createFleet, type MdmConnection } from './mdm-connection.js'
import { createOnboardingService, type SvarUtConnection } from './onboarding.js'
import type { MinimumOsVersions } from './report.js'
import { seedSchools, type WorldSchoolLike } from './seed.js'
import { createInventorySync, type InventorySync } from './sync.js'
import { mountRoutes } from './web/routes.js'
import { type TextKey, texts } from './web/texts.js'

/** The municipality that sends the start packs (synthetic organisation number). */
export const DEFAULT_MUNICIPALITY: Organisation = {
  name: 'Fjordvik kommune',
  organizationNumber: '921000014',
  unit: 'IT-tjenesten',
  addressLines: ['Postboks 1', 'Rådhusgata 1'],
  postalCode: '4001',
  city: 'Fjordvik',
  email: 'it@fjordvik.kommune.no',
}

/** The parts of `@felles/id-porten-mock`'s handle used to register this app as an Ansattporten client. */
export interface IdentityMockLike {
  readonly url: string
  registerClient(options: ReturnType<typeof mockRegistration>): Promise<MockClientLike>
}

/** Options of {@link startSkoleNettbrett}. */
export interface SkoleNettbrettOptions {
  /** Default 0 (a free port). */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** An open database, or options for `openDatabase` (default: SQLite under `.data`, PostgreSQL with `DATABASE_URL`). */
  readonly database?: SampleDatabase | OpenDatabaseOptions
  /**
   * Ansattporten: the kit's identity options, or a function that gets the app's
   * URL (to register a client at the mock) and returns them.
   */
  readonly identity:
    | IdentityOptions
    | ((appUrl: string) => Promise<IdentityOptions>)
    | { readonly mock: IdentityMockLike; readonly clientName?: string }
  /** The vendors (see `mdmConnectionFromMock`). */
  readonly mdm: MdmConnection
  readonly svarut: SvarUtConnection
  /** Sender of the start packs. */
  readonly municipality?: Organisation
  /** The console's public address printed in start packs. Default the app's URL. */
  readonly publicUrl?: string
  /** The inventory sync: on (every 15 minutes, first run at start) by default; `false` off. */
  readonly sync?: boolean | { readonly intervalMs: number }
  /** How often start packs are sent and their SvarUt status polled. Default 5 s; 0 off. */
  readonly onboardingPollMs?: number
  /** Schools and administrators to register at start (idempotent): the demo municipality. */
  readonly seed?: {
    readonly schools: readonly WorldSchoolLike[]
    readonly admins?: readonly AdminAssignment[]
  }
  /** Session clock (tests move it past the idle limit). */
  readonly clock?: { now(): number }
  readonly cookieSecret?: string
  readonly logger?: Logger
  readonly now?: () => Date
  readonly minimumOs?: MinimumOsVersions
}

/** A running console. */
export interface SkoleNettbrett {
  readonly url: string
  readonly database: SampleDatabase
  readonly sync: InventorySync
  /** Sends due start packs and polls their status now. */
  processOnboarding(): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the school-tablet console: Ansattporten login, the fleet across
 * vendors with per-school delegation, audited actions, start packs through
 * SvarUt, compliance reports, and the background inventory sync.
 *
 * @param options - Port, database, identity, vendors, SvarUt, sync.
 * @returns The URL and `close()`.
 */
export async function startSkoleNettbrett(options: SkoleNettbrettOptions): Promise<SkoleNettbrett> {
  const now = options.now ?? (() => new Date())
  const given = options.database
  const ownDatabase = given === undefined || !('db' in given)
  const database: SampleDatabase = ownDatabase
    ? await openDatabase((given as OpenDatabaseOptions) ?? {})
    : given
  const { db } = database
  const server = await listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' })
  const closers: (() => Promise<void> | void)[] = []
  try {
    if (options.seed !== undefined) await seedSchools(db, options.seed.schools, options.seed.admins ?? [])
    const fleet = createFleet(createAdapters(options.mdm), [])
    const sync = createInventorySync({ db, fleet, now })
    const onboarding = createOnboardingService({
      db,
      fleet,
      svarut: options.svarut,
      municipality: options.municipality ?? DEFAULT_MUNICIPALITY,
      consoleUrl: () => options.publicUrl ?? server.url,
      now,
      onSchoolsChanged: () => {
        if (options.sync !== false) void sync.runAll().catch(() => undefined)
      },
    })
    await onboarding.reloadSchools()
    const actions = createActionService({ db, fleet, now })

    const given = options.identity
    const identity: IdentityOptions =
      typeof given === 'function'
        ? await given(server.url)
        : 'mock' in given
          ? {
              issuer: `${given.mock.url}/ansattporten`,
              client: fromMockClient(
                await given.mock.registerClient(
                  mockRegistration(server.url, 'ansattporten', given.clientName ?? 'Skole-nettbrett'),
                ),
              ),
            }
          : given
    const store = new SqlSessionStore(
      db,
      options.clock === undefined ? {} : { now: () => options.clock!.now() },
    )
    closers.push(() => store.close())
    const auth = await createAuth({
      baseUrl: server.url,
      identity: { product: 'ansattporten', ...identity },
      store,
      cookieName: 'skole-nettbrett',
      ...(options.cookieSecret === undefined ? {} : { cookieSecret: options.cookieSecret }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
      authorizationDetails: [
        { type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:skole-nettbrett' },
      ],
      errorPage: loginErrorPage,
    })
    let menu: ReturnType<typeof mountRoutes> | undefined
    const web = createWebApp<TextKey>({
      baseUrl: server.url,
      i18n: texts,
      serviceName: 'service',
      municipality: (options.municipality ?? DEFAULT_MUNICIPALITY).name,
      auth,
      logger: options.logger ?? createLogger(),
      nav: (c) => menu?.nav(c) ?? [],
    })
    menu = mountRoutes({
      web,
      schools: () => fleet.schools(),
      sqlite: database.sqlite,
      db,
      actions,
      sync,
      onboarding,
      now,
      ...(options.minimumOs === undefined ? {} : { minimumOs: options.minimumOs }),
    })
    server.attach(web.app)

    if (options.sync !== false) {
      sync.start(typeof options.sync === 'object' ? options.sync.intervalMs : 15 * 60_000)
    }
    closers.push(() => sync.stop())
    const pollMs = options.onboardingPollMs ?? 5_000
    if (pollMs > 0) onboarding.start(pollMs)
    closers.push(() => onboarding.stop())

    return {
      url: server.url,
      database,
      sync,
      processOnboarding: () => onboarding.process(),
      async close() {
        await server.close()
        for (const close of closers.reverse()) await close()
        if (ownDatabase) await database.close()
      },
    }
  } catch (error) {
    await server.close()
    for (const close of closers.reverse()) await close()
    if (ownDatabase) await database.close()
    throw error
  }
}
