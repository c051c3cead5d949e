import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { BUILTIN_BODIES, BUILTIN_PARAMS } from './internal/builtin-schemas.js'
import { OPERATIONS, type OperationName, SPEC_LOCATIONS } from './operations.js'

/** One thing wrong with a request, named by field. */
export interface ValidationIssue {
  /** Dotted path of the field, e.g. `forsendelse.mottaker.navn` or `kontoId`. */
  readonly field: string
  /** What is wrong, without the value itself. */
  readonly message: string
}

/**
 * Checks requests before the mock acts on them. The mock ships two: one built
 * from the official OpenAPI documents ({@link loadSpecValidator}) and its own
 * schemas ({@link builtinValidator}); pass your own (for example one wrapping
 * the zod schemas of `@felles/svarut`) as `validator` in the options.
 */
export interface RequestValidator {
  /** Where the rules come from: `official`, `builtin`, or a name of your choosing. */
  readonly source: string
  /** Checks a JSON body (or the JSON part of a multipart send). */
  body(operation: OperationName, value: unknown): readonly ValidationIssue[]
  /** Checks path and query parameters, given as strings. */
  params(
    operation: OperationName,
    params: Readonly<Record<string, string | undefined>>,
  ): readonly ValidationIssue[]
}

/** A {@link RequestValidator} from the official documents, which can also check responses. */
export interface SpecValidator extends RequestValidator {
  readonly source: 'official'
  /** The folder the documents were read from. */
  readonly dir: string
  /**
   * Checks a response body against the documented schema for `status` (or
   * `default`). Returns no issues when the document describes no JSON body.
   */
  response(operation: OperationName, status: number, value: unknown): readonly ValidationIssue[]
}

type JsonObject = Record<string, unknown>

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateSchema: false,
    coerceTypes: coerce,
    useDefaults: false,
  })
  addFormats(ajv)
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  })
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) })
  ajv.addFormat('binary', true)
  ajv.addFormat('byte', true)
  return ajv
}

