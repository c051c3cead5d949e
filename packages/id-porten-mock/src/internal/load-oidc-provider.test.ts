import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { importQuietly } from './load-oidc-provider.js'

// oidc-provider warns from its module body on runtimes older than the "Jod" LTS (Node 22).
const warns = (process.release.lts ?? '') < 'Jod'
const entry = pathToFileURL(createRequire(import.meta.url).resolve('oidc-provider')).href
let fresh = 0
const freshImport = (): Promise<unknown> => import(`${entry}?fresh=${++fresh}`)

describe('loading oidc-provider', () => {
  it.runIf(warns)(
    'prints the unsupported-runtime warning when imported plainly (so the filter is needed)',
    async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      await freshImport()
      expect(warn.mock.calls.some((args) => String(args[0]).includes('Unsupported runtime'))).toBe(true)
    },
  )

  it('keeps that warning out of the console and lets other warnings through', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await importQuietly(async () => {
      await freshImport()
      console.warn('something else')
    })
    expect(warn.mock.calls.map((args) => String(args[0]))).toEqual(['something else'])
    expect(console.warn).toBe(warn)
  })
})
