import { describe, expect, it } from 'vitest'
import { systemClock } from './clock.js'
import { createManualClock } from './testing.js'

describe('createManualClock', () => {
  it('resolves sleepers in due order as time advances', async () => {
    const clock = createManualClock({ now: 1_000 })
    const order: string[] = []
    void clock.sleep(300).then(() => order.push(`c@${clock.now()}`))
    void clock.sleep(100).then(() => order.push(`a@${clock.now()}`))
    void clock.sleep(200).then(() => order.push(`b@${clock.now()}`))
    await clock.advance(250)
    expect(order).toEqual(['a@1100', 'b@1200'])
    expect(clock.now()).toBe(1_250)
    await clock.advance(50)
    expect(order).toEqual(['a@1100', 'b@1200', 'c@1300'])
  })

  it('resolves a sleep started by a sleeper within the same advance', async () => {
    const clock = createManualClock()
    let done = false
    void clock
      .sleep(100)
      .then(() => clock.sleep(100))
      .then(() => {
        done = true
      })
    await clock.advance(200)
    expect(done).toBe(true)
  })

  it('rejects and forgets an aborted sleeper', async () => {
    const clock = createManualClock()
    const controller = new AbortController()
    const sleeping = clock.sleep(1_000, controller.signal)
    expect(clock.pending).toBe(1)
    controller.abort(new Error('stop'))
    await expect(sleeping).rejects.toThrow('stop')
    expect(clock.pending).toBe(0)
  })

  it('reports each sleep in turn through nextSleep', async () => {
    const clock = createManualClock()
    void clock.sleep(5)
    const next = clock.nextSleep()
    expect(await next).toBe(5)
    const later = clock.nextSleep()
    void clock.sleep(7)
    expect(await later).toBe(7)
    expect(clock.sleeps).toEqual([5, 7])
    expect(await clock.advanceToNext()).toBe(5)
  })
})

describe('systemClock', () => {
  it('rejects at once on an aborted signal', async () => {
    await expect(systemClock.sleep(10_000, AbortSignal.abort(new Error('no')))).rejects.toThrow('no')
  })

  it('stops a sleep when the signal aborts', async () => {
    const controller = new AbortController()
    const sleeping = systemClock.sleep(60_000, controller.signal)
    controller.abort(new Error('cancelled'))
    await expect(sleeping).rejects.toThrow('cancelled')
  })
})
