// A small Express app using @felles/id-porten: the example the end-to-end test
// drives in a real browser. Run it against the mock with `createExampleApp`.
import express, { type Express } from 'express'
import { getSession, idPortenExpress } from '../src/adapters/express.js'
import type { IdPortenClient } from '../src/index.js'

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const layout = (title: string, body: string): string => `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main>${body}</main></body></html>`

/**
 * Builds the example app: `/` shows whether you are logged in, `/min-side`
 * needs a login and shows the session, and the logout button posts with the
 * session's CSRF token.
 */
export function createExampleApp(auth: IdPortenClient): Express {
  const app = express()
  const { middleware, requireLogin } = idPortenExpress(auth)
  app.disable('x-powered-by')
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; frame-ancestors 'none'")
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    next()
  })
  app.use(middleware)

  app.get('/', (req, res) => {
    const session = getSession(req)
    res.send(
      layout(
        'Min kommune',
        session === undefined
          ? '<h1>Min kommune</h1><p id="status">Ikke innlogget</p><p><a id="login" href="/auth/login?returnTo=/min-side">Logg inn</a></p>'
          : '<h1>Min kommune</h1><p id="status">Innlogget</p><p><a href="/min-side">Min side</a></p>',
      ),
    )
  })

  app.get('/min-side', requireLogin(), (req, res) => {
    const session = getSession(req)
    if (session === undefined) return
    res.send(
      layout(
        'Min side',
        `<h1>Min side</h1>
<p id="status">Innlogget</p>
<dl><dt>Sikkerhetsnivå</dt><dd id="acr">${escapeHtml(session.acr)}</dd>
<dt>Innloggingsmetode</dt><dd id="amr">${escapeHtml(session.amr.join(', '))}</dd></dl>
<form method="post" action="/auth/logout">
<input type="hidden" name="csrf" value="${escapeHtml(session.csrfToken)}">
<button id="logout" type="submit">Logg ut</button>
</form>`,
      ),
    )
  })
  return app
}
