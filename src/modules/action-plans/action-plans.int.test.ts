import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, auditWrites, count, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { referForCharge } from '../../testing/referral.ts'
import { insertUser } from '../admin/queries.ts'

let t: TestApp
const tokens: Record<string, string> = {}
beforeAll(async () => {
  t = await startTestApp()
  // Another prosecutor of the same Area, who is not the reviewing prosecutor of the cases here.
  t.demo.users['prosecutor.two'] = await insertUser(t.db, t.demo.orgs.cps, {
    username: 'prosecutor.two',
    displayName: 'Second Prosecutor',
    email: 'prosecutor.two@casebridge-demo.example',
    phone: '01632 960101',
    roles: ['prosecutor'],
    teamId: null,
    password: PASSWORD,
  })
  for (const u of ['oic.north', 'supervisor.north', 'oic.south', 'prosecutor', 'prosecutor.two', 'dcp']) {
    tokens[u] = await t.token(u)
  }
})
afterAll(() => t.close())

const DAY = 86_400_000
const call = (as: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  api(t, tokens[as], { method, url, payload: payload as object })
const newCase = async () => (await call('oic.north', 'POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
/** A case referred for a charging decision (Full Code Test unless said). */
const referredCase = async (test: 'full_code' | 'threshold' = 'full_code') => {
  const id = await newCase()
  const referralId = await referForCharge(t, id, { test })
  return { id, referralId }
}
/** YYYY-MM-DD `days` after the test clock's today. */
const inDays = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString().slice(0, 10)
const plan = (over: Record<string, unknown> = {}) => ({
  actions: [
    { description: 'Obtain the victim’s phone download', ownerId: t.demo.users['oic.north'], targetDate: inDays(14) },
    {
      description: 'Take a statement from the first-account witness',
      ownerId: t.demo.users['supervisor.north'],
      targetDate: inDays(21),
    },
  ],
  reviewDate: inDays(28),
  ...over,
})
const issue = (id: string, over: Record<string, unknown> = {}, as = 'prosecutor') =>
  call(as, 'POST', `/api/v1/cases/${id}/action-plans`, plan(over))
const view = async (id: string, as = 'prosecutor') => (await call(as, 'GET', `/api/v1/cases/${id}/action-plans`)).json()
const respond = (id: string, planId: string, actionId: string, body: unknown, as = 'oic.north') =>
  call(as, 'POST', `/api/v1/cases/${id}/action-plans/${planId}/actions/${actionId}/responses`, body)
const done = { outcome: 'done', details: 'Download obtained and reviewed' }

type Clock = {
  kind: string
  state: string
  due_at: Date
  owner_id: string | null
  organisation_id: string
  closed_reason: string | null
}
const clocks = (caseId: string, kind?: string) =>
  t.db.query<Clock>(
    `SELECT kind, state, due_at, owner_id, organisation_id, closed_reason FROM deadlines
      WHERE case_id = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY created_at, kind, due_at`,
    [caseId, kind ?? null],
  )
const stage = async (id: string) => (await t.db.query<{ stage: string }>('SELECT stage FROM cases WHERE id = $1', [id]))[0].stage
const writes = async () => [
  await count(t.db, 'action_plans'),
  await count(t.db, 'action_plan_actions'),
  await count(t.db, 'action_plan_approvals'),
  await count(t.db, 'action_more_time_requests'),
  await count(t.db, 'action_plan_reviews'),
  await count(t.db, 'deadlines'),
  await count(t.db, 'case_events'),
  await auditWrites(t.db),
]

describe('issuing an action plan', () => {
  test('opens a target clock per action for its owner, a review clock and the admin-finalise wait; stops the charging clock', async () => {
    const { id, referralId } = await referredCase()
    const res = await issue(id)
    expect(res.statusCode).toBe(201)
    expect(res.json().number).toBe(1)
    const rows = await clocks(id)
    expect(rows.find((c) => c.kind === 'charging_decision')).toMatchObject({ state: 'met', closed_reason: 'action plan issued' })
    const targets = rows.filter((c) => c.kind === 'action_target')
    expect(targets.map((c) => [c.state, c.owner_id, c.organisation_id])).toEqual([
      ['open', t.demo.users['oic.north'], t.demo.orgs.north],
      ['open', t.demo.users['supervisor.north'], t.demo.orgs.north],
    ])
    expect(targets[0].due_at.toISOString()).toBe('2026-11-16T23:59:59.999Z')
    expect(rows.find((c) => c.kind === 'action_plan_review')).toMatchObject({
      state: 'open',
      owner_id: t.demo.users.prosecutor,
      organisation_id: t.demo.orgs.cps,
    })
    // 3 months (configurable) after the latest target date, 23 November 2026; not after the issue date.
    expect(rows.find((c) => c.kind === 'admin_finalise_wait')?.due_at.toISOString()).toBe('2027-02-23T23:59:59.999Z')
    const [referral] = await t.db.query<{ state: string }>('SELECT state FROM charging_referrals WHERE id = $1', [referralId])
    expect(referral.state).toBe('action_plan')
    expect(await stage(id)).toBe('action_plan_outstanding')
    const v = await view(id, 'oic.north')
    expect(v.plans[0]).toMatchObject({ number: 1, state: { code: 'issued' }, reviewDate: inDays(28) })
    expect(v.plans[0].actions.map((a: { number: number; owner: { name: string } }) => [a.number, a.owner.name])).toEqual([
      [1, 'DC Sam Okafor'],
      [2, 'DS Priya Lang'],
    ])
  })

  test('refuses a target or review date in the past, no actions, or an owner outside the force; nothing written', async () => {
    const { id } = await referredCase()
    const before = await writes()
    const past = await issue(id, {
      actions: [{ description: 'Something', ownerId: t.demo.users['oic.north'], targetDate: inDays(-1) }],
      reviewDate: inDays(-2),
    })
    expect(past.statusCode).toBe(400)
    expect(past.json().errors).toEqual([
      { field: 'actions.0.targetDate', message: 'Action 1 has a target date in the past: a target date must be today or later' },
      { field: 'reviewDate', message: 'The review date is in the past: a review date must be today or later' },
    ])
    expect((await issue(id, { actions: [] })).json().errors).toEqual([{ field: 'actions', message: 'Add at least one action' }])
    const south = await issue(id, { actions: [{ description: 'x', ownerId: t.demo.users['oic.south'], targetDate: inDays(3) }] })
    expect(south.json().errors[0]).toEqual({
      field: 'actions.0.ownerId',
      message: 'Action 1: select an officer of Northvale Police',
    })
    const blank = await issue(id, { actions: [{ description: '', ownerId: 'nope', targetDate: '2026-02-30' }] })
    expect(blank.json().errors.map((e: { message: string }) => e.message)).toEqual([
      'Action 1: enter what the police should do',
      'Action 1: select the officer who owns the action',
      'Action 1: the target date must be a real date',
    ])
    expect(await writes()).toEqual(before)
  })

  test('only the CPS issues plans; police answer them; another force or Area gets 404', async () => {
    const { id } = await referredCase()
    expect((await issue(id, {}, 'oic.north')).statusCode).toBe(403)
    expect((await issue(id, {}, 'oic.south')).statusCode).toBe(404)
    const p = (await issue(id)).json()
    const actionId = (await view(id)).plans[0].actions[0].id
    expect((await respond(id, p.id, actionId, done, 'prosecutor')).statusCode).toBe(403)
    expect((await respond(id, p.id, actionId, done, 'oic.south')).statusCode).toBe(404)
    expect((await call('oic.south', 'GET', `/api/v1/cases/${id}/action-plans`)).statusCode).toBe(404)
  })

  test('a second plan while the first is with the police is refused', async () => {
    const { id } = await referredCase('threshold')
    await issue(id)
    const second = await issue(id)
    expect(second.statusCode).toBe(409)
    expect(second.json().title).toMatch(/Action plan 1 is still with the police/)
  })
})

/** Issues a plan with one action and answers it, so the next plan is a further one. */
async function firstPlanAnswered(id: string) {
  const p = (await issue(id, { actions: [plan().actions[0]] })).json()
  const actionId = (await view(id)).plans[0].actions[0].id
  expect((await respond(id, p.id, actionId, done)).json()).toEqual({ planState: 'responded', moved: [] })
}

describe('a further plan after a Full Code Test submission', () => {
  test('is refused without a DCP’s approval, nothing written; the DCP approves with a reason and theme; the plan uses it', async () => {
    const { id } = await referredCase('full_code')
    await firstPlanAnswered(id)
    expect((await view(id)).nextPlanNeedsApproval).toBe(true)
    const before = await writes()
    const refused = await issue(id)
    expect(refused.statusCode).toBe(409)
    expect(refused.json().title).toContain('needs a District Crown Prosecutor’s approval')
    expect(await writes()).toEqual(before)
    // The form is refused as well, naming the rule before anyone types a plan.
    const form = await (await signedIn(t, 'prosecutor')).get(`/cases/${id}/action-plans/new`)
    expect(form.statusCode).toBe(409)
    expect(form.body).toContain('needs a District Crown Prosecutor’s approval first')

    const approval = { theme: 'digital_evidence', reason: 'Phone download incomplete' }
    expect((await call('prosecutor', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, approval)).statusCode).toBe(403)
    const bad = await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, { theme: 'nope', reason: '' })
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['theme', 'reason'])
    expect((await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, approval)).statusCode).toBe(201)
    const twice = await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, approval)
    expect(twice.statusCode).toBe(409)

    const second = await issue(id)
    expect(second.json().number).toBe(2)
    const v = await view(id)
    expect(v.plans[0].approval).toMatchObject({
      theme: { code: 'digital_evidence', label: 'Digital evidence (phones, devices, social media)' },
      reason: 'Phone download incomplete',
      approvedBy: 'Morgan Hale',
      planNumber: 2,
    })
    expect(v.approvalWaiting).toBe(false)
  })

  test('a Threshold Test referral needs no approval, and an approval that is not needed is refused', async () => {
    const { id } = await referredCase('threshold')
    const notNeeded = await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, { theme: 'other', reason: 'x' })
    expect(notNeeded.statusCode).toBe(409)
    expect(notNeeded.json().title).toMatch(/^No approval is needed/)
    await firstPlanAnswered(id)
    expect((await issue(id)).json().number).toBe(2)
  })
})

