/** One data series of a chart. */
export interface ChartSeries {
  /** Shown in the legend and as a table column header. */
  readonly name: string
  /** One value per category, in the same order; `null` where there is no data. */
  readonly values: readonly (number | null)[]
}

/** Input of {@link barChartSvg}, {@link stackedBarChartSvg} and {@link lineChartSvg}. */
export interface ChartInput {
  /** The chart's accessible name (`<title>`) and the table's caption. */
  readonly title: string
  /** What the chart shows and its main finding, read by screen readers (`<desc>`). */
  readonly description: string
  /** The x axis, such as months or case types. */
  readonly categories: readonly string[]
  /** One to eight series; each has one value per category. */
  readonly series: readonly ChartSeries[]
  /** Unit of the values, such as `'kr'`, `'%'` or `'brev'`: shown on the axis and in the table headers. */
  readonly unit?: string | undefined
  /** Locale of the number formatting (`Intl.NumberFormat`). Default `'nb-NO'`. */
  readonly locale?: string | undefined
  /**
   * Prefix of the ids inside the SVG (title, description, patterns). Default:
   * derived from the content, so the same chart gets the same ids. Give each
   * chart its own when the same chart appears twice on one page.
   */
  readonly id?: string | undefined
  /** Size of the view box. Default 640 × 360; the SVG scales to its container. */
  readonly width?: number | undefined
  readonly height?: number | undefined
  /** Default 1. */
  readonly maximumFractionDigits?: number | undefined
  /** Header of the table's first column. Default `'Kategori'` (`'Category'` in English locales). */
  readonly categoryLabel?: string | undefined
}

/** A chart as SVG markup and the same numbers as an HTML table. */
export interface ChartOutput {
  /** `<svg role="img">` with `<title>`, `<desc>` and `aria-labelledby`; no scripts, no inline styles. */
  readonly svg: string
  /** `<table>` with a caption and header cells with `scope`: for screen readers and as the fallback. */
  readonly table: string
}
