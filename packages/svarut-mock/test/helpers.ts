import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type SvarUtMock, type SvarUtMockOptions, startSvarUtMock } from '../src/index.js'

/** `../shared/specs/svarut` beside the repository root. */
export const SPECS_DIR: string = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/specs/svarut',
)
export const CMS_DIR: string = resolve(SPECS_DIR, '../svarut-cms')
export const HAVE_SPECS: boolean = existsSync(join(SPECS_DIR, 'forsendelse-send-api-v3.json'))

/** A minimal valid PDF body. */
export const PDF: Buffer = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
)

export interface Part {
  readonly name: string
  readonly filename?: string
  readonly contentType?: string
  readonly body: string | Uint8Array | AsyncIterable<Uint8Array>
}

/** A streamed multipart/form-data body. */
export function multipart(parts: readonly Part[]): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = `----felles${randomBytes(8).toString('hex')}`
  async function* gen(): AsyncGenerator<Uint8Array> {
    for (const p of parts) {
      let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`
      if (p.filename !== undefined) head += `; filename="${p.filename}"`
      head += '\r\n'
      if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`
      yield Buffer.from(`${head}\r\n`)
      if (typeof p.body === 'string') yield Buffer.from(p.body)
      else if (p.body instanceof Uint8Array) yield p.body
      else yield* p.body
      yield Buffer.from('\r\n')
    }
    yield Buffer.from(`--${boundary}--\r\n`)
  }
  const it = gen()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const r = await it.next()
      if (r.done) controller.close()
      else controller.enqueue(r.value)
    },
  })
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

export function authHeaders(
  mock: SvarUtMock,
  token: string = mock.credentials.token ?? '',
): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    integrasjonid: mock.credentials.integrasjonId,
    integrasjonpassord: mock.credentials.integrasjonPassord,
  }
}

export interface Doc {
  readonly filnavn: string
  readonly mimeType: string
  readonly body: string | Uint8Array | AsyncIterable<Uint8Array>
  readonly [key: string]: unknown
}

/** Sends a letter over HTTP; returns the response. */
export async function send(
  mock: SvarUtMock,
  kind: 'person' | 'organisasjon' | 'nhn' | 'print',
  forsendelse: Record<string, unknown>,
  docs: readonly Doc[],
  init: { headers?: Record<string, string>; kontoId?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const meta = docs.map(({ body: _b, ...rest }) => rest)
  const json = kind === 'nhn' ? forsendelse : { dokumenter: meta, ...forsendelse }
  const { body, contentType } = multipart([
    { name: 'forsendelse', contentType: 'application/json', body: JSON.stringify(json) },
    ...docs.map((d) => ({
      name: kind === 'nhn' ? 'dokument' : 'dokumenter',
      filename: d.filnavn,
      contentType: d.mimeType,
      body: d.body,
    })),
  ])
  const kontoId = init.kontoId ?? mock.credentials.kontoId
  return fetch(`${mock.apiUrl}/v3/kontoer/${kontoId}/forsendelser/${kind}`, {
    method: 'POST',
    headers: { ...authHeaders(mock), 'content-type': contentType, ...init.headers },
    body,
    duplex: 'half',
    ...(init.signal ? { signal: init.signal } : {}),
  } as RequestInit)
}

/** JSON request with auth headers. */
export async function call(
  mock: SvarUtMock,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${mock.url}${path}`, {
    method,
    headers: {
      ...authHeaders(mock),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

export async function statusOf(mock: SvarUtMock, id: string): Promise<string | undefined> {
  const res = await call(
    mock,
    'POST',
    `/api/v3/kontoer/${mock.credentials.kontoId}/forsendelser/status/sok`,
    { id: [id] },
  )
  const body = (await res.json()) as { statuser: { id: string; status: string }[] }
  return body.statuser.find((s) => s.id === id)?.status
}

export const adresse = { adresselinje1: 'Storgata 1', postnummer: '0155', poststed: 'Oslo' }

/** A fixed test key pair (test only, not a secret), so tests skip RSA key generation. */
export const TEST_KEY: { privateKeyPem: string; certificatePem: string } = {
  privateKeyPem: readFileSync(fileURLToPath(new URL('./fixtures/mock-key.pem', import.meta.url)), 'utf8'),
  certificatePem: readFileSync(fileURLToPath(new URL('./fixtures/mock-cert.pem', import.meta.url)), 'utf8'),
}

/** {@link startSvarUtMock} with {@link TEST_KEY}. */
export function startMock(options: SvarUtMockOptions = {}): Promise<SvarUtMock> {
  return startSvarUtMock({ key: TEST_KEY, ...options })
}
