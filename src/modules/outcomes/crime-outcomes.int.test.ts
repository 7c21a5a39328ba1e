import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { saveVictimDetails } from '../victims/service.ts'

/**
 * A case file of several crimes (docs/decisions/0007): each crime has its own outcome and its
 * own proposal, the rules read the crime's victim and offences, and the case is finalised only
 * when every crime is.
 */

let t: TestApp
let oic: string
let supervisor: string
let isva: string
beforeAll(async () => {
  t = await startTestApp()
  oic = await t.token('oic.north')
  supervisor = await t.token('supervisor.north')
  isva = await t.token('isva')
})
afterAll(() => t.close())

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, as = oic) =>
  api(t, as, { method, url: `/api/v1${url}`, payload: payload as object })

const person = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  dateOfBirth: '1990-01-01',
  phone: '07700 900123',
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
})

/**
 * Two victims, A (supported by the demo ISVA service, with "outcome" consent) and B, and two
 * crimes: the rape of A the case was opened for, and a sexual assault (20A, not indictable
 * only) on B.
 */
async function twoCrimeCase() {
  const id = (await call('POST', '/cases', t.caseInput('oic.north'))).json().id as string
  await call('POST', `/cases/${id}/support/referrals`, {
    serviceId: t.demo.orgs.isva,
    kind: 'isva',
    consentGiven: true,
    consentRecordedOn: '2026-10-05',
    shared: ['outcome'],
  })
  const a = (await call('PUT', `/cases/${id}/victim`, person('Robin', 'Testcase'))).json().victim.id as string
  const b = (await saveVictimDetails(await t.ctx('oic.north'), id, person('Alex', 'Madeup'), { another: true })).id
  const [first] = (await call('GET', `/cases/${id}/crimes`)).json().crimes
  const second = (
    await call('POST', `/cases/${id}/crimes`, { crimeReference: `NC/B${id.slice(0, 6)}`, offences: ['20A'], victimId: b })
  ).json()
  return { id, a, b, rape: first.id as string, assault: second.id as string }
}

const outcomeOf = (id: string, crimeId: string) => `/cases/${id}/crimes/${crimeId}/outcome`
const finalise = (id: string, crimeId: string, body: Record<string, unknown>, as = supervisor) =>
  call('POST', outcomeOf(id, crimeId), { finalisedOn: '2026-11-01', ...body }, as)
const stage = async (id: string) => (await call('GET', `/cases/${id}`)).json().stage.code as string
const events = (id: string, type: string) =>
  t.db.query<{ data: Record<string, unknown> }>('SELECT data FROM case_events WHERE case_id = $1 AND type = $2 ORDER BY id', [
    id,
    type,
  ])

/** A withdrawal of support by one named victim, as the withdrawal module records it once it takes a victim. */
async function withdrawn(caseId: string, victimId: string) {
  await t.db.query(
    `INSERT INTO withdrawals (case_id, victim_id, stage, withdrawn_on, ever_supported, reasons, retraction_statement_taken, recorded_by, recorded_at)
     VALUES ($1, $2, 'investigation', '2026-10-20', true, ARRAY['fear_of_court'], false, $3, $4)`,
    [caseId, victimId, t.demo.users['oic.north'], t.clock.now()],
  )
}

async function identifiedSuspect(id: string) {
  const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' }
  expect((await call('POST', `/cases/${id}/suspects`, suspect)).statusCode).toBe(201)
  const notSought = { reasons: ['other'], details: 'Synthetic reason' }
  expect((await call('POST', `/cases/${id}/advice/not-sought`, notSought)).statusCode).toBe(201)
}

