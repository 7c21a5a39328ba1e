import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from './queries.ts'

let t: TestApp
let oic: Browser
let token: string
beforeAll(async () => {
  t = await startTestApp()
  oic = await signedIn(t, 'oic.north')
  token = await t.token('oic.north')
})
afterAll(() => t.close())

const dateBoxes = (name: string, day: string, month: string, year: string) => ({
  [`${name}-day`]: day,
  [`${name}-month`]: month,
  [`${name}-year`]: year,
})

const form = (over: Record<string, string | string[]> = {}) => ({
  urn: '91 AB 12345 26',
  crimeReference: 'ab/12345/26',
  offences: ['19C', '20A'],
  ...dateBoxes('offenceDateFrom', '12', '10', '2026'),
  ...dateBoxes('offenceDateTo', '', '', ''),
  ...dateBoxes('dateReported', '14', '10', '2026'),
  ...dateBoxes('dateRecorded', '14', '10', '2026'),
  officerInChargeId: t.demo.users['oic.north'],
  supervisorId: t.demo.users['supervisor.north'],
  teamId: '',
  ...over,
})

async function nothingWritten(action: () => Promise<unknown>) {
  const tables = ['cases', 'crimes', 'crime_offences', 'case_events']
  const counts = async () => Promise.all(tables.map((table) => count(t.db, table)))
  const before = await counts()
  await action()
  expect(await counts()).toEqual(before)
}

const post = (payload: Record<string, unknown>) => api(t, token, { method: 'POST', url: '/api/v1/cases', payload })
const put = (id: string, payload: Record<string, unknown>, as = token) =>
  api(t, as, { method: 'PUT', url: `/api/v1/cases/${id}/details`, payload })

