import { z } from 'zod'
import type { ChartInput, ChartSeries } from '../chart-input.js'
import { escapeXml } from './escape.js'
import { line } from './schemas.js'
import { checkTexts, parseInput } from './validate.js'

/** Series colours: each at least 4.5:1 against white, and never the only cue (patterns and markers too). */
export const PALETTE: readonly string[] = [
  '#1f4e79',
  '#a34700',
  '#2e6b30',
  '#6a1b9a',
  '#a4262c',
  '#00607a',
  '#5c5000',
  '#424242',
]

export const TEXT_COLOUR = '#1a1a1a'
const GRID_COLOUR = '#d6d6d6'
const AXIS_COLOUR = '#595959'
const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
const FONT_SIZE = 12

const isLocale = (value: string): boolean => {
  try {
    return Intl.NumberFormat.supportedLocalesOf([value]).length > 0
  } catch {
    return false
  }
}

const ChartSchema: z.ZodType<ChartInput> = z
  .strictObject({
    title: line(200),
    description: line(2_000),
    categories: z
      .array(line(80))
      .min(1, 'must have at least one category')
      .max(120, 'must have at most 120 categories'),
    series: z
      .array(
        z.strictObject({
          name: line(80),
          values: z.array(z.number().finite('must be finite numbers or null').nullable()),
        }),
      )
      .min(1, 'must have at least one series')
      .max(PALETTE.length, `must have at most ${PALETTE.length} series`),
    unit: line(20).optional(),
    locale: z.string().refine(isLocale, 'must be a supported BCP 47 locale').optional(),
    id: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a letter followed by letters, digits, _ or -')
      .optional(),
    width: z.number().int().min(240).max(4_000).optional(),
    height: z.number().int().min(160).max(4_000).optional(),
    maximumFractionDigits: z.number().int().min(0).max(6).optional(),
    categoryLabel: line(80).optional(),
  })
  .superRefine((chart, ctx) => {
    chart.series.forEach((series, index) => {
      if (series.values.length !== chart.categories.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['series', index, 'values'],
          message: `must have one value per category (${chart.categories.length})`,
        })
      }
    })
  })

/** Parses chart input at the boundary; `extra` adds checks of one chart kind. */
export function parseChart(input: ChartInput, extra?: (chart: ChartInput) => void): ChartInput {
  const chart = parseInput(ChartSchema, input, 'chart')
  checkTexts(chart, () => false)
  extra?.(chart)
  return chart
}

// FNV-1a: a short stable id from the content, so re-rendering the same chart gives the same markup.
function hash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(36)
}

/** Everything the three chart kinds share. */
export interface Frame {
  readonly chart: ChartInput
  readonly id: string
  readonly width: number
  readonly height: number
  readonly format: (value: number) => string
  readonly withUnit: (value: number) => string
  readonly noData: string
  readonly english: boolean
}

export function frame(chart: ChartInput, kind: string): Frame {
  const locale = chart.locale ?? 'nb-NO'
  const formatter = new Intl.NumberFormat(locale, { maximumFractionDigits: chart.maximumFractionDigits ?? 1 })
  const format = (value: number): string => formatter.format(value)
  const unit = chart.unit
  const english = locale.toLowerCase().startsWith('en')
  return {
    chart,
    id:
      chart.id ??
      `chart-${hash(JSON.stringify([kind, chart.title, chart.description, chart.categories, chart.series, unit]))}`,
    width: chart.width ?? 640,
    height: chart.height ?? 360,
    format,
    withUnit: (value) => (unit === undefined ? format(value) : `${format(value)}\u00a0${unit}`),
    noData: english ? 'no data' : 'ingen data',
    english,
  }
}

/** A rounded axis: 0 is always included, ticks at 1, 2, 2.5 or 5 × 10ⁿ. */
export interface Scale {
  readonly min: number
  readonly max: number
  readonly ticks: readonly number[]
}

