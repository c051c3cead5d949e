import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { xmlProblems } from '../test/xml.js'
import {
  barChartSvg,
  type ChartInput,
  type ChartOutput,
  isDocumentError,
  lineChartSvg,
  stackedBarChartSvg,
} from './index.js'
import { PALETTE } from './internal/chart-frame.js'

const input: ChartInput = {
  title: 'Brev per måned',
  description: 'Digitalt leverte og printede brev per måned. Andelen digitale brev øker.',
  categories: ['jan.', 'feb.', 'mars'],
  series: [
    { name: 'Digitalt', values: [1200, 1350.5, 1800] },
    { name: 'Print', values: [600, null, 410] },
  ],
  unit: 'brev',
}

const charts = { bar: barChartSvg, stacked: stackedBarChartSvg, line: lineChartSvg } as const
const nb = new Intl.NumberFormat('nb-NO', { maximumFractionDigits: 1 })

const printable = (s: string): boolean =>
  s.trim() !== '' &&
  [...s].every((ch) => {
    const c = ch.codePointAt(0) ?? 0
    return c > 0x1f && (c < 0x7f || c > 0x9f) && c !== 0x2028 && c !== 0x2029
  })

function tableCells(table: string): string[][] {
  return [...table.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((cell) => cell[1] ?? ''),
  )
}

function attributeValues(svg: string, element: string, attribute: string): string[] {
  const pattern = new RegExp(`<${element}\\b[^>]*\\s${attribute}="([^"]*)"`, 'g')
  return [...svg.matchAll(pattern)].map((m) => m[1] ?? '')
}

function expectAccessibleAndSafe({ svg, table }: ChartOutput): void {
  expect(xmlProblems(svg)).toEqual([])
  expect(xmlProblems(table)).toEqual([])
  const root = /^<svg [^>]*>/.exec(svg)?.[0] ?? ''
  expect(root).toContain('role="img"')
  const labelledBy = /aria-labelledby="([^"]+)"/.exec(root)?.[1]?.split(' ') ?? []
  expect(labelledBy).toHaveLength(2)
  expect(svg).toContain(`<title id="${labelledBy[0]}">`)
  expect(svg).toContain(`<desc id="${labelledBy[1]}">`)
  // Nothing a strict Content-Security-Policy would block, nothing that runs.
  for (const markup of [svg, table]) {
    expect(markup).not.toMatch(/\sstyle=/i)
    expect(markup).not.toMatch(/<style/i)
    expect(markup).not.toMatch(/<script/i)
    // Escaped text may say anything; no tag may carry an event handler or a script URL.
    for (const tag of markup.match(/<[^>]+>/g) ?? []) {
      expect(tag).not.toMatch(/\son[a-z]+=/i)
      expect(tag).not.toMatch(/javascript:/i)
    }
  }
  expect(table).toMatch(/^<table[^>]*><caption>/)
}

