import { randomBytes } from 'node:crypto'
import type { VendorKey } from '../world.js'

/** What the emulator remembers about an issued access token. */
export interface TokenInfo {
  readonly vendor: VendorKey
  readonly clientId: string
  readonly roles: ReadonlySet<string>
  readonly subject?: string
  expiresAt: number
}

/** Issued tokens per vendor; expiry is read from the emulator clock. */
export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>()

  /** Issues a new opaque token. */
  issue(info: Omit<TokenInfo, 'expiresAt'>, expiresAt: number): string {
    const token = `${info.vendor}.${randomBytes(24).toString('base64url')}`
    this.tokens.set(token, { ...info, expiresAt })
    return token
  }

  /** Checks a token: the info when valid, `expired`, or `invalid`. */
  check(token: string | undefined, vendor: VendorKey, now: number): TokenInfo | 'expired' | 'invalid' {
    if (!token) return 'invalid'
    const info = this.tokens.get(token)
    if (!info || info.vendor !== vendor) return 'invalid'
    if (info.expiresAt <= now) return 'expired'
    return info
  }

  /** Revokes one token. */
  revoke(token: string): void {
    this.tokens.delete(token)
  }

  /** Makes every token of a vendor expire at `now`. */
  expireAll(vendor: VendorKey, now: number): void {
    for (const info of this.tokens.values())
      if (info.vendor === vendor && info.expiresAt > now) info.expiresAt = now
  }

  /** Drops expired tokens (keeps memory flat in long runs). */
  sweep(now: number): void {
    for (const [t, info] of this.tokens) if (info.expiresAt + 3_600_000 < now) this.tokens.delete(t)
  }
}
