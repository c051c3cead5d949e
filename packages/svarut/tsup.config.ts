import { defineConfig } from 'tsup'

export default defineConfig({
  entry: { index: 'src/index.ts', 'cms/index': 'src/cms/index.ts', cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  dts: { entry: { index: 'src/index.ts', 'cms/index': 'src/cms/index.ts' } },
  sourcemap: true,
  clean: true,
})
