#!/usr/bin/env node
// `pnpm start`: the main job. Builds and starts the local emulators of the
// national services and the sample apps on top of them, in one process, waits
// until each answers, and prints one table. Ctrl-C stops everything cleanly.
//
// Environment: FELLES_HOST (default 127.0.0.1); ports FELLES_DOCS_PORT (4000),
// FELLES_IDPORTEN_PORT (4010), FELLES_SVARUT_PORT (4020), FELLES_MDM_PORT (4030),
// FELLES_MIN_SIDE_PORT (4100), FELLES_SAKSBEHANDLING_PORT (4200),
// FELLES_SKOLE_NETTBRETT_PORT (4300); FELLES_PORTS=0 picks free ports for
// everything (tests). Data: SQLite under FELLES_DATA_DIR (default .data), or
// PostgreSQL when DATABASE_URL is set. FELLES_QUIET=1 silences the apps' logs.
import { execFileSync } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs'
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
    key: 'idporten',
    dir: 'packages/id-porten-mock',
    name: 'ID-porten, Ansattporten, Maskinporten (local)',
    async start(mod) {
      const mock = await mod.startIdportenMock({ host, port: port('FELLES_IDPORTEN_PORT', 4010) })
      const persons = (mock.persons ?? []).slice(0, 4).map((p) => p.name ?? `${p.givenName} ${p.familyName}`)
      return {
        handle: mock,
        url: mock.url,
        close: () => mock.close(),
        note: persons.length ? `log in as: ${persons.join(', ')}, …` : '',
      }
    },
  },
  {
    key: 'svarut',
    dir: 'packages/svarut-mock',
    name: 'SvarUt and SvarInn (local)',
    async start(mod, running) {
      // The citizens who log in at the ID-porten mock are the ones SvarUt delivers to (digitally, through Altinn).
      const persons = (running.idporten?.persons ?? []).flatMap((p) =>
        p.nationalId ? [{ digitalId: p.nationalId, name: p.name, channel: 'altinn' }] : [],
      )
      const mock = await mod.startSvarUtMock({
        host,
        port: port('FELLES_SVARUT_PORT', 4020),
        ...(persons.length > 0 ? { world: { persons } } : {}),
      })
      return {
        handle: mock,
        url: mock.url,
        close: () => mock.close(),
        note: 'received letters are listed on its start page',
      }
    },
  },
  {
    key: 'mdm',
    dir: 'packages/mdm-mock',
    name: 'Intune, Jamf Pro, Jamf School, Google Admin (local)',
    async start(mod) {
      const mock = await mod.startMdmMock({ port: port('FELLES_MDM_PORT', 4030) })
      return {
        handle: mock,
        url: `${mock.urls.origin}/`,
        close: () => mock.close(),
        note: `${mock.world.schools.length} schools, ${mock.world.size} devices`,
      }
    },
  },
].filter((e) => existsSync(join(root, e.dir, 'package.json')))

const dataDir = process.env.FELLES_DATA_DIR ?? join(root, '.data')
// The apps' JSON log lines (no personal data) go to a file, so the table stays readable;
// FELLES_LOG=stdout prints them instead.
mkdirSync(dataDir, { recursive: true })
const logFile =
  process.env.FELLES_LOG === 'stdout'
    ? undefined
    : createWriteStream(join(dataDir, 'apps.log'), { flags: 'a' })
// Like the web kit's own logger: eleven digits in a row may be a fødselsnummer, never written out.
const scrub = (value) =>
  typeof value === 'string' ? value.replace(/(?<!\d)\d{11}(?!\d)/g, '[redacted]') : value
const appLogger = (app) => {
  const write = (level, event, fields = {}) => {
    const safe = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, scrub(v)]))
    const line = `${JSON.stringify({ time: new Date().toISOString(), app, level, event: scrub(event), ...safe })}\n`
    if (logFile === undefined) process.stdout.write(line)
    else logFile.write(line)
  }
  return {
    logger: {
      info: (event, fields) => write('info', event, fields),
      warn: (event, fields) => write('warn', event, fields),
      error: (event, fields) => write('error', event, fields),
    },
  }
}

