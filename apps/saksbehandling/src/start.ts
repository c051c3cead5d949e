import { resolve } from 'node:path'
import { parseCase } from '@felles/case-status'
import type { Clock, SessionLimits } from '@felles/id-porten'
import type { Organisation } from '@felles/sample-documents'
import { type DemoPerson, openDatabase, type SampleDatabase, seedDemo } from '@felles/sample-municipality'
import { seedCaseworkHistory, upsertOfficer } from '@felles/sample-municipality/casework'
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
import { addSaksbehandlingRoutes } from './app.js'
import { CASE_TYPES, workOf } from './case-model.js'
import { createLetterWorker } from './letters/letter-worker.js'
import { createStatusPoller } from './letters/status-poller.js'
import { createSvarUtForDatabase, type SvarUtSettings } from './letters/svarut-client.js'
import { texts } from './texts.js'

/** The parts of `@felles/id-porten-mock`'s handle the console uses. */
export interface AnsattportenMockLike {
  readonly issuers: { readonly ansattporten: string }
  readonly persons?: readonly {
    readonly nationalId?: string | undefined
    readonly givenName: string
    readonly familyName: string
    readonly reportees?: readonly {
      readonly organisationNumber: string
      readonly rights: readonly string[]
    }[]
  }[]
  readonly organisations?: readonly { readonly organisationNumber: string; readonly name: string }[]
  registerClient(options: ReturnType<typeof mockRegistration>): Promise<MockClientLike>
}

/** Options for {@link startSaksbehandling}. */
export interface StartSaksbehandlingOptions {
  /** Default `SAKSBEHANDLING_PORT` or 4200; 0 picks a free port. */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** The public origin when behind a proxy. Default the listening URL. */
  readonly publicUrl?: string
  /** An open database (the caller closes it); otherwise one is opened from the options below. */
  readonly database?: SampleDatabase
  /** PostgreSQL URL. Default `DATABASE_URL`; without it, SQLite. */
  readonly databaseUrl?: string
  readonly databaseSchema?: string
  /** Folder of the SQLite file. Default `FELLES_DATA_DIR` or `.data`. */
  readonly dataDir?: string
  readonly sqliteFile?: string
  /** A registered Ansattporten client; without it `ansattportenMock`, else `ANSATTPORTEN_*` variables. */
  readonly identity?: IdentityOptions
  /** The running `@felles/id-porten-mock`: the console registers its client there and seeds officers. */
  readonly ansattportenMock?: AnsattportenMockLike
  /** The municipality (letterhead, and the organisation employees must choose). Default: the mock's first organisation. */
  readonly municipality?: Organisation
  /** Officers to register (national id, name, role). Default: the mock's persons who may write for the municipality; the first is team lead. */
  readonly officers?: readonly {
    readonly pid: string
    readonly name: string
    readonly role: 'officer' | 'team_lead'
  }[]
  /** Seed the shared demo data for the mock's persons (the same seed as Min side, once) and six months of past letters for the dashboard. Default `true`. */
  readonly seed?: boolean
  /** SvarUt (the mock's URL and credentials, or the real one); without it letters wait in the outbox. */
  readonly svarut?: SvarUtSettings
  /** Run the letter worker and status poller in this process (default `true` when `svarut` is given). */
  readonly worker?: boolean
  /** Status poll interval (default 10 s in this process). */
  readonly pollIntervalMs?: number
  readonly session?: SessionLimits
  readonly clock?: Clock
  readonly logger?: Logger
  readonly cookieSecret?: string
}

/** A running console. */
export interface Saksbehandling {
  readonly url: string
  readonly port: number
  readonly sessionCookieName: string
  readonly database: SampleDatabase
  readonly municipality: Organisation
  close(): Promise<void>
}

const DEFAULT_MUNICIPALITY = {
  name: 'Fjellvik kommune',
  unit: 'Servicetorget',
  addressLines: ['Postboks 1', 'Rådhusgata 1'],
  postalCode: '5750',
  city: 'Fjellvik',
  website: 'https://fjellvik.kommune.example',
} as const

/** Writes the console's index row for cases made elsewhere (the demo seed), so the list can filter them. */
async function indexCases(database: SampleDatabase, now: Date): Promise<void> {
  const missing = await database.db
    .selectFrom('cases')
    .leftJoin('case_work', 'case_work.case_id', 'cases.id')
    .selectAll('cases')
    .where('case_work.case_id', 'is', null)
    .limit(5000)
    .execute()
  for (const row of missing) {
    const caseType = CASE_TYPES[row.case_type]
    if (!caseType) continue
    const parsed = parseCase(row.data, { caseType })
    if (!parsed.ok) continue
    await database.db
      .insertInto('case_work')
      .values({
        case_id: row.id,
        ...toColumns(workOf(parsed.value, caseType, null, now)),
        updated_at: row.updated_at,
      })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute()
  }
}

const toColumns = (w: ReturnType<typeof workOf>) => ({
  officer_id: w.officerId,
  due_date: w.dueDate,
  lifecycle: w.lifecycle,
})

