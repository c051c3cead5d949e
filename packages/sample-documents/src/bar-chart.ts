import type { ChartInput, ChartOutput } from './chart-input.js'
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

/**
 * A grouped bar chart as server-rendered SVG, with the same numbers as an
 * HTML table. Each series has its own colour and fill pattern, so the chart
 * reads without colour vision; each bar has a tooltip. Negative values grow
 * down from the zero line. Needs no JavaScript, and no inline styles (works
 * under a strict Content-Security-Policy): only presentation attributes.
 *
 * @param input - Title, description, categories and series; see {@link ChartInput}.
 * @returns `{ svg, table }`: put both in the page, the table for example in a `<details>`.
 * @throws {@link DocumentError} `ERR_INVALID_INPUT` naming the field (such as `series[1].values`).
 * @example
 * ```ts
 * const { svg, table } = barChartSvg({
 *   title: 'Brev per måned',
 *   description: 'Digitalt leverte og printede brev per måned i 2026. Andelen digitale brev øker.',
 *   categories: ['jan.', 'feb.', 'mars'],
 *   series: [{ name: 'Digitalt', values: [120, 140, 180] }, { name: 'Print', values: [60, 50, 41] }],
 *   unit: 'brev',
 * })
 * ```
 * @see https://www.w3.org/WAI/tutorials/images/complex/ — complex images need a long description
 */
export function barChartSvg(input: ChartInput): ChartOutput {
  const chart = parseChart(input)
  const f = frame(chart, 'bar')
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null)
  const scale = niceScale(Math.min(0, ...values), Math.max(0, ...values))
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
  const group = slot * 0.8
  const barWidth = group / chart.series.length
  let bars = '<g class="felles-chart__bars">'
  chart.series.forEach((series, s) => {
    series.values.forEach((value, i) => {
      if (value === null) return
      const x = l.left + slot * i + (slot - group) / 2 + barWidth * s
      const y0 = yOf(0)
      const y1 = yOf(value)
      const top = Math.min(y0, y1)
      const h = Math.abs(y1 - y0)
      bars += `<rect x="${num(x + 0.5)}" y="${num(top)}" width="${num(Math.max(barWidth - 1, 1))}" height="${num(h)}" fill="${fillOf(f, s)}" stroke="${PALETTE[s]}" stroke-width="1">${markTitle(f, series, i, value)}</rect>`
    })
  })
  bars += '</g>'
  const svg = svgDocument(
    f,
    'bar',
    patternDefs(f, chart.series.length) + l.legendSvg + axes(f, scale, l, yOf, xOfSlot) + bars,
  )
  return { svg, table: dataTable(f) }
}
