import { createOutbox } from '@felles/sample-municipality'
import { getLetterToSend, recordLetter } from '@felles/sample-municipality/casework'
import { type SvarUtMock, startSvarUtMock } from '@felles/svarut-mock'
import { afterEach, describe, expect, it } from 'vitest'
import type { Clock } from '../src/letters/clock.js'
import { createLetterWorker, type LetterWorkResult } from '../src/letters/letter-worker.js'
import { createSvarUtForDatabase } from '../src/letters/svarut-client.js'
import { sqliteDatabase, type TestDatabase } from './support/databases.js'
import { minimalPdf } from './support/minimal-pdf.js'

let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

async function setup(pid: string): Promise<{ database: TestDatabase; mock: SvarUtMock; letterId: string }> {
  const mock = await startSvarUtMock({
    world: { persons: [{ digitalId: '21879498012', name: 'Kari Nordmann', channel: 'digital' }] },
  })
  const database = await sqliteDatabase()
  cleanup.push(
    () => mock.close(),
    () => database.dispose(),
  )
  const outbox = createOutbox(database.db, { dialect: database.dialect })
  const letterId = await recordLetter(database.db, outbox, {
    caseId: null,
    recipient: { kind: 'person', pid },
    title: 'Vedtak',
    letterKind: 'decision',
    queuedBy: null,
    documents: [{ filnavn: 'vedtak.pdf', mimeType: 'application/pdf', content: minimalPdf('Vedtak') }],
  })
  return { database, mock, letterId }
}

const settings = (mock: SvarUtMock) => ({
  environment: mock.apiUrl,
  kontoId: mock.credentials.kontoId,
  integrationId: mock.credentials.integrasjonId,
  integrationPassword: mock.credentials.integrasjonPassord,
  token: mock.credentials.token ?? '',
  lookupDelayMs: 10,
})

describe('the letter worker', () => {
  it('gives up at once on a letter SvarUt would refuse, without uploading it', async () => {
    const { database, mock, letterId } = await setup('21879498013') // checksum error
    const results: LetterWorkResult[] = []
    const worker = createLetterWorker({
      db: database.db,
      dialect: database.dialect,
      svarut: createSvarUtForDatabase(database.db, settings(mock)),
      workerId: 'w',
      onResult: (r) => results.push(r),
    })
    expect(await worker.runOnce()).toBe(1)
    expect(results).toEqual([{ letterId, outcome: 'rejected', error: 'ERR_VALIDATION' }])
    expect(mock.letters()).toEqual([])
    const row = await database.db
      .selectFrom('letters')
      .selectAll()
      .where('id', '=', letterId)
      .executeTakeFirst()
    expect(row).toMatchObject({ phase: 'failed', final: 1 })
    expect(await createOutbox(database.db, { dialect: database.dialect }).counts()).toMatchObject({
      failed: 1,
    })
    expect(await worker.runOnce()).toBe(0)
  })

  it('stops a send whose lease it lost and leaves the letter to the new holder', async () => {
    const { database, mock, letterId } = await setup('21879498012')
    let offset = 0
    const clock: Clock = {
      now: () => Date.now() + offset,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    }
    // The answer is held back long enough for the lease (300 ms) to run out on the worker's clock.
    mock.setFault({ kind: 'slow', operation: 'send', delayMs: 1_500 })
    const results: LetterWorkResult[] = []
    const worker = createLetterWorker({
      db: database.db,
      dialect: database.dialect,
      svarut: createSvarUtForDatabase(database.db, settings(mock)),
      workerId: 'stale',
      leaseMs: 300,
      clock,
      onResult: (r) => results.push(r),
    })
    const run = worker.runOnce()
    await new Promise((r) => setTimeout(r, 50))
    offset = 60_000 // the worker stalled: its lease is long gone
    expect(await run).toBe(1)
    expect(results).toEqual([{ letterId, outcome: 'lease-lost' }])
    // Whoever takes the item over finds the send pending and looks it up before any upload.
    const next = createLetterWorker({
      db: database.db,
      dialect: database.dialect,
      svarut: createSvarUtForDatabase(database.db, settings(mock)),
      workerId: 'fresh',
      clock,
      onResult: (r) => results.push(r),
    })
    await new Promise((r) => setTimeout(r, 1_600))
    expect(await next.runOnce()).toBe(1)
    expect(results.at(-1)).toMatchObject({ letterId, outcome: 'sent' })
    expect(mock.letters().filter((l) => l.eksternReferanse === `felles-brev-${letterId}`)).toHaveLength(1)
    expect((await getLetterToSend(database.db, letterId))?.svarutId).toBe(mock.letters()[0]?.id)
  })
})
