import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { TRANSITIONS } from '../src/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README', () => {
  it('draws exactly the lifecycle the code enforces', () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    const edges = new Set<string>()
    for (const match of diagram.matchAll(/^\s*(\w+) --> (\w+)/gm)) {
      if (match[1] !== '[*]' && match[2] !== undefined) edges.add(`${match[1]}>${match[2]}`)
    }
    const expected = new Set<string>(['closed>in_progress'])
    for (const [from, tos] of Object.entries(TRANSITIONS)) for (const to of tos) expected.add(`${from}>${to}`)
    expect([...edges].sort()).toEqual([...expected].sort())
  })

  it('has TypeScript examples that compile', () => {
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
    expect(blocks.length).toBeGreaterThan(0)
    const dir = join(root, 'node_modules', '.cache', 'readme-check')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const index = join(root, 'src', 'index.js')
    const files = blocks.map((code, i) => {
      const file = join(dir, `block-${i}.ts`)
      writeFileSync(file, code.replaceAll("from '@felles/case-status'", `from '${index}'`))
      return file
    })
    // A block that must fail proves the check can fail.
    const bad = join(dir, 'must-fail.ts')
    writeFileSync(bad, "const n: number = 'text'\nexport { n }\n")
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    )
    if (!config) throw new Error('no tsconfig')
    const program = ts.createProgram([...files, bad], {
      ...config.options,
      noEmit: true,
      isolatedDeclarations: false,
    })
    // Check only the blocks (types they use are checked lazily), not the whole package again.
    const check = (file: string): readonly ts.Diagnostic[] => {
      const source = program.getSourceFile(file)
      if (!source) throw new Error(`not compiled: ${file}`)
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
    }
    expect(check(bad)).toHaveLength(1)
    const diagnostics = files
      .flatMap((file) => check(file))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
    expect(diagnostics).toEqual([])
  }, 60_000)
})
