// Entry point of a stand-alone letter worker process: `node dist/worker.js`.
import { runWorkerProcess } from './letters/worker-process.js'

runWorkerProcess().catch((error: unknown) => {
  // Only the error's name and code: a message might echo configuration.
  const code = (error as { code?: unknown }).code
  process.stderr.write(
    `worker failed: ${error instanceof Error ? error.name : 'error'} ${String(code ?? '')}\n`,
  )
  process.exit(1)
})
