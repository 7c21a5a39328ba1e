import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, auditWrites, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
let police: string
let prosecutor: string
let unit: string
beforeAll(async () => {
  t = await startTestApp()
  police = await t.token('oic.north')
  prosecutor = await t.token('prosecutor')
  const [row] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.cps])
  unit = row.id
})
afterAll(() => t.close())

const DAY = 86_400_000
const MINUTE = 60_000
const call = (method: 'GET' | 'POST', url: string, payload?: unknown, as = police) =>
  api(t, as, { method, url, payload: payload as object })
/** A case with an identified suspect, since a referral needs someone to charge. */
const newCase = async (opts = { suspect: true }) => {
  const id = (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
  if (opts.suspect) {
    const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' }
    expect((await call('POST', `/api/v1/cases/${id}/suspects`, suspect)).statusCode).toBe(201)
  }
  return id
}
const notSought = (id: string) =>
  call('POST', `/api/v1/cases/${id}/advice/not-sought`, { reasons: ['ready_for_charging'], details: 'File complete' })
const refer = (id: string, body: Record<string, unknown> = FCT, as = police) =>
  call('POST', `/api/v1/cases/${id}/charging/referrals`, body, as)
const referrals = async (id: string) => (await call('GET', `/api/v1/cases/${id}/charging/referrals`)).json()

const FCT = { test: 'full_code', mgForms: ['MG11', 'MG3', 'MG5'] }
const TT = {
  test: 'threshold',
  thresholdGrounds: 'Grounds',
  thresholdFurtherEvidence: 'Forensic results',
  thresholdEvidenceExpected: '2026-12-14',
  thresholdSeriousness: 'Serious offence, risk to the victim',
  thresholdBailReasons: 'Likely to interfere with the victim',
  thresholdPublicInterest: 'A serious sexual offence against a vulnerable victim',
  mgForms: ['MG3', 'MG7'],
}

type ClockRow = { kind: string; state: string; due_at: Date; owner_id: string | null; team_id: string | null }
const clocks = (caseId: string) =>
  t.db.query<ClockRow>(
    'SELECT kind, state, due_at, owner_id, team_id FROM deadlines WHERE case_id = $1 ORDER BY created_at, kind',
    [caseId],
  )
const writes = async () => [
  await count(t.db, 'charging_referrals'),
  await count(t.db, 'deadlines'),
  await count(t.db, 'case_events'),
  await auditWrites(t.db),
]

test('a referral is refused until early advice has been considered, naming the rule; nothing is written', async () => {
  const id = await newCase()
  const before = await writes()
  const res = await refer(id)
  expect(res.statusCode).toBe(409)
  expect(res.json().title).toBe(
    'Early advice must be considered before a referral for a charging decision: request early advice from the CPS, or record why it was not sought',
  )
  expect(await writes()).toEqual(before)
  const [c] = await t.db.query<{ cps_area_id: string | null }>('SELECT cps_area_id FROM cases WHERE id = $1', [id])
  expect(c.cps_area_id).toBeNull()
  // A request sent back at triage is not early advice considered.
  const requestId = (
    await call('POST', `/api/v1/cases/${id}/advice/requests`, {
      factualSummary: 'a',
      enquiriesDone: 'b',
      enquiriesOngoing: 'c',
      enquiriesPlanned: 'd',
      issues: 'e',
      questions: 'f',
    })
  ).json().id
  await call(
    'POST',
    `/api/v1/cases/${id}/advice/requests/${requestId}/triage`,
    { decision: 'reject', reasons: [{ code: 'no_mg3', detail: 'x' }], respondBy: '2026-11-30' },
    prosecutor,
  )
  expect((await refer(id)).statusCode).toBe(409)
})

test('a Full Code Test referral goes to the Area with its forms, and the CPS clock runs 28 days from receipt', async () => {
  const id = await newCase()
  await notSought(id)
  const res = await refer(id)
  expect(res.statusCode).toBe(201)
  expect((await refer(id)).statusCode).toBe(409)
  expect(await clocks(id)).toEqual([
    // Received Monday 2 November 2026: due by the end of Monday 30 November; the Area owns it until triage.
    { kind: 'charging_decision', state: 'open', due_at: new Date('2026-11-30T23:59:59.999Z'), owner_id: null, team_id: null },
  ])
  const view = await referrals(id)
  expect(view.earlyAdvice).toMatchObject({ considered: true, how: 'not_sought' })
  expect(view.referrals[0]).toMatchObject({
    test: { code: 'full_code', label: 'Full Code Test' },
    threshold: null,
    state: { code: 'awaiting_triage' },
    cpsArea: 'CPS Vale and Mere',
    clock: { receivedOn: '2026-11-02', daysWithCps: 0, state: 'open', wording: 'due in 28 days' },
  })
  expect(view.referrals[0].mgForms.map((f: { code: string }) => f.code)).toEqual(['MG3', 'MG5', 'MG11'])
  const [event] = await t.db.query<{ data: Record<string, unknown> }>(
    "SELECT data FROM case_events WHERE case_id = $1 AND type = 'charging.referred'",
    [id],
  )
  expect(event.data).toMatchObject({ test: 'full_code', mgForms: ['MG11', 'MG3', 'MG5'] })
  const [c] = await t.db.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [id])
  expect(c.stage).toBe('with_cps')
  expect((await refer(id, FCT, prosecutor)).statusCode).toBe(403)
  expect((await refer(id, FCT, await t.token('oic.south'))).statusCode).toBe(404)
})

