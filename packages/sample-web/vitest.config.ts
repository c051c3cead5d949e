import { felles } from '../../vitest.shared.js'

export default felles('sample-web')
