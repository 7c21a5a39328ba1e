import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, auditWrites, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
let police: string
let prosecutor: string
beforeAll(async () => {
  t = await startTestApp()
  police = await t.token('oic.north')
  prosecutor = await t.token('prosecutor')
})
afterAll(() => t.close())

const DAY = 86_400_000
const MINUTE = 60_000
const call = (method: 'GET' | 'POST', url: string, payload?: unknown, as = police) =>
  api(t, as, { method, url, payload: payload as object })
const newCase = async () => (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
const view = async (id: string, as = police) => (await call('GET', `/api/v1/cases/${id}/advice`, undefined, as)).json()

const REQUEST = {
  factualSummary: 'Summary of the facts',
  enquiriesDone: 'Done enquiries',
  enquiriesOngoing: 'Ongoing enquiries',
  enquiriesPlanned: 'Planned enquiries',
  issues: 'Consent is the issue; the suspect says it was consensual',
  questions: 'Is a further statement needed?',
}
const request = (id: string, body: Record<string, unknown> = REQUEST, as = police) =>
  call('POST', `/api/v1/cases/${id}/advice/requests`, body, as)
const triage = (id: string, requestId: string, body: Record<string, unknown>, as = prosecutor) =>
  call('POST', `/api/v1/cases/${id}/advice/requests/${requestId}/triage`, body, as)
const giveAdvice = (id: string, requestId: string, advice = 'Take a further statement', as = prosecutor) =>
  call('POST', `/api/v1/cases/${id}/advice/requests/${requestId}/advice`, { advice }, as)

const accept = () => ({ decision: 'accept', unitId: unit, prosecutorId: t.demo.users.prosecutor })
const reject = (respondBy = '2026-11-20') => ({
  decision: 'reject',
  reasons: [
    { code: 'missing_mg11', detail: 'The first account witness statement' },
    { code: 'digital_evidence', detail: 'Download of the victim’s messages' },
  ],
  respondBy,
})

let unit: string
beforeAll(async () => {
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.cps])
  unit = row.id
})

type ClockRow = {
  kind: string
  state: string
  due_at: Date
  owner_id: string | null
  team_id: string | null
  organisation_id: string
}
const clocks = (caseId: string) =>
  t.db.query<ClockRow>(
    'SELECT kind, state, due_at, owner_id, team_id, organisation_id FROM deadlines WHERE case_id = $1 ORDER BY created_at, id',
    [caseId],
  )
const caseRow = async (id: string) =>
  (
    await t.db.query<{
      cps_area_id: string | null
      reviewing_prosecutor_id: string | null
      cps_unit_id: string | null
      stage: string
    }>('SELECT cps_area_id, reviewing_prosecutor_id, cps_unit_id, stage FROM cases WHERE id = $1', [id])
  )[0]
const writes = async () => [
  await count(t.db, 'advice_requests'),
  await count(t.db, 'advice_not_sought'),
  await count(t.db, 'triage_decisions'),
  await count(t.db, 'deadlines'),
  await count(t.db, 'case_events'),
  await auditWrites(t.db),
]

