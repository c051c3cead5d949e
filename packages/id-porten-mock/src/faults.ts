/**
 * Fault switches for attack and resilience tests. Set one for a client with
 * `mock.setFault(clientId, name, options)`, for one back-channel request with
 * the `X-Mock-Fault` header, or for one login with the `mock_fault`
 * authorization request parameter (also accepted through PAR).
 */
export type FaultName =
  // The ID token in the token response (ID-porten, Ansattporten).
  | 'wrong-iss'
  | 'wrong-aud'
  | 'extra-aud'
  | 'other-signing-key'
  | 'unknown-kid'
  | 'alg-none'
  | 'expired'
  | 'missing-exp'
  | 'iat-in-future'
  | 'wrong-nonce'
  | 'missing-nonce'
  | 'lower-acr'
  | 'missing-pid'
  | 'missing-sid'
  // The authorization response (redirect back to the client).
  | 'access-denied'
  | 'response-wrong-iss'
  | 'response-missing-iss'
  | 'response-wrong-state'
  | 'response-error-html'
  // Token endpoints (ID-porten, Ansattporten and Maskinporten).
  | 'token-5xx'
  | 'token-timeout'
  | 'slow'
  // Maskinporten's clock.
  | 'clock-offset'

/** Options of {@link IdportenMock.setFault}. */
export interface FaultOptions {
  /** Apply the fault this many times, then drop it. Default: until cleared. */
  readonly times?: number
  /** `slow`: delay before answering, ms (default 2000). `token-timeout`: hang this long instead of until `close()`. */
  readonly delayMs?: number
  /** `clock-offset`: how far Maskinporten's clock is off, in seconds (positive: ahead). Default 60. */
  readonly offsetSeconds?: number
  /** `token-5xx`: the status code (500–599, default 503). */
  readonly status?: number
}

/** A fault as applied to one request. */
export interface ActiveFault {
  readonly name: FaultName
  readonly delayMs?: number
  readonly offsetSeconds?: number
  readonly status?: number
}

export const ID_TOKEN_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>([
  'wrong-iss',
  'wrong-aud',
  'extra-aud',
  'other-signing-key',
  'unknown-kid',
  'alg-none',
  'expired',
  'missing-exp',
  'iat-in-future',
  'wrong-nonce',
  'missing-nonce',
  'lower-acr',
  'missing-pid',
  'missing-sid',
])

export const RESPONSE_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>([
  'access-denied',
  'response-wrong-iss',
  'response-missing-iss',
  'response-wrong-state',
  'response-error-html',
])

export const TOKEN_ENDPOINT_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>([
  'token-5xx',
  'token-timeout',
  'slow',
])

export const CLOCK_FAULTS: ReadonlySet<FaultName> = new Set<FaultName>(['clock-offset'])

/**
 * Every fault name, for validation and documentation.
 *
 * @example
 * ```ts
 * for (const fault of FAULT_NAMES) mock.setFault(clientId, fault, { times: 1 })
 * ```
 */
export const FAULT_NAMES: readonly FaultName[] = [
  ...ID_TOKEN_FAULTS,
  ...RESPONSE_FAULTS,
  ...TOKEN_ENDPOINT_FAULTS,
  ...CLOCK_FAULTS,
]

const KNOWN = new Set<string>(FAULT_NAMES)

export function isFaultName(value: string): value is FaultName {
  return KNOWN.has(value)
}

function activeFault(name: FaultName, options: FaultOptions | undefined): ActiveFault {
  const fault: { -readonly [K in keyof ActiveFault]: ActiveFault[K] } = { name }
  if (options?.delayMs !== undefined) {
    if (!Number.isFinite(options.delayMs) || options.delayMs < 0) throw new RangeError('delayMs must be ≥ 0')
    fault.delayMs = options.delayMs
  }
  if (options?.offsetSeconds !== undefined) {
    if (!Number.isFinite(options.offsetSeconds)) throw new RangeError('offsetSeconds must be a number')
    fault.offsetSeconds = options.offsetSeconds
  }
  if (options?.status !== undefined) {
    if (!Number.isInteger(options.status) || options.status < 500 || options.status > 599) {
      throw new RangeError('status must be 500–599')
    }
    fault.status = options.status
  }
  return fault
}

