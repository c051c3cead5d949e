import type { z } from 'zod'
import type { ApplyOptions } from './apply.js'
import { checkValueBounds, type InputLimits, LIMITS, scanJsonText } from './limits.js'
import type { Checked } from './rules.js'
import { Case, CaseType, StatusEvent } from './schemas.js'
import { CaseValidationError, fromZodError, limitError } from './validation-error.js'
import { verifyCase } from './verify.js'

/** Options for {@link parseCase}. */
export interface ParseOptions extends ApplyOptions {
  /** Tighter (or looser) input limits than {@link LIMITS}. */
  readonly limits?: Partial<InputLimits> | undefined
}

/** What the parse functions return. */
export type ParseResult<T> = Checked<T, CaseValidationError>

function bounded(input: unknown, limits: InputLimits): ParseResult<unknown> {
  let value = input
  if (typeof input === 'string') {
    const violation = scanJsonText(input, limits)
    if (violation) return { ok: false, error: limitError(violation) }
    try {
      value = JSON.parse(input)
    } catch {
      return { ok: false, error: limitError('not-json') }
    }
  }
  const violation = checkValueBounds(value, limits)
  if (violation) return { ok: false, error: limitError(violation) }
  return { ok: true, value }
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, limits: InputLimits): ParseResult<T> {
  const checked = bounded(input, limits)
  if (!checked.ok) return checked
  const parsed = schema.safeParse(checked.value)
  if (!parsed.success) return { ok: false, error: fromZodError(parsed.error) }
  return { ok: true, value: parsed.data }
}

/**
 * Parses untrusted input into a {@link Case}: a JSON text or an already
 * parsed value. In order: size, depth and count limits (before any schema
 * walks the input, so hostile input is refused in bounded time), the zod
 * schema, then every invariant ({@link verifyCase}: the stored state must be
 * what the events produce). Never throws; error messages never echo values.
 *
 * @param input - JSON text or a value.
 * @param options - The case type (recommended) and limits.
 * @returns The case, or a {@link CaseValidationError}.
 * @see https://github.com/felles-kommune/felles/tree/main/packages/case-status#untrusted-input
 * @example
 * ```ts
 * const parsed = parseCase(request.body, { caseType: byggesak })
 * if (!parsed.ok) return reply(400, parsed.error.issues)
 * ```
 */
export function parseCase(input: unknown, options?: ParseOptions): ParseResult<Case> {
  const limits = { ...LIMITS, ...options?.limits }
  const parsed = parseWith(Case, input, limits)
  if (!parsed.ok) return parsed
  const broken = verifyCase(parsed.value, options)
  if (broken) {
    const index =
      broken.eventId === undefined ? -1 : parsed.value.events.findIndex((e) => e.id === broken.eventId)
    return {
      ok: false,
      error: new CaseValidationError('invariant', [
        { path: index >= 0 ? ['events', index] : [], message: broken.message, rule: broken.rule },
      ]),
    }
  }
  return parsed
}

/**
 * Like {@link parseCase}, but throws.
 *
 * @param input - JSON text or a value.
 * @param options - As for {@link parseCase}.
 * @returns The case.
 * @throws CaseValidationError when the input is not a valid case.
 * @example
 * ```ts
 * const sak = parseCaseOrThrow(text, { caseType: byggesak })
 * ```
 */
export function parseCaseOrThrow(input: unknown, options?: ParseOptions): Case {
  const result = parseCase(input, options)
  if (!result.ok) throw result.error
  return result.value
}

/**
 * Serialises a case to JSON. `parseCase(serializeCase(x))` gives back a case
 * equal to `x`.
 *
 * @param value - The case.
 * @returns JSON text.
 * @example
 * ```ts
 * await store.put(sak.id, serializeCase(sak))
 * ```
 */
export function serializeCase(value: Case): string {
  return JSON.stringify(value)
}

/**
 * Parses an untrusted event (limits first, then the schema).
 *
 * @param input - JSON text or a value.
 * @param options - Limits.
 * @returns The event, or a {@link CaseValidationError}.
 * @example
 * ```ts
 * const event = parseEvent(body)
 * if (event.ok) applyEvent(sak, event.value, { caseType: byggesak })
 * ```
 */
export function parseEvent(input: unknown, options?: Pick<ParseOptions, 'limits'>): ParseResult<StatusEvent> {
  return parseWith(StatusEvent, input, { ...LIMITS, ...options?.limits })
}

/**
 * Parses an untrusted case type (limits first, then the schema and its rules).
 *
 * @param input - JSON text or a value.
 * @param options - Limits.
 * @returns The case type, or a {@link CaseValidationError}.
 * @example
 * ```ts
 * const type = parseCaseType(await readFile('byggesak.json', 'utf8'))
 * ```
 */
export function parseCaseType(input: unknown, options?: Pick<ParseOptions, 'limits'>): ParseResult<CaseType> {
  return parseWith(CaseType, input, { ...LIMITS, ...options?.limits })
}
