import type { MockPerson, MockReportee } from '../persons.js'
import type { AcrValue } from '../types.js'
import { escapeHtml, layout, type PageLanguage } from './html.js'

const T = {
  nb: {
    login: 'Logg inn',
    to: 'til',
    choosePerson: 'Velg testperson',
    level: 'Sikkerhetsnivå',
    substantial: 'Betydelig',
    high: 'Høyt',
    cancel: 'Avbryt',
    continue: 'Fortsett',
    stepUp: 'Tjenesten krever et høyere sikkerhetsnivå enn du er logget inn med. Logg inn på nytt.',
    again: 'Tjenesten ber deg logge inn på nytt.',
    fnr: 'syntetisk fødselsnummer',
    dnr: 'syntetisk D-nummer',
    foreign: 'utenlandsk eID, uten fødselsnummer',
    chooseOrg: 'Velg virksomhet',
    orgLead: 'Hvilken virksomhet vil du representere?',
    noOrgs: 'Personen kan ikke representere noen virksomhet i denne tjenesten.',
    orgnr: 'org.nr.',
    rights: 'rettigheter',
    loggingOut: 'Logger ut',
    loggingOutLead: 'Du logges ut av alle tjenester i innloggingen.',
    loggedOut: 'Du er logget ut',
    loggedOutLead: 'Du er logget ut av alle tjenestene.',
    error: 'Noe gikk galt',
    errorLead: 'Innloggingen kunne ikke fullføres.',
    code: 'Feilkode',
  },
  en: {
    login: 'Log in',
    to: 'to',
    choosePerson: 'Choose a test person',
    level: 'Level of assurance',
    substantial: 'Substantial',
    high: 'High',
    cancel: 'Cancel',
    continue: 'Continue',
    stepUp: 'The service needs a higher level of assurance than your current login. Please log in again.',
    again: 'The service asks you to log in again.',
    fnr: 'synthetic national identity number',
    dnr: 'synthetic D number',
    foreign: 'foreign eID, no national identity number',
    chooseOrg: 'Choose organisation',
    orgLead: 'Which organisation do you want to represent?',
    noOrgs: 'This person cannot represent any organisation in this service.',
    orgnr: 'org. no.',
    rights: 'rights',
    loggingOut: 'Logging out',
    loggingOutLead: 'You are being logged out of every service in this login.',
    loggedOut: 'You are logged out',
    loggedOutLead: 'You are logged out of all services.',
    error: 'Something went wrong',
    errorLead: 'The login could not be completed.',
    code: 'Error code',
  },
} as const

export interface LoginPageModel {
  readonly lang: PageLanguage
  readonly brand: string
  readonly clientName: string
  readonly action: string
  readonly persons: readonly MockPerson[]
  /** Levels offered, lowest first; the first is preselected unless `preselect` is set. */
  readonly levels: readonly AcrValue[]
  readonly preselect?: AcrValue
  readonly reason?: 'step-up' | 'login-again'
}

export function loginPage(model: LoginPageModel): string {
  const t = T[model.lang]
  const people = model.persons
    .map((p, i) => {
      const meta =
        p.kind === 'foreign'
          ? t.foreign
          : `${escapeHtml(p.nationalId)} · ${p.kind === 'dnr' ? t.dnr : t.fnr}${p.birthDate === undefined ? '' : ` · ${escapeHtml(p.birthDate)}`}`
      return `<div class="option"><input type="radio" id="person-${i}" name="person" value="${escapeHtml(p.id)}" required${i === 0 ? ' checked' : ''}><label for="person-${i}"><span class="name">${escapeHtml(p.name)}</span><span class="meta">${meta}</span></label></div>`
    })
    .join('\n')
  const selected = model.preselect ?? model.levels[0]
  const levels = model.levels
    .map((acr) => {
      const label = acr === 'idporten-loa-high' ? t.high : t.substantial
      return `<div class="option"><input type="radio" id="level-${acr}" name="level" value="${acr}" required${acr === selected ? ' checked' : ''}><label for="level-${acr}"><span class="name">${label}</span><span class="meta">${acr}</span></label></div>`
    })
    .join('\n')
  const notice =
    model.reason === 'step-up'
      ? `<p class="notice" role="status">${t.stepUp}</p>`
      : model.reason === 'login-again'
        ? `<p class="notice" role="status">${t.again}</p>`
        : ''
  return layout({
    lang: model.lang,
    title: `${t.login} – ${model.brand}`,
    brand: model.brand,
    body: `<h1>${t.login}</h1>
<p class="lead">${t.to} <strong>${escapeHtml(model.clientName)}</strong></p>
${notice}
<form method="post" action="${escapeHtml(model.action)}">
<fieldset>
<legend>${t.choosePerson}</legend>
${people}
</fieldset>
<fieldset>
<legend>${t.level}</legend>
${levels}
</fieldset>
<div class="actions">
<button type="submit" name="action" value="login">${t.login}</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>${t.cancel}</button>
</div>
</form>`,
  })
}

export interface OrganisationPageModel {
  readonly lang: PageLanguage
  readonly brand: string
  readonly clientName: string
  readonly action: string
  readonly person: MockPerson
  readonly level: AcrValue
  readonly reportees: readonly MockReportee[]
}

