import { createSyntheticGenerator } from '@felles/identifiers'
import { describe, expect, it } from 'vitest'
import { isSensitiveHeader, redactHeaders, redactText, redactUrl } from './redact.js'

const fnr = createSyntheticGenerator({ seed: 'redact' }).nationalId()

describe('redactText', () => {
  it.each([
    ['IntegrasjonPassord: hunter2', 'IntegrasjonPassord: [REDACTED]'],
    [
      '{"access_token":"abc.def","token_type":"Bearer"}',
      '{"access_token":"[REDACTED]","token_type":"[REDACTED]"}',
    ],
    ['password=hunter2&user=ola', 'password=[REDACTED]&user=ola'],
    ['Authorization: Bearer abc123', 'Authorization: [REDACTED]'],
    ['sent Basic dXNlcjpwYXNz to the server', 'sent Basic [REDACTED] to the server'],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig here', 'jwt [REDACTED] here'],
    ['client_secret=xyz', 'client_secret=[REDACTED]'],
    ['nothing to see', 'nothing to see'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected)
  })

  it('scrubs national identity numbers, written plain or spaced', () => {
    expect(redactText(`person ${fnr} and ${fnr.slice(0, 6)} ${fnr.slice(6)}`)).not.toContain(fnr.slice(6))
    expect(redactText('order 12345678901')).toBe('order 12345678901')
  })
})

describe('redactUrl', () => {
  it('keeps parameter names and drops values, user info and fragment', () => {
    expect(redactUrl('https://user:pw@api.example.no/v1/x?token=abc&top=10&flag#frag')).toBe(
      'https://api.example.no/v1/x?token=***&top=***&flag=***',
    )
  })
  it('scrubs a national identity number in the path', () => {
    expect(redactUrl(`https://api.example.no/persons/${fnr}`)).toBe(
      'https://api.example.no/persons/***********',
    )
  })
})

describe('headers', () => {
  it('recognises secret headers', () => {
    for (const name of [
      'Authorization',
      'Cookie',
      'Set-Cookie',
      'IntegrasjonPassord',
      'X-Api-Key',
      'x-auth-token',
    ]) {
      expect(isSensitiveHeader(name)).toBe(true)
    }
    for (const name of ['IntegrasjonId', 'Accept', 'x-request-id'])
      expect(isSensitiveHeader(name)).toBe(false)
    expect(isSensitiveHeader('x-tenant', new Set(['x-tenant']))).toBe(true)
  })

  it('redacts a header set for logging', () => {
    expect(
      redactHeaders({ Authorization: 'Bearer x', IntegrasjonId: 'abc', 'x-tenant': 't' }, ['X-Tenant']),
    ).toEqual({
      authorization: '[REDACTED]',
      integrasjonid: 'abc',
      'x-tenant': '[REDACTED]',
    })
  })
})
