#!/usr/bin/env node
// felles-maskinporten: get a Maskinporten access token for testing APIs with curl.
import { parseArgs } from 'node:util'
import { createMaskinportenClient } from './client.js'
import type { MaskinportenEnvironment } from './environments.js'
import { isMaskinportenError } from './errors.js'
import { type KeySourceOptions, readKeyFile, readKeyFromEnv } from './key-files.js'

const USAGE = `felles-maskinporten: Maskinporten access tokens from the command line

Usage:
  felles-maskinporten token --scope SCOPE [--scope SCOPE...] [--resource URI...]
      [--client-id ID] [--environment test|prod | --issuer URL]
      [--key-file PATH | --key-env NAME] [--kid KID] [--passphrase-env NAME]
      [--consumer-org ORGNR] [--json]

Prints the access token on stdout (with --json: token, expiry and scope).

The key is read from a file (--key-file: JWK .json, PEM, or PKCS#12 .p12/.pfx)
or from an environment variable (--key-env, default MASKINPORTEN_KEY); never
from an argument, so it stays out of shell history and process lists. The
passphrase of an encrypted PEM or a PKCS#12 file comes from the variable named
by --passphrase-env (default MASKINPORTEN_KEY_PASSPHRASE).

Environment: MASKINPORTEN_CLIENT_ID, MASKINPORTEN_ENVIRONMENT (default test),
MASKINPORTEN_ISSUER, MASKINPORTEN_KID.

Example:
  export MASKINPORTEN_CLIENT_ID=… MASKINPORTEN_KID=…
  curl -H "Authorization: Bearer $(felles-maskinporten token --scope ks:fiks --key-file key.pem)" https://…`

class UsageError extends Error {}

async function token(args: string[]): Promise<number> {
  if (
    args.some(
      (a) => a === '--key' || a.startsWith('--key=') || a === '--passphrase' || a.startsWith('--passphrase='),
    )
  ) {
    throw new UsageError(
      'keys and passphrases are never taken from arguments: use --key-file PATH or --key-env NAME, and --passphrase-env NAME',
    )
  }
  const { values } = parseArgs({
    args,
    options: {
      scope: { type: 'string', multiple: true },
      resource: { type: 'string', multiple: true },
      'client-id': { type: 'string' },
      environment: { type: 'string' },
      issuer: { type: 'string' },
      'key-file': { type: 'string' },
      'key-env': { type: 'string' },
      kid: { type: 'string' },
      'passphrase-env': { type: 'string' },
      'consumer-org': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  })
  const env = process.env
  const scopes = values.scope ?? []
  if (scopes.length === 0) throw new UsageError('--scope is required')
  const clientId = values['client-id'] ?? env.MASKINPORTEN_CLIENT_ID
  if (clientId === undefined || clientId === '')
    throw new UsageError('--client-id or MASKINPORTEN_CLIENT_ID is required')
  const issuer = values.issuer ?? env.MASKINPORTEN_ISSUER
  const environment = values.environment ?? env.MASKINPORTEN_ENVIRONMENT ?? 'test'
  if (issuer === undefined && environment !== 'test' && environment !== 'prod') {
    throw new UsageError('--environment must be test or prod')
  }
  if (values['key-file'] !== undefined && values['key-env'] !== undefined) {
    throw new UsageError('give --key-file or --key-env, not both')
  }
  const passphraseEnv = values['passphrase-env'] ?? 'MASKINPORTEN_KEY_PASSPHRASE'
  const kid = values.kid ?? env.MASKINPORTEN_KID
  const source: KeySourceOptions = {
    ...(kid === undefined || kid === '' ? {} : { kid }),
    ...(env[passphraseEnv] === undefined ? {} : { passphrase: env[passphraseEnv] }),
  }
  const key =
    values['key-file'] !== undefined
      ? await readKeyFile(values['key-file'], source)
      : readKeyFromEnv(values['key-env'] ?? 'MASKINPORTEN_KEY', source)
  let expiresIn: number | undefined
  let scope: string | undefined
  const client = createMaskinportenClient({
    ...(issuer === undefined ? { environment: environment as MaskinportenEnvironment } : { issuer }),
    clientId,
    key,
    scopes,
    ...(values.resource === undefined ? {} : { resource: values.resource }),
    ...(values['consumer-org'] === undefined ? {} : { consumerOrg: values['consumer-org'] }),
    logger: { warn: (message) => process.stderr.write(`felles-maskinporten: warning: ${message}\n`) },
    onEvent: (event) => {
      if (event.type === 'token-issued') {
        expiresIn = event.expiresIn
        scope = event.scope
      }
    },
  })
  const accessToken = await client.getToken()
  process.stdout.write(
    values.json
      ? `${JSON.stringify({ access_token: accessToken, expires_in: expiresIn, scope })}\n`
      : `${accessToken}\n`,
  )
  return 0
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === 'token') return await token(rest)
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return command === undefined ? 2 : 0
    }
    process.stderr.write(`felles-maskinporten: unknown command "${command}"\n\n${USAGE}\n`)
    return 2
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    ) {
      process.stderr.write(`felles-maskinporten: ${error.message}\n`)
      return 2
    }
    if (isMaskinportenError(error)) {
      process.stderr.write(`felles-maskinporten: ${error.code}: ${error.message}\n`)
      return 1
    }
    process.stderr.write(`felles-maskinporten: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}

process.exitCode = await main(process.argv.slice(2))
