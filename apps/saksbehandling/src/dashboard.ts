import { barChartSvg, lineChartSvg, stackedBarChartSvg, toCsv } from '@felles/sample-documents'
import type { Database } from '@felles/sample-municipality'
import {
  type BenefitsReport,
  type BenefitsRow,
  benefitsReport,
  type Officer,
  setUnitCosts,
} from '@felles/sample-municipality/casework'
import { html, type Lang, trusted, type WebApp, type WebEnv } from '@felles/sample-web'
import type { Context } from 'hono'
import type { Kysely } from 'kysely'
import { CASE_TYPES } from './case-model.js'
import type { TextKey } from './texts.js'
import { alert, textField } from './views.js'

/** What the dashboard routes need from the console. */
export interface DashboardRoutesOptions {
  readonly web: WebApp
  readonly db: Kysely<Database>
  readonly withOfficer: (
    c: Context<WebEnv>,
    handler: (officer: Officer) => Promise<Response> | Response,
  ) => Promise<Response>
  readonly now: () => Date
  readonly text: (c: Context<WebEnv>, key: TextKey, params?: Record<string, string | number>) => string
}

const LOCALES: Record<Lang, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB', se: 'nb-NO' }

/** Monthly totals over every case type. */
export function byMonth(
  report: BenefitsReport,
): { month: string; row: Omit<BenefitsRow, 'month' | 'caseType'> }[] {
  const months = new Map<string, BenefitsRow[]>()
  for (const row of report.rows) months.set(row.month, [...(months.get(row.month) ?? []), row])
  return [...months.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, rows]) => {
      const sum = (
        key: 'sent' | 'digital' | 'printed' | 'failed' | 'open' | 'read' | 'costOre' | 'savingsOre',
      ) => rows.reduce((n, r) => n + r[key], 0)
      const sent = sum('sent')
      return {
        month,
        row: {
          sent,
          digital: sum('digital'),
          printed: sum('printed'),
          failed: sum('failed'),
          open: sum('open'),
          read: sum('read'),
          readRate: sent === 0 ? 0 : sum('read') / sent,
          medianMinutesToRead: null,
          costOre: sum('costOre'),
          savingsOre: sum('savingsOre'),
        },
      }
    })
}