test('the Threshold Test needs its five conditions, the evidence date not past; the Full Code Test needs none', async () => {
  const id = await newCase()
  await notSought(id)
  const before = await writes()
  expect((await refer(id, { ...FCT, mgForms: ['MG99'] })).json().errors[0]).toEqual({
    field: 'mgForms.0',
    message: 'Select MG forms from the list',
  })
  const bad = await refer(id, { test: 'threshold' })
  expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
    'mgForms',
    'thresholdGrounds',
    'thresholdFurtherEvidence',
    'thresholdEvidenceExpected',
    'thresholdSeriousness',
    'thresholdBailReasons',
    'thresholdPublicInterest',
  ])
  expect((await refer(id, {})).json().errors).toEqual([
    { field: 'test', message: 'Select the Full Code Test or the Threshold Test' },
  ])
  expect((await refer(id, { ...FCT, mgForms: ['MG5', 'MG11'] })).json().errors).toEqual([
    {
      field: 'mgForms',
      message: 'A file for a charging decision needs an MG3 (report to the Crown Prosecutor for a charging decision)',
    },
  ])
  const past = await refer(id, { ...TT, thresholdEvidenceExpected: '2026-11-01' })
  expect(past.json().errors[0].field).toBe('thresholdEvidenceExpected')
  expect(await writes()).toEqual(before)
  expect((await refer(id, TT)).statusCode).toBe(201)
  expect((await referrals(id)).referrals[0].threshold).toEqual({
    grounds: 'Grounds',
    furtherEvidence: 'Forensic results',
    evidenceExpected: '2026-12-14',
    seriousness: 'Serious offence, risk to the victim',
    bailReasons: 'Likely to interfere with the victim',
    publicInterest: 'A serious sexual offence against a vulnerable victim',
  })
})

test('a referral needs an identified suspect, naming the rule; nothing is written', async () => {
  const id = await newCase({ suspect: false })
  await notSought(id)
  const before = await writes()
  const res = await refer(id)
  expect(res.statusCode).toBe(409)
  expect(res.json().title).toBe('A referral for a charging decision needs an identified suspect: record who the suspect is first')
  expect(await writes()).toEqual(before)
  const unnamed = await call('POST', `/api/v1/cases/${id}/suspects`, { status: 'not_identified' })
  expect(unnamed.statusCode).toBe(201)
  expect((await refer(id)).statusCode).toBe(409)
})

