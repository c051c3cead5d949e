import { felles } from '../../vitest.shared.js'

export default felles('maskinporten')
