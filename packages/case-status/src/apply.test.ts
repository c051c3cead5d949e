import { describe, expect, it } from 'vitest'
import {
  add,
  archivist,
  citizen,
  closedByggesak,
  decidedByggesak,
  manager,
  newByggesak,
  next,
  officer,
} from '../test/support/fixtures.js'
import { barnehageplass, byggesak } from './examples.js'
import {
  applyEvent,
  type Case,
  CaseRuleError,
  canTransition,
  isCaseRuleError,
  LIFECYCLES,
  parseCase,
  RULE_NAMES,
  type RuleName,
  serializeCase,
  skjenkebevilling,
  TRANSITIONS,
  verifyCase,
} from './index.js'

const opts = { caseType: byggesak }

function received(at = '2025-03-03T08:00:00+01:00'): Case {
  return add(newByggesak(), { type: 'status', statusType: 'mottatt', lifecycle: 'received', at })
}

function rejects(
  c: Case,
  event: Parameters<typeof next>[1],
  rule: RuleName,
  options: object = opts,
): CaseRuleError {
  const before = serializeCase(c)
  const result = applyEvent(c, next(c, event), options)
  expect(result.ok).toBe(false)
  if (result.ok) throw new Error('accepted')
  expect(result.error).toBeInstanceOf(CaseRuleError)
  expect(result.error.rule).toBe(rule)
  expect(isCaseRuleError(result.error)).toBe(true)
  expect(result.error.message).toContain(rule)
  // No mutation, ever.
  expect(serializeCase(c)).toBe(before)
  return result.error
}

