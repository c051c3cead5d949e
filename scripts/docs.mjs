#!/usr/bin/env node
// Generates the TypeDoc API reference of every published package into one
// site under docs-site/. `pnpm docs`; `pnpm start` serves it.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join, relative } from 'node:path'
import { publishedPackages } from './gates.mjs'

const root = new URL('..', import.meta.url).pathname

/** Builds the site and returns its folder. */
export function buildDocs({ quiet = false } = {}) {
  const packages = publishedPackages()
    .filter((dir) => existsSync(join(dir, 'src', 'index.ts')))
    .map((dir) => relative(root, dir))
  execFileSync(join(root, 'node_modules/.bin/typedoc'), ['--options', 'typedoc.json', ...packages], {
    cwd: root,
    stdio: quiet ? 'ignore' : 'inherit',
  })
  return join(root, 'docs-site')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = buildDocs()
  console.log(`API reference written to ${relative(process.cwd(), out) || '.'}/index.html`)
}
