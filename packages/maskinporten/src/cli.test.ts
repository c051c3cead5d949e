import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startIdportenMock } from '@felles/id-porten-mock'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))

// The CLI runs in a child process on the real clock, so the emulator uses the real clock too.
let mock: Awaited<ReturnType<typeof startIdportenMock>>
let dir = ''
let env: Record<string, string> = {}
let keyFile = ''
let privateD = ''

beforeAll(async () => {
  mock = await startIdportenMock()
  const client = await mock.registerClient({ issuer: 'maskinporten', scopes: ['ks:fiks'] })
  const key = client.keys[0]!
  privateD = key.privateJwk!.d as string
  dir = await mkdtemp(join(tmpdir(), 'felles-maskinporten-cli-'))
  keyFile = join(dir, 'key.json')
  await writeFile(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 })
  env = {
    PATH: process.env.PATH ?? '',
    MASKINPORTEN_CLIENT_ID: client.clientId,
    MASKINPORTEN_ISSUER: mock.issuers.maskinporten,
    MASKINPORTEN_KID: key.kid,
  }
}, 30_000)
afterAll(async () => {
  await mock.close()
  await rm(dir, { recursive: true, force: true })
})

function run(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
      cwd: packageDir,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('close', (status) => resolve({ status, stdout, stderr }))
  })
}

// Each case starts Node with tsx, which takes a second or two on a small machine.
describe('felles-maskinporten CLI', { timeout: 30_000 }, () => {
  it('prints an access token for --scope with the key from a file', async () => {
    const { status, stdout, stderr } = await run(['token', '--scope', 'ks:fiks', '--key-file', keyFile])
    expect(stderr).toBe('')
    expect(status).toBe(0)
    const token = stdout.trim()
    expect(decodeJwt(token)).toMatchObject({ scope: 'ks:fiks', iss: mock.issuers.maskinporten })
  })

  it('reads the key from an environment variable and prints JSON with --json and --resource', async () => {
    const { readFile } = await import('node:fs/promises')
    const { status, stdout } = await run(
      ['token', '--scope', 'ks:fiks', '--resource', 'https://svarut.ks.no', '--json', '--key-env', 'MY_KEY'],
      { MY_KEY: await readFile(keyFile, 'utf8') },
    )
    expect(status).toBe(0)
    const out = JSON.parse(stdout) as { access_token: string; expires_in: number; scope: string }
    expect(out.scope).toBe('ks:fiks')
    expect(out.expires_in).toBeGreaterThan(0)
    expect(decodeJwt(out.access_token).aud).toBe('https://svarut.ks.no')
  })

  it('refuses a key given as an argument and never echoes it', async () => {
    const { status, stderr, stdout } = await run(['token', '--scope', 'ks:fiks', '--key', privateD])
    expect(status).toBe(2)
    expect(stderr).toMatch(/never taken from arguments/)
    expect(stderr + stdout).not.toContain(privateD)
  })

  it('exits 1 with the typed error code for a refused grant, and 2 for usage errors', async () => {
    const refused = await run(['token', '--scope', 'not:granted', '--key-file', keyFile])
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/ERR_INVALID_SCOPE/)
    expect(refused.stderr).not.toContain(privateD)
    expect((await run(['token', '--json'])).status).toBe(2)
  })
})
