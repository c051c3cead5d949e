/** One structured log line. Never holds a national identity number, a token or a session id. */
export interface LogEntry {
  readonly time: string
  readonly level: 'info' | 'warn' | 'error'
  /** A short stable event name: `request`, `security.case-not-found`, `error`, … */
  readonly event: string
  readonly [field: string]: string | number | boolean | undefined
}

/** Where log lines go. */
export type LogSink = (entry: LogEntry) => void

/** A logger with a fixed sink. */
export interface Logger {
  info(event: string, fields?: Readonly<Record<string, string | number | boolean | undefined>>): void
  warn(event: string, fields?: Readonly<Record<string, string | number | boolean | undefined>>): void
  error(event: string, fields?: Readonly<Record<string, string | number | boolean | undefined>>): void
}

// Eleven digits in a row look like a fødselsnummer or D-nummer: never let one through.
const ELEVEN_DIGITS = /(?<!\d)\d{11}(?!\d)/g

function scrub(value: string | number | boolean | undefined): string | number | boolean | undefined {
  return typeof value === 'string' ? value.replace(ELEVEN_DIGITS, '[redacted]') : value
}

/** Writes JSON lines to standard output (the default sink). */
export const stdoutSink: LogSink = (entry) => {
  process.stdout.write(`${JSON.stringify(entry)}\n`)
}

/** Drops every line (tests that do not look at the log). */
export const silentSink: LogSink = () => {}

/**
 * A structured logger. Every string field is scrubbed of anything shaped like
 * a national identity number, as a second line of defence.
 *
 * @param sink - Where lines go. Default: JSON lines on standard output.
 * @returns The logger.
 */
export function createLogger(sink: LogSink = stdoutSink): Logger {
  const write = (
    level: LogEntry['level'],
    event: string,
    fields: Readonly<Record<string, string | number | boolean | undefined>> = {},
  ): void => {
    const entry: Record<string, string | number | boolean | undefined> = {
      time: new Date().toISOString(),
      level,
      event,
    }
    for (const [k, v] of Object.entries(fields)) entry[k] = scrub(v)
    try {
      sink(entry as LogEntry)
    } catch {
      // a failing sink must not fail the request
    }
  }
  return {
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  }
}
