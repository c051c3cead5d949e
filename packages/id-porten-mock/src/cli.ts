#!/usr/bin/env node
// felles-id-porten-mock: run the local ID-porten, Ansattporten and Maskinporten from a terminal.
import { runCli } from './internal/cli-main.js'

const { code, mock } = await runCli(process.argv.slice(2), process)
if (mock === undefined) {
  process.exitCode = code
} else {
  const stop = (): void => {
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