describe('each crime has its own outcome', () => {
  test('the case is finalised only when both crimes are; reopening one crime of a finalised case reopens the case', async () => {
    const { id, a, b, rape, assault } = await twoCrimeCase()
    const before = await stage(id)

    expect((await finalise(id, rape, { code: '18', rationale: 'No suspect' })).json()).toEqual({ state: 'finalised' })
    expect(await stage(id)).toBe(before)
    expect((await call('GET', outcomeOf(id, rape))).json()).toMatchObject({
      crime: { id: rape },
      current: { code: '18', authorisedBy: 'DS Priya Lang' },
    })
    expect((await call('GET', outcomeOf(id, assault))).json()).toMatchObject({ crime: { id: assault }, current: null })
    expect(await events(id, 'crime.finalised')).toEqual([
      { data: { crimeId: rape, victimId: a, code: '18', decidedBy: 'police' } },
    ])
    expect(await events(id, 'case.finalised')).toEqual([])
    // A crime already finalised cannot be finalised again; the other crime can.
    const again = await finalise(id, rape, { code: '20', rationale: 'x' })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('outcome_already_finalised')

    expect((await finalise(id, assault, { code: '20', rationale: 'Passed to another force' })).statusCode).toBe(201)
    const [finalised] = await events(id, 'case.finalised')
    expect(finalised.data).toEqual({ crimeId: assault, victimId: b, code: '20', decidedBy: 'police', stage: 'finalised' })
    expect(await stage(id)).toBe('finalised')
    const crimes = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect(crimes.map((k: { outcome: { code: string } }) => k.outcome.code)).toEqual(['18', '20'])

    // Reopening a crime of the finalised case reopens the case; reopening the other then reopens the crime alone.
    expect((await call('POST', `${outcomeOf(id, rape)}/reopen`, { reason: 'New forensic result' })).statusCode).toBe(200)
    expect(await stage(id)).toBe('investigation')
    expect(await events(id, 'case.reopened')).toEqual([{ data: { crimeId: rape, victimId: a } }])
    expect((await call('POST', `${outcomeOf(id, assault)}/reopen`, { reason: 'Returned by the other force' })).statusCode).toBe(
      200,
    )
    expect(await events(id, 'crime.reopened')).toEqual([{ data: { crimeId: assault, victimId: b } }])
    expect(await stage(id)).toBe('investigation')
    expect((await call('GET', outcomeOf(id, assault))).json()).toMatchObject({ current: null, history: [{ code: '20' }] })

    // Both again: the case takes the stage of both outcomes together.
    await finalise(id, rape, { code: '18', rationale: 'No suspect' })
    await finalise(id, assault, { code: '18', rationale: 'No suspect' })
    expect(await stage(id)).toBe('no_further_action')
  })

  test('each crime has its own proposal and its own supervisor’s clock', async () => {
    const { id, a, rape, assault } = await twoCrimeCase()
    expect((await finalise(id, rape, { code: '18', rationale: 'No suspect' }, oic)).json()).toEqual({
      state: 'awaiting_authorisation',
    })
    expect((await finalise(id, assault, { code: '18', rationale: 'No suspect' }, oic)).json()).toEqual({
      state: 'awaiting_authorisation',
    })
    const proposals = await t.db.query<{ id: string; crime_id: string }>(
      'SELECT id, crime_id FROM outcome_proposals WHERE case_id = $1 ORDER BY proposed_at, crime_id',
      [id],
    )
    expect(proposals.map((p) => p.crime_id).sort()).toEqual([rape, assault].sort())
    const clocks = await t.db.query<{ subject_id: string }>(
      "SELECT subject_id FROM deadlines WHERE case_id = $1 AND kind = 'outcome_authorisation' AND state = 'open'",
      [id],
    )
    expect(clocks.map((c) => c.subject_id).sort()).toEqual(proposals.map((p) => p.id).sort())
    expect(await events(id, 'outcome.proposed')).toContainEqual({ data: { crimeId: rape, victimId: a, code: '18' } })

    // The old address cannot say which proposal: the supervisor names the crime.
    const sole = await call('POST', `/cases/${id}/outcome/authorise`, undefined, supervisor)
    expect(sole.statusCode).toBe(409)
    expect(sole.json().code).toBe('several_crimes')
    expect((await call('POST', `${outcomeOf(id, rape)}/authorise`, undefined, supervisor)).statusCode).toBe(200)
    expect((await call('GET', outcomeOf(id, rape))).json()).toMatchObject({ proposal: null, current: { code: '18' } })
    expect((await call('GET', outcomeOf(id, assault))).json()).toMatchObject({ proposal: { code: '18' }, current: null })
    const declined = await call('POST', `${outcomeOf(id, assault)}/decline`, { reason: 'Trace the witness' }, supervisor)
    expect(declined.statusCode).toBe(200)
    expect((await call('GET', outcomeOf(id, assault))).json()).toMatchObject({
      proposal: null,
      declined: [{ reason: 'Trace the witness' }],
    })
    expect((await call('GET', outcomeOf(id, rape))).json().declined).toEqual([])
  })
})