/**
 * Parses a per-request fault list: `name[=value]`, comma-separated, as in the
 * `X-Mock-Fault` header and the `mock_fault` parameter. The value is the
 * status for `token-5xx`, milliseconds for `slow` and `token-timeout`, and
 * seconds for `clock-offset`. Unknown names are ignored.
 *
 * @param value - The header or parameter value (or several header values).
 * @returns The faults, in order.
 * @example
 * ```ts
 * parseFaultList('slow=1500, token-5xx=502') // [{ name: 'slow', delayMs: 1500 }, { name: 'token-5xx', status: 502 }]
 * ```
 */
export function parseFaultList(value: string | readonly string[] | undefined | null): ActiveFault[] {
  if (value === undefined || value === null) return []
  const text = typeof value === 'string' ? value : value.join(',')
  const out: ActiveFault[] = []
  for (const part of text.split(',')) {
    const [rawName = '', rawValue] = part.trim().split('=', 2)
    const name = rawName.trim()
    if (!isFaultName(name)) continue
    const n = rawValue === undefined ? undefined : Number(rawValue)
    try {
      if (n === undefined || Number.isNaN(n)) out.push({ name })
      else if (name === 'token-5xx') out.push(activeFault(name, { status: n }))
      else if (name === 'clock-offset') out.push(activeFault(name, { offsetSeconds: n }))
      else out.push(activeFault(name, { delayMs: n }))
    } catch {
      out.push({ name })
    }
  }
  return out
}

interface Registered {
  readonly fault: ActiveFault
  remaining: number
}

/** Faults set per client, consumed as they are applied. */
export class FaultRegistry {
  readonly #byClient = new Map<string, Registered[]>()

  set(clientId: string, name: FaultName, options?: FaultOptions): void {
    if (!isFaultName(name)) throw new RangeError(`unknown fault "${String(name)}"`)
    const times = options?.times ?? Number.POSITIVE_INFINITY
    if (!(times >= 1)) throw new RangeError('times must be ≥ 1')
    const list = (this.#byClient.get(clientId) ?? []).filter((r) => r.fault.name !== name)
    list.push({ fault: activeFault(name, options), remaining: times })
    this.#byClient.set(clientId, list)
  }

  clear(clientId?: string): void {
    if (clientId === undefined) this.#byClient.clear()
    else this.#byClient.delete(clientId)
  }

  /** The client's faults among `names`, without consuming them. */
  peek(clientId: string | undefined, names: ReadonlySet<FaultName>): ActiveFault[] {
    if (clientId === undefined) return []
    return (this.#byClient.get(clientId) ?? []).filter((r) => names.has(r.fault.name)).map((r) => r.fault)
  }

  /** The client's faults among `names`, each consumed once. */
  take(clientId: string | undefined, names: ReadonlySet<FaultName>): ActiveFault[] {
    if (clientId === undefined) return []
    const list = this.#byClient.get(clientId)
    if (list === undefined) return []
    const out: ActiveFault[] = []
    for (const r of list) {
      if (!names.has(r.fault.name)) continue
      out.push(r.fault)
      r.remaining--
    }
    const left = list.filter((r) => r.remaining > 0)
    if (left.length === 0) this.#byClient.delete(clientId)
    else this.#byClient.set(clientId, left)
    return out
  }

  /** Every fault currently set, for inspection. */
  list(): Array<{ clientId: string; name: FaultName; remaining: number }> {
    const out: Array<{ clientId: string; name: FaultName; remaining: number }> = []
    for (const [clientId, list] of this.#byClient) {
      for (const r of list) out.push({ clientId, name: r.fault.name, remaining: r.remaining })
    }
    return out
  }
}

/** Faults among `names` from a per-request list. */
export function select(faults: readonly ActiveFault[], names: ReadonlySet<FaultName>): ActiveFault[] {
  return faults.filter((f) => names.has(f.name))
}
