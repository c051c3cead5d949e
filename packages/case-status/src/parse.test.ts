import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { caseArb } from '../test/support/arbitraries.js'
import { closedByggesak, PERSON_FNR } from '../test/support/fixtures.js'
import { byggesak } from './examples.js'
import {
  CaseValidationError,
  isCaseValidationError,
  LIMITS,
  parseCase,
  parseCaseOrThrow,
  parseCaseType,
  parseEvent,
  serializeCase,
} from './index.js'

const opts = { caseType: byggesak }

describe('security case 29: round trip and random input', () => {
  it('parse(serialize(x)) equals x for generated cases', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const parsed = parseCase(serializeCase(c), opts)
        if (!parsed.ok) throw parsed.error
        expect(parsed.value).toStrictEqual(c)
        // Parsing an already parsed value gives the same too.
        expect(parseCaseOrThrow(c, opts)).toStrictEqual(c)
      }),
      { numRuns: 150 },
    )
  }, 60_000)

  it('random JSON only ever yields a validation error', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const result = parseCase(text, opts)
        expect(result.ok).toBe(false)
        if (result.ok) return
        expect(result.error).toBeInstanceOf(CaseValidationError)
        const event = parseEvent(text)
        expect(event.ok).toBe(false)
        const type = parseCaseType(text)
        expect(type.ok).toBe(false)
      }),
      { numRuns: 500 },
    )
  })

  it('random values and random text never throw', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.string(), fc.jsonValue()), (value) => {
        const result = parseCase(value, opts)
        expect(result.ok === false && isCaseValidationError(result.error)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('a valid case with one field replaced by random JSON is either valid or a validation error', () => {
    const base = JSON.parse(serializeCase(closedByggesak())) as Record<string, unknown>
    const keys = Object.keys(base)
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const mutated = { ...base, [key]: value }
        const result = parseCase(JSON.stringify(mutated), opts)
        if (!result.ok) expect(result.error).toBeInstanceOf(CaseValidationError)
      }),
      { numRuns: 500 },
    )
  })

  it('a mutated event is either valid or refused with a named rule or a schema error', () => {
    const base = JSON.parse(serializeCase(closedByggesak())) as { events: Record<string, unknown>[] }
    fc.assert(
      fc.property(
        fc.nat({ max: base.events.length - 1 }),
        fc.constantFrom('at', 'seq', 'id', 'type', 'lifecycle', 'statusType', 'visibility', 'result'),
        fc.jsonValue(),
        (index, key, value) => {
          const events = base.events.map((e, i) => (i === index ? { ...e, [key]: value } : e))
          const result = parseCase({ ...base, events }, opts)
          if (result.ok) return
          expect(['schema', 'invariant']).toContain(result.error.stage)
          if (result.error.stage === 'invariant') expect(result.error.issues[0]?.rule).toBeDefined()
        },
      ),
      { numRuns: 300 },
    )
  })

  it('never echoes a national identity number, even in an unknown key', () => {
    const base = JSON.parse(serializeCase(closedByggesak())) as Record<string, unknown>
    const inputs = [
      { ...base, [PERSON_FNR]: 1 },
      { ...base, parties: [{ id: 'urn:altinn:person:identifier-no:21879498013', role: 'applicant' }] },
      { ...base, id: `sak-${PERSON_FNR}` },
      { ...base, externalRefs: [{ system: 'x', id: PERSON_FNR }] },
    ]
    for (const input of inputs) {
      const result = parseCase(JSON.stringify(input), opts)
      expect(result.ok).toBe(false)
      if (result.ok) continue
      const everything = JSON.stringify({ message: result.error.message, issues: result.error.issues })
      expect(everything).not.toContain(PERSON_FNR)
      expect(everything).not.toContain('21879498013')
    }
  })
})

describe('security case 31: oversized or deeply nested input is refused in bounded time', () => {
  const timedParse = (input: unknown): { result: ReturnType<typeof parseCase>; ms: number } => {
    const start = performance.now()
    const result = parseCase(input, opts)
    return { result, ms: performance.now() - start }
  }

  it.each([
    ['deep array text', (): string => '['.repeat(1_000_000) + ']'.repeat(1_000_000), 'limits'],
    ['deep object text', (): string => '{"a":'.repeat(200_000) + '1' + '}'.repeat(200_000), 'limits'],
    ['huge text', (): string => `"${'x'.repeat(LIMITS.maxJsonLength + 10)}"`, 'limits'],
    ['not JSON', (): string => '{"schemaVersion":1,', 'json'],
  ] as const)('%s', (_name, make, stage) => {
    const { result, ms } = timedParse(make())
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.stage).toBe(stage)
    expect(ms).toBeLessThan(500)
  })

  it('refuses deep, wide and long values without walking all of them', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = { a: deep }
    const wide = Array.from({ length: 2_000_000 }, () => 0)
    const manyKeys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))
    const longString = { id: 'x'.repeat(5_000_000) }
    const manySmall = {
      events: Array.from({ length: 9_000 }, () => ({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] })),
    }
    for (const value of [deep, wide, manyKeys, longString, manySmall]) {
      const { result, ms } = timedParse(value)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.error.stage).toBe('limits')
      expect(ms).toBeLessThan(500)
    }
  })

  it('refuses a case with too many events before the schema sees them', () => {
    const base = JSON.parse(serializeCase(closedByggesak())) as { events: unknown[] }
    const events = Array.from(
      { length: LIMITS.maxArrayLength + 1 },
      (_, i) => base.events[i % base.events.length],
    )
    const result = parseCase({ ...base, events }, opts)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error.stage).toBe('limits')
  })

  it('honours tighter limits', () => {
    const text = serializeCase(closedByggesak())
    const result = parseCase(text, { ...opts, limits: { maxJsonLength: 100 } })
    expect(result.ok).toBe(false)
    expect(parseCase(text, opts).ok).toBe(true)
  })
})
