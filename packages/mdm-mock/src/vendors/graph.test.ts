import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getJson, graphToken, haveSpecs, START, send, specsDir, specTitle } from '../../test/helpers.js'
import { GRAPH_ACTIONS, MANAGED_DEVICE_PROPERTIES, type MdmMock, startMdmMock } from '../index.js'

type Page = { value: Record<string, unknown>[]; '@odata.nextLink'?: string; '@odata.count'?: number }

describe('Graph (Intune) emulator', () => {
  let mock: MdmMock
  let auth: Record<string, string>
  beforeEach(async () => {
    mock = await startMdmMock({
      seed: 'graph',
      devices: 3000,
      clock: { mode: 'manual', start: START },
      graph: { requestsPer20s: 400, writesPer20s: 50, omitRetryAfterEvery: 2 },
    })
    auth = { Authorization: `Bearer ${await graphToken(mock)}` }
  })
  afterEach(() => mock.close())

  const intuneIds = (): string[] => [...mock.world.devices({ vendor: 'graph' })].map((d) => d.ids.graph!)
  const list = (query = ''): string => `${mock.urls.graph}/deviceManagement/managedDevices${query}`

  async function all(url: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = []
    let next: string | undefined = url
    let pages = 0
    while (next) {
      const r: { status: number; body: Page } = await getJson<Page>(next, auth)
      expect(r.status).toBe(200)
      ids.push(...r.body.value.map((d) => String(d.id)))
      next = r.body['@odata.nextLink']
      pages++
      if (pages > 100) throw new Error('runaway paging')
    }
    return { ids, pages }
  }

  it('issues client-credentials tokens and refuses wrong secrets and scopes', async () => {
    const c = mock.credentials.graph
    const bad = await send('POST', mock.urls.tokenEndpoints.graph, {}, undefined)
    expect(bad.status).toBe(400)
    const res = await fetch(mock.urls.tokenEndpoints.graph, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: 'wrong',
        scope: c.scope,
      }),
    })
    expect(res.status).toBe(401)
    const body = (await res.json()) as { error: string; error_codes: number[] }
    expect(body.error).toBe('invalid_client')
    expect(body.error_codes).toEqual([7000215])
    const scope = await fetch(mock.urls.tokenEndpoints.graph, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: c.clientId,
        client_secret: c.clientSecret,
        scope: 'User.Read',
      }),
    })
    expect(scope.status).toBe(400)
    const none = await getJson(list(), {})
    expect(none.status).toBe(401)
  })

  it('pages with @odata.nextLink until every Intune device was seen once', async () => {
    const { ids, pages } = await all(list('?$top=100&$select=id,serialNumber'))
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(intuneIds().sort())
    expect(pages).toBe(Math.ceil(intuneIds().length / 100))
    const counted = await getJson<Page>(list('?$top=10&$count=true'), auth)
    expect(counted.body['@odata.count']).toBe(intuneIds().length)
  })

  it('caps $top at 1000 and uses 1000 by default', async () => {
    const big = await startMdmMock({
      seed: 'graph-big',
      devices: 6000,
      mix: {
        intuneWindows: 1,
        jamfSchoolIpad: 0,
        jamfProIpad: 0,
        jamfProMac: 0,
        intuneIpad: 0,
        chromebook: 0,
      },
      clock: { mode: 'manual', start: START },
    })
    try {
      const h = { Authorization: `Bearer ${await graphToken(big)}` }
      const r = await getJson<Page>(
        `${big.urls.graph}/deviceManagement/managedDevices?$top=5000&$select=id`,
        h,
      )
      expect(r.body.value).toHaveLength(1000)
      expect(r.body['@odata.nextLink']).toContain('$skiptoken=')
      const d = await getJson<Page>(`${big.urls.graph}/deviceManagement/managedDevices?$select=id`, h)
      expect(d.body.value).toHaveLength(1000)
    } finally {
      await big.close()
    }
  })

  it('returns only $select-ed properties and rejects unknown ones', async () => {
    const r = await getJson<Page>(list('?$top=3&$select=id,serialNumber,deviceCategoryDisplayName'), auth)
    expect(Object.keys(r.body.value[0]!).sort()).toEqual(['deviceCategoryDisplayName', 'id', 'serialNumber'])
    const bad = await getJson<{ error: { code: string; message: string } }>(list('?$select=nope'), auth)
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toContain("'nope'")
  })

  it('filters by device category (the school boundary) exactly like the ground truth', async () => {
    const school = mock.world.schools[3]!
    const expected = [...mock.world.devices({ vendor: 'graph', schoolId: school.id })]
      .map((d) => d.ids.graph!)
      .sort()
    const { ids } = await all(
      list(`?$filter=deviceCategoryDisplayName eq '${school.name.replace(/'/g, "''")}'&$top=50`),
    )
    expect(ids.sort()).toEqual(expected)
    expect(expected.length).toBeGreaterThan(0)
  })

  it('can silently ignore a filter (whole or per property), leak devices, and treat ne as eq', async () => {
    const school = mock.world.schools[0]!
    const q = `?$filter=deviceCategoryDisplayName eq '${school.name}'&$select=id,deviceCategoryDisplayName`
    mock.setFault('graph', { ignoreFilter: true })
    expect((await all(list(q))).ids).toHaveLength(intuneIds().length)
    mock.setFault('graph', { ignoreFilter: ['deviceCategoryDisplayName'] })
    expect((await all(list(q))).ids).toHaveLength(intuneIds().length)
    mock.setFault('graph', null)
    mock.setFault('graph', { filterLeak: 0.2 })
    const leaked = await all(list(q))
    const foreign = leaked.ids.filter((id) => mock.world.schoolOf(id)?.id !== school.id)
    expect(foreign.length).toBeGreaterThan(0)
    mock.clearFaults()
    mock.setFault('graph', { neAsEq: true })
    const r = await getJson<Page>(
      list("?$filter=complianceState ne 'compliant'&$select=complianceState&$top=50"),
      auth,
    )
    expect(r.body.value.every((d) => d.complianceState === 'compliant')).toBe(true)
    mock.clearFaults()
    const honest = await getJson<Page>(
      list("?$filter=complianceState ne 'compliant'&$select=complianceState&$top=50"),
      auth,
    )
    expect(honest.body.value.every((d) => d.complianceState !== 'compliant')).toBe(true)
  })

  it('answers 400 for filters it cannot parse', async () => {
    const r = await getJson(list("?$filter=roleScopeTagIds/any(t:t eq '1')"), auth)
    expect(r.status).toBe(400)
    const r2 = await getJson(list("?$filter=nope eq 'x'"), auth)
    expect(r2.status).toBe(400)
  })

  it('repeats the next-page link when told to', async () => {
    mock.setFault('graph', { repeatNextPage: true })
    const p1 = await getJson<Page>(list('?$top=10&$select=id'), auth)
    const link2 = p1.body['@odata.nextLink']!
    const p2 = await getJson<Page>(link2, auth)
    expect(p2.body['@odata.nextLink']).toBe(link2)
  })

  it('throttles at the per-app limits with Retry-After, sometimes without', async () => {
    const small = await startMdmMock({
      seed: 'graph',
      devices: 200,
      clock: { mode: 'manual', start: START },
      graph: { requestsPer20s: 5, writesPer20s: 2, omitRetryAfterEvery: 2 },
    })
    try {
      const h = { Authorization: `Bearer ${await graphToken(small)}` }
      const url = `${small.urls.graph}/deviceManagement/managedDevices?$top=1&$select=id`
      for (let i = 0; i < 5; i++) expect((await getJson(url, h)).status).toBe(200)
      const t1 = await getJson<{ error: { code: string } }>(url, h)
      expect(t1.status).toBe(429)
      expect(t1.body.error.code).toBe('TooManyRequests')
      expect(Number(t1.headers.get('retry-after'))).toBeGreaterThan(0)
      const t2 = await getJson(url, h)
      expect(t2.status).toBe(429)
      expect(t2.headers.get('retry-after')).toBeNull()
      small.clock.advance(20_000)
      expect((await getJson(url, h)).status).toBe(200)
      // Writes have their own, lower limit.
      const id = [...small.world.devices({ vendor: 'graph' })][0]!.ids.graph!
      const action = `${small.urls.graph}/deviceManagement/managedDevices/${id}/syncDevice`
      expect((await send('POST', action, h)).status).toBe(204)
      expect((await send('POST', action, h)).status).toBe(204)
      expect((await send('POST', action, h)).status).toBe(429)
      expect(small.stats().graph.throttled).toBeGreaterThanOrEqual(3)
    } finally {
      await small.close()
    }
  })

  it('forces 429s and 503s with fault switches', async () => {
    mock.setFault('graph', { throttle: 2, retryAfter: 'http-date', retryAfterSeconds: 7 })
    const a = await getJson(list('?$top=1'), auth)
    expect(a.status).toBe(429)
    expect(Date.parse(a.headers.get('retry-after')!)).toBe(
      mock.clock.now() - (mock.clock.now() % 1000) + 7000,
    )
    mock.setFault('graph', { retryAfter: 'omit' })
    const b = await getJson(list('?$top=1'), auth)
    expect(b.status).toBe(429)
    expect(b.headers.get('retry-after')).toBeNull()
    expect((await getJson(list('?$top=1'), auth)).status).toBe(200)
    mock.setFault('graph', { unavailable: 1 })
    const c = await getJson<{ error: { code: string } }>(list('?$top=1'), auth)
    expect(c.status).toBe(503)
    expect(c.body.error.code).toBe('ServiceUnavailable')
    expect((await getJson(list('?$top=1'), auth)).status).toBe(200)
  })

  it('expires tokens after an hour, or at once with the expireTokens switch', async () => {
    mock.clock.advance(3598_000)
    expect((await getJson(list('?$top=1'), auth)).status).toBe(200)
    mock.clock.advance(2_000)
    const r = await getJson<{ error: { code: string } }>(list('?$top=1'), auth)
    expect(r.status).toBe(401)
    expect(r.body.error.code).toBe('InvalidAuthenticationToken')
    const fresh = { Authorization: `Bearer ${await graphToken(mock)}` }
    mock.setFault('graph', { expireTokens: true })
    expect((await getJson(list('?$top=1'), fresh)).status).toBe(401)
    const again = { Authorization: `Bearer ${await graphToken(mock)}` }
    expect((await getJson(list('?$top=1'), again)).status).toBe(200)
  })

  it('queues actions until the device checks in; deviceActionResults shows the status', async () => {
    const device = [...mock.world.devices({ vendor: 'graph' })].find(
      (d) => d.platform === 'Windows' && d.online,
    )!
    const url = `${mock.urls.graph}/deviceManagement/managedDevices/${device.ids.graph}`
    expect((await send('POST', `${url}/remoteLock`, auth)).status).toBe(204)
    const pending = await getJson<Record<string, unknown>>(`${url}?$select=deviceActionResults`, auth)
    expect(pending.body.deviceActionResults).toEqual([
      expect.objectContaining({ actionName: 'remoteLock', actionState: 'pending' }),
    ])
    mock.clock.advance(15 * 60_000)
    const done = await getJson<Record<string, unknown>>(`${url}?$select=deviceActionResults`, auth)
    expect(done.body.deviceActionResults).toEqual([
      expect.objectContaining({ actionName: 'remoteLock', actionState: 'done' }),
    ])
    expect((await send('POST', `${url}/shutDown`, auth)).status).toBe(400)
    expect((await send('POST', `${url}/microsoft.graph.syncDevice`, auth)).status).toBe(204)
    const ro = { Authorization: `Bearer ${await graphToken(mock, true)}` }
    expect((await send('POST', `${url}/wipe`, ro, { keepUserData: false })).status).toBe(403)
  })

  it('wipe shows wipePending, then the record disappears after check-in', async () => {
    const device = [...mock.world.devices({ vendor: 'graph' })].find((d) => d.platform === 'Windows')!
    const url = `${mock.urls.graph}/deviceManagement/managedDevices/${device.ids.graph}`
    expect(
      (await send('POST', `${url}/wipe`, auth, { keepEnrollmentData: false, keepUserData: false })).status,
    ).toBe(204)
    expect(
      (await getJson<Record<string, unknown>>(`${url}?$select=managementState`, auth)).body.managementState,
    ).toBe('wipePending')
    const done = mock.checkIn(device.ids.graph!)
    expect(done.map((c) => c.vendorType)).toEqual(['wipe'])
    const gone = await getJson<{ error: { code: string; message: string } }>(url, auth)
    expect(gone.status).toBe(404)
    expect(gone.body.error.code).toBe('ResourceNotFound')
    expect(JSON.parse(gone.body.error.message)._version).toBe(3)
    expect(mock.world.device(device.index)!.state).toBe('removed')
  })

  it('$batch: at most 20 requests, one status per item, throttled items carry their own Retry-After', async () => {
    const ids = intuneIds()
    const requests = (n: number, action = 'syncDevice') =>
      Array.from({ length: n }, (_, i) => ({
        id: String(i + 1),
        method: 'POST',
        url: `/deviceManagement/managedDevices/${ids[i]}/${action}`,
      }))
    const tooMany = await send<{ error: { code: string } }>('POST', `${mock.urls.graph}/$batch`, auth, {
      requests: requests(21),
    })
    expect(tooMany.status).toBe(400)
    const mixed = requests(19)
    mixed.push({
      id: '20',
      method: 'POST',
      url: '/deviceManagement/managedDevices/00000000-0000-4000-8000-000000000000/syncDevice',
    })
    const ok = await send<{ responses: { id: string; status: number; headers: Record<string, string> }[] }>(
      'POST',
      `${mock.urls.graph}/$batch`,
      auth,
      { requests: mixed },
    )
    expect(ok.status).toBe(200)
    expect(ok.body.responses).toHaveLength(20)
    expect(ok.body.responses.filter((r) => r.status === 204)).toHaveLength(19)
    expect(ok.body.responses.find((r) => r.id === '20')!.status).toBe(404)
    // 50 writes per 20 s: 20 used above; the third batch hits the limit.
    await send('POST', `${mock.urls.graph}/$batch`, auth, { requests: requests(20) })
    const third = await send<{
      responses: { id: string; status: number; headers: Record<string, string> }[]
    }>('POST', `${mock.urls.graph}/$batch`, auth, { requests: requests(20) })
    const throttled = third.body.responses.filter((r) => r.status === 429)
    expect(throttled.length).toBeGreaterThan(0)
    expect(throttled.some((r) => Number(r.headers['Retry-After']) > 0)).toBe(true)
    expect(mock.stats().graph.batchRequests).toBe(3)
  })

  it('moves a device between schools through its category; beta has scope tags and enableLostMode', async () => {
    const device = [...mock.world.devices({ vendor: 'graph' })].find(
      (d) => d.school && d.platform === 'iPadOS',
    )!
    const target = mock.world.schools.find((s) => s.id !== device.schoolId)!
    const url = `${mock.urls.graph}/deviceManagement/managedDevices/${device.ids.graph}`
    const ref = await send('PUT', `${url}/deviceCategory/$ref`, auth, {
      '@odata.id': `https://graph.microsoft.com/v1.0/deviceManagement/deviceCategories/${target.intune.categoryId}`,
    })
    expect(ref.status).toBe(204)
    expect(mock.world.schoolOf(device.ids.graph!)?.id).toBe(target.id)
    const beta = await getJson<Record<string, unknown>>(
      `${mock.urls.graphBeta}/deviceManagement/managedDevices/${device.ids.graph}`,
      auth,
    )
    expect(beta.body.roleScopeTagIds).toEqual(['0', target.intune.scopeTagId])
    const v1 = await getJson<Record<string, unknown>>(url, auth)
    expect(v1.body.roleScopeTagIds).toBeUndefined()
    expect((await send('POST', `${url}/enableLostMode`, auth, { message: 'Ring skolen' })).status).toBe(400)
    const lost = await send(
      'POST',
      `${mock.urls.graphBeta}/deviceManagement/managedDevices/${device.ids.graph}/enableLostMode`,
      auth,
      {
        message: 'Ring skolen',
        phoneNumber: '+47 22 00 00 00',
      },
    )
    expect(lost.status).toBe(204)
    const cats = await getJson<{ value: { id: string }[] }>(
      `${mock.urls.graph}/deviceManagement/deviceCategories`,
      auth,
    )
    expect(cats.body.value).toHaveLength(mock.world.schools.length)
  })

  describe.skipIf(!haveSpecs)(specTitle('shapes against ../shared/specs/mdm/graph'), () => {
    it('managedDevice properties are the v1.0 metadata properties, in order', async () => {
      const xml = readFileSync(join(specsDir, 'graph/cleanMetadata.xml'), 'utf8')
      const start = xml.indexOf('<EntityType Name="managedDevice"')
      const block = xml.slice(start, xml.indexOf('</EntityType>', start))
      const props = [...block.matchAll(/<Property Name="([^"]+)"/g)].map((m) => m[1])
      expect(MANAGED_DEVICE_PROPERTIES).toEqual(['id', ...props])
      const r = await getJson<Page>(list('?$top=5'), auth)
      for (const d of r.body.value) expect(Object.keys(d)).toEqual(['id', ...props])
      const enumMembers = (name: string): string[] => {
        const s = xml.indexOf(`<EnumType Name="${name}"`)
        return [...xml.slice(s, xml.indexOf('</EnumType>', s)).matchAll(/Member Name="([^"]+)"/g)].map(
          (m) => m[1]!,
        )
      }
      for (const d of r.body.value) {
        expect(enumMembers('complianceState')).toContain(d.complianceState)
        expect(enumMembers('managementState')).toContain(d.managementState)
        expect(enumMembers('deviceEnrollmentType')).toContain(d.deviceEnrollmentType)
        expect(enumMembers('managedDeviceOwnerType')).toContain(d.managedDeviceOwnerType)
      }
      const dar = xml.indexOf('<ComplexType Name="deviceActionResult"')
      const darProps = [
        ...xml.slice(dar, xml.indexOf('</ComplexType>', dar)).matchAll(/<Property Name="([^"]+)"/g),
      ].map((m) => m[1])
      const id = intuneIds()[0]!
      await send('POST', `${mock.urls.graph}/deviceManagement/managedDevices/${id}/syncDevice`, auth)
      const d = await getJson<{ deviceActionResults: Record<string, unknown>[] }>(
        `${mock.urls.graph}/deviceManagement/managedDevices/${id}`,
        auth,
      )
      expect(Object.keys(d.body.deviceActionResults[0]!).sort()).toEqual([...darProps].sort())
      expect(enumMembers('actionState')).toContain(d.body.deviceActionResults[0]!.actionState)
    })

    it('every v1.0 action the emulator accepts is in DeviceManagement.Actions.yml', () => {
      const yml = readFileSync(join(specsDir, 'graph/DeviceManagement.Actions.yml'), 'utf8')
      const beta = new Set(['enableLostMode', 'playLostModeSound'])
      for (const a of GRAPH_ACTIONS.filter((x) => !beta.has(x))) {
        expect(yml).toContain(`'/deviceManagement/managedDevices/{managedDevice-id}/microsoft.graph.${a}'`)
      }
    })
  })
})
