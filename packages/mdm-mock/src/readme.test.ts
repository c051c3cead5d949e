import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = new URL('..', import.meta.url).pathname

describe('README', () => {
  it('shows exactly the examples in test/examples/, which `tsc -p` type-checks against the package', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!)
    const examples = readdirSync(join(root, 'test/examples'))
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => readFileSync(join(root, 'test/examples', f), 'utf8'))
    expect(blocks.length).toBeGreaterThanOrEqual(2)
    expect([...blocks].sort()).toEqual([...examples].sort())
  })
})
