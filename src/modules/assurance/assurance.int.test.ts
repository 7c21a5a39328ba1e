import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { referForCharge } from '../../testing/referral.ts'
import { insertUser } from '../admin/queries.ts'

let t: TestApp
const tokens: Record<string, string> = {}
const urns: Record<string, string> = {}
const DAY = 86_400_000

const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  api(t, tokens[as], { method, url, payload: payload as object })
const inDays = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString().slice(0, 10)

/** A referred case with `plans` action plans, each answered before the next; `reason` for the DCP approval. */
async function caseWithPlans(
  name: string,
  plans: number,
  over: Record<string, unknown> = {},
  reason = 'Phone download incomplete',
) {
  const input = t.caseInput('oic.north', over)
  urns[name] = input.urn as string
  const id = (await call('oic.north', 'POST', '/api/v1/cases', input)).json().id as string
  await referForCharge(t, id)
  for (let n = 1; n <= plans; n++) {
    if (n > 1) {
      const approved = await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, {
        theme: 'third_party_material',
        reason,
      })
      expect(approved.statusCode).toBe(201)
    }
    const body = {
      actions: [{ description: 'Obtain records', ownerId: t.demo.users['oic.north'], targetDate: inDays(7) }],
      reviewDate: inDays(14),
    }
    const plan = (await call('prosecutor', 'POST', `/api/v1/cases/${id}/action-plans`, body)).json()
    const view = (await call('prosecutor', 'GET', `/api/v1/cases/${id}/action-plans`)).json()
    const action = view.plans[0].actions[0].id
    await call('oic.north', 'POST', `/api/v1/cases/${id}/action-plans/${plan.id}/actions/${action}/responses`, {
      outcome: 'done',
      details: 'Obtained',
    })
  }
  return id
}

beforeAll(async () => {
  t = await startTestApp()
  t.demo.users['analyst.cps'] = await insertUser(t.db, t.demo.orgs.cps, {
    username: 'analyst.cps',
    displayName: 'Area Analyst',
    email: 'analyst.cps@casebridge-demo.example',
    phone: '01632 960199',
    roles: ['analyst'],
    teamId: null,
    password: PASSWORD,
  })
  for (const u of ['oic.north', 'prosecutor', 'dcp', 'analyst', 'analyst.cps']) tokens[u] = await t.token(u)
  // In 2026-27 Q3 (the clock starts on 2 November 2026).
  await caseWithPlans('counted', 2, {}, '=HYPERLINK("http://evil.example")')
  await caseWithPlans('onePlan', 1)
  await caseWithPlans('notRape', 2, { offences: ['20A'] })
})
afterAll(() => t.close())

test('the return counts rape cases of the Area with a second or later plan issued in the quarter, with approvals and themes', async () => {
  const res = await call('dcp', 'GET', '/api/v1/assurance/action-plans?quarter=2026-27-Q3')
  expect(res.statusCode).toBe(200)
  const r = res.json()
  expect(r.quarter).toEqual({
    code: '2026-27-Q3',
    label: '2026-27 Q3: October to December 2026',
    from: '2026-10-01',
    to: '2026-12-31',
  })
  expect(r.casesWithTwoOrMorePlans).toBe(1)
  expect(r.cases).toEqual([
    {
      id: expect.any(String),
      urn: urns.counted,
      plans: 2,
      furtherPlansInQuarter: 1,
      approvals: [
        {
          theme: { code: 'third_party_material', label: 'Third-party material outstanding' },
          reason: '=HYPERLINK("http://evil.example")',
          approvedBy: 'Morgan Hale',
          approvedOn: '2026-11-02',
          planNumber: 2,
        },
      ],
    },
  ])
  expect(r.themes).toEqual([{ code: 'third_party_material', label: 'Third-party material outstanding', approvals: 1 }])
  expect((await call('dcp', 'GET', '/api/v1/assurance/action-plans?quarter=2026-27-Q4')).json().casesWithTwoOrMorePlans).toBe(0)
  expect((await call('dcp', 'GET', '/api/v1/assurance/action-plans?quarter=2026-27-Q9')).statusCode).toBe(400)
  // Reading it is a consultation of each case listed, and of the return.
  const audits = await t.db.query<{ case_id: string | null }>(
    "SELECT case_id FROM audit_log WHERE action = 'assurance_return.viewed' AND actor_id = $1",
    [t.demo.users.dcp],
  )
  expect(audits.filter((a) => a.case_id === r.cases[0].id)).toHaveLength(1)
  expect(audits.filter((a) => a.case_id === null).length).toBeGreaterThanOrEqual(2)
})

