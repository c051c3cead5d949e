import { felles } from '../../vitest.shared.js'

export default felles('id-porten', { testTimeout: 20_000, hookTimeout: 30_000 })