export function organisationPage(model: OrganisationPageModel): string {
  const t = T[model.lang]
  const options =
    model.reportees.length === 0
      ? `<p class="notice">${t.noOrgs}</p>`
      : `<fieldset>
<legend>${t.chooseOrg}</legend>
${model.reportees
  .map(
    (r, i) =>
      `<div class="option"><input type="radio" id="org-${i}" name="organisation" value="${escapeHtml(r.organisationNumber)}" required${i === 0 ? ' checked' : ''}><label for="org-${i}"><span class="name">${escapeHtml(r.name)}</span><span class="meta">${t.orgnr} ${escapeHtml(r.organisationNumber)} · ${t.rights}: ${escapeHtml(r.rights.join(', '))}</span></label></div>`,
  )
  .join('\n')}
</fieldset>`
  return layout({
    lang: model.lang,
    title: `${t.chooseOrg} – ${model.brand}`,
    brand: model.brand,
    body: `<h1>${t.chooseOrg}</h1>
<p class="lead">${t.orgLead} (${escapeHtml(model.person.name)}, ${t.to} <strong>${escapeHtml(model.clientName)}</strong>)</p>
<form method="post" action="${escapeHtml(model.action)}">
<input type="hidden" name="person" value="${escapeHtml(model.person.id)}">
<input type="hidden" name="level" value="${escapeHtml(model.level)}">
<input type="hidden" name="step" value="organisation">
${options}
<div class="actions">
<button type="submit" name="action" value="login">${t.continue}</button>
<button type="submit" name="action" value="cancel" class="secondary" formnovalidate>${t.cancel}</button>
</div>
</form>`,
  })
}

/** The page RP-initiated logout shows: submits itself (no confirmation, as in ID-porten). */
export function logoutPage(lang: PageLanguage, brand: string, action: string, xsrf: string): string {
  const t = T[lang]
  return layout({
    lang,
    title: `${t.loggingOut} – ${brand}`,
    brand,
    autosubmit: true,
    body: `<h1>${t.loggingOut}</h1>
<form method="post" action="${escapeHtml(action)}" data-autosubmit>
<input type="hidden" name="xsrf" value="${escapeHtml(xsrf)}">
<input type="hidden" name="logout" value="yes">
<p class="lead">${t.loggingOutLead}</p>
<div class="actions"><button type="submit">${t.continue}</button></div>
</form>`,
  })
}

export interface FrontChannelFrame {
  readonly clientName: string
  readonly url: string
}

/**
 * The page after the SSO session has ended: one hidden iframe per client with
 * a front-channel logout URI, then on to `next` once they have loaded (a meta
 * refresh waits for the document, iframes included), with a link as fallback.
 */
export function frontChannelPage(
  lang: PageLanguage,
  brand: string,
  frames: readonly FrontChannelFrame[],
  next: string,
): string {
  const t = T[lang]
  const iframes = frames
    .map(
      (f) =>
        `<iframe src="${escapeHtml(f.url)}" title="${escapeHtml(`${t.loggingOut}: ${f.clientName}`)}" data-frontchannel-logout></iframe>`,
    )
    .join('\n')
  return layout({
    lang,
    title: `${t.loggingOut} – ${brand}`,
    brand,
    head: `<meta http-equiv="refresh" content="0;url=${escapeHtml(next)}">\n`,
    body: `<h1>${t.loggingOut}</h1>
<p class="lead">${t.loggingOutLead}</p>
<div class="frames">
${iframes}
</div>
<p><a class="button" href="${escapeHtml(next)}" data-next>${t.continue}</a></p>`,
  })
}

export function loggedOutPage(lang: PageLanguage, brand: string): string {
  const t = T[lang]
  return layout({
    lang,
    title: `${t.loggedOut} – ${brand}`,
    brand,
    body: `<h1>${t.loggedOut}</h1>\n<p class="lead">${t.loggedOutLead}</p>`,
  })
}

/** An error page that shows the OAuth error code only (never the description, which may echo input). */
export function errorPage(lang: PageLanguage, brand: string, code: string): string {
  const t = T[lang]
  const safeCode = /^[a-z_]{1,64}$/.test(code) ? code : 'server_error'
  return layout({
    lang,
    title: `${t.error} – ${brand}`,
    brand,
    body: `<h1>${t.error}</h1>\n<p class="notice error" role="alert">${t.errorLead}</p>\n<dl><dt>${t.code}</dt><dd><code>${safeCode}</code></dd></dl>`,
  })
}

export interface IndexPageModel {
  readonly issuers: Readonly<Record<string, { issuer: string; metadata: string }>>
  readonly persons: readonly MockPerson[]
}

/** The landing page at `/`: issuers and test persons, for people running the mock by hand. */
export function indexPage(model: IndexPageModel): string {
  const rows = Object.entries(model.issuers)
    .map(
      ([name, v]) =>
        `<tr><th scope="row">${escapeHtml(name)}</th><td><code>${escapeHtml(v.issuer)}</code></td><td><a href="${escapeHtml(v.metadata)}">metadata</a></td></tr>`,
    )
    .join('\n')
  const people = model.persons
    .map(
      (p) =>
        `<tr><td>${escapeHtml(p.name)}</td><td><code>${escapeHtml(p.nationalId ?? '–')}</code></td><td>${escapeHtml(p.kind)}</td></tr>`,
    )
    .join('\n')
  return layout({
    lang: 'nb',
    title: 'ID-porten mock',
    brand: 'ID-porten mock',
    body: `<h1>ID-porten, Ansattporten og Maskinporten (lokal mock)</h1>
<h2>Utstedere</h2>
<table><thead><tr><th scope="col">Tjeneste</th><th scope="col">Issuer</th><th scope="col">Metadata</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Testpersoner</h2>
<table><thead><tr><th scope="col">Navn</th><th scope="col">Fødselsnummer</th><th scope="col">Type</th></tr></thead><tbody>
${people}
</tbody></table>`,
  })
}
