import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv, type ValidateFunction } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import formatsModule from 'ajv-formats'
import { parse as parseYaml } from 'yaml'

const here = dirname(fileURLToPath(import.meta.url))
const addFormats = formatsModule.default

/** The shared specs folder beside the repository (`../shared/specs/case-status`). */
export const SPECS: string = join(here, '..', '..', '..', '..', '..', 'shared', 'specs', 'case-status')

/** Why a test is skipped when the shared specs are absent (as in a plain clone). */
export function specsMissing(folder: string): string | undefined {
  const path = join(SPECS, folder)
  return existsSync(path) ? undefined : `shared specs not found at ${path}: skipped`
}

/** Reads a JSON file, stripping a UTF-8 BOM first. */
export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''))
}

const DROP = new Set(['example', 'examples', 'discriminator', 'xml', 'externalDocs'])
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Turns an OpenAPI 3.0 schema object into JSON Schema that ajv validates
 * strictly: `nullable` becomes a `null` type (or an `anyOf` with null around a
 * `$ref`/`allOf`/`oneOf`), `x-*`, `example` and `discriminator` go, and
 * `#/components/schemas/X` refs become `#/definitions/X`.
 */
export function fromOpenApi(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(fromOpenApi)
  if (node === null || typeof node !== 'object') return node
  const source = node as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(source)) {
    if (key.startsWith('x-') || DROP.has(key) || key === 'nullable') continue
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', '#/definitions/')
      continue
    }
    out[key] = key === 'properties' || key === 'definitions' ? mapValues(value) : fromOpenApi(value)
  }
  if ('$ref' in out && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out
    for (const k of Object.keys(out)) delete out[k]
    Object.assign(out, rest, { allOf: [{ $ref }] })
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null']
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
      return out
    }
    return { anyOf: [{ type: 'null' }, out] }
  }
  return out
}

function mapValues(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, fromOpenApi(v)]),
  )
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    strictTypes: false,
    strictTuples: false,
    allErrors: true,
    logger: false,
  })
  addFormats(ajv)
  ajv.addFormat('guid', GUID)
  return ajv
}

/** Validators for the schemas of an OpenAPI document (components.schemas). */
export function openApiValidators(document: unknown): (name: string) => ValidateFunction {
  const schemas = (document as { components: { schemas: Record<string, unknown> } }).components.schemas
  const ajv = newAjv()
  ajv.addSchema({ $id: 'openapi', definitions: mapValues(schemas) }, 'openapi')
  const cache = new Map<string, ValidateFunction>()
  return (name) => {
    let fn = cache.get(name)
    if (!fn) {
      if (!(name in schemas)) throw new Error(`No schema ${name}`)
      fn = ajv.compile({ $ref: `openapi#/definitions/${name}` })
      cache.set(name, fn)
    }
    return fn
  }
}

/** The Dialogporten OpenAPI document from `@digdir/dialogporten-schema` (its file starts with a BOM). */
export function dialogportenDocument(): { version: string; document: unknown; hadBom: boolean } {
  const require = createRequire(import.meta.url)
  const pkgPath = require.resolve('@digdir/dialogporten-schema/package.json')
  const dir = dirname(pkgPath)
  const raw = readFileSync(join(dir, 'swagger.verified.json'), 'utf8')
  const version = (readJson(pkgPath) as { version: string }).version
  return { version, document: JSON.parse(raw.replace(/^\uFEFF/, '')), hadBom: raw.charCodeAt(0) === 0xfeff }
}

/** The ZGW Zaken API document, parsed from YAML. */
export function zgwDocument(): unknown {
  return parseYaml(readFileSync(join(SPECS, 'zgw', 'zaken-api.yaml'), 'utf8'))
}

const FIKS = 'https://api.fiks.ks.no/innsyn/schema/'

/**
 * The shared specs hold the Fiks Innsyn `mappe` schemas but not the small
 * schemas they reference (`../../types/*.json`, `../forelder.json`, …). These
 * are our own stand-ins, written from the names and the field descriptions:
 * conservative (a "not blank" string must contain a non-space character), so
 * validation is at least as strict as with the originals for what we emit.
 */
const FIKS_REFERENCED: readonly Record<string, unknown>[] = [
  { $id: `${FIKS}types/string.not.blank.json`, type: 'string', pattern: '\\S' },
  { $id: `${FIKS}types/string.nullable.json`, type: ['string', 'null'] },
  { $id: `${FIKS}types/string.nullable.not.blank.json`, type: ['string', 'null'], pattern: '\\S' },
  {
    $id: `${FIKS}types/int32.nullable.json`,
    type: ['integer', 'null'],
    minimum: -2147483648,
    maximum: 2147483647,
  },
  { $id: `${FIKS}types/int64.json`, type: 'integer' },
  { $id: `${FIKS}types/int64.nullable.json`, type: ['integer', 'null'] },
  { $id: `${FIKS}domain/adresse.v1.json`, type: ['object', 'null'] },
  {
    $id: `${FIKS}domain/forelder.json`,
    type: ['object', 'null'],
    required: ['meldingId', 'type'],
    properties: { meldingId: { type: 'string', format: 'uuid' }, type: { $ref: 'meldingtype.json' } },
  },
  { $id: `${FIKS}domain/korrelasjon.id.json`, type: ['string', 'null'] },
]

/** A draft 2019-09 validator for one of the Fiks Innsyn schemas in the shared specs. */
export function fiksInnsynValidator(file: string): ValidateFunction {
  const ajv = new Ajv2019({ strict: true, strictTypes: false, allErrors: true, logger: false })
  addFormats(ajv)
  const folder = join(SPECS, 'fiks-innsyn')
  for (const name of readdirSync(folder).filter((f) => f.endsWith('.json')))
    ajv.addSchema(readJson(join(folder, name)) as object)
  for (const schema of FIKS_REFERENCED) ajv.addSchema(schema)
  const id = (readJson(join(folder, file)) as { $id: string }).$id
  const fn = ajv.getSchema(id)
  if (!fn) throw new Error(`No schema ${id}`)
  return fn
}