test('with a prosecutor already assigned the clock is theirs; triage rejection stops it and the next referral answers the police clock', async () => {
  const id = await newCase()
  const requestId = (
    await call('POST', `/api/v1/cases/${id}/advice/requests`, {
      factualSummary: 'a',
      enquiriesDone: 'b',
      enquiriesOngoing: 'c',
      enquiriesPlanned: 'd',
      issues: 'e',
      questions: 'f',
    })
  ).json().id
  const accept = { decision: 'accept', unitId: unit, prosecutorId: t.demo.users.prosecutor }
  await call('POST', `/api/v1/cases/${id}/advice/requests/${requestId}/triage`, accept, prosecutor)
  t.clock.advance(MINUTE)
  const referralId = (await refer(id)).json().id
  expect((await clocks(id)).find((k) => k.kind === 'charging_decision')).toMatchObject({
    owner_id: t.demo.users.prosecutor,
    team_id: unit,
  })
  t.clock.advance(MINUTE)
  const triage = (body: Record<string, unknown>) =>
    call('POST', `/api/v1/cases/${id}/charging/referrals/${referralId}/triage`, body, prosecutor)
  const reject = { decision: 'reject', reasons: [{ code: 'unused_schedules_missing', detail: 'MG6C' }], respondBy: '2026-11-16' }
  expect((await triage(reject)).statusCode).toBe(201)
  expect((await triage(accept)).statusCode).toBe(409)
  expect((await clocks(id)).filter((k) => k.kind !== 'advice_response').map((k) => [k.kind, k.state])).toEqual([
    ['charging_decision', 'cancelled'],
    ['triage_response', 'open'],
  ])
  const [c] = await t.db.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [id])
  expect(c.stage).toBe('investigation')
  // The police respond after the date set: their clock closes as missed.
  t.clock.advance(20 * DAY)
  try {
    expect((await refer(id)).statusCode).toBe(201)
  } finally {
    t.clock.advance(-20 * DAY)
  }
  expect((await clocks(id)).filter((k) => k.kind !== 'advice_response').map((k) => [k.kind, k.state])).toEqual([
    ['charging_decision', 'cancelled'],
    ['triage_response', 'missed'],
    ['charging_decision', 'open'],
  ])
})

test('finalising the case closes the charging clock, met or missed by its due time, and decides the referral', async () => {
  const onTime = await newCase()
  const late = await newCase()
  for (const id of [onTime, late]) {
    await notSought(id)
    await refer(id)
  }
  const finalise = async (id: string) =>
    call(
      'POST',
      `/api/v1/cases/${id}/outcome`,
      { code: '15', finalisedOn: '2026-11-02', rationale: 'The evidence does not support a prosecution' },
      await t.token('supervisor.north'),
    )
  expect((await finalise(onTime)).statusCode).toBe(201)
  t.clock.advance(30 * DAY)
  try {
    expect((await finalise(late)).statusCode).toBe(201)
  } finally {
    t.clock.advance(-30 * DAY)
  }
  expect((await clocks(onTime)).map((k) => k.state)).toEqual(['met'])
  expect((await clocks(late)).map((k) => k.state)).toEqual(['missed'])
  const view = await referrals(onTime)
  expect(view.referrals[0]).toMatchObject({ state: { code: 'decided' }, clock: { state: 'met', wording: null } })
})

test('finalising ends every other running clock (early advice here) but the victim’s agreed updates', async () => {
  const id = await newCase()
  const advice = {
    factualSummary: 'Synthetic summary',
    enquiriesDone: 'Done',
    enquiriesOngoing: 'Ongoing',
    enquiriesPlanned: 'Planned',
    issues: 'Issues',
    questions: 'Questions',
  }
  expect((await call('POST', `/api/v1/cases/${id}/advice/requests`, advice)).statusCode).toBe(201)
  const plan = {
    preferredChannel: 'phone',
    updateEveryDays: 14,
    safeTimes: 'Any time',
    messagesMayBeLeft: true,
    throughIsva: false,
    nfaPreference: 'phone',
  }
  await api(t, police, { method: 'PUT', url: `/api/v1/cases/${id}/communication/plan`, payload: plan })
  const outcome = { code: '15', finalisedOn: '2026-11-02', rationale: 'The evidence does not support a prosecution' }
  // A supervisor's decision to take no further action is authorised as it is recorded.
  expect((await call('POST', `/api/v1/cases/${id}/outcome`, outcome, await t.token('supervisor.north'))).statusCode).toBe(201)
  const rows = await t.db.query<{ kind: string; state: string }>(
    'SELECT kind, state FROM deadlines WHERE case_id = $1 ORDER BY kind',
    [id],
  )
  expect(rows).toEqual([
    { kind: 'advice_response', state: 'cancelled' },
    { kind: 'victim_update', state: 'open' },
  ])
})

