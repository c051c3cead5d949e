/** What a CSV cell can be made from. `null` and `undefined` give an empty cell. */
export type CsvValue = string | number | bigint | boolean | Date | null | undefined

/** A column: a header and either a key of the row or a function of it. */
export type CsvColumn<Row> =
  | { readonly header: string; readonly key: keyof Row & string }
  | { readonly header: string; readonly value: (row: Row) => CsvValue }

/** Options of {@link toCsv} and {@link toCsvStream}. */
export interface CsvOptions {
  /** Field separator. Default `','`; Excel with Norwegian regional settings expects `';'`. */
  readonly separator?: ',' | ';' | '\t' | undefined
  /** Start with a byte order mark (U+FEFF) so that Excel reads UTF-8. Default `false`. */
  readonly bom?: boolean | undefined
  /** Default `'\r\n'` (RFC 4180). */
  readonly lineEnding?: '\r\n' | '\n' | undefined
  /** Write the header row. Default `true`. */
  readonly header?: boolean | undefined
  /** Write numbers with a decimal comma (`1,5`), as Norwegian Excel reads them. Default `false`. */
  readonly decimalComma?: boolean | undefined
  /**
   * Defaults to start from: `'rfc4180'` (`,`, CRLF, no BOM) or `'excel-nb'`
   * (`;`, CRLF, BOM, decimal comma) for Excel in Norway. Options given
   * explicitly win over the preset.
   */
  readonly preset?: 'rfc4180' | 'excel-nb' | undefined
}

interface Resolved {
  readonly separator: string
  readonly bom: boolean
  readonly lineEnding: string
  readonly header: boolean
  readonly decimalComma: boolean
}

function resolve(options: CsvOptions = {}): Resolved {
  const excel = options.preset === 'excel-nb'
  const separator = options.separator ?? (excel ? ';' : ',')
  if (separator !== ',' && separator !== ';' && separator !== '\t') {
    throw new TypeError('CSV separator must be ",", ";" or a tab')
  }
  const lineEnding = options.lineEnding ?? '\r\n'
  if (lineEnding !== '\r\n' && lineEnding !== '\n')
    throw new TypeError('CSV lineEnding must be "\\r\\n" or "\\n"')
  return {
    separator,
    bom: options.bom ?? excel,
    lineEnding,
    header: options.header ?? true,
    decimalComma: options.decimalComma ?? excel,
  }
}

// A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and carriage
// return, strips it and then does): the OWASP "CSV injection" set.
const FORMULA_START = /^[=+\-@\t\r]/

function text(value: CsvValue, decimalComma: boolean): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return FORMULA_START.test(value) ? `'${value}` : value
  if (typeof value === 'number') {
    // A number is data, never a formula, so -5 stays -5; NaN and ±Infinity have no cell value.
    if (!Number.isFinite(value)) return ''
    return decimalComma ? String(value).replace('.', ',') : String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return Number.isNaN(value.getTime()) ? '' : value.toISOString()
}

function field(value: CsvValue, o: Resolved): string {
  const cell = text(value, o.decimalComma)
  const mustQuote =
    cell.includes(o.separator) || cell.includes('"') || cell.includes('\n') || cell.includes('\r')
  return mustQuote ? `"${cell.replaceAll('"', '""')}"` : cell
}

function cellOf<Row>(row: Row, column: CsvColumn<Row>): CsvValue {
  if ('value' in column) return column.value(row)
  const value = (row as Record<string, unknown>)[column.key]
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'undefined':
      return value
    default:
      if (value === null || value instanceof Date) return value
      throw new TypeError(
        `CSV column "${column.header}" holds a value that is not a string, number, boolean or Date`,
      )
  }
}

function checkColumns<Row>(columns: readonly CsvColumn<Row>[]): void {
  if (columns.length === 0) throw new TypeError('CSV needs at least one column')
}

function headerLine<Row>(columns: readonly CsvColumn<Row>[], o: Resolved): string {
  return columns.map((c) => field(c.header, o)).join(o.separator)
}

function rowLine<Row>(row: Row, columns: readonly CsvColumn<Row>[], o: Resolved): string {
  return columns.map((c) => field(cellOf(row, c), o)).join(o.separator)
}

/**
 * Writes rows as CSV (RFC 4180): fields with the separator, quotes or line
 * breaks are quoted, quotes doubled, records end in CRLF (also the last).
 * String cells that a spreadsheet would run as a formula (starting with `=`,
 * `+`, `-`, `@`, tab or carriage return) get a leading apostrophe; numbers
 * are written as numbers. Dates are written in ISO 8601 (UTC).
 *
 * @param rows - The rows, any iterable.
 * @param columns - Header and key or value function of each column, in order.
 * @param options - Separator, BOM, line ending, decimal comma, or the `'excel-nb'` preset.
 * @returns The CSV text (with U+FEFF first when `bom` is set); encode it as UTF-8.
 * @throws TypeError for no columns, an unknown separator, or a key holding an object.
 * @example
 * ```ts
 * const csv = toCsv(devices, [
 *   { header: 'Serienummer', key: 'serial' },
 *   { header: 'Sist sett', value: (d) => d.lastSeen },
 * ], { preset: 'excel-nb' })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc4180
 * @see https://owasp.org/www-community/attacks/CSV_Injection
 */
export function toCsv<Row>(
  rows: Iterable<Row>,
  columns: readonly CsvColumn<Row>[],
  options?: CsvOptions,
): string {
  const o = resolve(options)
  checkColumns(columns)
  const lines: string[] = []
  if (o.header) lines.push(headerLine(columns, o))
  for (const row of rows) lines.push(rowLine(row, columns, o))
  const body = lines.length === 0 ? '' : lines.join(o.lineEnding) + o.lineEnding
  return (o.bom ? '\uFEFF' : '') + body
}

/**
 * Like {@link toCsv}, as a stream of UTF-8 bytes for large exports: rows are
 * read (also from an async iterable, such as a database cursor) only as fast
 * as the client takes them. Cancelling the stream ends the iteration.
 *
 * @param rows - The rows, an iterable or async iterable.
 * @param columns - As for {@link toCsv}.
 * @param options - As for {@link toCsv}.
 * @returns A `ReadableStream` of UTF-8 bytes, such as for `new Response(stream)`.
 * @throws TypeError for no columns or an unknown separator (at once); a bad
 *   value errors the stream.
 * @example
 * ```ts
 * return new Response(toCsvStream(db.streamDevices(schoolId), columns, { preset: 'excel-nb' }), {
 *   headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="enheter.csv"' },
 * })
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc4180
 */
export function toCsvStream<Row>(
  rows: Iterable<Row> | AsyncIterable<Row>,
  columns: readonly CsvColumn<Row>[],
  options?: CsvOptions,
): ReadableStream<Uint8Array> {
  const o = resolve(options)
  checkColumns(columns)
  const encoder = new TextEncoder()
  const source: AsyncIterator<Row> | Iterator<Row> =
    Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]()
  let started = false
  const BATCH = 256
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = ''
      if (!started) {
        started = true
        if (o.bom) chunk += '\uFEFF'
        if (o.header) chunk += headerLine(columns, o) + o.lineEnding
      }
      for (let i = 0; i < BATCH; i++) {
        const next = await source.next()
        if (next.done === true) {
          if (chunk !== '') controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        chunk += rowLine(next.value, columns, o) + o.lineEnding
      }
      controller.enqueue(encoder.encode(chunk))
    },
    async cancel() {
      await source.return?.()
    },
  })
}
