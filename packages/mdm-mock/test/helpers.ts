import { createSign } from 'node:crypto'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MdmMock } from '../src/index.js'

/** ../shared/specs/mdm relative to the repository root (or FELLES_SHARED_DIR). */
export const specsDir: string = process.env.FELLES_SHARED_DIR
  ? resolve(process.env.FELLES_SHARED_DIR, 'specs/mdm')
  : resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/specs/mdm')

/** Whether the vendor descriptions are available. */
export const haveSpecs: boolean = existsSync(specsDir)

/** Title of a spec-dependent suite: says why it is skipped when the specs are absent. */
export function specTitle(title: string): string {
  return haveSpecs ? title : `${title} — skipped: ${specsDir} not found (set FELLES_SHARED_DIR)`
}

/** A fixed start for manual clocks. */
export const START = '2025-03-03T08:00:00Z'

export async function graphToken(mock: MdmMock, readOnly = false): Promise<string> {
  const c = readOnly ? mock.credentials.graphReadOnly : mock.credentials.graph
  const res = await fetch(mock.urls.tokenEndpoints.graph, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
      scope: c.scope,
    }),
  })
  if (res.status !== 200) throw new Error(`graph token ${res.status}`)
  return ((await res.json()) as { access_token: string }).access_token
}

export async function jamfProToken(mock: MdmMock, readOnly = false): Promise<string> {
  const c = readOnly ? mock.credentials.jamfProReadOnly : mock.credentials.jamfPro
  const res = await fetch(mock.urls.tokenEndpoints.jamfPro, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: c.clientId,
      client_secret: c.clientSecret,
    }),
  })
  if (res.status !== 200) throw new Error(`jamf pro token ${res.status}`)
  return ((await res.json()) as { access_token: string }).access_token
}

export function jamfSchoolHeaders(mock: MdmMock, readOnly = false): Record<string, string> {
  const c = readOnly ? mock.credentials.jamfSchoolReadOnly : mock.credentials.jamfSchool
  return {
    Authorization: `Basic ${Buffer.from(`${c.networkId}:${c.apiKey}`).toString('base64')}`,
    'X-Server-Protocol-Version': c.protocolVersion,
  }
}

export function googleAssertion(
  mock: MdmMock,
  claims: Partial<Record<'iss' | 'sub' | 'scope' | 'aud' | 'iat' | 'exp', string | number>> = {},
  key: string = mock.credentials.google.serviceAccountKey.private_key,
): string {
  const sa = mock.credentials.google.serviceAccountKey
  const iat = Math.floor(mock.clock.now() / 1000)
  const header = { alg: 'RS256', typ: 'JWT', kid: sa.private_key_id }
  const body = {
    iss: sa.client_email,
    sub: mock.credentials.google.adminEmail,
    scope: mock.credentials.google.scopes.join(' '),
    aud: sa.token_uri,
    iat,
    exp: iat + 3600,
    ...claims,
  }
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')
  const input = `${enc(header)}.${enc(body)}`
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url')
  return `${input}.${signature}`
}

export async function googleToken(
  mock: MdmMock,
  claims: Parameters<typeof googleAssertion>[1] = {},
): Promise<string> {
  const res = await fetch(mock.urls.tokenEndpoints.google, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: googleAssertion(mock, claims),
    }),
  })
  if (res.status !== 200) throw new Error(`google token ${res.status} ${await res.text()}`)
  return ((await res.json()) as { access_token: string }).access_token
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, { headers })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers }
}

export async function send<T = Record<string, unknown>>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = text
  }
  return { status: res.status, body: parsed as T, headers: res.headers }
}
