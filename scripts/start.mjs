#!/usr/bin/env node
// `pnpm start`: the main job. Starts the local emulators and the sample apps as
// they land. Until the first app lands it builds the API reference of every
// published package and serves it locally. Ctrl-C stops everything cleanly.
//
// Environment: FELLES_HOST (default 127.0.0.1); ports FELLES_DOCS_PORT (4000),
// FELLES_IDPORTEN_PORT (4010), FELLES_SVARUT_PORT (4020), FELLES_MDM_PORT (4030);
// FELLES_PORTS=0 picks free ports for everything (tests).
import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildDocs } from './docs.mjs'

const root = new URL('..', import.meta.url).pathname
const host = process.env.FELLES_HOST ?? '127.0.0.1'
const port = (name, fallback) => Number(process.env.FELLES_PORTS ?? process.env[name] ?? fallback)
const docsPort = port('FELLES_DOCS_PORT', 4000)

// The local national services, started as they land. Each is an emulator package of this repository.
const EMULATORS = [
  {
    dir: 'packages/id-porten-mock',
    name: 'ID-porten, Ansattporten, Maskinporten (local)',
    async start(mod) {
      const mock = await mod.startIdportenMock({ port: port('FELLES_IDPORTEN_PORT', 4010) })
      const persons = (mock.persons ?? []).slice(0, 4).map((p) => p.name ?? `${p.givenName} ${p.familyName}`)
      return {
        url: mock.url,
        close: () => mock.close(),
        note: persons.length ? `log in as: ${persons.join(', ')}, …` : '',
      }
    },
  },
  {
    dir: 'packages/svarut-mock',
    name: 'SvarUt and SvarInn (local)',
    async start(mod) {
      const mock = await mod.startSvarUtMock({ port: port('FELLES_SVARUT_PORT', 4020) })
      return {
        url: mock.url,
        close: () => mock.close(),
        note: 'received letters are listed on its start page',
      }
    },
  },
  {
    dir: 'packages/mdm-mock',
    name: 'Intune, Jamf Pro, Jamf School, Google Admin (local)',
    async start(mod) {
      const mock = await mod.startMdmMock({ port: port('FELLES_MDM_PORT', 4030) })
      return {
        url: `${mock.urls.origin}/`,
        close: () => mock.close(),
        note: `${mock.world.schools.length} schools, ${mock.world.size} devices`,
      }
    },
  },
].filter((e) => existsSync(join(root, e.dir, 'package.json')))

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

console.log('Felles: building the emulators and the API reference …')
if (EMULATORS.length > 0) {
  // Each emulator with what it depends on (turbo caches, so a second start is quick).
  const filters = EMULATORS.map((e) => `--filter=./${e.dir}...`)
  execFileSync('pnpm', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
const docs = buildDocs({ quiet: true })
const docsServer = serveStatic(docs)
const docsUrl = await listen(docsServer, docsPort)
started.push({ name: 'API reference (all @felles packages)', url: docsUrl, close: () => docsServer.close() })

for (const emulator of EMULATORS) {
  const mod = await import(pathToFileURL(join(root, emulator.dir, 'dist', 'index.js')).href)
  const running = await emulator.start(mod)
  started.push({ name: emulator.name, ...running })
  // Each answers before the next starts: the table below lists only what is up.
  const res = await fetch(running.url).catch(() => undefined)
  if (res === undefined) throw new Error(`${emulator.name} did not answer at ${running.url}`)
  await res.body?.cancel()
}

const width = Math.max(...started.map((s) => s.name.length))
console.log('\nFelles is running:\n')
for (const s of started) console.log(`  ${s.name.padEnd(width)}  ${s.url}${s.note ? `  (${s.note})` : ''}`)
console.log('\nThe sample apps will appear here as they land. Ctrl-C stops everything.')

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  console.log(`\nFelles: ${signal}, shutting down …`)
  Promise.allSettled(started.map((s) => s.close())).finally(() => process.exit(0))
  setTimeout(() => process.exit(0), 3_000).unref()
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
