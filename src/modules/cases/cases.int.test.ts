import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
let oic: Browser
let token: string
beforeAll(async () => {
  t = await startTestApp()
  oic = await signedIn(t, 'oic.north')
  token = await t.token('oic.north')
})
afterAll(() => t.close())

const form = (over: Record<string, string> = {}) => ({
  urn: '91 AB 12345 26',
  offenceCode: '19C',
  'dateReported-day': '14',
  'dateReported-month': '10',
  'dateReported-year': '2026',
  officerInChargeId: t.demo.users['oic.north'],
  ...over,
})

async function nothingWritten(action: () => Promise<unknown>) {
  const before = { cases: await count(t.db, 'cases'), events: await count(t.db, 'case_events') }
  await action()
  expect({ cases: await count(t.db, 'cases'), events: await count(t.db, 'case_events') }).toEqual(before)
}

describe('recording a case in the browser', () => {
  test('the new-case form offers the force’s investigators and defaults to the signed-in officer', async () => {
    const res = await oic.get('/cases/new')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('DC Sam Okafor')
    expect(res.body).not.toContain('DC Jo Whitfield') // another force's officer
    expect(res.body).toMatch(new RegExp(`value="${t.demo.users['oic.north']}" selected`))
  })

  test('a valid case is created, opened, and its timeline says it was created', async () => {
    const res = await oic.post('/cases', form())
    expect(res.statusCode).toBe(303)
    const page = await oic.get(res.headers.location as string)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Case 91AB1234526')
    expect(page.body).toContain('moj-identity-bar')
    expect(page.body).toContain('moj-sub-navigation')
    expect(page.body).toContain('Case created')
    expect(page.body).toContain('14 October 2026')
    expect(page.body).toContain('01632 960001') // the officer's direct phone
    const list = await oic.get('/cases')
    expect(list.body).toContain('91AB1234526')
  })

  test('an empty form shows every field error in the summary and writes nothing', async () => {
    await nothingWritten(async () => {
      const res = await oic.post('/cases', {
        urn: '',
        offenceCode: '',
        'dateReported-day': '',
        'dateReported-month': '',
        'dateReported-year': '',
        officerInChargeId: '',
      })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain('href="#urn"')
      expect(res.body).toContain('href="#offenceCode"')
      expect(res.body).toContain('href="#dateReported-day"')
      expect(res.body).toContain('href="#officerInChargeId"')
    })
  })

  test('a malformed URN is refused with the rule, and what was typed is kept', async () => {
    await nothingWritten(async () => {
      const res = await oic.post('/cases', form({ urn: 'not-a-urn', offenceCode: '19F' }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Enter the URN in the police format')
      expect(res.body).toContain('value="not-a-urn"')
      expect(res.body).toMatch(/value="19F" selected/)
      expect(res.body).toContain('value="14"')
    })
  })

  test('a date that does not exist, or is in the future, is refused', async () => {
    await nothingWritten(async () => {
      const bad = await oic.post('/cases', form({ urn: '91AB1234626', 'dateReported-day': '31', 'dateReported-month': '2' }))
      expect(bad.body).toContain('The date reported must be a real date')
      const future = await oic.post('/cases', form({ urn: '91AB1234626', 'dateReported-year': '2027' }))
      expect(future.body).toContain('The date reported must be today or in the past')
    })
  })
})

describe('the case API', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    urn: '91CD5432126',
    offenceCode: '19D',
    dateReported: '2026-09-30',
    officerInChargeId: t.demo.users['oic.north'],
    ...over,
  })

  test('POST /cases answers 201 with the case and its id; GET finds it', async () => {
    const res = await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: body() })
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ urn: '91CD5432126', offenceCode: '19D', dateReported: '2026-09-30' })
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.timeline.map((e: { type: string }) => e.type)).toEqual(['case.created'])
    const got = await api(t, token, { method: 'GET', url: `/api/v1/cases/${created.id}` })
    expect(got.json().officerInCharge).toMatchObject({ name: 'DC Sam Okafor', email: 'oic.north@casebridge-demo.example' })
    const [audited] = await t.db.query<{ details: { channel: string } }>(
      "SELECT details FROM audit_log WHERE action = 'case.viewed' AND case_id = $1",
      [created.id],
    )
    expect(audited.details.channel).toBe('api')
  })

  test('a body that breaks the rules gets 400 problem JSON naming each field, and nothing is written', async () => {
    await nothingWritten(async () => {
      const res = await api(t, token, {
        method: 'POST',
        url: '/api/v1/cases',
        payload: { urn: '12', offenceCode: '99Z', dateReported: '2026-02-30' },
      })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      const problem = res.json()
      expect(problem).toMatchObject({ status: 400, title: 'Your request has errors' })
      expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual(
        ['dateReported', 'offenceCode', 'officerInChargeId', 'urn'].sort(),
      )
    })
  })

  test('a URN of another force, a duplicate URN and an officer from another force are refused', async () => {
    await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: body({ urn: '91EF0000126' }) })
    await nothingWritten(async () => {
      const otherForce = await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: body({ urn: '92EF0000126' }) })
      expect(otherForce.json().errors).toEqual([{ field: 'urn', message: 'The URN must start with your force code, 91' }])
      const duplicate = await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: body({ urn: '91EF0000126' }) })
      expect(duplicate.json().errors).toEqual([{ field: 'urn', message: 'A case with this URN already exists' }])
      const officer = await api(t, token, {
        method: 'POST',
        url: '/api/v1/cases',
        payload: body({ urn: '91EF0000226', officerInChargeId: t.demo.users['oic.south'] }),
      })
      expect(officer.json().errors[0].field).toBe('officerInChargeId')
    })
  })

  test('without a valid bearer token the API answers 401, and session cookies do not count', async () => {
    expect((await api(t, undefined, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401)
    expect((await api(t, 'x'.repeat(43), { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401)
    const viaCookie = await oic.get('/api/v1/cases')
    expect(viaCookie.statusCode).toBe(401)
  })

  test('lists are paged 25 at a time, newest first', async () => {
    const ctx = await t.ctx('oic.north', 'api')
    for (let i = 0; i < 26; i++) {
      const urn = `91PG${String(10000 + i)}26`
      await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: body({ urn }) })
      t.clock.advance(1000)
    }
    const first = (await api(t, token, { method: 'GET', url: '/api/v1/cases' })).json()
    expect(first.cases).toHaveLength(25)
    expect(first.cases[0].urn).toBe('91PG1002526')
    const total = first.total
    const last = (await api(t, token, { method: 'GET', url: `/api/v1/cases?page=${Math.ceil(total / 25)}` })).json()
    expect(last.cases.length).toBe(total - 25 * (Math.ceil(total / 25) - 1))
    expect(ctx.actor.username).toBe('oic.north')
    const bad = await api(t, token, { method: 'GET', url: '/api/v1/cases?page=zero' })
    expect(bad.statusCode).toBe(400)
    const html = await oic.get('/cases?page=2')
    expect(html.body).toContain('govuk-pagination')
  })
})
