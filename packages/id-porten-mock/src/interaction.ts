import type { IncomingMessage, ServerResponse } from 'node:http'
import { epochSeconds } from './clock.js'
import type { MockContext } from './internal/context.js'
import type { MockPerson } from './persons.js'
import {
  ACR_HIGH,
  ACR_SUBSTANTIAL,
  type FellesLoginResult,
  localeOf,
  type OidcProviderHandle,
  pageLanguage,
  requestedAcrRank,
} from './providers/oidc.js'
import type { AcrValue } from './types.js'
import { PAGE_CSP } from './ui/html.js'
import { errorPage, loginPage, organisationPage } from './ui/pages.js'

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'text/html; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Content-Security-Policy', PAGE_CSP)
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.end(html)
}

/**
 * The login page (`{mount}/login/{uid}`): GET shows the test persons and
 * levels, POST finishes the interaction. Plain HTML forms, no script; the
 * person is identified by an opaque id in the POST body, never in a URL.
 */
export async function handleInteraction(
  handle: OidcProviderHandle,
  context: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  form: URLSearchParams | undefined,
): Promise<void> {
  const { provider, brand } = handle
  let details: {
    uid: string
    prompt: { name: string; reasons: string[] }
    params: Record<string, string | undefined>
  }
  try {
    details = await provider.interactionDetails(req, res)
  } catch {
    sendHtml(res, 400, errorPage('nb', brand, 'invalid_request'))
    return
  }
  if (details.uid !== uid) {
    sendHtml(res, 400, errorPage('nb', brand, 'invalid_request'))
    return
  }
  const { params, prompt } = details
  const locale = localeOf(params.ui_locales)
  const lang = pageLanguage(locale)

  if (prompt.name === 'consent') {
    // ID-porten never asks for consent: grant what was asked for.
    await provider.interactionFinished(req, res, { consent: {} })
    return
  }

  let clientName = params.client_id ?? ''
  try {
    const client = await provider.Client.find(params.client_id)
    if (typeof client?.clientName === 'string') clientName = client.clientName
  } catch {
    // keep the id
  }
  const action = `${handle.mountPath}/login/${encodeURIComponent(uid)}`
  const required = requestedAcrRank(params.acr_values)
  const levels: AcrValue[] = required >= 2 ? [ACR_HIGH] : [ACR_SUBSTANTIAL, ACR_HIGH]
  const firstAsked = (params.acr_values ?? '').split(/\s+/)[0]
  const preselect: AcrValue = firstAsked === ACR_HIGH || required >= 2 ? ACR_HIGH : ACR_SUBSTANTIAL
  const reason = prompt.reasons.includes('acr_step_up')
    ? 'step-up'
    : prompt.reasons.includes('login_prompt')
      ? 'login-again'
      : undefined
  const renderLogin = (status: number): void =>
    sendHtml(
      res,
      status,
      loginPage({
        lang,
        brand,
        clientName,
        action,
        persons: context.persons,
        levels,
        preselect,
        ...(reason === undefined ? {} : { reason }),
      }),
    )

  if (form === undefined) {
    renderLogin(200)
    return
  }

  if (form.get('action') === 'cancel') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user cancelled the login' },
      { mergeWithLastSubmission: false },
    )
    return
  }

  const person: MockPerson | undefined = context.personsById.get(form.get('person') ?? '')
  const level = form.get('level') as AcrValue | null
  if (person === undefined || level === null || !levels.includes(level)) {
    renderLogin(400)
    return
  }

  const wantsReportees = handle.flavour === 'ansattporten' && typeof params.authorization_details === 'string'
  let reportees = person.reportees
  if (wantsReportees) {
    if (form.get('step') !== 'organisation') {
      sendHtml(
        res,
        200,
        organisationPage({ lang, brand, clientName, action, person, level, reportees: person.reportees }),
      )
      return
    }
    const chosen = form.get('organisation')
    if (chosen !== null) {
      reportees = person.reportees.filter((r) => r.organisationNumber === chosen)
      if (reportees.length === 0) {
        sendHtml(
          res,
          400,
          organisationPage({ lang, brand, clientName, action, person, level, reportees: person.reportees }),
        )
        return
      }
    }
  }

  const acr = person.kind === 'foreign' ? level.replace('idporten-', 'eidas-') : level
  const felles: FellesLoginResult = { locale, ...(wantsReportees ? { reportees } : {}) }
  await provider.interactionFinished(
    req,
    res,
    {
      login: {
        accountId: person.id,
        acr,
        amr: person.kind === 'foreign' ? ['eIDAS'] : ['TestID'],
        ts: epochSeconds(context.clock),
        remember: true,
      },
      consent: {},
      felles,
    },
    { mergeWithLastSubmission: false },
  )
}
