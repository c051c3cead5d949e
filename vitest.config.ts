import { defineConfig } from 'vitest/config'

/**
 * Root Vitest configuration: every package and app is a project with its own
 * `vitest.config.ts` built from `vitest.shared.ts`.
 */
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
})