/**
 * Starts the case officer's console: opens (and migrates) the database,
 * registers officers and the demo data on first start, listens, registers its
 * Ansattporten client at the mock when one is given, serves, and runs the
 * letter worker and the SvarUt status poller in-process when SvarUt is
 * configured.
 *
 * @param options - Port, host, database, identity provider, SvarUt, worker.
 * @returns The URL and `close()`.
 * @example
 * ```ts
 * const mock = await startIdportenMock({ port: 4010 })
 * const svarut = await startSvarUtMock({ port: 4020 })
 * const app = await startSaksbehandling({
 *   port: 4200,
 *   ansattportenMock: mock,
 *   svarut: { environment: svarut.apiUrl, kontoId: svarut.credentials.kontoId, integrationId: svarut.credentials.integrasjonId,
 *             integrationPassword: svarut.credentials.integrasjonPassord, token: svarut.credentials.token ?? '' },
 * })
 * ```
 */
export async function startSaksbehandling(options: StartSaksbehandlingOptions = {}): Promise<Saksbehandling> {
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
  const nowMs = (): number => options.clock?.now() ?? Date.now()
  const store = new SqlSessionStore(database.db, options.clock === undefined ? {} : { now: nowMs })
  const server = await listen({
    port: options.port ?? Number(process.env.SAKSBEHANDLING_PORT ?? 4200),
    host: options.host ?? '127.0.0.1',
  })
  const controller = new AbortController()
  const background: Promise<void>[] = []
  try {
    const baseUrl = options.publicUrl ?? server.url
    const mock = options.ansattportenMock
    const orgnr =
      options.municipality?.organizationNumber ??
      process.env.SAKSBEHANDLING_ORGNR ??
      mock?.organisations?.[0]?.organisationNumber
    if (orgnr === undefined) {
      throw new TypeError('startSaksbehandling: no municipality (give municipality or ansattportenMock)')
    }
    const municipality: Organisation = options.municipality ?? {
      ...DEFAULT_MUNICIPALITY,
      addressLines: [...DEFAULT_MUNICIPALITY.addressLines],
      organizationNumber: orgnr,
    }
    const resource = 'urn:altinn:resource:fjellvik-saksbehandling'
    let identity = options.identity
    if (identity === undefined && mock !== undefined) {
      const client = await mock.registerClient(mockRegistration(baseUrl, 'ansattporten', 'Saksbehandling'))
      identity = {
        product: 'ansattporten',
        issuer: mock.issuers.ansattporten,
        client: fromMockClient(client),
      }
    }
    identity ??= identityFromEnv('ansattporten')
    if (identity === undefined) {
      throw new TypeError(
        'startSaksbehandling: no identity provider (give ansattportenMock or identity, or set ANSATTPORTEN_CLIENT_ID …)',
      )
    }
    const officers =
      options.officers ??
      (mock?.persons ?? [])
        .filter(
          (p) =>
            p.nationalId !== undefined &&
            (p.reportees ?? []).some((r) => r.organisationNumber === orgnr && r.rights.includes('Write')),
        )
        .map((p, i) => ({
          pid: p.nationalId as string,
          name: `${p.givenName} ${p.familyName}`,
          role: i === 0 ? ('team_lead' as const) : ('officer' as const),
        }))
    for (const officer of officers) {
      await upsertOfficer(database.db, { ...officer, orgnr }, { now: new Date(nowMs()) })
    }
    if (options.seed !== false && mock?.persons) {
      const persons: DemoPerson[] = mock.persons.flatMap((p) =>
        p.nationalId === undefined
          ? []
          : [{ nationalId: p.nationalId, givenName: p.givenName, familyName: p.familyName }],
      )
      if (persons.length > 0) await seedDemo(database.db, persons)
      // Past months for the benefits dashboard (synthetic citizens who are not on the login page).
      await seedCaseworkHistory(database.db, { now: new Date(nowMs()) })
    }
    await indexCases(database, new Date(nowMs()))

    const auth = await createAuth({
      baseUrl,
      identity,
      store,
      cookieName: 'saksbehandling',
      authorizationDetails: [{ type: 'ansattporten:altinn:service', resource }],
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
      nav: (c) =>
        c.var.idPortenSession === undefined
          ? []
          : [
              { href: '/saker', label: c.var.t('nav.cases') },
              { href: '/saker/ny', label: c.var.t('nav.new') },
              { href: '/gevinster', label: c.var.t('nav.dashboard') },
            ],
    })
    addSaksbehandlingRoutes({ web, db: database.db, dialect: database.dialect, municipality, now: nowMs })
    server.attach(web.app)

    if (options.svarut !== undefined && options.worker !== false) {
      const svarut = createSvarUtForDatabase(database.db, options.svarut)
      const worker = createLetterWorker({
        db: database.db,
        dialect: database.dialect,
        svarut,
        workerId: `saksbehandling-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
        onResult: (r) => {
          if (r.outcome !== 'sent' && r.outcome !== 'already-sent')
            logger.warn('letter.send', { outcome: r.outcome, error: r.error })
        },
      })
      const interval = options.pollIntervalMs ?? 10_000
      const poller = createStatusPoller({
        db: database.db,
        svarut,
        intervalMs: interval,
        roundMs: interval * 3,
      })
      background.push(worker.run(controller.signal), poller.run(controller.signal))
    }

    return {
      url: server.url,
      port: server.port,
      sessionCookieName: auth.auth.sessionCookieName,
      database,
      municipality,
      async close() {
        controller.abort(new Error('closing'))
        await Promise.allSettled(background)
        store.close()
        await server.close()
        if (ownsDatabase) await database.close()
      },
    }
  } catch (error) {
    controller.abort(new Error('failed'))
    await Promise.allSettled(background)
    store.close()
    await server.close()
    if (ownsDatabase) await database.close()
    throw error
  }
}
