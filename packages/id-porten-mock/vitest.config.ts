import { felles } from '../../vitest.shared.js'

export default felles('id-porten-mock', { testTimeout: 20_000, hookTimeout: 20_000 })
