import type { HttpClient, RequestOptions } from './client.js'
import { HttpError } from './errors.js'

/** What {@link PaginateOptions.next} sees besides the page body. */
export interface PageContext {
  /** The cursor this page was fetched with (`undefined` for the first page). */
  readonly cursor: string | undefined
  /** The page number, from 0. */
  readonly index: number
  readonly status: number
  readonly headers: Headers
}

/** One page yielded by {@link paginate}. */
export interface Page<T> {
  /** The parsed page. */
  readonly body: T
  /** The page number within this iteration, from 0. */
  readonly index: number
  /** The cursor this page was fetched with (`undefined` for the first page). */
  readonly cursor: string | undefined
  /** The cursor of the next page (`undefined` on the last page): store it to resume later. */
  readonly next: string | undefined
}

/** Options of {@link paginate}. */
export interface PaginateOptions<T> {
  /** The first page's request. Not used when `cursor` is given. */
  readonly first: RequestOptions | string
  /**
   * Reads the next page's cursor from a page: a URL (`@odata.nextLink`), a
   * token (`nextPageToken`) or a page number as a string. `undefined`, `null` or
   * `''` ends the iteration.
   */
  readonly next: (body: T, context: PageContext) => string | null | undefined
  /** Turns a cursor into its page's request. Default: the cursor is the page's URL. */
  readonly request?: (cursor: string) => RequestOptions | string
  /** Resume from this cursor (a `Page.next` stored earlier). */
  readonly cursor?: string
  /** Stops the iteration, including a page request in flight. */
  readonly signal?: AbortSignal
}

function withSignal(
  request: RequestOptions | string,
  signal: AbortSignal | undefined,
): RequestOptions | string {
  if (signal === undefined) return request
  return typeof request === 'string' ? { url: request, signal } : { ...request, signal }
}

/**
 * Iterates over a paginated API one page at a time: the next page is fetched
 * only when the loop asks for it, so one page is in memory, and every page
 * request gets the client's timeouts, retries and rate limits. Each page
 * carries the cursor of the next, so a long job can store it and resume.
 * A server that sends a page link it sent before (a loop) stops the iteration
 * with `ERR_REPEATED_PAGE` instead of looping forever; the page carrying the
 * repeated link is not yielded, so no stored cursor ever points into the loop.
 *
 * @param client - The client to fetch pages with.
 * @param options - The first request, how to find the next page, where to resume.
 * @returns An async iterator of pages.
 * @throws {HttpError} `ERR_REPEATED_PAGE` on a repeated page link, or any error of a page request.
 * @example
 * ```ts
 * for await (const page of paginate<{ value: Device[]; '@odata.nextLink'?: string }>(graph, {
 *   first: { url: '/deviceManagement/managedDevices', query: { $top: 100 } },
 *   next: (body) => body['@odata.nextLink'],
 * })) {
 *   for (const device of page.body.value) handle(device)
 *   saveCheckpoint(page.next)
 * }
 * ```
 * @see https://learn.microsoft.com/graph/paging
 */
export async function* paginate<T>(
  client: HttpClient,
  options: PaginateOptions<T>,
): AsyncGenerator<Page<T>, void, undefined> {
  const toRequest = options.request ?? ((cursor: string) => cursor)
  const seen = new Set<string>()
  let cursor = options.cursor
  if (cursor !== undefined) seen.add(cursor)
  for (let index = 0; ; index++) {
    const request = withSignal(cursor === undefined ? options.first : toRequest(cursor), options.signal)
    const result = await client.send<T>(request)
    // `undefined`, `null` and `''` all end the iteration.
    const nextCursor =
      options.next(result.body, { cursor, index, status: result.status, headers: result.headers }) ||
      undefined
    if (nextCursor !== undefined && seen.has(nextCursor)) {
      throw new HttpError('ERR_REPEATED_PAGE', {
        method: typeof request === 'string' ? 'GET' : (request.method ?? 'GET').toUpperCase(),
        url: result.url,
        message: `returned a next-page link it had returned before (after page ${index}); stopping instead of looping`,
        attempts: result.attempts,
        headers: result.headers,
        requestSent: 'yes',
      })
    }
    if (nextCursor !== undefined) seen.add(nextCursor)
    yield { body: result.body, index, cursor, next: nextCursor }
    if (nextCursor === undefined) return
    cursor = nextCursor
  }
}
