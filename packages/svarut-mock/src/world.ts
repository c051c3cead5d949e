import { randomUUID } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { createSyntheticGenerator } from '@felles/identifiers'
import type { MockClock } from './clock.js'
import type { ForsendelseStatus, SigneringStatus } from './statuses.js'

/** How a person is reached. */
export type PersonChannel =
  /** Has a digital mailbox (Digipost or e-Boks through the national SDP). */
  | 'digital'
  /** In the contact register without a mailbox: notified through Altinn, printed if not read in time. */
  | 'altinn'
  /** Reserved against digital post: always printed. */
  | 'reserved'

/** A person in the simulated world (always a synthetic national id). */
export interface MockPerson {
  readonly digitalId: string
  readonly name: string
  readonly channel: PersonChannel
}

/** A SvarInn receiving system of an organisation. */
export interface MockSvarInnSystem {
  /** Mottakersystem id (uuid); also the v1 Basic-auth user name. */
  readonly id: string
  readonly navn: string
  readonly organisasjonsnummer: string
  /** Forsendelsestyper it receives; empty means the organisation's default system. */
  readonly forsendelsestyper: readonly string[]
  /** Security level it accepts (3 or 4). */
  readonly niva: number
  /** Password for v1 Basic auth. */
  readonly passord: string
  /**
   * Certificate (PEM) SvarInn downloads are encrypted for. Defaults to the
   * mock's own certificate, whose private key is `mock.privateKeyPem`.
   */
  readonly certificatePem?: string
}

/** An organisation in the simulated world. */
export interface MockOrganisation {
  readonly organisasjonsnummer: string
  readonly name: string
  /** SvarInn systems; none means post goes through Altinn. */
  readonly svarInn: readonly MockSvarInnSystem[]
}

/** A SvarUt account (konto) and the integration allowed to use it. */
export interface MockAccount {
  readonly kontoId: string
  readonly navn: string
  /** Sender shown on letters and in SvarInn. */
  readonly avsender: { readonly navn: string; readonly organisasjonsnummer: string }
}

/** A Fiks integration: `IntegrasjonId` + `IntegrasjonPassord`. */
export interface MockIntegration {
  readonly integrasjonId: string
  readonly passord: string
  /** The organisation the Maskinporten token's `consumer` must be. */
  readonly organisasjonsnummer: string
  /** Accounts it may send from. */
  readonly kontoIds: readonly string[]
  /** SvarInn systems it may receive for. */
  readonly svarInnSystemIds: readonly string[]
}

/** Health-network recipients for NHN sends. */
export interface MockNhn {
  /** Known HER ids (for `mottakertype: HER_ID`). */
  readonly herIds: readonly number[]
  /** Patients (fødselsnummer) that have a fastlege (for `mottakertype: FASTLEGE`). */
  readonly patientsWithFastlege: readonly string[]
}

/** Delays of the simulated world, in milliseconds of the mock clock. */
export interface WorldTimings {
  /** MOTTATT → AKSEPTERT (default 2 s). */
  readonly accept: number
  /** AKSEPTERT → sent on the chosen channel (default 1 min). */
  readonly dispatch: number
  /** Sent → delivery receipt from SDP or NHN (default 5 min). */
  readonly deliver: number
  /** VARSLET → unread letters go to print (default 7 days). */
  readonly readDeadline: number
  /** SENDT_PRINT → PRINTET (default 1 day). */
  readonly print: number
}

const DEFAULT_TIMINGS: WorldTimings = {
  accept: 2_000,
  dispatch: 60_000,
  deliver: 5 * 60_000,
  readDeadline: 7 * 86_400_000,
  print: 86_400_000,
}

/** A document as stored by the mock (plaintext, even when sent encrypted). */
export interface StoredDocument {
  readonly filnavn: string
  readonly mimeType: string
  readonly size: number
  /** Lowercase hex SHA-256 of the plaintext. */
  readonly sha256: string
  readonly crc32: number
  /** File on disk in the mock's data folder. */
  readonly path: string
  /** Whether it arrived as CMS (and was decrypted by the mock). */
  readonly encrypted: boolean
  /** The document's metadata from `dokumenter[]`. */
  readonly meta: Readonly<Record<string, unknown>>
}

