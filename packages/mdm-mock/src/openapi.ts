import { readFileSync } from 'node:fs'
import type { JamfProValidator } from './vendors/jamf-pro.js'
import { JAMF_PRO_NEWER_COMMAND_TYPES } from './vendors/jamf-pro.js'

/** Options for {@link createJamfProValidator}. */
export interface JamfProValidatorOptions {
  /** Path of Jamf Pro's OpenAPI document (`jamf-pro-api-11.7.1.json`). */
  readonly specFile: string
  /**
   * Accept the command types newer than the document (lost mode off, location,
   * sound, clear passcode), which mdm.md lists and Jamf Pro 11.8+ has. Default true.
   */
  readonly allowNewerCommandTypes?: boolean
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type Schema = { [k: string]: Json }
interface Operation {
  readonly pattern: RegExp
  readonly method: string
  readonly requestSchema?: string
  readonly responses: ReadonlyMap<string, string>
  readonly queryInts: readonly string[]
  readonly wildcards: number
}

// Turns OpenAPI 3.0 discriminators (whose mappings here point at other files)
// into if/then branches keyed on the discriminator value, so Ajv can check
// them without the external documents.
function rewrite(node: Json, allow: readonly string[]): Json {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, allow))
  if (!node || typeof node !== 'object') return node
  const out: Schema = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === 'discriminator' || k === 'example' || k === 'examples') continue
    out[k] = rewrite(v, allow)
  }
  const disc = (node as Schema).discriminator as Schema | undefined
  if (disc && Array.isArray(out.oneOf)) {
    const prop = String(disc.propertyName)
    const mapping = (disc.mapping ?? {}) as Record<string, string>
    // JSON Schema's if/then; built as entries because a literal `then` key reads like a thenable.
    const branches = Object.entries(mapping).map(([value, ref]) =>
      Object.fromEntries([
        ['if', { properties: { [prop]: { const: value } }, required: [prop] }],
        ['then', { $ref: `#/components/schemas/${ref.split('/').pop()}` }],
      ]),
    )
    const known = Object.keys(mapping).concat(allow)
    delete out.oneOf
    out.allOf = [
      ...((out.allOf as Json[]) ?? []),
      { required: [prop], properties: { [prop]: { enum: known } } },
      ...branches,
    ]
  }
  return out
}

/**
 * Builds a validator that checks Jamf Pro requests and responses against
 * Jamf's OpenAPI document, for `startMdmMock({ jamfPro: { validator } })`.
 * Needs the optional peer dependency `ajv`.
 *
 * @param options - where the OpenAPI document is
 * @returns the validator
 * @throws {Error} when the document cannot be read or `ajv` is not installed
 * @example
 * ```ts
 * const validator = await createJamfProValidator({ specFile: '../shared/specs/mdm/jamf-pro/jamf-pro-api-11.7.1.json' })
 * const mock = await startMdmMock({ jamfPro: { validator } })
 * ```
 * @see https://developer.jamf.com/jamf-pro/reference
 */
