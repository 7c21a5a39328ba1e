import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  token = await t.token('oic.north')
})
afterAll(() => t.close())

const newCase = async () =>
  (await api(t, token, { method: 'POST', url: '/api/v1/cases', payload: t.caseInput('oic.north') })).json().id as string
const withdraw = (id: string, body: Record<string, unknown>, as = token) =>
  api(t, as, { method: 'POST', url: `/api/v1/cases/${id}/withdrawals`, payload: body })
const valid = { withdrawnOn: '2026-10-20', reasons: ['digital_downloads', 'delay'], details: '', retractionStatementTaken: true }

test('a withdrawal records the stage of the case at that moment, the reasons and the retraction statement', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  expect((await withdraw(id, valid)).statusCode).toBe(201)
  const view = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/withdrawals` })).json()
  expect(view.withdrawn).toBe(true)
  expect(view.withdrawals[0]).toMatchObject({
    stage: { code: 'with_cps', label: 'With CPS for decision' },
    withdrawnOn: '2026-10-20',
    retractionStatementTaken: true,
    recordedBy: 'DC Sam Okafor',
    reengagedOn: null,
  })
  expect(view.withdrawals[0].reasons.map((r: { code: string }) => r.code)).toEqual(['digital_downloads', 'delay'])
  const [event] = await t.db.query<{ data: Record<string, unknown> }>(
    "SELECT data FROM case_events WHERE case_id = $1 AND type = 'withdrawal.recorded'",
    [id],
  )
  expect(event.data).toMatchObject({ stage: 'with_cps', reasons: ['digital_downloads', 'delay'] })
})

test('bad withdrawals are refused with the rule named, and nothing is written', async () => {
  const id = await newCase()
  const before = [await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ ...valid, reasons: [] }, 'reasons', /Select at least one reason/],
    [{ ...valid, reasons: ['other'] }, 'details', /Give details of the other reason/],
    [{ ...valid, withdrawnOn: '2026-12-01' }, 'withdrawnOn', /today or in the past/],
    [{ ...valid, retractionStatementTaken: undefined }, 'retractionStatementTaken', /retraction statement/],
  ]
  for (const [body, field, message] of cases) {
    const res = await withdraw(id, body)
    expect(res.statusCode).toBe(400)
    expect(res.json().errors.find((e: { field: string }) => e.field === field)?.message).toMatch(message)
  }
  expect([await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]).toEqual(before)
})

test('a second withdrawal needs re-engagement first; re-engagement must follow the withdrawal', async () => {
  const id = await newCase()
  await withdraw(id, valid)
  expect((await withdraw(id, valid)).statusCode).toBe(409)
  const reengage = (reengagedOn: string) =>
    api(t, token, {
      method: 'POST',
      url: `/api/v1/cases/${id}/withdrawals/reengagement`,
      payload: { reengagedOn, note: 'Ready to continue' },
    })
  expect((await reengage('2026-10-19')).statusCode).toBe(400)
  expect((await reengage('2026-10-28')).statusCode).toBe(200)
  expect((await reengage('2026-10-29')).statusCode).toBe(409)
  expect((await withdraw(id, { ...valid, withdrawnOn: '2026-10-30' })).statusCode).toBe(201)
  const view = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/withdrawals` })).json()
  expect(
    view.withdrawals.map((w: { withdrawnOn: string; reengagedOn: string | null }) => [w.withdrawnOn, w.reengagedOn]),
  ).toEqual([
    ['2026-10-30', null],
    ['2026-10-20', '2026-10-28'],
  ])
})

test('the CPS may record a withdrawal on a referred case; another force cannot see the case', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  expect((await withdraw(id, valid, await t.token('prosecutor'))).statusCode).toBe(201)
  expect((await withdraw(id, valid, await t.token('oic.south'))).statusCode).toBe(404)
})

test('the withdrawal page records a withdrawal from the browser and shows it', async () => {
  const id = await newCase()
  const b = await signedIn(t, 'oic.north')
  const empty = await b.post(`/cases/${id}/withdrawal`, {})
  expect(empty.statusCode).toBe(400)
  expect(empty.body).toContain('Select at least one reason')
  expect(empty.body).toContain('href="#withdrawnOn-day"')
  const res = await b.post(`/cases/${id}/withdrawal`, {
    'withdrawnOn-day': '20',
    'withdrawnOn-month': '10',
    'withdrawnOn-year': '2026',
    reasons: ['fear_of_court', 'other'],
    details: 'Worried about the trial date',
    retractionStatementTaken: 'no',
  })
  expect(res.statusCode).toBe(303)
  const page = await b.get(`/cases/${id}/withdrawal`)
  expect(page.body).toContain('Withdrew support on 20 October 2026')
  expect(page.body).toContain('Fear of giving evidence or of court')
  expect(page.body).toContain('Worried about the trial date')
  expect(page.body).toContain('Record re-engagement')
})
