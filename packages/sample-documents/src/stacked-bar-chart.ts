import type { ChartInput, ChartOutput } from './chart-input.js'
import { DocumentError } from './errors.js'
import {
  axes,
  dataTable,
  fillOf,
  frame,
  layout,
  markTitle,
  niceScale,
  num,
  PALETTE,
  parseChart,
  patternDefs,
  svgDocument,
} from './internal/chart-frame.js'

function assertNoNegatives(chart: ChartInput): void {
  chart.series.forEach((series, s) => {
    const i = series.values.findIndex((v) => v !== null && v < 0)
    if (i >= 0) {
      const field = `series[${s}].values[${i}]`
      throw new DocumentError(
        'ERR_INVALID_INPUT',
        `Invalid chart: ${field} must not be negative in a stacked chart`,
        {
          field,
        },
      )
    }
  })
}

/**
 * A stacked bar chart as server-rendered SVG, with the same numbers as an
 * HTML table plus a sum column. Each segment has its series' colour and fill
 * pattern and a tooltip; values must not be negative. No JavaScript, no inline
 * styles.
 *
 * @param input - Title, description, categories and series; see {@link ChartInput}.
 * @returns `{ svg, table }`.
 * @throws {@link DocumentError} `ERR_INVALID_INPUT` naming the field, also for a negative value.
 * @example
 * ```ts
 * const { svg, table } = stackedBarChartSvg({
 *   title: 'Enheter per samsvar',
 *   description: 'Enheter som oppfyller kravene, ikke gjør det, og ikke er sett på 30 dager, per skole.',
 *   categories: ['Bakken skole', 'Haugen skole'],
 *   series: [
 *     { name: 'I samsvar', values: [410, 380] },
 *     { name: 'Ikke i samsvar', values: [12, 30] },
 *     { name: 'Ikke sett på 30 dager', values: [5, 9] },
 *   ],
 *   unit: 'enheter',
 * })
 * ```
 * @see https://www.w3.org/WAI/tutorials/images/complex/
 */
export function stackedBarChartSvg(input: ChartInput): ChartOutput {
  const chart = parseChart(input, assertNoNegatives)
  const f = frame(chart, 'stacked')
  const totals = chart.categories.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0))
  const scale = niceScale(0, Math.max(0, ...totals))
  const l = layout(
    f,
    scale,
    (i, x, y) =>
      `<rect x="${num(x)}" y="${num(y)}" width="16" height="16" fill="${fillOf(f, i)}" stroke="${PALETTE[i]}" stroke-width="1"/>`,
  )
  const yOf = (v: number): number =>
    l.bottom - ((v - scale.min) / (scale.max - scale.min)) * (l.bottom - l.top)
  const slot = (l.right - l.left) / chart.categories.length
  const xOfSlot = (i: number): number => l.left + slot * (i + 0.5)
  const barWidth = slot * 0.6
  let bars = '<g class="felles-chart__bars">'
  chart.categories.forEach((_, i) => {
    let base = 0
    chart.series.forEach((series, s) => {
      const value = series.values[i] ?? null
      if (value === null || value === 0) return
      const top = yOf(base + value)
      const h = yOf(base) - top
      // A white edge between segments keeps adjacent segments apart.
      bars += `<rect x="${num(xOfSlot(i) - barWidth / 2)}" y="${num(top)}" width="${num(barWidth)}" height="${num(h)}" fill="${fillOf(f, s)}" stroke="#ffffff" stroke-width="1">${markTitle(f, series, i, value)}</rect>`
      base += value
    })
  })
  bars += '</g>'
  const svg = svgDocument(
    f,
    'stacked',
    patternDefs(f, chart.series.length) + l.legendSvg + axes(f, scale, l, yOf, xOfSlot) + bars,
  )
  const sumHeader = f.english ? 'Total' : 'Sum'
  const table = dataTable(f, {
    header: sumHeader,
    value: (i) => (chart.series.every((s) => s.values[i] === null) ? null : (totals[i] ?? 0)),
  })
  return { svg, table }
}
