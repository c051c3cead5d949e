import { felles } from '../../vitest.shared.js'

export default felles('saksbehandling', { testTimeout: 30_000, hookTimeout: 60_000 })