describe('the known failures of other systems are impossible', () => {
  it('two statuses in the same second (even the same millisecond) are both kept, in order', () => {
    let c = received('2025-03-03T08:00:00.000Z')
    c = add(c, {
      type: 'status',
      statusType: 'under-behandling',
      lifecycle: 'in_progress',
      at: '2025-03-03T08:00:00.000Z',
    })
    c = add(c, {
      type: 'status',
      statusType: 'til-uttale',
      lifecycle: 'awaiting_other',
      at: '2025-03-03T08:00:00.000Z',
    })
    expect(c.events.map((e) => [e.seq, e.at])).toEqual([
      [1, '2025-03-03T08:00:00.000Z'],
      [2, '2025-03-03T08:00:00.000Z'],
      [3, '2025-03-03T08:00:00.000Z'],
    ])
    expect(c.lifecycle).toBe('awaiting_other')
    expect(verifyCase(c, opts)).toBeUndefined()
    // What tells them apart is the sequence number, not the clock: a replayed duplicate is refused.
    const duplicate = { ...c.events[2]!, seq: 4 }
    const again = applyEvent(c, duplicate, opts)
    expect(again.ok || again.error.rule).toBe('event.duplicate-id')
  })

  it('a status dated before the case started is refused', () => {
    const c = newByggesak()
    rejects(
      c,
      { type: 'status', statusType: 'mottatt', lifecycle: 'received', at: '2025-03-03T06:59:59.999Z' },
      'event.before-start',
    )
    // One millisecond later is the start itself, which is fine.
    expect(
      applyEvent(
        c,
        next(c, {
          type: 'status',
          statusType: 'mottatt',
          lifecycle: 'received',
          at: '2025-03-03T07:00:00.000Z',
        }),
        opts,
      ).ok,
    ).toBe(true)
  })

  it('a status dated before the previous event is refused', () => {
    const c = received('2025-03-04T08:00:00Z')
    rejects(
      c,
      {
        type: 'status',
        statusType: 'under-behandling',
        lifecycle: 'in_progress',
        at: '2025-03-04T07:59:59.999Z',
      },
      'event.time-order',
    )
  })

  it('reopening and closing again gives the right dates', () => {
    const closed = closedByggesak()
    expect(closed.closedAt).toBe('2025-05-12T10:00:00+02:00')
    const reopened = add(closed, {
      type: 'reopen',
      statusType: 'under-behandling',
      reason: 'Klage tatt til følge, ny behandling',
      at: '2025-06-02T09:00:00+02:00',
      by: manager,
    })
    expect(reopened.lifecycle).toBe('in_progress')
    expect(reopened.closedAt).toBeUndefined()
    expect('closedAt' in reopened).toBe(false)
    expect(reopened.startedAt).toBe(closed.startedAt)
    const decided = add(reopened, {
      type: 'status',
      statusType: 'vedtak',
      lifecycle: 'decided',
      at: '2025-06-20T12:00:00+02:00',
      result: { outcome: 'partially_granted', decidedAt: '2025-06-20T11:00:00+02:00' },
    })
    const closedAgain = add(decided, {
      type: 'status',
      statusType: 'avsluttet',
      lifecycle: 'closed',
      at: '2025-07-01T08:00:00+02:00',
      by: archivist,
    })
    expect(closedAgain.closedAt).toBe('2025-07-01T08:00:00+02:00')
    expect(closedAgain.startedAt).toBe(closed.startedAt)
    expect(closedAgain.result?.outcome).toBe('partially_granted')
    expect(verifyCase(closedAgain, opts)).toBeUndefined()
    const parsed = parseCase(serializeCase(closedAgain), opts)
    expect(parsed.ok).toBe(true)
  })

  it('a closed case without a result cannot be made, and is refused when given', () => {
    // Through events: deciding needs a result, so closing cannot happen without one.
    const c = add(received(), {
      type: 'status',
      statusType: 'under-behandling',
      lifecycle: 'in_progress',
      at: '2025-03-05T08:00:00Z',
    })
    rejects(
      c,
      { type: 'status', statusType: 'vedtak', lifecycle: 'decided', at: '2025-03-06T08:00:00Z' },
      'decided.requires-result',
    )
    rejects(
      c,
      { type: 'status', statusType: 'avsluttet', lifecycle: 'closed', at: '2025-03-06T08:00:00Z' },
      'transition.not-allowed',
    )
    // As stored data: a closed case whose result was removed is refused, naming the rule.
    const closed = closedByggesak()
    const { result: _dropped, ...withoutResult } = closed
    const parsed = parseCase(JSON.stringify(withoutResult), opts)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.stage).toBe('invariant')
    expect(parsed.error.issues[0]?.rule).toBe('close.requires-result')
  })

  it('a result is corrected without reopening, with a reason, and the case stays closed', () => {
    const closed = closedByggesak()
    const corrected = add(closed, {
      type: 'result',
      at: '2025-05-20T09:00:00+02:00',
      reason: 'Feil i registreringen: vedtaket var delvis innvilgelse',
      result: { ...closed.result!, outcome: 'partially_granted' },
      visibility: 'internal',
    })
    expect(corrected.lifecycle).toBe('closed')
    expect(corrected.closedAt).toBe(closed.closedAt)
    expect(corrected.result?.outcome).toBe('partially_granted')
    expect(corrected.events.at(-1)?.type).toBe('result')
    expect(verifyCase(corrected, opts)).toBeUndefined()
    // Without a reason it is refused.
    rejects(
      closed,
      { type: 'result', at: '2025-05-20T09:00:00+02:00', result: { ...closed.result!, outcome: 'rejected' } },
      'result.correction-needs-reason',
    )
  })
})