describe('requesting early advice', () => {
  test('goes to the serving Area, starts the Area’s 21-day clock, and lets its prosecutors see the case', async () => {
    const id = await newCase()
    expect((await call('GET', `/api/v1/cases/${id}/advice`, undefined, prosecutor)).statusCode).toBe(404)
    const res = await request(id)
    expect(res.statusCode).toBe(201)
    expect(await caseRow(id)).toMatchObject({ cps_area_id: t.demo.orgs.cps, stage: 'early_advice' })
    expect(await clocks(id)).toEqual([
      {
        kind: 'advice_response',
        state: 'open',
        // Requested on Monday 2 November 2026: due by the end of Monday 23 November (GMT).
        due_at: new Date('2026-11-23T23:59:59.999Z'),
        owner_id: null,
        team_id: null,
        organisation_id: t.demo.orgs.cps,
      },
    ])
    const v = await view(id, prosecutor)
    expect(v.earlyAdvice).toMatchObject({ considered: true, how: 'requested' })
    expect(v.requests[0]).toMatchObject({
      state: { code: 'awaiting_triage' },
      cpsArea: 'CPS Vale and Mere',
      requestedBy: 'DC Sam Okafor',
      questions: REQUEST.questions,
      clock: { state: 'open', wording: 'due in 21 days' },
      triage: [],
    })
  })

  test('every part is required; one request at a time; a force with no serving Area is told plainly; nothing written', async () => {
    const id = await newCase()
    const before = await writes()
    const empty = await request(id, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors.map((e: { field: string }) => e.field)).toEqual(Object.keys(REQUEST))
    expect(empty.json().errors[4].message).toBe('Enter the issues in the case, including the suspect’s account')
    await t.db.query('UPDATE organisations SET cps_area_id = NULL WHERE id = $1', [t.demo.orgs.north])
    try {
      const noArea = await request(id)
      expect(noArea.statusCode).toBe(409)
      expect(noArea.json().title).toMatch(/no serving CPS Area/)
    } finally {
      await t.db.query('UPDATE organisations SET cps_area_id = $2 WHERE id = $1', [t.demo.orgs.north, t.demo.orgs.cps])
    }
    expect(await writes()).toEqual(before)
    expect((await caseRow(id)).cps_area_id).toBeNull()
    await request(id)
    const after = await writes()
    expect((await request(id)).statusCode).toBe(409)
    expect(await writes()).toEqual(after)
  })

  test('only the police ask; another force cannot see the case', async () => {
    const id = await newCase()
    await request(id)
    expect((await request(id, REQUEST, prosecutor)).statusCode).toBe(403)
    expect((await request(id, REQUEST, await t.token('oic.south'))).statusCode).toBe(404)
    expect((await call('GET', `/api/v1/cases/${id}/advice`, undefined, await t.token('oic.south'))).statusCode).toBe(404)
  })
})

describe('triage and advice', () => {
  test('accepting assigns the prosecutor and unit and hands them the clock; they give the advice on time', async () => {
    const id = await newCase()
    const requestId = (await request(id)).json().id
    const before = await writes()
    expect((await triage(id, requestId, { decision: 'accept' })).json().errors.map((e: { field: string }) => e.field)).toEqual([
      'unitId',
      'prosecutorId',
    ])
    const notInUnit = await triage(id, requestId, { ...accept(), prosecutorId: t.demo.users['oic.north'] })
    expect(notInUnit.statusCode).toBe(400)
    expect(notInUnit.json().errors[0]).toMatchObject({
      field: 'prosecutorId',
      message: 'Select a prosecutor who works in the RASSO unit',
    })
    expect((await triage(id, requestId, accept(), police)).statusCode).toBe(403)
    expect(await writes()).toEqual(before)

    expect((await triage(id, requestId, accept())).statusCode).toBe(201)
    expect((await triage(id, requestId, accept())).statusCode).toBe(409)
    expect(await caseRow(id)).toMatchObject({ reviewing_prosecutor_id: t.demo.users.prosecutor, cps_unit_id: unit })
    expect(await clocks(id)).toMatchObject([
      { kind: 'advice_response', state: 'open', owner_id: t.demo.users.prosecutor, team_id: unit },
    ])
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'advice.triaged'",
      [id],
    )
    expect(event.data).toMatchObject({ decision: 'accepted', requestId, prosecutorId: t.demo.users.prosecutor })

    expect((await giveAdvice(id, requestId, 'x', police)).statusCode).toBe(403)
    expect((await giveAdvice(id, requestId, '  ')).statusCode).toBe(400)
    expect((await giveAdvice(id, requestId)).statusCode).toBe(200)
    expect((await giveAdvice(id, requestId)).statusCode).toBe(409)
    expect(await clocks(id)).toMatchObject([{ kind: 'advice_response', state: 'met' }])
    const v = await view(id)
    expect(v.requests[0]).toMatchObject({
      state: { code: 'answered' },
      advice: 'Take a further statement',
      answeredBy: 'Alex Moreno',
    })
    expect(v.requests[0].triage[0]).toMatchObject({
      decision: 'accepted',
      prosecutor: { name: 'Alex Moreno' },
      unit: { name: 'RASSO unit' },
    })
    expect((await caseRow(id)).stage).toBe('investigation')
  })

  test('advice after the due time closes the clock as missed', async () => {
    const id = await newCase()
    const requestId = (await request(id)).json().id
    await triage(id, requestId, accept())
    t.clock.advance(22 * DAY)
    try {
      expect((await giveAdvice(id, requestId)).statusCode).toBe(200)
    } finally {
      t.clock.advance(-22 * DAY)
    }
    expect(await clocks(id)).toMatchObject([{ kind: 'advice_response', state: 'missed' }])
  })

  test('rejecting needs each reason’s detail and a future date; it stops the CPS clock and starts the police’s, which the next request meets', async () => {
    const id = await newCase()
    const requestId = (await request(id)).json().id
    const before = await writes()
    const noDetail = await triage(id, requestId, { ...reject(), reasons: [{ code: 'no_mg3', detail: '' }] })
    expect(noDetail.json().errors).toEqual([
      {
        field: 'reasons.0.detail',
        message: 'Give the detail for: No MG3 (report to the Crown Prosecutor for a charging decision)',
      },
    ])
    expect((await triage(id, requestId, { decision: 'reject', respondBy: '2026-11-20' })).json().errors[0].field).toBe('reasons')
    const today = await triage(id, requestId, reject('2026-11-02'))
    expect(today.json().errors).toEqual([
      { field: 'respondBy', message: 'The date the police should respond by must be in the future' },
    ])
    expect(await writes()).toEqual(before)

    t.clock.advance(MINUTE)
    expect((await triage(id, requestId, reject())).statusCode).toBe(201)
    expect(await clocks(id)).toMatchObject([
      { kind: 'advice_response', state: 'cancelled' },
      {
        kind: 'triage_response',
        state: 'open',
        due_at: new Date('2026-11-20T23:59:59.999Z'),
        owner_id: t.demo.users['oic.north'],
        organisation_id: t.demo.orgs.north,
      },
    ])
    expect((await caseRow(id)).stage).toBe('investigation')
    const v = await view(id)
    expect(v.earlyAdvice.considered).toBe(false)
    expect(v.requests[0].triage[0]).toMatchObject({
      decision: 'rejected',
      respondBy: '2026-11-20',
      reasons: [{ code: 'missing_mg11', detail: 'The first account witness statement' }, { code: 'digital_evidence' }],
      response: { state: 'open', wording: 'due in 14 working days' },
    })
    t.clock.advance(MINUTE)
    expect((await request(id)).statusCode).toBe(201)
    expect((await clocks(id)).map((k) => [k.kind, k.state])).toEqual([
      ['advice_response', 'cancelled'],
      ['triage_response', 'met'],
      ['advice_response', 'open'],
    ])
  })
})

