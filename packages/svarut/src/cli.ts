#!/usr/bin/env node
// felles-svarut: send and track letters through KS SvarUt, receive through SvarInn.
import { mkdir, readFile, rename } from 'node:fs/promises'
import { basename, extname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { scrubNationalIds } from '@felles/identifiers'
import { createSvarUtClient, type SvarUtClient, type SvarUtClientOptions } from './client.js'
import { isSvarUtError } from './errors.js'
import { createFileOutbox } from './outbox.js'
import { createSvarInnReceiver } from './svarinn.js'

const USAGE = `felles-svarut: send and track letters through KS SvarUt, receive through SvarInn

Usage:
  felles-svarut send (--person FNR | --org ORGNR) --name NAME --title TITLE [--ref REF]
                     [--digital-only] FILE...          send files (PDFs print; others digital only); prints the id
  felles-svarut status [--json] ID...                  current status of letters
  felles-svarut watch [--interval SECONDS] ID...       follow letters until every one is final
  felles-svarut svarinn pull --out DIR [--v1]          receive letters into DIR/<id>/ and confirm them

Options:
  --config FILE   JSON file with the settings below (environment variables override it)

Settings (environment variable / config key):
  SVARUT_ENVIRONMENT          environment          test (default), prod or a base URL
  SVARUT_KONTO_ID             kontoId              the sending account (send, status, watch)
  SVARUT_INTEGRATION_ID       integrationId        Fiks integration id
  SVARUT_INTEGRATION_PASSWORD integrationPassword  Fiks integration password (never printed)
  SVARUT_TOKEN                token                a Maskinporten access token (scope ks:fiks)
  SVARUT_TOKEN_FILE           tokenFile            a file holding the token (read on every call)
  SVARUT_OUTBOX               outbox               JSON outbox file: makes repeated sends idempotent
  SVARINN_PRIVATE_KEY_FILE    privateKeyFile       the receiving system's private key (svarinn pull)`

interface Settings {
  environment?: string
  kontoId?: string
  integrationId?: string
  integrationPassword?: string
  token?: string
  tokenFile?: string
  outbox?: string
  privateKeyFile?: string
}

class UsageError extends Error {}

async function settings(configFile: string | undefined): Promise<Settings> {
  const fromFile: Settings = configFile ? (JSON.parse(await readFile(configFile, 'utf8')) as Settings) : {}
  const env = process.env
  const pick = (name: string, key: keyof Settings): void => {
    const v = env[name]
    if (v !== undefined && v !== '') fromFile[key] = v
  }
  pick('SVARUT_ENVIRONMENT', 'environment')
  pick('SVARUT_KONTO_ID', 'kontoId')
  pick('SVARUT_INTEGRATION_ID', 'integrationId')
  pick('SVARUT_INTEGRATION_PASSWORD', 'integrationPassword')
  pick('SVARUT_TOKEN', 'token')
  pick('SVARUT_TOKEN_FILE', 'tokenFile')
  pick('SVARUT_OUTBOX', 'outbox')
  pick('SVARINN_PRIVATE_KEY_FILE', 'privateKeyFile')
  return fromFile
}

function need(s: Settings, key: keyof Settings, env: string): string {
  const v = s[key]
  if (!v) throw new UsageError(`missing setting ${key} (environment variable ${env})`)
  return v
}

function tokenOf(s: Settings): () => Promise<string> {
  if (s.token) {
    const t = s.token
    return async () => t
  }
  if (s.tokenFile) {
    const f = s.tokenFile
    return async () => (await readFile(f, 'utf8')).trim()
  }
  throw new UsageError('missing setting token or tokenFile (SVARUT_TOKEN or SVARUT_TOKEN_FILE)')
}

function client(s: Settings): SvarUtClient {
  const options: SvarUtClientOptions = {
    environment: s.environment ?? 'test',
    kontoId: need(s, 'kontoId', 'SVARUT_KONTO_ID'),
    integrationId: need(s, 'integrationId', 'SVARUT_INTEGRATION_ID'),
    integrationPassword: need(s, 'integrationPassword', 'SVARUT_INTEGRATION_PASSWORD'),
    token: tokenOf(s),
    ...(s.outbox ? { outbox: createFileOutbox(s.outbox) } : {}),
  }
  return createSvarUtClient(options)
}

const MIME: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.zip': 'application/zip',
}

