import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, auditWrites, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { saveVictimDetails } from '../victims/service.ts'

let t: TestApp
let token: string
beforeAll(async () => {
  t = await startTestApp()
  token = await t.token('oic.north')
})
afterAll(() => t.close())

const DAY = 86_400_000
const HOUR = 3_600_000

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, as = token) =>
  api(t, as, { method, url, payload: payload as object })
/** A new case whose victim is engaged with the demo ISVA service, since the plan goes through the ISVA. */
const newCase = async (opts = { isva: true }) => {
  const id = (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
  if (opts.isva) {
    const referral = { serviceId: t.demo.orgs.isva, kind: 'isva', consentGiven: true, consentRecordedOn: '2026-10-05' }
    expect((await call('POST', `/api/v1/cases/${id}/support/referrals`, referral)).statusCode).toBe(201)
  }
  return id
}
const view = async (id: string) => (await call('GET', `/api/v1/cases/${id}/communication`)).json()
const putPlan = (id: string, over: Record<string, unknown> = {}, as = token) =>
  call('PUT', `/api/v1/cases/${id}/communication/plan`, { ...plan, ...over }, as)
const contact = (id: string, over: Record<string, unknown> = {}, as = token) =>
  call('POST', `/api/v1/cases/${id}/communication/contacts`, { ...update(), ...over }, as)

const plan = {
  preferredChannel: 'via_isva',
  updateEveryDays: 14,
  safeTimes: 'Weekdays after 6pm only',
  messagesMayBeLeft: false,
  throughIsva: true,
  nfaPreference: 'in_person_with_isva',
  nfaDetails: 'At the ISVA’s office',
}
/** A planned update made an hour before the test clock's now. */
const update = () => ({
  contactedAt: new Date(t.clock.now().getTime() - HOUR).toISOString(),
  channel: 'via_isva',
  madeBy: 'police',
  plannedUpdate: true,
  summary: 'Told them the forensic results are back',
})

type DeadlineRow = { state: string; due_at: Date; closed_reason: string | null; escalation_level: number; kind: string }
const deadlines = (caseId: string) =>
  t.db.query<DeadlineRow>(
    'SELECT kind, state, due_at, closed_reason, escalation_level FROM deadlines WHERE case_id = $1 ORDER BY created_at, due_at',
    [caseId],
  )
const writes = async () => [
  await count(t.db, 'victim_contacts'),
  await count(t.db, 'communication_plans'),
  await count(t.db, 'deadlines'),
  await count(t.db, 'case_events'),
  await auditWrites(t.db),
]

describe('the communication plan and the update clock', () => {
  test('before a plan is agreed the section answers with nothing, and shows the victim’s language once recorded', async () => {
    const id = await newCase()
    expect(await view(id)).toEqual({ plan: null, language: null, nextUpdate: null, contacts: [] })
    const victim = await call('PUT', `/api/v1/cases/${id}/victim`, {
      firstName: 'Alex',
      lastName: 'Quill',
      dateOfBirth: '1994-03-27',
      phone: '01632 960123',
      preferredLanguage: 'Welsh',
      interpreterNeeded: true,
      vulnerable: false,
    })
    expect(victim.statusCode).toBe(200)
    expect((await view(id)).language).toEqual({ preferredLanguage: 'Welsh', interpreterNeeded: true })
  })

  test('agreeing a plan opens the next-update deadline at agreement + frequency', async () => {
    const id = await newCase()
    const agreedAt = t.clock.now()
    const res = await putPlan(id)
    expect(res.statusCode).toBe(200)
    const due = new Date(agreedAt.getTime() + 14 * DAY).toISOString()
    expect(res.json().nextUpdate).toEqual({ dueAt: due, overdue: false })
    expect(await deadlines(id)).toEqual([
      { kind: 'victim_update', state: 'open', due_at: new Date(due), closed_reason: null, escalation_level: 0 },
    ])
    const v = await view(id)
    expect(v.plan).toMatchObject({
      preferredChannel: { code: 'via_isva', label: 'Through their ISVA' },
      updateEveryDays: 14,
      updateFrequency: 'Every 14 days',
      throughIsva: true,
      nfaPreference: { code: 'in_person_with_isva', label: 'In person, with their ISVA present' },
      agreedBy: 'DC Sam Okafor',
    })
    const [event] = await t.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'communication.plan_agreed'",
      [id],
    )
    expect(event.data).toEqual({ channel: 'via_isva', updateEveryDays: 14, nfaPreference: 'in_person_with_isva' })
  })

  test('a planned update meets the deadline and opens the next from the time of the contact', async () => {
    const id = await newCase()
    await putPlan(id)
    t.clock.advance(10 * DAY)
    const made = update()
    expect((await contact(id, made)).statusCode).toBe(201)
    const rows = await deadlines(id)
    expect(rows.map((d) => d.state)).toEqual(['met', 'open'])
    expect(rows[1].due_at.toISOString()).toBe(new Date(Date.parse(made.contactedAt) + 14 * DAY).toISOString())
    const v = await view(id)
    expect(v.contacts).toHaveLength(1)
    expect(v.contacts[0]).toMatchObject({
      plannedUpdate: true,
      late: null,
      channel: { code: 'via_isva' },
      madeBy: { code: 'police' },
    })
  })

  test('an unplanned contact leaves the clock alone', async () => {
    const id = await newCase()
    await putPlan(id)
    expect((await contact(id, { plannedUpdate: false })).statusCode).toBe(201)
    expect((await deadlines(id)).map((d) => d.state)).toEqual(['open'])
  })

  test('a late update is refused without a reason and the victim told, nothing written; with both, the deadline closes as missed', async () => {
    const id = await newCase()
    await putPlan(id, { updateEveryDays: 7 })
    t.clock.advance(9 * DAY)
    expect((await view(id)).nextUpdate.overdue).toBe(true)

    const before = await writes()
    const noReason = await contact(id)
    expect(noReason.statusCode).toBe(400)
    const errors = noReason.json().errors as { field: string; message: string }[]
    expect(errors.map((e) => e.field)).toEqual(['missedReason', 'victimToldWhy'])
    expect(errors[0].message).toMatch(/The agreed update was due .*: give the reason the agreed update was missed/)
    const notTold = await contact(id, { missedReason: 'The officer was on leave' })
    expect(notTold.json().errors.map((e: { field: string }) => e.field)).toEqual(['victimToldWhy'])
    expect(await writes()).toEqual(before)

    const made = update()
    const ok = await contact(id, { ...made, missedReason: 'The officer was on leave', victimToldWhy: true })
    expect(ok.statusCode).toBe(201)
    const rows = await deadlines(id)
    expect(rows.map((d) => [d.state, d.closed_reason])).toEqual([
      ['missed', 'The officer was on leave'],
      ['open', null],
    ])
    expect(rows[1].due_at.toISOString()).toBe(new Date(Date.parse(made.contactedAt) + 7 * DAY).toISOString())
    const v = await view(id)
    expect(v.nextUpdate.overdue).toBe(false)
    expect(v.contacts[0]).toMatchObject({ late: { reason: 'The officer was on leave' }, victimToldWhy: true })
    const types = (await t.db.query<{ type: string }>('SELECT type FROM case_events WHERE case_id = $1 ORDER BY id', [id])).map(
      (e) => e.type,
    )
    expect(types.slice(-2)).toEqual(['communication.update_missed', 'communication.contact_recorded'])
  })

  test('a planned update made before the due time but recorded after it is on time', async () => {
    const id = await newCase()
    await putPlan(id, { updateEveryDays: 7 })
    const onTime = new Date(t.clock.now().getTime() + 7 * DAY - HOUR).toISOString()
    t.clock.advance(8 * DAY)
    expect((await contact(id, { contactedAt: onTime })).statusCode).toBe(201)
    expect((await deadlines(id)).map((d) => d.state)).toEqual(['met', 'open'])
  })

  test('changing the frequency moves the clock; other changes do not; key decisions only stops it', async () => {
    const id = await newCase()
    await putPlan(id)
    t.clock.advance(DAY)
    expect((await putPlan(id, { safeTimes: 'Any time' })).statusCode).toBe(200)
    expect((await deadlines(id)).map((d) => d.state)).toEqual(['open'])
    const changedAt = t.clock.now()
    const moved = (await putPlan(id, { safeTimes: 'Any time', updateEveryDays: 28 })).json()
    expect(moved.nextUpdate.dueAt).toBe(new Date(changedAt.getTime() + 28 * DAY).toISOString())
    expect((await deadlines(id)).map((d) => [d.state, d.closed_reason])).toEqual([
      ['cancelled', 'The communication plan was changed'],
      ['open', null],
    ])
    const stopped = (await putPlan(id, { safeTimes: 'Any time', updateEveryDays: null })).json()
    expect(stopped.nextUpdate).toBeNull()
    expect(stopped.plan.updateFrequency).toBe('Only at key decisions')
    expect((await deadlines(id)).map((d) => d.state)).toEqual(['cancelled', 'cancelled'])
    const changes = await t.db.query<{ data: { fields: string[] } }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'communication.plan_changed' ORDER BY id",
      [id],
    )
    expect(changes.map((e) => e.data.fields)).toEqual([['safeTimes'], ['updateEveryDays'], ['updateEveryDays']])
  })

  test('a new plan does not wipe out an overdue update: it stays overdue until the late update is recorded', async () => {
    const id = await newCase()
    await putPlan(id, { updateEveryDays: 7 })
    t.clock.advance(8 * DAY)
    await putPlan(id, { updateEveryDays: 28 })
    expect((await deadlines(id)).map((d) => d.state)).toEqual(['open'])
    expect((await view(id)).nextUpdate.overdue).toBe(true)
    expect((await contact(id)).statusCode).toBe(400)
  })
})

