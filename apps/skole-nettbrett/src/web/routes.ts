import {
  ACTION_TYPES,
  type ActionType,
  canPerform,
  type DeviceAction,
  isDestructive,
  type Platform,
  type Vendor,
} from '@felles/mdm'
import { stackedBarChartSvg, toCsvStream } from '@felles/sample-documents'
import type { Database } from '@felles/sample-municipality'
import {
  type AuditRow,
  accessFor,
  type DeviceFilter,
  type DeviceRow,
  deviceCountsBySchool,
  deviceFacets,
  findDevice,
  iterateDevices,
  listAudit,
  listDevices,
  listOnboarding,
  listSchools,
  type SqliteHandle,
} from '@felles/sample-municipality/schools'
import { html, type SafeHtml, trusted, type WebApp, type WebEnv } from '@felles/sample-web'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import type { ActionService, Actor, DeviceActionResult } from '../actions.js'
import { ConsoleError, isConsoleError } from '../errors.js'
import type { OnboardingService } from '../onboarding.js'
import { complianceReport, type MinimumOsVersions } from '../report.js'
import type { InventorySync } from '../sync.js'
import type { TextKey } from './texts.js'

/** A registered school as the pages need it. */
type SchoolRef = { readonly id: string; readonly name: string }

/** What the routes need. */
export interface RouteDeps {
  /** The registered schools, as the fleet client knows them (reloaded when a school is registered). */
  readonly schools: () => readonly SchoolRef[]
  readonly web: WebApp
  readonly db: Kysely<Database>
  /** The better-sqlite3 handle on SQLite: the fleet page's queries run as prepared statements. */
  readonly sqlite?: SqliteHandle | undefined
  readonly actions: ActionService
  readonly sync: InventorySync
  readonly onboarding: OnboardingService
  readonly now: () => Date
  readonly minimumOs?: MinimumOsVersions
}

type C = Context<WebEnv>

const PAGE_SIZE = 50
const VENDOR_NAMES: Record<string, string> = {
  intune: 'Intune',
  'jamf-pro': 'Jamf Pro',
  'jamf-school': 'Jamf School',
  google: 'Google',
}
const PLATFORM_NAMES: Record<string, string> = {
  ipados: 'iPadOS',
  ios: 'iOS',
  macos: 'macOS',
  windows: 'Windows',
  chromeos: 'ChromeOS',
  android: 'Android',
  other: '–',
}
/** Actions offered on the device page, in order. */
const OFFERED: readonly ActionType[] = [
  'lock',
  'enableLostMode',
  'disableLostMode',
  'locate',
  'restart',
  'clearPasscode',
  'wipe',
  'retire',
]
const BULK: readonly ActionType[] = ['lock', 'restart', 'sync', 'clearPasscode']

const tr = (c: C, key: TextKey, params?: Record<string, string | number>): string => c.get('t')(key, params)

// Formatting dates is costly (Intl): one formatter per language, and the texts of recent
// times kept (the fleet page shows the same check-in times request after request).
const timeFormats = new Map<string, Intl.DateTimeFormat>()
const formatted = new Map<string, string>()
const formatTime = (c: C, iso: string | null): string => {
  if (iso === null) return tr(c, 'never')
  const locale = c.get('lang') === 'en' ? 'en-GB' : 'nb-NO'
  const key = `${locale}|${iso}`
  const known = formatted.get(key)
  if (known !== undefined) return known
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return tr(c, 'unknown')
  let format = timeFormats.get(locale)
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      dateStyle: 'short',
      timeStyle: 'short',
      timeZone: 'Europe/Oslo',
    })
    timeFormats.set(locale, format)
  }
  const text = format.format(d)
  if (formatted.size >= 20_000) formatted.clear()
  formatted.set(key, text)
  return text
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
/** HTML escaping for the hot path (the fleet table), where nested templates cost too much. */
const esc = (value: string): string => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string)

/** One row of the fleet table, every value escaped. */
function fleetRow(c: C, schoolId: string, d: DeviceRow): string {
  const label = esc(tr(c, 'fleet.select', { name: d.name ?? d.serial_number ?? d.id }))
  const id = esc(d.id)
  return `<tr>
<td><input class="ds-input" type="checkbox" name="enhet" value="${id}" id="sel-${id}" aria-label="${label}"></td>
<th scope="row"><a class="ds-link" href="${esc(deviceHref(schoolId, d.id))}">${esc(d.name ?? d.serial_number ?? d.id)}</a></th>
<td>${esc(d.serial_number ?? '–')}</td><td>${esc(PLATFORM_NAMES[d.platform] ?? d.platform)}</td><td>${esc(d.os_version ?? '–')}</td>
<td>${esc(d.device_group ?? '–')}</td><td>${esc(d.compliance)}</td><td>${esc(formatTime(c, d.last_check_in))}</td><td>${esc(
    VENDOR_NAMES[d.vendor] ?? d.vendor,
  )}</td>
</tr>
`
}

const deviceHref = (schoolId: string, deviceId: string): string =>
  `/skoler/${encodeURIComponent(schoolId)}/enheter/${encodeURIComponent(deviceId)}`

/** The claims' reportee organisation numbers (Ansattporten `authorization_details[].reportees[].ID`). */
function reporteesOf(claims: Record<string, unknown> | undefined): string[] {
  const details = claims?.authorization_details
  if (!Array.isArray(details)) return []
  const out: string[] = []
  for (const d of details) {
    const reportees = (d as { reportees?: unknown }).reportees
    if (!Array.isArray(reportees)) continue
    for (const r of reportees) {
      const id = (r as { ID?: unknown }).ID
      if (typeof id === 'string') {
        const orgnr = id.replace(/^0192:/, '')
        if (/^\d{9}$/.test(orgnr)) out.push(orgnr)
      }
    }
  }
  return out
}

