import { PDFDocument, StandardFonts } from 'pdf-lib'
import { afterAll, bench, describe } from 'vitest'
import { barChartSvg, renderLetterPdf, toCsv } from '../src/index.js'
import { letter } from '../test/fixtures.js'

// Each group compares the package with the natural baseline in the same run:
// a letter against pdf-lib drawing the same paragraphs with no layout, validation
// or letterhead; CSV against a bare join that neither quotes nor defuses formulas.
// Vitest prints the ratio ("x times faster than") under each group.

const paragraphs = Array.from(
  { length: 12 },
  (_, i) =>
    `Avsnitt ${i + 1}: ` + 'Vi viser til søknaden din om støttekontakt og har vurdert saken. '.repeat(4),
)
const input = letter({ paragraphs })

describe('one two-page letter', () => {
  bench('renderLetterPdf', async () => {
    await renderLetterPdf(input)
  })
  bench('baseline: pdf-lib drawText, one line per paragraph', async () => {
    const doc = await PDFDocument.create()
    const font = await doc.embedFont(StandardFonts.Helvetica)
    const page = doc.addPage()
    paragraphs.forEach((text, i) => {
      page.drawText(text.slice(0, 90), { x: 50, y: 780 - i * 14, size: 10, font })
    })
    await doc.save()
  })
})

const rows = Array.from({ length: 10_000 }, (_, i) => ({
  serial: `F9XK${i}`,
  model: i % 3 === 0 ? 'iPad (10th gen)' : 'Chromebook, 14"',
  lastSeen: new Date(Date.UTC(2026, 10, 1) + i * 60_000),
  battery: (i % 100) / 100,
}))
type Row = (typeof rows)[number]

// Keeps the baselines' results alive so that nothing is optimised away.
let sink: unknown
afterAll(() => {
  if (sink === undefined) throw new Error('the benchmarks did not run')
})

describe('CSV of 10 000 devices', () => {
  bench('toCsv (excel-nb)', () => {
    sink = toCsv(
      rows,
      [
        { header: 'Serienummer', key: 'serial' },
        { header: 'Modell', key: 'model' },
        { header: 'Sist sett', value: (r: Row) => r.lastSeen },
        { header: 'Batteri', key: 'battery' },
      ],
      { preset: 'excel-nb' },
    )
  })
  bench('baseline: join without quoting', () => {
    sink = rows.map((r) => [r.serial, r.model, r.lastSeen.toISOString(), r.battery].join(';')).join('\r\n')
  })
})

describe('bar chart, 12 months × 3 series', () => {
  const months = [
    'jan.',
    'feb.',
    'mars',
    'apr.',
    'mai',
    'juni',
    'juli',
    'aug.',
    'sep.',
    'okt.',
    'nov.',
    'des.',
  ]
  const chart = {
    title: 'Brev per måned',
    description: 'Digitale, printede og feilede brev per måned.',
    categories: months,
    series: ['Digitalt', 'Print', 'Feilet'].map((name, s) => ({
      name,
      values: months.map((_, i) => (s + 1) * 100 + i * 7),
    })),
    unit: 'brev',
  }
  bench('barChartSvg', () => {
    sink = barChartSvg(chart)
  })
  bench('baseline: one <rect> per value, no escaping or table', () => {
    let svg = '<svg>'
    chart.series.forEach((series, s) => {
      series.values.forEach((v, i) => {
        svg += `<rect x="${i * 50 + s * 15}" y="${300 - v / 10}" width="14" height="${v / 10}"/>`
      })
    })
    sink = `${svg}</svg>`
  })
})