test('the referral page: refused without early advice considered, then a Threshold Test referral from the form', async () => {
  const id = await newCase()
  const b = await signedIn(t, 'oic.north')
  const page = await b.get(`/cases/${id}/charging/referral`)
  expect(page.statusCode).toBe(200)
  expect(page.body).toContain('Early advice has not been considered')
  const refused = await b.post(`/cases/${id}/charging/referral`, { test: 'full_code', mgForms: ['MG3'] })
  expect(refused.statusCode).toBe(409)
  expect(refused.body).toContain('govuk-error-summary')
  expect(refused.body).toContain('Early advice must be considered before a referral for a charging decision')
  expect(refused.body).toContain('href="#early-advice"')
  expect(await count(t.db, `charging_referrals WHERE case_id = '${id}'`)).toBe(0)
  await notSought(id)
  const missing = await b.post(`/cases/${id}/charging/referral`, { test: 'threshold', thresholdGrounds: 'Kept grounds' })
  expect(missing.statusCode).toBe(400)
  expect(missing.body).toContain('href="#thresholdEvidenceExpected-day"')
  expect(missing.body).toContain('Kept grounds')
  const ok = await b.post(`/cases/${id}/charging/referral`, {
    test: 'threshold',
    thresholdGrounds: 'Grounds',
    thresholdFurtherEvidence: 'Forensics',
    'thresholdEvidenceExpected-day': '14',
    'thresholdEvidenceExpected-month': '12',
    'thresholdEvidenceExpected-year': '2026',
    thresholdSeriousness: 'Serious',
    thresholdBailReasons: 'Risk',
    thresholdPublicInterest: 'Serious offence',
    mgForms: ['MG3', 'MG7'],
  })
  expect(ok.statusCode).toBe(303)
  const section = await b.get(`/cases/${id}/advice`)
  expect(section.body).toContain('Threshold Test')
  expect(section.body).toContain('MG7 – Remand application')
  expect(section.body).toContain('Received 2 November 2026. 0 days with the CPS.')
  expect(section.body).toContain('due in 28 days')
})

test('the date the further evidence is expected falls on a working day: moved, stored, said in the API and on the page', async () => {
  const id = await newCase()
  await notSought(id)
  const res = await refer(id, { ...TT, thresholdEvidenceExpected: '2026-12-12' })
  expect(res.statusCode).toBe(201)
  expect(res.json().moved).toEqual([
    {
      field: 'thresholdEvidenceExpected',
      from: '2026-12-12',
      to: '2026-12-14',
      message:
        'Date the further evidence is expected moved from Saturday 12 December 2026 to Monday 14 December 2026: it fell on a weekend',
    },
  ])
  expect((await referrals(id)).referrals[0].threshold.evidenceExpected).toBe('2026-12-14')

  const other = await newCase()
  await notSought(other)
  const b = await signedIn(t, 'oic.north')
  const ok = await b.post(`/cases/${other}/charging/referral`, {
    test: 'threshold',
    thresholdGrounds: 'Grounds',
    thresholdFurtherEvidence: 'Forensics',
    'thresholdEvidenceExpected-day': '28',
    'thresholdEvidenceExpected-month': '12',
    'thresholdEvidenceExpected-year': '2026',
    thresholdSeriousness: 'Serious',
    thresholdBailReasons: 'Risk',
    thresholdPublicInterest: 'Serious offence',
    mgForms: ['MG3', 'MG7'],
  })
  expect(ok.statusCode).toBe(303)
  const shown = await b.get(ok.headers.location as string)
  expect(shown.body).toContain('The case has been referred to the CPS for a charging decision')
  expect(shown.body).toContain(
    'Date the further evidence is expected moved from Monday 28 December 2026 to Tuesday 29 December 2026: it fell on a bank holiday (Boxing Day (substitute day))',
  )
  expect((await referrals(other)).referrals[0].threshold.evidenceExpected).toBe('2026-12-29')
})

test('a decision due on a weekend is due the next working day: the clock runs to it, the API and the page say so', async () => {
  const now = t.clock.now()
  t.clock.set('2026-11-28T10:00:00Z') // a Saturday: 28 days on is Saturday 26 December, then Sunday and a bank holiday
  try {
    const id = await newCase()
    await notSought(id)
    const res = await refer(id, FCT)
    expect(res.statusCode).toBe(201)
    const message =
      'Charging decision due date moved from Saturday 26 December 2026 to Tuesday 29 December 2026: it fell on a weekend'
    expect(res.json().moved).toEqual([{ field: 'decisionDue', from: '2026-12-26', to: '2026-12-29', message }])
    expect((await clocks(id)).find((k) => k.kind === 'charging_decision')?.due_at).toEqual(new Date('2026-12-29T23:59:59.999Z'))

    const other = await newCase()
    await notSought(other)
    const b = await signedIn(t, 'oic.north')
    const ok = await b.post(`/cases/${other}/charging/referral`, { test: 'full_code', mgForms: ['MG3'] })
    expect(ok.statusCode).toBe(303)
    expect((await b.get(ok.headers.location as string)).body).toContain(message)
  } finally {
    t.clock.set(now)
  }
})
