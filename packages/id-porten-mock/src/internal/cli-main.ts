// The felles-id-porten-mock command, separate from its entry point so tests can run it in-process.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startIdportenMock } from '../mock.js'
import type { ClientOptions, IdportenMock } from '../types.js'

const USAGE = `felles-id-porten-mock: a local ID-porten, Ansattporten and Maskinporten

Usage:
  felles-id-porten-mock [--port 7070] [--host 127.0.0.1] [--seed felles] [--persons 6]
                        [--config clients.json] [--json]

  --port      TCP port (default 7070; 0 picks a free one)
  --host      address to listen on (default 127.0.0.1)
  --seed      seed for test persons and pairwise sub values (default felles)
  --persons   number of generated test persons (default 6)
  --config    JSON file: { "clients": [ …registerClient options… ] }
  --json      print one JSON line with the issuers and persons instead of text

Clients in the config file use the options of registerClient(): login clients
need "redirectUris" and a "clientSecret" (client_secret_*) or a public "jwk"
(private_key_jwt); Maskinporten clients need "issuer": "maskinporten",
"scopes" and a public "jwk". The CLI never prints secrets or keys.
Stop with Ctrl+C.`

/** Where the command writes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
}

class UsageError extends Error {}

function fail(message: string): never {
  throw new UsageError(message)
}

function loadClients(path: string): ClientOptions[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    fail(`cannot read ${path}: ${(error as Error).message}`)
  }
  const clients = (parsed as { clients?: unknown }).clients
  if (!Array.isArray(clients)) fail(`${path} must be a JSON object with a "clients" array`)
  return clients.map((c, i) => {
    if (c === null || typeof c !== 'object') fail(`clients[${i}] must be an object`)
    const client = c as Record<string, unknown>
    const authMethod = client.authMethod ?? (client.issuer === 'maskinporten' ? undefined : 'private_key_jwt')
    if (
      client.issuer !== 'maskinporten' &&
      (authMethod === 'client_secret_basic' || authMethod === 'client_secret_post')
    ) {
      if (typeof client.clientSecret !== 'string')
        fail(`clients[${i}]: give a clientSecret (the CLI prints no secrets)`)
    }
    if (
      (authMethod === 'private_key_jwt' || client.issuer === 'maskinporten') &&
      client.trust !== 'certificate'
    ) {
      if (client.jwk === undefined)
        fail(`clients[${i}]: give the client's public jwk (the CLI prints no keys)`)
    }
    if (typeof client.clientId !== 'string') fail(`clients[${i}]: give a clientId`)
    return client as unknown as ClientOptions
  })
}

function describe(mock: IdportenMock, seed: string): string {
  const lines = [
    'ID-porten mock is running (local test only; synthetic persons)',
    '',
    `  ID-porten     ${mock.issuers.idporten}`,
    `  Ansattporten  ${mock.issuers.ansattporten}`,
    `  Maskinporten  ${mock.issuers.maskinporten}`,
    '',
    `Test persons (seed "${seed}"):`,
  ]
  const width = Math.max(...mock.persons.map((p) => p.name.length))
  for (const p of mock.persons) {
    lines.push(
      `  ${p.name.padEnd(width)}  ${p.nationalId ?? '(foreign eID, no pid)'}${p.kind === 'dnr' ? '  D-nummer' : ''}`,
    )
  }
  lines.push('', `Login page and details: ${mock.url}/`, 'Stop with Ctrl+C.')
  return `${lines.join('\n')}\n`
}

/**
 * Runs the command: starts the mock and prints its issuers and persons.
 * Returns the running mock (the caller stops it), or an exit code when the
 * command ended (help, bad arguments).
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
): Promise<{ code: number; mock?: IdportenMock }> {
  try {
    return await run(argv, io)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    io.stderr.write(`felles-id-porten-mock: ${error.message}\n`)
    return { code: 2 }
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<{ code: number; mock?: IdportenMock }> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string', default: '7070' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string', default: 'felles' },
        persons: { type: 'string', default: '6' },
        config: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`)
  }
  if (values.help === true) {
    io.stdout.write(`${USAGE}\n`)
    return { code: 0 }
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be 0–65535')
  const persons = Number(values.persons)
  if (!Number.isInteger(persons) || persons < 1 || persons > 200) fail('--persons must be 1–200')
  const seed = String(values.seed)
  const clients = typeof values.config === 'string' ? loadClients(values.config) : []

  let mock: IdportenMock
  try {
    mock = await startIdportenMock({ port, host: String(values.host), seed, persons, clients })
  } catch (error) {
    fail((error as Error).message)
  }
  if (values.json === true) {
    io.stdout.write(
      `${JSON.stringify({
        url: mock.url,
        issuers: mock.issuers,
        metadata: mock.metadataUrls,
        clients: clients.map((c) => c.clientId),
        persons: mock.persons.map((p) => ({ name: p.name, nationalId: p.nationalId ?? null, kind: p.kind })),
      })}\n`,
    )
  } else {
    io.stdout.write(describe(mock, seed))
    for (const c of clients) io.stdout.write(`Client ${c.clientId} (${c.issuer ?? 'idporten'})\n`)
  }
  return { code: 0, mock }
}
