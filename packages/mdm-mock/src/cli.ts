#!/usr/bin/env node
// felles-mdm-mock: start the four MDM emulators and print their URLs and credentials.
import { runCli } from './internal/cli.js'

const controller = new AbortController()
process.once('SIGINT', () => controller.abort())
process.once('SIGTERM', () => controller.abort())
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: controller.signal,
})
