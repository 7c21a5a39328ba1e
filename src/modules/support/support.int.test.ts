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

describe('a case file with two victims: each victim’s support is their own', () => {
  test('referrals, offers and wishes belong to one victim, and an ISVA supporting one is told nothing of the other', async () => {
    const { saveVictimDetails } = await import('../victims/service.ts')
    const id = await newCase()
    const a = (await call(police, 'PUT', `/cases/${id}/victim`, victim)).json().victim.id as string
    const b = (
      await saveVictimDetails(
        await t.ctx('oic.north'),
        id,
        { ...victim, firstName: 'Quentin', lastName: 'Secondvictim', phone: '07700 900456' },
        { another: true },
      )
    ).id
    const [{ id: harbour }] = await t.db.query<{ id: string }>(
      "INSERT INTO organisations (kind, name) VALUES ('support_service', 'Harbour Test Support') RETURNING id",
    )
    const under = (v: string) => `/cases/${id}/victims/${v}/support`
    const referTo = (v: string, serviceId: string, shared: string[], kind = 'isva') =>
      call(police, 'POST', `${under(v)}/referrals`, {
        serviceId,
        kind,
        consentGiven: true,
        consentRecordedOn: '2026-10-05',
        shared,
      })

    // The old address serves the case's one victim: police, who know of two, are asked which.
    const several = await call(police, 'GET', `/cases/${id}/support`)
    expect(several.statusCode).toBe(409)
    expect(several.json().code).toBe('several_victims')
    expect((await call(police, 'POST', `/cases/${id}/support/referrals`, {})).statusCode).toBe(400) // bad body first
    const officer = await signedIn(t, 'oic.north')
    const chooser = await officer.get(`/cases/${id}/support`)
    expect(chooser.statusCode).toBe(200)
    expect(chooser.body).toContain('Which victim?')
    expect(chooser.body).toContain(`href="${under(a)}"`)
    expect(chooser.body).toContain(`href="${under(b)}"`)
    const pageOfA = await officer.get(under(a))
    expect(pageOfA.body).toContain('Robin Testcase')
    expect(pageOfA.body).toContain(`action="${under(a)}/referrals"`)

    // One active referral per victim and service: A's referral to a service does not stand in B's way.
    const referralA = (await referTo(a, t.demo.orgs.isva, ['victim_details', 'outcome'])).json().id as string
    expect((await referTo(a, t.demo.orgs.isva, [])).json().errors[0].message).toContain('already referred')
    const referralB = (await referTo(b, harbour, ['victim_details'])).json().id as string
    expect((await referTo(b, t.demo.orgs.isva, [], 'sarc')).statusCode).toBe(201)
    const supportOf = async (as: string, v: string) => (await call(as, 'GET', under(v))).json()
    expect((await supportOf(police, a)).referrals.map((r: { id: string; victimId: string }) => [r.id, r.victimId])).toEqual([
      [referralA, a],
    ])
    expect((await supportOf(police, b)).referrals.map((r: { victimId: string }) => r.victimId)).toEqual([b, b])
    const [referred] = await t.db.query<{ data: { victimId: string } }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'support.referred' ORDER BY occurred_at, id LIMIT 1",
      [id],
    )
    expect(referred.data.victimId).toBe(a)

    // The ISVA of A's service: B's section is not there, on the API or the page.
    expect((await call(isva, 'GET', under(b))).statusCode).toBe(404)
    expect((await call(isva, 'POST', `${under(b)}/wishes`, { wish: 'stop' })).statusCode).toBe(404)
    const isvaBrowser = await signedIn(t, 'isva')
    expect((await isvaBrowser.get(under(b))).statusCode).toBe(404)
    // The old address is A's for them, and nothing on it names B.
    const own = await call(isva, 'GET', `/cases/${id}/support`)
    expect(own.statusCode).toBe(200)
    expect(own.json().referrals.map((r: { id: string }) => r.id)).toEqual([referralA])
    const page = await isvaBrowser.get(`/cases/${id}/support`)
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Which victim?')
    expect(page.body).not.toContain('Secondvictim')
    expect(page.body).not.toContain('Harbour Test Support')
    expect(page.body).toContain(`action="${under(a)}/wishes"`)

    // The ISVA's own records go to A.
    const wish = await call(isva, 'POST', `/cases/${id}/support/wishes`, { wish: 'stop' })
    expect(wish.statusCode).toBe(201)
    expect(
      (
        await call(isva, 'POST', `/cases/${id}/support/offers`, {
          offeredOn: '2026-11-01',
          support: 'counselling',
          accepted: true,
        })
      ).statusCode,
    ).toBe(201)
    expect((await call(isva, 'POST', `/cases/${id}/support/referrals/${referralA}/isva`)).statusCode).toBe(200)
    const [held] = await t.db.query<{ wish: string | null; offer: string | null }>(
      `SELECT (SELECT victim_id FROM victim_wishes WHERE case_id = $1) AS wish,
              (SELECT victim_id FROM support_offers WHERE case_id = $1) AS offer`,
      [id],
    )
    expect(held).toEqual({ wish: a, offer: a })
    expect((await supportOf(police, b)).wishes).toEqual([])
    expect((await supportOf(police, b)).offers).toEqual([])
    const { isvas } = (await call(police, 'GET', `/cases/${id}`)).json()
    expect(isvas).toMatchObject([{ service: 'Vale Sexual Violence Support', victimId: a, victimName: 'Robin Testcase' }])

    // A referral or wish is found only under its own victim.
    const wishId = wish.json().id as string
    expect((await call(police, 'POST', `${under(b)}/wishes/${wishId}/acted-on`)).statusCode).toBe(404)
    expect((await call(police, 'POST', `${under(a)}/wishes/${wishId}/acted-on`)).statusCode).toBe(200)
    const consent = (v: string, referralId: string, shared: string[]) =>
      call(police, 'PUT', `${under(v)}/referrals/${referralId}/consent`, { consentRecordedOn: '2026-11-01', shared })
    expect((await consent(b, referralA, [])).statusCode).toBe(404)
    expect((await isvaBrowser.post(`${under(b)}/referrals/${referralB}/isva`, {})).statusCode).toBe(404)

    // Narrowing A's consent leaves B's as it was; bad input changes nothing.
    const before = await count(t.db, 'support_referrals')
    expect((await call(police, 'POST', `${under(a)}/referrals`, { serviceId: harbour, kind: 'isva' })).statusCode).toBe(400)
    expect((await consent(a, referralA, ['outcome', 'nonsense'])).statusCode).toBe(400)
    expect(await count(t.db, 'support_referrals')).toBe(before)
    expect((await call(isva, 'GET', `/cases/${id}/victim`)).statusCode).toBe(200)
    expect((await consent(a, referralA, ['outcome'])).statusCode).toBe(200)
    expect((await call(isva, 'GET', `/cases/${id}/victim`)).statusCode).toBe(403)
    const shared = async (v: string) =>
      (await supportOf(police, v)).referrals.map((r: { shared: { code: string }[] }) => r.shared.map((p) => p.code))
    expect(await shared(a)).toEqual([['case_summary', 'outcome']])
    expect(await shared(b)).toEqual([['case_summary', 'victim_details'], ['case_summary']])
  })
})
