import type { ChartInput, ChartOutput } from './chart-input.js'
import {
  axes,
  dataTable,
  frame,
  layout,
  markTitle,
  niceScale,
  num,
  PALETTE,
  parseChart,
  svgDocument,
} from './internal/chart-frame.js'

// Line styles and marker shapes per series: the second and third cues besides colour.
const DASHES = ['', '8 4', '2 3', '10 3 2 3', '4 4', '12 4 4 4', '1 2', '6 2 2 2 2 2']

function marker(index: number, x: number, y: number, colour: string, title = ''): string {
  const r = 4.5
  const at = (dx: number, dy: number): string => `${num(x + dx)},${num(y + dy)}`
  const stroke = `stroke="${colour}" stroke-width="1.5"`
  switch (index % 8) {
    case 0:
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="${colour}">${title}</circle>`
    case 1:
      return `<rect x="${num(x - r)}" y="${num(y - r)}" width="${r * 2}" height="${r * 2}" fill="${colour}">${title}</rect>`
    case 2:
      return `<polygon points="${at(0, -r - 1)} ${at(r + 1, r)} ${at(-r - 1, r)}" fill="${colour}">${title}</polygon>`
    case 3:
      return `<polygon points="${at(0, -r - 1)} ${at(r + 1, 0)} ${at(0, r + 1)} ${at(-r - 1, 0)}" fill="${colour}">${title}</polygon>`
    case 4:
      return `<polygon points="${at(-r - 1, -r)} ${at(r + 1, -r)} ${at(0, r + 1)}" fill="${colour}">${title}</polygon>`
    case 5:
      return `<path d="M${at(-r, -r)} L${at(r, r)} M${at(r, -r)} L${at(-r, r)}" stroke="${colour}" stroke-width="2.5" fill="none">${title}</path>`
    case 6:
      return `<circle cx="${num(x)}" cy="${num(y)}" r="${r}" fill="#ffffff" ${stroke}>${title}</circle>`
    default:
      return `<rect x="${num(x - r)}" y="${num(y - r)}" width="${r * 2}" height="${r * 2}" fill="#ffffff" ${stroke}>${title}</rect>`
  }
}

/**
 * A line chart as server-rendered SVG, with the same numbers as an HTML
 * table. Each series has its own colour, dash pattern and marker shape, and
 * each point a tooltip; a `null` value breaks the line. No JavaScript, no
 * inline styles.
 *
 * @param input - Title, description, categories and series; see {@link ChartInput}.
 * @returns `{ svg, table }`.
 * @throws {@link DocumentError} `ERR_INVALID_INPUT` naming the field.
 * @example
 * ```ts
 * const { svg, table } = lineChartSvg({
 *   title: 'Lesegrad',
 *   description: 'Andel digitale brev som er lest innen sju dager, per måned. Stiger fra 71 til 84 prosent.',
 *   categories: ['jan.', 'feb.', 'mars'],
 *   series: [{ name: 'Lest innen 7 dager', values: [71, 78.5, 84] }],
 *   unit: '%',
 * })
 * ```
 * @see https://www.w3.org/WAI/tutorials/images/complex/
 */
export function lineChartSvg(input: ChartInput): ChartOutput {
  const chart = parseChart(input)
  const f = frame(chart, 'line')
  const values = chart.series.flatMap((s) => s.values).filter((v): v is number => v !== null)
  const scale = niceScale(Math.min(0, ...values), Math.max(0, ...values))
  const l = layout(f, scale, (i, x, y) => {
    const colour = PALETTE[i] ?? '#000000'
    const dash = DASHES[i] === '' ? '' : ` stroke-dasharray="${DASHES[i]}"`
    return `<line x1="${num(x)}" x2="${num(x + 20)}" y1="${num(y + 8)}" y2="${num(y + 8)}" stroke="${colour}" stroke-width="2"${dash}/>${marker(i, x + 10, y + 8, colour)}`
  })
  const yOf = (v: number): number =>
    l.bottom - ((v - scale.min) / (scale.max - scale.min)) * (l.bottom - l.top)
  const slot = (l.right - l.left) / chart.categories.length
  const xOfSlot = (i: number): number => l.left + slot * (i + 0.5)
  let lines = '<g class="felles-chart__lines">'
  chart.series.forEach((series, s) => {
    const colour = PALETTE[s] ?? '#000000'
    const dash = DASHES[s] === '' ? '' : ` stroke-dasharray="${DASHES[s]}"`
    // Runs of consecutive values; a null ends a run.
    const runs: string[][] = [[]]
    series.values.forEach((value, i) => {
      if (value === null) runs.push([])
      else runs.at(-1)?.push(`${num(xOfSlot(i))},${num(yOf(value))}`)
    })
    for (const run of runs) {
      if (run.length > 1) {
        lines += `<polyline points="${run.join(' ')}" fill="none" stroke="${colour}" stroke-width="2.5"${dash} stroke-linejoin="round"/>`
      }
    }
    series.values.forEach((value, i) => {
      if (value !== null) lines += marker(s, xOfSlot(i), yOf(value), colour, markTitle(f, series, i, value))
    })
  })
  lines += '</g>'
  const svg = svgDocument(f, 'line', l.legendSvg + axes(f, scale, l, yOf, xOfSlot) + lines)
  return { svg, table: dataTable(f) }
}
