import { html as honoHtml, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** Escaped HTML: the result of the {@link html} tag. */
export type SafeHtml = HtmlEscapedString

/**
 * The HTML tag of the kit: every interpolated value is escaped unless it is
 * itself `SafeHtml`; arrays are joined; `undefined`, `null` and booleans
 * render nothing. Synchronous only (no promises inside).
 *
 * @example
 * ```ts
 * const row = html`<li>${name}</li>` // name is escaped
 * const list = html`<ul>${names.map((n) => html`<li>${n}</li>`)}</ul>`
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  const out = honoHtml(strings, ...values)
  if (out instanceof Promise) throw new TypeError('html: promises are not supported inside templates')
  return out
}

/**
 * Marks a string as already-safe HTML. Only for markup the app itself wrote;
 * never for anything that came from a request or the database.
 */
export const trusted: (value: string) => SafeHtml = (value) => raw(value)
