import { afterEach, beforeEach, vi } from 'vitest'

/**
 * Fails any test that writes to the console without saying it expects to.
 * A test that expects output spies on the console method itself
 * (`vi.spyOn(console, 'warn').mockImplementation(() => {})`), which replaces
 * this guard for that method.
 */
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
let unexpected: string[] = []

beforeEach(() => {
  unexpected = []
  for (const method of methods) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      unexpected.push(`console.${method}: ${args.map(String).join(' ').slice(0, 200)}`)
    })
  }
})

afterEach(() => {
  const seen = unexpected
  unexpected = []
  vi.restoreAllMocks()
  if (seen.length > 0) {
    throw new Error(`Unexpected console output:\n${seen.join('\n')}`)
  }
})
