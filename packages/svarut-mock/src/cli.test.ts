import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url))
const packageDir = fileURLToPath(new URL('..', import.meta.url))

describe('felles-svarut-mock CLI', () => {
  it('starts, prints its URL and credentials, serves the letters page and stops on SIGTERM', {
    timeout: 30_000,
  }, async () => {
    const child = spawn(
      process.execPath,
      [
        '--conditions=@felles/source',
        '--import',
        'tsx',
        cli,
        '--port',
        '0',
        '--no-specs',
        '--token',
        'cli-token',
      ],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    try {
      let out = ''
      child.stdout.setEncoding('utf8')
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d
          const m = /Validation:.*\n/.test(out) && /SvarUt mock on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
          if (m) resolve(m[1] as string)
        })
        child.once('exit', (code) => reject(new Error(`exited ${code}`)))
      })
      expect(out).toContain('Validation:      builtin')
      expect(out).toContain('cli-token')
      const page = await fetch(`${url}/`)
      expect(page.status).toBe(200)
      const res = await fetch(`${url}/api/v2/forsendelsestyper`, {
        headers: { authorization: 'Bearer cli-token' },
      })
      expect(res.status).toBe(401)
      child.kill('SIGTERM')
      const [code] = await once(child, 'exit')
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
