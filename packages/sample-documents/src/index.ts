export { barChartSvg } from './bar-chart.js'
export type { ChartInput, ChartOutput, ChartSeries } from './chart-input.js'
export { type CsvColumn, type CsvOptions, type CsvValue, toCsv, toCsvStream } from './csv.js'
export type { DocumentLanguage, FontChoice, PdfMetadata, PlainDateInput } from './document-options.js'
export {
  DocumentError,
  type DocumentErrorCode,
  type DocumentErrorOptions,
  isDocumentError,
} from './errors.js'
export { type LetterBlock, type LetterInput, renderLetterPdf } from './letter.js'
export { lineChartSvg } from './line-chart.js'
export type { Organisation, Recipient, Signer } from './parties.js'
export { stackedBarChartSvg } from './stacked-bar-chart.js'
export {
  type MdmVendor,
  renderStartPackPdfs,
  type StartPackContact,
  type StartPackInput,
  type StartPackPdfs,
} from './start-pack.js'
