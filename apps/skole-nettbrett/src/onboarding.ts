import { randomUUID } from 'node:crypto'
import { isValidOrganisationNumber } from '@felles/identifiers'
import { type School, SchoolScopes, type Vendor } from '@felles/mdm'
import { type Organisation, renderStartPackPdfs } from '@felles/sample-documents'
import type { Database } from '@felles/sample-municipality'
import {
  createOnboarding,
  findSchool,
  findSchoolByOrgnr,
  listSchools,
  type OnboardingRow,
  openOnboarding,
  type SchoolRow,
  saveSchool,
  svarutSendStore,
  updateOnboarding,
} from '@felles/sample-municipality/schools'
import { createSvarUtClient, isSvarUtError, type OutboxStore, type SvarUtClient } from '@felles/svarut'
import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { Actor } from './actions.js'
import { ConsoleError } from './errors.js'
import type { Fleet } from './mdm-connection.js'
import { toMdmSchool } from './school-config.js'

/** A school as central IT registers it. */
export const RegisterSchool = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and hyphens'),
  name: z.string().trim().min(2).max(200),
  orgnr: z
    .string()
    .trim()
    .refine((v) => isValidOrganisationNumber(v), 'a valid organisasjonsnummer'),
  address: z.object({
    line: z.string().trim().min(2).max(100),
    postalCode: z.string().regex(/^\d{4}$/, 'four digits'),
    city: z.string().trim().min(2).max(60),
  }),
  itContact: z.object({
    name: z.string().trim().min(2).max(100),
    email: z.email().max(200),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ]{8,20}$/, 'digits, spaces and an optional +')
      .optional(),
  }),
  scopes: SchoolScopes,
})
/** A school as central IT registers it. */
export type RegisterSchool = z.infer<typeof RegisterSchool>

/** Where SvarUt is and how to authenticate (the integration password and token are never logged). */
export interface SvarUtConnection {
  readonly apiUrl: string
  readonly kontoId: string
  readonly integrationId: string
  readonly integrationPassword: string
  /** A static bearer token (the mock's) or a provider (Maskinporten in production). */
  readonly token: string | { getToken(): Promise<string> }
}

/** Options of {@link createOnboardingService}. */
export interface OnboardingOptions {
  readonly db: Kysely<Database>
  readonly fleet: Fleet
  readonly svarut: SvarUtConnection
  /** The municipality as sender of the start pack. */
  readonly municipality: Organisation
  /** The console's address printed in the letter. */
  readonly consoleUrl: () => string
  readonly now?: () => Date
  /** Called after a school was registered (the app starts an inventory sync). */
  readonly onSchoolsChanged?: () => void
}

/** Start packs: register a school, send the welcome letter and guide through SvarUt, follow the status. */
export interface OnboardingService {
  register(actor: Actor, input: unknown): Promise<{ school: SchoolRow; onboardingId: string }>
  /** Sends start packs not yet sent and polls SvarUt for the status of those not final. */
  process(): Promise<void>
  /** Reloads the fleet's school configuration from the database. */
  reloadSchools(): Promise<readonly School[]>
  start(intervalMs: number): void
  stop(): Promise<void>
}

const VENDOR_OF_SCOPE: Record<keyof SchoolScopes, Vendor> = {
  intune: 'intune',
  jamfPro: 'jamf-pro',
  jamfSchool: 'jamf-school',
  google: 'google',
}

