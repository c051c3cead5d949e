#!/usr/bin/env node
// Release rehearsal: proves that CI's publishing works, locally and offline.
//
// 1. starts a throwaway Verdaccio registry on 127.0.0.1 with temporary storage,
// 2. copies the workspace to a scratch folder, versions it with changesets,
//    builds and publishes every public package to that registry,
// 3. creates a scratch project outside the workspace, installs each published
//    package from the registry with npm, and checks that `import` and
//    `require()` both work (require(esm) needs Node >= 20.19),
// 4. cleans up after itself; exits non-zero on any failure.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const started = Date.now()
const step = (text) => console.log(`[rehearse +${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`)

function sh(cmd, args, options = {}) {
  return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...options })
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

async function waitFor(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`registry did not answer at ${url} within ${timeoutMs} ms`)
}

const work = mkdtempSync(join(tmpdir(), 'felles-rehearse-'))
let registry
let exitCode = 0

try {
  // 1. Registry
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/`
  const config = join(work, 'verdaccio.yaml')
  writeFileSync(
    config,
    [
      `storage: ${join(work, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(work, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '@felles/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'web:',
      '  enable: false',
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  )
  step(`starting Verdaccio on ${url}`)
  registry = spawn(
    join(root, 'node_modules/.bin/verdaccio'),
    ['--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let registryLog = ''
  registry.stdout.on('data', (d) => (registryLog += d))
  registry.stderr.on('data', (d) => (registryLog += d))
  registry.on('exit', (code) => {
    if (code !== null && code !== 0) console.error(`verdaccio exited with ${code}\n${registryLog}`)
  })
  await waitFor(`${url}-/ping`, 60_000)
  const user = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rehearsal', password: `pw-${Date.now()}-${Math.random()}` }),
  })
  if (!user.ok) throw new Error(`could not create a registry user: HTTP ${user.status}`)
  const { token } = await user.json()
  const npmrc = `@felles:registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`

  // 2. Scratch copy of the workspace: tracked and unignored files only.
  const scratch = join(work, 'workspace')
  step('copying the workspace')
  // What is released is what is committed: tracked files only, as in CI's fresh clone.
  const files = sh('git', ['ls-files', '-z', '--cached'], { cwd: root }).split('\0').filter(Boolean)
  for (const file of files) {
    try {
      mkdirSync(dirname(join(scratch, file)), { recursive: true })
      cpSync(join(root, file), join(scratch, file))
    } catch (error) {
      if (error.code !== 'ENOENT') throw error // deleted in the work tree but not yet in git
    }
  }
  writeFileSync(join(scratch, '.npmrc'), npmrc)
  step('installing the scratch workspace (offline-first from the pnpm store)')
  sh('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], { cwd: scratch })

  const publicPackages = readdirSync(join(scratch, 'packages'))
    .map((dir) => join(scratch, 'packages', dir))
    .filter((dir) => {
      try {
        return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true
      } catch {
        return false
      }
    })
  const names = publicPackages.map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name)
  if (names.length === 0) throw new Error('no public packages found')

  step(`versioning ${names.length} packages with changesets`)
  writeFileSync(
    join(scratch, '.changeset', 'release-rehearsal.md'),
    `---\n${names.map((n) => `'${n}': patch`).join('\n')}\n---\n\nRelease rehearsal.\n`,
  )
  sh(join(scratch, 'node_modules/.bin/changeset'), ['version'], { cwd: scratch })
  const versions = new Map()
  for (const dir of publicPackages) {
    const file = join(dir, 'package.json')
    const pkg = JSON.parse(readFileSync(file, 'utf8'))
    versions.set(pkg.name, pkg.version)
    // npm provenance needs CI's OIDC identity; the rehearsal publishes without it.
    if (pkg.publishConfig) delete pkg.publishConfig.provenance
    writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`)
  }

  step('building')
  sh('pnpm', ['--filter', './packages/*', '-r', 'run', 'build'], { cwd: scratch })
  step('publishing')
  sh(
    'pnpm',
    ['-r', '--filter', './packages/*', 'publish', '--no-git-checks', '--registry', url, '--access', 'public'],
    {
      cwd: scratch,
      env: { ...process.env, npm_config_registry: url, NPM_CONFIG_PROVENANCE: 'false' },
    },
  )

  // 3. A consumer outside the workspace.
  const consumer = join(work, 'consumer')
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), '{ "name": "rehearsal-consumer", "private": true }\n')
  writeFileSync(join(consumer, '.npmrc'), npmrc)
  const specs = [...versions].map(([name, version]) => `${name}@${version}`)
  step(`npm install ${specs.join(' ')}`)
  sh('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', ...specs], { cwd: consumer })

  for (const [name, version] of versions) {
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules', name, 'package.json'), 'utf8'))
    if (installed.version !== version)
      throw new Error(`${name}: installed ${installed.version}, published ${version}`)
    const esm = sh(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import('${name}'); console.log(Object.keys(m).length)`],
      { cwd: consumer },
    ).trim()
    const cjs = sh(process.execPath, ['-e', `console.log(Object.keys(require('${name}')).length)`], {
      cwd: consumer,
    }).trim()
    if (!(Number(esm) > 0) || esm !== cjs)
      throw new Error(`${name}: import saw ${esm} exports, require saw ${cjs}`)
    const bins = Object.keys(
      typeof installed.bin === 'string' ? { [name.split('/').pop()]: 1 } : (installed.bin ?? {}),
    )
    for (const bin of bins) sh(join(consumer, 'node_modules', '.bin', bin), ['--help'], { cwd: consumer })
    step(
      `${name}@${version}: import ✓ require ✓ (${esm} exports)${bins.map((b) => ` ${b} --help ✓`).join('')}`,
    )
  }
  step('rehearsal passed')
} catch (error) {
  exitCode = 1
  console.error(`[rehearse] FAILED: ${error.stderr || error.message}`)
} finally {
  registry?.kill('SIGTERM')
  rmSync(work, { recursive: true, force: true })
}
process.exit(exitCode)
