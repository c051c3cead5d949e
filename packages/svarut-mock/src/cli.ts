#!/usr/bin/env node
import { parseArgs } from 'node:util'
import type { AuthOptions } from './auth.js'
import { startSvarUtMock } from './server.js'

const HELP = `felles-svarut-mock: a local SvarUt and SvarInn

Usage: felles-svarut-mock [options]

  --port N            port (default 8090; 0 for any free port)
  --host HOST         interface (default 127.0.0.1)
  --token TOKEN       static bearer token (default svarut-mock-token)
  --issuer URL        check Maskinporten tokens from this issuer instead…
  --jwks-url URL      …verified with this JWKS (e.g. the id-porten-mock's)
  --specs DIR         official OpenAPI documents (default: look for shared/specs/svarut)
  --no-specs          use the mock's own schemas
  --data DIR          keep uploaded documents in DIR (default: a temporary folder)
  -h, --help          this text
`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8090' },
      host: { type: 'string', default: '127.0.0.1' },
      token: { type: 'string' },
      issuer: { type: 'string' },
      'jwks-url': { type: 'string' },
      specs: { type: 'string' },
      'no-specs': { type: 'boolean', default: false },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(HELP)
    return
  }
  let auth: AuthOptions = { mode: 'static', ...(values.token ? { token: values.token } : {}) }
  if (values.issuer) {
    if (!values['jwks-url']) throw new Error('--issuer needs --jwks-url')
    auth = { mode: 'maskinporten', issuer: values.issuer, jwksUrl: values['jwks-url'] }
  }
  const mock = await startSvarUtMock({
    port: Number(values.port),
    host: values.host,
    auth,
    specs: values['no-specs'] ? false : (values.specs ?? 'auto'),
    ...(values.data ? { dataDir: values.data } : {}),
  })
  const c = mock.credentials
  console.log(`SvarUt mock on ${mock.url}  (letters page: ${mock.url}/)`)
  console.log(`  API base:        ${mock.apiUrl}`)
  console.log(`  SvarInn base:    ${mock.svarInnUrl}`)
  console.log(`  kontoId:         ${c.kontoId}`)
  console.log(`  IntegrasjonId:   ${c.integrasjonId}`)
  console.log(`  Passord:         ${c.integrasjonPassord}`)
  console.log(c.token ? `  Bearer token:    ${c.token}` : `  Tokens from:     ${values.issuer}`)
  console.log(`  Validation:      ${mock.validation}`)
  const stop = (): void => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error((error as Error).message)
  process.exit(1)
})
