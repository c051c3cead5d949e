export { addSaksbehandlingRoutes, type SaksbehandlingRoutesOptions } from './app.js'
export {
  createLetterWorker,
  type LetterWorker,
  type LetterWorkerOptions,
  type LetterWorkResult,
} from './letters/letter-worker.js'
export { createStatusPoller, type StatusPoller, type StatusPollerOptions } from './letters/status-poller.js'
export { createSvarUtForDatabase, type SvarUtSettings } from './letters/svarut-client.js'
export { runWorkerProcess } from './letters/worker-process.js'
export {
  type AnsattportenMockLike,
  type Saksbehandling,
  type StartSaksbehandlingOptions,
  startSaksbehandling,
} from './start.js'