export async function createJamfProValidator(options: JamfProValidatorOptions): Promise<JamfProValidator> {
  const allow = options.allowNewerCommandTypes === false ? [] : JAMF_PRO_NEWER_COMMAND_TYPES
  const doc = JSON.parse(readFileSync(options.specFile, 'utf8')) as Schema
  const components = doc.components as Schema
  const schemas = rewrite(components.schemas as Json, allow) as Schema
  const commandType = schemas.MdmCommandType as Schema | undefined
  if (commandType && Array.isArray(commandType.enum)) commandType.enum = [...commandType.enum, ...allow]
  const { Ajv } = (await import('ajv')) as unknown as { Ajv: new (o: object) => AjvLike }
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    logger: false,
    validateFormats: true,
    formats: {
      'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
      date: /^\d{4}-\d{2}-\d{2}$/,
      int32: true,
      int64: true,
      password: true,
      uri: true,
      email: true,
      uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      binary: true,
      byte: true,
      double: true,
      float: true,
    },
  })
  ajv.addSchema({ $id: 'jamf', components: { schemas } })

  const operations: Operation[] = []
  const paths = doc.paths as Record<string, Record<string, Schema>>
  for (const [template, item] of Object.entries(paths)) {
    const source = template
      .split('/')
      .map((seg) => (/^\{.+\}$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
      .join('/')
    const pattern = new RegExp(`^${source}$`)
    const wildcards = (source.match(/\[\^\/\]\+/g) ?? []).length
    for (const [method, op] of Object.entries(item)) {
      if (!op || typeof op !== 'object' || !('responses' in op)) continue
      const refOf = (content: Json | undefined): string | undefined => {
        const schema = (content as Schema | undefined)?.['application/json'] as Schema | undefined
        const s = schema?.schema as Schema | undefined
        if (!s) return undefined
        return JSON.stringify(s)
      }
      const responses = new Map<string, string>()
      for (const [status, r] of Object.entries(op.responses as Record<string, Schema>)) {
        const ref = refOf(r.content)
        if (ref) responses.set(status, ref)
      }
      const requestBody = op.requestBody as Schema | undefined
      const requestSchema = refOf(requestBody?.content)
      const params = (op.parameters ?? []) as Schema[]
      const queryInts = params
        .map((p) =>
          p.$ref ? ((components.parameters as Schema)[String(p.$ref).split('/').pop()!] as Schema) : p,
        )
        .filter((p) => p.in === 'query' && (p.schema as Schema | undefined)?.type === 'integer')
        .map((p) => String(p.name))
      operations.push({
        pattern,
        method: method.toUpperCase(),
        ...(requestSchema ? { requestSchema } : {}),
        responses,
        queryInts,
        wildcards,
      })
    }
  }
  const compiled = new Map<string, ValidateFn>()
  const compile = (schemaJson: string): ValidateFn => {
    let fn = compiled.get(schemaJson)
    if (!fn) {
      const schema = rewrite(JSON.parse(schemaJson) as Json, allow) as Schema
      const fixed = JSON.parse(
        JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"jamf#/components/schemas/'),
      )
      fn = ajv.compile(fixed)
      compiled.set(schemaJson, fn)
    }
    return fn
  }
  const describe = (fn: ValidateFn): string[] =>
    (fn.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)

  return (exchange) => {
    const ops = operations.filter((o) => o.method === exchange.method && o.pattern.test(exchange.path))
    // Prefer literal paths (`/v2/mobile-devices/detail`) over templates (`/v2/mobile-devices/{id}`).
    const op = ops.sort((a, b) => a.wildcards - b.wildcards)[0]
    if (!op)
      return exchange.phase === 'request'
        ? [`no operation ${exchange.method} ${exchange.path} in the OpenAPI document`]
        : []
    if (exchange.phase === 'request') {
      const problems: string[] = []
      for (const name of op.queryInts) {
        const v = exchange.query.get(name)
        if (v !== null && !/^-?\d+$/.test(v)) problems.push(`query ${name} must be an integer`)
      }
      if (op.requestSchema && exchange.body !== undefined) {
        const fn = compile(op.requestSchema)
        if (!fn(exchange.body)) problems.push(...describe(fn))
      }
      return problems
    }
    const status = String(exchange.status ?? 200)
    const schema =
      op.responses.get(status) ?? op.responses.get(`${status[0]}XX`) ?? op.responses.get('default')
    if (!schema) return []
    const fn = compile(schema)
    return fn(exchange.body) ? [] : describe(fn)
  }
}

interface ValidateFn {
  (data: unknown): boolean
  errors?: { instancePath: string; message?: string }[] | null
}
interface AjvLike {
  addSchema(schema: object): unknown
  compile(schema: object): ValidateFn
}