/** Creates the start-pack service. */
export function createOnboardingService(options: OnboardingOptions): OnboardingService {
  const { db, fleet } = options
  const now = options.now ?? (() => new Date())
  const token = options.svarut.token
  let svarut: SvarUtClient | undefined
  const client = (): SvarUtClient => {
    svarut ??= createSvarUtClient({
      environment: options.svarut.apiUrl,
      kontoId: options.svarut.kontoId,
      integrationId: options.svarut.integrationId,
      integrationPassword: options.svarut.integrationPassword,
      token: typeof token === 'string' ? { getToken: async () => token } : token,
      // Durable in the database: a send interrupted by a crash is looked up, never sent twice.
      outbox: svarutSendStore(db) as unknown as OutboxStore,
      resend: { maxAttempts: 2, lookups: 2, lookupDelay: 200 },
    })
    return svarut
  }
  let timer: NodeJS.Timeout | undefined
  let busy: Promise<void> | undefined

  const reloadSchools = async (): Promise<readonly School[]> => {
    const schools = (await listSchools(db)).map(toMdmSchool)
    fleet.setSchools(schools)
    return schools
  }

  const send = async (row: OnboardingRow): Promise<void> => {
    const school = await findSchool(db, row.school_id)
    if (school === undefined) return
    const scopes = JSON.parse(school.scopes) as SchoolScopes
    const vendors = (Object.keys(scopes) as (keyof SchoolScopes)[])
      .filter((k) => scopes[k] !== undefined)
      .map((k) => VENDOR_OF_SCOPE[k])
    const at = now()
    try {
      const { welcomeLetter, adminGuide } = await renderStartPackPdfs({
        municipality: options.municipality,
        school: {
          name: school.name,
          organizationNumber: row.orgnr,
          addressLines: school.address_line ? [school.address_line] : [],
          postalCode: school.postal_code ?? '0000',
          city: school.city ?? options.municipality.city,
        },
        itContact: {
          name: school.it_contact_name ?? 'IT-tjenesten',
          email: school.it_contact_email ?? 'it@kommune.no',
          ...(school.it_contact_phone ? { phone: school.it_contact_phone } : {}),
        },
        consoleUrl: options.consoleUrl(),
        vendors,
        caseNumber: `${at.getUTCFullYear()}/${row.id.slice(0, 8)}`,
        date: at,
        metadata: { creationDate: at },
      })
      const sent = await client().sendToOrganisation({
        tittel: `Startpakke for nettbrett: ${school.name}`,
        mottaker: { navn: school.name.slice(0, 100), digitalId: row.orgnr },
        eksternReferanse: row.ekstern_referanse,
        dokumenter: [
          { filnavn: 'velkomstbrev.pdf', mimeType: 'application/pdf', content: welcomeLetter },
          { filnavn: 'administratorveiledning.pdf', mimeType: 'application/pdf', content: adminGuide },
        ],
      } as Parameters<SvarUtClient['sendToOrganisation']>[0])
      await updateOnboarding(
        db,
        row.id,
        {
          svarut_id: sent.id,
          status: 'MOTTATT',
          phase: 'pending',
          attempts: row.attempts + 1,
          last_error: null,
        },
        now(),
      )
    } catch (error) {
      const retryable = !isSvarUtError(error) || error.retryable
      const message = isSvarUtError(error)
        ? `${error.code}: ${error.message}`
        : 'Could not send the start pack'
      await updateOnboarding(
        db,
        row.id,
        retryable && row.attempts + 1 < 10
          ? { attempts: row.attempts + 1, last_error: message.slice(0, 300) }
          : {
              attempts: row.attempts + 1,
              last_error: message.slice(0, 300),
              status: 'FEILET',
              phase: 'failed',
              final: 1,
            },
        now(),
      )
    }
  }

  const process = async (): Promise<void> => {
    const open = await openOnboarding(db)
    for (const row of open.filter((r) => r.svarut_id === null)) await send(row)
    const sent = (await openOnboarding(db)).filter((r) => r.svarut_id !== null)
    if (sent.length === 0) return
    try {
      const statuses = await client().getStatuses(sent.map((r) => r.svarut_id as string))
      for (const status of statuses) {
        const row = sent.find((r) => r.svarut_id === status.id)
        if (row === undefined) continue
        if (row.status !== status.status || row.final !== (status.final ? 1 : 0)) {
          await updateOnboarding(
            db,
            row.id,
            { status: status.status, phase: status.phase, final: status.final ? 1 : 0 },
            now(),
          )
        }
      }
    } catch {
      // SvarUt unreachable: the next round asks again.
    }
  }

  const processOnce = (): Promise<void> => {
    busy ??= process().finally(() => {
      busy = undefined
    })
    return busy
  }

  return {
    async register(actor, input) {
      if (actor.role !== 'central-it') throw new ConsoleError('ERR_NOT_FOUND', 'No such page')
      const parsed = RegisterSchool.safeParse(input)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new ConsoleError('ERR_VALIDATION', issue?.message ?? 'invalid', {
          field: issue?.path.join('.') || 'school',
        })
      }
      const data = parsed.data
      if (Object.values(data.scopes).every((v) => v === undefined))
        throw new ConsoleError('ERR_VALIDATION', 'At least one vendor scope', { field: 'scopes' })
      if ((await findSchool(db, data.id)) !== undefined)
        throw new ConsoleError('ERR_VALIDATION', 'The id is taken', { field: 'id' })
      if ((await findSchoolByOrgnr(db, data.orgnr)) !== undefined)
        throw new ConsoleError('ERR_VALIDATION', 'The organisasjonsnummer is registered', { field: 'orgnr' })
      const onboardingId = randomUUID()
      await db.transaction().execute(async (trx) => {
        await saveSchool(
          trx,
          {
            id: data.id,
            name: data.name,
            orgnr: data.orgnr,
            scopes: data.scopes,
            address: data.address,
            itContact: {
              name: data.itContact.name,
              email: data.itContact.email,
              phone: data.itContact.phone ?? null,
            },
          },
          now(),
        )
        await createOnboarding(
          trx,
          {
            id: onboardingId,
            schoolId: data.id,
            orgnr: data.orgnr,
            // Never personal data: the school's id and a random part.
            eksternReferanse: `startpakke-${data.id}-${onboardingId.slice(0, 8)}`,
            createdBy: actor.id,
          },
          now(),
        )
      })
      await reloadSchools()
      options.onSchoolsChanged?.()
      void processOnce().catch(() => undefined)
      const school = (await findSchool(db, data.id)) as SchoolRow
      return { school, onboardingId }
    },
    process: processOnce,
    reloadSchools,
    start(intervalMs) {
      if (timer !== undefined) return
      timer = setInterval(() => void processOnce().catch(() => undefined), intervalMs)
      timer.unref()
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      await busy
    },
  }
}