describe('police responses', () => {
  test('done on time meets the target; late misses it; more time waits for the prosecutor, who moves the target', async () => {
    const { id, referralId } = await referredCase()
    const p = (await issue(id)).json()
    const [a1, a2] = (await view(id)).plans[0].actions
    expect((await respond(id, p.id, a1.id, done)).json()).toEqual({ planState: 'issued', moved: [] })
    expect((await respond(id, p.id, a1.id, done)).statusCode).toBe(409)

    const tooSoon = await respond(id, p.id, a2.id, { outcome: 'more_time', proposedDate: inDays(20), details: 'Witness abroad' })
    expect(tooSoon.json().errors[0].field).toBe('proposedDate')
    expect(
      (await respond(id, p.id, a2.id, { outcome: 'more_time', proposedDate: inDays(35), details: 'Witness abroad' })).statusCode,
    ).toBe(201)
    expect(await clocks(id, 'more_time_decision')).toMatchObject([{ state: 'open', owner_id: t.demo.users.prosecutor }])
    expect((await clocks(id, 'more_time_decision'))[0].due_at.toISOString()).toBe('2026-11-04T23:59:59.999Z')

    const decide = (body: unknown) =>
      call('prosecutor', 'POST', `/api/v1/cases/${id}/action-plans/${p.id}/actions/${a2.id}/more-time-decision`, body)
    expect((await decide({ decision: 'refused' })).json().errors).toEqual([
      { field: 'note', message: 'Say why more time is refused' },
    ])
    expect((await decide({ decision: 'agreed' })).statusCode).toBe(200)
    expect((await decide({ decision: 'agreed' })).statusCode).toBe(409)
    const targets = await clocks(id, 'action_target')
    expect(targets.map((c) => [c.state, c.due_at.toISOString().slice(0, 10)])).toEqual([
      ['met', inDays(14)],
      ['cancelled', inDays(21)],
      ['open', inDays(35)],
    ])
    expect((await clocks(id, 'more_time_decision'))[0].state).toBe('met')
    expect((await view(id)).plans[0].actions[1]).toMatchObject({ targetDate: inDays(35), originalTargetDate: inDays(21) })

    // The last answer comes late: its clock is missed; the plan is responded and the file is back with the CPS,
    // whose decision, 28 days on, would fall on a Saturday: it is due the Monday, and the answer says so.
    t.clock.advance(40 * DAY)
    expect((await respond(id, p.id, a2.id, { outcome: 'cannot_be_done', details: 'Witness declined' })).json()).toEqual({
      planState: 'responded',
      moved: [
        {
          field: 'decisionDue',
          from: '2027-01-09',
          to: '2027-01-11',
          message:
            'Charging decision due date moved from Saturday 9 January 2027 to Monday 11 January 2027: it fell on a weekend',
        },
      ],
    })
    expect((await clocks(id, 'action_target')).map((c) => c.state)).toEqual(['met', 'cancelled', 'missed'])
    expect((await clocks(id, 'action_plan_review'))[0]).toMatchObject({ state: 'cancelled' })
    // The wait moved when more time was agreed (the latest target moved), then ended as the police answered.
    expect((await clocks(id, 'admin_finalise_wait')).map((c) => c.state)).toEqual(['cancelled', 'met'])
    const charging = await clocks(id, 'charging_decision')
    expect(charging.map((c) => c.state)).toEqual(['met', 'open'])
    expect(charging[1].due_at.toISOString()).toBe('2027-01-11T23:59:59.999Z')
    const [referral] = await t.db.query<{ state: string }>('SELECT state FROM charging_referrals WHERE id = $1', [referralId])
    expect(referral.state).toBe('accepted')
    expect(await stage(id)).toBe('with_cps')

    const closed = await respond(id, p.id, a1.id, done)
    expect(closed.statusCode).toBe(409)
    expect(closed.json().title).toMatch(/Action plan 1 is closed/)
    t.clock.set('2026-11-02T10:00:00Z')
  })
})

