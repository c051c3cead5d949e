import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, isHttpError } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { httpDate, json, startServer, type TestServer } from './server.js'

// The whole retry loop against a real server: for random storms of 503s and
// 429s (with Retry-After in seconds, as an HTTP-date, or absent) and random
// policies, every wait the client makes is recorded on a manual clock.

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

type Step = { status: 429 | 503; retryAfter: number | undefined; asDate: boolean }

const step = fc.record({
  status: fc.constantFrom(429 as const, 503 as const),
  retryAfter: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  asDate: fc.boolean(),
})

const policy = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 7 }),
  baseDelay: fc.integer({ min: 0, max: 2_000 }),
  maxDelay: fc.integer({ min: 0, max: 20_000 }),
  maxRetryAfter: fc.integer({ min: 0, max: 30_000 }),
  deadline: fc.option(fc.integer({ min: 1, max: 120_000 }), { nil: undefined }),
  seed: fc.integer(),
})

let run = 0
const SERVER_NOW = Date.UTC(2031, 2, 3, 4, 5, 6)

describe('retry schedule against a real server (property)', () => {
  it('never waits less than Retry-After, never above the cap, and stays within the deadline', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), policy, async (steps: Step[], p) => {
        const path = `/schedule-${++run}`
        server.route(path, (_req, res, hit) => {
          const s = steps[hit - 1]
          if (s === undefined) return json(res, 200, { ok: true })
          const headers: Record<string, string> = { date: httpDate(SERVER_NOW) }
          if (s.retryAfter !== undefined) {
            headers['retry-after'] = s.asDate
              ? httpDate(SERVER_NOW + s.retryAfter * 1000)
              : String(s.retryAfter)
          }
          json(res, s.status, {}, headers)
        })
        let state = p.seed
        const random = (): number => {
          state = (Math.imul(state, 1_103_515_245) + 12_345) | 0
          return (state >>> 0) / 2 ** 32
        }
        const clock = createManualClock()
        const client = createHttpClient({
          baseUrl: server.url,
          clock,
          random,
          timeout: false,
          retryBudget: false,
          retry: {
            maxAttempts: p.maxAttempts,
            baseDelay: p.baseDelay,
            maxDelay: p.maxDelay,
            maxRetryAfter: p.maxRetryAfter,
          },
          ...(p.deadline === undefined ? {} : { deadline: p.deadline }),
        })
        const outcome = client.json(path).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        )
        if (p.deadline !== undefined) expect(await clock.nextSleep()).toBe(p.deadline)
        const waits: number[] = []
        for (;;) {
          const next = await Promise.race([clock.nextSleep(), outcome.then(() => 'done' as const)])
          if (next === 'done') break
          waits.push(next)
          await clock.advance(next)
        }
        const result = await outcome
        const attempts = server.hits(path)

        // Each wait follows the response it answers.
        waits.forEach((wait, i) => {
          const asked = steps[i]?.retryAfter
          if (asked !== undefined) {
            expect(wait).toBeGreaterThanOrEqual(asked * 1000)
            expect(asked * 1000).toBeLessThanOrEqual(p.maxRetryAfter)
            expect(wait).toBeLessThanOrEqual(Math.max(asked * 1000, p.maxDelay))
          } else {
            expect(wait).toBeLessThanOrEqual(p.maxDelay)
          }
        })
        const total = waits.reduce((a, b) => a + b, 0)
        if (p.deadline !== undefined) expect(total).toBeLessThan(p.deadline)
        expect(attempts).toBeLessThanOrEqual(p.maxAttempts)
        expect(attempts).toBe(waits.length + 1)
        if ('value' in result) {
          expect(attempts).toBe(steps.length + 1)
        } else {
          expect(isHttpError(result.error)).toBe(true)
          if (isHttpError(result.error)) {
            expect(result.error.attempts).toBe(attempts)
            expect(result.error.status).toBe(steps[attempts - 1]?.status)
            expect(result.error.code).toBe(
              steps[attempts - 1]?.status === 429 ? 'ERR_RATE_LIMITED' : 'ERR_HTTP_STATUS',
            )
          }
        }
      }),
      { numRuns: 150 },
    )
  }, 60_000)
})