async function runSend(args: string[], s: Settings): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      person: { type: 'string' },
      org: { type: 'string' },
      name: { type: 'string' },
      title: { type: 'string' },
      ref: { type: 'string' },
      'digital-only': { type: 'boolean', default: false },
    },
    allowPositionals: true,
  })
  if ((values.person === undefined) === (values.org === undefined))
    throw new UsageError('give one of --person or --org')
  if (!values.name || !values.title) throw new UsageError('--name and --title are required')
  if (positionals.length === 0) throw new UsageError('give at least one FILE')
  const dokumenter = positionals.map((file) => {
    const mimeType = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream'
    return {
      filnavn: basename(file),
      mimeType,
      content: { path: resolve(file) },
      ...(mimeType !== 'application/pdf' && !values['digital-only']
        ? { skalEkskluderesFraUtskrift: true }
        : {}),
    }
  })
  const common = {
    tittel: values.title,
    dokumenter,
    ...(values.ref ? { eksternReferanse: values.ref } : {}),
    ...(values['digital-only'] ? { kunDigitalLevering: true } : {}),
  }
  const c = client(s)
  const result =
    values.person !== undefined
      ? await c.sendToPerson({ ...common, mottaker: { navn: values.name, digitalId: values.person } })
      : await c.sendToOrganisation({
          ...common,
          mottaker: { navn: values.name, digitalId: values.org as string },
        })
  process.stderr.write(`eksternReferanse ${result.eksternReferanse} (${result.resolvedBy})\n`)
  process.stdout.write(`${result.id}\n`)
  return 0
}

async function runStatus(args: string[], s: Settings): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  })
  if (positionals.length === 0) throw new UsageError('give at least one ID')
  const statuses = await client(s).getStatuses(positionals)
  for (const st of statuses) {
    process.stdout.write(
      values.json
        ? `${JSON.stringify(st)}\n`
        : `${st.id}\t${st.status}\t${st.phase}${st.final ? '\tfinal' : ''}${st.known ? '' : '\t(unknown status)'}\t${st.changedAt}\n`,
    )
  }
  const missing = positionals.filter((id) => !statuses.some((st) => st.id === id))
  for (const id of missing) process.stderr.write(`${id}\tnot found\n`)
  return missing.length > 0 ? 1 : 0
}

async function runWatch(args: string[], s: Settings): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { interval: { type: 'string', default: '60' } },
    allowPositionals: true,
  })
  const seconds = Number(values.interval)
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError('--interval must be a positive number of seconds')
  if (positionals.length === 0) throw new UsageError('give at least one ID')
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  try {
    for await (const event of client(s).watchStatus(positionals, {
      interval: seconds * 1000,
      signal: controller.signal,
    })) {
      const st = event.status
      const mark = event.type === 'regression' ? '\tREGRESSION' : ''
      process.stdout.write(
        `${st.changedAt}\t${st.id}\t${st.status}\t${st.phase}${st.final ? '\tfinal' : ''}${mark}\n`,
      )
    }
  } catch (error) {
    if (controller.signal.aborted) return 130
    throw error
  }
  return 0
}

function bar(bytes: number, total: number | undefined): string {
  const mb = (n: number): string => (n / 1_048_576).toFixed(1)
  if (total === undefined) return `${mb(bytes)} MiB`
  const width = 24
  const done = Math.min(width, Math.round((bytes / total) * width))
  return `[${'#'.repeat(done)}${'.'.repeat(width - done)}] ${mb(bytes)}/${mb(total)} MiB`
}

