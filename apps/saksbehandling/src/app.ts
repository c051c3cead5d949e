import { randomUUID } from 'node:crypto'
import {
  applyEvent,
  type Case,
  createCase,
  type LocalizedText,
  type ResultOutcome,
  type StatusEvent,
  toDialogportenDialog,
} from '@felles/case-status'
import { mask, parseNationalId, parseOrganisationNumber } from '@felles/identifiers'
import { isDocumentError, type Organisation, renderLetterPdf } from '@felles/sample-documents'
import { createOutbox, type Database, type Dialect, opaqueId } from '@felles/sample-municipality'
import {
  letterDocument,
  letterEventsOfCase,
  lettersOfCase,
  listCases,
  listOfficers,
  type Officer,
  recordLetter,
  saveCase,
} from '@felles/sample-municipality/casework'
import { html, type Lang, type WebApp, type WebEnv } from '@felles/sample-web'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import {
  actorOf,
  allowedStatusTypes,
  CASE_TYPES,
  changeCase,
  type LoadedCase,
  loadCase,
  recordOf,
  reopenStatusType,
  workOf,
} from './case-model.js'
import { addDashboardRoutes } from './dashboard.js'
import { officerOf } from './officer.js'
import type { TextKey } from './texts.js'
import { alert, type FieldErrors, phaseColor, selectField, tag, textField, time } from './views.js'

/** What the console's routes need. */
export interface SaksbehandlingRoutesOptions {
  readonly web: WebApp
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** The municipality's organisasjonsnummer: employees must choose it at login. */
  readonly municipality: Organisation
  /** Now (tests move it). Default the system clock. */
  readonly now?: () => number
  /** Dialogporten service resource prefix. Default `urn:altinn:resource:fjellvik-`. */
  readonly serviceResourcePrefix?: string
}

const OPAQUE_ID = /^[A-Za-z0-9_-]{1,100}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const OUTCOMES: readonly ResultOutcome[] = [
  'granted',
  'partially_granted',
  'rejected',
  'dismissed',
  'withdrawn',
  'no_decision',
]
const LIFECYCLE_FILTERS = [
  'received',
  'in_progress',
  'awaiting_citizen',
  'awaiting_other',
  'decided',
  'closed',
]
const MAX_UPLOAD = 10 * 1024 * 1024
const PAGE = 50

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '')
const pick = (lt: LocalizedText | undefined, lang: Lang): string =>
  lt ? (lt[lang === 'se' ? 'nb' : lang] ?? lt.nb ?? lt.nn ?? lt.en ?? '') : ''

/**
 * Adds the case officer's console to the kit's app: the case list with
 * filters, creating a case, the case page (internal timeline, status changes
 * offered only where the lifecycle allows, result, suspension and extension,
 * reopening for team leads, letters through the outbox), the Dialogporten
 * export and the benefits dashboard.
 *
 * @param options - The kit app, the database, the municipality, the clock.
 */
