import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { eventFor, freshCase, type Intent, intentArb, START_MS } from '../test/support/arbitraries.js'
import { byggesak } from './examples.js'
import {
  applyEvent,
  Case,
  type Case as CaseValue,
  canTransition,
  isActive,
  isEnded,
  isRuleName,
  isTerminal,
  type Lifecycle,
  type RuleName,
  serializeCase,
  verifyCase,
} from './index.js'
import type { DocumentRef } from './schemas.js'

/** An independent, much simpler model of what the case should be. */
interface Model {
  lifecycle: Lifecycle
  hasResult: boolean
  suspended: boolean
  docs: Map<string, { archived: boolean; open: boolean }>
  lastAtMs: number
  events: number
  closedAt: boolean
}

interface Real {
  c: CaseValue
}

const opts = { caseType: byggesak }

function docState(d: DocumentRef): { archived: boolean; open: boolean } {
  return {
    archived: d.journalStatus === 'A' || d.journalStatus === 'U',
    open: (d.journalpostType === 'I' || d.journalpostType === 'N') && d.journalStatus !== 'U' && !d.writeOff,
  }
}

/** What the model expects an intent to do: a rule broken, or acceptance. */
function expected(m: Model, intent: Intent, atMs: number, c: CaseValue): RuleName | 'ok' {
  if (isTerminal(m.lifecycle)) return 'lifecycle.terminal'
  if (atMs < m.lastAtMs) return 'event.time-order'
  const event = eventFor(c, intent, atMs)
  const docs = event.documents ?? []
  const closed = m.lifecycle === 'closed'
  if (closed && docs.length > 0) return 'closed.frozen'
  switch (event.type) {
    case 'status': {
      const to = event.lifecycle
      if (closed) return 'reopen.required'
      if (!canTransition(m.lifecycle, to)) return 'transition.not-allowed'
      if (event.result && to !== 'decided' && to !== 'withdrawn') return 'result.not-allowed-in-state'
      if (to === 'decided' && !event.result && !m.hasResult) return 'decided.requires-result'
      if (to === 'closed') {
        const docsAfter = new Map(m.docs)
        for (const d of docs) docsAfter.set(d.id, docState(d))
        const all = [...docsAfter.values()]
        if (all.some((d) => !d.archived)) return 'close.documents-not-archived'
        if (all.some((d) => d.open)) return 'close.open-items'
      }
      return 'ok'
    }
    case 'result':
      if (m.lifecycle === 'draft') return 'result.not-allowed-in-state'
      if (m.hasResult && event.reason === undefined) return 'result.correction-needs-reason'
      return 'ok'
    case 'suspend':
      if (closed) return 'closed.frozen'
      if (!isActive(m.lifecycle)) return 'suspension.not-allowed-in-state'
      if (m.suspended) return 'suspension.already-suspended'
      return 'ok'
    case 'resume':
      return m.suspended ? 'ok' : 'suspension.not-suspended'
    case 'extend':
      if (closed) return 'closed.frozen'
      if (!isActive(m.lifecycle)) return 'extension.not-allowed-in-state'
      return 'ok'
    case 'reopen':
      if (!closed) return 'reopen.not-closed'
      if (event.reason.trim() === '') return 'reopen.reason-required'
      if (event.by.role !== 'manager' && event.by.role !== 'archivist') return 'reopen.not-authorised'
      return 'ok'
    case 'assign':
      return closed ? 'closed.frozen' : 'ok'
    case 'note':
      return event.note === undefined && docs.length === 0 ? 'note.empty' : 'ok'
  }
}

function update(m: Model, intent: Intent, atMs: number, c: CaseValue): void {
  const event = eventFor(c, intent, atMs)
  m.lastAtMs = atMs
  m.events++
  for (const d of event.documents ?? []) m.docs.set(d.id, docState(d))
  switch (event.type) {
    case 'status':
      m.lifecycle = event.lifecycle
      if (event.result || event.lifecycle === 'withdrawn') m.hasResult = true
      if (
        event.lifecycle === 'decided' ||
        event.lifecycle === 'withdrawn' ||
        event.lifecycle === 'cancelled'
      ) {
        m.suspended = false
      }
      m.closedAt = isEnded(event.lifecycle)
      break
    case 'result':
      m.hasResult = true
      break
    case 'suspend':
      m.suspended = true
      break
    case 'resume':
      m.suspended = false
      break
    case 'reopen':
      m.lifecycle = 'in_progress'
      m.closedAt = false
      break
    default:
      break
  }
}

