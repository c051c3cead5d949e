#!/usr/bin/env node
// Package gates for every published package: publint --strict on the packed
// tarball and "are the types wrong" in the ESM-only profile; sherif for the
// workspace. Packs with pnpm so publishConfig overrides (exports without the
// source condition) are what is checked, exactly as users will receive it.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' })

export function publishedPackages() {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, 'packages', d.name))
    .filter((dir) => {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
        return pkg.private !== true
      } catch {
        return false
      }
    })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bin = (name) => join(root, 'node_modules', '.bin', name)
  console.log('gates: sherif (workspace consistency)')
  // `apps/*` is declared before the first app lands; only then is an empty glob a mistake.
  const hasApps =
    existsSync(join(root, 'apps')) &&
    readdirSync(join(root, 'apps')).some((d) => existsSync(join(root, 'apps', d, 'package.json')))
  run(bin('sherif'), ['--fail-on-warnings', ...(hasApps ? [] : ['-r', 'non-existant-packages'])])
  console.log('gates: building published packages')
  run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'])
  const out = mkdtempSync(join(tmpdir(), 'felles-gates-'))
  try {
    for (const dir of publishedPackages()) {
      const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name
      console.log(`gates: ${name}`)
      const before = new Set(readdirSync(out))
      execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'ignore' })
      const tarball = readdirSync(out).find((f) => !before.has(f))
      if (!tarball) throw new Error(`pnpm pack produced no tarball for ${name}`)
      run(bin('publint'), ['--strict', join(out, tarball)], dir)
      run(bin('attw'), [join(out, tarball), '--profile', 'esm-only', '--format', 'table-flipped'], dir)
    }
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
  console.log('gates: all green')
}
