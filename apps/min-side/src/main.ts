// `node dist/main.js`: Min side on its own, against real ID-porten test (IDPORTEN_* variables) or an
// identity mock already running elsewhere (IDPORTEN_ENV=local, IDPORTEN_ISSUER and a client registered
// there). Inside `pnpm start` the root script calls startMinSide() with the in-process mock instead.
import { startMinSide } from './start.js'

const app = await startMinSide({
  ...(process.env.MIN_SIDE_PORT === undefined ? {} : { port: Number(process.env.MIN_SIDE_PORT) }),
  ...(process.env.MIN_SIDE_HOST === undefined ? {} : { host: process.env.MIN_SIDE_HOST }),
  ...(process.env.MIN_SIDE_PUBLIC_URL === undefined ? {} : { publicUrl: process.env.MIN_SIDE_PUBLIC_URL }),
})
console.log(`Min side: ${app.url}`)
const stop = async (): Promise<void> => {
  await app.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
