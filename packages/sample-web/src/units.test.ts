import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { IdPortenError } from '@felles/id-porten'
import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy, loginErrorPage } from './app.js'
import { clientUris, fromMockClient, identityFromEnv, mockRegistration } from './auth.js'
import { html, trusted } from './html.js'
import { createI18n } from './i18n.js'
import { createLogger, type LogEntry } from './logger.js'

describe('identityFromEnv', () => {
  it('is undefined without a client id, and reads PEM files, JWK JSON and the environment', () => {
    expect(identityFromEnv('idporten', {})).toBeUndefined()
    const dir = mkdtempSync(join(tmpdir(), 'kit-env-'))
    const file = join(dir, 'key.pem')
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n')
    const fromFile = identityFromEnv('idporten', {
      IDPORTEN_CLIENT_ID: 'c1',
      IDPORTEN_CLIENT_KEY_FILE: file,
      IDPORTEN_CLIENT_KID: 'k1',
    })
    expect(fromFile).toEqual({
      product: 'idporten',
      environment: 'test',
      client: { clientId: 'c1', privateKey: expect.stringContaining('BEGIN PRIVATE KEY'), kid: 'k1' },
    })
    const jwk = identityFromEnv('ansattporten', {
      ANSATTPORTEN_ENV: 'local',
      ANSATTPORTEN_ISSUER: 'http://127.0.0.1:4010/ansattporten',
      ANSATTPORTEN_CLIENT_ID: 'c2',
      ANSATTPORTEN_CLIENT_KEY: '{"kty":"RSA","n":"x","e":"AQAB","d":"y"}',
      ANSATTPORTEN_CLIENT_KID: 'k2',
    })
    expect(jwk?.client.privateKey).toEqual({ kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' })
    expect(jwk?.issuer).toBe('http://127.0.0.1:4010/ansattporten')
    expect(() => identityFromEnv('idporten', { IDPORTEN_CLIENT_ID: 'c', IDPORTEN_CLIENT_KEY: 'k' })).toThrow(
      /CLIENT_KID/,
    )
    expect(() =>
      identityFromEnv('idporten', {
        IDPORTEN_CLIENT_ID: 'c',
        IDPORTEN_CLIENT_KEY: 'k',
        IDPORTEN_CLIENT_KID: 'k',
        IDPORTEN_ENV: 'staging',
      }),
    ).toThrow(TypeError)
  })

  it('gives the URIs to register and converts a mock client', () => {
    expect(clientUris('http://127.0.0.1:4100/x')).toEqual({
      redirectUri: 'http://127.0.0.1:4100/auth/callback',
      postLogoutRedirectUri: 'http://127.0.0.1:4100/auth/logout/callback',
      frontchannelLogoutUri: 'http://127.0.0.1:4100/auth/frontchannel-logout',
    })
    expect(mockRegistration('http://127.0.0.1:4100', 'ansattporten').issuer).toBe('ansattporten')
    expect(() => fromMockClient({ clientId: 'c', keys: [{ kid: 'k' }] })).toThrow(TypeError)
    expect(fromMockClient({ clientId: 'c', keys: [{ kid: 'k', privateJwk: { kty: 'RSA' } }] }).kid).toBe('k')
  })
})

describe('pages and texts', () => {
  it('escapes every value, joins arrays, and keeps trusted markup', () => {
    const evil = '<script>alert("x")</script>'
    expect(html`<p>${evil}</p>`.toString()).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>')
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.toString()).toBe(
      '<ul><li>a</li><li>b</li></ul>',
    )
    expect(html`${undefined}${false}${trusted('<br>')}`.toString()).toBe('<br>')
  })

  it('falls back to bokmål, fills placeholders, offers North Sami only with texts', () => {
    const i18n = createI18n({ nb: { a: 'Hei {name}' }, nn: { a: 'Hei {name}' }, en: { a: 'Hi {name}' } })
    expect(i18n.languages).toEqual(['nb', 'nn', 'en'])
    expect(i18n.translator('en')('a', { name: 'Kari' })).toBe('Hi Kari')
    expect(i18n.translator('en')('kit.logout')).toBe('Log out')
    expect(i18n.pick('se')).toBe('nb')
    const sami = createI18n({ nb: { a: 'Hei' }, nn: { a: 'Hei' }, en: { a: 'Hi' }, se: { a: 'Bures' } })
    expect(sami.languages).toContain('se')
    expect(sami.translator('se')('a')).toBe('Bures')
  })

  it('has a CSP without inline script or style, and a login error page that reflects nothing', async () => {
    const csp = contentSecurityPolicy()
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe')
    const page = loginErrorPage(new IdPortenError('ERR_STATE_MISMATCH', 'state 21879498012 mismatch'))
    expect(page.status).toBe(400)
    const text = await page.text()
    expect(text).toContain('Innloggingen feilet')
    expect(text).not.toContain('21879498012')
    expect(text).not.toContain('ERR_')
  })

  it('scrubs anything shaped like a national identity number from log lines', () => {
    const lines: LogEntry[] = []
    createLogger((e) => lines.push(e)).warn('security.x', { route: '/x/21879498012', n: 3 })
    expect(JSON.stringify(lines)).not.toContain('21879498012')
    expect(lines[0]?.n).toBe(3)
  })
})