export function niceScale(dataMin: number, dataMax: number, targetTicks = 5): Scale {
  const lo = Math.min(0, dataMin)
  let hi = Math.max(0, dataMax)
  // Below a millionth the numbers print as 0 anyway (at most 6 fraction digits): use a unit axis.
  if (hi - lo < 1e-6) hi = lo + 1
  const raw = (hi - lo) / targetTicks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * magnitude >= raw) ?? 10) * magnitude
  const first = Math.floor(lo / step)
  const count = Math.ceil(hi / step) - first
  // Each tick from its index, rounded to the step's precision, so that 0.30000000000000004 prints as
  // 0,3; `+ 0` turns -0 into 0, which Intl would print as "-0".
  const digits = Math.min(20, Math.max(0, -Math.floor(Math.log10(step)) + 2))
  const ticks = Array.from({ length: count + 1 }, (_, i) => Number(((first + i) * step).toFixed(digits)) + 0)
  return { min: ticks[0] ?? 0, max: ticks.at(-1) ?? 1, ticks }
}

/** Rough width of a label in the SVG's font (no font metrics on the server). */
export function textWidth(text: string, size: number = FONT_SIZE): number {
  return [...text].length * size * 0.56
}

export const num = (value: number): string => String(Math.round(value * 100) / 100)

/** A fill pattern per series: solid, stripes, dots, grid … so that colour is never the only cue. */
export function patternDefs(f: Frame, count: number): string {
  const shapes = [
    '',
    '<path d="M0 8 L8 0 M-2 2 L2 -2 M6 10 L10 6" stroke="#ffffff" stroke-width="2"/>',
    '<circle cx="4" cy="4" r="1.6" fill="#ffffff"/>',
    '<path d="M0 4 H8 M4 0 V8" stroke="#ffffff" stroke-width="1.5"/>',
    '<path d="M0 2 H8 M0 6 H8" stroke="#ffffff" stroke-width="1.2"/>',
    '<path d="M0 0 L8 8 M-2 6 L2 10 M6 -2 L10 2" stroke="#ffffff" stroke-width="2"/>',
    '<path d="M2 0 V8 M6 0 V8" stroke="#ffffff" stroke-width="1.2"/>',
    '<path d="M0 0 L8 8 M8 0 L0 8" stroke="#ffffff" stroke-width="1.2"/>',
  ]
  let out = '<defs>'
  for (let i = 0; i < count; i++) {
    const colour = PALETTE[i] ?? TEXT_COLOUR
    out += `<pattern id="${f.id}-p${i}" width="8" height="8" patternUnits="userSpaceOnUse"><rect width="8" height="8" fill="${colour}"/>${shapes[i] ?? ''}</pattern>`
  }
  return `${out}</defs>`
}

export function fillOf(f: Frame, index: number): string {
  return `url(#${f.id}-p${index})`
}

/** The plot area and where the legend and labels go. */
export interface Layout {
  readonly left: number
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly rotateLabels: boolean
  readonly legendSvg: string
}

/**
 * Places the legend (top, wrapping), the y labels (left) and the category
 * labels (bottom, slanted when they do not fit side by side).
 */
export function layout(
  f: Frame,
  scale: Scale,
  swatch: (index: number, x: number, y: number) => string,
): Layout {
  const { chart, width, height } = f
  let x = 10
  let y = 10
  let legend = '<g class="felles-chart__legend">'
  chart.series.forEach((series: ChartSeries, index) => {
    const itemWidth = 26 + textWidth(series.name) + 18
    if (x + itemWidth > width - 10 && x > 10) {
      x = 10
      y += 22
    }
    legend += `<g>${swatch(index, x, y)}<text x="${num(x + 24)}" y="${num(y + 12)}" fill="${TEXT_COLOUR}">${escapeXml(series.name)}</text></g>`
    x += itemWidth
  })
  legend += '</g>'
  const unitRow = chart.unit === undefined ? 0 : 18
  const top = y + 22 + 12 + unitRow
  const left = 16 + Math.max(...scale.ticks.map((t) => textWidth(f.format(t))))
  const right = width - 16
  const slot = (right - left) / chart.categories.length
  const widest = Math.max(...chart.categories.map((c) => textWidth(c)))
  const rotateLabels = widest > slot - 6
  const labelSpace = rotateLabels ? Math.min(widest * 0.72 + 18, height * 0.4) : 26
  return { left, top, right, bottom: height - labelSpace, rotateLabels, legendSvg: legend }
}