function fieldOf(prefix: string, error: ErrorObject): string {
  let path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '')
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty?: string }).missingProperty ?? ''
    path = path ? `${path}.${missing}` : missing
  }
  if (prefix) return path ? (path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`) : prefix
  return path || '(body)'
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is required'
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? []
    return `must be one of ${allowed.map((v) => String(v)).join(', ')}`
  }
  return error.message ?? 'is invalid'
}

function issuesOf(prefix: string, validate: ValidateFunction, value: unknown): ValidationIssue[] {
  if (validate(value)) return []
  const seen = new Set<string>()
  const out: ValidationIssue[] = []
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'if') continue
    const issue = { field: fieldOf(prefix, e), message: messageOf(e) }
    const key = `${issue.field}\u0000${issue.message}`
    if (!seen.has(key)) {
      seen.add(key)
      out.push(issue)
    }
  }
  return out
}

function bodyPrefix(operation: OperationName): string {
  return operation.startsWith('send.') ? 'forsendelse' : ''
}

interface Compiled {
  body?: ValidateFunction
  bodyRequired: boolean
  params?: ValidateFunction
  responses: Map<string, ValidateFunction>
}

/**
 * Loads the official SvarUt/SvarInn OpenAPI documents from `dir` and compiles
 * a validator per operation (ajv, formats `uuid` and `date-time` checked).
 *
 * @param dir - folder with `forsendelse-send-api-v3.json` and the others
 * @returns the validator
 * @throws {Error} when a document is missing or unreadable
 * @example
 * ```ts
 * const validator = loadSpecValidator('../shared/specs/svarut')
 * validator.body('send.person', { tittel: 'x' }) // [{ field: 'forsendelse.mottaker', message: 'is required' }]
 * ```
 * @see https://github.com/ks-no/fiks-svarut-specs
 */
export function loadSpecValidator(dir: string): SpecValidator {
  const bodies = createAjv(false)
  const params = createAjv(true)
  const docs = new Map<string, JsonObject>()
  const load = (file: string): JsonObject => {
    let doc = docs.get(file)
    if (!doc) {
      doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject
      docs.set(file, doc)
    }
    return doc
  }
  const compiled = new Map<OperationName, Compiled>()
  for (const operation of OPERATIONS) {
    const loc = SPEC_LOCATIONS[operation]
    if (!loc) continue
    const doc = load(loc.file)
    const components = doc.components
    const op = ((doc.paths as JsonObject | undefined)?.[loc.path] as JsonObject | undefined)?.[loc.method] as
      | JsonObject
      | undefined
    if (!op) throw new Error(`${loc.file} does not describe ${loc.method.toUpperCase()} ${loc.path}`)
    const withComponents = (schema: unknown): JsonObject => ({ ...(schema as JsonObject), components })
    const entry: Compiled = { bodyRequired: false, responses: new Map() }
    const requestBody = op.requestBody as JsonObject | undefined
    if (requestBody) {
      const content = (requestBody.content ?? {}) as Record<string, { schema?: JsonObject }>
      entry.bodyRequired = requestBody.required === true
      let schema: unknown
      if (loc.jsonPart) {
        schema = (content['multipart/form-data']?.schema?.properties as JsonObject | undefined)?.[
          loc.jsonPart
        ]
        entry.bodyRequired = true
      } else schema = Object.values(content)[0]?.schema
      if (schema) entry.body = bodies.compile(withComponents(schema))
    }
    const parameters = (op.parameters ?? []) as Array<{
      name: string
      in: string
      required?: boolean
      schema?: unknown
    }>
    if (parameters.length) {
      const properties: JsonObject = {}
      const required: string[] = []
      for (const p of parameters) {
        if (p.in !== 'path' && p.in !== 'query') continue
        properties[p.name] = p.schema ?? {}
        if (p.required || p.in === 'path') required.push(p.name)
      }
      entry.params = params.compile(withComponents({ type: 'object', properties, required }))
    }
    for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, JsonObject>)) {
      const content = (response.content ?? {}) as Record<string, { schema?: JsonObject }>
      const json = Object.entries(content).find(([type]) => type.includes('json'))?.[1]?.schema
      if (json) entry.responses.set(status, bodies.compile(withComponents(json)))
    }
    compiled.set(operation, entry)
  }
  return {
    source: 'official',
    dir,
    body(operation, value) {
      const c = compiled.get(operation)
      if (!c?.body) return []
      if (value === undefined)
        return c.bodyRequired ? [{ field: bodyPrefix(operation) || '(body)', message: 'is required' }] : []
      return issuesOf(bodyPrefix(operation), c.body, value)
    },
    params(operation, values) {
      const c = compiled.get(operation)
      if (!c?.params) return []
      return issuesOf('', c.params, stripUndefined(values))
    },
    response(operation, status, value) {
      const c = compiled.get(operation)
      const v = c?.responses.get(String(status)) ?? (status >= 400 ? c?.responses.get('default') : undefined)
      const fallback = status < 400 ? c?.responses.get('default') : undefined
      const fn = v ?? fallback
      return fn ? issuesOf('', fn, value) : []
    },
  }
}

function stripUndefined(values: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v
  return out
}

/**
 * The mock's own schemas, for use when the official documents are not at hand
 * (outside the Felles repository). Same field rules as the SvarUt
 * documentation: lengths, patterns, enums, required fields.
 *
 * @returns the validator
 * @example
 * ```ts
 * const mock = await startSvarUtMock({ specs: false }) // uses builtinValidator()
 * ```
 */
export function builtinValidator(): RequestValidator {
  const bodies = createAjv(false)
  const params = createAjv(true)
  const bodyFns = new Map<OperationName, ValidateFunction>()
  const paramFns = new Map<OperationName, ValidateFunction>()
  for (const [op, schema] of Object.entries(BUILTIN_BODIES))
    bodyFns.set(op as OperationName, bodies.compile(schema))
  for (const [op, schema] of Object.entries(BUILTIN_PARAMS))
    paramFns.set(op as OperationName, params.compile(schema))
  return {
    source: 'builtin',
    body(operation, value) {
      const fn = bodyFns.get(operation)
      if (!fn) return []
      if (value === undefined) {
        const required = operation !== 'svarinn.v2.status'
        return required ? [{ field: bodyPrefix(operation) || '(body)', message: 'is required' }] : []
      }
      return issuesOf(bodyPrefix(operation), fn, value)
    },
    params(operation, values) {
      const fn = paramFns.get(operation)
      return fn ? issuesOf('', fn, stripUndefined(values)) : []
    },
  }
}

const SPEC_MARKER = 'forsendelse-send-api-v3.json'

/**
 * Looks for the official documents at `shared/specs/svarut` in the current
 * directory's ancestors and then in this package's ancestors (the layout of
 * a Felles checkout, where `../shared` sits beside the repository), or at
 * `$FELLES_SVARUT_SPECS`.
 *
 * @returns the folder, or `undefined` when not found
 * @example
 * ```ts
 * const dir = findSpecsDir() // '/work/shared/specs/svarut' inside a Felles checkout
 * ```
 */
export function findSpecsDir(): string | undefined {
  const env = process.env.FELLES_SVARUT_SPECS
  if (env && existsSync(join(env, SPEC_MARKER))) return resolve(env)
  const starts = [process.cwd(), dirname(fileURLToPath(import.meta.url))]
  for (const start of starts) {
    let dir = resolve(start)
    for (;;) {
      const candidate = join(dir, 'shared', 'specs', 'svarut')
      if (existsSync(join(candidate, SPEC_MARKER))) return candidate
      const parent = dirname(dir)
      if (parent === dir) break
      dir = parent
    }
  }
  return undefined
}

/** The part of a zod schema (or any schema with `safeParse`) that {@link schemaValidator} needs. */
export interface SafeParseSchema {
  safeParse(value: unknown):
    | { readonly success: true }
    | {
        readonly success: false
        readonly error: {
          readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]
        }
      }
}

/** Options for {@link schemaValidator}. */
export interface SchemaValidatorOptions {
  /** Reported as `mock.validation`; default `schemas`. */
  readonly name?: string
  /** Checks everything but the four send payloads; default {@link builtinValidator}. */
  readonly fallback?: RequestValidator
}

const SEND_OPERATIONS: Readonly<Record<string, 'person' | 'organisasjon' | 'nhn' | 'print'>> = {
  'send.person': 'person',
  'send.organisasjon': 'organisasjon',
  'send.nhn': 'nhn',
  'send.print': 'print',
}

/**
 * Builds a validator from schemas with `safeParse` (zod), one per send kind:
 * the way to check sends with the zod schemas of `@felles/svarut`
 * (`FORSENDELSE_SCHEMAS`) when the official documents are absent. The mock
 * does not depend on `@felles/svarut` (that package's tests use this mock, and
 * a dependency both ways is a cycle the build refuses), so the schemas are
 * passed in.
 *
 * @param schemas - a schema per send kind (`person`, `organisasjon`, `nhn`, `print`)
 * @param options - name and the validator for the other operations
 * @returns the validator
 * @example
 * ```ts
 * import { FORSENDELSE_SCHEMAS } from '@felles/svarut'
 * const mock = await startSvarUtMock({ validator: schemaValidator(FORSENDELSE_SCHEMAS, { name: 'zod' }) })
 * ```
 */
export function schemaValidator(
  schemas: Readonly<Partial<Record<'person' | 'organisasjon' | 'nhn' | 'print', SafeParseSchema>>>,
  options: SchemaValidatorOptions = {},
): RequestValidator {
  const fallback = options.fallback ?? builtinValidator()
  return {
    source: options.name ?? 'schemas',
    body(operation, value) {
      const kind = SEND_OPERATIONS[operation]
      const schema = kind ? schemas[kind] : undefined
      if (!schema) return fallback.body(operation, value)
      if (value === undefined) return [{ field: 'forsendelse', message: 'is required' }]
      const result = schema.safeParse(value)
      if (result.success) return []
      return result.error.issues.map((issue) => ({
        field: issue.path.reduce<string>(
          (acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : `${acc}.${String(seg)}`),
          'forsendelse',
        ),
        message: issue.message,
      }))
    },
    params: (operation, values) => fallback.params(operation, values),
  }
}