/** One entry in a letter's event log. */
export interface Hendelse {
  readonly tidspunkt: number
  readonly hendelse: string
}

/** One entry in a letter's signing log. */
export interface Signeringshendelse {
  readonly tidspunkt: number
  readonly status: SigneringStatus
  readonly hendelse: string
}

/** The kind of send. */
export type SendKind = 'person' | 'organisasjon' | 'nhn' | 'print'

/** A letter the mock received, as the world sees it now. */
export interface MockLetter {
  readonly id: string
  readonly kontoId: string
  readonly kind: SendKind
  /** The `forsendelse` JSON as sent. */
  readonly forsendelse: Readonly<Record<string, unknown>>
  readonly tittel: string
  readonly eksternReferanse: string | undefined
  readonly mottakerNavn: string
  readonly documents: readonly StoredDocument[]
  /** A documented status, or whatever {@link SvarUtWorld.forceStatus} set. */
  readonly status: ForsendelseStatus | (string & {})
  readonly sisteStatusEndring: number
  readonly statusHistory: readonly {
    readonly status: ForsendelseStatus | (string & {})
    readonly tidspunkt: number
  }[]
  readonly hendelser: readonly Hendelse[]
  readonly signeringshendelser: readonly Signeringshendelse[]
  readonly mottatt: number
  /** SvarInn system the letter waits in, if any. */
  readonly svarInnSystemId: string | undefined
  /** Whether documents were deleted (`slett`). */
  readonly deleted: 'none' | 'original' | 'all'
}

interface Step {
  at: number
  run: () => void
}

interface LetterState {
  id: string
  kontoId: string
  kind: SendKind
  forsendelse: Record<string, unknown>
  tittel: string
  eksternReferanse: string | undefined
  mottakerNavn: string
  documents: StoredDocument[]
  status: ForsendelseStatus | (string & {})
  sisteStatusEndring: number
  statusHistory: { status: ForsendelseStatus | (string & {}); tidspunkt: number }[]
  hendelser: Hendelse[]
  signeringshendelser: Signeringshendelse[]
  mottatt: number
  svarInnSystemId: string | undefined
  deleted: 'none' | 'original' | 'all'
  read: boolean
  svarInnDone: boolean
  steps: Step[]
}

/** Options for the simulated world. */
export interface WorldOptions {
  /** People; default: a seeded set of synthetic persons on each channel. */
  readonly persons?: readonly MockPerson[]
  /** Organisations; default: one with SvarInn, one without. */
  readonly organisations?: readonly MockOrganisation[]
  /** Accounts; default: one. */
  readonly accounts?: readonly MockAccount[]
  /** Integrations; default: one with access to every account and SvarInn system. */
  readonly integrations?: readonly MockIntegration[]
  /** Health-network recipients. */
  readonly nhn?: Partial<MockNhn>
  /** Forsendelsestyper (`GET /v2/forsendelsestyper`). */
  readonly forsendelsestyper?: readonly string[]
  /** Delays; each defaults as documented in {@link WorldTimings}. */
  readonly timings?: Partial<WorldTimings>
  /** Seed for the synthetic default persons and organisations. */
  readonly seed?: string
}

