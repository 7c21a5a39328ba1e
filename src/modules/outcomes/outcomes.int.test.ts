import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  token = await t.token('oic.north')
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, as = token) =>
  api(t, as, { method, url, payload: payload as object })
const newCase = async () => (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
const finalise = (id: string, body: Record<string, unknown>) =>
  call('POST', `/api/v1/cases/${id}/outcome`, { finalisedOn: '2026-11-01', ...body })
const withdraw = (id: string) =>
  call('POST', `/api/v1/cases/${id}/withdrawals`, {
    withdrawnOn: '2026-10-20',
    everSupported: true,
    reasons: ['fear_of_court'],
    retractionStatementTaken: false,
  })

const identifiedSuspect = async (id: string) => {
  const res = await call('POST', `/api/v1/cases/${id}/suspects`, {
    status: 'identified',
    firstName: 'Sam',
    lastName: 'Invented',
    effectiveDate: '2026-10-02',
  })
  expect(res.statusCode).toBe(201)
}

async function refusedWithNothingWritten(id: string, body: Record<string, unknown>, field: string, message: RegExp) {
  const before = [await count(t.db, 'case_outcomes'), await count(t.db, 'case_events')]
  const res = await finalise(id, body)
  expect(res.statusCode).toBe(400)
  const error = res.json().errors.find((e: { field: string }) => e.field === field)
  expect(error?.message).toMatch(message)
  expect([await count(t.db, 'case_outcomes'), await count(t.db, 'case_events')]).toEqual(before)
}

describe('outcome rules', () => {
  test('14 and 16 are refused without a recorded withdrawal, and accepted with one', async () => {
    for (const code of ['14', '16']) {
      const id = await newCase()
      if (code === '16') await identifiedSuspect(id)
      await refusedWithNothingWritten(id, { code }, 'code', new RegExp(`Outcome ${code} needs the victim’s withdrawal`))
      expect((await withdraw(id)).statusCode).toBe(201)
      expect((await finalise(id, { code })).statusCode).toBe(201)
      const c = (await call('GET', `/api/v1/cases/${id}`)).json()
      expect(c.stage.code).toBe('no_further_action')
    }
  })

  test('14 is refused once a suspect is identified; 16 without one', async () => {
    const withSuspect = await newCase()
    await identifiedSuspect(withSuspect)
    await withdraw(withSuspect)
    await refusedWithNothingWritten(withSuspect, { code: '14' }, 'code', /Outcome 14 is for a suspect not identified/)
    const without = await newCase()
    await withdraw(without)
    await refusedWithNothingWritten(without, { code: '16' }, 'code', /Outcome 16 needs an identified suspect/)
  })

  test('a withdrawal followed by re-engagement no longer supports 16', async () => {
    const id = await newCase()
    await identifiedSuspect(id)
    await withdraw(id)
    expect((await call('POST', `/api/v1/cases/${id}/withdrawals/reengagement`, { reengagedOn: '2026-10-25' })).statusCode).toBe(
      200,
    )
    await refusedWithNothingWritten(id, { code: '16' }, 'code', /withdrawal/)
  })

  test('15 records whether police or CPS decided', async () => {
    const id = await newCase()
    await refusedWithNothingWritten(id, { code: '15' }, 'decidedBy', /police or the CPS/)
    expect((await finalise(id, { code: '15', decidedBy: 'cps' })).statusCode).toBe(201)
    expect((await call('GET', `/api/v1/cases/${id}/outcome`)).json().current).toMatchObject({ code: '15', decidedBy: 'cps' })
  })

  test('21 needs a rationale and a record that the victim was told', async () => {
    const id = await newCase()
    await refusedWithNothingWritten(id, { code: '21' }, 'rationale', /rationale/)
    await refusedWithNothingWritten(
      id,
      { code: '21', rationale: 'Not in the public interest because…' },
      'victimToldOn',
      /victim was told/,
    )
    const ok = await finalise(id, {
      code: '21',
      rationale: 'Not in the public interest because…',
      victimToldOn: '2026-11-01',
      victimToldHow: 'In person by the officer in charge, with their ISVA present',
    })
    expect(ok.statusCode).toBe(201)
  })

  test('an unknown code is refused by the schema', async () => {
    const id = await newCase()
    await refusedWithNothingWritten(id, { code: '99' }, 'code', /Select the outcome/)
  })

  test('charging finalises as charged; a finalised case cannot be finalised again', async () => {
    const id = await newCase()
    expect((await finalise(id, { code: '1' })).statusCode).toBe(201)
    expect((await call('GET', `/api/v1/cases/${id}`)).json().stage.code).toBe('charged')
    const again = await finalise(id, { code: '18' })
    expect(again.statusCode).toBe(409)
    expect(again.json().title).toContain('already finalised')
  })
})

describe('reopening', () => {
  test('a finalised case is reopened with a reason, keeps its old outcome as history, and returns to investigation', async () => {
    const id = await newCase()
    await finalise(id, { code: '18' })
    const noReason = await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: ' ' })
    expect(noReason.statusCode).toBe(400)
    expect((await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'New forensic result' })).statusCode).toBe(200)
    const outcome = (await call('GET', `/api/v1/cases/${id}/outcome`)).json()
    expect(outcome.current).toBeNull()
    expect(outcome.history).toHaveLength(1)
    expect(outcome.history[0]).toMatchObject({ code: '18', reopenReason: 'New forensic result' })
    const c = (await call('GET', `/api/v1/cases/${id}`)).json()
    expect(c.stage.code).toBe('investigation')
    expect(c.timeline.map((e: { type: string }) => e.type).slice(0, 2)).toEqual(['case.reopened', 'case.finalised'])
    expect((await finalise(id, { code: '1' })).statusCode).toBe(201)
  })

  test('a case that is not finalised cannot be reopened', async () => {
    const id = await newCase()
    expect((await call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'x' })).statusCode).toBe(409)
  })
})

describe('who may finalise', () => {
  test('only the investigating force: the CPS may see the outcome but not record it; other forces get 404', async () => {
    const id = await newCase()
    await t.db.transaction(async (tx) => {
      const { markReferred } = await import('../cases/queries.ts')
      await markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    })
    const prosecutor = await t.token('prosecutor')
    expect((await call('GET', `/api/v1/cases/${id}/outcome`, undefined, prosecutor)).statusCode).toBe(200)
    expect(
      (
        await finalise(id, { code: '18' }).then(() =>
          call('POST', `/api/v1/cases/${id}/outcome/reopen`, { reason: 'x' }, prosecutor),
        )
      ).statusCode,
    ).toBe(403)
    expect((await call('GET', `/api/v1/cases/${id}/outcome`, undefined, await t.token('oic.south'))).statusCode).toBe(404)
  })

  test('the outcome page works in the browser with the GOV.UK error summary', async () => {
    const id = await newCase()
    const b = await signedIn(t, 'oic.north')
    const res = await b.post(`/cases/${id}/outcome`, {
      code: '21',
      'finalisedOn-day': '1',
      'finalisedOn-month': '11',
      'finalisedOn-year': '2026',
    })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Outcome 21 needs the rationale for the decision')
    expect(res.body).toMatch(/value="21" selected/)
  })
})