describe('early advice not sought', () => {
  test('needs coded reasons and details, and cannot be recorded while a request is with the CPS', async () => {
    const id = await newCase()
    const url = `/api/v1/cases/${id}/advice/not-sought`
    const bad = await call('POST', url, { reasons: [], details: '' })
    expect(bad.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'Select why early advice was not sought',
      'Enter the details of why early advice was not sought',
    ])
    expect((await call('POST', url, { reasons: ['made_up'], details: 'x' })).statusCode).toBe(400)
    const ok = await call('POST', url, { reasons: ['suspect_not_identified', 'other'], details: 'No leads' })
    expect(ok.statusCode).toBe(201)
    const v = await view(id)
    expect(v.earlyAdvice).toMatchObject({ considered: true, how: 'not_sought' })
    expect(v.notSought[0].reasons.map((r: { label: string }) => r.label)).toEqual([
      'No suspect has been identified',
      'Another reason',
    ])
    await request(id)
    expect((await call('POST', url, { reasons: ['other'], details: 'x' })).statusCode).toBe(409)
  })

  test('"no suspect identified" stops counting once a suspect is identified, so early advice is considered again', async () => {
    const id = await newCase()
    const url = `/api/v1/cases/${id}/advice/not-sought`
    expect((await call('POST', url, { reasons: ['suspect_not_identified'], details: 'No leads yet' })).statusCode).toBe(201)
    expect((await view(id)).earlyAdvice).toMatchObject({ considered: true, how: 'not_sought' })
    const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' }
    expect((await call('POST', `/api/v1/cases/${id}/suspects`, suspect)).statusCode).toBe(201)
    expect((await view(id)).earlyAdvice).toMatchObject({ considered: false, how: null })
    // A reason that still holds keeps counting.
    expect((await call('POST', url, { reasons: ['ready_for_charging'], details: 'File complete' })).statusCode).toBe(201)
    expect((await view(id)).earlyAdvice).toMatchObject({ considered: true, how: 'not_sought' })
  })
})

