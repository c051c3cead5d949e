import { felles } from '../../vitest.shared.js'

export default felles('skole-nettbrett', { testTimeout: 60_000, hookTimeout: 60_000 })
