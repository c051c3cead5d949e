import { mask } from '@felles/identifiers'
import type { MockLetter } from '../world.js'
import { escapeHtml } from './http.js'

export const UI_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

export const STYLE = `body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.5}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:600;padding:.5rem 0}
th,td{border-bottom:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}
a{color:#0b4f9c}a:focus,button:focus{outline:3px solid #f5a623;outline-offset:2px}
.status{font-family:ui-monospace,monospace}.muted{color:#555}
button{font:inherit;padding:.3rem .8rem;border:1px solid #0b4f9c;background:#fff;color:#0b4f9c;border-radius:4px;cursor:pointer}
`

const page = (title: string, body: string): string => `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – SvarUt mock</title>
<link rel="stylesheet" href="/_mock/style.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`

const when = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC'

function recipient(l: MockLetter): string {
  const m = (l.forsendelse.mottaker ?? {}) as Record<string, unknown>
  const id =
    typeof m.digitalId === 'string' ? ` (${l.kind === 'person' ? mask(m.digitalId) : m.digitalId})` : ''
  return escapeHtml(`${l.mottakerNavn}${id}`)
}

function documentLinks(l: MockLetter): string {
  if (l.documents.length === 0) return '<span class="muted">slettet</span>'
  return `<ul>${l.documents
    .map(
      (d, i) =>
        `<li><a href="/forsendelse/${l.id}/${i + 1}">Åpne ${escapeHtml(d.filnavn)}</a> <span class="muted">(${escapeHtml(d.mimeType)}, ${d.size} byte)</span></li>`,
    )
    .join('')}</ul>`
}

/** The list of letters. */
export function lettersPage(letters: readonly MockLetter[], now: number): string {
  const rows = letters
    .slice()
    .reverse()
    .map(
      (l) => `<tr>
<td><a href="/brev/${l.id}">${escapeHtml(l.tittel)}</a></td>
<td>${recipient(l)}</td>
<td>${l.kind}</td>
<td class="status">${l.status}</td>
<td>${when(l.sisteStatusEndring)}</td>
<td>${documentLinks(l)}</td>
</tr>`,
    )
    .join('\n')
  return page(
    'Mottatte brev',
    `<h1>Mottatte brev</h1>
<p>Klokka i mocken: <time datetime="${new Date(now).toISOString()}">${when(now)}</time>. ${letters.length} brev.</p>
<table>
<caption>Brev mottatt av SvarUt-mocken, nyeste først</caption>
<thead><tr><th scope="col">Tittel</th><th scope="col">Mottaker</th><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Sist endret</th><th scope="col">Dokumenter</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="6">Ingen brev ennå.</td></tr>'}
</tbody>
</table>`,
  )
}

/** One letter with its history. */
export function letterPage(l: MockLetter): string {
  const hendelser = l.hendelser
    .map(
      (h) =>
        `<li><time datetime="${new Date(h.tidspunkt).toISOString()}">${when(h.tidspunkt)}</time>: ${escapeHtml(h.hendelse)}</li>`,
    )
    .join('')
  return page(
    l.tittel,
    `<p><a href="/">Alle brev</a></p>
<h1>${escapeHtml(l.tittel)}</h1>
<dl>
<dt>Id</dt><dd>${l.id}</dd>
<dt>Mottaker</dt><dd>${recipient(l)}</dd>
<dt>Status</dt><dd class="status">${l.status}</dd>
<dt>Ekstern referanse</dt><dd>${escapeHtml(l.eksternReferanse ?? '–')}</dd>
</dl>
<h2>Dokumenter</h2>
${documentLinks(l)}
<form method="post" action="/brev/${l.id}/les"><button type="submit">Simuler at mottakeren leser brevet</button></form>
<h2>Hendelser</h2>
<ol>${hendelser}</ol>`,
  )
}

export function notFoundPage(): string {
  return page('Fant ikke siden', '<h1>Fant ikke siden</h1><p><a href="/">Alle brev</a></p>')
}