function safeName(name: string, i: number): string {
  const cleaned = [...basename(name)]
    .map((c) => ('*:"\\/<>|?'.includes(c) || c.charCodeAt(0) < 0x20 ? '_' : c))
    .join('')
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? `fil-${i + 1}` : cleaned
}

async function runSvarInn(args: string[], s: Settings): Promise<number> {
  const [sub, ...rest] = args
  if (sub !== 'pull') throw new UsageError('svarinn: the only command is pull')
  const { values } = parseArgs({
    args: rest,
    options: { out: { type: 'string' }, v1: { type: 'boolean', default: false } },
  })
  if (!values.out) throw new UsageError('svarinn pull needs --out DIR')
  const out = resolve(values.out)
  const receiver = createSvarInnReceiver({
    environment: s.environment ?? 'test',
    integrationId: need(s, 'integrationId', 'SVARUT_INTEGRATION_ID'),
    integrationPassword: need(s, 'integrationPassword', 'SVARUT_INTEGRATION_PASSWORD'),
    token: tokenOf(s),
    privateKey: await readFile(need(s, 'privateKeyFile', 'SVARINN_PRIVATE_KEY_FILE'), 'utf8'),
    version: values.v1 ? 1 : 2,
  })
  const tty = process.stderr.isTTY === true
  let lastLine = 0
  const outcomes = await receiver.poll(
    async (letter, files) => {
      const dir = join(out, safeName(letter.id, 0))
      await mkdir(dir, { recursive: true })
      for (const [i, f] of files.entries()) {
        const { copyFile } = await import('node:fs/promises')
        const target = join(dir, safeName(f.filnavn, i))
        await copyFile(f.path, `${target}.part`)
        await rename(`${target}.part`, target)
      }
      if (tty) process.stderr.write('\n')
    },
    {
      onProgress: ({ id, bytes, total }) => {
        if (tty) process.stderr.write(`\r${id} ${bar(bytes, total)}`)
        else if (bytes - lastLine >= 8 * 1_048_576) {
          lastLine = bytes
          process.stderr.write(`${id} ${bar(bytes, total)}\n`)
        }
      },
    },
  )
  for (const o of outcomes) {
    process.stdout.write(
      o.outcome === 'received'
        ? `${o.id}\treceived\n`
        : `${o.id}\tfailed${o.permanent ? ' (permanent)' : ''}\t${o.reason ?? ''}\n`,
    )
  }
  if (outcomes.length === 0) process.stderr.write('no letters waiting\n')
  return outcomes.some((o) => o.outcome === 'failed') ? 1 : 0
}

async function main(argv: string[]): Promise<number> {
  const configAt = argv.indexOf('--config')
  const configFile = configAt >= 0 ? argv[configAt + 1] : undefined
  const args = configAt >= 0 ? [...argv.slice(0, configAt), ...argv.slice(configAt + 2)] : argv
  const [command, ...rest] = args
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return command === undefined ? 2 : 0
    }
    const s = await settings(configFile)
    if (command === 'send') return await runSend(rest, s)
    if (command === 'status') return await runStatus(rest, s)
    if (command === 'watch') return await runWatch(rest, s)
    if (command === 'svarinn') return await runSvarInn(rest, s)
    process.stderr.write(`felles-svarut: unknown command "${command}"\n\n${USAGE}\n`)
    return 2
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && !isSvarUtError(error))) {
      process.stderr.write(`felles-svarut: ${scrubNationalIds(error.message)}\n`)
      return 2
    }
    if (isSvarUtError(error)) {
      const where = error.field ? ` (${error.field})` : ''
      const id = error.errorId ? ` [errorId ${error.errorId}]` : ''
      process.stderr.write(`felles-svarut: ${error.code}${where}: ${error.message}${id}\n`)
      return 1
    }
    process.stderr.write(`felles-svarut: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
