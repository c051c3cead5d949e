#!/usr/bin/env node
// `pnpm start`: the main job. Starts the local emulators and the sample apps as
// they land. Until the first app lands it builds the API reference of every
// published package and serves it locally. Ctrl-C stops everything cleanly.
//
// Environment: FELLES_DOCS_PORT (default 4000; 0 picks a free port), FELLES_HOST (default 127.0.0.1).
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { buildDocs } from './docs.mjs'

const host = process.env.FELLES_HOST ?? '127.0.0.1'
const docsPort = Number(process.env.FELLES_DOCS_PORT ?? 4000)

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

function serveStatic(folder) {
  return createServer((req, res) => {
    let path
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      res.writeHead(400).end('Bad request')
      return
    }
    const file = normalize(join(folder, path.endsWith('/') ? `${path}index.html` : path))
    if (!file.startsWith(folder + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
    })
    createReadStream(file).pipe(res)
  })
}

const started = []

async function listen(server, port) {
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return `http://${host}:${server.address().port}/`
}

console.log('Felles: building the API reference …')
const docs = buildDocs({ quiet: true })
const docsServer = serveStatic(docs)
const docsUrl = await listen(docsServer, docsPort)
started.push({ name: 'API reference (all @felles packages)', url: docsUrl, close: () => docsServer.close() })

const width = Math.max(...started.map((s) => s.name.length))
console.log('\nFelles is running:\n')
for (const s of started) console.log(`  ${s.name.padEnd(width)}  ${s.url}`)
console.log('\nThe sample apps and emulators will appear here as they land. Ctrl-C stops everything.')

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  console.log(`\nFelles: ${signal}, shutting down …`)
  for (const s of started) s.close()
  setTimeout(() => process.exit(0), 200).unref()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
