import { createHttpClient, createTokenCache, type TokenCache } from '@felles/http'
import type { TransportOptions } from '../adapters/common.js'
import { transport } from '../adapters/common.js'
import type { Vendor } from '../model.js'
import { toMdmError } from './vendor-error.js'

/**
 * A token cache over an OAuth token endpoint that answers `{ access_token, expires_in }`
 * to a form POST: one request in flight, renewal `refreshBefore` ms before expiry,
 * failures as `MdmError`. The form is built per request (a JWT assertion must be fresh).
 */
export function oauthTokenCache(options: {
  readonly vendor: Vendor
  readonly url: string
  readonly form: () => URLSearchParams | Promise<URLSearchParams>
  readonly refreshBefore: number
  readonly transport: TransportOptions
}): TokenCache {
  const client = createHttpClient({ ...transport(options.transport), retry: { maxAttempts: 3 } })
  return createTokenCache(
    async (_key, { signal }) => {
      const body = await options.form()
      try {
        const token = await client.json<{ access_token: string; expires_in: number }>({
          url: options.url,
          method: 'POST',
          body,
          idempotent: true,
          signal,
        })
        return { token: token.access_token, expiresIn: token.expires_in }
      } catch (error) {
        throw toMdmError(options.vendor, error, 'token request')
      }
    },
    {
      refreshBefore: options.refreshBefore,
      ...(options.transport.clock ? { clock: options.transport.clock } : {}),
    },
  )
}