export function addSaksbehandlingRoutes(options: SaksbehandlingRoutesOptions): void {
  const { web, db } = options
  const { app } = web
  const now = (): Date => new Date((options.now ?? Date.now)())
  const outbox = createOutbox(db, { dialect: options.dialect, now })
  const orgnr = options.municipality.organizationNumber
  const t = (c: Context<WebEnv>, key: TextKey, params?: Record<string, string | number>): string =>
    c.var.t(key, params)

  /** The officer, or the "no access" page. */
  const withOfficer = async (
    c: Context<WebEnv>,
    handler: (officer: Officer) => Promise<Response> | Response,
  ): Promise<Response> => {
    const officer = await officerOf(c, db, orgnr)
    if (!officer) {
      c.var.log.warn('security.not-an-officer', { route: c.req.routePath })
      return web.render(c, {
        title: t(c, 'forbidden.title'),
        status: 403,
        main: html`<h1 class="ds-heading">${t(c, 'forbidden.title')}</h1><p class="ds-paragraph">${t(c, 'forbidden.text')}</p>`,
      })
    }
    return handler(officer)
  }

  /** A case by the id in the path; 404 (logged without identifiers) when there is none. */
  const withCase = async (
    c: Context<WebEnv>,
    handler: (officer: Officer, loaded: LoadedCase) => Promise<Response> | Response,
  ): Promise<Response> =>
    withOfficer(c, async (officer) => {
      const id = c.req.param('id') ?? ''
      const loaded = OPAQUE_ID.test(id) ? await loadCase(db, id) : undefined
      if (!loaded) {
        c.var.log.warn('security.case-not-found', { route: c.req.routePath })
        return web.notFound(c)
      }
      return handler(officer, loaded)
    })

  app.get('/', (c) => {
    const loggedIn = c.var.idPortenSession !== undefined
    return web.render(c, {
      title: t(c, 'start.title'),
      main: html`<h1 class="ds-heading">${t(c, 'start.title')}</h1>
        <p class="ds-paragraph">${t(c, 'start.lead')}</p>
        ${
          loggedIn
            ? html`<ul class="kit-cards">
            <li><a class="ds-link" href="/saker">${t(c, 'nav.cases')}</a></li>
            <li><a class="ds-link" href="/saker/ny">${t(c, 'nav.new')}</a></li>
            <li><a class="ds-link" href="/gevinster">${t(c, 'nav.dashboard')}</a></li></ul>`
            : html`<p class="ds-paragraph"><a class="ds-button" data-variant="primary" href="/auth/login?returnTo=%2Fsaker">${t(c, 'start.login')}</a></p>
        <p class="ds-paragraph kit-muted">${t(c, 'start.loginHelp')}</p>`
        }`,
    })
  })

  // ---------------------------------------------------------------- case list
  app.get('/saker', web.requireSession(), (c) =>
    withOfficer(c, async (officer) => {
      const lang = c.var.lang
      const q = c.req.query()
      const caseType = q.type && CASE_TYPES[q.type] ? q.type : undefined
      const lifecycle = q.status && LIFECYCLE_FILTERS.includes(q.status) ? q.status : undefined
      const today = now().toISOString().slice(0, 10)
      const page = Math.min(Math.max(Number.parseInt(q.side ?? '0', 10) || 0, 0), 10_000)
      const found = await listCases(db, {
        ...(caseType ? { caseType } : {}),
        ...(lifecycle ? { lifecycle } : {}),
        ...(q.mine === '1' ? { officerId: officer.id } : {}),
        ...(q.overdue === '1' ? { overdueOn: today } : {}),
        limit: PAGE + 1,
        offset: page * PAGE,
      })
      const rows = found.slice(0, PAGE)
      const pageLink = (n: number): string => {
        const params = new URLSearchParams()
        for (const key of ['type', 'status', 'overdue', 'mine'] as const) {
          const v = q[key]
          if (v) params.set(key, v)
        }
        params.set('side', String(n))
        return `/saker?${params}`
      }
      const officers = new Map((await listOfficers(db)).map((o) => [o.id, o.name]))
      const statusLabel = (typeId: string, code: string): string => {
        const st = CASE_TYPES[typeId]?.statusTypes.find((s) => s.code === code)
        return st ? pick(st.label, lang) : code
      }
      return web.render(c, {
        title: t(c, 'cases.title'),
        main: html`<h1 class="ds-heading">${t(c, 'cases.title')}</h1>
          <form method="get" action="/saker" class="kit-actions" aria-label="${t(c, 'cases.filter')}">
            ${selectField({
              name: 'type',
              label: t(c, 'cases.filter.type'),
              value: caseType,
              empty: t(c, 'cases.filter.any'),
              options: Object.values(CASE_TYPES).map((ct) => ({ value: ct.id, label: pick(ct.name, lang) })),
            })}
            ${selectField({
              name: 'status',
              label: t(c, 'cases.filter.status'),
              value: lifecycle,
              empty: t(c, 'cases.filter.any'),
              options: LIFECYCLE_FILTERS.map((l) => ({ value: l, label: l.replace('_', ' ') })),
            })}
            <div class="ds-field"><input class="ds-input" type="checkbox" id="f-overdue" name="overdue" value="1"${q.overdue === '1' ? html` checked` : html``}><label class="ds-label" for="f-overdue">${t(c, 'cases.filter.overdue')}</label></div>
            <div class="ds-field"><input class="ds-input" type="checkbox" id="f-mine" name="mine" value="1"${q.mine === '1' ? html` checked` : html``}><label class="ds-label" for="f-mine">${t(c, 'cases.filter.mine')}</label></div>
            <button class="ds-button" data-variant="secondary" type="submit">${t(c, 'cases.filter')}</button>
          </form>
          ${
            rows.length === 0
              ? html`<p class="ds-paragraph">${t(c, 'cases.none')}</p>`
              : html`<div class="kit-table-wrap"><table class="ds-table" data-border>
            <caption>${t(c, 'cases.caption')}</caption>
            <thead><tr><th scope="col">${t(c, 'cases.col.case')}</th><th scope="col">${t(c, 'cases.col.type')}</th><th scope="col">${t(c, 'cases.col.status')}</th><th scope="col">${t(c, 'cases.col.deadline')}</th><th scope="col">${t(c, 'cases.col.officer')}</th></tr></thead>
            <tbody>${rows.map(({ record, work }) => {
              const overdue =
                work?.dueDate !== null &&
                work?.dueDate !== undefined &&
                work.dueDate < today &&
                ['received', 'in_progress', 'awaiting_citizen', 'awaiting_other'].includes(work.lifecycle)
              return html`<tr>
                <td><a href="/saker/${record.id}">${record.title}</a></td>
                <td>${pick(CASE_TYPES[record.caseType]?.name, lang) || record.caseType}</td>
                <td>${statusLabel(record.caseType, record.status)}</td>
                <td>${work?.dueDate ? html`${time(lang, work.dueDate)}${overdue ? html` ${tag('danger', t(c, 'cases.overdue'))}` : html``}` : html`–`}</td>
                <td>${work?.officerId ? (officers.get(work.officerId) ?? '–') : t(c, 'cases.unassigned')}</td>
              </tr>`
            })}</tbody></table></div>`
          }
          <nav aria-label="${t(c, 'cases.pages')}" class="kit-actions">
            ${page > 0 ? html`<a class="ds-link" href="${pageLink(page - 1)}">${t(c, 'cases.previous')}</a>` : html``}
            ${found.length > PAGE ? html`<a class="ds-link" href="${pageLink(page + 1)}">${t(c, 'cases.next')}</a>` : html``}
          </nav>`,
      })
    }),
  )

  // ---------------------------------------------------------------- new case
  const newCaseForm = (
    c: Context<WebEnv>,
    values: Record<string, string>,
    errors: FieldErrors,
    status = 200,
  ): Response => {
    const lang = c.var.lang
    const types = Object.values(CASE_TYPES)
    const tracks = types.flatMap((ct) =>
      ct.tracks.map((tr) => ({
        value: `${ct.id}:${tr.code}`,
        label: `${pick(ct.name, lang)}: ${pick(tr.name, lang)}`,
      })),
    )
    const hasErrors = Object.keys(errors).length > 0
    return web.render(c, {
      title: t(c, 'new.title'),
      status,
      main: html`<h1 class="ds-heading">${t(c, 'new.title')}</h1>
        ${hasErrors ? alert('danger', html`<p class="ds-paragraph">${t(c, 'new.errorSummary')}</p><ul>${Object.entries(errors).map(([field, message]) => html`<li><a href="#f-${field}">${message}</a></li>`)}</ul>`) : html``}
        <form method="post" action="/saker/ny" class="kit-stack" novalidate>
          ${web.csrfField(c)}
          ${selectField({ name: 'track', label: t(c, 'new.track'), value: values.track, error: errors.track, options: tracks })}
          ${textField({ name: 'title', label: t(c, 'new.caseTitle'), value: values.title ?? '', error: errors.title, required: true })}
          ${textField({ name: 'partyId', label: t(c, 'new.partyId'), help: t(c, 'new.partyIdHelp'), error: errors.partyId, required: true, inputmode: 'numeric', autocomplete: 'off' })}
          ${textField({ name: 'partyName', label: t(c, 'new.partyName'), value: values.partyName ?? '', error: errors.partyName, required: true })}
          ${textField({ name: 'address', label: t(c, 'new.address'), value: values.address ?? '', error: errors.address })}
          ${textField({ name: 'postalCode', label: t(c, 'new.postalCode'), value: values.postalCode ?? '', error: errors.postalCode, inputmode: 'numeric' })}
          ${textField({ name: 'city', label: t(c, 'new.city'), value: values.city ?? '', error: errors.city })}
          <button class="ds-button" data-variant="primary" type="submit">${t(c, 'new.submit')}</button>
        </form>`,
    })
  }

  app.get('/saker/ny', web.requireSession(), (c) => withOfficer(c, () => newCaseForm(c, {}, {})))

  app.post('/saker/ny', web.requireSession(), (c) =>
    withOfficer(c, async (officer) => {
      const body = await c.req.parseBody()
      const values = {
        track: text(body.track),
        title: text(body.title),
        partyName: text(body.partyName),
        address: text(body.address),
        postalCode: text(body.postalCode),
        city: text(body.city),
      }
      // The identifier is never echoed back into the page.
      const partyId = text(body.partyId).replace(/\s+/g, '')
      const errors: Record<string, string> = {}
      const [typeId, trackCode] = values.track.split(':')
      const caseType = typeId ? CASE_TYPES[typeId] : undefined
      if (!caseType?.tracks.some((tr) => tr.code === trackCode)) errors.track = t(c, 'error.choice')
      if (values.title === '') errors.title = t(c, 'error.required')
      else if (values.title.length > 200) errors.title = t(c, 'error.tooLong')
      let party: { kind: 'person'; pid: string } | { kind: 'organisation'; orgnr: string } | undefined
      if (partyId === '') errors.partyId = t(c, 'error.required')
      else if (partyId.length === 9) {
        if (parseOrganisationNumber(partyId).valid) party = { kind: 'organisation', orgnr: partyId }
        else errors.partyId = t(c, 'error.orgnr')
      } else if (parseNationalId(partyId, { allowSynthetic: true }).valid) {
        party = { kind: 'person', pid: partyId }
      } else errors.partyId = t(c, 'error.nationalId')
      if (values.partyName === '') errors.partyName = t(c, 'error.required')
      else if (values.partyName.length > 100) errors.partyName = t(c, 'error.tooLong')
      if (values.postalCode !== '' && !/^\d{4}$/.test(values.postalCode))
        errors.postalCode = t(c, 'error.postalCode')
      if (values.address.length > 70) errors.address = t(c, 'error.tooLong')
      if (values.city.length > 50) errors.city = t(c, 'error.tooLong')
      if (Object.keys(errors).length > 0 || !caseType || !party) return newCaseForm(c, values, errors, 422)

      const at = now()
      const id = opaqueId('sak')
      const year = at.getUTCFullYear()
      const number = 10_000 + Math.floor(Math.random() * 89_999)
      const partyUrn =
        party.kind === 'person'
          ? `urn:altinn:person:identifier-no:${party.pid}`
          : `urn:altinn:organization:identifier-no:${party.orgnr}`
      let value: Case = createCase({
        id,
        caseTypeId: caseType.id,
        track: trackCode,
        noark: { saksaar: year, sakssekvensnummer: number, mappeId: `${year}/${number}` },
        title: { nb: values.title },
        parties: [{ id: partyUrn, role: 'applicant', name: values.partyName }],
        startedAt: at.toISOString(),
        responsibleOfficer: officer.name.slice(0, 100),
      })
      const first = caseType.statusTypes
        .filter((st) => st.lifecycle === 'received')
        .sort((a, b) => a.sequence - b.sequence)[0]
      if (first) {
        const applied = applyEvent(
          value,
          {
            type: 'status',
            id: 'e1',
            seq: 1,
            at: at.toISOString(),
            statusType: first.code,
            lifecycle: 'received',
            by: actorOf(officer),
            visibility: 'citizen',
          },
          { caseType },
        )
        if (applied.ok) value = applied.value
      }
      const iso = at.toISOString()
      await db.transaction().execute(async (trx) => {
        const [given, ...rest] = values.partyName.split(' ')
        if (party.kind === 'person') {
          await trx
            .insertInto('persons')
            .values({
              pid: party.pid,
              given_name: given ?? values.partyName,
              family_name: rest.join(' '),
              address_line: values.address,
              postal_code: values.postalCode,
              city: values.city,
              created_at: iso,
            })
            .onConflict((oc) => oc.column('pid').doNothing())
            .execute()
        } else {
          await trx
            .insertInto('organisations')
            .values({ orgnr: party.orgnr, name: values.partyName, created_at: iso })
            .onConflict((oc) => oc.column('orgnr').doNothing())
            .execute()
        }
        await saveCase(db, recordOf(value, iso, iso), workOf(value, caseType, officer.id, at), { trx })
      })
      c.var.log.info('case.created', { caseType: caseType.id })
      return c.redirect(`/saker/${id}?lagret=1`, 303)
    }),
  )

  // ---------------------------------------------------------------- case page
  const casePage = async (
    c: Context<WebEnv>,
    officer: Officer,
    loaded: LoadedCase,
    feedback?: { error?: string; errors?: FieldErrors; status?: number },
  ): Promise<Response> => {
    const lang = c.var.lang
    const { value, caseType } = loaded
    const letters = await lettersOfCase(db, value.id)
    const letterEvents = await letterEventsOfCase(db, value.id)
    const letterTitles = new Map(letters.map((l) => [l.id, l.title]))
    const statusOf = (code: string | undefined) => caseType.statusTypes.find((st) => st.code === code)
    const party = value.parties[0]
    const partyId = party?.id.split(':').at(-1) ?? ''
    const partyShown = party?.id.includes(':person:') ? mask(partyId) : partyId
    const describe = (e: StatusEvent): string => {
      switch (e.type) {
        case 'status':
          return t(c, 'event.status', { label: pick(statusOf(e.statusType)?.label, lang) || e.statusType })
        case 'result':
          return t(c, 'event.result', { outcome: t(c, `outcome.${e.result.outcome}` as TextKey) })
        case 'suspend':
          return t(c, 'event.suspend', { reason: e.reason })
        case 'resume':
          return t(c, 'event.resume')
        case 'extend':
          return t(c, 'event.extend', { duration: e.duration, reason: e.reason })
        case 'reopen':
          return t(c, 'event.reopen', { reason: e.reason })
        case 'assign':
          return t(c, 'event.assign')
        default:
          return t(c, 'event.note')
      }
    }
    const timeline = [
      ...value.events.map((e) => ({
        at: e.at,
        what: describe(e) + (e.note ? ` — ${pick(e.note, lang)}` : ''),
        who: e.by.name ?? e.by.role,
        visibility: e.visibility,
      })),
      ...letterEvents.map((e) => ({
        at: e.at,
        what: t(c, 'event.letter', { title: letterTitles.get(e.letterId) ?? '', text: e.text }),
        who: 'SvarUt',
        visibility: 'citizen' as const,
      })),
    ].sort((a, b) => a.at.localeCompare(b.at))
    const allowed = allowedStatusTypes(value, caseType)
    const errors = feedback?.errors ?? {}
    const deadline = loaded.work?.dueDate
    const csrf = web.csrfField(c)
    return web.render(c, {
      title: pick(value.title, lang),
      status: feedback?.status ?? 200,
      main: html`<h1 class="ds-heading">${pick(value.title, lang)}</h1>
        ${c.req.query('lagret') === '1' && !feedback ? alert('success', t(c, 'case.saved')) : html``}
        ${c.req.query('brev') === '1' && !feedback ? alert('success', t(c, 'case.letterQueued')) : html``}
        ${feedback?.error ? alert('danger', feedback.error) : html``}
        <dl class="kit-meta">
          <dt>${t(c, 'case.reference')}</dt><dd>${value.noark?.mappeId ?? value.id}</dd>
          <dt>${t(c, 'case.type')}</dt><dd>${pick(caseType.name, lang)}</dd>
          <dt>${t(c, 'case.party')}</dt><dd>${party?.name ?? ''} (${partyShown})</dd>
          <dt>${t(c, 'case.status')}</dt><dd id="current-status">${pick(statusOf(value.statusType)?.label, lang) || value.lifecycle}</dd>
          <dt>${t(c, 'case.officer')}</dt><dd>${value.responsibleOfficer ?? '–'}${
            loaded.work?.officerId === officer.id ||
            value.lifecycle === 'closed' ||
            value.lifecycle === 'withdrawn' ||
            value.lifecycle === 'cancelled'
              ? html``
              : html` <form method="post" action="/saker/${value.id}/tildel" class="kit-inline-form">${csrf}<button class="ds-button" data-variant="tertiary" data-size="sm" type="submit">${t(c, 'case.assignMe')}</button></form>`
          }</dd>
          <dt>${t(c, 'case.started')}</dt><dd>${time(lang, value.startedAt)}</dd>
          <dt>${t(c, 'case.deadline')}</dt><dd>${deadline ? time(lang, deadline) : '–'}</dd>
          <dt>${t(c, 'case.result')}</dt><dd>${value.result ? t(c, `outcome.${value.result.outcome}` as TextKey) : t(c, 'case.noResult')}</dd>
        </dl>
        <p class="ds-paragraph"><a href="/saker/${value.id}/dialogporten">${t(c, 'case.dialogporten')}</a></p>

        <section aria-labelledby="h-timeline">
          <h2 class="ds-heading" id="h-timeline">${t(c, 'case.timeline')}</h2>
          <div class="kit-table-wrap"><table class="ds-table" data-border aria-labelledby="h-timeline">
            <thead><tr><th scope="col">${t(c, 'case.col.when')}</th><th scope="col">${t(c, 'case.col.what')}</th><th scope="col">${t(c, 'case.col.who')}</th><th scope="col">${t(c, 'case.col.visibility')}</th></tr></thead>
            <tbody>${timeline.map(
              (e) =>
                html`<tr><td>${time(lang, e.at, true)}</td><td>${e.what}</td><td>${e.who}</td><td>${t(c, `case.visibility.${e.visibility}` as TextKey)}</td></tr>`,
            )}</tbody>
          </table></div>
        </section>

        <section aria-labelledby="h-status" class="kit-stack">
          <h2 class="ds-heading" id="h-status">${t(c, 'case.changeStatus')}</h2>
          ${
            allowed.length === 0
              ? html`<p class="ds-paragraph">${t(c, 'case.noTransitions')}</p>`
              : html`<form method="post" action="/saker/${value.id}/status" class="kit-stack">${csrf}
              ${selectField({ name: 'statusType', label: t(c, 'case.newStatus'), error: errors.statusType, options: allowed.map((st) => ({ value: st.code, label: pick(st.label, lang) })) })}
              ${textField({ name: 'note', label: t(c, 'case.note'), error: errors.note })}
              <button class="ds-button" data-variant="primary" type="submit">${t(c, 'case.save')}</button></form>`
          }
        </section>

        ${
          value.lifecycle === 'closed' || value.lifecycle === 'withdrawn' || value.lifecycle === 'cancelled'
            ? html``
            : html`<section aria-labelledby="h-result" class="kit-stack">
          <h2 class="ds-heading" id="h-result">${t(c, 'case.recordResult')}</h2>
          <form method="post" action="/saker/${value.id}/resultat" class="kit-stack">${csrf}
            ${selectField({ name: 'outcome', label: t(c, 'case.outcome'), error: errors.outcome, options: caseType.resultOutcomes.map((o) => ({ value: o, label: t(c, `outcome.${o}` as TextKey) })) })}
            ${textField({ name: 'summary', label: t(c, 'case.summary'), error: errors.summary })}
            <button class="ds-button" data-variant="secondary" type="submit">${t(c, 'case.recordResult')}</button>
          </form></section>`
        }

        ${
          caseType.suspensionAllowed || caseType.extensionAllowed
            ? html`<section aria-labelledby="h-deadline" class="kit-stack">
          <h2 class="ds-heading" id="h-deadline">${t(c, 'case.deadlines')}</h2>
          <form method="post" action="/saker/${value.id}/frist" class="kit-stack">${csrf}
            ${selectField({
              name: 'action',
              label: t(c, 'case.deadlines'),
              error: errors.action,
              options: [
                ...(caseType.suspensionAllowed
                  ? [
                      { value: 'suspend', label: t(c, 'case.suspend') },
                      { value: 'resume', label: t(c, 'case.resume') },
                    ]
                  : []),
                ...(caseType.extensionAllowed ? [{ value: 'extend', label: t(c, 'case.extend') }] : []),
              ],
            })}
            ${textField({ name: 'days', label: t(c, 'case.days'), error: errors.days, inputmode: 'numeric' })}
            ${textField({ name: 'reason', label: t(c, 'case.reason'), error: errors.reason })}
            <button class="ds-button" data-variant="secondary" type="submit">${t(c, 'case.save')}</button>
          </form></section>`
            : html``
        }

        ${
          value.lifecycle === 'closed'
            ? html`<section aria-labelledby="h-reopen" class="kit-stack">
          <h2 class="ds-heading" id="h-reopen">${t(c, 'case.reopen')}</h2>
          <p class="ds-paragraph kit-muted">${t(c, 'case.reopenHelp')}</p>
          ${
            officer.role === 'team_lead'
              ? html`<form method="post" action="/saker/${value.id}/gjenapne" class="kit-stack">${csrf}
            ${textField({ name: 'reopenReason', label: t(c, 'case.reason'), error: errors.reopenReason })}
            <button class="ds-button" data-variant="secondary" type="submit">${t(c, 'case.reopen')}</button></form>`
              : html``
          }</section>`
            : html``
        }

        <section aria-labelledby="h-letters" class="kit-stack">
          <h2 class="ds-heading" id="h-letters">${t(c, 'case.letters')}</h2>
          ${
            letters.length === 0
              ? html`<p class="ds-paragraph">${t(c, 'case.noLetters')}</p>`
              : html`<div class="kit-table-wrap"><table class="ds-table" data-border aria-labelledby="h-letters">
            <thead><tr><th scope="col">${t(c, 'case.col.title')}</th><th scope="col">${t(c, 'case.col.letterStatus')}</th><th scope="col">${t(c, 'case.col.sent')}</th><th scope="col">${t(c, 'case.col.document')}</th></tr></thead>
            <tbody>${letters.map(
              (l) => html`<tr><td>${l.title}</td>
                <td data-letter-phase="${l.phase}">${tag(phaseColor(l.phase), t(c, `phase.${l.phase}` as TextKey) || l.phase)}</td>
                <td>${l.sentAt ? time(lang, l.sentAt, true) : '–'}</td>
                <td><a href="/saker/${value.id}/brev/${l.id}/dokument">${t(c, 'case.openPdf')}</a></td></tr>`,
            )}</tbody></table></div>`
          }
          <h3 class="ds-heading" data-size="sm">${t(c, 'case.newLetter')}</h3>
          <form method="post" action="/saker/${value.id}/brev" enctype="multipart/form-data" class="kit-stack">${csrf}
            ${selectField({
              name: 'letterKind',
              label: t(c, 'case.letterKind'),
              error: errors.letterKind,
              options: [
                { value: 'decision', label: t(c, 'case.letterKind.decision') },
                { value: 'information', label: t(c, 'case.letterKind.information') },
              ],
            })}
            ${textField({ name: 'letterTitle', label: t(c, 'case.letterTitle'), error: errors.letterTitle })}
            ${textField({ name: 'letterBody', label: t(c, 'case.letterBody'), help: t(c, 'case.letterBodyHelp'), error: errors.letterBody, multiline: true })}
            <div class="ds-field">
              <label class="ds-label" for="f-letterFile">${t(c, 'case.letterFile')}</label>
              <input class="ds-input" type="file" id="f-letterFile" name="letterFile" accept="application/pdf"${errors.letterFile ? html` aria-invalid="true" aria-describedby="f-letterFile-error"` : html``}>
              ${errors.letterFile ? html`<div class="ds-validation-message" data-color="danger" id="f-letterFile-error">${errors.letterFile}</div>` : html``}
            </div>
            <button class="ds-button" data-variant="primary" type="submit">${t(c, 'case.sendLetter')}</button>
          </form>
        </section>`,
    })
  }

  app.get('/saker/:id', web.requireSession(), (c) =>
    withCase(c, (officer, loaded) => casePage(c, officer, loaded)),
  )

  /** Applies an event and answers with the case page: the rule's message on refusal. */
  const apply = async (
    c: Context<WebEnv>,
    officer: Officer,
    loaded: LoadedCase,
    make: (base: { id: string; seq: number; at: string }) => StatusEvent,
  ): Promise<Response> => {
    const outcome = await changeCase(db, loaded, make, { now: now(), officerId: officer.id })
    if (outcome.ok) return c.redirect(`/saker/${loaded.value.id}?lagret=1`, 303)
    if ('conflict' in outcome)
      return casePage(c, officer, loaded, { error: t(c, 'case.conflict'), status: 409 })
    c.var.log.info('case.rule-refused', { rule: outcome.error.rule })
    return casePage(c, officer, loaded, { error: outcome.error.message, status: 422 })
  }

  app.post('/saker/:id/status', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const body = await c.req.parseBody()
      const code = text(body.statusType)
      const note = text(body.note)
      const st = loaded.caseType.statusTypes.find((s) => s.code === code)
      if (!st)
        return casePage(c, officer, loaded, { errors: { statusType: t(c, 'error.choice') }, status: 422 })
      if (note.length > 1000)
        return casePage(c, officer, loaded, { errors: { note: t(c, 'error.tooLong') }, status: 422 })
      // No filtering here: the model refuses what the lifecycle does not allow, with the rule's message.
      return apply(c, officer, loaded, (base) => ({
        ...base,
        type: 'status',
        statusType: st.code,
        lifecycle: st.lifecycle,
        by: actorOf(officer),
        visibility: st.visibility,
        ...(note ? { note: { [c.var.lang === 'se' ? 'nb' : c.var.lang]: note } } : {}),
      }))
    }),
  )

  app.post('/saker/:id/tildel', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const outcome = await changeCase(
        db,
        loaded,
        (base) => ({
          ...base,
          type: 'assign',
          responsibleOfficer: officer.name.slice(0, 100),
          by: actorOf(officer),
          visibility: 'internal',
        }),
        { now: now(), officerId: officer.id, assign: true },
      )
      if (outcome.ok) return c.redirect(`/saker/${loaded.value.id}?lagret=1`, 303)
      if ('conflict' in outcome)
        return casePage(c, officer, loaded, { error: t(c, 'case.conflict'), status: 409 })
      return casePage(c, officer, loaded, { error: outcome.error.message, status: 422 })
    }),
  )

  app.post('/saker/:id/resultat', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const body = await c.req.parseBody()
      const outcome = text(body.outcome) as ResultOutcome
      const summary = text(body.summary)
      if (!OUTCOMES.includes(outcome) || !loaded.caseType.resultOutcomes.includes(outcome)) {
        return casePage(c, officer, loaded, { errors: { outcome: t(c, 'error.choice') }, status: 422 })
      }
      if (summary.length > 1000)
        return casePage(c, officer, loaded, { errors: { summary: t(c, 'error.tooLong') }, status: 422 })
      const correcting = loaded.value.result !== undefined
      return apply(c, officer, loaded, (base) => ({
        ...base,
        type: 'result',
        result: {
          outcome,
          decidedAt: base.at,
          notifiedAt: base.at,
          ...(summary ? { summary: { nb: summary } } : {}),
        },
        ...(correcting ? { reason: summary || 'Retting av vedtak' } : {}),
        by: actorOf(officer),
        visibility: 'citizen',
      }))
    }),
  )

  app.post('/saker/:id/frist', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const body = await c.req.parseBody()
      const action = text(body.action)
      const reason = text(body.reason)
      const days = text(body.days)
      const errors: Record<string, string> = {}
      if (!['suspend', 'resume', 'extend'].includes(action)) errors.action = t(c, 'error.choice')
      if ((action === 'suspend' || action === 'extend') && reason === '') errors.reason = t(c, 'error.reason')
      if (reason.length > 1000) errors.reason = t(c, 'error.tooLong')
      const n = Number(days)
      if (action === 'extend' && !(Number.isInteger(n) && n >= 1 && n <= 365))
        errors.days = t(c, 'error.days')
      if (Object.keys(errors).length > 0) return casePage(c, officer, loaded, { errors, status: 422 })
      return apply(c, officer, loaded, (base) => {
        const common = { ...base, by: actorOf(officer), visibility: 'citizen' as const }
        if (action === 'suspend') return { ...common, type: 'suspend', reason }
        if (action === 'resume') return { ...common, type: 'resume' }
        return { ...common, type: 'extend', duration: `P${n}D`, reason }
      })
    }),
  )

  app.post('/saker/:id/gjenapne', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const body = await c.req.parseBody()
      const reason = text(body.reopenReason)
      if (officer.role !== 'team_lead') {
        c.var.log.warn('security.reopen-refused', { route: c.req.routePath })
        return casePage(c, officer, loaded, { error: t(c, 'case.reopenHelp'), status: 403 })
      }
      if (reason === '')
        return casePage(c, officer, loaded, { errors: { reopenReason: t(c, 'error.reason') }, status: 422 })
      const target = reopenStatusType(loaded.caseType)
      return apply(c, officer, loaded, (base) => ({
        ...base,
        type: 'reopen',
        statusType: target?.code ?? 'under-behandling',
        reason: reason.slice(0, 1000),
        by: actorOf(officer),
        visibility: 'citizen',
      }))
    }),
  )

  // ---------------------------------------------------------------- letters
  app.post('/saker/:id/brev', web.requireSession(), (c) =>
    withCase(c, async (officer, loaded) => {
      const body = await c.req.parseBody()
      const kind = text(body.letterKind)
      const title = text(body.letterTitle)
      const bodyText = text(body.letterBody)
      const file = body.letterFile
      const errors: Record<string, string> = {}
      if (kind !== 'decision' && kind !== 'information') errors.letterKind = t(c, 'error.choice')
      if (title === '') errors.letterTitle = t(c, 'error.required')
      else if (title.length > 200) errors.letterTitle = t(c, 'error.tooLong')
      const upload = file instanceof File && file.size > 0 ? file : undefined
      let pdf: Uint8Array | undefined
      if (upload) {
        const bytes = new Uint8Array(await upload.arrayBuffer())
        if (
          bytes.byteLength > MAX_UPLOAD ||
          Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-'
        ) {
          errors.letterFile = t(c, 'error.pdf')
        } else pdf = bytes
      } else if (bodyText === '') errors.letterBody = t(c, 'error.required')
      else if (bodyText.length > 20_000) errors.letterBody = t(c, 'error.tooLong')
      const party = loaded.value.parties[0]
      const partyId = party?.id.split(':').at(-1) ?? ''
      const recipient = party?.id.includes(':person:')
        ? ({ kind: 'person', pid: partyId } as const)
        : ({ kind: 'organisation', orgnr: partyId } as const)
      if (Object.keys(errors).length === 0 && !pdf) {
        const address =
          recipient.kind === 'person'
            ? await db.selectFrom('persons').selectAll().where('pid', '=', recipient.pid).executeTakeFirst()
            : undefined
        try {
          pdf = await renderLetterPdf({
            language: c.var.lang === 'se' ? 'nb' : c.var.lang,
            sender: options.municipality,
            recipient: {
              name: party?.name ?? '',
              addressLines: address?.address_line ? [address.address_line] : [],
              postalCode: address?.postal_code || '0000',
              city: address?.city || '–',
              ...(recipient.kind === 'organisation' ? { organizationNumber: recipient.orgnr } : {}),
            },
            caseNumber: loaded.value.noark?.mappeId ?? loaded.value.id,
            date: now(),
            title,
            paragraphs: bodyText
              .split(/\n\s*\n/)
              .map((p) => p.trim())
              .filter(Boolean),
            signers: [{ name: officer.name, title: t(c, `role.${officer.role}` as TextKey) }],
            metadata: { creationDate: now() },
          })
        } catch (error) {
          if (!isDocumentError(error)) throw error
          const field = error.field.startsWith('title') ? 'letterTitle' : 'letterBody'
          errors[field] =
            error.code === 'ERR_NATIONAL_ID_IN_TEXT' ? t(c, 'error.nationalId') : t(c, 'error.tooLong')
        }
      }
      if (Object.keys(errors).length > 0 || !pdf) return casePage(c, officer, loaded, { errors, status: 422 })
      await recordLetter(
        db,
        outbox,
        {
          id: randomUUID(),
          caseId: loaded.value.id,
          recipient,
          title,
          letterKind: kind,
          queuedBy: officer.id,
          documents: [
            {
              filnavn: kind === 'decision' ? 'vedtak.pdf' : 'brev.pdf',
              mimeType: 'application/pdf',
              content: pdf,
            },
          ],
        },
        { now: now() },
      )
      c.var.log.info('letter.queued', { kind })
      return c.redirect(`/saker/${loaded.value.id}?brev=1`, 303)
    }),
  )

  app.get('/saker/:id/brev/:letterId/dokument', web.requireSession(), (c) =>
    withCase(c, async (_officer, loaded) => {
      const letterId = c.req.param('letterId')
      const letters = UUID.test(letterId) ? await lettersOfCase(db, loaded.value.id) : []
      const doc = letters.some((l) => l.id === letterId) ? await letterDocument(db, letterId, 0) : undefined
      if (!doc) return web.notFound(c)
      return new Response(new Uint8Array(doc.content), {
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': `inline; filename="${doc.filnavn.replace(/[^\w.-]/g, '_')}"`,
          'cache-control': 'no-store',
        },
      })
    }),
  )

  // ---------------------------------------------------------------- Dialogporten
  const dialogOf = (loaded: LoadedCase, c: Context<WebEnv>) =>
    toDialogportenDialog(loaded.value, {
      caseType: loaded.caseType,
      serviceResource: `${options.serviceResourcePrefix ?? 'urn:altinn:resource:fjellvik-'}${loaded.caseType.id}`,
      asOf: now().toISOString(),
      caseUrl: new URL(`/saker/${loaded.value.id}`, new URL(c.req.url).origin).href,
    })

  app.get('/saker/:id/dialogporten', web.requireSession(), (c) =>
    withCase(c, (_officer, loaded) => {
      const sync = dialogOf(loaded, c)
      const json = JSON.stringify(sync.action === 'upsert' ? sync.dialog : sync, null, 2)
      return web.render(c, {
        title: t(c, 'dp.title', { title: pick(loaded.value.title, c.var.lang) }),
        main: html`<h1 class="ds-heading">${t(c, 'dp.title', { title: pick(loaded.value.title, c.var.lang) })}</h1>
          <p class="ds-paragraph">${t(c, 'dp.lead')}</p>
          ${sync.action === 'delete' ? alert('warning', t(c, 'dp.deleted')) : html``}
          <p class="ds-paragraph"><a class="ds-button" data-variant="secondary" href="/saker/${loaded.value.id}/dialogporten.json" download>${t(c, 'dp.download')}</a></p>
          <pre class="kit-table-wrap" tabindex="0"><code>${json}</code></pre>`,
      })
    }),
  )

  app.get('/saker/:id/dialogporten.json', web.requireSession(), (c) =>
    withCase(c, (_officer, loaded) => {
      const sync = dialogOf(loaded, c)
      return new Response(JSON.stringify(sync.action === 'upsert' ? sync.dialog : sync, null, 2), {
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="dialog-${loaded.value.id}.json"`,
          'cache-control': 'no-store',
        },
      })
    }),
  )

  addDashboardRoutes({ web, db, withOfficer, now, text: t })
}
