import { parseArgs } from 'node:util'
import { type MdmMock, startMdmMock } from '../server.js'

const USAGE = `felles-mdm-mock: local emulators of Microsoft Graph (Intune), Jamf Pro, Jamf School and Google Admin (ChromeOS)

Usage:
  felles-mdm-mock [--port 4010] [--seed felles] [--schools 30] [--devices 3000]
                  [--latency MS] [--manual-clock] [--json]
                  [--jamf-pro-openapi ../shared/specs/mdm/jamf-pro/jamf-pro-api-11.7.1.json]

Starts one server on 127.0.0.1 with a path prefix per vendor, prints the base
URLs and the (synthetic) credentials, and runs until Ctrl-C.`

/** Where the CLI writes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
  /** Aborting stops the emulator and ends the run. */
  readonly signal: AbortSignal
  /** Called once the emulator is up (tests use it). */
  readonly onStarted?: (mock: MdmMock) => void
}

function whole(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`--${name} must be a whole number from ${min} to ${max}`)
  return n
}

function describe(mock: MdmMock): string {
  const c = mock.credentials
  const u = mock.urls
  const counts = ['graph', 'jamfPro', 'jamfSchool', 'google'].map((v) => {
    let n = 0
    for (const _ of mock.world.indices(v as 'graph')) n++
    return `${v} ${n}`
  })
  return [
    `felles-mdm-mock on ${u.origin} — ${mock.world.municipality}: ${mock.world.schools.length} schools, ${mock.world.size} devices (${counts.join(', ')}), seed "${mock.world.seedText}"`,
    '',
    'Microsoft Graph (Intune)',
    `  base            ${u.graph}   (beta: ${u.graphBeta})`,
    `  token           ${u.tokenEndpoints.graph}`,
    `  tenant          ${c.graph.tenantId}`,
    `  client id       ${c.graph.clientId}`,
    `  client secret   ${c.graph.clientSecret}`,
    `  scope           ${c.graph.scope}`,
    `  read-only app   ${c.graphReadOnly.clientId} / ${c.graphReadOnly.clientSecret}`,
    '',
    'Jamf Pro',
    `  server          ${u.jamfPro}`,
    `  token           ${u.tokenEndpoints.jamfPro}   (basic: ${u.tokenEndpoints.jamfProBasic})`,
    `  client id       ${c.jamfPro.clientId}`,
    `  client secret   ${c.jamfPro.clientSecret}`,
    `  read-only       ${c.jamfProReadOnly.clientId} / ${c.jamfProReadOnly.clientSecret}`,
    '',
    'Jamf School',
    `  base            ${u.jamfSchool}`,
    `  network id      ${c.jamfSchool.networkId}`,
    `  api key         ${c.jamfSchool.apiKey}   (GET-only key: ${c.jamfSchoolReadOnly.apiKey})`,
    `  header          X-Server-Protocol-Version: ${c.jamfSchool.protocolVersion}`,
    '',
    'Google Admin SDK (ChromeOS)',
    `  base            ${u.google}/admin/directory/v1`,
    `  token           ${u.tokenEndpoints.google}`,
    `  customer        ${c.google.customerId} (or my_customer)`,
    `  impersonate     ${c.google.adminEmail}`,
    `  service account ${c.google.serviceAccountKey.client_email} (key JSON with --json)`,
    '',
    'These are synthetic credentials for a local emulator. Ctrl-C stops it.',
  ].join('\n')
}

/**
 * Runs the `felles-mdm-mock` command.
 *
 * @param argv - arguments after the program name
 * @param io - output streams and an abort signal
 * @returns the exit code
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        seed: { type: 'string' },
        schools: { type: 'string' },
        devices: { type: 'string' },
        latency: { type: 'string' },
        'jamf-pro-openapi': { type: 'string' },
        'manual-clock': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values
  } catch (error) {
    io.stderr.write(
      `felles-mdm-mock: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`,
    )
    return 2
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`)
    return 0
  }
  let mock: MdmMock
  try {
    const port = whole(values.port as string | undefined, 'port', 0, 65_535)
    const schools = whole(values.schools as string | undefined, 'schools', 1, 500)
    const devices = whole(values.devices as string | undefined, 'devices', 0, 2_000_000)
    const latency = whole(values.latency as string | undefined, 'latency', 0, 60_000)
    mock = await startMdmMock({
      ...(port === undefined ? { port: 4010 } : { port }),
      ...(values.seed === undefined ? {} : { seed: values.seed as string }),
      ...(schools === undefined ? {} : { schools }),
      ...(devices === undefined ? {} : { devices }),
      ...(latency === undefined ? {} : { latencyMs: latency }),
      ...(values['manual-clock'] ? { clock: { mode: 'manual' as const } } : {}),
      ...(values['jamf-pro-openapi']
        ? { jamfPro: { openApiSpec: values['jamf-pro-openapi'] as string } }
        : {}),
    })
  } catch (error) {
    io.stderr.write(`felles-mdm-mock: ${error instanceof Error ? error.message : String(error)}\n`)
    return 2
  }
  io.stdout.write(
    values.json
      ? `${JSON.stringify({ urls: mock.urls, credentials: mock.credentials, schools: mock.world.schools }, null, 2)}\n`
      : `${describe(mock)}\n`,
  )
  io.onStarted?.(mock)
  if (!io.signal.aborted)
    await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }))
  await mock.close()
  return 0
}