describe('bad input, access and personal data', () => {
  test('bad plans and contacts are refused with the rule named, and nothing is written', async () => {
    const id = await newCase()
    const before = await writes()
    const empty = await call('PUT', `/api/v1/cases/${id}/communication/plan`, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'preferredChannel',
      'updateEveryDays',
      'safeTimes',
      'messagesMayBeLeft',
      'throughIsva',
      'nfaPreference',
    ])
    const rules: [Record<string, unknown>, string, RegExp][] = [
      [{ throughIsva: false }, 'throughIsva', /prefers contact through their ISVA/],
      [{ nfaPreference: 'other', nfaDetails: '' }, 'nfaDetails', /Give details/],
      [{ updateEveryDays: 0 }, 'updateEveryDays', /number of days from 1 to 365/],
      [{ updateEveryDays: 2.5 }, 'updateEveryDays', /number of days/],
      [{ preferredChannel: 'carrier_pigeon' }, 'preferredChannel', /Select how the victim prefers/],
    ]
    for (const [over, field, message] of rules) {
      const res = await putPlan(id, over)
      expect(res.statusCode).toBe(400)
      expect(res.json().errors.find((e: { field: string }) => e.field === field)?.message).toMatch(message)
    }
    const future = await contact(id, { contactedAt: new Date(t.clock.now().getTime() + HOUR).toISOString() })
    expect(future.json().errors).toEqual([
      { field: 'contactedAt', message: 'The date and time of the contact must be now or in the past' },
    ])
    const blank = await contact(id, { summary: ' ', madeBy: 'neighbour' })
    expect(blank.json().errors.map((e: { field: string }) => e.field)).toEqual(['madeBy', 'summary'])
    expect(await writes()).toEqual(before)
  })

  test('contact through the ISVA needs an ISVA the victim is engaged with', async () => {
    const id = await newCase({ isva: false })
    const before = await writes()
    const res = await putPlan(id)
    expect(res.statusCode).toBe(400)
    expect(res.json().errors).toEqual([
      {
        field: 'throughIsva',
        message: 'Updates can go through an ISVA only when the victim is engaged with one: refer them to an ISVA service first',
      },
    ])
    expect(await writes()).toEqual(before)
    // A SARC referral is not an ISVA.
    const sarc = { serviceId: t.demo.orgs.isva, kind: 'sarc', consentGiven: true, consentRecordedOn: '2026-10-05' }
    expect((await call('POST', `/api/v1/cases/${id}/support/referrals`, sarc)).statusCode).toBe(201)
    expect((await putPlan(id)).statusCode).toBe(400)
    expect((await putPlan(id, { preferredChannel: 'phone', throughIsva: false })).statusCode).toBe(200)
  })

  test('an engaged ISVA records their own contacts with the victim, but never agrees the plan', async () => {
    const id = await newCase()
    await putPlan(id)
    const isva = await t.token('isva')
    const own = await contact(id, { madeBy: 'isva', plannedUpdate: false, summary: 'Met at the centre' }, isva)
    expect(own.statusCode).toBe(201)
    const before = await writes()
    const asPolice = await contact(id, { madeBy: 'police', plannedUpdate: false }, isva)
    expect(asPolice.statusCode).toBe(400)
    expect(asPolice.json().errors).toEqual([
      { field: 'madeBy', message: 'An ISVA records only their own contacts with the victim' },
    ])
    expect((await putPlan(id, {}, isva)).statusCode).toBe(403)
    expect(await writes()).toEqual(before)
    const logged = (await view(id)).contacts.map((c: { madeBy: { code: string } }) => c.madeBy.code)
    expect(logged).toContain('isva')
  })

  test('another force gets 404; the CPS may record contacts on a referred case', async () => {
    const id = await newCase()
    await putPlan(id)
    const south = await t.token('oic.south')
    expect((await call('GET', `/api/v1/cases/${id}/communication`, undefined, south)).statusCode).toBe(404)
    expect((await putPlan(id, {}, south)).statusCode).toBe(404)
    expect((await contact(id, {}, south)).statusCode).toBe(404)
    const prosecutor = await t.token('prosecutor')
    expect((await contact(id, {}, prosecutor)).statusCode).toBe(404)
    await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
    // Not allocated the case, the prosecutor states why before its victim's contacts (docs/decisions/0010).
    const asked = await contact(id, { madeBy: 'cps' }, prosecutor)
    expect(asked.statusCode).toBe(403)
    expect(asked.json().code).toBe('reason_needed')
    const reason = { reason: 'covering' }
    expect((await call('POST', `/api/v1/cases/${id}/access-reasons`, reason, prosecutor)).statusCode).toBe(201)
    expect((await contact(id, { madeBy: 'cps' }, prosecutor)).statusCode).toBe(201)
  })

  test('free text never reaches timeline events or the audit log', async () => {
    const id = await newCase()
    await putPlan(id, { updateEveryDays: 7, safeTimes: 'SECRET-SAFE-TIMES', nfaPreference: 'other', nfaDetails: 'SECRET-NFA' })
    t.clock.advance(8 * DAY)
    await contact(id, { summary: 'SECRET-SUMMARY', missedReason: 'SECRET-REASON', victimToldWhy: true })
    await putPlan(id, { safeTimes: 'SECRET-CHANGED', nfaPreference: 'other', nfaDetails: 'SECRET-NFA' })
    const [events] = await t.db.query<{ text: string }>(
      "SELECT string_agg(data::text, ' ') AS text FROM case_events WHERE case_id = $1",
      [id],
    )
    const [audits] = await t.db.query<{ text: string }>(
      "SELECT string_agg(concat_ws(' ', action, subject, justification, details::text), ' ') AS text FROM audit_log WHERE case_id = $1",
      [id],
    )
    expect(events.text).toContain('"channel": "via_isva"')
    expect(audits.text).toContain('communication.contact_recorded')
    for (const text of [events.text, audits.text]) expect(text).not.toMatch(/SECRET/)
  })
})

