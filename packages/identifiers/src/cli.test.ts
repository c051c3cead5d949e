import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseNationalId } from './national-id.js'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))

function run(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: packageDir,
    input,
    encoding: 'utf8',
    timeout: 30_000,
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('felles-id CLI', () => {
  it('checks numbers from arguments as JSON, one object per line, never echoing the full number', () => {
    const { status, stdout } = run(['check', '--json', '21879498012', '991825827', '21879498013'])
    expect(status).toBe(1)
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines).toEqual([
      { input: '218794*****', valid: true, kind: 'fnr', synthetic: true, birthDate: '1994-07-21' },
      { input: '991825827', valid: true, kind: 'org' },
      { input: '218794*****', valid: false, kind: 'unknown', reason: 'checksum' },
    ])
    expect(stdout).not.toContain('21879498012')
  })

  it('reads stdin when no numbers are given and exits 0 when all are valid', () => {
    const { status, stdout } = run(['check'], '21879498012\n\n45840375084\n')
    expect(status).toBe(0)
    expect(stdout.trim().split('\n')).toHaveLength(2)
    expect(stdout).toContain('dnr (synthetic)')
  })

  it('generates seeded synthetic numbers that check as valid', () => {
    const a = run(['generate', '--count', '50', '--seed', 's1'])
    const b = run(['generate', '--count', '50', '--seed', 's1'])
    expect(a.status).toBe(0)
    expect(a.stdout).toBe(b.stdout)
    const numbers = a.stdout.trim().split('\n')
    expect(numbers).toHaveLength(50)
    for (const n of numbers) expect(parseNationalId(n)).toMatchObject({ valid: true, synthetic: true })
    const orgs = run(['generate', '--kind', 'org', '--count', '5', '--seed', 'x']).stdout.trim().split('\n')
    expect(orgs).toHaveLength(5)
    const checked = run(['check', '--json', ...orgs])
    expect(checked.status).toBe(0)
  })

  it('rejects bad options with exit code 2', () => {
    expect(run(['generate', '--count', '0']).status).toBe(2)
    expect(run(['generate', '--kind', 'x']).status).toBe(2)
    expect(run(['frobnicate']).status).toBe(2)
  })
})
