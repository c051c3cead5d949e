// Runs one variant of the 1 GiB send benchmark in a fresh process and prints
// {"ms", "growth"} as JSON, so neither variant inherits the other's memory.
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { createSyntheticGenerator } from '@felles/identifiers'
import { createSvarUtClient } from '../src/index.js'
import { peakRssGrowth } from './harness.js'

const [variant, url, file] = process.argv.slice(2) as [string, string, string]
const fnr = createSyntheticGenerator({ seed: 'bench' }).nationalId()

async function raw(): Promise<void> {
  const res = await fetch(`${url}/raw`, {
    method: 'POST',
    body: Readable.toWeb(createReadStream(file, { highWaterMark: 256 * 1024 })) as unknown as ReadableStream,
    duplex: 'half',
  } as RequestInit)
  await res.json()
}

async function ours(): Promise<void> {
  const client = createSvarUtClient({
    environment: `${url}/api`,
    kontoId: '0b0ba2c6-2c3d-4c39-9e4b-7c5b0e0f1a11',
    integrationId: 'bench',
    integrationPassword: 'bench',
    token: () => 'bench-token',
  })
  await client.sendToPerson({
    tittel: 'Stor forsendelse',
    mottaker: { navn: 'Kari Nordmann', digitalId: fnr },
    kunDigitalLevering: true,
    dokumenter: [{ filnavn: 'big.pdf', mimeType: 'application/pdf', content: { path: file } }],
  })
}

const result = await peakRssGrowth(variant === 'raw' ? raw : ours)
process.stdout.write(`${JSON.stringify(result)}\n`)
