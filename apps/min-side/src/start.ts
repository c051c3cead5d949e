import { resolve } from 'node:path'
import type { Clock, SessionLimits } from '@felles/id-porten'
import { type DemoPerson, openDatabase, type SampleDatabase, seedDemo } from '@felles/sample-municipality'
import {
  createAuth,
  createLogger,
  createWebApp,
  fromMockClient,
  type IdentityOptions,
  identityFromEnv,
  type Logger,
  listen,
  loginErrorPage,
  type MockClientLike,
  mockRegistration,
  SqlSessionStore,
} from '@felles/sample-web'
import { addMinSideRoutes } from './app.js'
import { texts } from './texts.js'

/** The parts of `@felles/id-porten-mock`'s handle that Min side uses. */
export interface IdportenMockLike {
  readonly issuer: string
  readonly persons?: readonly {
    readonly nationalId?: string | undefined
    readonly givenName: string
    readonly familyName: string
  }[]
  registerClient(options: ReturnType<typeof mockRegistration>): Promise<MockClientLike>
}

/** Options for {@link startMinSide}. */
export interface StartMinSideOptions {
  /** Default `MIN_SIDE_PORT` or 4100; 0 picks a free port. */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** The public origin, when behind a proxy (https). Default the listening URL. */
  readonly publicUrl?: string
  /** An open database (the caller closes it); otherwise one is opened from `databaseUrl`/`dataDir`. */
  readonly database?: SampleDatabase
  /** PostgreSQL URL. Default `DATABASE_URL`; without it, SQLite. */
  readonly databaseUrl?: string
  /** PostgreSQL schema (tests). */
  readonly databaseSchema?: string
  /** Folder of the SQLite file. Default `FELLES_DATA_DIR` or `.data` in the working directory. */
  readonly dataDir?: string
  /** The SQLite file itself (overrides `dataDir`). */
  readonly sqliteFile?: string
  /**
   * The identity provider: a client already registered (mock or Digdir). Without it, `idportenMock`
   * is used, else the `IDPORTEN_*` environment variables.
   */
  readonly identity?: IdentityOptions
  /**
   * The running `@felles/id-porten-mock` (in the same process): Min side registers its own client
   * there once it knows its URL, and seeds demo data for the mock's persons.
   */
  readonly idportenMock?: IdportenMockLike
  /** Persons to seed the demo for on first start. Default the mock's persons. */
  readonly demoPersons?: readonly DemoPerson[]
  /** Seed the demo data (default `true`). */
  readonly seed?: boolean
  /** Session limits (default 30 min idle, 120 min absolute). */
  readonly session?: SessionLimits
  /** Clock of sessions and deadlines (tests). */
  readonly clock?: Clock
  /** Log sink; default JSON lines on stdout. */
  readonly logger?: Logger
  /** Cookie secret (32+ characters); default `COOKIE_SECRET` or a random one. */
  readonly cookieSecret?: string
  /**
   * The SvarUt mock's origin (`mock.url` of `@felles/svarut-mock`): letters sent through it whose
   * document is not stored here are fetched from its letters page.
   */
  readonly svarutUrl?: string
}

/** A running Min side. */
export interface MinSide {
  readonly url: string
  readonly port: number
  /** The session cookie's name (for tests). */
  readonly sessionCookieName: string
  /** The database in use. */
  readonly database: SampleDatabase
  close(): Promise<void>
}

/**
 * Starts Min side: opens (and migrates) the database, seeds the demo on first
 * start, listens, registers at the identity mock when one is given, and serves.
 *
 * @param options - Port, host, database, identity provider.
 * @returns The URL and `close()`.
 * @example
 * ```ts
 * const mock = await startIdportenMock({ port: 4010 })
 * const minSide = await startMinSide({ port: 4100, idportenMock: mock, dataDir: '.data' })
 * console.log(minSide.url)
 * ```
 */
export async function startMinSide(options: StartMinSideOptions = {}): Promise<MinSide> {
  const ownsDatabase = options.database === undefined
  const database =
    options.database ??
    (await openDatabase({
      ...(options.databaseUrl === undefined ? {} : { url: options.databaseUrl }),
      ...(options.databaseSchema === undefined ? {} : { schema: options.databaseSchema }),
      ...(options.sqliteFile === undefined ? {} : { sqliteFile: options.sqliteFile }),
      ...(options.dataDir === undefined ? {} : { dataDir: resolve(options.dataDir) }),
    }))
  const logger = options.logger ?? createLogger()
  const store = new SqlSessionStore(
    database.db,
    options.clock === undefined ? {} : { now: () => options.clock?.now() ?? Date.now() },
  )
  const server = await listen({
    port: options.port ?? Number(process.env.MIN_SIDE_PORT ?? 4100),
    host: options.host ?? '127.0.0.1',
  })
  try {
    const baseUrl = options.publicUrl ?? server.url
    let identity = options.identity
    if (identity === undefined && options.idportenMock !== undefined) {
      const client = await options.idportenMock.registerClient(
        mockRegistration(baseUrl, 'idporten', 'Min side'),
      )
      identity = { issuer: options.idportenMock.issuer, client: fromMockClient(client) }
    }
    identity ??= identityFromEnv('idporten')
    if (identity === undefined) {
      throw new TypeError(
        'startMinSide: no identity provider (give idportenMock or identity, or set IDPORTEN_CLIENT_ID …)',
      )
    }
    if (options.seed !== false) {
      const persons =
        options.demoPersons ??
        (options.idportenMock?.persons ?? []).flatMap((p) =>
          p.nationalId === undefined
            ? []
            : [{ nationalId: p.nationalId, givenName: p.givenName, familyName: p.familyName }],
        )
      if (persons.length > 0) await seedDemo(database.db, persons)
    }
    const auth = await createAuth({
      baseUrl,
      identity,
      store,
      cookieName: 'min-side',
      errorPage: loginErrorPage,
      onError: (error) => logger.warn('login.failed', { code: error.code }),
      ...(options.cookieSecret === undefined ? {} : { cookieSecret: options.cookieSecret }),
      ...(options.session === undefined ? {} : { session: options.session }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    })
    const web = createWebApp({
      baseUrl,
      i18n: texts,
      serviceName: 'service',
      auth,
      logger,
      nav: (c) => {
        const t = c.var.t
        return c.var.idPortenSession === undefined
          ? []
          : [
              { href: '/', label: t('nav.start') },
              { href: '/saker', label: t('nav.cases') },
              { href: '/brev', label: t('nav.letters') },
              { href: '/okt', label: t('nav.session') },
            ]
      },
    })
    addMinSideRoutes({
      web,
      db: database.db,
      ...(options.svarutUrl === undefined ? {} : { svarutUrl: options.svarutUrl }),
      ...(options.clock === undefined ? {} : { now: () => options.clock?.now() ?? Date.now() }),
    })
    server.attach(web.app)
    return {
      url: server.url,
      port: server.port,
      sessionCookieName: auth.auth.sessionCookieName,
      database,
      async close() {
        store.close()
        await server.close()
        if (ownsDatabase) await database.close()
      },
    }
  } catch (error) {
    store.close()
    await server.close()
    if (ownsDatabase) await database.close()
    throw error
  }
}
