import { defineConfig } from 'vitest/config'

/**
 * Root Vitest configuration: every package and app is a project with its own
 * `vitest.config.ts` built from `vitest.shared.ts`; `repo` holds the checks of
 * the repository itself (README, CI script, release rehearsal, `pnpm start`).
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      'packages/*',
      'apps/*',
      {
        test: {
          name: 'repo',
          include: ['test/**/*.test.ts'],
          setupFiles: ['test/setup.ts'],
          environment: 'node',
        },
      },
    ],
  },
})