describe('recording a case in the browser', () => {
  test('the form offers the force’s investigators, supervisors and teams, and defaults to the signed-in officer', async () => {
    const res = await oic.get('/cases/new')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('DS Priya Lang')
    expect(res.body).not.toContain('DC Jo Whitfield') // another force's officer
    expect(res.body).not.toContain('DS Ellis Marsh') // another force's supervisor
    expect(res.body).toMatch(new RegExp(`value="${t.demo.users['oic.north']}" selected`))
  })

  test('a valid case is created with all its offences, its team, the rape flag and a timeline', async () => {
    const res = await oic.post('/cases', form())
    expect(res.statusCode).toBe(303)
    const page = await oic.get(res.headers.location as string)
    expect(page.statusCode).toBe(200)
    for (const text of [
      'Case 91AB1234526',
      '19C – Rape of a female aged 16 and over',
      '20A – Sexual assault on a female aged 13 and over',
      'Rape flag',
      'RASSO investigation team',
      'DS Priya Lang',
      '01632 960001', // the officer's direct phone
      'Case created',
      'Reported',
    ]) {
      expect(page.body).toContain(text)
    }
    expect(page.body).toContain('moj-identity-bar')
    expect((await oic.get('/cases')).body).toContain('91AB1234526')
  })

  test('an empty form shows every field error in the summary and writes nothing', async () => {
    await nothingWritten(async () => {
      const res = await oic.post('/cases', {
        urn: '',
        crimeReference: '',
        ...dateBoxes('offenceDateFrom', '', '', ''),
        ...dateBoxes('dateReported', '', '', ''),
        ...dateBoxes('dateRecorded', '', '', ''),
        officerInChargeId: '',
        supervisorId: '',
      })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      for (const anchor of [
        'urn',
        'crimeReference',
        'offences',
        'offenceDateFrom-day',
        'dateReported-day',
        'dateRecorded-day',
        'officerInChargeId',
        'supervisorId',
      ]) {
        expect(res.body, anchor).toContain(`href="#${anchor}"`)
      }
    })
  })

  test('a malformed URN is refused with the rule, and what was typed is kept', async () => {
    await nothingWritten(async () => {
      const res = await oic.post('/cases', form({ urn: 'not-a-urn', offences: ['19F'] }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Enter the URN in the police format')
      expect(res.body).toContain('value="not-a-urn"')
      expect(res.body).toMatch(/value="19F" checked/)
      expect(res.body).toContain('value="14"')
    })
  })

  test('dates that do not exist, are in the future, or are out of order are refused, naming the rule', async () => {
    await nothingWritten(async () => {
      const cases: [Record<string, string>, string][] = [
        [dateBoxes('dateReported', '31', '2', '2026'), 'The date reported must be a real date'],
        [
          { ...dateBoxes('dateReported', '14', '10', '2027'), ...dateBoxes('dateRecorded', '14', '10', '2027') },
          'The date reported must be today or in the past',
        ],
        [
          dateBoxes('offenceDateFrom', '15', '10', '2026'),
          'The date of the offence must be on or before the date it was reported',
        ],
        [dateBoxes('offenceDateTo', '1', '10', '2026'), 'The end of the offence period must be on or after its start'],
        [dateBoxes('dateRecorded', '13', '10', '2026'), 'The crime cannot be recorded before it was reported'],
      ]
      for (const [over, message] of cases) {
        const res = await oic.post('/cases', form({ urn: '91AB1234626', ...over }))
        expect(res.statusCode, message).toBe(400)
        expect(res.body).toContain(message)
      }
    })
  })
})

describe('the case API', () => {
  test('POST /cases answers 201 with the case and its id; GET finds it', async () => {
    const res = await post(t.caseInput('oic.north', { urn: '91CD5432126', offences: ['20A', '19D'] }))
    expect(res.statusCode).toBe(201)
    const created = res.json()
    expect(created).toMatchObject({ urn: '91CD5432126', offenceCode: '19D', rapeFlag: true, dateReported: '2026-10-01' })
    expect(created.offences.map((o: { code: string }) => o.code)).toEqual(['19D', '20A']) // principal first
    expect(created.stage).toEqual({ code: 'reported', label: 'Reported' })
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.timeline.map((e: { type: string }) => e.type)).toEqual(['case.created'])
    const got = await api(t, token, { method: 'GET', url: `/api/v1/cases/${created.id}` })
    expect(got.json().officerInCharge).toMatchObject({ name: 'DC Sam Okafor', email: 'oic.north@casebridge-demo.example' })
    expect(got.json().supervisor).toMatchObject({ name: 'DS Priya Lang' })
    const [audited] = await t.db.query<{ details: { channel: string } }>(
      "SELECT details FROM audit_log WHERE action = 'case.viewed' AND case_id = $1",
      [created.id],
    )
    expect(audited.details.channel).toBe('api')
  })

  test('a case of other serious sexual offences only has no rape flag', async () => {
    const res = await post(t.caseInput('oic.north', { offences: ['20A'] }))
    expect(res.json().rapeFlag).toBe(false)
  })

  test('a body that breaks the rules gets 400 problem JSON naming each field, and nothing is written', async () => {
    await nothingWritten(async () => {
      const res = await post({ urn: '12', offences: ['99Z'], dateReported: '2026-02-30' })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      const problem = res.json()
      expect(problem).toMatchObject({ status: 400, title: 'Your request has errors' })
      expect(new Set(problem.errors.map((e: { field: string }) => e.field))).toEqual(
        new Set([
          'urn',
          'crimeReference',
          'offences.0',
          'offenceDateFrom',
          'dateReported',
          'dateRecorded',
          'officerInChargeId',
          'supervisorId',
        ]),
      )
    })
  })

  test('a URN of another force, a duplicate URN, and staff of another force are refused', async () => {
    await post(t.caseInput('oic.north', { urn: '91EF0000126' }))
    await nothingWritten(async () => {
      const otherForce = await post(t.caseInput('oic.north', { urn: '92EF0000126' }))
      expect(otherForce.json().errors).toEqual([{ field: 'urn', message: 'The URN must start with your force code, 91' }])
      const duplicate = await post(t.caseInput('oic.north', { urn: '91EF0000126' }))
      expect(duplicate.json().errors).toEqual([{ field: 'urn', message: 'A case with this URN already exists' }])
      const staff = await post(
        t.caseInput('oic.north', {
          officerInChargeId: t.demo.users['oic.south'],
          supervisorId: t.demo.users['supervisor.south'],
        }),
      )
      expect(
        staff
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['officerInChargeId', 'supervisorId'])
    })
  })

  test('without a valid bearer token the API answers 401, and session cookies do not count', async () => {
    expect((await api(t, undefined, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401)
    expect((await api(t, 'x'.repeat(43), { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401)
    expect((await oic.get('/api/v1/cases')).statusCode).toBe(401)
  })

  test('lists are paged 25 at a time, newest first', async () => {
    for (let i = 0; i < 26; i++) {
      await post(t.caseInput('oic.north', { urn: `91PG${String(10000 + i)}26` }))
      t.clock.advance(1000)
    }
    const first = (await api(t, token, { method: 'GET', url: '/api/v1/cases' })).json()
    expect(first.cases).toHaveLength(25)
    expect(first.cases[0].urn).toBe('91PG1002526')
    const pages = Math.ceil(first.total / 25)
    const last = (await api(t, token, { method: 'GET', url: `/api/v1/cases?page=${pages}` })).json()
    expect(last.cases.length).toBe(first.total - 25 * (pages - 1))
    expect((await api(t, token, { method: 'GET', url: '/api/v1/cases?page=zero' })).statusCode).toBe(400)
    expect((await oic.get('/cases?page=2')).body).toContain('govuk-pagination')
  })
})

describe('changing case details', () => {
  test('reclassifying away from rape keeps the rape flag, and the timeline records the change', async () => {
    const { id } = (await post(t.caseInput('oic.north', { offences: ['19C'] }))).json()
    const res = await put(id, { ...t.caseInput('oic.north', { offences: ['20A'] }), urn: undefined })
    expect(res.statusCode).toBe(200)
    const c = res.json()
    expect(c.offences.map((o: { code: string }) => o.code)).toEqual(['20A'])
    expect(c.rapeFlag).toBe(true)
    expect(c.timeline.map((e: { type: string }) => e.type)).toEqual(['case.details_updated', 'case.reclassified', 'case.created'])
    const [event] = await t.db.query<{ data: unknown }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'case.reclassified'",
      [id],
    )
    expect(event.data).toEqual({ from: ['19C'], to: ['20A'] })
    await expect(t.db.query('UPDATE cases SET rape_flag = false WHERE id = $1', [id])).rejects.toThrow(/rape flag stays/)
  })

  test('the change form is filled with the case as it is, and bad changes are refused with nothing written', async () => {
    const { id } = (await post(t.caseInput('oic.north', { offenceDateTo: '2026-09-30' }))).json()
    const page = await oic.get(`/cases/${id}/details`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toMatch(/value="19C" checked/)
    expect(page.body).toMatch(/name="offenceDateTo-day" type="text" value="30"|id="offenceDateTo-day"[^>]*value="30"/)
    await nothingWritten(async () => {
      const res = await oic.post(`/cases/${id}/details`, form({ offences: [], ...dateBoxes('dateRecorded', '1', '1', '2026') }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Select at least one offence')
    })
    const ok = await oic.post(`/cases/${id}/details`, form({ offences: ['19F'] }))
    expect(ok.headers.location).toBe(`/cases/${id}`)
    expect((await oic.get(`/cases/${id}`)).body).toContain('19F – Rape of a male aged 16 and over')
  })

  test('the CPS can see a referred case but not change what the police recorded; another force cannot see it', async () => {
    const { id } = (await post(t.caseInput('oic.north'))).json()
    await markReferred(t.db, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    const prosecutor = await t.token('prosecutor')
    expect((await put(id, t.caseInput('oic.north'), prosecutor)).statusCode).toBe(403)
    expect((await put(id, t.caseInput('oic.north'), await t.token('oic.south'))).statusCode).toBe(404)
    const south = await signedIn(t, 'oic.south')
    expect((await south.get(`/cases/${id}/details`)).statusCode).toBe(404)
  })
})

describe('the stage of a case', () => {
  test('is derived from the timeline: a referral puts the case with the CPS', async () => {
    const { id } = (await post(t.caseInput('oic.north'))).json()
    await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
    const c = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}` })).json()
    expect(c.stage).toEqual({ code: 'with_cps', label: 'With CPS for decision' })
    expect((await oic.get('/cases')).body).toContain('With CPS for decision')
  })
})

describe('every clock visible', () => {
  test('the overview and the API show what is running on the case, who owns it and how it stands', async () => {
    const id = (await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: t.caseInput('oic.north') })).json().id
    const plan = {
      preferredChannel: 'phone',
      updateEveryDays: 14,
      safeTimes: 'Any time',
      messagesMayBeLeft: true,
      throughIsva: false,
      nfaPreference: 'phone',
    }
    expect(
      (await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/communication/plan`, payload: plan })).statusCode,
    ).toBe(200)
    const detail = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}` })).json()
    expect(detail.clocks).toEqual([
      expect.objectContaining({ kind: 'victim_update', owner: 'DC Sam Okafor', urgency: 'not_due', wording: 'due in 14 days' }),
    ])
    const page = await oic.get(`/cases/${id}`)
    expect(page.body).toContain('Agreed update to the victim')
    expect(page.body).toContain('due in 14 days')

    t.clock.advance(15 * 86_400_000)
    try {
      const late = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}` })).json()
      expect(late.clocks[0]).toMatchObject({ urgency: 'overdue', urgencyLabel: 'Overdue', wording: '1 day overdue' })
    } finally {
      t.clock.set('2026-11-02T10:00:00Z')
    }
  })
})
