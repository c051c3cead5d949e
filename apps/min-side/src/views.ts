import type { CitizenView, Lifecycle } from '@felles/case-status'
import { html, type Lang, type SafeHtml, type Translate } from '@felles/sample-web'

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB', se: 'se-NO' }
const dateFormats = new Map<string, Intl.DateTimeFormat>()

function format(lang: Lang, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}`
  let f = dateFormats.get(key)
  if (f === undefined) {
    f = new Intl.DateTimeFormat(LOCALES[lang], {
      timeZone: 'Europe/Oslo',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
    })
    dateFormats.set(key, f)
  }
  return f
}

/** An ISO instant or plain date (`YYYY-MM-DD`) as a date in Oslo, in the page language. */
export function formatDate(lang: Lang, value: string, withTime = false): string {
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value)
  return format(lang, withTime).format(date)
}

/** `<time>` with a machine-readable value. */
export function time(lang: Lang, value: string, withTime = false): SafeHtml {
  return html`<time datetime="${value}">${formatDate(lang, value, withTime)}</time>`
}

const COLORS: Record<Lifecycle, string> = {
  draft: 'neutral',
  received: 'info',
  in_progress: 'info',
  awaiting_citizen: 'warning',
  awaiting_other: 'neutral',
  decided: 'success',
  closed: 'neutral',
  withdrawn: 'neutral',
  cancelled: 'neutral',
}

/** The status badge of a case (Designsystemet tag). */
export function statusBadge(view: CitizenView): SafeHtml {
  const status = view.status
  if (status === undefined) return html``
  return html`<span class="ds-tag" data-color="${COLORS[status.lifecycle]}">${status.label}</span>`
}

/** The "decision deadline" cell: date, days left or overdue. */
export function deadlineCell(view: CitizenView, lang: Lang, t: Translate): SafeHtml {
  const legal = view.deadlines?.legal ?? view.deadlines?.serviceNorm
  if (legal === undefined) return html`<span class="kit-muted">${t('cases.noDeadline')}</span>`
  if (legal.state === 'met' || legal.state === 'stopped') return time(lang, legal.due)
  if (legal.overdue) {
    return html`${time(lang, legal.due)}<br><span class="ds-tag" data-color="danger">${t('cases.overdue')}</span>`
  }
  return html`${time(lang, legal.due)}<br><span class="kit-muted">${t('cases.daysLeft', { days: legal.daysLeft })}</span>`
}

/** The delivery-status tag of a letter. */
export function phaseBadge(phase: string, t: Translate): SafeHtml {
  const color =
    phase === 'read' || phase === 'delivered-digitally' || phase === 'printed'
      ? 'success'
      : phase === 'failed'
        ? 'danger'
        : phase === 'sent-to-print' || phase === 'pending' || phase === 'queued'
          ? 'info'
          : 'neutral'
  const known = [
    'queued',
    'pending',
    'delivered-digitally',
    'sent-to-print',
    'printed',
    'read',
    'manually-handled',
    'failed',
    'deleted',
  ].includes(phase)
  return html`<span class="ds-tag" data-color="${color}">${t(known ? `phase.${phase}` : 'phase.unknown')}</span>`
}
