import type { IncomingMessage } from 'node:http'
import type { ClientRecord, TestCa } from '../clients.js'
import type { Clock } from '../clock.js'
import type { ActiveFault, FaultRegistry } from '../faults.js'
import type { MockOrganisation, MockPerson } from '../persons.js'
import type { Lifetimes, MockIssuers } from '../types.js'

/** State shared by the mock's providers, pages and front door. */
export interface MockContext {
  readonly clock: Clock
  readonly seed: string
  readonly persons: readonly MockPerson[]
  readonly personsById: ReadonlyMap<string, MockPerson>
  readonly organisations: readonly MockOrganisation[]
  readonly faults: FaultRegistry
  readonly clients: Map<string, ClientRecord>
  readonly lifetimes: Lifetimes
  /** Locale chosen at login, by SSO session uid. */
  readonly sessionLocales: Map<string, string>
  /** ID token faults requested with `mock_fault`, by authorization code. */
  readonly codeFaults: Map<string, ActiveFault[]>
  readonly issuers: MockIssuers
  ca(): Promise<TestCa>
}

/** What the front door learnt about a back-channel request, handed to the providers. */
export interface RequestNotes {
  readonly clientId?: string
  /** Per-request faults (`X-Mock-Fault`) plus client faults already taken at the front door. */
  readonly faults: readonly ActiveFault[]
  /** The authorization code of a token request, if any. */
  readonly code?: string
  /** Maskinporten's clock offset for this request, seconds. */
  readonly clockOffsetSeconds: number
  /** Names of faults applied while handling the request (for the request log). */
  readonly applied: string[]
}

const NOTES = Symbol.for('felles.id-porten-mock.request-notes')

export function setNotes(req: IncomingMessage, notes: RequestNotes): void {
  ;(req as unknown as Record<symbol, RequestNotes>)[NOTES] = notes
}

export function getNotes(req: IncomingMessage): RequestNotes | undefined {
  return (req as unknown as Record<symbol, RequestNotes | undefined>)[NOTES]
}

export const DEFAULT_LIFETIMES: Lifetimes = Object.freeze({
  accessToken: 120,
  idToken: 120,
  authorizationCode: 60,
  refreshTokenIdle: 600,
  authorization: 7200,
  sessionIdle: 1800,
  sessionAbsolute: 7200,
  maskinportenToken: 120,
})
