import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    'adapters/intune': 'src/adapters/intune.ts',
    'adapters/jamf-school': 'src/adapters/jamf-school.ts',
    'adapters/google': 'src/adapters/google.ts',
    'adapters/jamf-pro': 'src/adapters/jamf-pro.ts',
  },
  format: ['esm'],
  target: 'node20',
  dts: {
    entry: {
      index: 'src/index.ts',
      'adapters/intune': 'src/adapters/intune.ts',
      'adapters/jamf-school': 'src/adapters/jamf-school.ts',
      'adapters/google': 'src/adapters/google.ts',
      'adapters/jamf-pro': 'src/adapters/jamf-pro.ts',
    },
  },
  sourcemap: true,
  clean: true,
})
