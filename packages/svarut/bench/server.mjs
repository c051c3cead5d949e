// A bench server in its own process so only the client is measured: answers
// SvarUt sends (counting the streamed bytes), raw uploads, and status/sok.
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'

let statusRequests = 0
const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ statusRequests }))
    return
  }
  if (url.pathname.endsWith('/status/sok')) {
    statusRequests++
    const chunks = []
    for await (const c of req) chunks.push(c)
    const { id } = JSON.parse(Buffer.concat(chunks).toString())
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        statuser: id.map((i) => ({ id: i, sisteStatusEndring: '2025-01-01T10:00:00+01:00', status: 'LEST' })),
      }),
    )
    return
  }
  let bytes = 0
  for await (const c of req) bytes += c.length
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ id: randomUUID(), bytes }))
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
