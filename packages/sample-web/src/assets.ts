import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { KIT_CSS } from './internal/kit-css.js'

/** A stylesheet served by the kit under a content-hashed path (cached for a year). */
export interface Asset {
  readonly path: string
  readonly body: string
  readonly type: string
}

/** Designsystemet themes shipped in `@digdir/designsystemet-theme`. */
export type Theme = 'digdir' | 'altinn' | 'portal' | 'uutilsynet'

function hashed(name: string, body: string): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12)
  return `/assets/${hash}/${name}`
}

let cache: Map<Theme, readonly Asset[]> | undefined

/**
 * The kit's stylesheets, in load order: Designsystemet's CSS, the theme, and
 * the kit's own. Read once from `node_modules` of whoever imports the kit
 * (the app lists `@digdir/designsystemet-css` and `-theme` as dependencies).
 *
 * @param theme - Default `digdir`.
 * @returns The assets with their hashed paths.
 */
export function stylesheets(theme: Theme = 'digdir'): readonly Asset[] {
  cache ??= new Map()
  const found = cache.get(theme)
  if (found !== undefined) return found
  const require = createRequire(import.meta.url)
  const css = readFileSync(require.resolve('@digdir/designsystemet-css'), 'utf8')
  const themeCss = readFileSync(require.resolve(`@digdir/designsystemet-theme/${theme}.css`), 'utf8')
  const list = [
    { path: hashed('designsystemet.css', css), body: css, type: 'text/css; charset=utf-8' },
    { path: hashed(`${theme}.css`, themeCss), body: themeCss, type: 'text/css; charset=utf-8' },
    { path: hashed('kit.css', KIT_CSS), body: KIT_CSS, type: 'text/css; charset=utf-8' },
  ]
  cache.set(theme, list)
  return list
}
