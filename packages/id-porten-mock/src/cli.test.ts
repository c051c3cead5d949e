import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './internal/cli-main.js'
import { generateRsaKeyPair } from './internal/keys.js'

function io(): { out: string[]; err: string[]; io: Parameters<typeof runCli>[1] } {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
  }
}

describe('felles-id-porten-mock CLI', () => {
  it('prints the issuers and persons, registers the config file clients, and never prints secrets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idporten-mock-cli-'))
    const key = await generateRsaKeyPair()
    const config = join(dir, 'clients.json')
    const secret = 'demo-secret-that-is-long-enough'
    writeFileSync(
      config,
      JSON.stringify({
        clients: [
          {
            clientId: 'demo-app',
            authMethod: 'client_secret_basic',
            clientSecret: secret,
            redirectUris: ['http://127.0.0.1:3000/callback'],
          },
          { clientId: 'demo-mp', issuer: 'maskinporten', scopes: ['ks:fiks'], jwk: key.publicJwk },
        ],
      }),
    )
    const text = io()
    const { code, mock } = await runCli(
      ['--port', '0', '--seed', 'cli', '--persons', '3', '--config', config],
      text.io,
    )
    try {
      expect(code).toBe(0)
      const output = text.out.join('')
      expect(output).toContain(`ID-porten     ${mock?.issuers.idporten}`)
      expect(output).toContain(`Maskinporten  ${mock?.url}/maskinporten/`)
      for (const p of mock?.persons ?? []) expect(output).toContain(p.name)
      expect(output).toContain('Client demo-app (idporten)')
      expect(output).not.toContain(secret)
      expect(mock?.getClient('demo-mp')).toMatchObject({ kind: 'maskinporten' })
      const meta = await fetch(`${mock?.issuer}/.well-known/openid-configuration`)
      expect(meta.status).toBe(200)
    } finally {
      await mock?.close()
    }
  })

  it('prints JSON with --json', async () => {
    const text = io()
    const { mock } = await runCli(['--port', '0', '--json'], text.io)
    try {
      const parsed = JSON.parse(text.out.join('')) as { issuers: Record<string, string>; persons: unknown[] }
      expect(parsed.issuers.maskinporten).toBe(mock?.issuers.maskinporten)
      expect(parsed.persons).toHaveLength(7)
    } finally {
      await mock?.close()
    }
  })

  it('explains bad arguments and missing secrets with exit code 2', async () => {
    const bad = io()
    expect((await runCli(['--port', 'x'], bad.io)).code).toBe(2)
    expect(bad.err.join('')).toContain('--port')
    const dir = mkdtempSync(join(tmpdir(), 'idporten-mock-cli-'))
    const config = join(dir, 'clients.json')
    writeFileSync(
      config,
      JSON.stringify({
        clients: [{ clientId: 'x', authMethod: 'client_secret_post', redirectUris: ['http://127.0.0.1/cb'] }],
      }),
    )
    const missing = io()
    expect((await runCli(['--config', config], missing.io)).code).toBe(2)
    expect(missing.err.join('')).toContain('clientSecret')
    const help = io()
    expect((await runCli(['--help'], help.io)).code).toBe(0)
    expect(help.out.join('')).toContain('Usage:')
  })
})
