import { decodeJwt } from 'jose'
import * as oidc from 'openid-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeRp, rpClient, startFakeRp, startFlow } from '../test/helpers.js'
import { MockBrowser } from './browser.js'
import { startIdportenMock } from './mock.js'
import type { MockPerson } from './persons.js'
import type { IdportenMock } from './types.js'

let mock: IdportenMock
let rp: FakeRp

beforeAll(async () => {
  ;[mock, rp] = await Promise.all([startIdportenMock({ seed: 'ansatt' }), startFakeRp()])
})
afterAll(async () => {
  await Promise.all([mock.close(), rp.close()])
})

const details = JSON.stringify([
  { type: 'ansattporten:altinn:service', resource: 'urn:altinn:resource:5613:1' },
])

describe('Ansattporten', () => {
  it('asks for an organisation and returns it as a reportee in authorization_details', async () => {
    const client = await rpClient(mock, rp, { issuer: 'ansattporten' })
    expect(client.issuer).toBe(`${mock.url}/ansattporten`)
    const person = mock.persons[0] as MockPerson
    const chosen = person.reportees[1]
    expect(chosen).toBeDefined()
    const flow = await startFlow(mock, client, {
      params: { authorization_details: details, acr_values: 'idporten-loa-substantial' },
      choice: { person, organisation: chosen?.organisationNumber as string },
    })
    const tokens = await flow.exchange()
    const claims = tokens.claims()
    expect(claims?.iss).toBe(`${mock.url}/ansattporten`)
    expect(claims?.pid).toBe(person?.nationalId)
    expect(claims?.authorization_details).toEqual([
      {
        type: 'ansattporten:altinn:service',
        resource: 'urn:altinn:resource:5613:1',
        resource_name: expect.any(String),
        reportees: [
          {
            Rights: [...(chosen?.rights ?? [])],
            Authority: 'iso6523-actorid-upis',
            ID: `0192:${chosen?.organisationNumber}`,
            Name: chosen?.name,
          },
        ],
      },
    ])
    expect(tokens.authorization_details).toEqual(claims?.authorization_details)
    // The access token is a JWT for the Altinn resource, carrying the same details.
    const at = decodeJwt(tokens.access_token)
    expect(at.aud).toBe('urn:altinn:resource:5613:1')
    expect(at.authorization_details).toEqual(claims?.authorization_details)
  })

  it('has no single sign-on: every authorization logs in again', async () => {
    const client = await rpClient(mock, rp, { issuer: 'ansattporten' })
    const browser = new MockBrowser()
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(1)
    expect((await startFlow(mock, client, { browser })).login.loginPages).toBe(1)
  })

  it('refuses authorization_details of another type, and ID-porten clients at Ansattporten', async () => {
    const client = await rpClient(mock, rp, { issuer: 'ansattporten' })
    const other = JSON.stringify([{ type: 'payment_initiation', resource: 'x' }])
    const config = (await startFlow(mock, client)).config
    await expect(
      oidc.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: client.redirectUris[0] as string,
        scope: 'openid',
        code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        authorization_details: other,
      }),
    ).rejects.toMatchObject({ error: 'invalid_authorization_details' })
    const idportenClient = await rpClient(mock, rp)
    const res = await fetch(
      `${mock.url}/ansattporten/authorize?client_id=${idportenClient.clientId}&response_type=code`,
    )
    expect(res.status).toBe(400)
  })

  it('keeps Ansattporten tokens apart from ID-porten (separate keys and issuers)', async () => {
    const client = await rpClient(mock, rp, { issuer: 'ansattporten' })
    const tokens = await (await startFlow(mock, client)).exchange()
    expect(decodeJwt(tokens.id_token as string).iss).toBe(`${mock.url}/ansattporten`)
  })
})