test('CPS managers and analysts of the Area may read it; prosecutors and police analysts see nothing', async () => {
  expect((await call('analyst.cps', 'GET', '/api/v1/assurance/action-plans')).statusCode).toBe(200)
  expect((await call('prosecutor', 'GET', '/api/v1/assurance/action-plans')).statusCode).toBe(404)
  expect((await call('analyst', 'GET', '/api/v1/assurance/action-plans')).statusCode).toBe(404)
  const police = await signedIn(t, 'analyst')
  expect((await police.get('/assurance/action-plans')).statusCode).toBe(404)
  expect((await police.get('/assurance/action-plans.csv')).statusCode).toBe(404)
})

test('the page, the printable view and the CSV', async () => {
  const b = await signedIn(t, 'dcp')
  const page = await b.get('/assurance/action-plans?quarter=2026-27-Q3')
  expect(page.statusCode).toBe(200)
  expect(page.body).toContain('a second or later action plan was issued on it in the quarter')
  expect(page.body).toContain(urns.counted)
  expect(page.body).not.toContain(urns.onePlan)
  expect(page.body).not.toContain(urns.notRape)
  expect(page.body).toContain('Third-party material outstanding')
  expect(page.body).toContain('href="/assurance/action-plans.csv?quarter=2026-27-Q3"')
  const print = await b.get('/assurance/action-plans/print?quarter=2026-27-Q3')
  expect(print.statusCode).toBe(200)
  expect(print.body).toContain(urns.counted)

  const csv = await b.get('/assurance/action-plans.csv?quarter=2026-27-Q3')
  expect(csv.statusCode).toBe(200)
  expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8')
  expect(csv.headers['content-disposition']).toBe('attachment; filename="action-plan-assurance-return-2026-27-Q3.csv"')
  const lines = csv.body.trim().split('\r\n')
  expect(lines[0]).toBe('Area,Quarter,URN,Action plans,Further plans in quarter,Theme,Reason,Approved by,Approved on,Plan')
  expect(lines.slice(1)).toEqual([
    `CPS Vale and Mere,2026-27-Q3,${urns.counted},2,1,Third-party material outstanding,"'=HYPERLINK(""http://evil.example"")",Morgan Hale,2026-11-02,2`,
  ])
})

test('a case restricted from the reader is counted in the return but neither named nor explained', async () => {
  const [{ id: caseId }] = await t.db.query<{ id: string }>('SELECT id FROM cases WHERE urn = $1', [urns.counted])
  const before = (await call('dcp', 'GET', '/api/v1/assurance/action-plans?quarter=2026-27-Q3')).json()
  const [{ id }] = await t.db.query<{ id: string }>(
    'INSERT INTO case_restrictions (case_id, restricted_by, restricted_at) VALUES ($1, $2, now()) RETURNING id',
    [caseId, t.demo.users['supervisor.north']],
  )
  await t.db.query('INSERT INTO case_restriction_people (restriction_id, user_id) VALUES ($1, $2)', [
    id,
    t.demo.users['supervisor.north'],
  ])
  try {
    const after = (await call('dcp', 'GET', '/api/v1/assurance/action-plans?quarter=2026-27-Q3')).json()
    expect(after.casesWithTwoOrMorePlans).toBe(before.casesWithTwoOrMorePlans)
    expect(after.themes).toEqual(before.themes)
    expect(JSON.stringify(after)).not.toContain(urns.counted)
    expect(JSON.stringify(after)).not.toContain('evil.example')
    expect(after.cases[0]).toMatchObject({ urn: 'Restricted case' })
  } finally {
    await t.db.query('UPDATE case_restrictions SET lifted_at = now(), lifted_by = restricted_by WHERE id = $1', [id])
  }
})