describe('the rules read the crime’s victim and offences', () => {
  test('a withdrawal counts for the crime of the victim who withdrew, not the other', async () => {
    const { id, b, rape, assault } = await twoCrimeCase()
    await withdrawn(id, b)
    const before = [await count(t.db, 'case_outcomes'), await count(t.db, 'outcome_proposals'), await count(t.db, 'case_events')]
    const refused = await finalise(id, rape, { code: '14', rationale: 'The victim does not support action' })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().code).toBe('outcome_rules_not_met')
    expect(refused.json().errors[0]).toMatchObject({
      field: 'code',
      message: expect.stringMatching(/needs the victim’s withdrawal/),
    })
    expect([
      await count(t.db, 'case_outcomes'),
      await count(t.db, 'outcome_proposals'),
      await count(t.db, 'case_events'),
    ]).toEqual(before)
    expect((await finalise(id, assault, { code: '14', rationale: 'The victim does not support action' })).json()).toEqual({
      state: 'finalised',
    })
  })

  test('a caution needs the CPS’s agreement for the rape, not for the other crime’s sexual assault', async () => {
    const { id, rape, assault } = await twoCrimeCase()
    await identifiedSuspect(id)
    const refused = await finalise(id, rape, { code: '3' })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().errors[0]).toMatchObject({ field: 'cpsAgreedBy' })
    expect((await finalise(id, assault, { code: '3' })).json()).toEqual({ state: 'finalised' })
  })
})

describe('the case’s old outcome address', () => {
  test('with several crimes the API answers 409 several_crimes, and writes nothing', async () => {
    const { id } = await twoCrimeCase()
    const read = await call('GET', `/cases/${id}/outcome`)
    expect(read.statusCode).toBe(409)
    expect(read.json().code).toBe('several_crimes')
    const before = await count(t.db, 'case_outcomes')
    const write = await call(
      'POST',
      `/cases/${id}/outcome`,
      { code: '18', finalisedOn: '2026-11-01', rationale: 'x' },
      supervisor,
    )
    expect(write.statusCode).toBe(409)
    expect(write.json().code).toBe('several_crimes')
    expect(await count(t.db, 'case_outcomes')).toBe(before)
  })

  test('a page asks which crime, linking to each crime’s outcome; each crime’s page posts to its own address', async () => {
    const { id, rape, assault } = await twoCrimeCase()
    const b = await signedIn(t, 'supervisor.north')
    const chooser = await b.get(`/cases/${id}/outcome`)
    expect(chooser.statusCode).toBe(200)
    expect(chooser.body).toContain('Which crime?')
    expect(chooser.body).toContain(`href="/cases/${id}/crimes/${rape}/outcome"`)
    expect(chooser.body).toContain(`href="/cases/${id}/crimes/${assault}/outcome"`)

    const page = await b.get(`/cases/${id}/crimes/${assault}/outcome`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`action="/cases/${id}/crimes/${assault}/outcome"`)
    expect(page.body).toContain('Record this crime’s outcome')
    const res = await b.post(`/cases/${id}/crimes/${assault}/outcome`, {
      code: '20',
      'finalisedOn-day': '1',
      'finalisedOn-month': '11',
      'finalisedOn-year': '2026',
      rationale: 'Passed to another force',
    })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/cases/${id}/crimes/${assault}/outcome`)
    expect((await b.get(res.headers.location as string)).body).toContain('Outcome in force')
  })

  test('a case of one crime keeps its old address', async () => {
    const id = (await call('POST', '/cases', t.caseInput('oic.north'))).json().id as string
    const [crime] = (await call('GET', `/cases/${id}/crimes`)).json().crimes
    expect((await call('GET', `/cases/${id}/outcome`)).json()).toMatchObject({ crime: { id: crime.id }, current: null })
    const page = await (await signedIn(t, 'oic.north')).get(`/cases/${id}/outcome`)
    expect(page.body).toContain(`action="/cases/${id}/outcome"`)
    expect(page.body).toContain('Finalise case')
  })
})

describe('a support service and the outcome', () => {
  test('the ISVA of victim A sees in plain words the outcome of A’s crime only, at the old address too; B’s is 404', async () => {
    const { id, rape, assault } = await twoCrimeCase()
    await finalise(id, rape, { code: '18', rationale: 'The reasons, never for the ISVA' })
    await finalise(id, assault, { code: '20', rationale: 'Passed to another force' })
    const sole = await call('GET', `/cases/${id}/outcome`, undefined, isva)
    expect(sole.statusCode).toBe(200)
    expect(sole.json()).toEqual({
      crime: { id: rape, crimeReference: expect.any(String) },
      plain: [{ decided: 'The investigation ended without a suspect being identified', decidedOn: '2026-11-01', inForce: true }],
    })
    expect((await call('GET', outcomeOf(id, rape), undefined, isva)).statusCode).toBe(200)
    expect((await call('GET', outcomeOf(id, assault), undefined, isva)).statusCode).toBe(404)
    const page = await (await signedIn(t, 'isva')).get(`/cases/${id}/crimes/${assault}/outcome`)
    expect(page.statusCode).toBe(404)
  })
})
