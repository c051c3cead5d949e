import { felles } from '../../vitest.shared.js'

export default felles('min-side', { testTimeout: 30_000, hookTimeout: 60_000 })
