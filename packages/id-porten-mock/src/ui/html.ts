/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Content-Security-Policy for every page the mock renders: no inline script or style. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src http: https:; base-uri 'none'; frame-ancestors 'none'"

export type PageLanguage = 'nb' | 'en'

export interface LayoutOptions {
  readonly lang: PageLanguage
  readonly title: string
  /** Brand shown in the banner, e.g. `ID-porten`. */
  readonly brand: string
  readonly body: string
  /** Extra tags for `<head>` (already escaped). */
  readonly head?: string
  /** Load the auto-submit script (forms marked `data-autosubmit`). */
  readonly autosubmit?: boolean
}

export function layout(options: LayoutOptions): string {
  const env =
    options.lang === 'en' ? 'Local test – synthetic persons only' : 'Lokal test – bare syntetiske personer'
  return `<!DOCTYPE html>
<html lang="${options.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(options.title)}</title>
<link rel="stylesheet" href="/assets/mock.css">
${options.head ?? ''}${options.autosubmit === true ? '<script src="/assets/autosubmit.js" defer></script>\n' : ''}</head>
<body>
<header class="banner">
<p class="brand">${escapeHtml(options.brand)}</p>
<p class="env">${escapeHtml(env)}</p>
</header>
<main class="card">
${options.body}
</main>
</body>
</html>
`
}

export const STYLESHEET = `*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;font-size:100%;line-height:1.5;color:#1e2b3c;background:#f1f4f9}
body{margin:0}
.banner{display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem 1rem;padding:.75rem 1.5rem;background:#004367;color:#fff}
.banner p{margin:0}
.brand{font-weight:700;font-size:1.25rem;letter-spacing:.02em}
.env{font-size:.875rem;background:#ffd166;color:#1e2b3c;padding:.125rem .5rem;border-radius:.25rem}
.card{max-width:40rem;margin:2rem auto;padding:1.5rem 2rem 2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}
h1{font-size:1.75rem;margin:.25rem 0 .5rem}
.lead{margin:0 0 1.25rem;color:#3d4f66}
.notice{border-left:.25rem solid #0062ba;background:#e6f0fa;padding:.5rem .75rem;margin:0 0 1.25rem}
.error{border-left-color:#c30000;background:#fbe9e9}
fieldset{border:0;margin:0 0 1.25rem;padding:0}
legend{font-weight:700;font-size:1.125rem;margin-bottom:.5rem;padding:0}
.option{display:flex;align-items:flex-start;gap:.625rem;padding:.5rem .75rem;border:1px solid #c7d1dd;border-radius:.375rem;margin-bottom:.375rem}
.option:hover{border-color:#0062ba;background:#f5f9fd}
.option input{margin-top:.3rem;width:1.125rem;height:1.125rem;flex:none}
.option label{flex:1;cursor:pointer}
.name{display:block;font-weight:600}
.meta{display:block;font-size:.875rem;color:#4e5f73;font-variant-numeric:tabular-nums}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin-top:1.5rem}
button,.button{font:inherit;font-weight:600;padding:.625rem 1.5rem;border-radius:.375rem;border:2px solid #0062ba;background:#0062ba;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0062ba}
button:focus-visible,.button:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}
dd{margin:0;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:.9375rem}
th,td{text-align:left;padding:.375rem .5rem;border-bottom:1px solid #dde3ea}
.frames iframe{width:0;height:0;border:0;position:absolute}
code{font-size:.875rem;word-break:break-all}
`

/** Submits forms marked `data-autosubmit` once the page has loaded (the no-JS fallback is the form's button). */
export const AUTOSUBMIT_SCRIPT = `document.addEventListener('DOMContentLoaded', function () {
  var form = document.querySelector('form[data-autosubmit]');
  if (form) form.submit();
});
`
