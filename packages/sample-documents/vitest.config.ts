import { felles } from '../../vitest.shared.js'

// Rendering and re-reading PDFs (pdf.js) takes seconds on a busy two-core machine.
export default felles('sample-documents', { testTimeout: 60_000 })
