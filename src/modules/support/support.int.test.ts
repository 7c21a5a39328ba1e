import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
let police: string
let isva: string
beforeAll(async () => {
  t = await startTestApp()
  police = await t.token('oic.north')
  isva = await t.token('isva')
})
afterAll(() => t.close())

const call = (as: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  api(t, as, { method, url: `/api/v1${url}`, payload: payload as object })
const newCase = async () => (await call(police, 'POST', '/cases', t.caseInput('oic.north'))).json().id as string
const refer = (id: string, shared: string[], over: Record<string, unknown> = {}) =>
  call(police, 'POST', `/cases/${id}/support/referrals`, {
    serviceId: t.demo.orgs.isva,
    kind: 'isva',
    consentGiven: true,
    consentRecordedOn: '2026-10-05',
    shared,
    ...over,
  })
const victim = {
  firstName: 'Robin',
  lastName: 'Testcase',
  dateOfBirth: '1990-01-01',
  phone: '07700 900123',
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
}

describe('referral with consent', () => {
  test('a referral needs the victim’s consent, a real service and a past date; nothing is written otherwise', async () => {
    const id = await newCase()
    const before = await count(t.db, 'support_referrals')
    const noConsent = await refer(id, [], { consentGiven: false })
    expect(noConsent.statusCode).toBe(400)
    expect(noConsent.json().errors[0]).toMatchObject({ field: 'consentGiven', message: expect.stringContaining('consent') })
    expect((await refer(id, [], { serviceId: t.demo.orgs.north })).json().errors[0].field).toBe('serviceId')
    expect((await refer(id, [], { consentRecordedOn: '2026-12-01' })).json().errors[0].field).toBe('consentRecordedOn')
    expect(await count(t.db, 'support_referrals')).toBe(before)
  })

  test('a referral is a disclosure to the service, audited with the recipient and what is shared', async () => {
    const id = await newCase()
    expect((await refer(id, ['victim_details'])).statusCode).toBe(201)
    const [row] = await t.db.query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_log WHERE case_id = $1 AND action = 'case.disclosed'",
      [id],
    )
    expect(row.details).toMatchObject({ recipient: t.demo.orgs.isva, shared: ['case_summary', 'victim_details'] })
    expect((await refer(id, ['outcome'])).json().errors[0].message).toContain('already referred')
  })
})

describe('what an ISVA sees', () => {
  test('only cases their service is engaged on, and only the consented parts', async () => {
    const unreferred = await newCase()
    const id = await newCase()
    expect((await call(police, 'PUT', `/cases/${id}/victim`, victim)).statusCode).toBe(200)
    expect((await call(police, 'POST', `/cases/${id}/suspects`, { status: 'not_identified' })).statusCode).toBe(201)
    await refer(id, ['victim_details'])

    expect((await call(isva, 'GET', `/cases/${unreferred}`)).statusCode).toBe(404)
    const list = (await call(isva, 'GET', '/cases')).json()
    const listed = list.cases.map((c: { id: string }) => c.id)
    expect(listed).toContain(id)
    expect(listed).not.toContain(unreferred)

    const c = (await call(isva, 'GET', `/cases/${id}`)).json()
    const types = c.timeline.map((e: { type: string }) => e.type)
    expect(types).toContain('support.referred')
    expect(types).toContain('victim.recorded')
    expect(types.some((type: string) => type.startsWith('suspect.'))).toBe(false)

    expect((await call(isva, 'GET', `/cases/${id}/victim`)).json().victim).toMatchObject({ firstName: 'Robin' })
    expect((await call(isva, 'GET', `/cases/${id}/suspects`)).statusCode).toBe(404)
    const outcome = await call(isva, 'GET', `/cases/${id}/outcome`)
    expect(outcome.statusCode).toBe(403)
    expect(outcome.json().title).toBe(
      'The victim has not agreed to share decisions and the outcome of the case with their support service',
    )
  })

  test('an ISVA cannot change the record or make referrals', async () => {
    const id = await newCase()
    await refer(id, ['victim_details', 'outcome'])
    expect((await call(isva, 'PUT', `/cases/${id}/victim`, victim)).statusCode).toBe(403)
    expect((await call(isva, 'POST', `/cases/${id}/support/referrals`, {})).statusCode).toBe(400) // bad body first, nothing learnt
    const referByIsva = await call(isva, 'POST', `/cases/${id}/support/referrals`, {
      serviceId: t.demo.orgs.isva,
      kind: 'isva',
      consentGiven: true,
      consentRecordedOn: '2026-10-05',
    })
    expect(referByIsva.statusCode).toBe(403)
    expect((await call(isva, 'POST', `/cases/${id}/outcome`, { code: '18', finalisedOn: '2026-11-01' })).statusCode).toBe(403)
  })

  test('ending the referral ends the ISVA’s access', async () => {
    const id = await newCase()
    const { id: referralId } = (await refer(id, [])).json()
    expect((await call(isva, 'GET', `/cases/${id}`)).statusCode).toBe(200)
    const b = await signedIn(t, 'oic.north')
    const res = await b.post(`/cases/${id}/support/referrals/${referralId}/end`, { reason: 'Victim asked to stop' })
    expect(res.statusCode).toBe(303)
    expect((await call(isva, 'GET', `/cases/${id}`)).statusCode).toBe(404)
  })
})

describe('support at every stage', () => {
  test('offers are recorded with the stage the case was at', async () => {
    const id = await newCase()
    await call(police, 'POST', `/cases/${id}/support/offers`, { offeredOn: '2026-10-02', support: 'isva', accepted: true })
    await t.db.transaction(async (tx) => {
      const { markReferred } = await import('../cases/queries.ts')
      await markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    })
    await call(police, 'POST', `/cases/${id}/support/offers`, {
      offeredOn: '2026-10-20',
      support: 'counselling',
      accepted: false,
    })
    const offers = (await call(police, 'GET', `/cases/${id}/support`)).json().offers
    expect(
      offers.map((o: { stage: { code: string }; support: { code: string }; accepted: boolean }) => [
        o.stage.code,
        o.support.code,
        o.accepted,
      ]),
    ).toEqual([
      ['reported', 'isva', true],
      ['with_cps', 'counselling', false],
    ])
  })

  test('the support page refers from the browser and keeps answers on error', async () => {
    const id = await newCase()
    const b = await signedIn(t, 'oic.north')
    const bad = await b.post(`/cases/${id}/support/referrals`, { serviceId: t.demo.orgs.isva, kind: 'isva', shared: 'outcome' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('A referral needs the victim’s consent')
    expect(bad.body).toMatch(/value="outcome" checked/)
    const ok = await b.post(`/cases/${id}/support/referrals`, {
      serviceId: t.demo.orgs.isva,
      kind: 'isva',
      consentGiven: 'yes',
      'consentRecordedOn-day': '5',
      'consentRecordedOn-month': '10',
      'consentRecordedOn-year': '2026',
      shared: ['victim_details'],
    })
    expect(ok.statusCode).toBe(303)
    const page = await b.get(`/cases/${id}/support`)
    expect(page.body).toContain('Vale Sexual Violence Support')
    expect(page.body).toContain('their own contact details, needs and adjustments')
  })
})
