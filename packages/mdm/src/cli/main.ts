import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import type { ActionResult, DeviceAction } from '../actions.js'
import { createMdmClient, type MdmClient } from '../client.js'
import { isMdmError } from '../errors.js'
import type { Device } from '../model.js'
import { adaptersFrom, loadConfig } from './config.js'

/** Where the CLI writes and reads; injectable for tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stdin: NodeJS.ReadableStream
  readonly env: NodeJS.ProcessEnv
}

const USAGE = `felles-mdm: school devices across Intune, Jamf Pro, Jamf School and Google

Usage:
  felles-mdm devices list --school SCHOOL [--format table|csv|json]
  felles-mdm device show SERIAL
  felles-mdm lock SERIAL --reason TEXT [--message TEXT] [--phone NUMBER] [--dry-run]
  felles-mdm wipe SERIAL --reason TEXT [--yes] [--dry-run]

Options:
  --config FILE   configuration (schools and vendor credentials); default $FELLES_MDM_CONFIG or ./felles-mdm.json
  --help          this text

Secrets in the configuration may be written as { "env": "VARIABLE" }.`

const COLUMNS = [
  'id',
  'serialNumber',
  'name',
  'platform',
  'osVersion',
  'owner',
  'schoolId',
  'compliance',
  'lastCheckIn',
] as const

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value)
  // Guard against formula injection in spreadsheets, and quote as RFC 4180 says.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

async function listDevices(mdm: MdmClient, school: string, format: string, io: CliIo): Promise<number> {
  const view = mdm.forSchool(school)
  const rows: Device[] = []
  let count = 0
  const progress = (final: boolean): void => {
    if (io.stderr.isTTY) io.stderr.write(`\rfetched ${count} devices${final ? '\n' : ''}`)
    else if (final || count % 1000 === 0) io.stderr.write(`fetched ${count} devices\n`)
  }
  if (format === 'csv') io.stdout.write(`${COLUMNS.join(',')}\n`)
  for await (const device of view.devices()) {
    count++
    if (format === 'csv') io.stdout.write(`${COLUMNS.map((c) => csvCell(device[c])).join(',')}\n`)
    else if (format === 'json') io.stdout.write(`${JSON.stringify({ ...device, raw: undefined })}\n`)
    else rows.push(device)
    if (count % 100 === 0) progress(false)
  }
  progress(true)
  if (format === 'table') {
    const shown = ['serialNumber', 'platform', 'osVersion', 'owner', 'compliance', 'lastCheckIn'] as const
    const cells = rows.map((d) => shown.map((c) => String(d[c] ?? '')))
    const widths = shown.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)))
    io.stdout.write(`${shown.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}\n`)
    for (const r of cells) io.stdout.write(`${r.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ')}\n`)
  }
  return 0
}

async function findOne(mdm: MdmClient, serial: string, io: CliIo): Promise<Device | undefined> {
  const found = await mdm.findBySerial(serial)
  if (found.length === 0) io.stderr.write(`felles-mdm: no device with serial number ${serial}\n`)
  if (found.length > 1)
    io.stderr.write(
      `felles-mdm: ${found.length} devices share serial number ${serial}; use the vendor console\n`,
    )
  return found.length === 1 ? found[0] : undefined
}

function printResult(result: ActionResult, io: CliIo): number {
  const extra = result.commandId ? ` (command ${result.commandId})` : ''
  const why = result.reason ? `: ${result.reason}` : ''
  io.stdout.write(`${result.action} ${result.deviceId}: ${result.outcome}${extra}${why}\n`)
  if (result.outcome === 'queued') io.stdout.write('The device carries it out at its next check-in.\n')
  return result.outcome === 'failed' || result.outcome === 'refused' ? 1 : 0
}

async function act(
  mdm: MdmClient,
  serial: string,
  action: DeviceAction,
  opts: { reason: string | undefined; dryRun: boolean; confirm: boolean },
  io: CliIo,
): Promise<number> {
  if (opts.reason === undefined || opts.reason.trim() === '') {
    io.stderr.write('felles-mdm: --reason is required\n')
    return 2
  }
  const device = await findOne(mdm, serial, io)
  if (device === undefined) return 1
  if (device.schoolId === null) {
    io.stderr.write('felles-mdm: the device belongs to no configured school; nothing was sent\n')
    return 1
  }
  if (opts.confirm) {
    const rl = createInterface({ input: io.stdin, output: io.stderr })
    const answer = await rl.question(
      `This will ${action.type} ${device.name ?? device.id} (${device.platform}, school ${device.schoolId}).\nType the serial number again to confirm: `,
    )
    rl.close()
    if (answer.trim() !== serial) {
      io.stderr.write('felles-mdm: the serial number did not match; nothing was sent\n')
      return 1
    }
  }
  const result = await mdm
    .forSchool(device.schoolId)
    .act(device.id, action, { reason: opts.reason, dryRun: opts.dryRun })
  return printResult(result, io)
}

/** Runs the CLI with the given arguments; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      school: { type: 'string' },
      format: { type: 'string', default: 'table' },
      reason: { type: 'string' },
      message: { type: 'string' },
      phone: { type: 'string' },
      yes: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  const [group, command, arg] = positionals
  if (values.help || group === undefined) {
    io.stdout.write(`${USAGE}\n`)
    return values.help ? 0 : 2
  }
  try {
    const config = loadConfig(values.config ?? io.env.FELLES_MDM_CONFIG ?? 'felles-mdm.json')
    const mdm = createMdmClient({ adapters: adaptersFrom(config, io.env), schools: config.schools })
    if (group === 'devices' && command === 'list') {
      if (values.school === undefined) {
        io.stderr.write('felles-mdm: --school is required\n')
        return 2
      }
      if (!['table', 'csv', 'json'].includes(values.format)) {
        io.stderr.write('felles-mdm: --format must be table, csv or json\n')
        return 2
      }
      return await listDevices(mdm, values.school, values.format, io)
    }
    if (group === 'device' && command === 'show' && arg !== undefined) {
      const device = await findOne(mdm, arg, io)
      if (device === undefined) return 1
      io.stdout.write(`${JSON.stringify({ ...device, raw: undefined }, null, 2)}\n`)
      return 0
    }
    if (group === 'lock' && command !== undefined) {
      const action: DeviceAction = {
        type: 'lock',
        ...(values.message === undefined ? {} : { message: values.message }),
        ...(values.phone === undefined ? {} : { phoneNumber: values.phone }),
      }
      return await act(
        mdm,
        command,
        action,
        { reason: values.reason, dryRun: values['dry-run'], confirm: false },
        io,
      )
    }
    if (group === 'wipe' && command !== undefined) {
      return await act(
        mdm,
        command,
        { type: 'wipe' },
        { reason: values.reason, dryRun: values['dry-run'], confirm: !values.yes && !values['dry-run'] },
        io,
      )
    }
    io.stderr.write(`felles-mdm: unknown command\n\n${USAGE}\n`)
    return 2
  } catch (error) {
    const message = isMdmError(error) ? `${error.code}: ${error.message}` : (error as Error).message
    io.stderr.write(`felles-mdm: ${message}\n`)
    return 1
  }
}
