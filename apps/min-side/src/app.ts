import {
  type Case,
  type CaseType,
  type CitizenView,
  caseDeadlines,
  citizenView,
  type DocumentRef,
  parseCase,
} from '@felles/case-status'
import {
  caseExists,
  type Database,
  DEMO_CASE_TYPES,
  getCitizenCase,
  getCitizenCaseData,
  getCitizenLetter,
  getLetterDocument,
  getPersonName,
  letterExists,
  listCitizenCaseHeads,
  listCitizenLetters,
  simplePdf,
} from '@felles/sample-municipality'
import { html, type Lang, type WebApp, type WebEnv } from '@felles/sample-web'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import { deadlineCell, formatDate, phaseBadge, statusBadge, time } from './views.js'

/** What the routes need. */
export interface MinSideRoutesOptions {
  readonly web: WebApp
  readonly db: Kysely<Database>
  /** Case types by id (default: the demo's byggesak, barnehageplass, skjenkebevilling). */
  readonly caseTypes?: Readonly<Record<string, CaseType>>
  /** Now, for deadlines. Default the system clock. */
  readonly now?: () => number
  /**
   * Origin of the SvarUt mock (its letters page serves each document at `/forsendelse/{id}/{n}`): a
   * letter with a SvarUt id but no stored document is fetched from there.
   */
  readonly svarutUrl?: string
}

const SUBSTANTIAL = 'idporten-loa-substantial'
const HIGH = 'idporten-loa-high'
const OPAQUE_ID = /^[A-Za-z0-9_-]{1,100}$/
const LIST_CACHE_SIZE = 50_000

interface ListedCase {
  readonly id: string
  readonly view: CitizenView
  readonly updatedAt: string
}

interface ViewedCase extends ListedCase {
  readonly value: Case
  readonly caseType: CaseType
}

/**
 * Adds Min side's pages to the kit's app: start, my cases, a case, its
 * documents (screened ones need level high), my letters and their PDFs, my
 * session, privacy and accessibility. Another person's case or letter
 * answers 404 and is logged without their identifier.
 *
 * @param options - The kit app, the database, case types, clock.
 */
