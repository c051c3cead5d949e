// The benchmark's local server, in its own process so the client's CPU time
// and memory are measured alone. Prints its port as one JSON line.
import { createServer } from 'node:http'

const small = Buffer.from(
  JSON.stringify({ id: 'device-1', name: 'iPad', compliant: true, osVersion: '17.5.1' }),
)

const server = createServer((req, res) => {
  if (req.url === '/small') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': small.length })
    res.end(small)
    return
  }
  if (req.url === '/upload') {
    let bytes = 0
    req.on('data', (chunk) => {
      bytes += chunk.length
    })
    req.on('end', () => {
      const body = JSON.stringify({ bytes })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    })
    return
  }
  res.writeHead(404).end()
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`)
})
process.on('disconnect', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
