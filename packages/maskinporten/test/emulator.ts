import { createManualClock, type ManualClock } from '@felles/http/testing'
import {
  type IdportenMock,
  type MaskinportenClientOptions,
  type RegisteredMaskinportenClient,
  startIdportenMock,
} from '@felles/id-porten-mock'

/** A running emulator with one Maskinporten client, on a manual clock shared with the code under test. */
export interface EmulatorFixture {
  readonly mock: IdportenMock
  readonly clock: ManualClock
  readonly registered: RegisteredMaskinportenClient
  /** Grant requests the emulator has seen for this client. */
  grantRequests(): number
}

export async function startEmulator(
  client: Omit<MaskinportenClientOptions, 'issuer'> = { scopes: ['ks:fiks', 'kommune:api'] },
): Promise<EmulatorFixture> {
  const clock = createManualClock({ now: Date.now() })
  const mock = await startIdportenMock({ clock })
  const registered = await mock.registerClient({ issuer: 'maskinporten', ...client })
  return {
    mock,
    clock,
    registered,
    grantRequests: () =>
      mock.requests.filter(
        (r) => r.flavour === 'maskinporten' && r.endpoint === 'token' && r.clientId === registered.clientId,
      ).length,
  }
}

/** The registered key of a key-trust client, as key input with its kid. */
export function registeredKey(
  registered: RegisteredMaskinportenClient,
  index = 0,
): { jwk: import('jose').JWK; kid: string } {
  const key = registered.keys[index]
  if (key?.privateJwk === undefined) throw new Error('the emulator did not return a private key')
  return { jwk: key.privateJwk, kid: key.kid }
}