describe('admin finalisation', () => {
  test('refused until the wait after the latest target (extensions included) has passed; then it pauses the clocks; a police response reopens the plan', async () => {
    const { id } = await referredCase()
    const p = (await issue(id)).json()
    const [a1, a2] = (await view(id)).plans[0].actions
    const finalise = () => call('prosecutor', 'POST', `/api/v1/cases/${id}/admin-finalisation`)
    const before = await writes()
    // Targets 16 and 23 November 2026: the wait runs 3 months from the latest, not from the issue date.
    t.clock.set('2027-02-03T10:00:00Z')
    const early = await finalise()
    expect(early.statusCode).toBe(409)
    expect(early.json().code).toBe('police_not_late')
    expect(early.json().title).toMatch(
      /police are not late yet: .*3 months .*latest target date .*\(23 November 2026, .*possible on 24 February 2027/,
    )
    expect((await call('oic.north', 'POST', `/api/v1/cases/${id}/admin-finalisation`)).statusCode).toBe(403)
    expect(await writes()).toEqual(before)
    t.clock.set('2026-11-02T10:00:00Z')

    // More time agreed on action 1 to a Saturday, moved to the Monday: the wait now counts from 7 December.
    const more = await respond(id, p.id, a1.id, { outcome: 'more_time', proposedDate: '2026-12-05', details: 'Lab backlog' })
    expect(more.json().moved).toEqual([
      {
        field: 'proposedDate',
        from: '2026-12-05',
        to: '2026-12-07',
        message: 'Proposed new target date moved from Saturday 5 December 2026 to Monday 7 December 2026: it fell on a weekend',
      },
    ])
    const decide = `/api/v1/cases/${id}/action-plans/${p.id}/actions/${a1.id}/more-time-decision`
    expect((await call('prosecutor', 'POST', decide, { decision: 'agreed' })).statusCode).toBe(200)
    expect((await clocks(id, 'admin_finalise_wait')).map((c) => [c.state, c.due_at.toISOString()])).toEqual([
      ['cancelled', '2027-02-23T23:59:59.999Z'],
      ['open', '2027-03-07T23:59:59.999Z'],
    ])

    t.clock.set('2027-02-25T10:00:00Z')
    const stillEarly = await finalise()
    expect(stillEarly.json().title).toMatch(
      /\(7 December 2026, agreed extra time included\)\. It becomes possible on 8 March 2027/,
    )
    // The page names the rule in its error summary, and the plans page says when and why.
    const cps = await signedIn(t, 'prosecutor')
    const form = await cps.get(`/cases/${id}/admin-finalisation`)
    expect(form.body).toContain('It becomes possible on 8 March 2027')
    const posted = await cps.post(`/cases/${id}/admin-finalisation`, {})
    expect(posted.statusCode).toBe(409)
    expect(posted.body).toContain('govuk-error-summary')
    expect(posted.body).toMatch(/href="#blocked">The police are not late yet/)
    const plansPage = await cps.get(`/cases/${id}/action-plans`)
    expect(plansPage.body).toContain('3 months after 7 December 2026, the latest target date of the actions not yet answered')
    const afterRefusals = await writes()

    t.clock.set('2027-03-08T10:00:00Z')
    expect(await writes()).toEqual(afterRefusals)
    expect((await finalise()).statusCode).toBe(200)
    expect(await stage(id)).toBe('admin_finalised')
    const paused = await clocks(id)
    expect(paused.filter((c) => c.kind === 'action_target').map((c) => c.state)).toEqual(['cancelled', 'paused', 'paused'])
    expect(paused.find((c) => c.kind === 'action_plan_review')?.state).toBe('paused')
    expect(paused.filter((c) => c.kind === 'admin_finalise_wait').map((c) => c.state)).toEqual(['cancelled', 'missed'])
    const v = await view(id, 'oic.north')
    expect(v.adminFinalised).toBe(true)
    expect(v.adminFinalisedMeaning.join(' ')).toContain('not a decision on the evidence')
    expect((await finalise()).statusCode).toBe(409)

    t.clock.set('2027-03-15T10:00:00Z')
    expect((await respond(id, p.id, a2.id, done)).json()).toEqual({ planState: 'issued', moved: [] })
    expect(await stage(id)).toBe('action_plan_outstanding')
    const resumed = await clocks(id, 'action_target')
    // Both targets had passed before the pause: the answer is late, and action 1's target keeps
    // its 7 paused days (7 December becomes 14 December).
    expect(resumed.map((c) => c.state)).toEqual(['cancelled', 'missed', 'open'])
    expect(resumed[2].due_at.toISOString()).toBe('2026-12-14T23:59:59.999Z')
    // A fresh wait counts from the reopening, as that is later than the latest target.
    const waits = await clocks(id, 'admin_finalise_wait')
    expect(waits.map((c) => [c.state, c.due_at.toISOString()]).at(-1)).toEqual(['open', '2027-06-15T22:59:59.999Z'])
    const [events] = await t.db.query<{ types: string[] }>(
      'SELECT array_agg(type ORDER BY id) AS types FROM case_events WHERE case_id = $1',
      [id],
    )
    expect(events.types.slice(-3)).toEqual(['case.admin_finalised', 'case.admin_reopened', 'action_plan.action_responded'])
    t.clock.set('2026-11-02T10:00:00Z')
  })
})

test('free text never reaches timeline events or the audit log', async () => {
  const { id } = await referredCase()
  await firstPlanAnswered(id)
  await call('dcp', 'POST', `/api/v1/cases/${id}/action-plans/approvals`, { theme: 'other', reason: 'SECRET-REASON' })
  const p = (
    await issue(id, { actions: [{ description: 'SECRET-WHAT', ownerId: t.demo.users['oic.north'], targetDate: inDays(5) }] })
  ).json()
  const [a] = (await view(id)).plans[0].actions
  await respond(id, p.id, a.id, { outcome: 'more_time', proposedDate: inDays(9), details: 'SECRET-WHY' })
  await call('prosecutor', 'POST', `/api/v1/cases/${id}/action-plans/${p.id}/actions/${a.id}/more-time-decision`, {
    decision: 'refused',
    note: 'SECRET-NOTE',
  })
  const secretReview = {
    outcome: 'next_review',
    progress: 'SECRET-PROGRESS',
    stillNeeded: 'SECRET-NEEDED',
    nextReviewDate: inDays(9),
  }
  expect((await review(id, p.id, secretReview)).statusCode).toBe(201)
  await respond(id, p.id, a.id, { outcome: 'cannot_be_done', details: 'SECRET-CANNOT' })
  const [events] = await t.db.query<{ text: string }>(
    "SELECT string_agg(data::text, ' ') AS text FROM case_events WHERE case_id = $1",
    [id],
  )
  const [audits] = await t.db.query<{ text: string }>(
    "SELECT string_agg(concat_ws(' ', action, subject, justification, details::text), ' ') AS text FROM audit_log WHERE case_id = $1",
    [id],
  )
  expect(events.text).toContain('"theme": "other"')
  expect(audits.text).toContain('action_plan.more_time_decided')
  expect(audits.text).toContain('action_plan.reviewed')
  for (const text of [events.text, audits.text]) expect(text).not.toMatch(/SECRET/)
})

describe('the pages', () => {
  test('issue a plan with the form (blank rows skipped, one more row added), respond, and see admin finalisation explained', async () => {
    const { id } = await referredCase()
    const cps = await signedIn(t, 'prosecutor')
    const page = await cps.get(`/cases/${id}/action-plans`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('No action plan has been issued')
    expect(page.body).toContain('Issue an action plan')
    const form = await cps.get(`/cases/${id}/action-plans/new`)
    expect(form.body).toContain('Action 3')
    const row = (n: number, what: string, date: string) => {
      const [y, m, d] = date.split('-')
      return {
        [`action${n}Description`]: what,
        [`action${n}Owner`]: t.demo.users['oic.north'],
        [`action${n}Target-day`]: d,
        [`action${n}Target-month`]: m,
        [`action${n}Target-year`]: y,
      }
    }
    const [ry, rm, rd] = inDays(30).split('-')
    const review = { 'reviewDate-day': rd, 'reviewDate-month': rm, 'reviewDate-year': ry }
    const added = await cps.post(`/cases/${id}/action-plans`, { rows: '3', ...row(2, 'Second row', inDays(7)), add: '1' })
    expect(added.statusCode).toBe(200)
    expect(added.body).toContain('Action 4')
    expect(added.body).toMatch(/id="action1Description"[^>]*>Second row/)
    const bad = await cps.post(`/cases/${id}/action-plans`, { rows: '4', ...row(3, 'Late one', inDays(-3)), ...review })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Action 1 has a target date in the past')
    expect(bad.body).toContain('href="#action1Target-day"')
    expect(await count(t.db, `action_plans WHERE case_id = '${id}'`)).toBe(0)
    const ok = await cps.post(`/cases/${id}/action-plans`, { rows: '4', ...row(2, 'Obtain CCTV', inDays(7)), ...review })
    expect(ok.statusCode).toBe(303)
    const shown = await cps.get(ok.headers.location as string)
    expect(shown.body).toContain('The action plan has been issued to the police')
    expect(shown.body).toContain('Obtain CCTV')
    expect(shown.body).toContain('due in 5 working days')

    const police = await signedIn(t, 'oic.north')
    const list = await police.get(`/cases/${id}/action-plans`)
    const link = list.body.match(/href="(\/cases\/[^"]+\/response)"/)?.[1] as string
    expect(link).toBeDefined()
    expect((await police.get(link)).body).toContain('Obtain CCTV')
    const missing = await police.post(link, { details: 'x' })
    expect(missing.statusCode).toBe(400)
    expect(missing.body).toContain('Select how you are responding to the action')
    expect((await police.post(link, { outcome: 'done', details: 'CCTV seized' })).statusCode).toBe(303)
    const after = await police.get(`/cases/${id}/action-plans`)
    expect(after.body).toContain('CCTV seized')
    expect(after.body).toContain('Police responded to every action')

    const explain = await cps.get(`/cases/${id}/admin-finalisation`)
    expect(explain.statusCode).toBe(200)
    expect(explain.body).toContain('not a decision on the evidence')
    expect(explain.body).toContain('There is no action plan waiting for the police')
    expect(explain.body).not.toContain('>Admin finalise the case</button>')
  })
})

const review = (id: string, planId: string, body: unknown, as = 'prosecutor') =>
  call(as, 'POST', `/api/v1/cases/${id}/action-plans/${planId}/reviews`, body)
const next = (date: string) => ({
  outcome: 'next_review',
  progress: 'Download in',
  stillNeeded: 'A statement',
  nextReviewDate: date,
})
const dateForm = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-')
  return { [`${name}-day`]: d, [`${name}-month`]: m, [`${name}-year`]: y }
}