export function addMinSideRoutes(options: MinSideRoutesOptions): void {
  const { web, db } = options
  const { app } = web
  const caseTypes = options.caseTypes ?? DEMO_CASE_TYPES
  const now = options.now ?? Date.now
  const listCache = new Map<string, CitizenView>()

  // A case as the detail page needs it: every rule checked (parseCase), the full citizen view.
  const detailView = (
    id: string,
    caseTypeId: string,
    data: string,
    updatedAt: string,
    c: Context<WebEnv>,
  ): ViewedCase | undefined => {
    const caseType = caseTypes[caseTypeId]
    if (caseType === undefined) return undefined
    const parsed = parseCase(data, { caseType })
    if (!parsed.ok) {
      c.var.log.error('case.invalid', { route: '/saker/:id', code: parsed.error.code })
      return undefined
    }
    const lang = c.var.lang === 'se' ? 'nb' : c.var.lang
    const asOf = new Date(now()).toISOString()
    return {
      id,
      value: parsed.value,
      caseType,
      view: citizenView(parsed.value, lang, { caseType, asOf }),
      updatedAt,
    }
  }

  const listLang = (c: Context<WebEnv>): Exclude<Lang, 'se'> => (c.var.lang === 'se' ? 'nb' : c.var.lang)
  const listKey = (id: string, updatedAt: string, lang: string, hour: number): string =>
    `${id}|${updatedAt}|${lang}|${hour}`

  // A case as the list needs it: the cheap view without deadlines plus the deadlines alone (citizenView
  // with `asOf` costs several times more), cached per case version, language and hour; the list trusts
  // its own database (the detail page checks every rule).
  const listView = (
    id: string,
    caseTypeId: string,
    data: string,
    updatedAt: string,
    c: Context<WebEnv>,
  ): ListedCase | undefined => {
    const caseType = caseTypes[caseTypeId]
    if (caseType === undefined) return undefined
    const lang = listLang(c)
    const key = listKey(id, updatedAt, lang, Math.floor(now() / 3_600_000))
    let listed = listCache.get(key)
    if (listed === undefined) {
      const value = JSON.parse(data) as Case
      const deadlines = caseDeadlines(value, caseType, { asOf: new Date(now()).toISOString() })
      listed = {
        ...citizenView(value, lang, { caseType }),
        deadlines: {
          ...(deadlines.legal === undefined ? {} : { legal: deadlines.legal }),
          ...(deadlines.serviceNorm === undefined ? {} : { serviceNorm: deadlines.serviceNorm }),
        },
      }
      if (listCache.size >= LIST_CACHE_SIZE) listCache.delete(listCache.keys().next().value as string)
      listCache.set(key, listed)
    }
    return { id, view: listed, updatedAt }
  }

  const pidOf = (c: Context<WebEnv>): string | undefined => c.var.idPortenSession?.pid

  // The citizen's cases as the lists show them: the rows without their data first, then the data of
  // the cases whose rendering is not cached for their current version (none, once a citizen's list
  // has been seen), so a repeated list reads a few short columns per case.
  const listCases = async (c: Context<WebEnv>, pid: string): Promise<ListedCase[]> => {
    const heads = await listCitizenCaseHeads(db, pid)
    const lang = listLang(c)
    const hour = Math.floor(now() / 3_600_000)
    // Taken from the cache at once (no await in between), so nothing found here can be evicted.
    const cached = heads.map((h) => listCache.get(listKey(h.id, h.updatedAt, lang, hour)))
    const missing = heads.filter((h, i) => cached[i] === undefined && caseTypes[h.caseType] !== undefined)
    const data = await getCitizenCaseData(
      db,
      pid,
      missing.map((h) => h.id),
    )
    return heads.flatMap((h, i) => {
      const view = cached[i]
      if (view !== undefined) return [{ id: h.id, view, updatedAt: h.updatedAt }]
      const row = data.get(h.id)
      // Unknown case type, or deleted between the two reads.
      if (row === undefined) return []
      return listView(h.id, h.caseType, row.data, row.updatedAt, c) ?? []
    })
  }

  app.get('/', async (c) => {
    const t = c.var.t
    const session = c.var.idPortenSession
    if (session === undefined) {
      return web.render(c, {
        title: t('start.title'),
        main: html`<h1 class="ds-heading" data-size="xl">${t('start.title')}</h1>
<p class="ds-paragraph" data-size="lg">${t('start.lead')}</p>
<p><a class="ds-button" data-variant="primary" href="/auth/login?returnTo=%2F">${t('start.login')}</a></p>
<p class="ds-paragraph kit-muted">${t('start.loginHelp')}</p>`,
      })
    }
    const pid = session.pid
    const [person, cases, letters] =
      pid === undefined
        ? [undefined, [], []]
        : await Promise.all([getPersonName(db, pid), listCases(c, pid), listCitizenLetters(db, pid)])
    const viewed = cases
    const acting = viewed.filter((v) => v.view.status?.mustAct === true).length
    c.header('cache-control', 'no-store')
    return web.render(c, {
      title: t('start.title'),
      main: html`<h1 class="ds-heading" data-size="xl">${
        person === undefined ? t('start.helloAnonymous') : t('start.hello', { name: person.givenName })
      }</h1>
${
  acting > 0
    ? html`<div class="ds-alert" data-color="warning"><p class="ds-paragraph">${acting === 1 ? t('start.actionOne') : t('start.actionMany', { count: acting })}</p></div>`
    : html`<p class="ds-paragraph">${t('start.noAction')}</p>`
}
<ul class="kit-cards">
<li class="ds-card"><h2 class="ds-heading" data-size="sm"><a class="ds-link" href="/saker">${t('nav.cases')}</a></h2>
<p class="ds-paragraph">${t('start.casesText')}</p><p class="ds-paragraph kit-muted">${t('start.caseCount', { count: cases.length })}</p></li>
<li class="ds-card"><h2 class="ds-heading" data-size="sm"><a class="ds-link" href="/brev">${t('nav.letters')}</a></h2>
<p class="ds-paragraph">${t('start.lettersText')}</p><p class="ds-paragraph kit-muted">${t('start.letterCount', { count: letters.length })}</p></li>
<li class="ds-card"><h2 class="ds-heading" data-size="sm"><a class="ds-link" href="/okt">${t('nav.session')}</a></h2>
<p class="ds-paragraph">${t('start.sessionText')}</p></li>
</ul>`,
    })
  })

  app.get('/saker', web.requireSession({ acr: SUBSTANTIAL }), async (c) => {
    const t = c.var.t
    const lang = c.var.lang
    const pid = pidOf(c)
    const viewed = pid === undefined ? [] : await listCases(c, pid)
    const body =
      pid === undefined
        ? html`<p class="ds-paragraph">${t('cases.noPid')}</p>`
        : viewed.length === 0
          ? html`<p class="ds-paragraph">${t('cases.none')}</p>`
          : html`<div class="kit-table-wrap"><table class="ds-table" data-border>
<caption>${t('cases.caption')}</caption>
<thead><tr><th scope="col">${t('cases.col.case')}</th><th scope="col">${t('cases.col.status')}</th><th scope="col">${t('cases.col.deadline')}</th><th scope="col">${t('cases.col.updated')}</th></tr></thead>
<tbody>
${viewed.map(
  (v) => html`<tr>
<th scope="row"><a class="ds-link" href="/saker/${v.id}">${v.view.title}</a>${
    v.view.reference === undefined
      ? ''
      : html`<br><span class="kit-muted">${t('cases.reference', { ref: v.view.reference })}</span>`
  }</th>
<td>${statusBadge(v.view)}${
    v.view.status?.mustAct === true
      ? html`<br><span class="ds-tag" data-color="warning" data-variant="outline">${t('cases.mustAct')}</span>`
      : ''
  }</td>
<td>${deadlineCell(v.view, lang, t)}</td>
<td>${time(lang, v.updatedAt)}</td>
</tr>`,
)}
</tbody></table></div>`
    return web.render(c, {
      title: t('cases.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${t('cases.title')}</h1>
<p class="ds-paragraph">${t('cases.lead')}</p>
${body}`,
    })
  })

  // A case, or 404: never says whether it exists for someone else.
  const findCase = async (c: Context<WebEnv>): Promise<ViewedCase | undefined> => {
    const id = c.req.param('id') ?? ''
    const pid = pidOf(c)
    if (!OPAQUE_ID.test(id)) return undefined
    const row = pid === undefined ? undefined : await getCitizenCase(db, pid, id)
    if (row === undefined) {
      if (await caseExists(db, id)) c.var.log.warn('security.foreign-case', { route: c.req.routePath })
      return undefined
    }
    return detailView(row.id, row.caseType, row.data, row.updatedAt, c)
  }

  app.get('/saker/:id', web.requireSession({ acr: SUBSTANTIAL }), async (c) => {
    const found = await findCase(c)
    if (found === undefined) return web.notFound(c)
    const t = c.var.t
    const lang = c.var.lang
    const { view: v, value } = found
    const pid = pidOf(c) as string
    const letters = await listCitizenLetters(db, pid, { caseId: found.id })
    // The decision deadline: the legal one, or the service norm where the case type has no legal one.
    const legal = v.deadlines?.legal ?? v.deadlines?.serviceNorm
    const norm = v.deadlines?.legal === undefined ? undefined : v.deadlines?.serviceNorm
    const appeal = v.deadlines?.appeal
    const docs = citizenDocuments(value)
    const high = c.var.idPortenSession?.acr === HIGH || c.var.idPortenSession?.acr.endsWith('-high') === true
    const noteOfStatus = [...v.events].reverse().find((e) => e.type === 'status')?.note
    return web.render(c, {
      title: v.title,
      main: html`<p><a class="ds-link" href="/saker">${t('case.back')}</a></p>
<h1 class="ds-heading" data-size="lg">${v.title}</h1>
<dl class="kit-meta">
<dt>${t('case.status')}</dt><dd>${statusBadge(v)}</dd>
${v.reference === undefined ? '' : html`<dt>${t('case.reference')}</dt><dd>${v.reference}</dd>`}
<dt>${t('case.type')}</dt><dd>${v.caseType.name}</dd>
<dt>${t('case.started')}</dt><dd>${time(lang, v.startedAt)}</dd>
</dl>
${v.status === undefined ? '' : html`<p class="ds-paragraph">${v.status.text}</p>`}
${
  v.status?.mustAct === true
    ? html`<section class="ds-alert" data-color="warning" aria-labelledby="asked"><h2 class="ds-heading" data-size="xs" id="asked">${t('case.asked')}</h2>
<p class="ds-paragraph">${noteOfStatus ?? v.status.text}</p></section>`
    : ''
}
${
  v.result === undefined
    ? ''
    : html`<section aria-labelledby="result"><h2 class="ds-heading" data-size="sm" id="result">${t('case.result')}</h2>
<p class="ds-paragraph"><strong>${t(`outcome.${v.result.outcome}`)}</strong>, ${time(lang, v.result.decidedAt)}</p>
${v.result.summary === undefined ? '' : html`<p class="ds-paragraph">${v.result.summary}</p>`}</section>`
}
${
  legal === undefined && norm === undefined
    ? ''
    : html`<section aria-labelledby="deadline"><h2 class="ds-heading" data-size="sm" id="deadline">${t('case.deadline')}</h2>
${
  legal === undefined
    ? ''
    : html`<p class="ds-paragraph">${
        legal.state === 'met'
          ? t('case.deadlineMet', { date: formatDate(lang, legal.due) })
          : legal.overdue
            ? html`<span class="ds-tag" data-color="danger">${t('cases.overdue')}</span> ${t('case.deadlineOverdue', { date: formatDate(lang, legal.due) })}`
            : t('case.deadlineText', { date: formatDate(lang, legal.due) })
      }</p>`
}
${norm === undefined || v.result !== undefined ? '' : html`<p class="ds-paragraph">${t('case.serviceNorm', { date: formatDate(lang, norm.due) })}</p>`}
</section>`
}
${
  appeal === undefined
    ? ''
    : html`<section aria-labelledby="appeal"><h2 class="ds-heading" data-size="sm" id="appeal">${t('case.appeal')}</h2>
<p class="ds-paragraph">${
        appeal.state === 'open'
          ? t('case.appealOpen', { date: formatDate(lang, appeal.due), days: appeal.daysLeft })
          : t('case.appealExpired', { date: formatDate(lang, appeal.due) })
      }</p>${appeal.state === 'open' ? html`<p class="ds-paragraph">${t('case.appealHow')}</p>` : ''}</section>`
}
<section aria-labelledby="documents"><h2 class="ds-heading" data-size="sm" id="documents">${t('case.documents')}</h2>
${
  docs.length === 0
    ? html`<p class="ds-paragraph">${t('case.noDocuments')}</p>`
    : html`<ul class="kit-stack">${docs.map(
        (d) =>
          html`<li>${
            d.screening !== undefined && !high
              ? html`${d.publicTitle ?? t('case.doc.screened')}`
              : html`${d.title}`
          } <span class="kit-muted">(${t(d.journalpostType === 'I' ? 'case.doc.in' : d.journalpostType === 'U' ? 'case.doc.out' : 'case.doc.internal')}${
            d.registeredAt === undefined ? '' : html`, ${time(lang, d.registeredAt)}`
          })</span><br>${
            d.screening !== undefined
              ? html`<span class="ds-tag" data-color="warning" data-variant="outline">${t('case.doc.screened')}</span> `
              : ''
          }<a class="ds-link" href="/saker/${found.id}/dokumenter/${d.id}">${t('case.doc.open')}</a></li>`,
      )}</ul>`
}
</section>
${
  letters.length === 0
    ? ''
    : html`<section aria-labelledby="letters"><h2 class="ds-heading" data-size="sm" id="letters">${t('case.letters')}</h2>
<ul class="kit-stack">${letters.map(
        (l) =>
          html`<li><a class="ds-link" href="/brev/${l.id}">${l.title}</a> ${phaseBadge(l.phase, t)}</li>`,
      )}</ul></section>`
}
<section aria-labelledby="timeline"><h2 class="ds-heading" data-size="sm" id="timeline">${t('case.timeline')}</h2>
<ol class="kit-timeline">${[...v.events]
        .reverse()
        .map(
          (e) =>
            html`<li><p class="ds-paragraph"><strong>${
              e.status !== undefined
                ? t('event.status', { label: e.status.label })
                : e.type === 'result'
                  ? t('event.result')
                  : e.type === 'note' && e.documents.length > 0
                    ? t('event.documents')
                    : e.type === 'note'
                      ? t('event.note')
                      : t('event.other')
            }</strong><br><span class="kit-muted">${time(lang, e.at, true)}</span></p>${
              e.status === undefined ? '' : html`<p class="ds-paragraph">${e.status.text}</p>`
            }${e.note === undefined ? '' : html`<p class="ds-paragraph">${e.note}</p>`}</li>`,
        )}</ol></section>
<section aria-labelledby="contact"><h2 class="ds-heading" data-size="sm" id="contact">${t('case.contact')}</h2>
<p class="ds-paragraph">${
        v.responsibleOfficer === undefined || value.administrativeUnit === undefined
          ? t('case.contactUnknown')
          : t('case.contactText', { officer: v.responsibleOfficer, unit: value.administrativeUnit })
      }</p></section>`,
    })
  })

  // Documents: substantial for ordinary ones; a screened document needs level high (step-up).
  app.get('/saker/:id/dokumenter/:doc', web.requireSession({ acr: SUBSTANTIAL }), async (c) => {
    const found = await findCase(c)
    if (found === undefined) return web.notFound(c)
    const doc = citizenDocuments(found.value).find((d) => d.id === c.req.param('doc'))
    if (doc === undefined) return web.notFound(c)
    if (doc.screening !== undefined) {
      const refused = web.checkSession(c, { acr: HIGH })
      if (refused !== undefined) return refused
    }
    const pdf = simplePdf(doc.title, [
      'Fjellvik kommune',
      `${c.var.t('case.reference')}: ${found.view.reference ?? ''}`,
      doc.registeredAt === undefined ? '' : formatDate(c.var.lang, doc.registeredAt),
      '',
      doc.screening === undefined ? '' : `Skjermet: ${doc.screening.legalBasis}`,
      'Demonstrasjonsdokument med syntetiske opplysninger.',
    ])
    return pdfResponse(pdf, `dokument-${doc.id}.pdf`)
  })

  app.get('/brev', web.requireSession({ acr: SUBSTANTIAL }), async (c) => {
    const t = c.var.t
    const lang = c.var.lang
    const pid = pidOf(c)
    const letters = pid === undefined ? [] : await listCitizenLetters(db, pid)
    return web.render(c, {
      title: t('letters.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${t('letters.title')}</h1>
<p class="ds-paragraph">${t('letters.lead')}</p>
${
  letters.length === 0
    ? html`<p class="ds-paragraph">${t('letters.none')}</p>`
    : html`<div class="kit-table-wrap"><table class="ds-table" data-border>
<caption>${t('letters.caption')}</caption>
<thead><tr><th scope="col">${t('letters.col.letter')}</th><th scope="col">${t('letters.col.sent')}</th><th scope="col">${t('letters.col.status')}</th></tr></thead>
<tbody>${letters.map(
        (
          l,
        ) => html`<tr><th scope="row"><a class="ds-link" href="/brev/${l.id}">${l.title}</a><br><span class="kit-muted">${t('letters.open')}</span></th>
<td>${time(lang, l.createdAt)}</td><td>${phaseBadge(l.phase, t)}</td></tr>`,
      )}</tbody></table></div>`
}`,
    })
  })

  app.get('/brev/:id', web.requireSession({ acr: SUBSTANTIAL }), async (c) => {
    const id = c.req.param('id')
    const pid = pidOf(c)
    const letter = pid === undefined || !OPAQUE_ID.test(id) ? undefined : await getCitizenLetter(db, pid, id)
    if (letter === undefined) {
      if (OPAQUE_ID.test(id) && (await letterExists(db, id))) {
        c.var.log.warn('security.foreign-letter', { route: c.req.routePath })
      }
      return web.notFound(c)
    }
    const doc = await getLetterDocument(db, letter.id, 0)
    if (doc !== undefined) return pdfResponse(doc.content, doc.filnavn, doc.mimeType)
    if (options.svarutUrl !== undefined && letter.svarutId !== null) {
      const remote = await fetchSvarUtDocument(options.svarutUrl, letter.svarutId)
      if (remote !== undefined) return pdfResponse(remote, `brev-${letter.id}.pdf`)
      c.var.log.warn('letter.document-unavailable', { route: c.req.routePath })
    }
    return web.notFound(c)
  })

  app.get('/okt', web.requireSession(), (c) => {
    const t = c.var.t
    const lang = c.var.lang
    const session = c.var.idPortenSession
    if (session === undefined) return web.notFound(c)
    const minutes = Math.max(0, Math.round((session.expiresAt - now()) / 60_000))
    const high = session.acr.endsWith('-high')
    return web.render(c, {
      title: t('session.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${t('session.title')}</h1>
<dl class="kit-meta">
<dt>${t('session.level')}</dt><dd>${t(high ? 'session.level.high' : 'session.level.substantial')}</dd>
<dt>${t('session.since')}</dt><dd>${time(lang, new Date(session.createdAt).toISOString(), true)}</dd>
<dt>${t('session.left')}</dt><dd>${t('session.leftText', { minutes })}</dd>
</dl>
<form method="post" action="/auth/logout" class="kit-stack">${web.csrfField(c)}
<p class="ds-paragraph">${t('session.logoutHelp')}</p>
<button class="ds-button" data-variant="primary" type="submit">${t('session.logout')}</button>
</form>`,
    })
  })

  app.get('/personvern', (c) =>
    web.render(c, {
      title: c.var.t('privacy.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${c.var.t('privacy.title')}</h1><p class="ds-paragraph">${c.var.t('privacy.text')}</p>`,
    }),
  )
  app.get('/tilgjengelighet', (c) =>
    web.render(c, {
      title: c.var.t('a11y.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${c.var.t('a11y.title')}</h1><p class="ds-paragraph">${c.var.t('a11y.text')}</p>`,
    }),
  )
}

/** The documents of a case the citizen (as a party) may see, screened ones included. */
function citizenDocuments(value: Case): DocumentRef[] {
  return value.documents.filter((d) => d.visibility === 'citizen')
}

async function fetchSvarUtDocument(base: string, svarutId: string): Promise<Uint8Array | undefined> {
  if (!/^[A-Za-z0-9-]{1,100}$/.test(svarutId)) return undefined
  try {
    const res = await fetch(`${base.replace(/\/$/, '')}/forsendelse/${svarutId}/1`, {
      signal: AbortSignal.timeout(5_000),
    })
    if (!res.ok) {
      await res.body?.cancel()
      return undefined
    }
    const bytes = new Uint8Array(await res.arrayBuffer())
    return Buffer.from(bytes.subarray(0, 5)).toString() === '%PDF-' ? bytes : undefined
  } catch {
    return undefined
  }
}

function pdfResponse(bytes: Uint8Array, filename: string, type = 'application/pdf'): Response {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_')
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': type,
      'content-disposition': `inline; filename="${safe}"`,
      'cache-control': 'no-store',
    },
  })
}