class IntentCommand implements fc.Command<Model, Real> {
  readonly intent: Intent
  constructor(intent: Intent) {
    this.intent = intent
  }
  check(): boolean {
    return true
  }
  run(m: Model, r: Real): void {
    const atMs = m.lastAtMs + this.intent.dtMs
    const before = serializeCase(r.c)
    const event = eventFor(r.c, this.intent, atMs)
    const want = expected(m, this.intent, atMs, r.c)
    const result = applyEvent(r.c, event, opts)
    // Never mutates.
    expect(serializeCase(r.c)).toBe(before)
    if (!result.ok) {
      // Every rejection names a rule, and it is the one the model predicts.
      expect(isRuleName(result.error.rule)).toBe(true)
      expect(result.error.rule).toBe(want)
      return
    }
    expect(want).toBe('ok')
    update(m, this.intent, atMs, r.c)
    r.c = result.value
    // Never an invalid case: the shape parses, every invariant holds, the model agrees.
    expect(Case.safeParse(r.c).success).toBe(true)
    expect(verifyCase(r.c, opts)).toBeUndefined()
    expect(r.c.lifecycle).toBe(m.lifecycle)
    expect(r.c.result !== undefined).toBe(m.hasResult)
    expect(r.c.closedAt !== undefined).toBe(m.closedAt)
    expect(r.c.events.length).toBe(m.events)
    const last = r.c.suspensions[r.c.suspensions.length - 1]
    expect(last !== undefined && last.to === undefined).toBe(m.suspended)
  }
  toString(): string {
    return `${this.intent.kind}(${this.intent.lifecycle}, +${this.intent.dtMs}ms, ${this.intent.flag})`
  }
}

/** An event dated before the previous one (or before the start). */
class BackdatedCommand implements fc.Command<Model, Real> {
  readonly backMs: number
  constructor(backMs: number) {
    this.backMs = backMs
  }
  check(m: Model): boolean {
    return !isTerminal(m.lifecycle)
  }
  run(m: Model, r: Real): void {
    const atMs = m.lastAtMs - this.backMs
    const event = eventFor(
      r.c,
      {
        kind: 'note',
        dtMs: 0,
        lifecycle: 'in_progress',
        pick: 1,
        flag: false,
        text: 'x',
        visibility: 'internal',
      },
      atMs,
    )
    const result = applyEvent(r.c, event, opts)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.rule).toBe(atMs < START_MS ? 'event.before-start' : 'event.time-order')
  }
  toString(): string {
    return `backdated(-${this.backMs}ms)`
  }
}

/** The same event applied twice, or with a gap in the sequence. */
class ReplayCommand implements fc.Command<Model, Real> {
  readonly gap: boolean
  constructor(gap: boolean) {
    this.gap = gap
  }
  check(m: Model): boolean {
    return !isTerminal(m.lifecycle) && m.events > 0
  }
  run(_m: Model, r: Real): void {
    const last = r.c.events[r.c.events.length - 1]!
    const event = this.gap ? { ...last, id: 'fresh-id', seq: last.seq + 2 } : { ...last, seq: last.seq + 1 }
    const result = applyEvent(r.c, event, opts)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.rule).toBe(this.gap ? 'event.sequence' : 'event.duplicate-id')
  }
  toString(): string {
    return this.gap ? 'gap' : 'replay'
  }
}

const commands = [
  intentArb.map((i) => new IntentCommand(i)),
  intentArb.map((i) => new IntentCommand(i)),
  intentArb.map((i) => new IntentCommand(i)),
  fc.integer({ min: 1, max: 10 * 86_400_000 }).map((ms) => new BackdatedCommand(ms)),
  fc.boolean().map((gap) => new ReplayCommand(gap)),
]

describe('model-based: random event sequences', () => {
  it('never yield an invalid case, and every rejection names the predicted rule', () => {
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 60, size: 'max' }), (cmds) => {
        const setup = () => ({
          model: {
            lifecycle: 'draft' as Lifecycle,
            hasResult: false,
            suspended: false,
            docs: new Map(),
            lastAtMs: START_MS,
            events: 0,
            closedAt: false,
          },
          real: { c: freshCase() },
        })
        fc.modelRun(setup, cmds)
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})