const fmtDate = (ms: number): string => {
  const d = new Date(ms)
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`
}

const AFTER_READ: ReadonlySet<ForsendelseStatus> = new Set(['LEST', 'SLETTET', 'MANUELT_HANDTERT'])

const NO_READ_STATES: ReadonlySet<string> = new Set([
  'AVVIST',
  'FEILET_UNDER_MOTTAK',
  'SLETTET',
  'IKKE_LEVERT',
])

/**
 * The simulated world behind the mock: who can be reached how, the letters
 * received and their progress on the mock clock. Statuses move lazily: every
 * read (HTTP or {@link SvarUtWorld.letters}) first applies what is due.
 * Reach it as `mock.world`.
 *
 * @example
 * ```ts
 * const mock = await startSvarUtMock({ clock: createClock({ mode: 'manual' }) })
 * const citizen = mock.world.personOn('altinn') // notified through Altinn, printed if unread
 * // … send to citizen.digitalId …
 * mock.world.read(mock.letters()[0]!.id) // the citizen opens it: LEST, never printed
 * ```
 * @see https://developers.fiks.ks.no/tjenester/svarut/
 */
export class SvarUtWorld {
  readonly persons: MockPerson[]
  readonly organisations: MockOrganisation[]
  readonly accounts: MockAccount[]
  readonly integrations: MockIntegration[]
  readonly nhn: MockNhn
  readonly forsendelsestyper: string[]
  readonly timings: WorldTimings
  private readonly clock: MockClock
  private readonly store = new Map<string, LetterState>()
  private virtualNow: number | undefined

  /** @internal */
  constructor(clock: MockClock, options: WorldOptions = {}) {
    this.clock = clock
    const gen = createSyntheticGenerator({ seed: options.seed ?? 'felles-svarut-mock' })
    const person = (channel: PersonChannel): MockPerson => {
      const p = gen.person()
      return { digitalId: p.nationalId, name: p.name, channel }
    }
    this.persons = options.persons
      ? [...options.persons]
      : [person('digital'), person('digital'), person('altinn'), person('altinn'), person('reserved')]
    const orgWithSvarInn = gen.organisationNumber()
    const orgAltinn = gen.organisationNumber()
    this.organisations = options.organisations
      ? [...options.organisations]
      : [
          {
            organisasjonsnummer: orgWithSvarInn,
            name: 'Nabokommunen',
            svarInn: [
              {
                id: '6d1ac2a4-8e3c-4f4e-9a51-2f0a6b1c7d01',
                navn: 'Nabokommunen sak/arkiv',
                organisasjonsnummer: orgWithSvarInn,
                forsendelsestyper: [],
                niva: 4,
                passord: 'svarinn-passord',
              },
            ],
          },
          { organisasjonsnummer: orgAltinn, name: 'Bedriften AS', svarInn: [] },
        ]
    const kommune = gen.organisationNumber()
    this.accounts = options.accounts
      ? [...options.accounts]
      : [
          {
            kontoId: '0b6c1f5e-2d4a-4c8b-9e7f-3a2b1c0d9e8f',
            navn: 'Felles kommune, sentralt',
            avsender: { navn: 'Felles kommune', organisasjonsnummer: kommune },
          },
        ]
    this.integrations = options.integrations
      ? [...options.integrations]
      : [
          {
            integrasjonId: 'a4f1e2d3-5b6c-4d7e-8f90-1a2b3c4d5e6f',
            passord: 'mock-integrasjonspassord',
            organisasjonsnummer: kommune,
            kontoIds: this.accounts.map((a) => a.kontoId),
            svarInnSystemIds: this.organisations.flatMap((o) => o.svarInn.map((s) => s.id)),
          },
        ]
    this.nhn = {
      herIds: [...(options.nhn?.herIds ?? [8_142_519])],
      patientsWithFastlege: [
        ...(options.nhn?.patientsWithFastlege ?? this.persons.slice(0, 2).map((p) => p.digitalId)),
      ],
    }
    this.forsendelsestyper = [...(options.forsendelsestyper ?? ['Byggesak', 'Barnehage.Opptak', 'Skatt'])]
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings }
  }

  /** A person on `channel` (the first one), for tests. */
  personOn(channel: PersonChannel): MockPerson {
    const p = this.persons.find((x) => x.channel === channel)
    if (!p) throw new TypeError(`No person on channel ${channel} in this world`)
    return p
  }

  /** The first organisation with (or without) SvarInn, for tests. */
  organisation(withSvarInn: boolean): MockOrganisation {
    const o = this.organisations.find((x) => x.svarInn.length > 0 === withSvarInn)
    if (!o) throw new TypeError(`No organisation ${withSvarInn ? 'with' : 'without'} SvarInn in this world`)
    return o
  }

  /** Adds a person. */
  addPerson(person: MockPerson): void {
    this.persons.push(person)
  }

  /** Adds an organisation. */
  addOrganisation(organisation: MockOrganisation): void {
    this.organisations.push(organisation)
  }

  /** Every SvarInn system. */
  svarInnSystems(): MockSvarInnSystem[] {
    return this.organisations.flatMap((o) => o.svarInn)
  }

  /** Applies everything due on the clock. */
  settle(): void {
    const now = this.now()
    for (const letter of this.store.values()) this.settleLetter(letter, now)
  }

  private settleLetter(letter: LetterState, now: number): void {
    for (let guard = 0; guard < 100; guard++) {
      letter.steps.sort((a, b) => a.at - b.at)
      const next = letter.steps[0]
      if (!next || next.at > now) return
      letter.steps.shift()
      // A step runs "at" its own time, so what it schedules and stamps follows from then.
      this.virtualNow = next.at
      try {
        next.run()
      } finally {
        this.virtualNow = undefined
      }
    }
  }

  private now(): number {
    return this.virtualNow ?? this.clock.now()
  }

  /** Letters received so far, oldest first, settled to the clock. */
  letters(): MockLetter[] {
    this.settle()
    return [...this.store.values()].map(snapshot)
  }

  /** One letter, or `undefined`. */
  letter(id: string): MockLetter | undefined {
    const l = this.store.get(id)
    if (!l) return undefined
    this.settleLetter(l, this.now())
    return snapshot(l)
  }

  /** Letters of an account with this `eksternReferanse`, oldest first. */
  findByEksternReferanse(kontoId: string, eksternReferanse: string): MockLetter[] {
    return this.letters().filter((l) => l.kontoId === kontoId && l.eksternReferanse === eksternReferanse)
  }

  /** The citizen (or the receiving system) reads the letter: status LEST, no print. */
  read(id: string, hendelse = 'Forsendelsen er lest av mottaker'): void {
    const l = this.mustGet(id)
    this.settleLetter(l, this.now())
    this.markRead(l, hendelse)
  }

  /** A case officer closes the letter by hand: status MANUELT_HANDTERT. */
  markManuallyHandled(id: string): void {
    const l = this.mustGet(id)
    this.settleLetter(l, this.now())
    l.steps = []
    this.setStatus(l, 'MANUELT_HANDTERT', 'Forsendelsen er manuelt håndtert')
  }

  /**
   * Sets any status, documented or not, with an optional hendelse, and stops
   * the letter's further course: to test how a client copes with a status it
   * does not know, or with a regression (a failure after a delivered status).
   */
  forceStatus(id: string, status: ForsendelseStatus | (string & {}), hendelse?: string): void {
    const l = this.mustGet(id)
    this.settleLetter(l, this.now())
    l.steps = []
    const at = this.now()
    if (hendelse) l.hendelser.push({ tidspunkt: at, hendelse })
    l.status = status
    l.sisteStatusEndring = at
    l.statusHistory.push({ status, tidspunkt: at })
  }

  /**
   * Records a letter without going through HTTP (no documents), as if it had
   * just been sent: for benchmarks and tests that need many letters, such as
   * status of 10,000 letters. Its course runs like any other.
   */
  injectLetter(
    input: { kind?: SendKind; kontoId?: string; forsendelse?: Record<string, unknown> } = {},
  ): MockLetter {
    const person = this.persons.find((p) => p.channel === 'digital') ?? this.persons[0]
    const kontoId = input.kontoId ?? this.accounts[0]?.kontoId
    if (!kontoId) throw new TypeError('The world has no account')
    return this.receive({
      kontoId,
      kind: input.kind ?? 'person',
      forsendelse: input.forsendelse ?? {
        tittel: 'Brev lagt inn direkte',
        mottaker: { navn: person?.name ?? 'Mottaker', digitalId: person?.digitalId ?? '' },
      },
      documents: [],
    })
  }

  /** The recipient signs the document awaiting signature. */
  sign(id: string, accept = true): void {
    const l = this.mustGet(id)
    this.settleLetter(l, this.now())
    const last = l.signeringshendelser.at(-1)
    if (last?.status !== 'VENTER_SIGNERING')
      throw new TypeError('This letter has no signing assignment waiting')
    l.signeringshendelser.push({
      tidspunkt: this.now(),
      status: accept ? 'SIGNERT_AV_MOTTAKER' : 'AVVIST_AV_MOTTAKER',
      hendelse: accept ? 'Dokumentet er signert av mottaker' : 'Mottaker avviste signeringsoppdraget',
    })
  }

  /** Removes every letter and its files. */
  async clear(): Promise<void> {
    const files = [...this.store.values()].flatMap((l) => l.documents.map((d) => d.path))
    this.store.clear()
    await Promise.all(files.map((f) => rm(f, { force: true })))
  }

  private mustGet(id: string): LetterState {
    const l = this.store.get(id)
    if (!l) throw new TypeError(`No letter ${id}`)
    return l
  }

  /** @internal */
  state(id: string): LetterState | undefined {
    const l = this.store.get(id)
    if (l) this.settleLetter(l, this.now())
    return l
  }

  private setStatus(l: LetterState, status: ForsendelseStatus, hendelse?: string, at = this.now()): void {
    if (hendelse) l.hendelser.push({ tidspunkt: at, hendelse })
    // Once read, the course of delivery no longer moves the status (only deletion or a manual close do).
    if (l.read && !AFTER_READ.has(status)) return
    if (l.status === status) return
    l.status = status
    l.sisteStatusEndring = at
    l.statusHistory.push({ status, tidspunkt: at })
  }

  private note(l: LetterState, hendelse: string, at = this.now()): void {
    l.hendelser.push({ tidspunkt: at, hendelse })
  }

  private markRead(l: LetterState, hendelse: string): void {
    if (NO_READ_STATES.has(l.status)) return
    l.read = true
    l.steps = l.steps.filter((s) => !(s as Step & { cancelOnRead?: boolean }).cancelOnRead)
    this.setStatus(l, 'LEST', hendelse)
  }

  private schedule(l: LetterState, at: number, run: () => void, cancelOnRead = false): void {
    l.steps.push(Object.assign({ at, run }, { cancelOnRead }))
  }

  /** @internal Records a received letter (status MOTTATT) and plans its course. */
  receive(input: {
    kontoId: string
    kind: SendKind
    forsendelse: Record<string, unknown>
    documents: StoredDocument[]
    intakeFailure?: boolean
  }): MockLetter {
    const now = this.now()
    const f = input.forsendelse
    const mottaker = (f.mottaker ?? {}) as Record<string, unknown>
    const pasient = (f.pasient ?? {}) as Record<string, unknown>
    const l: LetterState = {
      id: randomUUID(),
      kontoId: input.kontoId,
      kind: input.kind,
      forsendelse: f,
      tittel: String(f.tittel ?? ''),
      eksternReferanse: typeof f.eksternReferanse === 'string' ? f.eksternReferanse : undefined,
      mottakerNavn:
        input.kind === 'nhn'
          ? `Helsepersonell for ${String(pasient.fornavn ?? '')} ${String(pasient.etternavn ?? '')}`.trim()
          : String(mottaker.navn ?? ''),
      documents: input.documents,
      status: 'MOTTATT',
      sisteStatusEndring: now,
      statusHistory: [{ status: 'MOTTATT', tidspunkt: now }],
      hendelser: [{ tidspunkt: now, hendelse: 'Forsendelse mottatt' }],
      signeringshendelser: [],
      mottatt: now,
      svarInnSystemId: undefined,
      deleted: 'none',
      read: false,
      svarInnDone: false,
      steps: [],
    }
    this.store.set(l.id, l)
    if (input.intakeFailure) {
      this.schedule(l, now + this.timings.accept, () =>
        this.setStatus(l, 'FEILET_UNDER_MOTTAK', 'Feil under mottak av forsendelsen; send den på nytt'),
      )
      return snapshot(l)
    }
    this.schedule(l, now + this.timings.accept, () => this.accept(l))
    return snapshot(l)
  }

  private accept(l: LetterState): void {
    const at = this.now()
    const f = l.forsendelse
    const kunDigital = f.kunDigitalLevering === true
    const t = this.timings
    const reject = (why: string): void => {
      this.note(l, 'Validert')
      this.setStatus(l, 'AVVIST', `Avvist: ${why}`)
    }
    if (l.kind === 'print') {
      this.setStatus(l, 'AKSEPTERT', 'Akseptert for ekspedering')
      this.schedule(l, at + t.dispatch, () => this.toPrint(l, 'Sendt til print'))
      return
    }
    if (l.kind === 'nhn') {
      const type = f.mottakertype
      const fnr = String(((f.pasient ?? {}) as Record<string, unknown>).fodselsnummer ?? '')
      if (type === 'FASTLEGE' && !this.nhn.patientsWithFastlege.includes(fnr)) {
        reject('fant ingen fastlege for pasienten i Fastlegeregisteret')
        return
      }
      this.setStatus(l, 'AKSEPTERT', 'Akseptert for ekspedering')
      if (type === 'HER_ID' && !this.nhn.herIds.includes(Number(f.mottakerHerId))) {
        this.schedule(l, at + t.dispatch, () =>
          this.setStatus(l, 'IKKE_LEVERT', 'Ikke levert: HER-id finnes ikke i Adresseregisteret'),
        )
        return
      }
      this.schedule(l, at + t.dispatch, () => {
        this.setStatus(l, 'SENDT_NHN_MOTTAKER', 'Sendt til mottaker i Norsk helsenett')
        this.schedule(l, this.now() + t.deliver, () =>
          this.setStatus(l, 'LEVERT_NHN_MOTTAKER', 'Leveringskvittering mottatt fra Norsk helsenett'),
        )
      })
      return
    }
    const digitalId = String(((f.mottaker ?? {}) as Record<string, unknown>).digitalId ?? '')
    if (l.kind === 'person') {
      const p = this.persons.find((x) => x.digitalId === digitalId)
      if (!p) {
        reject('mottaker finnes ikke i Folkeregisteret')
        if (f.signering)
          l.signeringshendelser.push({
            tidspunkt: at,
            status: 'AVVIST_AV_SVARUT',
            hendelse: 'Signeringsoppdraget ble avvist fordi forsendelsen ble avvist',
          })
        return
      }
      this.startSigning(l)
      this.setStatus(l, 'AKSEPTERT', 'Akseptert for ekspedering')
      if (p.channel === 'digital') {
        this.schedule(l, at + t.dispatch, () => {
          this.setStatus(l, 'SENDT_SDP', 'Sendt til digital postkasse (Digipost)')
          this.schedule(l, this.now() + t.deliver, () =>
            this.setStatus(l, 'LEVERT_SDP', 'Leveringskvittering mottatt fra digital postkasse'),
          )
        })
      } else if (p.channel === 'altinn') {
        this.note(l, 'Registrert i Kontakt- og reservasjonsregisteret, ingen digital postkasse')
        this.schedule(l, at + t.dispatch, () => this.viaAltinn(l, kunDigital), true)
      } else {
        this.note(l, 'Mottaker har reservert seg mot digital post')
        if (kunDigital)
          this.schedule(l, at + t.dispatch, () =>
            this.setStatus(l, 'IKKE_LEVERT', 'Ikke levert: kun digital levering, og mottaker er reservert'),
          )
        else this.schedule(l, at + t.dispatch, () => this.toPrint(l, 'Sendt til print'))
      }
      return
    }
    // organisasjon
    const org = this.organisations.find((o) => o.organisasjonsnummer === digitalId)
    if (!org) {
      reject('organisasjonsnummeret finnes ikke i Enhetsregisteret')
      return
    }
    this.setStatus(l, 'AKSEPTERT', 'Akseptert for ekspedering')
    const type = typeof f.forsendelsestype === 'string' ? f.forsendelsestype : undefined
    const system =
      org.svarInn.find((s) => type !== undefined && s.forsendelsestyper.includes(type)) ??
      org.svarInn.find((s) => s.forsendelsestyper.length === 0)
    const niva = f.sikkerhetsniva === 'HOYESTE' ? 4 : 3
    if (system && system.niva >= niva) {
      this.schedule(l, at + t.dispatch, () => {
        l.svarInnSystemId = system.id
        this.setStatus(l, 'KLAR_FOR_MOTTAK', `Klar for mottak i SvarInn (${system.navn})`)
      })
    } else this.schedule(l, at + t.dispatch, () => this.viaAltinn(l, kunDigital), true)
  }

  private startSigning(l: LetterState): void {
    const s = l.forsendelse.signering as Record<string, unknown> | undefined
    if (!s) return
    const expires = Date.parse(String(s.signeringUtloper))
    l.signeringshendelser.push({
      tidspunkt: this.now(),
      status: 'VENTER_SIGNERING',
      hendelse: `Signeringsoppdrag av type ${String(s.signaturType)} registrert og utløper ${fmtDate(expires)}`,
    })
    this.schedule(l, expires, () => {
      if (l.signeringshendelser.at(-1)?.status === 'VENTER_SIGNERING')
        l.signeringshendelser.push({
          tidspunkt: expires,
          status: 'UTLOPT',
          hendelse: 'Signeringsoppdraget er utløpt',
        })
    })
  }

  private viaAltinn(l: LetterState, kunDigital: boolean): void {
    const t = this.timings
    if (kunDigital) {
      this.setStatus(
        l,
        'SENDT_DIGITALT',
        'Varsel sendt til Altinn; kun digital levering, sendes ikke til print',
      )
      return
    }
    this.setStatus(l, 'VARSLET', 'Varsel sendt til Altinn')
    this.schedule(
      l,
      this.now() + t.readDeadline,
      () => {
        this.note(l, 'Lesefrist utløpt')
        this.toPrint(l, 'Sendt til print')
      },
      true,
    )
  }

  private toPrint(l: LetterState, hendelse: string): void {
    this.setStatus(l, 'SENDT_PRINT', hendelse)
    this.schedule(l, this.now() + this.timings.print, () =>
      this.setStatus(l, 'PRINTET', 'Printkvittering mottatt fra printleverandør'),
    )
  }

  /** @internal Letters waiting in a SvarInn system. */
  svarInnQueue(systemId: string, limit = 200): LetterState[] {
    this.settle()
    return [...this.store.values()]
      .filter((l) => l.svarInnSystemId === systemId && !l.svarInnDone && l.status === 'KLAR_FOR_MOTTAK')
      .slice(0, limit)
  }

  /** @internal SvarInn receipt. */
  svarInnReceived(l: LetterState, systemNavn: string): void {
    l.svarInnDone = true
    this.markRead(l, `Mottak kvittert av ${systemNavn}`)
  }

  /** @internal SvarInn failure report. */
  svarInnFailed(l: LetterState, feilmelding: string, permanent: boolean): void {
    if (!permanent) {
      this.note(l, `Mottak feilet midlertidig i SvarInn: ${feilmelding}`)
      return
    }
    l.svarInnDone = true
    this.note(l, `Mottak feilet permanent i SvarInn: ${feilmelding}; sendes via andre kanaler`)
    this.viaAltinn(l, l.forsendelse.kunDigitalLevering === true)
  }

  /** @internal Read receipt from an external system. */
  markReadExternally(l: LetterState, systemnavn: string | undefined): void {
    this.markRead(l, `Lest i eksternt system${systemnavn ? ` (${systemnavn})` : ''}`)
  }

  /** @internal Documents deleted. */
  deleteDocuments(l: LetterState, type: 'ORIGINALDOKUMENTER' | 'ALLE'): string[] {
    const paths = l.documents.map((d) => d.path)
    l.documents = []
    if (type === 'ALLE') {
      l.deleted = 'all'
      l.steps = []
      this.setStatus(l, 'SLETTET', 'Alle dokumenter er slettet')
    } else {
      l.deleted = 'original'
      this.note(l, 'Originaldokumentene er slettet')
    }
    return paths
  }
}

function snapshot(l: LetterState): MockLetter {
  return {
    id: l.id,
    kontoId: l.kontoId,
    kind: l.kind,
    forsendelse: l.forsendelse,
    tittel: l.tittel,
    eksternReferanse: l.eksternReferanse,
    mottakerNavn: l.mottakerNavn,
    documents: [...l.documents],
    status: l.status,
    sisteStatusEndring: l.sisteStatusEndring,
    statusHistory: l.statusHistory.map((s) => ({ ...s })),
    hendelser: l.hendelser.map((h) => ({ ...h })),
    signeringshendelser: l.signeringshendelser.map((h) => ({ ...h })),
    mottatt: l.mottatt,
    svarInnSystemId: l.svarInnSystemId,
    deleted: l.deleted,
  }
}
