import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// The README's TypeScript blocks are copied into test/readme-examples.ts, which
// `tsc -p` type-checks with the package; this keeps the two in step.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const examples = readFileSync(new URL('../test/readme-examples.ts', import.meta.url), 'utf8')

const meaningful = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('import '))

describe('README', () => {
  it('has every TypeScript example in the type-checked examples file', () => {
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string)
    expect(blocks.length).toBeGreaterThanOrEqual(3)
    const checked = meaningful(examples).join('\n')
    for (const block of blocks) expect(checked).toContain(meaningful(block).join('\n'))
  })
})
