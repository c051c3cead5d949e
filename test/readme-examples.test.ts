import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Every ```ts block in a published package's README must type-check against the
// package's own source (self-reference through its `exports`, source condition).
const root = fileURLToPath(new URL('..', import.meta.url))
const packagesDir = join(root, 'packages')

const packages = readdirSync(packagesDir).filter((dir) => {
  const manifest = join(packagesDir, dir, 'package.json')
  const readme = join(packagesDir, dir, 'README.md')
  if (!existsSync(manifest) || !existsSync(readme)) return false
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { private?: boolean }).private !== true
})

describe.each(packages)('README of packages/%s', (dir) => {
  it('has TypeScript examples that compile', { timeout: 120_000 }, () => {
    const readme = readFileSync(join(packagesDir, dir, 'README.md'), 'utf8')
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
    if (blocks.length === 0) return
    const work = join(packagesDir, dir, '.readme-check')
    rmSync(work, { recursive: true, force: true })
    mkdirSync(work, { recursive: true })
    try {
      blocks.forEach((code, i) => {
        writeFileSync(join(work, `example-${i}.ts`), `${code}\nexport {}\n`)
      })
      writeFileSync(
        join(work, 'tsconfig.json'),
        JSON.stringify({
          extends: '../../../tsconfig.base.json',
          compilerOptions: { types: ['node'], isolatedDeclarations: false, noUnusedLocals: false },
          include: ['*.ts'],
        }),
      )
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', work], {
        encoding: 'utf8',
        cwd: join(packagesDir, dir),
      })
      expect(tsc.stdout + tsc.stderr).toBe('')
      expect(tsc.status).toBe(0)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
