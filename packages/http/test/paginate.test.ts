import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, type HttpError, isHttpError, type Page, paginate } from '../src/index.js'
import { json, startServer, type TestServer } from './server.js'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

interface GraphPage {
  readonly value: number[]
  readonly '@odata.nextLink'?: string
}

/** A Graph-style API: pages of 3 ids over `total` items, with `@odata.nextLink` as an opaque absolute URL. */
function graphLike(path: string, total: number, repeatAfter?: number): void {
  server.route(path, (req, res) => {
    const skip = Number(new URL(req.url ?? '', server.url).searchParams.get('$skiptoken') ?? 0)
    const value = Array.from({ length: Math.min(3, total - skip) }, (_, i) => skip + i)
    const nextSkip = repeatAfter !== undefined && skip >= repeatAfter ? repeatAfter - 3 : skip + 3
    const body: GraphPage =
      skip + 3 < total
        ? { value, '@odata.nextLink': `${server.url}${path}?$skiptoken=${nextSkip}` }
        : { value }
    json(res, 200, body)
  })
}

async function collect<T>(iterator: AsyncIterable<Page<T>>): Promise<Page<T>[]> {
  const pages: Page<T>[] = []
  for await (const page of iterator) pages.push(page)
  return pages
}

describe('paginate', () => {
  it('follows next links to the end', async () => {
    graphLike('/devices', 10)
    const client = createHttpClient({ baseUrl: server.url })
    const pages = await collect(
      paginate<GraphPage>(client, { first: '/devices', next: (body) => body['@odata.nextLink'] }),
    )
    expect(pages.flatMap((p) => p.body.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(pages.map((p) => p.index)).toEqual([0, 1, 2, 3])
    expect(pages.at(-1)?.next).toBeUndefined()
  })

  it('fetches a page only when the loop asks for it (one page in memory)', async () => {
    graphLike('/lazy', 30)
    const client = createHttpClient({ baseUrl: server.url })
    const iterator = paginate<GraphPage>(client, { first: '/lazy', next: (body) => body['@odata.nextLink'] })
    expect(server.hits('/lazy')).toBe(0)
    await iterator.next()
    expect(server.hits('/lazy')).toBe(1)
    await iterator.next()
    expect(server.hits('/lazy')).toBe(2)
    await iterator.return()
    expect(server.hits('/lazy')).toBe(2)
  })

  it('resumes from a stored cursor', async () => {
    graphLike('/resume', 12)
    const client = createHttpClient({ baseUrl: server.url })
    let checkpoint: string | undefined
    for await (const page of paginate<GraphPage>(client, {
      first: '/resume',
      next: (b) => b['@odata.nextLink'],
    })) {
      checkpoint = page.next
      if (page.index === 1) break
    }
    const rest = await collect(
      paginate<GraphPage>(client, {
        first: '/resume',
        cursor: checkpoint!,
        next: (b) => b['@odata.nextLink'],
      }),
    )
    expect(rest.flatMap((p) => p.body.value)).toEqual([6, 7, 8, 9, 10, 11])
    expect(rest[0]?.cursor).toBe(checkpoint)
  })

  it('stops with ERR_REPEATED_PAGE when the server repeats a page link (security 33)', async () => {
    graphLike('/loop', 100, 9)
    const client = createHttpClient({ baseUrl: server.url })
    const seen: number[] = []
    let failure: HttpError | undefined
    try {
      for await (const page of paginate<GraphPage>(client, {
        first: '/loop',
        next: (b) => b['@odata.nextLink'],
      })) {
        seen.push(...page.body.value)
      }
    } catch (error) {
      if (!isHttpError(error)) throw error
      failure = error
    }
    expect(failure?.code).toBe('ERR_REPEATED_PAGE')
    expect(failure?.url).toContain('$skiptoken=***')
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8])
    expect(server.hits('/loop')).toBeLessThan(10)
  })

  it('pages by token (Google nextPageToken) through a request builder', async () => {
    server.route('/chromeos', (req, res) => {
      const token = new URL(req.url ?? '', server.url).searchParams.get('pageToken')
      if (token === null) json(res, 200, { chromeosdevices: ['a', 'b'], nextPageToken: 't1' })
      else if (token === 't1') json(res, 200, { chromeosdevices: ['c'], nextPageToken: 't2' })
      else json(res, 200, { chromeosdevices: ['d'] })
    })
    const client = createHttpClient({ baseUrl: server.url })
    type ChromePage = { chromeosdevices: string[]; nextPageToken?: string }
    const pages = await collect(
      paginate<ChromePage>(client, {
        first: { url: '/chromeos', query: { maxResults: 2 } },
        next: (body) => body.nextPageToken,
        request: (pageToken) => ({ url: '/chromeos', query: { maxResults: 2, pageToken } }),
      }),
    )
    expect(pages.flatMap((p) => p.body.chromeosdevices)).toEqual(['a', 'b', 'c', 'd'])
    expect(pages.map((p) => p.next)).toEqual(['t1', 't2', undefined])
  })

  it('pages by number and stops on totalCount (Jamf Pro)', async () => {
    server.route('/computers', (req, res) => {
      const page = Number(new URL(req.url ?? '', server.url).searchParams.get('page'))
      json(res, 200, { totalCount: 5, results: [page * 2, page * 2 + 1].filter((x) => x < 5) })
    })
    const client = createHttpClient({ baseUrl: server.url })
    type JamfPage = { totalCount: number; results: number[] }
    const request = (page: string) => ({ url: '/computers', query: { page, 'page-size': 2 } })
    const pages = await collect(
      paginate<JamfPage>(client, {
        first: request('0'),
        request,
        next: (body, { cursor }) => {
          const page = Number(cursor ?? 0)
          return (page + 1) * 2 < body.totalCount ? String(page + 1) : undefined
        },
      }),
    )
    expect(pages.flatMap((p) => p.body.results)).toEqual([0, 1, 2, 3, 4])
  })

  it('stops when its signal aborts', async () => {
    graphLike('/abortable', 30)
    const client = createHttpClient({ baseUrl: server.url })
    const controller = new AbortController()
    const iterator = paginate<GraphPage>(client, {
      first: '/abortable',
      next: (b) => b['@odata.nextLink'],
      signal: controller.signal,
    })
    await iterator.next()
    controller.abort()
    await expect(iterator.next()).rejects.toMatchObject({ code: 'ERR_ABORTED' })
  })
})
