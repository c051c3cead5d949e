import { matchesOperation, type OperationMatcher, type OperationName } from './operations.js'

/**
 * A fault the mock can inject.
 *
 * | kind | what happens |
 * | --- | --- |
 * | `loseResponse` | the request is carried out (a send commits its letter) and then the socket is destroyed before any response byte |
 * | `resetMidUpload` | the connection is reset after `afterBytes` of the request body; nothing is recorded |
 * | `rateLimit` | 429 with `Retry-After` (seconds or an HTTP date) |
 * | `unavailable` | 503, optionally with `Retry-After` |
 * | `slow` | the response is held back `delayMs` (real milliseconds) |
 * | `intakeFailure` | a send is accepted with an id and then fails: `FEILET_UNDER_MOTTAK` |
 */
export type FaultKind =
  | 'loseResponse'
  | 'resetMidUpload'
  | 'rateLimit'
  | 'unavailable'
  | 'slow'
  | 'intakeFailure'

/** A fault rule for {@link SvarUtMock.setFault}. */
export interface FaultRule {
  readonly kind: FaultKind
  /** Which operations it hits; default `all` (`send` for `resetMidUpload` and `intakeFailure`). */
  readonly operation?: OperationMatcher | readonly OperationMatcher[]
  /** How many matching requests it hits; default 1; `Infinity` until cleared. */
  readonly times?: number
  /** `rateLimit`/`unavailable`: `Retry-After` in seconds (default 1 for 429, none for 503). */
  readonly retryAfterSeconds?: number
  /** `rateLimit`/`unavailable`: send `Retry-After` as an HTTP date instead of seconds. */
  readonly retryAfterAsDate?: boolean
  /** `slow`: delay in real milliseconds (default 1000). */
  readonly delayMs?: number
  /** `resetMidUpload`: bytes of body to read before the reset (default 64 KiB). */
  readonly afterBytes?: number
}

/** A handle on an installed fault. */
export interface FaultHandle {
  /** Requests it will still hit. */
  remaining(): number
  /** Removes it. */
  clear(): void
}

interface Installed {
  rule: FaultRule
  left: number
}

/** The header that injects a fault into one request: `x-svarut-mock-fault: rateLimit; retryAfterSeconds=3`. */
export const FAULT_HEADER = 'x-svarut-mock-fault'

const KINDS: ReadonlySet<string> = new Set([
  'loseResponse',
  'resetMidUpload',
  'rateLimit',
  'unavailable',
  'slow',
  'intakeFailure',
])

/** Parses the per-request fault header; undefined when absent or unknown. */
export function parseFaultHeader(value: string | string[] | undefined): FaultRule | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (!raw) return undefined
  const [kind, ...params] = raw.split(';').map((s) => s.trim())
  if (!kind || !KINDS.has(kind)) return undefined
  const rule: Record<string, unknown> = { kind }
  for (const p of params) {
    const [k, v] = p.split('=').map((s) => s.trim())
    if (!k || v === undefined) continue
    if (k === 'retryAfterAsDate') rule[k] = v === 'true'
    else if (['retryAfterSeconds', 'delayMs', 'afterBytes'].includes(k) && Number.isFinite(Number(v)))
      rule[k] = Number(v)
  }
  return rule as unknown as FaultRule
}

export class FaultBook {
  private readonly rules: Installed[] = []

  add(rule: FaultRule): FaultHandle {
    if (!KINDS.has(rule.kind)) throw new TypeError(`Unknown fault kind ${String(rule.kind)}`)
    const times = rule.times ?? 1
    if (!(times > 0)) throw new TypeError('fault.times must be positive')
    const installed: Installed = { rule, left: times }
    this.rules.push(installed)
    return {
      remaining: () => installed.left,
      clear: () => {
        const i = this.rules.indexOf(installed)
        if (i >= 0) this.rules.splice(i, 1)
      },
    }
  }

  clear(): void {
    this.rules.length = 0
  }

  /** Takes the first rule matching `operation` (consuming one use), if any. */
  take(operation: OperationName): FaultRule | undefined {
    for (let i = 0; i < this.rules.length; i++) {
      const installed = this.rules[i] as Installed
      const { rule } = installed
      const defaultMatcher: OperationMatcher =
        rule.kind === 'resetMidUpload' || rule.kind === 'intakeFailure' ? 'send' : 'all'
      const matchers = rule.operation === undefined ? [defaultMatcher] : [rule.operation].flat()
      if (!matchers.some((m) => matchesOperation(m as OperationMatcher, operation))) continue
      installed.left -= 1
      if (installed.left <= 0) this.rules.splice(i, 1)
      return rule
    }
    return undefined
  }
}
