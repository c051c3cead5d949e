import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

function quickStartLines(): string[] {
  const readme = read('README.md')
  const section = readme.split(/^## Quick start$/m)[1]
  if (section === undefined) throw new Error('README has no "## Quick start" section')
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
  return block.split('\n').filter((line) => line.trim() !== '')
}

describe('README Quick start', () => {
  it('has exactly two command lines that need only Node and npm', () => {
    const lines = quickStartLines()
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatch(/^npm install -g pnpm@10\.\d+\.\d+ && /)
    expect(lines[0]).toMatch(/pnpm start$/)
    expect(lines[1]).toMatch(/pnpm test$/)
  })

  it('.ci/run runs exactly line 2', () => {
    const commands = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
    expect(commands.at(-1)).toBe(quickStartLines()[1])
  })

  it('pins the same pnpm version as packageManager', () => {
    const pkg = JSON.parse(read('package.json')) as { packageManager: string }
    for (const line of quickStartLines()) expect(line).toContain(pkg.packageManager.replace('pnpm@', 'pnpm@'))
  })
})

describe('pnpm release:rehearse', () => {
  it('publishes every public package to a local registry and installs it with npm', {
    timeout: 300_000,
  }, () => {
    const result = spawnSync(process.execPath, ['scripts/release-rehearse.mjs'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 290_000,
    })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('@felles/identifiers@')
    expect(result.stdout).toContain('import ✓ require ✓')
    expect(result.stdout).toContain('rehearsal passed')
  })
})

describe('pnpm start', () => {
  it('starts the emulators and the sample apps, prints one table and stops cleanly on SIGINT', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'felles-start-'))
    const env: NodeJS.ProcessEnv = { ...process.env, FELLES_PORTS: '0', FELLES_DATA_DIR: dataDir }
    delete env.DATABASE_URL
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 280_000)
        child.stdout.on('data', () => {
          const match = /API reference[^\n]*(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)
          if (match?.[1] && output.includes('Ctrl-C stops everything')) {
            clearTimeout(timer)
            resolve(match[1])
          }
        })
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('@felles/identifiers')
      const fn = await fetch(new URL('assets/search.js', url))
      expect(fn.status).toBe(200)
      expect((await fetch(new URL('../../etc/passwd', url))).status).toBe(404)
      // Every emulator in the table answers.
      const table = output.slice(output.indexOf('Felles is running'))
      const urls = [...table.matchAll(/(http:\/\/127\.0\.0\.1:\d+\/?)/g)].map((m) => m[1] as string)
      for (const name of ['ID-porten', 'SvarUt', 'Jamf', 'Min side', 'Saksbehandling', 'Skole-nettbrett']) {
        expect(table).toContain(name)
      }
      expect(urls.length).toBeGreaterThanOrEqual(7)
      for (const u of urls) expect((await fetch(u)).status).toBeLessThan(500)
      // Min side's case list needs a login: it sends the browser to ID-porten (the mock), nothing personal shown.
      const minSide = /Min side[^\n]*(http:\/\/127\.0\.0\.1:\d+\/)/.exec(table)?.[1] as string
      const cases = await fetch(new URL('saker', minSide), { redirect: 'manual' })
      expect(cases.status).toBe(303)
      expect(cases.headers.get('location')).toMatch(/\/auth\/login/)
      // The SQLite database was created under the data directory, nothing else to configure.
      expect(existsSync(join(dataDir, 'felles.sqlite'))).toBe(true)
    } finally {
      child.kill('SIGINT')
    }
    expect(await exited).toBe(0)
  })
})