describe.each(Object.entries(charts))('%s chart', (kind, render) => {
  it('is accessible and safe under a strict CSP', () => {
    const output = render(input)
    expectAccessibleAndSafe(output)
    expect(output.svg).toContain('<title id="')
    expect(output.svg).toContain('>Brev per måned</title>')
    expect(output.svg).toContain(`class="felles-chart felles-chart--${kind}"`)
  })

  it('has a table with the same numbers, formatted for nb-NO', () => {
    const { table } = render(input)
    const rows = tableCells(table)
    expect(rows[0]?.slice(0, 3)).toEqual(['Kategori', 'Digitalt (brev)', 'Print (brev)'])
    expect(table).toContain('<th scope="col">Kategori</th>')
    expect(table).toContain('<th scope="row">jan.</th>')
    input.categories.forEach((category, i) => {
      const row = rows[i + 1] ?? []
      expect(row[0]).toBe(category)
      input.series.forEach((series, s) => {
        const value = series.values[i]
        expect(row[s + 1]).toBe(value === null || value === undefined ? '–' : nb.format(value))
      })
    })
    // Norwegian grouping and decimal comma.
    expect(table).toContain('>1\u00a0350,5<')
    expect(table).toContain('aria-label="ingen data"')
  })

  it('escapes every text', () => {
    const hostile: ChartInput = {
      title: '<script>alert("t")</script>',
      description: 'a & b < c',
      categories: ['"><img src=x onerror=alert(1)>', "O'Brien"],
      series: [{ name: '</svg><script>x</script>', values: [1, 2] }],
      unit: '<b>',
      categoryLabel: '<i>',
    }
    const output = render(hostile)
    expectAccessibleAndSafe(output)
    expect(output.svg).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;')
    expect(output.svg).toContain('a &amp; b &lt; c')
    expect(output.svg).toContain('O&#39;Brien')
    expect(output.table).toContain('&lt;/svg&gt;&lt;script&gt;x&lt;/script&gt; (&lt;b&gt;)')
    expect(output.svg).not.toContain('<img')
    expect(output.table).not.toContain('<img')
  })

  it('uses English texts and number format for an English locale', () => {
    const { table, svg } = render({ ...input, locale: 'en-GB' })
    expect(table).toContain('<th scope="col">Category</th>')
    expect(table).toContain('>1,350.5<')
    expect(table).toContain('aria-label="no data"')
    expect(svg).toContain('>1,000<')
  })

  it('derives stable ids from the content, and takes a given one', () => {
    expect(render(input).svg).toBe(render(input).svg)
    const idOf = (svg: string): string | undefined => /<title id="([^"]+)-title"/.exec(svg)?.[1]
    expect(idOf(render(input).svg)).not.toBe(idOf(render({ ...input, title: 'Annen' }).svg))
    const { svg, table } = render({ ...input, id: 'letters-2026' })
    expect(svg).toContain('aria-labelledby="letters-2026-title letters-2026-desc"')
    expect(table).toContain('id="letters-2026-table"')
  })

  it('names the field of bad input', () => {
    const cases: [ChartInput, string][] = [
      [{ ...input, series: [{ name: 'A', values: [1, 2] }] }, 'series[0].values'],
      [{ ...input, series: [{ name: 'A', values: [1, Number.NaN, 3] }] }, 'series[0].values[1]'],
      [{ ...input, categories: [] }, 'categories'],
      [
        { ...input, series: Array.from({ length: 9 }, (_, i) => ({ name: `S${i}`, values: [1, 2, 3] })) },
        'series',
      ],
      [{ ...input, locale: 'not a locale!' }, 'locale'],
      [{ ...input, id: '1bad id' }, 'id'],
      [{ ...input, title: 'Tab\there' }, 'title'],
    ]
    for (const [bad, field] of cases) {
      let caught: unknown
      try {
        render(bad)
      } catch (error) {
        caught = error
      }
      expect(isDocumentError(caught) && [caught.code, caught.field]).toEqual(['ERR_INVALID_INPUT', field])
    }
  })

  it('renders any valid data as well-formed, accessible markup with every number in the table', () => {
    const chartInput = fc.integer({ min: 1, max: 14 }).chain((categories) =>
      fc.record({
        // Any script, emoji too; no control characters.
        title: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter(printable),
        description: fc.constant('Beskrivelse'),
        categories: fc.array(
          fc.stringMatching(/^[A-Za-zæøå0-9 .<>&"']{1,20}$/).filter((s) => s.trim() !== ''),
          {
            minLength: categories,
            maxLength: categories,
          },
        ),
        series: fc.array(
          fc.record({
            name: fc.stringMatching(/^[A-Za-z<>&"' ]{1,12}$/).filter((s) => s.trim() !== ''),
            values: fc.array(fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: null }), {
              minLength: categories,
              maxLength: categories,
            }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
      }),
    )
    fc.assert(
      fc.property(chartInput, (data) => {
        const output = render(data)
        expectAccessibleAndSafe(output)
        const rows = tableCells(output.table)
        expect(rows).toHaveLength(data.categories.length + 1)
        data.series.forEach((series, s) => {
          series.values.forEach((value, i) => {
            expect(rows[i + 1]?.[s + 1]).toBe(value === null ? '–' : nb.format(value))
          })
        })
      }),
      { numRuns: 60 },
    )
  })
})

describe('cues besides colour', () => {
  function luminance(hex: string): number {
    const channel = (i: number): number => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    }
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
  }

  it('uses series colours with at least 4.5:1 contrast against white', () => {
    for (const colour of PALETTE) expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5)
  })

  it('gives each bar series its own fill pattern, also in the legend', () => {
    const many: ChartInput = {
      ...input,
      series: Array.from({ length: 8 }, (_, i) => ({ name: `S${i}`, values: [i + 1, i + 2, i + 3] })),
    }
    for (const render of [barChartSvg, stackedBarChartSvg]) {
      const { svg } = render(many)
      const patterns = [...svg.matchAll(/<pattern id="([^"]+)"[^>]*>(.*?)<\/pattern>/g)]
      expect(patterns).toHaveLength(8)
      // Patterns differ in their shapes, not only in colour.
      const shapes = patterns.map((p) => (p[2] ?? '').replace(/fill="#[0-9a-f]{6}"/, ''))
      expect(new Set(shapes).size).toBe(8)
      const fills = attributeValues(svg, 'rect', 'fill').filter((f) => f.startsWith('url('))
      for (const p of patterns) expect(fills.filter((f) => f === `url(#${p[1]})`).length).toBe(1 + 3)
    }
  })

  it('draws one bar per value and none for missing values', () => {
    const { svg } = barChartSvg(input)
    const bars = /<g class="felles-chart__bars">(.*?)<\/g>/.exec(svg)?.[1] ?? ''
    expect(bars.match(/<rect /g)).toHaveLength(5)
    expect(bars).toContain('<title>Digitalt, feb.: 1\u00a0350,5\u00a0brev</title>')
  })

  it('draws negative bars below the zero line', () => {
    const { svg } = barChartSvg({ ...input, series: [{ name: 'Netto', values: [-200, 100, 300] }] })
    expect(svg).toContain('>−200<')
    expect(svg).toMatch(/>−200<\/text>/)
  })

  it('gives each line its own dash pattern and marker shape, and breaks a line at a gap', () => {
    const { svg } = lineChartSvg({
      ...input,
      series: [
        { name: 'A', values: [1, 2, 3] },
        { name: 'B', values: [3, null, 1] },
        { name: 'C', values: [2, 2, 2] },
      ],
    })
    const lines = /<g class="felles-chart__lines">(.*?)<\/g>$/.exec(svg.replace('</svg>', ''))?.[1] ?? ''
    const polylines = [...lines.matchAll(/<polyline [^>]*>/g)].map((m) => m[0])
    // B has a gap in the middle, so it has no segment of two points: only A and C draw lines.
    expect(polylines).toHaveLength(2)
    expect(polylines[0]).not.toContain('stroke-dasharray')
    expect(polylines[1]).toContain('stroke-dasharray="2 3"')
    expect(lines.match(/<circle /g)).toHaveLength(3)
    expect(lines.match(/<rect /g)).toHaveLength(2)
    expect(lines.match(/<polygon /g)).toHaveLength(3)
  })
})

describe('stackedBarChartSvg', () => {
  it('adds a sum column', () => {
    const rows = tableCells(stackedBarChartSvg(input).table)
    expect(rows[0]?.at(-1)).toBe('Sum (brev)')
    expect(rows[1]?.at(-1)).toBe(nb.format(1800))
    expect(rows[2]?.at(-1)).toBe(nb.format(1350.5))
  })

  it('refuses negative values, naming the value', () => {
    let caught: unknown
    try {
      stackedBarChartSvg({ ...input, series: [{ name: 'A', values: [1, -2, 3] }] })
    } catch (error) {
      caught = error
    }
    expect(isDocumentError(caught) && caught.field).toBe('series[0].values[1]')
  })
})