describe('plan reviews', () => {
  test('the reviewing prosecutor records one: the review clock is met and the next opens at the next review date, moved off a weekend', async () => {
    const { id } = await referredCase()
    const p = (await issue(id)).json()
    const res = await review(id, p.id, next('2026-12-12'))
    expect(res.statusCode).toBe(201)
    expect(res.json()).toMatchObject({
      planState: 'issued',
      moved: [
        {
          field: 'nextReviewDate',
          from: '2026-12-12',
          to: '2026-12-14',
          message: 'Next review date moved from Saturday 12 December 2026 to Monday 14 December 2026: it fell on a weekend',
        },
      ],
    })
    const reviews = await clocks(id, 'action_plan_review')
    expect(reviews.map((c) => [c.state, c.due_at.toISOString(), c.owner_id])).toEqual([
      ['met', '2026-11-30T23:59:59.999Z', t.demo.users.prosecutor],
      ['open', '2026-12-14T23:59:59.999Z', t.demo.users.prosecutor],
    ])
    // Police and CPS both see the review on the plan.
    for (const as of ['oic.north', 'dcp']) {
      const plan = (await view(id, as)).plans[0]
      expect(plan.reviewDate).toBe('2026-12-14')
      expect(plan.reviews).toEqual([
        expect.objectContaining({
          progress: 'Download in',
          stillNeeded: 'A statement',
          nextReviewDate: '2026-12-14',
          closeReason: null,
          reviewedBy: 'Alex Moreno',
        }),
      ])
    }
    // A DCP of the Area may review too; after the review date it is recorded, and its clock missed.
    t.clock.set('2026-12-16T10:00:00Z')
    expect((await review(id, p.id, next('2027-01-06'), 'dcp')).statusCode).toBe(201)
    expect((await clocks(id, 'action_plan_review')).map((c) => c.state)).toEqual(['met', 'missed', 'open'])
    const [e] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'action_plan.reviewed' ORDER BY id DESC LIMIT 1",
      [id],
    )
    expect(e.data).toMatchObject({ planId: p.id, outcome: 'next_review', nextReviewDate: '2027-01-06', late: true })
    t.clock.set('2026-11-02T10:00:00Z')
  })

  test('police, another prosecutor of the Area and bad input are refused with the rule named; nothing written', async () => {
    const { id } = await referredCase()
    const p = (await issue(id)).json()
    const before = await writes()
    const police = await review(id, p.id, next('2026-12-14'), 'oic.north')
    expect(police.statusCode).toBe(403)
    expect(police.json().title).toBe('Only the CPS Area the case is referred to can do this')
    const other = await review(id, p.id, next('2026-12-14'), 'prosecutor.two')
    expect(other.statusCode).toBe(403)
    expect(other.json()).toMatchObject({
      code: 'reviewing_prosecutor_only',
      title:
        'Only the reviewing prosecutor of the case, or a District Crown Prosecutor of the Area, can record a review of an action plan',
    })
    expect((await review(id, p.id, next('2026-12-14'), 'oic.south')).statusCode).toBe(404)
    expect((await review(id, '00000000-0000-4000-8000-000000000001', next('2026-12-14'))).statusCode).toBe(404)
    const fields = async (body: unknown) => (await review(id, p.id, body)).json().errors.map((x: { field: string }) => x.field)
    expect(await fields({ progress: 'x', stillNeeded: 'y' })).toEqual(['outcome'])
    expect(await fields(next('2026-11-02'))).toEqual(['nextReviewDate'])
    expect(await fields({ outcome: 'close', progress: '', stillNeeded: 'y', closeReason: '' })).toEqual([
      'progress',
      'closeReason',
    ])
    expect(await fields(next('2031-01-03'))).toEqual(['nextReviewDate'])
    expect(await writes()).toEqual(before)
  })

  test('closing the plan at a review stops its clocks and sends the file back to the CPS', async () => {
    const { id, referralId } = await referredCase()
    const p = (await issue(id)).json()
    const [a1, a2] = (await view(id)).plans[0].actions
    await respond(id, p.id, a1.id, done)
    await respond(id, p.id, a2.id, { outcome: 'more_time', proposedDate: inDays(30), details: 'Witness abroad' })
    const closed = await review(id, p.id, {
      outcome: 'close',
      progress: 'Download reviewed',
      stillNeeded: 'Nothing more from the police',
      closeReason: 'Decide on the file as it stands',
    })
    expect(closed.statusCode).toBe(201)
    expect(closed.json()).toMatchObject({ planState: 'closed', moved: [] })
    const rows = await clocks(id)
    const states = (kind: string) => rows.filter((c) => c.kind === kind).map((c) => c.state)
    expect(states('action_target')).toEqual(['met', 'cancelled'])
    expect(states('more_time_decision')).toEqual(['cancelled'])
    expect(states('admin_finalise_wait')).toEqual(['cancelled'])
    expect(states('action_plan_review')).toEqual(['met'])
    // Both charging clocks start at the same (test) instant, so their order is not fixed.
    expect(states('charging_decision').sort()).toEqual(['met', 'open'])
    expect(await stage(id)).toBe('with_cps')
    const [referral] = await t.db.query<{ state: string }>('SELECT state FROM charging_referrals WHERE id = $1', [referralId])
    expect(referral.state).toBe('accepted')
    const plan = (await view(id, 'oic.north')).plans[0]
    expect(plan).toMatchObject({ state: { code: 'closed', label: 'Closed at a review' } })
    expect(plan.reviews[0]).toMatchObject({ closeReason: 'Decide on the file as it stands', nextReviewDate: null })
    expect(plan.actions[1].moreTime[0].decision).toBe('withdrawn')
    const late = await respond(id, p.id, a2.id, done)
    expect(late.statusCode).toBe(409)
    expect(late.json().title).toMatch(/closed at a review/)
    expect((await review(id, p.id, next('2026-12-14'))).statusCode).toBe(409)
    // The plan is over: the next one is a further plan after a Full Code Test submission.
    expect((await issue(id)).json().code).toBe('dcp_approval_needed')
    const page = await (await signedIn(t, 'prosecutor')).get(`/cases/${id}/action-plans`)
    expect(page.body).toContain('needs a District Crown Prosecutor’s approval before it can be issued')
    expect(page.body).not.toContain('Review action plan')
    expect(page.body).toContain('Decide on the file as it stands')
  })

  test('the page: linked for the reviewing prosecutor only; errors in the summary; a moved date said on the plans page; police see the review', async () => {
    const { id } = await referredCase()
    const p = (await issue(id)).json()
    const cps = await signedIn(t, 'prosecutor')
    const form = `/cases/${id}/action-plans/${p.id}/review`
    expect((await cps.get(`/cases/${id}/action-plans`)).body).toContain(`href="${form}"`)
    for (const u of ['oic.north', 'prosecutor.two']) {
      const b = await signedIn(t, u)
      expect((await b.get(`/cases/${id}/action-plans`)).body).not.toContain(`href="${form}"`)
      expect((await b.get(form)).statusCode).toBe(403)
    }
    expect((await cps.get(form)).statusCode).toBe(200)
    const bad = await cps.post(form, { progress: 'Some', stillNeeded: '' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('govuk-error-summary')
    expect(bad.body).toContain('Enter what is still needed')
    expect(bad.body).toContain('Select whether to set the next review date or close the plan')
    const ok = await cps.post(form, {
      progress: 'Phone download received',
      stillNeeded: 'Statement from the witness',
      outcome: 'next_review',
      ...dateForm('nextReviewDate', '2026-12-12'),
    })
    expect(ok.statusCode).toBe(303)
    const shown = await cps.get(ok.headers.location as string)
    expect(shown.body).toContain('Your review of the action plan has been recorded')
    expect(shown.body).toContain(
      'Next review date moved from Saturday 12 December 2026 to Monday 14 December 2026: it fell on a weekend',
    )
    const police = await (await signedIn(t, 'oic.north')).get(`/cases/${id}/action-plans`)
    expect(police.body).toContain('Statement from the witness')
    expect(police.body).toContain('Phone download received')
  })
})

describe('dates people must act by fall on working days', () => {
  test('a target on a Saturday and a review on Christmas Day move on, are stored moved, and the API says so', async () => {
    const { id } = await referredCase()
    const res = await issue(id, {
      actions: [{ description: 'Obtain CCTV', ownerId: t.demo.users['oic.north'], targetDate: '2026-11-21' }],
      reviewDate: '2026-12-25',
    })
    expect(res.statusCode).toBe(201)
    expect(res.json().moved).toEqual([
      {
        field: 'actions.0.targetDate',
        from: '2026-11-21',
        to: '2026-11-23',
        message: 'Action 1 target date moved from Saturday 21 November 2026 to Monday 23 November 2026: it fell on a weekend',
      },
      {
        field: 'reviewDate',
        from: '2026-12-25',
        to: '2026-12-29',
        message:
          'Review date moved from Friday 25 December 2026 to Tuesday 29 December 2026: it fell on a bank holiday (Christmas Day)',
      },
    ])
    const plan = (await view(id)).plans[0]
    expect(plan).toMatchObject({ reviewDate: '2026-12-29' })
    expect(plan.actions[0]).toMatchObject({ targetDate: '2026-11-23', originalTargetDate: '2026-11-23' })
    expect((await clocks(id, 'action_target'))[0].due_at.toISOString()).toBe('2026-11-23T23:59:59.999Z')
    expect((await clocks(id, 'action_plan_review'))[0].due_at.toISOString()).toBe('2026-12-29T23:59:59.999Z')
    // A working day is taken as given.
    const { id: other } = await referredCase()
    expect((await issue(other)).json().moved).toEqual([])
  })

  test('the plan form moves a weekend target and the plans page says so', async () => {
    const { id } = await referredCase()
    const cps = await signedIn(t, 'prosecutor')
    const ok = await cps.post(`/cases/${id}/action-plans`, {
      rows: '1',
      action1Description: 'Obtain CCTV',
      action1Owner: t.demo.users['oic.north'],
      ...dateForm('action1Target', '2026-12-05'),
      ...dateForm('reviewDate', '2026-12-09'),
    })
    expect(ok.statusCode).toBe(303)
    const shown = await cps.get(ok.headers.location as string)
    expect(shown.body).toContain('Dates moved to the next working day')
    expect(shown.body).toContain(
      'Action 1 target date moved from Saturday 5 December 2026 to Monday 7 December 2026: it fell on a weekend',
    )
    expect(shown.body).not.toContain('Review date moved')
    // A tampered address shows nothing it cannot work out from a field and a date.
    const odd = await cps.get(`/cases/${id}/action-plans?moved=${encodeURIComponent('<b>x</b>:2026-12-05,reviewDate:nope')}`)
    expect(odd.statusCode).toBe(200)
    expect(odd.body).not.toContain('Dates moved to the next working day')
  })
})