describe('lifecycle', () => {
  it('follows the transition table exactly', () => {
    for (const from of LIFECYCLES) {
      for (const to of LIFECYCLES) {
        expect(canTransition(from, to)).toBe(TRANSITIONS[from].includes(to))
      }
    }
    expect(TRANSITIONS.closed).toEqual([])
    expect(TRANSITIONS.withdrawn).toEqual([])
    expect(TRANSITIONS.cancelled).toEqual([])
  })

  it('a withdrawn case gets the outcome "withdrawn" and an end date, and accepts nothing more', () => {
    const c = add(received(), {
      type: 'status',
      statusType: 'trukket',
      lifecycle: 'withdrawn',
      at: '2025-03-04T08:00:00Z',
      by: citizen,
    })
    expect(c.result).toEqual({ outcome: 'withdrawn', decidedAt: '2025-03-04T08:00:00Z' })
    expect(c.closedAt).toBe('2025-03-04T08:00:00Z')
    rejects(c, { type: 'note', at: '2025-03-05T08:00:00Z', note: { nb: 'x' } }, 'lifecycle.terminal')
  })

  it('a cancelled case is ended and terminal', () => {
    const c = add(received(), {
      type: 'status',
      statusType: 'registrert-ved-feil',
      lifecycle: 'cancelled',
      at: '2025-03-04T08:00:00Z',
      visibility: 'internal',
    })
    expect(c.closedAt).toBe('2025-03-04T08:00:00Z')
    rejects(
      c,
      {
        type: 'status',
        statusType: 'under-behandling',
        lifecycle: 'in_progress',
        at: '2025-03-05T08:00:00Z',
      },
      'lifecycle.terminal',
    )
  })

  it('decided → in_progress (appeal) is allowed and clears nothing but the status', () => {
    const c = add(decidedByggesak(), {
      type: 'status',
      statusType: 'under-behandling',
      lifecycle: 'in_progress',
      at: '2025-05-02T08:00:00Z',
      note: { nb: 'Klage mottatt' },
    })
    expect(c.lifecycle).toBe('in_progress')
    expect(c.result?.outcome).toBe('granted')
    expect(c.closedAt).toBeUndefined()
  })

  it('ends a running suspension when the case is decided', () => {
    let c = add(received(), { type: 'suspend', at: '2025-03-04T08:00:00Z', reason: 'Venter' })
    c = add(c, {
      type: 'status',
      statusType: 'vedtak',
      lifecycle: 'decided',
      at: '2025-03-06T08:00:00Z',
      result: { outcome: 'rejected', decidedAt: '2025-03-06T08:00:00Z' },
    })
    expect(c.suspensions).toEqual([
      { from: '2025-03-04T08:00:00Z', to: '2025-03-06T08:00:00Z', reason: 'Venter' },
    ])
  })

  it('assign changes the officer, and is frozen once closed', () => {
    const c = add(received(), {
      type: 'assign',
      at: '2025-03-04T08:00:00Z',
      responsibleOfficer: 'Per Saksbehandler',
      visibility: 'internal',
    })
    expect(c.responsibleOfficer).toBe('Per Saksbehandler')
    expect(c.administrativeUnit).toBe('Byggesak')
    rejects(
      closedByggesak(),
      { type: 'assign', at: '2025-06-01T08:00:00Z', responsibleOfficer: 'Ny' },
      'closed.frozen',
    )
  })
})

