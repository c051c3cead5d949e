import { describe, expect, it } from 'vitest'
import type { MdmMock } from '../index.js'
import { runCli } from './cli.js'

function io() {
  const out: string[] = []
  const err: string[] = []
  const controller = new AbortController()
  let started: MdmMock | undefined
  return {
    out,
    err,
    controller,
    get started() {
      return started
    },
    io: {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      signal: controller.signal,
      onStarted: (m: MdmMock) => {
        started = m
      },
    },
  }
}

describe('felles-mdm-mock CLI', () => {
  it('prints URLs and credentials that work, then stops on abort', async () => {
    const t = io()
    const run = runCli(['--port', '0', '--seed', 'cli', '--schools', '5', '--devices', '300', '--json'], t.io)
    while (!t.started) await new Promise((r) => setImmediate(r))
    const printed = JSON.parse(t.out.join('')) as {
      urls: MdmMock['urls']
      credentials: MdmMock['credentials']
      schools: unknown[]
    }
    expect(printed.schools).toHaveLength(5)
    const res = await fetch(printed.urls.tokenEndpoints.jamfPro, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: printed.credentials.jamfPro.clientId,
        client_secret: printed.credentials.jamfPro.clientSecret,
      }),
    })
    expect(res.status).toBe(200)
    t.controller.abort()
    expect(await run).toBe(0)
    await expect(fetch(printed.urls.origin)).rejects.toThrow()
  })

  it('prints a readable summary', async () => {
    const t = io()
    t.controller.abort()
    expect(await runCli(['--port', '0', '--devices', '100'], t.io)).toBe(0)
    const text = t.out.join('')
    expect(text).toContain('Microsoft Graph (Intune)')
    expect(text).toContain('X-Server-Protocol-Version: 3')
  })

  it('rejects bad arguments with exit code 2', async () => {
    const t = io()
    expect(await runCli(['--devices', 'many'], t.io)).toBe(2)
    expect(t.err.join('')).toContain('--devices')
    expect(await runCli(['--bogus'], t.io)).toBe(2)
    expect(await runCli(['--help'], t.io)).toBe(0)
  })
})