// The sample apps, on top of the emulators, all on the same database.
const APPS = [
  {
    dir: 'apps/min-side',
    name: 'Min side (citizen portal)',
    async start(mod, running) {
      const app = await mod.startMinSide({
        port: port('FELLES_MIN_SIDE_PORT', 4100),
        host,
        dataDir,
        idportenMock: running.idporten,
        svarutUrl: running.svarut.url,
        ...appLogger('min-side'),
      })
      return {
        url: `${app.url.replace(/\/$/, '')}/`,
        close: () => app.close(),
        note: 'log in as any person of the ID-porten mock',
      }
    },
  },
  {
    dir: 'apps/saksbehandling',
    name: 'Saksbehandling (case officers)',
    async start(mod, running) {
      const svarut = running.svarut
      const app = await mod.startSaksbehandling({
        port: port('FELLES_SAKSBEHANDLING_PORT', 4200),
        host,
        dataDir,
        ansattportenMock: running.idporten,
        svarut: {
          environment: svarut.apiUrl,
          kontoId: svarut.credentials.kontoId,
          integrationId: svarut.credentials.integrasjonId,
          integrationPassword: svarut.credentials.integrasjonPassord,
          token: svarut.credentials.token ?? '',
        },
        ...appLogger('saksbehandling'),
      })
      return {
        url: `${app.url.replace(/\/$/, '')}/`,
        close: () => app.close(),
        note: 'Ansattporten: first person is team lead',
      }
    },
  },
  {
    dir: 'apps/skole-nettbrett',
    name: 'Skole-nettbrett (school tablets)',
    async start(mod, running) {
      const svarut = running.svarut
      const persons = running.idporten.persons.flatMap((p) => (p.nationalId ? [p.nationalId] : []))
      // Every school of the MDM world has a (synthetic) organisation number that SvarUt can deliver to,
      // including the one central IT onboards in the demo.
      for (const [i, school] of running.mdm.world.schools.entries()) {
        svarut.world.addOrganisation({
          organisasjonsnummer: mod.demoOrgnr(i + 1),
          name: school.name,
          svarInn: [],
        })
      }
      const app = await mod.startSkoleNettbrett({
        port: port('FELLES_SKOLE_NETTBRETT_PORT', 4300),
        host,
        database: { dataDir },
        identity: { mock: running.idporten },
        mdm: mod.mdmConnectionFromMock(running.mdm),
        svarut: {
          apiUrl: svarut.apiUrl,
          kontoId: svarut.credentials.kontoId,
          integrationId: svarut.credentials.integrasjonId,
          integrationPassword: svarut.credentials.integrasjonPassord,
          token: svarut.credentials.token ?? '',
        },
        seed: {
          // The demo municipality; the last school is left for central IT to onboard.
          schools: running.mdm.world.schools.slice(0, -1),
          admins: [
            {
              subjectKind: 'pid',
              subject: persons[0],
              role: 'central-it',
              schoolId: '*',
              displayName: 'Sentral IT',
            },
            {
              subjectKind: 'pid',
              subject: persons[1],
              role: 'school-admin',
              schoolId: running.mdm.world.schools[0].id,
              displayName: 'Skoleadministrator',
            },
          ],
        },
        ...appLogger('skole-nettbrett'),
      })
      return {
        url: `${app.url.replace(/\/$/, '')}/`,
        close: () => app.close(),
        note: 'Ansattporten: person 1 is central IT, person 2 a school administrator',
      }
    },
  },
].filter((a) => existsSync(join(root, a.dir, 'package.json')))

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
  const filters = [...EMULATORS, ...APPS].map((e) => `--filter=./${e.dir}...`)
  execFileSync('pnpm', ['turbo', 'run', 'build', ...filters, '--output-logs=errors-only'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}
const docs = buildDocs({ quiet: true })
const docsServer = serveStatic(docs)
const docsUrl = await listen(docsServer, docsPort)
started.push({ name: 'API reference (all @felles packages)', url: docsUrl, close: () => docsServer.close() })

const handles = {}
for (const emulator of [...EMULATORS, ...APPS]) {
  const mod = await import(pathToFileURL(join(root, emulator.dir, 'dist', 'index.js')).href)
  const running = await emulator.start(mod, handles)
  if (emulator.key !== undefined) handles[emulator.key] = running.handle
  started.push({ name: emulator.name, ...running })
  // Each answers before the next starts: the table below lists only what is up.
  const res = await fetch(running.url).catch(() => undefined)
  if (res === undefined) throw new Error(`${emulator.name} did not answer at ${running.url}`)
  await res.body?.cancel()
}

const width = Math.max(...started.map((s) => s.name.length))
console.log('\nFelles is running:\n')
for (const s of started) console.log(`  ${s.name.padEnd(width)}  ${s.url}${s.note ? `  (${s.note})` : ''}`)
console.log(
  `\nData: ${process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `SQLite in ${dataDir}`}${logFile ? `; app logs in ${join(dataDir, 'apps.log')}` : ''}. Ctrl-C stops everything.`,
)

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
