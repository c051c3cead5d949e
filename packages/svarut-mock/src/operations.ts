/**
 * Every operation the mock answers, named after what it does. Used to aim
 * faults at operations and in the request log.
 */
export const OPERATIONS = [
  'send.person',
  'send.organisasjon',
  'send.nhn',
  'send.print',
  'status.sok',
  'hendelser',
  'signeringshendelser',
  'metadata',
  'eksternref',
  'eksternref.metadata',
  'lest',
  'slett',
  'forsendelsestyper',
  'mottakersystem',
  'svarinn.v1.list',
  'svarinn.v1.download',
  'svarinn.v1.kvitter',
  'svarinn.v1.feilet',
  'svarinn.v2.list',
  'svarinn.v2.download',
  'svarinn.v2.status',
  'publickey',
] as const

/** One operation of the mock; see {@link OPERATIONS}. */
export type OperationName = (typeof OPERATIONS)[number]

/** An operation, or a group: `send` (all four sends), `v2`, `svarinn` or `all`. */
export type OperationMatcher = OperationName | 'send' | 'v2' | 'svarinn' | 'all'

const V2: ReadonlySet<string> = new Set([
  'hendelser',
  'signeringshendelser',
  'metadata',
  'eksternref',
  'eksternref.metadata',
  'lest',
  'slett',
  'forsendelsestyper',
  'mottakersystem',
])

/** Whether `operation` falls under `matcher`. */
export function matchesOperation(matcher: OperationMatcher, operation: OperationName): boolean {
  if (matcher === 'all') return true
  if (matcher === 'send') return operation.startsWith('send.')
  if (matcher === 'svarinn') return operation.startsWith('svarinn.')
  if (matcher === 'v2') return V2.has(operation)
  return matcher === operation
}

/** Where each operation lives in the official OpenAPI documents. */
export interface SpecLocation {
  readonly file: string
  readonly path: string
  readonly method: 'get' | 'post' | 'patch' | 'delete'
  /** Name of the multipart part holding the JSON metadata. */
  readonly jsonPart?: string
}

export const SPEC_LOCATIONS: Readonly<Partial<Record<OperationName, SpecLocation>>> = {
  'send.person': {
    file: 'forsendelse-send-api-v3.json',
    path: '/v3/kontoer/{kontoId}/forsendelser/person',
    method: 'post',
    jsonPart: 'forsendelse',
  },
  'send.organisasjon': {
    file: 'forsendelse-send-api-v3.json',
    path: '/v3/kontoer/{kontoId}/forsendelser/organisasjon',
    method: 'post',
    jsonPart: 'forsendelse',
  },
  'send.nhn': {
    file: 'forsendelse-send-api-v3.json',
    path: '/v3/kontoer/{kontoId}/forsendelser/nhn',
    method: 'post',
    jsonPart: 'forsendelse',
  },
  'send.print': {
    file: 'forsendelse-send-api-v3.json',
    path: '/v3/kontoer/{kontoId}/forsendelser/print',
    method: 'post',
    jsonPart: 'forsendelse',
  },
  'status.sok': {
    file: 'forsendelse-status-api-v3.json',
    path: '/v3/kontoer/{kontoId}/forsendelser/status/sok',
    method: 'post',
  },
  hendelser: {
    file: 'forsendelse-hendelser-api-v2.json',
    path: '/v2/forsendelser/{forsendelseId}/hendelser',
    method: 'get',
  },
  signeringshendelser: {
    file: 'forsendelse-hendelser-api-v2.json',
    path: '/v2/forsendelser/{forsendelseId}/signeringshendelser',
    method: 'get',
  },
  metadata: {
    file: 'forsendelse-metadata-api-v2.json',
    path: '/v2/forsendelser/{forsendelseId}/metadata',
    method: 'get',
  },
  eksternref: {
    file: 'forsendelse-eksternref-api-v2.json',
    path: '/v2/kontoer/{kontoId}/forsendelser',
    method: 'get',
  },
  'eksternref.metadata': {
    file: 'forsendelse-eksternref-api-v2.json',
    path: '/v2/kontoer/{kontoId}/forsendelser/metadata',
    method: 'get',
  },
  lest: {
    file: 'forsendelse-lest-api-v2.json',
    path: '/v2/forsendelser/{forsendelseId}/lest',
    method: 'post',
  },
  slett: {
    file: 'forsendelse-slett-api-v2.json',
    path: '/v2/forsendelser/{forsendelseId}/dokumenter',
    method: 'delete',
  },
  forsendelsestyper: { file: 'forsendelse-typer-api-v2.json', path: '/v2/forsendelsestyper', method: 'get' },
  mottakersystem: { file: 'mottakersystem-api-v2.json', path: '/v2/mottakersystem', method: 'get' },
  'svarinn.v1.list': {
    file: 'svarinn-api-v1.json',
    path: '/svarinn/mottaker/hentNyeForsendelser',
    method: 'get',
  },
  'svarinn.v1.download': {
    file: 'svarinn-api-v1.json',
    path: '/svarinn/forsendelse/{forsendelseId}',
    method: 'get',
  },
  'svarinn.v1.kvitter': {
    file: 'svarinn-api-v1.json',
    path: '/svarinn/kvitterMottak/forsendelse/{forsendelseId}',
    method: 'post',
  },
  'svarinn.v1.feilet': {
    file: 'svarinn-api-v1.json',
    path: '/svarinn/mottakFeilet/forsendelse/{forsendelseId}',
    method: 'post',
  },
  'svarinn.v2.list': { file: 'svarinn-api-v2.json', path: '/svarinn/v2/forsendelser', method: 'get' },
  'svarinn.v2.download': {
    file: 'svarinn-api-v2.json',
    path: '/svarinn/v2/forsendelser/{forsendelseId}',
    method: 'get',
  },
  'svarinn.v2.status': {
    file: 'svarinn-api-v2.json',
    path: '/svarinn/v2/forsendelser/{forsendelseId}/status',
    method: 'patch',
  },
}
