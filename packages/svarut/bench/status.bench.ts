import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, bench, describe } from 'vitest'
import { createSvarUtClient } from '../src/index.js'
import { startBenchServer } from './harness.js'

// Status of 10,000 letters through status/sok: the number of HTTP requests
// must equal ceil(10,000 / batch size).

const LETTERS = 10_000
const BATCH = 100
const ids = Array.from({ length: LETTERS }, () => randomUUID())
let server: { url: string; stop: () => void }
let requests = 0
let ms = 0
let statuses = 0

beforeAll(async () => {
  server = await startBenchServer()
})

describe(`status of ${LETTERS} letters`, () => {
  bench(
    'getStatuses (batched status/sok)',
    async () => {
      const client = createSvarUtClient({
        environment: `${server.url}/api`,
        kontoId: '0b0ba2c6-2c3d-4c39-9e4b-7c5b0e0f1a11',
        integrationId: 'bench',
        integrationPassword: 'bench',
        token: () => 'bench-token',
        statusBatchSize: BATCH,
      })
      const before = ((await (await fetch(`${server.url}/stats`)).json()) as { statusRequests: number })
        .statusRequests
      const t0 = performance.now()
      statuses = (await client.getStatuses(ids)).length
      ms = performance.now() - t0
      const after = ((await (await fetch(`${server.url}/stats`)).json()) as { statusRequests: number })
        .statusRequests
      requests = after - before
    },
    { iterations: 1, warmupIterations: 0, time: 0, warmupTime: 0 },
  )
})

afterAll(() => {
  server?.stop()
  process.stdout.write(
    `status of ${LETTERS} letters: ${requests} HTTP requests (expected ceil(${LETTERS} / ${BATCH}) = ${Math.ceil(LETTERS / BATCH)}), ` +
      `${statuses} statuses in ${ms.toFixed(0)} ms\n`,
  )
})