/** Y gridlines with labels, the zero line, the unit, and category labels. */
export function axes(
  f: Frame,
  scale: Scale,
  l: Layout,
  yOf: (v: number) => number,
  xOfSlot: (i: number) => number,
): string {
  let out = '<g class="felles-chart__y-axis">'
  for (const tick of scale.ticks) {
    const y = num(yOf(tick))
    out += `<line x1="${num(l.left)}" x2="${num(l.right)}" y1="${y}" y2="${y}" stroke="${tick === 0 ? AXIS_COLOUR : GRID_COLOUR}" stroke-width="1"/>`
    out += `<text x="${num(l.left - 8)}" y="${y}" dy="0.32em" text-anchor="end" fill="${TEXT_COLOUR}">${escapeXml(f.format(tick))}</text>`
  }
  if (f.chart.unit !== undefined) {
    out += `<text x="${num(l.left - 8)}" y="${num(l.top - 12)}" text-anchor="end" fill="${TEXT_COLOUR}">${escapeXml(f.chart.unit)}</text>`
  }
  out += '</g><g class="felles-chart__x-axis">'
  f.chart.categories.forEach((category, i) => {
    const x = num(xOfSlot(i))
    const y = num(l.bottom + 16)
    out += l.rotateLabels
      ? `<text x="${x}" y="${y}" text-anchor="end" transform="rotate(-40 ${x} ${y})" fill="${TEXT_COLOUR}">${escapeXml(category)}</text>`
      : `<text x="${x}" y="${y}" text-anchor="middle" fill="${TEXT_COLOUR}">${escapeXml(category)}</text>`
  })
  return `${out}</g>`
}

/** The `<svg>` element around a chart's body. */
export function svgDocument(f: Frame, kind: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="felles-chart felles-chart--${kind}" role="img" ` +
    `aria-labelledby="${f.id}-title ${f.id}-desc" viewBox="0 0 ${f.width} ${f.height}" ` +
    `width="${f.width}" height="${f.height}" font-family="${escapeXml(FONT_FAMILY)}" font-size="${FONT_SIZE}">` +
    `<title id="${f.id}-title">${escapeXml(f.chart.title)}</title>` +
    `<desc id="${f.id}-desc">${escapeXml(f.chart.description)}</desc>` +
    `<rect width="${f.width}" height="${f.height}" fill="#ffffff"/>` +
    body +
    '</svg>'
  )
}

/** The data table behind a chart; `extraColumn` adds a computed column such as a sum. */
export function dataTable(
  f: Frame,
  extraColumn?: { readonly header: string; readonly value: (categoryIndex: number) => number | null },
): string {
  const { chart } = f
  const unit = chart.unit === undefined ? '' : ` (${chart.unit})`
  const categoryLabel = chart.categoryLabel ?? (f.english ? 'Category' : 'Kategori')
  const cell = (value: number | null | undefined): string =>
    value === null || value === undefined
      ? `<td aria-label="${f.noData}">–</td>`
      : `<td data-value="${escapeXml(String(value))}">${escapeXml(f.format(value))}</td>`
  let out = `<table class="felles-chart-table" id="${f.id}-table"><caption>${escapeXml(chart.title)}</caption><thead><tr>`
  out += `<th scope="col">${escapeXml(categoryLabel)}</th>`
  for (const series of chart.series) out += `<th scope="col">${escapeXml(series.name + unit)}</th>`
  if (extraColumn !== undefined) out += `<th scope="col">${escapeXml(extraColumn.header + unit)}</th>`
  out += '</tr></thead><tbody>'
  chart.categories.forEach((category, i) => {
    out += `<tr><th scope="row">${escapeXml(category)}</th>`
    for (const series of chart.series) out += cell(series.values[i])
    if (extraColumn !== undefined) out += cell(extraColumn.value(i))
    out += '</tr>'
  })
  return `${out}</tbody></table>`
}

/** A `<title>` for one mark, shown as a tooltip by browsers: "Series, category: 1 234 kr". */
export function markTitle(f: Frame, series: ChartSeries, categoryIndex: number, value: number): string {
  const category = f.chart.categories[categoryIndex] ?? ''
  return `<title>${escapeXml(`${series.name}, ${category}: ${f.withUnit(value)}`)}</title>`
}
