import { fileURLToPath } from 'node:url'
import { defaultServerConditions } from 'vite'
import { defineProject, type UserWorkspaceConfig } from 'vitest/config'

const setupFile = fileURLToPath(new URL('./test/setup.ts', import.meta.url))

/**
 * The configuration every package and app project starts from: resolve the
 * `@felles/source` export condition (tests run against `src/` without a
 * build) and fail tests that write to the console unexpectedly.
 */
export function felles(name: string, extra: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    // Only the source condition is added: extra conditions such as `import` leak
    // into Node's own resolution of CommonJS dependencies (pg's require of pg-pool).
    resolve: { conditions: ['@felles/source', ...defaultServerConditions] },
    ssr: { resolve: { conditions: ['@felles/source', ...defaultServerConditions] } },
    test: {
      name,
      environment: 'node',
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      setupFiles: [setupFile],
      benchmark: { include: ['bench/**/*.bench.ts'] },
      ...extra,
    },
  })
}
