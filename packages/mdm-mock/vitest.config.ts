import { felles } from '../../vitest.shared.js'

export default felles('mdm-mock', { testTimeout: 30_000 })
