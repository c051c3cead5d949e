import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** Starts bench/server.mjs in its own process (so only the client is measured) and resolves with its base URL. */
export async function startBenchServer(): Promise<{ url: string; stop: () => void }> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port)
    })
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
  })
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

setFlagsFromString('--expose-gc')
const collect = runInNewContext('gc') as (() => void) | undefined

/** Whether {@link gc} can really collect in this process. */
export const canCollect: boolean = collect !== undefined

/** A full garbage collection, so one variant's garbage is not billed to the next. */
export function gc(): void {
  collect?.()
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Runs the two variants of a comparison one after the other, alternating
 * which goes first, so both see the same machine load (the CI machine has two
 * cores and other work on it). Returns the measurements of each.
 */
export async function paired<T>(
  round: number,
  baseline: () => Promise<T>,
  candidate: () => Promise<T>,
): Promise<{ baseline: T; candidate: T }> {
  gc()
  if (round % 2 === 0) {
    const b = await baseline()
    gc()
    return { baseline: b, candidate: await candidate() }
  }
  const c = await candidate()
  gc()
  return { baseline: await baseline(), candidate: c }
}
