import { html, type Lang, type SafeHtml } from '@felles/sample-web'

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB', se: 'se-NO' }

/** An ISO instant or plain date as a date (and time) in Oslo, in the page language. */
export function formatDate(lang: Lang, value: string, withTime = false): string {
  const date = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value)
  if (Number.isNaN(date.getTime())) return value
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: 'Europe/Oslo',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit' } : {}),
  }).format(date)
}

/** `<time>` with a machine-readable value. */
export function time(lang: Lang, value: string, withTime = false): SafeHtml {
  return html`<time datetime="${value}">${formatDate(lang, value, withTime)}</time>`
}

/** Field errors of a form, by field name. */
export type FieldErrors = Readonly<Record<string, string>>

/** A labelled text input with its error message next to it (Designsystemet markup). */
export function textField(options: {
  readonly name: string
  readonly label: string
  readonly value?: string
  readonly error?: string | undefined
  readonly help?: string
  readonly type?: string
  readonly required?: boolean
  readonly autocomplete?: string
  readonly inputmode?: string
  readonly multiline?: boolean
}): SafeHtml {
  const id = `f-${options.name}`
  const describedBy = [options.help ? `${id}-help` : '', options.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ')
  const attrs = html`id="${id}" name="${options.name}" class="ds-input"${
    options.required ? html` required` : html``
  }${options.error ? html` aria-invalid="true"` : html``}${
    describedBy ? html` aria-describedby="${describedBy}"` : html``
  }${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : html``}${
    options.inputmode ? html` inputmode="${options.inputmode}"` : html``
  }`
  return html`<div class="ds-field">
    <label class="ds-label" for="${id}">${options.label}</label>
    ${options.help ? html`<div class="ds-paragraph kit-muted" data-size="sm" id="${id}-help">${options.help}</div>` : html``}
    ${
      options.multiline
        ? html`<textarea ${attrs} rows="6">${options.value ?? ''}</textarea>`
        : html`<input ${attrs} type="${options.type ?? 'text'}" value="${options.value ?? ''}">`
    }
    ${
      options.error
        ? html`<div class="ds-validation-message" data-color="danger" id="${id}-error">${options.error}</div>`
        : html``
    }
  </div>`
}

/** A labelled select with its error message next to it. */
export function selectField(options: {
  readonly name: string
  readonly label: string
  readonly options: readonly { readonly value: string; readonly label: string }[]
  readonly value?: string | undefined
  readonly error?: string | undefined
  readonly empty?: string
}): SafeHtml {
  const id = `f-${options.name}`
  return html`<div class="ds-field">
    <label class="ds-label" for="${id}">${options.label}</label>
    <select id="${id}" name="${options.name}" class="ds-input"${
      options.error ? html` aria-invalid="true" aria-describedby="${id}-error"` : html``
    }>
      ${options.empty === undefined ? html`` : html`<option value="">${options.empty}</option>`}
      ${options.options.map(
        (o) =>
          html`<option value="${o.value}"${o.value === options.value ? html` selected` : html``}>${o.label}</option>`,
      )}
    </select>
    ${
      options.error
        ? html`<div class="ds-validation-message" data-color="danger" id="${id}-error">${options.error}</div>`
        : html``
    }
  </div>`
}

/** A Designsystemet alert. */
export function alert(
  color: 'info' | 'success' | 'warning' | 'danger',
  content: SafeHtml | string,
): SafeHtml {
  return html`<div class="ds-alert" data-color="${color}" role="${color === 'danger' ? 'alert' : 'status'}">${content}</div>`
}

/** A status tag. */
export function tag(color: string, text: string): SafeHtml {
  return html`<span class="ds-tag" data-color="${color}">${text}</span>`
}

const PHASE_COLORS: Record<string, string> = {
  queued: 'neutral',
  pending: 'info',
  'delivered-digitally': 'info',
  'sent-to-print': 'warning',
  printed: 'warning',
  read: 'success',
  failed: 'danger',
}

/** The colour of a letter's delivery phase. */
export function phaseColor(phase: string): string {
  return PHASE_COLORS[phase] ?? 'neutral'
}
