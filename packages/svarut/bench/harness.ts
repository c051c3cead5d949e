import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** Starts bench/server.mjs in its own process and resolves with its base URL. */
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

/** Writes `mib` MiB of pseudo-random bytes to `path` (a 1 MiB random block repeated). */
export async function makeFile(path: string, mib: number, prefix: Buffer = Buffer.alloc(0)): Promise<void> {
  const { createWriteStream } = await import('node:fs')
  const { randomBytes } = await import('node:crypto')
  const block = randomBytes(1024 * 1024)
  const out = createWriteStream(path)
  if (prefix.length > 0) out.write(prefix)
  for (let i = 0; i < mib; i++) {
    if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  )
}

/** Samples RSS every 20 ms while `fn` runs; returns the peak growth over the starting RSS, in bytes. */
export async function peakRssGrowth(fn: () => Promise<unknown>): Promise<{ growth: number; ms: number }> {
  const start = process.memoryUsage().rss
  let peak = start
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const t0 = performance.now()
  try {
    await fn()
  } finally {
    clearInterval(timer)
  }
  peak = Math.max(peak, process.memoryUsage().rss)
  return { growth: peak - start, ms: performance.now() - t0 }
}

export const MiB: number = 1024 * 1024