test('free text never reaches timeline events or the audit log', async () => {
  const id = await newCase()
  await call('POST', `/api/v1/cases/${id}/advice/not-sought`, { reasons: ['other'], details: 'SECRET-DETAILS' })
  const secret = Object.fromEntries(Object.keys(REQUEST).map((k) => [k, `SECRET-${k}`]))
  const requestId = (await request(id, secret)).json().id
  await triage(id, requestId, { ...reject(), reasons: [{ code: 'other', detail: 'SECRET-REASON' }] })
  const second = (await request(id, secret)).json().id
  await triage(id, second, accept())
  await giveAdvice(id, second, 'SECRET-ADVICE')
  const [events] = await t.db.query<{ text: string }>(
    "SELECT string_agg(type || ' ' || data::text, ' ') AS text FROM case_events WHERE case_id = $1",
    [id],
  )
  const [audits] = await t.db.query<{ text: string }>(
    "SELECT string_agg(concat_ws(' ', action, subject, justification, details::text), ' ') AS text FROM audit_log WHERE case_id = $1",
    [id],
  )
  expect(events.text).toContain('advice.given')
  expect(audits.text).toContain('advice.triaged')
  for (const text of [events.text, audits.text]) expect(text).not.toMatch(/SECRET/)
})

test('the pages: the police request, the CPS triage and give advice, without JavaScript', async () => {
  const id = await newCase()
  const b = await signedIn(t, 'oic.north')
  const section = await b.get(`/cases/${id}/advice`)
  expect(section.statusCode).toBe(200)
  expect(section.body).toContain('Not yet considered')
  const empty = await b.post(`/cases/${id}/advice/request`, { factualSummary: 'Kept' })
  expect(empty.statusCode).toBe(400)
  expect(empty.body).toContain('href="#questions"')
  expect(empty.body).toContain('Kept')
  expect((await b.post(`/cases/${id}/advice/request`, REQUEST)).headers.location).toBe(`/cases/${id}/advice?done=requested`)
  const requestId = (await view(id)).requests[0].id

  const cps = await signedIn(t, 'prosecutor')
  expect((await cps.get(`/cases/${id}/advice`)).body).toContain(`/advice/requests/${requestId}/triage`)
  const page = await cps.get(`/cases/${id}/advice/requests/${requestId}/triage`)
  expect(page.statusCode).toBe(200)
  expect(page.body).toContain('Alex Moreno (RASSO unit)')
  const noDetail = await cps.post(`/cases/${id}/advice/requests/${requestId}/triage`, {
    decision: 'reject',
    reasons: ['no_mg3'],
    'respondBy-day': '1',
    'respondBy-month': '1',
    'respondBy-year': '2020',
  })
  expect(noDetail.statusCode).toBe(400)
  expect(noDetail.body).toContain('href="#detail-no_mg3"')
  const past = await cps.post(`/cases/${id}/advice/requests/${requestId}/triage`, {
    decision: 'reject',
    reasons: ['no_mg3'],
    'detail-no_mg3': 'Kept detail',
    'respondBy-day': '1',
    'respondBy-month': '1',
    'respondBy-year': '2020',
  })
  expect(past.body).toContain('href="#respondBy-day"')
  expect(past.body).toContain('Kept detail')
  const accepted = await cps.post(`/cases/${id}/advice/requests/${requestId}/triage`, {
    decision: 'accept',
    unitId: unit,
    prosecutorId: t.demo.users.prosecutor,
  })
  expect(accepted.statusCode).toBe(303)
  const advisePage = await cps.get(`/cases/${id}/advice/requests/${requestId}/advice`)
  expect(advisePage.body).toContain(REQUEST.questions)
  expect((await cps.post(`/cases/${id}/advice/requests/${requestId}/advice`, { advice: 'Obtain the texts' })).statusCode).toBe(
    303,
  )
  const done = await b.get(`/cases/${id}/advice`)
  expect(done.body).toContain('Obtain the texts')
  expect(done.body).toContain('Advice given on time')
  expect(done.body).toContain('assigned to Alex Moreno, RASSO unit')
})

