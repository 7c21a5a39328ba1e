import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sweepAll } from '../../platform/deadlines/sweeper.ts'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

/**
 * ISVAs are independent of police and CPS and never part of the evidence (issue 9): they see
 * no withdrawal, no suspect and no reasons for a decision; they record their own work with the
 * victim and pass on the victim's wishes as a task for the officer, never as a withdrawal.
 */
let t: TestApp
let police: string
let supervisor: string
let isva: string
beforeAll(async () => {
  t = await startTestApp()
  police = await t.token('oic.north')
  supervisor = await t.token('supervisor.north')
  isva = await t.token('isva')
})
afterAll(() => t.close())

const call = (as: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  api(t, as, { method, url: `/api/v1${url}`, payload: payload as object })
const newCase = async () => (await call(police, 'POST', '/cases', t.caseInput('oic.north'))).json().id as string
const refer = async (id: string, shared: string[], kind = 'isva') => {
  const res = await call(police, 'POST', `/cases/${id}/support/referrals`, {
    serviceId: t.demo.orgs.isva,
    kind,
    consentGiven: true,
    consentRecordedOn: '2026-10-05',
    shared,
  })
  expect(res.statusCode).toBe(201)
  return res.json().id as string
}
const withdrawal = {
  withdrawnOn: '2026-10-20',
  everSupported: true,
  reasons: ['fear_of_court'],
  details: 'SECRET-WITHDRAWAL-DETAIL',
  retractionStatementTaken: false,
}

describe('what an ISVA never sees', () => {
  test('withdrawal records are not there for an ISVA, whatever the victim shared, and the timeline leaves them out', async () => {
    const id = await newCase()
    await refer(id, ['victim_details', 'communication_plan', 'outcome'])
    expect((await call(police, 'POST', `/cases/${id}/withdrawals`, withdrawal)).statusCode).toBe(201)
    expect((await call(isva, 'GET', `/cases/${id}/withdrawals`)).statusCode).toBe(404)
    const timeline = (await call(isva, 'GET', `/cases/${id}`)).json().timeline.map((e: { type: string }) => e.type)
    expect(timeline.some((type: string) => type.startsWith('withdrawal.'))).toBe(false)
    expect(timeline).toContain('support.referred')
  })

  test('with the victim’s "outcome" consent the ISVA learns what was decided and when, never why or who authorised it', async () => {
    const id = await newCase()
    await refer(id, ['outcome'])
    const res = await call(supervisor, 'POST', `/cases/${id}/outcome`, {
      code: '18',
      finalisedOn: '2026-11-01',
      rationale: 'SECRET-EVIDENTIAL-REASONING',
    })
    expect(res.statusCode).toBe(201)
    const seen = await call(isva, 'GET', `/cases/${id}/outcome`)
    // Which of the case file's crimes, by its reference, and the plain words: nothing else.
    expect(seen.json()).toEqual({
      crime: { id: expect.any(String), crimeReference: expect.any(String) },
      plain: [{ decided: 'The investigation ended without a suspect being identified', decidedOn: '2026-11-01', inForce: true }],
    })
    expect(seen.body).not.toContain('SECRET')
  })

  test('an ISVA asking to record a withdrawal is refused with the way forward, and nothing is written', async () => {
    const id = await newCase()
    await refer(id, ['victim_details'])
    const before = await count(t.db, 'withdrawals')
    const res = await call(isva, 'POST', `/cases/${id}/withdrawals`, withdrawal)
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('isva_independent')
    expect(res.json().title).toBe(
      'ISVAs are independent of the investigation and never record a withdrawal: pass on the victim’s wish to the officer in charge from the support page',
    )
    expect(await count(t.db, 'withdrawals')).toBe(before)
  })

  test('a SARC referral is a referral, not access to the case', async () => {
    const id = await newCase()
    await refer(id, ['victim_details'], 'sarc')
    expect((await call(isva, 'GET', `/cases/${id}`)).statusCode).toBe(404)
    const listed = (await call(isva, 'GET', '/cases')).json().cases.map((c: { id: string }) => c.id)
    expect(listed).not.toContain(id)
  })
})

describe('the ISVA’s own work', () => {
  test('the victim’s wish to stop is passed on as a task for the officer in charge, due in a working day, not a withdrawal', async () => {
    const id = await newCase()
    await refer(id, [])
    const before = await count(t.db, 'withdrawals')
    const res = await call(isva, 'POST', `/cases/${id}/support/wishes`, { wish: 'stop', message: 'Please call after 6pm' })
    expect(res.statusCode).toBe(201)
    const wishId = res.json().id
    expect(await count(t.db, 'withdrawals')).toBe(before)
    const [clock] = await t.db.query<{ state: string; owner_id: string; due_at: Date }>(
      "SELECT state, owner_id, due_at FROM deadlines WHERE kind = 'victim_wish' AND subject_id = $1",
      [wishId],
    )
    // Passed on on Monday 2 November 2026: due by the end of Tuesday.
    expect(clock).toMatchObject({ state: 'open', owner_id: t.demo.users['oic.north'] })
    expect(clock.due_at.toISOString()).toBe('2026-11-03T23:59:59.999Z')
    const support = (await call(police, 'GET', `/cases/${id}/support`)).json()
    expect(support.wishes).toMatchObject([{ wish: 'stop', message: 'Please call after 6pm', acknowledgedAt: null }])

    // Only an ISVA passes wishes on; the officer acts on it.
    expect((await call(police, 'POST', `/cases/${id}/support/wishes`, { wish: 'stop' })).statusCode).toBe(403)
    expect((await call(isva, 'POST', `/cases/${id}/support/wishes/${wishId}/acted-on`)).statusCode).toBe(403)
    expect((await call(police, 'POST', `/cases/${id}/support/wishes/${wishId}/acted-on`)).statusCode).toBe(200)
    expect((await call(police, 'POST', `/cases/${id}/support/wishes/${wishId}/acted-on`)).statusCode).toBe(409)
    const [closed] = await t.db.query<{ state: string }>('SELECT state FROM deadlines WHERE subject_id = $1', [wishId])
    expect(closed.state).toBe('met')
  })

  test('a wish nobody acts on is chased: the case’s supervisor hears once the working day has passed', async () => {
    const id = await newCase()
    await refer(id, [])
    await call(isva, 'POST', `/cases/${id}/support/wishes`, { wish: 'reengage' })
    const { urn } = (await call(police, 'GET', `/cases/${id}`)).json()
    const chased = async (as: string) =>
      (await call(as, 'GET', '/queue?scope=mine'))
        .json()
        .items.find((i: { kind: string; urn: string }) => i.kind === 'victim_wish' && i.urn === urn)
    expect(await chased(police)).toBeDefined()
    expect(await chased(supervisor)).toBeUndefined()
    try {
      t.clock.set('2026-11-04T09:00:00Z')
      await sweepAll(t.db, t.clock.now())
      expect(await chased(supervisor)).toMatchObject({ group: 'overdue', escalationLevel: 1 })
    } finally {
      t.clock.set('2026-11-02T10:00:00Z')
    }
  })

  test('an ISVA names themselves on the referral, and police and CPS see their direct phone and email on the case', async () => {
    const id = await newCase()
    const referralId = await refer(id, [])
    expect((await call(police, 'GET', `/cases/${id}`)).json().isvas).toEqual([])
    expect((await call(police, 'POST', `/cases/${id}/support/referrals/${referralId}/isva`)).statusCode).toBe(403)
    expect((await call(isva, 'POST', `/cases/${id}/support/referrals/${referralId}/isva`)).statusCode).toBe(200)
    const [me] = await t.db.query<{ display_name: string; phone: string; email: string }>(
      'SELECT display_name, phone, email FROM users WHERE id = $1',
      [t.demo.users.isva],
    )
    expect((await call(police, 'GET', `/cases/${id}`)).json().isvas).toEqual([
      {
        name: me.display_name,
        phone: me.phone,
        email: me.email,
        service: 'Vale Sexual Violence Support',
        // No victim recorded yet: the ISVA supports the case's victim, whoever is recorded.
        victimId: null,
        victimName: null,
      },
    ])
    // The ISVA's own view of the case carries no such list.
    expect((await call(isva, 'GET', `/cases/${id}`)).json().isvas).toEqual([])
  })

  test('consent is narrowed as well as ended: the ISVA loses what the victim no longer shares at once', async () => {
    const id = await newCase()
    const referralId = await refer(id, ['victim_details', 'outcome'])
    expect((await call(isva, 'GET', `/cases/${id}/victim`)).statusCode).toBe(200)
    const url = `/cases/${id}/support/referrals/${referralId}/consent`
    const future = await call(police, 'PUT', url, { consentRecordedOn: '2026-12-01', shared: ['outcome'] })
    expect(future.statusCode).toBe(400)
    expect(future.json().errors[0].field).toBe('consentRecordedOn')
    expect((await call(police, 'PUT', url, { consentRecordedOn: '2026-11-01', shared: ['outcome'] })).statusCode).toBe(200)
    const narrowed = await call(isva, 'GET', `/cases/${id}/victim`)
    expect(narrowed.statusCode).toBe(403)
    expect(narrowed.json().title).toMatch(/has not agreed to share their own contact details/)
    expect((await call(isva, 'GET', `/cases/${id}/outcome`)).statusCode).toBe(200)
    expect((await call(isva, 'PUT', url, { consentRecordedOn: '2026-11-01', shared: [] })).statusCode).toBe(403)
    const [audit] = await t.db.query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_log WHERE case_id = $1 AND action = 'case.disclosure_changed'",
      [id],
    )
    expect(audit.details).toMatchObject({ recipient: t.demo.orgs.isva, shared: ['case_summary', 'outcome'] })
  })

  test('an ISVA reads the victim’s details they shared on the page, and is offered no form to change them', async () => {
    const id = await newCase()
    await refer(id, ['victim_details'])
    const victim = {
      firstName: 'Odile',
      lastName: 'Fernsby',
      phone: '07700 900123',
      preferredLanguage: 'English',
      interpreterNeeded: false,
      vulnerable: false,
    }
    const recorded = await call(police, 'PUT', `/cases/${id}/victim`, victim)
    expect(recorded.statusCode).toBe(200)
    const home = `/cases/${id}/victims/${recorded.json().victim.id}`
    const forPolice = await (await signedIn(t, 'oic.north')).get(`/cases/${id}/victim`)
    expect(forPolice.body).toContain(`href="${home}/details"`)
    const page = await (await signedIn(t, 'isva')).get(`/cases/${id}/victim`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Odile Fernsby')
    // Saving either form is refused to an ISVA, so neither is linked.
    expect(page.body).not.toContain(`${home}/details`)
    expect(page.body).not.toContain(`${home}/characteristics`)
    // Nor are the forms theirs when typed in.
    const isvaBrowser = await signedIn(t, 'isva')
    expect((await isvaBrowser.get(`/cases/${id}/victim/details`)).statusCode).toBe(403)
    expect((await isvaBrowser.get(`/cases/${id}/victim/characteristics`)).statusCode).toBe(403)
  })

  test('an ISVA records support given and their own contacts', async () => {
    const id = await newCase()
    await refer(id, [])
    const offer = await call(isva, 'POST', `/cases/${id}/support/offers`, {
      offeredOn: '2026-11-01',
      support: 'counselling',
      accepted: true,
    })
    expect(offer.statusCode).toBe(201)
    const contact = await call(isva, 'POST', `/cases/${id}/communication/contacts`, {
      contactedAt: '2026-11-02T09:00:00Z',
      channel: 'in_person',
      madeBy: 'isva',
      plannedUpdate: false,
      summary: 'Met at the centre',
    })
    expect(contact.statusCode).toBe(201)
  })
})
