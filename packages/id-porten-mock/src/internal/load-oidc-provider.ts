/// <reference path="./oidc-provider.d.ts" />
/**
 * Loads oidc-provider lazily and silently.
 *
 * oidc-provider prints "Unsupported runtime" with `console.warn` while its
 * module is evaluated on Node 20 (it asks for Node 22+, and the flows this
 * package uses work on 20). That line must not reach test output or the
 * sample apps' console, so the module is imported on first use with that one
 * message filtered out; every other message passes through unchanged.
 */
type OidcProviderModule = typeof import('oidc-provider')

let loading: Promise<OidcProviderModule> | undefined

const RUNTIME_WARNING = 'oidc-provider WARNING: Unsupported runtime'

export function loadOidcProvider(): Promise<OidcProviderModule> {
  loading ??= importQuietly(() => import('oidc-provider'))
  return loading
}

/** Runs `load` with oidc-provider's runtime warning filtered out of `console.warn`. */
export async function importQuietly<T>(load: () => Promise<T>): Promise<T> {
  const original = console.warn
  const filtered = (...args: unknown[]): void => {
    if (typeof args[0] === 'string' && args[0].includes(RUNTIME_WARNING)) return
    original.apply(console, args)
  }
  console.warn = filtered
  try {
    return await load()
  } finally {
    // Restore only if nobody replaced console.warn in the meantime.
    if (console.warn === filtered) console.warn = original
  }
}
