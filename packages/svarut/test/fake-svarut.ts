// A small SvarUt over real HTTP for the client's tests: scriptable faults,
// a record of every request, letters with settable statuses. Not the full
// emulator (that is @felles/svarut-mock); just enough to prove behaviour.
import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSelfSignedCertificate, decryptBuffer } from '../src/cms/index.js'

export interface FakePart {
  readonly name: string
  readonly filename: string | undefined
  readonly contentType: string | undefined
  readonly body: Buffer
}

export interface FakeLetter {
  readonly id: string
  readonly kind: string
  readonly forsendelse: Record<string, unknown>
  readonly files: FakePart[]
  status: string
  changedAt: string
  hendelser: { tidspunkt: string; hendelse: string }[]
  signeringshendelser: { tidspunkt: string; hendelse: string; status: string }[]
  deleted?: string
  readBy?: unknown
}

export type Fault =
  | { readonly kind: 'accept-then-drop' }
  | { readonly kind: 'reset-mid-upload'; readonly afterBytes: number }
  | {
      readonly kind: 'status'
      readonly status: number
      readonly retryAfter?: string
      readonly body?: unknown
    }
  | { readonly kind: 'accept-then-500' }
  | { readonly kind: 'stall' }

export interface RequestLog {
  readonly method: string
  readonly path: string
  readonly headers: IncomingMessage['headers']
}

export interface FakeSvarUt {
  readonly url: string
  readonly api: string
  readonly kontoId: string
  readonly integrationId: string
  readonly integrationPassword: string
  readonly token: string
  readonly certificate: string
  readonly privateKey: string
  readonly letters: Map<string, FakeLetter>
  readonly requests: RequestLog[]
  /** Faults applied, in order, to the next matching requests (by operation prefix). */
  readonly faults: { readonly match: string; readonly fault: Fault }[]
  /** SvarInn items offered to receivers. */
  readonly svarinn: Map<
    string,
    { meta: Record<string, unknown>; blob: Buffer; state?: string; feil?: unknown }
  >
  close(): Promise<void>
}

function parseMultipart(body: Buffer, contentType: string): FakePart[] {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1]
  if (!boundary) throw new Error('no boundary')
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: FakePart[] = []
  let pos = body.indexOf(delimiter)
  while (pos >= 0) {
    pos += delimiter.length
    if (body.subarray(pos, pos + 2).toString() === '--') break
    pos += 2 // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', pos)
    const headers = body.subarray(pos, headerEnd).toString('utf8')
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4)
    const content = body.subarray(headerEnd + 4, next)
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    parts.push({
      name: /name="([^"]*)"/.exec(disposition)?.[1] ?? '',
      filename: /filename="([^"]*)"/.exec(disposition)?.[1],
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1],
      body: Buffer.from(content),
    })
    pos = next + 2
  }
  return parts
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

function fiksError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(
    JSON.stringify({
      timestamp: Date.now(),
      status,
      error: 'Error',
      errorId: randomUUID(),
      path: '/',
      originalPath: '/',
      message,
      errorCode: 'SVARUT-0001',
      errorJson: { detail: message },
    }),
  )
}

async function readBody(req: IncomingMessage, cutAfter?: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    chunks.push(chunk as Buffer)
    total += (chunk as Buffer).length
    if (cutAfter !== undefined && total >= cutAfter) return undefined
  }
  return Buffer.concat(chunks)
}

let sharedKeys: ReturnType<typeof createSelfSignedCertificate> | undefined