test('when a force comes to be served by another Area, the next request takes the running CPS clocks there, unassigned', async () => {
  const id = await newCase()
  const first = (await request(id)).json().id
  expect((await triage(id, first, accept())).statusCode).toBe(201)
  const { insertOrganisation } = await import('../admin/queries.ts')
  const other = await insertOrganisation(t.db, { kind: 'cps_area', name: 'CPS Other Area' })
  await t.db.query('UPDATE organisations SET cps_area_id = $2 WHERE id = $1', [t.demo.orgs.north, other])
  try {
    const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' }
    expect((await call('POST', `/api/v1/cases/${id}/suspects`, suspect)).statusCode).toBe(201)
    const referral = await call('POST', `/api/v1/cases/${id}/charging/referrals`, { test: 'full_code', mgForms: ['MG3'] })
    expect(referral.statusCode).toBe(201)
    const running = (await clocks(id)).filter((k) => k.state === 'open')
    expect(running.map((k) => [k.kind, k.organisation_id, k.owner_id]).sort()).toEqual([
      ['advice_response', other, null],
      ['charging_decision', other, null],
    ])
    const [c] = await t.db.query<{ cps_area_id: string; reviewing_prosecutor_id: string | null }>(
      'SELECT cps_area_id, reviewing_prosecutor_id FROM cases WHERE id = $1',
      [id],
    )
    expect(c).toEqual({ cps_area_id: other, reviewing_prosecutor_id: null })
  } finally {
    await t.db.query('UPDATE organisations SET cps_area_id = $2 WHERE id = $1', [t.demo.orgs.north, t.demo.orgs.cps])
  }
})

describe('the date to respond by falls on a working day', () => {
  test('a Saturday moves to the Monday: stored moved, the clock runs to it, and the API says so', async () => {
    const id = await newCase()
    await request(id)
    const requestId = (await view(id)).requests[0].id
    const res = await triage(id, requestId, reject('2026-12-19'))
    expect(res.statusCode).toBe(201)
    expect(res.json().moved).toEqual([
      {
        field: 'respondBy',
        from: '2026-12-19',
        to: '2026-12-21',
        message:
          'Date the police should respond by moved from Saturday 19 December 2026 to Monday 21 December 2026: it fell on a weekend',
      },
    ])
    expect((await view(id)).requests[0].triage[0].respondBy).toBe('2026-12-21')
    const response = (await clocks(id)).find((k) => k.kind === 'triage_response')
    expect(response?.due_at).toEqual(new Date('2026-12-21T23:59:59.999Z'))
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'advice.triaged'",
      [id],
    )
    expect(event.data.respondBy).toBe('2026-12-21')
  })

  test('on the page, a bank holiday moves past the holiday and the section page says so', async () => {
    const id = await newCase()
    await request(id)
    const requestId = (await view(id)).requests[0].id
    const cps = await signedIn(t, 'prosecutor')
    const ok = await cps.post(`/cases/${id}/advice/requests/${requestId}/triage`, {
      decision: 'reject',
      reasons: ['no_mg3'],
      'detail-no_mg3': 'The MG3 is missing',
      'respondBy-day': '25',
      'respondBy-month': '12',
      'respondBy-year': '2026',
    })
    expect(ok.statusCode).toBe(303)
    const shown = await cps.get(ok.headers.location as string)
    expect(shown.body).toContain('The triage decision has been recorded')
    expect(shown.body).toContain('Dates moved to the next working day')
    expect(shown.body).toContain(
      'Date the police should respond by moved from Friday 25 December 2026 to Tuesday 29 December 2026: it fell on a bank holiday (Christmas Day)',
    )
    expect((await view(id)).requests[0].triage[0].respondBy).toBe('2026-12-29')
  })
})

test('advice due on a weekend is due the next working day: the clock runs to it, the API and the page say so', async () => {
  const now = t.clock.now()
  t.clock.set('2026-12-05T10:00:00Z') // a Saturday: 21 days on is Saturday 26 December, then Sunday and a bank holiday
  try {
    const id = await newCase()
    const res = await request(id)
    expect(res.statusCode).toBe(201)
    const message = 'Early advice due date moved from Saturday 26 December 2026 to Tuesday 29 December 2026: it fell on a weekend'
    expect(res.json().moved).toEqual([{ field: 'adviceDue', from: '2026-12-26', to: '2026-12-29', message }])
    expect((await clocks(id)).find((k) => k.kind === 'advice_response')?.due_at).toEqual(new Date('2026-12-29T23:59:59.999Z'))

    const other = await newCase()
    const b = await signedIn(t, 'oic.north')
    const ok = await b.post(`/cases/${other}/advice/request`, REQUEST)
    expect(ok.statusCode).toBe(303)
    const shown = await b.get(ok.headers.location as string)
    expect(shown.body).toContain('Early advice has been requested from the CPS')
    expect(shown.body).toContain(message)
  } finally {
    t.clock.set(now)
  }
})