/** Adds the benefits dashboard (`/gevinster`), its CSV export and the unit-cost form. */
export function addDashboardRoutes(options: DashboardRoutesOptions): void {
  const { web, db, withOfficer } = options
  const t = options.text

  const page = async (
    c: Context<WebEnv>,
    officer: Officer,
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const lang = c.var.lang
    const report = await benefitsReport(db)
    const months = byMonth(report)
    const kr = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 2 })
    const oneDecimal = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 })
    const pct = new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 })
    const typeName = (id: string): string => {
      const name = CASE_TYPES[id]?.name
      return name ? (name[lang === 'se' ? 'nb' : lang] ?? name.nb ?? id) : id
    }
    const duration = (minutes: number | null): string =>
      minutes === null
        ? '–'
        : minutes < 120
          ? t(c, 'dash.minutes', { minutes: Math.round(minutes) })
          : t(c, 'dash.hours', { hours: oneDecimal.format(minutes / 60) })
    const categories = months.map((m) => m.month)
    const charts =
      months.length === 0
        ? []
        : [
            stackedBarChartSvg({
              id: 'channels',
              title: t(c, 'dash.channels'),
              description: t(c, 'dash.channelsDesc'),
              categories,
              unit: 'brev',
              locale: LOCALES[lang],
              series: [
                { name: t(c, 'dash.series.digital'), values: months.map((m) => m.row.digital) },
                { name: t(c, 'dash.series.print'), values: months.map((m) => m.row.printed) },
                { name: t(c, 'dash.series.failed'), values: months.map((m) => m.row.failed) },
              ],
            }),
            lineChartSvg({
              id: 'read-rate',
              title: t(c, 'dash.readRate'),
              description: t(c, 'dash.readRateDesc'),
              categories,
              unit: '%',
              locale: LOCALES[lang],
              series: [
                {
                  name: t(c, 'dash.series.readRate'),
                  values: months.map((m) => Math.round(m.row.readRate * 1000) / 10),
                },
              ],
            }),
            barChartSvg({
              id: 'savings',
              title: t(c, 'dash.savings'),
              description: t(c, 'dash.savingsDesc'),
              categories,
              unit: 'kr',
              locale: LOCALES[lang],
              series: [
                { name: t(c, 'dash.series.savings'), values: months.map((m) => m.row.savingsOre / 100) },
              ],
            }),
          ]
    const costs = report.unitCosts
    return web.render(c, {
      title: t(c, 'dash.title'),
      status,
      main: html`<h1 class="ds-heading">${t(c, 'dash.title')}</h1>
        <p class="ds-paragraph">${t(c, 'dash.lead')}</p>
        ${
          report.rows.length === 0
            ? html`<p class="ds-paragraph">${t(c, 'dash.none')}</p>`
            : html`${charts.map(
                (chart) =>
                  html`<figure class="kit-stack">${trusted(chart.svg)}<div class="kit-table-wrap">${trusted(chart.table)}</div></figure>`,
              )}
          <h2 class="ds-heading" id="h-table">${t(c, 'dash.table')}</h2>
          <div class="kit-table-wrap"><table class="ds-table" data-border id="benefits-table" aria-labelledby="h-table">
            <thead><tr>
              <th scope="col">${t(c, 'dash.col.month')}</th><th scope="col">${t(c, 'dash.col.type')}</th>
              <th scope="col">${t(c, 'dash.col.sent')}</th><th scope="col">${t(c, 'dash.col.digital')}</th>
              <th scope="col">${t(c, 'dash.col.print')}</th><th scope="col">${t(c, 'dash.col.failed')}</th>
              <th scope="col">${t(c, 'dash.col.readRate')}</th><th scope="col">${t(c, 'dash.col.median')}</th>
              <th scope="col">${t(c, 'dash.col.savings')}</th></tr></thead>
            <tbody>${report.rows.map(
              (r) =>
                html`<tr><th scope="row">${r.month}</th><td>${typeName(r.caseType)}</td><td>${r.sent}</td><td>${r.digital}</td><td>${r.printed}</td><td>${r.failed}</td><td>${pct.format(r.readRate)}</td><td>${duration(r.medianMinutesToRead)}</td><td>${kr.format(r.savingsOre / 100)} kr</td></tr>`,
            )}</tbody>
            <tfoot><tr><th scope="row">${t(c, 'dash.total')}</th><td></td><td>${report.totals.sent}</td><td>${report.totals.digital}</td><td>${report.totals.printed}</td><td>${report.totals.failed}</td><td>${pct.format(report.totals.readRate)}</td><td>${duration(report.totals.medianMinutesToRead)}</td><td>${kr.format(report.totals.savingsOre / 100)} kr</td></tr></tfoot>
          </table></div>
          <p class="ds-paragraph"><a class="ds-button" data-variant="secondary" href="/gevinster.csv" download>${t(c, 'dash.csv')}</a></p>`
        }
        <section aria-labelledby="h-costs" class="kit-stack">
          <h2 class="ds-heading" id="h-costs">${t(c, 'dash.costs')}</h2>
          <p class="ds-paragraph kit-muted">${t(c, 'dash.costsHelp')}</p>
          ${
            officer.role === 'team_lead'
              ? html`<form method="post" action="/gevinster/kostnader" class="kit-stack">${web.csrfField(c)}
            ${textField({ name: 'print', label: t(c, 'dash.costPrint'), value: String(costs.print / 100), error: errors.print, inputmode: 'decimal' })}
            ${textField({ name: 'digital', label: t(c, 'dash.costDigital'), value: String(costs.digital / 100), error: errors.digital, inputmode: 'decimal' })}
            <button class="ds-button" data-variant="secondary" type="submit">${t(c, 'dash.costsSave')}</button></form>`
              : html`<dl class="kit-meta"><dt>${t(c, 'dash.costPrint')}</dt><dd>${kr.format(costs.print / 100)}</dd><dt>${t(c, 'dash.costDigital')}</dt><dd>${kr.format(costs.digital / 100)}</dd></dl>`
          }
          ${c.req.query('lagret') === '1' ? alert('success', t(c, 'case.saved')) : html``}
        </section>`,
    })
  }

  web.app.get('/gevinster', web.requireSession(), (c) => withOfficer(c, (officer) => page(c, officer)))

  web.app.post('/gevinster/kostnader', web.requireSession(), (c) =>
    withOfficer(c, async (officer) => {
      if (officer.role !== 'team_lead') return web.notFound(c)
      const body = await c.req.parseBody()
      const errors: Record<string, string> = {}
      const parse = (key: 'print' | 'digital'): number => {
        const raw = String(body[key] ?? '')
          .replace(',', '.')
          .trim()
        const n = Number(raw)
        if (raw === '' || !Number.isFinite(n) || n < 0 || n > 10_000) {
          errors[key] = t(c, 'error.required')
          return 0
        }
        return Math.round(n * 100)
      }
      const costs = { print: parse('print'), digital: parse('digital') }
      if (Object.keys(errors).length > 0) return page(c, officer, errors, 422)
      await setUnitCosts(db, costs, { now: options.now() })
      return c.redirect('/gevinster?lagret=1', 303)
    }),
  )

  web.app.get('/gevinster.csv', web.requireSession(), (c) =>
    withOfficer(c, async () => {
      const report = await benefitsReport(db)
      const csv = toCsv(report.rows, [
        { header: 'month', key: 'month' },
        { header: 'case_type', key: 'caseType' },
        { header: 'sent', key: 'sent' },
        { header: 'digital', key: 'digital' },
        { header: 'printed', key: 'printed' },
        { header: 'failed', key: 'failed' },
        { header: 'open', key: 'open' },
        { header: 'read', key: 'read' },
        { header: 'read_rate', value: (r) => Math.round(r.readRate * 10_000) / 10_000 },
        { header: 'median_minutes_to_read', value: (r) => r.medianMinutesToRead },
        { header: 'cost_nok', value: (r) => r.costOre / 100 },
        { header: 'savings_nok', value: (r) => r.savingsOre / 100 },
      ])
      return new Response(csv, {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="gevinster.csv"',
          'cache-control': 'no-store',
        },
      })
    }),
  )
}