export async function startFakeSvarUt(): Promise<FakeSvarUt> {
  sharedKeys ??= createSelfSignedCertificate({ commonName: 'fake-svarut' })
  const keys = sharedKeys
  const letters = new Map<string, FakeLetter>()
  const svarinn = new Map<
    string,
    { meta: Record<string, unknown>; blob: Buffer; state?: string; feil?: unknown }
  >()
  const requests: RequestLog[] = []
  const faults: { match: string; fault: Fault }[] = []
  const kontoId = randomUUID()
  const token = `token-${randomUUID()}`
  const integrationId = randomUUID()
  const integrationPassword = `pw-${randomUUID()}`
  let url = ''

  const takeFault = (op: string): Fault | undefined => {
    const i = faults.findIndex((f) => op.startsWith(f.match))
    if (i < 0) return undefined
    return faults.splice(i, 1)[0]?.fault
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const u = new URL(req.url ?? '/', url)
    const path = u.pathname
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers })
    if (path === '/forsendelse/publickey/hent') {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(keys.certificate)
      return
    }
    const svarinnPath = path.startsWith('/tjenester/svarinn') || path.startsWith('/svarinn')
    if (svarinnPath) {
      if (req.headers.authorization !== `Bearer ${token}`) return fiksError(res, 401, 'unauthorized')
    } else if (
      req.headers.authorization !== `Bearer ${token}` ||
      req.headers.integrasjonid !== integrationId ||
      req.headers.integrasjonpassord !== integrationPassword
    ) {
      return fiksError(res, 401, 'unauthorized')
    }
    const op = `${req.method} ${path}`
    let m = /^\/api\/v3\/kontoer\/([^/]+)\/forsendelser\/(person|organisasjon|nhn|print)$/.exec(path)
    if (req.method === 'POST' && m) {
      if (m[1] !== kontoId) return fiksError(res, 403, 'no access to konto')
      const fault = takeFault('send')
      if (fault?.kind === 'reset-mid-upload') {
        const socket = req.socket
        await readBody(req, fault.afterBytes)
        socket.destroy()
        return
      }
      if (fault?.kind === 'stall') {
        await readBody(req)
        return
      }
      if (fault?.kind === 'status') {
        await readBody(req)
        return fiksError(
          res,
          fault.status,
          'fault',
          fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
        )
      }
      const body = (await readBody(req)) as Buffer
      const parts = parseMultipart(body, req.headers['content-type'] ?? '')
      const first = parts[0]
      if (first?.name !== 'forsendelse') return fiksError(res, 400, 'first part must be forsendelse')
      const forsendelse = JSON.parse(first.body.toString('utf8')) as Record<string, unknown>
      const files = parts.slice(1)
      const docs = (forsendelse.dokumenter as { filnavn: string }[] | undefined) ?? []
      if (m[2] !== 'nhn' && docs.map((d) => d.filnavn).join('/') !== files.map((f) => f.filename).join('/')) {
        return fiksError(res, 400, 'file parts do not follow dokumenter order')
      }
      if (forsendelse.kryptert === true) {
        for (const f of files) {
          try {
            await decryptBuffer(f.body, { privateKey: keys.privateKey })
          } catch {
            return fiksError(res, 400, 'a file did not decrypt')
          }
        }
      }
      const id = randomUUID()
      const now = new Date().toISOString()
      letters.set(id, {
        id,
        kind: m[2] as string,
        forsendelse,
        files,
        status: 'MOTTATT',
        changedAt: now,
        hendelser: [{ tidspunkt: now, hendelse: 'Mottatt' }],
        signeringshendelser: [],
      })
      if (fault?.kind === 'accept-then-drop') {
        res.socket?.destroy()
        return
      }
      if (fault?.kind === 'accept-then-500') return fiksError(res, 500, 'internal')
      return json(res, 200, { id })
    }
    m = /^\/api\/v3\/kontoer\/([^/]+)\/forsendelser\/status\/sok$/.exec(path)
    if (req.method === 'POST' && m) {
      const fault = takeFault('status')
      if (fault?.kind === 'status') return fiksError(res, fault.status, 'fault')
      const { id } = JSON.parse(((await readBody(req)) as Buffer).toString()) as { id: string[] }
      const statuser = id
        .map((i) => letters.get(i))
        .filter((l): l is FakeLetter => l !== undefined)
        .map((l) => ({ id: l.id, sisteStatusEndring: l.changedAt, status: l.status }))
      return json(res, 200, { statuser })
    }
    m = /^\/api\/v2\/kontoer\/([^/]+)\/forsendelser$/.exec(path)
    if (req.method === 'GET' && m) {
      const fault = takeFault('lookup')
      if (fault?.kind === 'status') return fiksError(res, fault.status, 'fault')
      const ref = u.searchParams.get('eksternRef')
      const ids = [...letters.values()].filter((l) => l.forsendelse.eksternReferanse === ref).map((l) => l.id)
      return json(res, 200, { forsendelseIds: ids })
    }
    m = /^\/api\/v2\/forsendelser\/([^/]+)\/(hendelser|signeringshendelser|metadata|lest|dokumenter)$/.exec(
      path,
    )
    if (m) {
      const letter = letters.get(m[1] as string)
      if (!letter) return fiksError(res, 404, 'no such forsendelse')
      switch (`${req.method} ${m[2]}`) {
        case 'GET hendelser':
          return json(res, 200, { hendelser: letter.hendelser })
        case 'GET signeringshendelser':
          return json(res, 200, { hendelser: letter.signeringshendelser })
        case 'GET metadata':
          return json(res, 200, {
            dokumenter: letter.files.map((f, i) => ({
              filnavn: f.filename,
              mimeType: f.contentType,
              dokumentType: '',
              storrelse: f.body.length,
              sha256Hash: createHash('sha256').update(f.body).digest('hex'),
              nedlasningUrl: `${url}/forsendelse/${letter.id}/${i + 1}`,
              kanSigneres: false,
            })),
          })
        case 'POST lest':
          letter.readBy = JSON.parse(((await readBody(req)) as Buffer).toString())
          letter.status = 'LEST'
          res.writeHead(204).end()
          return
        case 'DELETE dokumenter':
          letter.deleted = u.searchParams.get('slettetype') ?? ''
          res.writeHead(204).end()
          return
      }
    }
    if (req.method === 'GET' && path === '/api/v2/forsendelsestyper') {
      return json(res, 200, { forsendelsestyper: ['Byggesøknad', 'Faktura'] })
    }
    if (req.method === 'GET' && path === '/api/v2/mottakersystem') {
      return json(res, 200, {
        mottakersystemer: [
          {
            id: 'sys-1',
            navn: 'Sak/arkiv',
            organisasjonsnummer: u.searchParams.get('organisasjonsnummer'),
            forsendelseType: u.searchParams.get('forsendelseType') ?? 'Byggesøknad',
            niva: Number(u.searchParams.get('niva') ?? 3),
          },
        ],
      })
    }
    // SvarInn v2
    if (req.method === 'GET' && path === '/tjenester/svarinn/v2/forsendelser') {
      return json(
        res,
        200,
        [...svarinn.values()].filter((s) => s.state === undefined).map((s) => s.meta),
      )
    }
    m = /^\/tjenester\/svarinn\/v2\/forsendelser\/([^/]+)(\/status)?$/.exec(path)
    if (m) {
      const item = svarinn.get(m[1] as string)
      if (!item) return fiksError(res, 404, 'no such forsendelse')
      if (req.method === 'GET' && !m[2]) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        res.end(item.blob)
        return
      }
      if (req.method === 'PATCH' && m[2]) {
        const body = JSON.parse(((await readBody(req)) as Buffer).toString()) as {
          status: string
          feil?: unknown
        }
        item.state = body.status
        item.feil = body.feil
        res.writeHead(204).end()
        return
      }
    }
    // SvarInn v1
    if (req.method === 'GET' && path === '/tjenester/svarinn/mottaker/hentNyeForsendelser') {
      return json(
        res,
        200,
        [...svarinn.values()].filter((s) => s.state === undefined).map((s) => s.meta),
      )
    }
    m = /^\/tjenester\/svarinn\/forsendelse\/([^/]+)$/.exec(path)
    if (req.method === 'GET' && m) {
      const item = svarinn.get(m[1] as string)
      if (!item) return fiksError(res, 404, 'no such forsendelse')
      res.writeHead(200, { 'content-type': 'application/octet-stream' })
      res.end(item.blob)
      return
    }
    m = /^\/tjenester\/svarinn\/(kvitterMottak|mottakFeilet)\/forsendelse\/([^/]+)$/.exec(path)
    if (req.method === 'POST' && m) {
      const item = svarinn.get(m[2] as string)
      if (!item) return fiksError(res, 404, 'no such forsendelse')
      const body = await readBody(req)
      item.state = m[1] === 'kvitterMottak' ? 'MOTTATT' : 'FEILET'
      if (body && body.length > 0) item.feil = JSON.parse(body.toString())
      res.writeHead(200).end()
      return
    }
    return fiksError(res, 404, `no route ${op}`)
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) fiksError(res, 500, String(error))
      else res.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    api: `${url}/api`,
    kontoId,
    integrationId,
    integrationPassword,
    token,
    certificate: keys.certificate,
    privateKey: keys.privateKey,
    letters,
    requests,
    faults,
    svarinn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