describe('the pages', () => {
  test('agree a plan, see the next update due, record a contact, then a late update needs its reason', async () => {
    // Dates on this page are typed in, so the clock is set to a known Monday after every other test's.
    t.clock.set('2027-01-04T10:00:00Z')
    const id = await newCase()
    let b = await signedIn(t, 'oic.north')
    const first = await b.get(`/cases/${id}/communication`)
    expect(first.statusCode).toBe(200)
    expect(first.body).toContain('No communication plan has been agreed')

    const empty = await b.post(`/cases/${id}/communication/plan`, { safeTimes: 'Evenings' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Select how the victim prefers to be contacted')
    expect(empty.body).toContain('href="#updates"')
    expect(empty.body).toContain('Evenings')
    const badDays = await b.post(`/cases/${id}/communication/plan`, { updates: 'other', otherDays: 'lots' })
    expect(badDays.body).toContain('href="#otherDays"')
    expect(await count(t.db, `communication_plans WHERE case_id = '${id}'`)).toBe(0)

    const saved = await b.post(`/cases/${id}/communication/plan`, {
      preferredChannel: 'via_isva',
      updates: '14',
      safeTimes: 'Evenings',
      messagesMayBeLeft: 'no',
      throughIsva: 'yes',
      nfaPreference: 'in_person_with_isva',
      nfaDetails: '',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`/cases/${id}/communication?done=plan`)
    const page = await b.get(`/cases/${id}/communication?done=plan`)
    expect(page.body).toContain('The communication plan has been saved')
    expect(page.body).toContain('due in 14 days')
    expect(page.body).toContain('In person, with their ISVA present')

    const form = await b.get(`/cases/${id}/communication/plan`)
    expect(form.body).toMatch(/value="14" checked/)

    const recorded = await b.post(`/cases/${id}/communication/contacts`, {
      'contactedOn-day': '4',
      'contactedOn-month': '1',
      'contactedOn-year': '2027',
      contactedTime: '9:15am',
      channel: 'phone',
      madeBy: 'police',
      plannedUpdate: 'no',
      summary: 'Arranged a meeting',
    })
    expect(recorded.statusCode).toBe(303)
    expect((await b.get(`/cases/${id}/communication`)).body).toContain('4 January 2027 at 9:15am')

    t.clock.advance(16 * DAY)
    b = await signedIn(t, 'oic.north') // the session timed out while the clock moved
    const overdue = await b.get(`/cases/${id}/communication`)
    expect(overdue.body).toContain('2 days overdue')
    expect(overdue.body).toContain('Overdue')
    const contactForm = await b.get(`/cases/${id}/communication/contacts`)
    expect(contactForm.body).toContain('Reason the agreed update was missed')
    const refused = await b.post(`/cases/${id}/communication/contacts`, {
      'contactedOn-day': '19',
      'contactedOn-month': '1',
      'contactedOn-year': '2027',
      contactedTime: '09:00',
      channel: 'via_isva',
      madeBy: 'police',
      plannedUpdate: 'yes',
      summary: 'Update on the investigation',
    })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('give the reason the agreed update was missed')
    expect(refused.body).toContain('Confirm the victim has been told why the agreed update was missed')
    expect(refused.body).toContain('Update on the investigation')
    const noTime = await b.post(`/cases/${id}/communication/contacts`, { channel: 'phone' })
    expect(noTime.body).toContain('href="#contactedOn-day"')
  })
})

describe('a case file with two victims', () => {
  const details = (firstName: string, preferredLanguage: string) => ({
    firstName,
    lastName: 'Testperson',
    dateOfBirth: '1990-05-01',
    phone: '01632 960456',
    preferredLanguage,
    interpreterNeeded: false,
    vulnerable: false,
  })
  /**
   * The ISVA is referred before any victim is recorded, so the first victim recorded (A) takes
   * the referral over; the second (B) has no ISVA.
   */
  type Clock = { victim_id: string; state: string; due_at: Date }
  const byVictim = (x: Clock, y: Clock) => x.victim_id.localeCompare(y.victim_id)
  /** Each update clock with the victim whose plan it times. */
  const clocksByVictim = (caseId: string) =>
    t.db.query<Clock>(
      `SELECT p.victim_id, d.state, d.due_at FROM deadlines d JOIN communication_plans p ON p.id = d.subject_id
        WHERE d.case_id = $1 AND d.kind = 'victim_update' ORDER BY p.victim_id, d.state`,
      [caseId],
    )
  const twoVictims = async () => {
    const id = (await call('POST', '/api/v1/cases', t.caseInput('oic.north'))).json().id as string
    const referral = {
      serviceId: t.demo.orgs.isva,
      kind: 'isva',
      consentGiven: true,
      consentRecordedOn: '2026-10-05',
      shared: ['communication_plan'],
    }
    expect((await call('POST', `/api/v1/cases/${id}/support/referrals`, referral)).statusCode).toBe(201)
    const a = (await call('PUT', `/api/v1/cases/${id}/victim`, details('Avery', 'Welsh'))).json().victim.id as string
    const b = (await saveVictimDetails(await t.ctx('oic.north'), id, details('Blake', 'English'), { another: true })).id
    return { id, a, b, base: (v: string) => `/api/v1/cases/${id}/victims/${v}/communication` }
  }

  test('each victim has their own plan, update clock and contact log; the ISVA must be engaged for that victim', async () => {
    const { id, a, b, base } = await twoVictims()
    const [referral] = await t.db.query<{ victim_id: string }>('SELECT victim_id FROM support_referrals WHERE case_id = $1', [id])
    expect(referral.victim_id).toBe(a)

    expect((await call('PUT', `${base(a)}/plan`, plan)).statusCode).toBe(200)
    // A's ISVA is not B's: B's plan cannot go through an ISVA, and nothing is written.
    const before = await writes()
    const throughIsva = await call('PUT', `${base(b)}/plan`, plan)
    expect(throughIsva.statusCode).toBe(400)
    expect(throughIsva.json().errors.map((e: { field: string }) => e.field)).toEqual(['throughIsva'])
    const badContact = await call('POST', `${base(b)}/contacts`, { ...update(), summary: ' ' })
    expect(badContact.statusCode).toBe(400)
    expect(await writes()).toEqual(before)

    const bPlan = { ...plan, preferredChannel: 'phone', throughIsva: false, updateEveryDays: 7, nfaPreference: 'phone' }
    expect((await call('PUT', `${base(b)}/plan`, bPlan)).statusCode).toBe(200)
    const agreedAt = t.clock.now().getTime()
    expect(await clocksByVictim(id)).toEqual(
      [
        { victim_id: a, state: 'open', due_at: new Date(agreedAt + 14 * DAY) },
        { victim_id: b, state: 'open', due_at: new Date(agreedAt + 7 * DAY) },
      ].sort(byVictim),
    )

    expect((await call('POST', `${base(a)}/contacts`, { ...update(), summary: 'Spoke to A' })).statusCode).toBe(201)
    expect((await call('POST', `${base(b)}/contacts`, { ...update(), channel: 'phone', plannedUpdate: false })).statusCode).toBe(
      201,
    )
    // A's planned update met A's clock only.
    const states = (await clocksByVictim(id)).map((d) => [d.victim_id, d.state])
    expect(states.filter(([v]) => v === a).map(([, state]) => state)).toEqual(['met', 'open'])
    expect(states.filter(([v]) => v === b).map(([, state]) => state)).toEqual(['open'])

    const ofA = (await call('GET', base(a))).json()
    const ofB = (await call('GET', base(b))).json()
    expect(ofA.plan.updateEveryDays).toBe(14)
    expect(ofB.plan.updateEveryDays).toBe(7)
    expect(ofA.language).toEqual({ preferredLanguage: 'Welsh', interpreterNeeded: false })
    expect(ofB.language).toEqual({ preferredLanguage: 'English', interpreterNeeded: false })
    expect(ofA.contacts.map((c: { summary: string; plannedUpdate: boolean }) => [c.summary, c.plannedUpdate])).toEqual([
      ['Spoke to A', true],
    ])
    expect(ofB.contacts.map((c: { plannedUpdate: boolean }) => c.plannedUpdate)).toEqual([false])

    const rows = await t.db.query<{ victim_id: string; n: number }>(
      `SELECT victim_id, count(*)::int AS n FROM (SELECT victim_id FROM communication_plans WHERE case_id = $1
        UNION ALL SELECT victim_id FROM victim_contacts WHERE case_id = $1) r GROUP BY victim_id ORDER BY victim_id`,
      [id],
    )
    expect(rows).toEqual([a, b].sort().map((v) => ({ victim_id: v, n: 2 })))
    const events = await t.db.query<{ type: string; data: { victimId?: string } }>(
      "SELECT type, data FROM case_events WHERE case_id = $1 AND type LIKE 'communication.%' ORDER BY id",
      [id],
    )
    expect(events.map((e) => [e.type, e.data.victimId])).toEqual([
      ['communication.plan_agreed', a],
      ['communication.plan_agreed', b],
      ['communication.contact_recorded', a],
      ['communication.contact_recorded', b],
    ])
  })

  test('the ISVA referred for victim A sees only A’s communication and is told nothing of B’s', async () => {
    const { id, a, b, base } = await twoVictims()
    expect((await call('PUT', `${base(a)}/plan`, plan)).statusCode).toBe(200)
    const isva = await t.token('isva')
    expect((await call('GET', base(b), undefined, isva)).statusCode).toBe(404)
    const before = await writes()
    const ownContact = { ...update(), madeBy: 'isva', plannedUpdate: false }
    expect((await call('POST', `${base(b)}/contacts`, ownContact, isva)).statusCode).toBe(404)
    expect(await writes()).toEqual(before)
    // The case's old address is, to the ISVA, that of the one victim it supports.
    const sole = await call('GET', `/api/v1/cases/${id}/communication`, undefined, isva)
    expect(sole.statusCode).toBe(200)
    expect(sole.json().plan.updateEveryDays).toBe(14)
    expect((await call('GET', base(a), undefined, isva)).statusCode).toBe(200)
    expect((await call('POST', `${base(a)}/contacts`, ownContact, isva)).statusCode).toBe(201)

    const page = await signedIn(t, 'isva')
    expect((await page.get(`/cases/${id}/victims/${b}/communication`)).statusCode).toBe(404)
    expect((await page.get(`/cases/${id}/victims/${b}/communication/contacts`)).statusCode).toBe(404)
    const own = await page.get(`/cases/${id}/victims/${a}/communication`)
    expect(own.statusCode).toBe(200)
    expect(own.body).toContain('Avery')
    expect(own.body).not.toContain('Blake')
  })

  test('the old address asks police which victim; each victim’s pages link and post to that victim’s address', async () => {
    const { id, a, b } = await twoVictims()
    const sole = await call('GET', `/api/v1/cases/${id}/communication`)
    expect(sole.statusCode).toBe(409)
    expect(sole.json().code).toBe('several_victims')
    expect((await putPlan(id)).statusCode).toBe(409)
    expect((await contact(id)).statusCode).toBe(409)

    const b1 = await signedIn(t, 'oic.north')
    const choose = await b1.get(`/cases/${id}/communication`)
    expect(choose.body).toContain('Which victim?')
    expect(choose.body).toContain(`href="/cases/${id}/victims/${a}/communication"`)
    expect(choose.body).toContain(`href="/cases/${id}/victims/${b}/communication"`)

    const section = `/cases/${id}/victims/${b}/communication`
    const page = await b1.get(section)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Blake')
    expect(page.body).toContain(`href="${section}/plan"`)
    expect(page.body).toContain(`href="${section}/contacts"`)
    expect((await b1.get(`${section}/plan`)).body).toContain(`action="${section}/plan"`)
    const refused = await b1.post(`${section}/plan`, { safeTimes: 'Evenings' })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain(`action="${section}/plan"`)
    const saved = await b1.post(`${section}/plan`, {
      preferredChannel: 'phone',
      updates: '7',
      safeTimes: 'Evenings',
      messagesMayBeLeft: 'yes',
      throughIsva: 'no',
      nfaPreference: 'phone',
      nfaDetails: '',
    })
    expect(saved.statusCode).toBe(303)
    expect(saved.headers.location).toBe(`${section}?done=plan`)
    expect((await b1.get(`${section}/contacts`)).body).toContain(`action="${section}/contacts"`)
    const [stored] = await t.db.query<{ victim_id: string }>('SELECT victim_id FROM communication_plans WHERE case_id = $1', [id])
    expect(stored.victim_id).toBe(b)
  })
})

test('the OpenAPI document describes the communication API', async () => {
  const doc = (await api(t, undefined, { method: 'GET', url: '/api/v1/openapi.json' })).json()
  expect(Object.keys(doc.paths['/cases/{id}/communication'])).toEqual(['get'])
  expect(Object.keys(doc.paths['/cases/{id}/communication/plan'])).toEqual(['put'])
  expect(Object.keys(doc.paths['/cases/{id}/communication/contacts'])).toEqual(['post'])
  expect(doc.paths['/cases/{id}/communication/contacts'].post.responses).toHaveProperty('201')
  // Each victim's communication has its own address; the case's address asks which when there are several.
  const underVictim = '/cases/{id}/victims/{victimId}/communication'
  expect(Object.keys(doc.paths[underVictim])).toEqual(['get'])
  expect(Object.keys(doc.paths[`${underVictim}/plan`])).toEqual(['put'])
  expect(Object.keys(doc.paths[`${underVictim}/contacts`])).toEqual(['post'])
  expect(doc.paths[underVictim].get.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'victimId'])
  expect(doc.paths['/cases/{id}/communication'].get.responses).toHaveProperty('409')
})