describe('every rule can be broken, and says so by name', () => {
  const closed = closedByggesak()
  const decided = decidedByggesak()
  const r = received()
  const inProgress = add(r, {
    type: 'status',
    statusType: 'under-behandling',
    lifecycle: 'in_progress',
    at: '2025-03-05T08:00:00Z',
  })
  const suspended = add(r, { type: 'suspend', at: '2025-03-04T08:00:00Z', reason: 'Venter' })
  const withdrawn = add(r, {
    type: 'status',
    statusType: 'trukket',
    lifecycle: 'withdrawn',
    at: '2025-03-04T08:00:00Z',
  })
  const later = '2025-08-01T08:00:00Z'
  const badDoc = {
    id: 'd-1',
    journalpostType: 'U',
    journalStatus: 'E',
    documentStatus: 'B',
    title: 'Brev',
    visibility: 'citizen',
  } as const

  const cases: Record<RuleName, () => CaseRuleError> = {
    'event.sequence': () => {
      const result = applyEvent(
        r,
        { ...next(r, { type: 'note', at: later, note: { nb: 'x' } }), seq: 5 },
        opts,
      )
      if (result.ok) throw new Error('accepted')
      return result.error
    },
    'event.duplicate-id': () => {
      const result = applyEvent(
        r,
        { ...next(r, { type: 'note', at: later, note: { nb: 'x' } }), id: 'e1' },
        opts,
      )
      if (result.ok) throw new Error('accepted')
      return result.error
    },
    'event.time-order': () =>
      rejects(
        inProgress,
        { type: 'note', at: '2025-03-04T08:00:00Z', note: { nb: 'x' } },
        'event.time-order',
      ),
    'event.before-start': () =>
      rejects(
        newByggesak(),
        { type: 'status', statusType: 'mottatt', lifecycle: 'received', at: '2025-01-01T00:00:00Z' },
        'event.before-start',
      ),
    'event.in-future': () =>
      rejects(r, { type: 'note', at: later, note: { nb: 'x' } }, 'event.in-future', {
        ...opts,
        now: '2025-07-01T00:00:00Z',
      }),
    'case-type.mismatch': () =>
      rejects(r, { type: 'note', at: later, note: { nb: 'x' } }, 'case-type.mismatch', {
        caseType: barnehageplass,
      }),
    'lifecycle.terminal': () =>
      rejects(withdrawn, { type: 'note', at: later, note: { nb: 'x' } }, 'lifecycle.terminal'),
    'transition.not-allowed': () =>
      rejects(
        r,
        { type: 'status', statusType: 'avsluttet', lifecycle: 'closed', at: later },
        'transition.not-allowed',
      ),
    'reopen.required': () =>
      rejects(
        closed,
        { type: 'status', statusType: 'under-behandling', lifecycle: 'in_progress', at: later },
        'reopen.required',
      ),
    'reopen.not-closed': () =>
      rejects(
        decided,
        { type: 'reopen', statusType: 'under-behandling', reason: 'x', at: later, by: manager },
        'reopen.not-closed',
      ),
    'reopen.not-authorised': () =>
      rejects(
        closed,
        { type: 'reopen', statusType: 'under-behandling', reason: 'Klage', at: later, by: officer },
        'reopen.not-authorised',
      ),
    'reopen.reason-required': () =>
      rejects(
        closed,
        { type: 'reopen', statusType: 'under-behandling', reason: '  ', at: later, by: manager },
        'reopen.reason-required',
      ),
    'decided.requires-result': () =>
      rejects(
        inProgress,
        { type: 'status', statusType: 'vedtak', lifecycle: 'decided', at: later },
        'decided.requires-result',
      ),
    'close.requires-result': () => {
      // Only reachable from stored data: events cannot produce it.
      const broken = verifyCase({ ...closed, result: undefined } as unknown as Case, opts)
      if (!broken) throw new Error('accepted')
      return broken
    },
    'close.documents-not-final': () => {
      const withDraft = add(decided, {
        type: 'note',
        at: later,
        documents: [{ ...badDoc, journalStatus: 'R' }],
        visibility: 'internal',
      })
      return rejects(
        withDraft,
        { type: 'status', statusType: 'avsluttet', lifecycle: 'closed', at: later },
        'close.documents-not-final',
      )
    },
    'close.documents-not-archived': () =>
      rejects(
        decided,
        { type: 'status', statusType: 'avsluttet', lifecycle: 'closed', at: later },
        'close.documents-not-archived',
      ),
    'close.open-items': () => {
      const archived = add(decided, {
        type: 'note',
        at: later,
        visibility: 'internal',
        documents: decided.documents.map((d) => ({ ...d, journalStatus: 'A' as const })),
      })
      return rejects(
        archived,
        { type: 'status', statusType: 'avsluttet', lifecycle: 'closed', at: later },
        'close.open-items',
      )
    },
    'closed.frozen': () =>
      rejects(closed, { type: 'extend', duration: 'P1W', reason: 'x', at: later }, 'closed.frozen'),
    'status-type.unknown': () =>
      rejects(
        r,
        { type: 'status', statusType: 'finnes-ikke', lifecycle: 'in_progress', at: later },
        'status-type.unknown',
      ),
    'status-type.lifecycle-mismatch': () =>
      rejects(
        r,
        { type: 'status', statusType: 'vedtak', lifecycle: 'in_progress', at: later },
        'status-type.lifecycle-mismatch',
      ),
    'result.not-allowed-in-state': () =>
      rejects(
        newByggesak(),
        { type: 'result', at: later, result: { outcome: 'granted', decidedAt: later } },
        'result.not-allowed-in-state',
      ),
    'result.correction-needs-reason': () =>
      rejects(
        decided,
        { type: 'result', at: later, result: { outcome: 'rejected', decidedAt: later } },
        'result.correction-needs-reason',
      ),
    'result.outcome-not-allowed': () =>
      rejects(
        inProgress,
        {
          type: 'status',
          statusType: 'vedtak',
          lifecycle: 'decided',
          at: later,
          result: { outcome: 'no_decision', decidedAt: later },
        },
        'result.outcome-not-allowed',
      ),
    'result.withdrawn-outcome': () =>
      rejects(
        r,
        {
          type: 'status',
          statusType: 'trukket',
          lifecycle: 'withdrawn',
          at: later,
          result: { outcome: 'granted', decidedAt: later },
        },
        'result.withdrawn-outcome',
      ),
    'result.decided-after-event': () =>
      rejects(
        inProgress,
        {
          type: 'status',
          statusType: 'vedtak',
          lifecycle: 'decided',
          at: '2025-03-06T08:00:00Z',
          result: { outcome: 'granted', decidedAt: '2025-03-07T08:00:00Z' },
        },
        'result.decided-after-event',
      ),
    'result.before-start': () =>
      rejects(
        inProgress,
        {
          type: 'status',
          statusType: 'vedtak',
          lifecycle: 'decided',
          at: later,
          result: { outcome: 'granted', decidedAt: '2025-01-01T08:00:00Z' },
        },
        'result.before-start',
      ),
    'result.notified-before-decided': () =>
      rejects(
        inProgress,
        {
          type: 'status',
          statusType: 'vedtak',
          lifecycle: 'decided',
          at: later,
          result: { outcome: 'granted', decidedAt: later, notifiedAt: '2025-07-01T00:00:00Z' },
        },
        'result.notified-before-decided',
      ),
    'suspension.not-allowed-for-case-type': () => {
      const kg = add(
        newByggesak({ caseTypeId: 'barnehageplass', track: 'lopende' }),
        { type: 'status', statusType: 'mottatt', lifecycle: 'received', at: '2025-03-03T08:00:00Z' },
        { caseType: barnehageplass },
      )
      return rejects(
        kg,
        { type: 'suspend', at: later, reason: 'x' },
        'suspension.not-allowed-for-case-type',
        { caseType: barnehageplass },
      )
    },
    'suspension.not-allowed-in-state': () =>
      rejects(decided, { type: 'suspend', at: later, reason: 'x' }, 'suspension.not-allowed-in-state'),
    'suspension.already-suspended': () =>
      rejects(suspended, { type: 'suspend', at: later, reason: 'x' }, 'suspension.already-suspended'),
    'suspension.not-suspended': () => rejects(r, { type: 'resume', at: later }, 'suspension.not-suspended'),
    'extension.not-allowed-for-case-type': () => {
      const sk = add(
        newByggesak({ caseTypeId: 'skjenkebevilling', track: 'alminnelig' }),
        { type: 'status', statusType: 'mottatt', lifecycle: 'received', at: '2025-03-03T08:00:00Z' },
        { caseType: skjenkebevilling },
      )
      return rejects(
        sk,
        { type: 'extend', duration: 'P1W', reason: 'x', at: later },
        'extension.not-allowed-for-case-type',
        { caseType: skjenkebevilling },
      )
    },
    'extension.not-allowed-in-state': () =>
      rejects(
        decided,
        { type: 'extend', duration: 'P1W', reason: 'x', at: later },
        'extension.not-allowed-in-state',
      ),
    'document.final-required': () =>
      rejects(r, { type: 'note', at: later, documents: [badDoc] }, 'document.final-required'),
    'document.final-reverted': () => {
      const doc = decided.documents[0]!
      return rejects(
        decided,
        { type: 'note', at: later, documents: [{ ...doc, journalStatus: 'R', documentStatus: 'B' }] },
        'document.final-reverted',
      )
    },
    'note.empty': () => rejects(r, { type: 'note', at: later }, 'note.empty'),
    'assign.empty': () => rejects(r, { type: 'assign', at: later }, 'assign.empty'),
    'case.state-mismatch': () => {
      const broken = verifyCase({ ...inProgress, statusType: 'til-uttale' }, opts)
      if (!broken) throw new Error('accepted')
      return broken
    },
    'case.ended-without-end-date': () => {
      const { closedAt: _gone, ...noEnd } = closed
      const broken = verifyCase(noEnd as Case, opts)
      if (!broken) throw new Error('accepted')
      return broken
    },
  }

  it('has a test for each rule', () => {
    expect(Object.keys(cases).sort()).toEqual([...RULE_NAMES].sort())
  })

  for (const rule of RULE_NAMES) {
    it(rule, () => {
      expect(cases[rule]().rule).toBe(rule)
    })
  }

  it('the default reopen roles are manager and archivist, and a policy can replace them', () => {
    const reopen = next(closed, {
      type: 'reopen',
      statusType: 'under-behandling',
      reason: 'Klage',
      at: later,
      by: archivist,
    })
    expect(applyEvent(closed, reopen, opts).ok).toBe(true)
    const policy = { caseType: byggesak, authorise: () => false }
    const refused = applyEvent(closed, reopen, policy)
    expect(refused.ok || refused.error.rule).toBe('reopen.not-authorised')
  })
})
