import { defineConfig } from 'tsup'

// `node dist/worker.js` runs a letter worker; `import('./dist/index.js')` gives
// `startSaksbehandling`. The private workspace packages (@felles/sample-*) are
// bundled in; published @felles packages and third-party ones (native
// better-sqlite3 among them) stay external and are this app's dependencies.
export default defineConfig({
  entry: { index: 'src/index.ts', worker: 'src/worker.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  dts: false,
  sourcemap: true,
  noExternal: [/^@felles\/sample-/],
})
