/**
 * Rendered device records kept per world version: a record is built once per
 * variant (API version and `$select`, sections, projection) and handed out
 * again until the world changes, so a large fleet is listed without deriving
 * every attribute of every device on each page. Callers refresh the few
 * fields that move with the clock or the command queue on a copy.
 */
export class RenderCache<T> {
  private version = -1
  private readonly variants = new Map<string, Map<number, T>>()

  /** The cached record of `index` in `variant`, rendered now when missing or when the world changed. */
  get(worldVersion: number, variant: string, index: number, render: () => T): T {
    if (worldVersion !== this.version) {
      this.variants.clear()
      this.version = worldVersion
    }
    let records = this.variants.get(variant)
    if (records === undefined) {
      records = new Map()
      this.variants.set(variant, records)
    }
    let record = records.get(index)
    if (record === undefined) {
      record = render()
      records.set(index, record)
    }
    return record
  }
}
