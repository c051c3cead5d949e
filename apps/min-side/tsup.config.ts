import { defineConfig } from 'tsup'

// `node dist/index.js` runs Min side: the private workspace packages
// (@felles/sample-web, @felles/sample-municipality) are bundled in; published
// @felles packages and third-party ones (native better-sqlite3 among them)
// stay external and are listed as this app's dependencies.
export default defineConfig({
  entry: { index: 'src/index.ts', main: 'src/main.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  clean: true,
  dts: false,
  sourcemap: true,
  noExternal: [/^@felles\/sample-/],
})
