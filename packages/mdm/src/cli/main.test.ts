import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { type MdmMock, startMdmMock } from '@felles/mdm-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { schoolsOf } from '../../test/helpers.js'
import { main } from './main.js'

let mock: MdmMock
let dir: string
let configPath: string

beforeAll(async () => {
  mock = await startMdmMock({
    seed: 'cli-test',
    schools: 3,
    devices: 240,
    // The CLI runs on the real clock (Google checks iat/exp), so the emulator's clock starts at the real time.
    clock: { mode: 'manual', start: new Date().toISOString() },
  })
  dir = mkdtempSync(join(tmpdir(), 'felles-mdm-cli-'))
  const sa = join(dir, 'google-sa.json')
  writeFileSync(sa, JSON.stringify(mock.credentials.google.serviceAccountKey))
  configPath = join(dir, 'felles-mdm.json')
  writeFileSync(
    configPath,
    JSON.stringify({
      schools: schoolsOf(mock),
      intune: {
        tenantId: mock.credentials.graph.tenantId,
        clientId: mock.credentials.graph.clientId,
        clientSecret: { env: 'GRAPH_SECRET' },
        graphUrl: mock.urls.graph,
        tokenUrl: mock.urls.tokenEndpoints.graph,
      },
      jamfSchool: {
        baseUrl: mock.urls.jamfSchool,
        networkId: mock.credentials.jamfSchool.networkId,
        apiKey: { env: 'JAMF_SCHOOL_KEY' },
      },
      google: {
        serviceAccountFile: sa,
        adminEmail: mock.credentials.google.adminEmail,
        apiUrl: mock.urls.google,
        tokenUrl: mock.urls.tokenEndpoints.google,
      },
    }),
  )
})
afterAll(async () => {
  await mock.close()
  rmSync(dir, { recursive: true, force: true })
})

async function run(args: string[], input = ''): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const stdin = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  stdin.end(input)
  const env = {
    GRAPH_SECRET: mock.credentials.graph.clientSecret,
    JAMF_SCHOOL_KEY: mock.credentials.jamfSchool.apiKey,
  }
  const code = await main(['--config', configPath, ...args], { stdout, stderr, stdin, env })
  return { code, out, err }
}

describe('felles-mdm CLI against the emulators', () => {
  it('lists a school’s devices across vendors as CSV, with progress on stderr', async () => {
    const school = mock.world.schools[0]!
    const { code, out, err } = await run(['devices', 'list', '--school', school.id, '--format', 'csv'])
    expect(code).toBe(0)
    const lines = out.trim().split('\n')
    expect(lines[0]).toBe('id,serialNumber,name,platform,osVersion,owner,schoolId,compliance,lastCheckIn')
    let expected = 0
    for (const vendor of ['graph', 'jamfSchool', 'google'] as const) {
      for (const i of mock.world.indices(vendor))
        if (mock.world.present(i) && mock.world.schoolAt(i)?.id === school.id) expected++
    }
    expect(lines.length - 1).toBe(expected)
    expect(new Set(lines.slice(1).map((l) => l.split(',')[0]?.split(':')[0]))).toEqual(
      new Set(['intune', 'jamf-school', 'google']),
    )
    expect(err).toMatch(new RegExp(`fetched ${expected} devices`))
  })

  it('shows a device by serial number', async () => {
    const index = mock.world.indices('jamfSchool').next().value as number
    const { code, out } = await run(['device', 'show', mock.world.serial(index)])
    expect(code).toBe(0)
    expect(JSON.parse(out)).toMatchObject({ vendor: 'jamf-school', serialNumber: mock.world.serial(index) })
  })

  it('asks for the serial number again before a wipe, and sends nothing on a mismatch', async () => {
    const index = [...mock.world.indices('graph')].find(
      (i) => mock.world.schoolAt(i) !== null && mock.world.present(i),
    )!
    const serial = mock.world.serial(index)
    const before = mock.requests().filter((r) => r.path.endsWith('/wipe')).length
    const wrong = await run(['wipe', serial, '--reason', 'stolen device'], 'WRONG\n')
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain('did not match')
    expect(mock.requests().filter((r) => r.path.endsWith('/wipe')).length).toBe(before)
    const right = await run(['wipe', serial, '--reason', 'stolen device'], `${serial}\n`)
    expect(right.code).toBe(0)
    expect(right.out).toContain('queued')
    expect(mock.requests().filter((r) => r.path.endsWith('/wipe')).length).toBe(before + 1)
  })

  it('refuses actions without a reason and reports bad configuration by field', async () => {
    expect((await run(['lock', 'X'])).code).toBe(2)
    const bad = join(dir, 'bad.json')
    writeFileSync(
      bad,
      JSON.stringify({ schools: [{ id: 'x', name: 'X', scopes: { jamfSchool: { locationId: 'abc' } } }] }),
    )
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let err = ''
    stderr.on('data', (c: Buffer) => (err += c.toString()))
    const code = await main(['--config', bad, 'device', 'show', 'S'], {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: {},
    })
    expect(code).toBe(1)
    expect(err).toContain('schools.0.scopes.jamfSchool.locationId')
  })
})