/** Message of one action result, in the page's language. */
export function resultMessage(c: C, r: Pick<DeviceActionResult, 'outcome' | 'errorCode'>): string {
  switch (r.outcome) {
    case 'queued':
      return tr(c, 'result.queued')
    case 'completed':
      return tr(c, 'result.completed')
    case 'dry-run':
      return tr(c, 'result.dryRun')
    default:
      switch (r.errorCode) {
        case 'ERR_MDM_NOT_FOUND':
          return tr(c, 'result.notFound')
        case 'ERR_MDM_UNSUPPORTED':
          return tr(c, 'result.unsupported')
        case 'ERR_MDM_UNAVAILABLE':
          return tr(c, 'result.unavailable')
        case 'ERR_MDM_RATE_LIMITED':
          return tr(c, 'result.rateLimited')
        default:
          return tr(c, 'result.failed', { code: r.errorCode ?? 'ERR' })
      }
  }
}

const isOk = (r: DeviceActionResult): boolean =>
  r.outcome === 'queued' || r.outcome === 'completed' || r.outcome === 'dry-run'

/** Mounts the console's pages on the kit's app; returns the menu for a request. */
export function mountRoutes(deps: RouteDeps): { nav(c: C): { href: string; label: string }[] } {
  const { web, db } = deps
  const { app } = web
  const auth = web.requireSession()

  // The actor of each request, for the menu (rendered after the handler resolved it).
  const actors = new WeakMap<Request, Actor>()
  const actorOf = async (c: C): Promise<Actor | null> => {
    const known = actors.get(c.req.raw)
    if (known !== undefined) return known
    const s = c.get('idPortenSession')
    if (s === undefined) return null
    const access = await accessFor(
      db,
      { pid: s.pid ?? null, orgnrs: reporteesOf(s.claims as Record<string, unknown> | undefined) },
      deps.schools().map((school) => school.id),
    )
    if (!access.centralIt && access.schoolIds.length === 0) return null
    const actor: Actor = {
      id: s.sub,
      name: access.displayName ?? `Ansatt ${s.sub.slice(0, 8)}`,
      role: access.centralIt ? 'central-it' : 'school-admin',
      schoolIds: access.schoolIds,
    }
    actors.set(c.req.raw, actor)
    return actor
  }

  const noAccess = (c: C): Response =>
    web.render(c, {
      title: tr(c, 'noaccess.title'),
      status: 403,
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'noaccess.title')}</h1>
<p class="ds-paragraph">${tr(c, 'noaccess.text')}</p>`,
    })

  /** The actor and the school of the path, or a response: 403 without access, 404 for a school not theirs. */
  const scoped = async (c: C): Promise<{ actor: Actor; school: SchoolRef } | Response> => {
    const actor = await actorOf(c)
    if (actor === null) return noAccess(c)
    const schoolId = c.req.param('school') ?? ''
    if (!actor.schoolIds.includes(schoolId)) {
      // Logged without the id asked for: it may name another school.
      c.get('log').warn('security.foreign-school', { route: routePattern(c) })
      return web.notFound(c)
    }
    const school = deps.schools().find((x) => x.id === schoolId)
    if (school === undefined) return web.notFound(c)
    return { actor, school }
  }

  const centralOnly = async (c: C): Promise<Actor | Response> => {
    const actor = await actorOf(c)
    if (actor === null) return noAccess(c)
    if (actor.role !== 'central-it') return web.notFound(c)
    return actor
  }

  // The filter menus change only when the inventory does: kept for a short while per school.
  const facetCache = new Map<string, { at: number; value: Awaited<ReturnType<typeof deviceFacets>> }>()
  const facetsOf = async (schoolId: string): Promise<Awaited<ReturnType<typeof deviceFacets>>> => {
    const hit = facetCache.get(schoolId)
    if (hit !== undefined && Date.now() - hit.at < 30_000) return hit.value
    const value = await deviceFacets(db, schoolId)
    facetCache.set(schoolId, { at: Date.now(), value })
    return value
  }

  const schoolNav = (c: C, school: SchoolRef): SafeHtml => {
    const base = `/skoler/${encodeURIComponent(school.id)}`
    return html`<ul class="sk-links">
<li><a class="ds-link" href="${base}">${tr(c, 'fleet.title', { school: school.name })}</a></li>
<li><a class="ds-link" href="${base}/rapport">${tr(c, 'fleet.report')}</a></li>
<li><a class="ds-link" href="${base}/logg">${tr(c, 'fleet.audit')}</a></li>
</ul>`
  }

  const alert = (kind: 'danger' | 'success' | 'info' | 'warning', text: string | SafeHtml): SafeHtml =>
    html`<div class="ds-alert" data-color="${kind}" role="${kind === 'danger' ? 'alert' : 'status'}"><p class="ds-paragraph">${text}</p></div>`

  // ---- start page -------------------------------------------------------------------------------
  const schoolList = async (c: C, actor: Actor): Promise<Response> => {
    const [schools, counts] = await Promise.all([listSchools(db), deviceCountsBySchool(db)])
    const mine = schools.filter((s) => actor.schoolIds.includes(s.id))
    return web.render(c, {
      title: tr(c, 'home.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'home.title')}</h1>
<p class="ds-paragraph">${actor.role === 'central-it' ? tr(c, 'home.role.central') : tr(c, 'home.role.school')}</p>
<h2 class="ds-heading" data-size="md">${tr(c, 'home.schools')}</h2>
<ul class="sk-school-list">
${mine.map(
  (s) =>
    html`<li><a class="ds-link" href="/skoler/${encodeURIComponent(s.id)}">${s.name}</a> <span class="kit-muted">${tr(
      c,
      'home.devices',
      { n: counts.get(s.id) ?? 0 },
    )}</span></li>`,
)}
</ul>`,
    })
  }

  app.get('/', async (c) => {
    const session = c.get('idPortenSession')
    if (session === undefined) {
      return web.render(c, {
        title: tr(c, 'home.title'),
        main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'home.title')}</h1>
<p class="ds-paragraph">${tr(c, 'home.intro')}</p>
<p class="ds-paragraph">${tr(c, 'home.login')}</p>
<p><a class="ds-button" data-variant="primary" href="/auth/login?returnTo=%2Fskoler">${tr(c, 'kit.login' as TextKey)}</a></p>`,
      })
    }
    const actor = await actorOf(c)
    if (actor === null) return noAccess(c)
    return schoolList(c, actor)
  })

  app.get('/skoler', auth, async (c) => {
    const actor = await actorOf(c)
    if (actor === null) return noAccess(c)
    return schoolList(c, actor)
  })

  // ---- fleet ------------------------------------------------------------------------------------
  const filterOf = (c: C, schoolId: string): DeviceFilter => {
    const q = (name: string): string | undefined => {
      const v = c.req.query(name)
      return v === undefined || v === '' ? undefined : v.slice(0, 100)
    }
    const seen = q('sett')
    return {
      schoolId,
      platform: q('plattform'),
      group: q('gruppe'),
      compliance: q('samsvar'),
      seen: seen === 'recent' || seen === 'stale' ? seen : undefined,
      serial: q('serienummer'),
      now: deps.now(),
    }
  }

  app.get('/skoler/:school', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { school } = scope
    const filter = filterOf(c, school.id)
    const pageNo = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('side') ?? '1', 10) || 1))
    const [{ devices, total }, facets] = await Promise.all([
      listDevices(db, filter, { limit: PAGE_SIZE, offset: (pageNo - 1) * PAGE_SIZE }, deps.sqlite),
      facetsOf(school.id),
    ])
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE))
    const base = `/skoler/${encodeURIComponent(school.id)}`
    const query = (extra: Record<string, string>): string => {
      const p = new URLSearchParams()
      const f: Record<string, string | undefined> = {
        plattform: filter.platform,
        gruppe: filter.group,
        samsvar: filter.compliance,
        sett: filter.seen,
        serienummer: filter.serial,
      }
      for (const [k, v] of Object.entries(f)) if (v !== undefined) p.set(k, v)
      for (const [k, v] of Object.entries(extra)) p.set(k, v)
      const s = p.toString()
      return s === '' ? '' : `?${s}`
    }
    const select = (name: string, label: string, current: string | undefined, options: [string, string][]) =>
      html`<div class="ds-field"><label class="ds-label" for="f-${name}">${label}</label>
<select class="ds-input" id="f-${name}" name="${name}"><option value="">${tr(c, 'fleet.all')}</option>
${options.map(([v, l]) => html`<option value="${v}"${v === current ? html` selected` : ''}>${l}</option>`)}
</select></div>`
    return web.render(c, {
      title: tr(c, 'fleet.title', { school: school.name }),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'fleet.title', { school: school.name })}</h1>
${schoolNav(c, school)}
<form class="sk-filters" method="get" action="${base}" role="search" aria-label="${tr(c, 'fleet.filters')}">
${select(
  'plattform',
  tr(c, 'fleet.platform'),
  filter.platform,
  facets.platforms.map((p) => [p, PLATFORM_NAMES[p] ?? p]),
)}
${select(
  'gruppe',
  tr(c, 'fleet.group'),
  filter.group,
  facets.groups.map((g) => [g, g]),
)}
${select(
  'samsvar',
  tr(c, 'fleet.compliance'),
  filter.compliance,
  facets.compliance.map((v) => [v, v]),
)}
${select('sett', tr(c, 'fleet.seen'), filter.seen, [
  ['recent', tr(c, 'fleet.seen.recent')],
  ['stale', tr(c, 'fleet.seen.stale')],
])}
<div class="ds-field"><label class="ds-label" for="f-serial">${tr(c, 'fleet.serial')}</label>
<input class="ds-input" id="f-serial" name="serienummer" value="${filter.serial ?? ''}" maxlength="40" autocomplete="off"></div>
<button class="ds-button" data-variant="secondary" type="submit">${tr(c, 'fleet.apply')}</button>
</form>
<p class="ds-paragraph">${tr(c, 'fleet.count', { n: total })} · <a class="ds-link" href="${base}/enheter.csv${query({})}" download>${tr(c, 'fleet.export')}</a></p>
${
  devices.length === 0
    ? html`<p class="ds-paragraph">${tr(c, 'fleet.none')}</p>`
    : html`<form method="post" action="${base}/handlinger">
${web.csrfField(c)}
<div class="sk-table-wrap"><table class="ds-table" data-border>
<caption>${tr(c, 'fleet.caption', { school: school.name, page: pageNo, pages })}</caption>
<thead><tr><th scope="col"><span class="ds-sr-only">${tr(c, 'fleet.bulk')}</span></th><th scope="col">${tr(c, 'col.name')}</th><th scope="col">${tr(
        c,
        'col.serial',
      )}</th><th scope="col">${tr(c, 'col.platform')}</th><th scope="col">${tr(c, 'col.os')}</th><th scope="col">${tr(
        c,
        'col.group',
      )}</th><th scope="col">${tr(c, 'col.compliance')}</th><th scope="col">${tr(c, 'col.lastSeen')}</th><th scope="col">${tr(
        c,
        'col.vendor',
      )}</th></tr></thead>
<tbody>
${trusted(devices.map((d) => fleetRow(c, school.id, d)).join(''))}
</tbody></table></div>
<fieldset class="ds-fieldset sk-bulk"><legend class="ds-label">${tr(c, 'fleet.bulk')}</legend>
<div class="ds-field"><label class="ds-label" for="bulk-type">${tr(c, 'action.type')}</label>
<select class="ds-input" id="bulk-type" name="handling">${BULK.map(
        (a) => html`<option value="${a}">${tr(c, `action.${a}` as TextKey)}</option>`,
      )}</select></div>
<div class="ds-field"><label class="ds-label" for="bulk-message">${tr(c, 'action.message')}</label>
<input class="ds-input" id="bulk-message" name="melding" maxlength="200"></div>
<div class="ds-field"><label class="ds-label" for="bulk-phone">${tr(c, 'action.phone')}</label>
<input class="ds-input" id="bulk-phone" name="telefon" maxlength="20" inputmode="tel" autocomplete="off"></div>
<div class="ds-field"><label class="ds-label" for="bulk-reason">${tr(c, 'action.reason')}</label>
<input class="ds-input" id="bulk-reason" name="begrunnelse" maxlength="500" required></div>
<button class="ds-button" data-variant="primary" type="submit">${tr(c, 'fleet.bulk.run')}</button>
</fieldset>
</form>`
}
<nav class="sk-pager" aria-label="${tr(c, 'fleet.caption', { school: school.name, page: pageNo, pages })}">
${pageNo > 1 ? html`<a class="ds-link" href="${base}${query({ side: String(pageNo - 1) })}">${tr(c, 'fleet.prev')}</a>` : ''}
${pageNo < pages ? html`<a class="ds-link" href="${base}${query({ side: String(pageNo + 1) })}">${tr(c, 'fleet.next')}</a>` : ''}
</nav>`,
    })
  })

  // ---- device detail ------------------------------------------------------------------------------
  const actionForm = (c: C, school: SchoolRef, d: DeviceRow, type: ActionType): SafeHtml => {
    const action = `${deviceHref(school.id, d.id)}/handling`
    const id = `a-${type}`
    const destructive = isDestructive(type)
    const needsMessage = type === 'lock' || type === 'enableLostMode'
    const label = tr(c, `action.${type}` as TextKey)
    if (destructive) {
      // Wipe and retire lead to the confirmation page (typed serial number and reason).
      return html`<form class="sk-action" method="post" action="${deviceHref(school.id, d.id)}/bekreft">
${web.csrfField(c)}<input type="hidden" name="handling" value="${type}">
<button class="ds-button" data-variant="secondary" data-color="danger" type="submit">${label}</button>
</form>`
    }
    // One disclosure per action keeps the page short; it works without JavaScript.
    return html`<details class="ds-details sk-action-details" id="${id}">
<summary>${label}</summary>
<form class="sk-action" method="post" action="${action}">
${web.csrfField(c)}<input type="hidden" name="handling" value="${type}">
${
  needsMessage
    ? html`<div class="ds-field"><label class="ds-label" for="${id}-message">${tr(c, 'action.message')}</label>
<input class="ds-input" id="${id}-message" name="melding" maxlength="200"${type === 'enableLostMode' ? html` required` : ''}></div>
<div class="ds-field"><label class="ds-label" for="${id}-phone">${tr(c, 'action.phone')}</label>
<input class="ds-input" id="${id}-phone" name="telefon" maxlength="20" inputmode="tel" autocomplete="off"></div>`
    : ''
}
<div class="ds-field"><label class="ds-label" for="${id}-reason">${tr(c, 'action.reason')}</label>
<input class="ds-input" id="${id}-reason" name="begrunnelse" maxlength="500" required></div>
<button class="ds-button" data-variant="primary" type="submit">${label}</button>
</form></details>`
  }

  const auditTable = (
    c: C,
    rows: readonly AuditRow[],
    caption: string,
    withDevice: boolean,
    schoolId: string,
  ): SafeHtml =>
    html`<div class="sk-table-wrap"><table class="ds-table" data-border><caption>${caption}</caption>
<thead><tr><th scope="col">${tr(c, 'col.time')}</th><th scope="col">${tr(c, 'col.who')}</th><th scope="col">${tr(
      c,
      'col.action',
    )}</th>${withDevice ? html`<th scope="col">${tr(c, 'col.device')}</th>` : ''}<th scope="col">${tr(c, 'col.reason')}</th><th scope="col">${tr(
      c,
      'col.outcome',
    )}</th><th scope="col">${tr(c, 'col.command')}</th></tr></thead>
<tbody>${rows.map(
      (r) =>
        html`<tr><td>${formatTime(c, r.at)}</td><td>${r.actor_name}</td><td>${
          ACTION_TYPES.includes(r.action as ActionType) ? tr(c, `action.${r.action}` as TextKey) : r.action
        }</td>${
          withDevice
            ? html`<td>${
                r.device_serial === null
                  ? r.device_id
                  : html`<a class="ds-link" href="${deviceHref(schoolId, r.device_id)}">${r.device_serial}</a>`
              }</td>`
            : ''
        }<td>${r.reason}</td><td>${tr(c, `outcome.${r.outcome}` as TextKey)}${
          r.error_code === null
            ? ''
            : html`<br><span class="kit-muted">${resultMessage(c, { outcome: 'failed', errorCode: r.error_code })}</span>`
        }</td><td>${r.command_state === null ? '–' : tr(c, `command.${r.command_state}` as TextKey)}</td></tr>`,
    )}</tbody></table></div>`

  const devicePage = async (
    c: C,
    school: SchoolRef,
    d: DeviceRow,
    notice?: { results?: readonly DeviceActionResult[]; error?: string },
  ): Promise<Response> => {
    const history = await listAudit(db, { schoolIds: [school.id], deviceId: d.id, limit: 50 })
    const state = {
      supervised: d.supervised === null ? null : d.supervised === 1,
      lostMode: d.lost_mode === null ? null : d.lost_mode === 1,
    }
    const offered = OFFERED.filter(
      (a) =>
        canPerform(d.vendor as Vendor, d.platform as Platform, a, state).ok &&
        !(a === 'enableLostMode' && state.lostMode === true) &&
        !(a === 'disableLostMode' && state.lostMode === false),
    )
    const name = d.name ?? d.serial_number ?? d.id
    const results = notice?.results ?? []
    return web.render(c, {
      title: tr(c, 'device.title', { name }),
      status: notice?.error === undefined ? 200 : 400,
      main: html`<p><a class="ds-link" href="/skoler/${encodeURIComponent(school.id)}">${tr(c, 'device.back')}</a></p>
<h1 class="ds-heading" data-size="lg">${tr(c, 'device.title', { name })}</h1>
${notice?.error === undefined ? '' : alert('danger', notice.error)}
${results.map((r) => alert(isOk(r) ? 'success' : 'danger', resultMessage(c, r)))}
<h2 class="ds-heading" data-size="md">${tr(c, 'device.details')}</h2>
<dl class="sk-details">
<dt>${tr(c, 'col.serial')}</dt><dd>${d.serial_number ?? '–'}</dd>
<dt>${tr(c, 'col.model')}</dt><dd>${d.model ?? '–'}</dd>
<dt>${tr(c, 'col.platform')}</dt><dd>${PLATFORM_NAMES[d.platform] ?? d.platform} ${d.os_version ?? ''}</dd>
<dt>${tr(c, 'col.group')}</dt><dd>${d.device_group ?? '–'}</dd>
<dt>${tr(c, 'device.owner')}</dt><dd>${d.owner ?? '–'}</dd>
<dt>${tr(c, 'col.compliance')}</dt><dd>${d.compliance}</dd>
<dt>${tr(c, 'device.supervised')}</dt><dd>${d.supervised === null ? tr(c, 'unknown') : d.supervised === 1 ? tr(c, 'yes') : tr(c, 'no')}</dd>
<dt>${tr(c, 'col.lostMode')}</dt><dd>${d.lost_mode === null ? tr(c, 'unknown') : d.lost_mode === 1 ? tr(c, 'yes') : tr(c, 'no')}</dd>
<dt>${tr(c, 'col.lastSeen')}</dt><dd>${formatTime(c, d.last_check_in)}</dd>
<dt>${tr(c, 'col.vendor')}</dt><dd>${VENDOR_NAMES[d.vendor] ?? d.vendor}</dd>
</dl>
<h2 class="ds-heading" data-size="md">${tr(c, 'device.actions')}</h2>
<div class="sk-actions">${offered.map((a) => actionForm(c, school, d, a))}</div>
<h2 class="ds-heading" data-size="md">${tr(c, 'device.history')}</h2>
${
  history.length === 0
    ? html`<p class="ds-paragraph">${tr(c, 'device.noHistory')}</p>`
    : auditTable(c, history, tr(c, 'device.history'), false, school.id)
}`,
    })
  }

  app.get('/skoler/:school/enheter/:device', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { actor, school } = scope
    const d = await findDevice(db, school.id, c.req.param('device'))
    if (d === undefined) return web.notFound(c)
    // Follow up queued commands of this device (the vendor answers once the device checked in).
    const changed = await deps.actions.refreshCommands(actor, school.id, d.id).catch(() => 0)
    return devicePage(c, school, changed > 0 ? ((await findDevice(db, school.id, d.id)) ?? d) : d)
  })

  const str = (v: unknown): string => (typeof v === 'string' ? v : '')
  const actionFrom = (body: Record<string, unknown>): DeviceAction | null => {
    const type = str(body.handling) as ActionType
    if (!ACTION_TYPES.includes(type)) return null
    const message = str(body.melding).trim()
    const phone = str(body.telefon).trim()
    if (type === 'lock')
      return {
        type,
        ...(message === '' ? {} : { message }),
        ...(phone === '' ? {} : { phoneNumber: phone }),
      }
    if (type === 'enableLostMode') return { type, message, ...(phone === '' ? {} : { phoneNumber: phone }) }
    return { type } as DeviceAction
  }

  const errorText = (c: C, error: unknown): string | null => {
    if (!isConsoleError(error)) return null
    if (error.code === 'ERR_NOT_FOUND') return null
    if (error.field === 'reason') return tr(c, 'error.reason')
    if (error.field === 'confirmSerial') return tr(c, 'error.serial')
    if (error.field === 'devices') return tr(c, 'error.devices')
    return tr(c, 'error.validation', { field: error.field ?? 'action' })
  }

  const confirmPage = (c: C, school: SchoolRef, d: DeviceRow, type: ActionType, error?: string): Response =>
    web.render(c, {
      title: tr(c, 'confirm.title', { action: tr(c, `action.${type}` as TextKey) }),
      status: error === undefined ? 200 : 400,
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'confirm.title', { action: tr(c, `action.${type}` as TextKey) })}</h1>
${error === undefined ? '' : alert('danger', error)}
${alert('warning', tr(c, 'confirm.warning'))}
<p class="ds-paragraph">${d.name ?? d.serial_number ?? d.id} (${PLATFORM_NAMES[d.platform] ?? d.platform}, ${VENDOR_NAMES[d.vendor] ?? d.vendor})</p>
<form method="post" action="${deviceHref(school.id, d.id)}/handling">
${web.csrfField(c)}<input type="hidden" name="handling" value="${type}">
<div class="ds-field"><label class="ds-label" for="confirm-serial">${tr(c, 'confirm.serial')}</label>
<input class="ds-input" id="confirm-serial" name="serienummer" maxlength="60" autocomplete="off" required></div>
<div class="ds-field"><label class="ds-label" for="confirm-reason">${tr(c, 'action.reason')}</label>
<input class="ds-input" id="confirm-reason" name="begrunnelse" maxlength="500" minlength="5" required></div>
<button class="ds-button" data-variant="primary" data-color="danger" type="submit">${tr(c, 'confirm.submit')}</button>
<a class="ds-link" href="${deviceHref(school.id, d.id)}">${tr(c, 'confirm.cancel')}</a>
</form>`,
    })

  app.post('/skoler/:school/enheter/:device/bekreft', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const d = await findDevice(db, scope.school.id, c.req.param('device'))
    if (d === undefined) return web.notFound(c)
    const type = str((await c.req.parseBody()).handling) as ActionType
    if (!isDestructive(type)) return web.notFound(c)
    return confirmPage(c, scope.school, d, type)
  })

  app.post('/skoler/:school/enheter/:device/handling', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { actor, school } = scope
    const deviceId = c.req.param('device')
    const body = await c.req.parseBody()
    const action = actionFrom(body)
    const d = await findDevice(db, school.id, deviceId)
    if (action === null) {
      if (d === undefined) return web.notFound(c)
      return devicePage(c, school, d, { error: tr(c, 'error.validation', { field: 'handling' }) })
    }
    try {
      const results = await deps.actions.perform(actor, {
        schoolId: school.id,
        deviceIds: [deviceId],
        action,
        reason: str(body.begrunnelse),
        confirmSerial: str(body.serienummer),
      })
      const fresh = await findDevice(db, school.id, deviceId)
      // Outside the school: audited as refused, shown exactly like a missing device.
      if (fresh === undefined) return web.notFound(c)
      const status = results.every(isOk)
        ? 200
        : results.some((r) => r.errorCode === 'ERR_MDM_NOT_FOUND')
          ? 404
          : 502
      const page = await devicePage(c, school, fresh, { results })
      return status === 200 ? page : new Response(page.body, { status, headers: page.headers })
    } catch (error) {
      const text = errorText(c, error)
      if (text === null || d === undefined) {
        if (isConsoleError(error)) return web.notFound(c)
        throw error
      }
      if (isDestructive(action.type)) return confirmPage(c, school, d, action.type, text)
      return devicePage(c, school, d, { error: text })
    }
  })

  // ---- bulk ---------------------------------------------------------------------------------------
  app.post('/skoler/:school/handlinger', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { actor, school } = scope
    const body = await c.req.parseBody({ all: true })
    const raw = body.enhet
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter(
      (v): v is string => typeof v === 'string',
    )
    const action = actionFrom({
      handling: body.handling,
      melding: body.melding,
      telefon: body.telefon,
    })
    const back = html`<p><a class="ds-link" href="/skoler/${encodeURIComponent(school.id)}">${tr(c, 'device.back')}</a></p>`
    let results: DeviceActionResult[]
    try {
      if (action === null) throw new ConsoleError('ERR_VALIDATION', 'No such action', { field: 'handling' })
      results = await deps.actions.perform(actor, {
        schoolId: school.id,
        deviceIds: ids,
        action,
        reason: str(body.begrunnelse),
      })
    } catch (error) {
      const text = errorText(c, error)
      if (text === null) throw error
      return web.render(c, {
        title: tr(c, 'result.title'),
        status: 400,
        main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'result.title')}</h1>${alert('danger', text)}${back}`,
      })
    }
    const ok = results.filter(isOk).length
    return web.render(c, {
      title: tr(c, 'result.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'result.title')}</h1>
${alert(ok === results.length ? 'success' : 'warning', tr(c, 'result.summary', { ok, n: results.length, failed: results.length - ok }))}
<div class="sk-table-wrap"><table class="ds-table" data-border><caption>${tr(c, 'result.title')}</caption>
<thead><tr><th scope="col">${tr(c, 'col.device')}</th><th scope="col">${tr(c, 'col.outcome')}</th></tr></thead>
<tbody>${results.map(
        (r) =>
          html`<tr><th scope="row">${
            r.serialNumber === null
              ? r.deviceId
              : html`<a class="ds-link" href="${deviceHref(school.id, r.deviceId)}">${r.serialNumber}</a>`
          }</th><td data-outcome="${r.outcome}">${resultMessage(c, r)}</td></tr>`,
      )}</tbody></table></div>
${back}`,
    })
  })

  // ---- audit log and exports ------------------------------------------------------------------------
  app.get('/skoler/:school/logg', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { school } = scope
    const rows = await listAudit(db, { schoolIds: [school.id], limit: 200 })
    const base = `/skoler/${encodeURIComponent(school.id)}`
    return web.render(c, {
      title: tr(c, 'audit.title', { school: school.name }),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'audit.title', { school: school.name })}</h1>
${schoolNav(c, school)}
<p class="ds-paragraph"><a class="ds-link" href="${base}/logg.csv" download>${tr(c, 'audit.export')}</a></p>
${rows.length === 0 ? html`<p class="ds-paragraph">${tr(c, 'audit.none')}</p>` : auditTable(c, rows, tr(c, 'audit.title', { school: school.name }), true, school.id)}`,
    })
  })

  const csvResponse = (stream: ReadableStream<Uint8Array>, filename: string): Response =>
    new Response(stream, {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${filename}"`,
        'cache-control': 'no-store',
      },
    })

  app.get('/skoler/:school/logg.csv', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { school } = scope
    async function* rows(): AsyncGenerator<AuditRow> {
      for (let offset = 0; ; offset += 1000) {
        const page = await listAudit(db, { schoolIds: [school.id], limit: 1000, offset })
        yield* page
        if (page.length < 1000) return
      }
    }
    return csvResponse(
      toCsvStream(
        rows(),
        [
          { header: 'tid', key: 'at' },
          { header: 'skole', key: 'school_id' },
          { header: 'hvem', key: 'actor_name' },
          { header: 'rolle', key: 'actor_role' },
          { header: 'handling', key: 'action' },
          { header: 'enhet', key: 'device_id' },
          { header: 'serienummer', key: 'device_serial' },
          { header: 'begrunnelse', key: 'reason' },
          { header: 'resultat', key: 'outcome' },
          { header: 'kommando', key: 'vendor_command_id' },
          { header: 'kommandostatus', key: 'command_state' },
          { header: 'feilkode', key: 'error_code' },
        ],
        { preset: 'excel-nb' },
      ),
      `handlingslogg-${school.id}.csv`,
    )
  })

  app.get('/skoler/:school/enheter.csv', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { school } = scope
    return csvResponse(
      toCsvStream(
        iterateDevices(db, filterOf(c, school.id)),
        [
          { header: 'navn', key: 'name' },
          { header: 'serienummer', key: 'serial_number' },
          { header: 'modell', key: 'model' },
          { header: 'plattform', key: 'platform' },
          { header: 'os', key: 'os_version' },
          { header: 'gruppe', key: 'device_group' },
          { header: 'samsvar', key: 'compliance' },
          {
            header: 'mistet_modus',
            value: (d: DeviceRow) => (d.lost_mode === null ? null : d.lost_mode === 1),
          },
          { header: 'sist_sett', key: 'last_check_in' },
          { header: 'leverandor', key: 'vendor' },
          { header: 'id', key: 'id' },
        ],
        { preset: 'excel-nb' },
      ),
      `enheter-${school.id}.csv`,
    )
  })

  // ---- compliance report ----------------------------------------------------------------------------
  app.get('/skoler/:school/rapport', auth, async (c) => {
    const scope = await scoped(c)
    if (scope instanceof Response) return scope
    const { school } = scope
    const report = await complianceReport(db, school.id, {
      now: deps.now(),
      ...(deps.minimumOs === undefined ? {} : { minimumOs: deps.minimumOs }),
      maxFindings: 200,
    })
    const chart =
      report.byPlatform.length === 0
        ? null
        : stackedBarChartSvg({
            title: tr(c, 'report.chart.title'),
            description: tr(c, 'report.chart.desc'),
            categories: report.byPlatform.map((p) => PLATFORM_NAMES[p.platform] ?? p.platform),
            series: [
              { name: tr(c, 'report.nonCompliant'), values: report.byPlatform.map((p) => p.nonCompliant) },
              { name: tr(c, 'report.outdatedOs'), values: report.byPlatform.map((p) => p.outdatedOs) },
              { name: tr(c, 'report.notSeen'), values: report.byPlatform.map((p) => p.notSeen) },
            ],
            locale: c.get('lang') === 'en' ? 'en-GB' : 'nb-NO',
            id: 'findings',
          })
    const mark = (b: boolean): string => (b ? tr(c, 'yes') : '–')
    return web.render(c, {
      title: tr(c, 'report.title', { school: school.name }),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'report.title', { school: school.name })}</h1>
${schoolNav(c, school)}
<h2 class="ds-heading" data-size="md">${tr(c, 'report.summary')}</h2>
<dl class="sk-details">
<dt>${tr(c, 'report.total')}</dt><dd>${report.total}</dd>
<dt>${tr(c, 'report.nonCompliant')}</dt><dd>${report.nonCompliant}</dd>
<dt>${tr(c, 'report.outdatedOs')}</dt><dd>${report.outdatedOs}</dd>
<dt>${tr(c, 'report.notSeen')}</dt><dd>${report.notSeen}</dd>
</dl>
${chart === null ? '' : html`<figure class="sk-chart">${trusted(chart.svg)}</figure>${trusted(chart.table)}`}
<h2 class="ds-heading" data-size="md">${tr(c, 'report.findings')}</h2>
${
  report.findings.length === 0
    ? html`<p class="ds-paragraph">${tr(c, 'report.none')}</p>`
    : html`${
        report.findingsTotal > report.findings.length
          ? html`<p class="ds-paragraph">${tr(c, 'report.findings.more', { shown: report.findings.length, n: report.findingsTotal })}</p>`
          : ''
      }<div class="sk-table-wrap"><table class="ds-table" data-border><caption>${tr(c, 'report.findings')}</caption>
<thead><tr><th scope="col">${tr(c, 'col.name')}</th><th scope="col">${tr(c, 'col.platform')}</th><th scope="col">${tr(
        c,
        'col.os',
      )}</th><th scope="col">${tr(c, 'report.nonCompliant')}</th><th scope="col">${tr(c, 'report.outdatedOs')}</th><th scope="col">${tr(
        c,
        'report.notSeen',
      )}</th></tr></thead>
<tbody>${report.findings.map(
        (f) =>
          html`<tr><th scope="row"><a class="ds-link" href="${deviceHref(school.id, f.device.id)}">${
            f.device.name ?? f.device.serial_number ?? f.device.id
          }</a></th><td>${PLATFORM_NAMES[f.device.platform] ?? f.device.platform}</td><td>${f.device.os_version ?? '–'}</td><td>${mark(
            f.nonCompliant,
          )}</td><td>${mark(f.outdatedOs)}</td><td>${mark(f.notSeen)}</td></tr>`,
      )}</tbody></table></div>`
}`,
    })
  })

  // ---- central IT: sync, onboarding, start packs ---------------------------------------------------------
  app.get('/synk', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    const states = await deps.sync.progress()
    return web.render(c, {
      title: tr(c, 'sync.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'sync.title')}</h1>
<p class="ds-paragraph">${tr(c, 'sync.intro')}</p>
${c.req.query('startet') === '1' ? alert('info', tr(c, 'sync.started')) : ''}
${
  states.length === 0
    ? html`<p class="ds-paragraph">${tr(c, 'sync.none')}</p>`
    : html`<div class="sk-table-wrap"><table class="ds-table" data-border><caption>${tr(c, 'sync.title')}</caption>
<thead><tr><th scope="col">${tr(c, 'col.vendor')}</th><th scope="col">${tr(c, 'col.status')}</th><th scope="col">${tr(
        c,
        'col.pages',
      )}</th><th scope="col">${tr(c, 'col.devices')}</th><th scope="col">${tr(c, 'col.removed')}</th><th scope="col">${tr(
        c,
        'col.updated',
      )}</th><th scope="col">${tr(c, 'col.error')}</th></tr></thead>
<tbody>${states.map(
        (s) =>
          html`<tr><th scope="row">${VENDOR_NAMES[s.vendor] ?? s.vendor}</th><td data-state="${s.state}">${tr(
            c,
            `sync.state.${s.state}` as TextKey,
          )}</td><td>${s.pages}</td><td>${s.devices_seen}</td><td>${s.devices_removed}</td><td>${formatTime(
            c,
            s.updated_at,
          )}</td><td>${s.last_error ?? '–'}</td></tr>`,
      )}</tbody></table></div>`
}
<form method="post" action="/synk">${web.csrfField(c)}<button class="ds-button" data-variant="primary" type="submit">${tr(c, 'sync.run')}</button></form>`,
    })
  })

  app.post('/synk', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    void deps.sync.runAll().catch(() => undefined)
    return c.redirect('/synk?startet=1', 303)
  })

  const onboardingForm = (c: C, values: Record<string, string>, error?: string): Response => {
    const field = (
      name: string,
      label: TextKey,
      opts: { required?: boolean; type?: string; hint?: string } = {},
    ) =>
      html`<div class="ds-field"><label class="ds-label" for="o-${name}">${tr(c, label)}</label>
<input class="ds-input" id="o-${name}" name="${name}" type="${opts.type ?? 'text'}" value="${values[name] ?? ''}"${
        opts.required === false ? '' : html` required`
      } autocomplete="off"></div>`
    return web.render(c, {
      title: tr(c, 'onboard.title'),
      status: error === undefined ? 200 : 400,
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'onboard.title')}</h1>
<p class="ds-paragraph">${tr(c, 'onboard.intro')}</p>
${error === undefined ? '' : alert('danger', error)}
<form method="post" action="/skoler">
${web.csrfField(c)}
${field('navn', 'onboard.name')}
${field('id', 'onboard.id')}
${field('orgnr', 'onboard.orgnr')}
${field('adresse', 'onboard.address')}
${field('postnummer', 'onboard.postalCode')}
${field('poststed', 'onboard.city')}
<fieldset class="ds-fieldset"><legend class="ds-label">${tr(c, 'onboard.contact')}</legend>
${field('kontakt_navn', 'onboard.contactName')}
${field('kontakt_epost', 'onboard.contactEmail', { type: 'email' })}
${field('kontakt_telefon', 'onboard.contactPhone', { required: false, type: 'tel' })}
</fieldset>
<fieldset class="ds-fieldset"><legend class="ds-label">${tr(c, 'onboard.scopes')}</legend>
${field('jamf_school', 'onboard.jamfSchool', { required: false })}
${field('jamf_pro', 'onboard.jamfPro', { required: false })}
${field('intune', 'onboard.intune', { required: false })}
${field('google', 'onboard.google', { required: false })}
</fieldset>
<button class="ds-button" data-variant="primary" type="submit">${tr(c, 'onboard.submit')}</button>
</form>`,
    })
  }

  app.get('/skoler-ny', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    return onboardingForm(c, {})
  })

  app.post('/skoler', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    const body = await c.req.parseBody()
    const v: Record<string, string> = {}
    for (const [k, val] of Object.entries(body))
      if (typeof val === 'string' && k !== 'csrf') v[k] = val.trim().slice(0, 300)
    const opt = (s: string | undefined): string | undefined => (s === undefined || s === '' ? undefined : s)
    const scopes = {
      ...(opt(v.jamf_school) ? { jamfSchool: { locationId: v.jamf_school } } : {}),
      ...(opt(v.jamf_pro) ? { jamfPro: { siteId: v.jamf_pro } } : {}),
      ...(opt(v.intune) ? { intune: { category: v.intune } } : {}),
      ...(opt(v.google) ? { google: { orgUnitPath: v.google } } : {}),
    }
    try {
      const { school } = await deps.onboarding.register(actor, {
        id: v.id ?? '',
        name: v.navn ?? '',
        orgnr: (v.orgnr ?? '').replace(/\s/g, ''),
        address: { line: v.adresse ?? '', postalCode: v.postnummer ?? '', city: v.poststed ?? '' },
        itContact: {
          name: v.kontakt_navn ?? '',
          email: v.kontakt_epost ?? '',
          ...(opt(v.kontakt_telefon) ? { phone: v.kontakt_telefon } : {}),
        },
        scopes,
      })
      return c.redirect(`/startpakker?registrert=${encodeURIComponent(school.id)}`, 303)
    } catch (error) {
      const text = errorText(c, error)
      if (text === null) throw error
      return onboardingForm(c, v, text)
    }
  })

  app.get('/startpakker', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    const [rows, schools] = await Promise.all([listOnboarding(db), listSchools(db)])
    const names = new Map(schools.map((s) => [s.id, s.name]))
    const registered = c.req.query('registrert')
    return web.render(c, {
      title: tr(c, 'startpacks.title'),
      main: html`<h1 class="ds-heading" data-size="lg">${tr(c, 'startpacks.title')}</h1>
${registered !== undefined && names.has(registered) ? alert('success', tr(c, 'onboard.done', { school: names.get(registered) ?? '' })) : ''}
${
  rows.length === 0
    ? html`<p class="ds-paragraph">${tr(c, 'startpacks.none')}</p>`
    : html`<div class="sk-table-wrap"><table class="ds-table" data-border><caption>${tr(c, 'startpacks.title')}</caption>
<thead><tr><th scope="col">${tr(c, 'col.school')}</th><th scope="col">${tr(c, 'col.status')}</th><th scope="col">${tr(
        c,
        'startpacks.final',
      )}</th><th scope="col">${tr(c, 'col.updated')}</th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr><th scope="row">${names.get(r.school_id) ?? r.school_id}</th><td data-status="${r.status}">${r.status}${
            r.last_error === null ? '' : html`<br><span class="kit-muted">${r.last_error}</span>`
          }</td><td data-final="${r.final}">${r.final === 1 ? tr(c, 'yes') : tr(c, 'no')}</td><td>${formatTime(c, r.updated_at)}</td></tr>`,
      )}</tbody></table></div>`
}
<form method="post" action="/startpakker">${web.csrfField(c)}<button class="ds-button" data-variant="secondary" type="submit">${tr(
        c,
        'startpacks.refresh',
      )}</button></form>`,
    })
  })

  app.post('/startpakker', auth, async (c) => {
    const actor = await centralOnly(c)
    if (actor instanceof Response) return actor
    await deps.onboarding.process()
    return c.redirect('/startpakker', 303)
  })

  return {
    nav(c) {
      const actor = actors.get(c.req.raw)
      if (c.get('idPortenSession') === undefined || actor === undefined) return []
      const items = [{ href: '/skoler', label: tr(c, 'nav.schools') }]
      if (actor.role === 'central-it') {
        items.push(
          { href: '/synk', label: tr(c, 'nav.sync') },
          { href: '/skoler-ny', label: tr(c, 'nav.onboarding') },
          { href: '/startpakker', label: tr(c, 'nav.startpacks') },
        )
      }
      return items
    },
  }
}

function routePattern(c: C): string {
  return c.req.routePath
}
