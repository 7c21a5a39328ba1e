import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openPglite } from '../../db/client.ts'
import { labelOf } from '../../platform/codes.ts'
import { api, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { insertStatus } from '../suspects/queries.ts'
import { addSuspect } from '../suspects/service.ts'
import { saveVictimDetails } from '../victims/service.ts'
import { ALL_WITHDRAWAL_REASONS } from './reasons.ts'
import { LEGACY_DELAY, NEVER_SUPPORTED_BUT_WITHDREW_LATER } from './rules.ts'

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
const view = async (id: string, as = token) =>
  (await api(t, as, { method: 'GET', url: `/api/v1/cases/${id}/withdrawals` })).json()
const elp = (id: string, withdrawalId: string, body: Record<string, unknown>, as = token) =>
  api(t, as, { method: 'POST', url: `/api/v1/cases/${id}/withdrawals/${withdrawalId}/elp`, payload: body })
/**
 * The prosecutor's token, with a reason stated for the case: the case is referred but not allocated
 * to them, so they say why before its victim's withdrawals (docs/decisions/0010).
 */
const prosecutorWithReason = async (id: string) => {
  const cps = await t.token('prosecutor')
  const res = await api(t, cps, { method: 'POST', url: `/api/v1/cases/${id}/access-reasons`, payload: { reason: 'covering' } })
  expect(res.statusCode).toBe(201)
  return cps
}

// Synthetic free text, looked for later where it must never appear.
const OWN_WORDS = 'Synthetic words: I cannot wait another year for this'
const PRESSURE = 'Synthetic: messages from the suspect’s cousin'
const valid = {
  withdrawnOn: '2026-10-20',
  everSupported: true,
  reasons: ['digital_downloads', 'delay_cps'],
  details: 'Synthetic details of the withdrawal',
  retractionStatementTaken: true,
  retractionTakenOn: '2026-10-21',
  retractionTakenBy: 'DC Invented 4321',
  maintainsAccountTrue: true,
  pressureSuspected: 'yes',
  pressureDetails: PRESSURE,
  victimsOwnWords: OWN_WORDS,
}
const noStatement = {
  withdrawnOn: '2026-10-20',
  everSupported: true,
  reasons: ['delay_court'],
  retractionStatementTaken: false,
}

test('a withdrawal records the stage, whether the victim ever supported it, the reasons and the retraction statement', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  expect((await withdraw(id, valid)).statusCode).toBe(201)
  const v = await view(id)
  expect(v.withdrawn).toBe(true)
  expect(v.withdrawals[0]).toMatchObject({
    stage: { code: 'with_cps', label: 'With CPS for decision', afterCharge: false },
    withdrawnOn: '2026-10-20',
    everSupported: true,
    retractionStatementTaken: true,
    retraction: {
      takenOn: '2026-10-21',
      takenBy: 'DC Invented 4321',
      maintainsAccountTrue: true,
      pressureSuspected: { code: 'yes', label: 'Yes' },
      pressureDetails: PRESSURE,
      victimsOwnWords: OWN_WORDS,
    },
    recordedBy: 'DC Sam Okafor',
    reengagedOn: null,
    elp: null,
  })
  expect(v.withdrawals[0].reasons).toEqual([
    { code: 'digital_downloads', label: 'Concern about requests for their phone or other devices' },
    { code: 'delay_cps', label: 'Delay waiting for the CPS charging decision' },
  ])
  const [event] = await t.db.query<{ data: Record<string, unknown> }>(
    "SELECT data FROM case_events WHERE case_id = $1 AND type = 'withdrawal.recorded'",
    [id],
  )
  expect(event.data).toMatchObject({
    stage: 'with_cps',
    everSupported: true,
    reasons: ['digital_downloads', 'delay_cps'],
    pressureSuspected: 'yes',
  })
})

test('free text stays in the withdrawal tables: never in timeline events or the audit log', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  const { id: wid } = (await withdraw(id, valid)).json()
  const pv = await elp(id, wid, { policeView: 'Synthetic police view: 999 call recorded' })
  expect(pv.statusCode, pv.body).toBe(200)
  const cps = await prosecutorWithReason(id)
  expect((await elp(id, wid, { cpsView: 'Synthetic CPS view', decision: 'proceed' }, cps)).statusCode).toBe(200)
  expect((await elp(id, wid, { result: 'Synthetic result' }, cps)).statusCode).toBe(200)
  const events = await t.db.query<{ data: unknown }>('SELECT data FROM case_events WHERE case_id = $1', [id])
  const audits = await t.db.query<Record<string, unknown>>('SELECT * FROM audit_log WHERE case_id = $1', [id])
  const written = JSON.stringify([events, audits])
  for (const text of ['Synthetic', 'DC Invented', OWN_WORDS, PRESSURE]) expect(written).not.toContain(text)
})

test('bad withdrawals are refused with the rule named, and nothing is written', async () => {
  const id = await newCase()
  const before = [await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]
  const cases: [Record<string, unknown>, string, RegExp | string][] = [
    [{ ...noStatement, reasons: [] }, 'reasons', /Select at least one reason/],
    [{ ...noStatement, reasons: ['other'] }, 'details', /Give details of the other reason/],
    [{ ...noStatement, withdrawnOn: '2026-12-01' }, 'withdrawnOn', /today or in the past/],
    [{ ...noStatement, retractionStatementTaken: undefined }, 'retractionStatementTaken', /retraction statement/],
    [{ ...noStatement, everSupported: undefined }, 'everSupported', /ever supported a police investigation/],
    [{ ...noStatement, reasons: ['never_supported'] }, 'reasons', NEVER_SUPPORTED_BUT_WITHDREW_LATER],
    [{ ...noStatement, reasons: ['delay'] }, 'reasons', LEGACY_DELAY],
    [{ ...noStatement, victimsOwnWords: 'x' }, 'retractionStatementTaken', /only when a retraction statement was taken/],
    [{ ...valid, victimsOwnWords: '' }, 'victimsOwnWords', /in their own words/],
    [{ ...valid, retractionTakenBy: '' }, 'retractionTakenBy', /officer who took the statement/],
    [{ ...valid, retractionTakenOn: undefined }, 'retractionTakenOn', /Enter the date the retraction statement was taken/],
    [{ ...valid, maintainsAccountTrue: undefined }, 'maintainsAccountTrue', /maintains their original account/],
    [{ ...valid, pressureSuspected: 'maybe' }, 'pressureSuspected', /pressure or intimidation/],
    [{ ...valid, pressureDetails: '' }, 'pressureDetails', /Give details of the suspected pressure/],
  ]
  for (const [body, field, message] of cases) {
    const res = await withdraw(id, body)
    expect(res.statusCode, JSON.stringify(body)).toBe(400)
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/)
    const error = res.json().errors.find((e: { field: string }) => e.field === field)
    expect(error?.message, field).toMatch(message)
  }
  expect([await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]).toEqual(before)
})

test('a victim who never supported an investigation is recorded as such, with no retraction statement', async () => {
  const id = await newCase()
  const body = { ...noStatement, everSupported: false, reasons: ['never_supported', 'recorded_not_prosecuted'] }
  expect((await withdraw(id, body)).statusCode).toBe(201)
  const [w] = (await view(id)).withdrawals
  expect(w).toMatchObject({ everSupported: false, retractionStatementTaken: false, retraction: null })
  expect(w.reasons.map((r: { label: string }) => r.label)).toEqual([
    'Never supported a prosecution from the outset (for example, someone else reported it)',
    'Wanted it recorded but not prosecuted',
  ])
})

async function chargedByCps(suspectId: string, effectiveDate: string) {
  await t.db.transaction((tx) =>
    insertStatus(tx, { suspectId, status: 'charged', effectiveDate, at: t.clock.now(), by: t.demo.users.prosecutor }),
  )
}

test('a withdrawal after a suspect is charged records an after-charge stage', async () => {
  const id = await newCase()
  const north = await t.ctx('oic.north')
  const suspect = await addSuspect(north, id, {
    status: 'identified',
    firstName: 'Sam',
    lastName: 'Invented',
    effectiveDate: '2026-10-02',
  })
  // Only a CPS charging decision charges a suspect (the decisions issue builds it): its status
  // row is written here as that decision will write it.
  await chargedByCps(suspect.id, '2026-10-10')
  expect((await withdraw(id, noStatement)).statusCode).toBe(201)
  expect((await view(id)).withdrawals[0].stage).toEqual({ code: 'charged', label: 'Charged', afterCharge: true })
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
  expect((await withdraw(id, { ...noStatement, withdrawnOn: '2026-10-30' })).statusCode).toBe(201)
  const v = await view(id)
  expect(v.withdrawals.map((w: { withdrawnOn: string; reengagedOn: string | null }) => [w.withdrawnOn, w.reengagedOn])).toEqual([
    ['2026-10-30', null],
    ['2026-10-20', '2026-10-28'],
  ])
})

test('the CPS may record a withdrawal on a referred case; another force cannot see the case', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  const unstated = await withdraw(id, valid, await t.token('prosecutor'))
  expect(unstated.statusCode).toBe(403)
  expect(unstated.json().code).toBe('reason_needed')
  expect((await withdraw(id, valid, await prosecutorWithReason(id))).statusCode).toBe(201)
  expect((await withdraw(id, valid, await t.token('oic.south'))).statusCode).toBe(404)
})

test('evidence-led prosecution: police view by police, CPS view and decision by the CPS, result by either, each with who and when', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  const { id: wid } = (await withdraw(id, valid)).json()
  const cps = await prosecutorWithReason(id)

  const forbidden = await elp(id, wid, { cpsView: 'x', decision: 'proceed' })
  expect(forbidden.statusCode).toBe(403)
  expect(forbidden.json().title).toMatch(/Only the CPS records the CPS view and the decision/)
  expect((await elp(id, wid, { policeView: 'x' }, cps)).statusCode).toBe(403)
  const early = await elp(id, wid, { result: 'Convicted' })
  expect(early.statusCode).toBe(400)
  expect(early.json().errors[0]).toMatchObject({ field: 'result', message: expect.stringMatching(/decided to proceed/) })
  expect((await elp(id, wid, { decision: 'proceed' }, cps)).json().errors[0].field).toBe('cpsView')
  const written = await t.db.query('SELECT 1 FROM withdrawal_elp WHERE case_id = $1', [id])
  expect(written).toEqual([])

  expect((await elp(id, wid, { policeView: '999 call and body-worn video' })).statusCode).toBe(200)
  expect((await elp(id, wid, { cpsView: 'Enough without the victim', decision: 'proceed' }, cps)).statusCode).toBe(200)
  // The police view sent again unchanged keeps who wrote it; the result is new.
  expect((await elp(id, wid, { policeView: '999 call and body-worn video', result: 'Guilty plea' }, cps)).statusCode).toBe(200)
  const { elp: e } = (await view(id)).withdrawals[0]
  expect(e).toMatchObject({
    policeView: { value: '999 call and body-worn video', by: 'DC Sam Okafor' },
    cpsView: { value: 'Enough without the victim' },
    decision: { value: { code: 'proceed', label: 'Proceed with an evidence-led prosecution' } },
    result: { value: 'Guilty plea' },
  })
  expect(e.cpsView.by).toBe(e.decision.by)
  expect(e.result.by).toBe(e.cpsView.by)
  expect(e.result.at).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  const events = await t.db.query<{ data: Record<string, unknown> }>(
    "SELECT data FROM case_events WHERE case_id = $1 AND type = 'withdrawal.elp_considered' ORDER BY id",
    [id],
  )
  expect(events.map((ev) => ev.data.parts)).toEqual([['policeView'], ['cpsView', 'decision'], ['result']])
  expect((await elp(id, '00000000-0000-4000-8000-000000000000', { policeView: 'x' })).statusCode).toBe(404)
  expect((await elp(id, 'not-a-uuid', { policeView: 'x' })).statusCode).toBe(404)
  expect((await elp(id, wid, { policeView: 'x' }, await t.token('oic.south'))).statusCode).toBe(404)
})

test('the withdrawal page records a withdrawal with its retraction statement from the browser and shows it', async () => {
  const id = await newCase()
  const b = await signedIn(t, 'oic.north')
  const empty = await b.post(`/cases/${id}/withdrawal`, {})
  expect(empty.statusCode).toBe(400)
  expect(empty.body).toContain('Select at least one reason')
  expect(empty.body).toContain('Select whether the victim ever supported a police investigation')
  expect(empty.body).toContain('href="#withdrawnOn-day"')
  const form = {
    'withdrawnOn-day': '20',
    'withdrawnOn-month': '10',
    'withdrawnOn-year': '2026',
    everSupported: 'yes',
    reasons: ['fear_of_court', 'never_supported'],
    details: 'Worried about the trial date',
    retractionStatementTaken: 'yes',
  }
  const contradictory = await b.post(`/cases/${id}/withdrawal`, form)
  expect(contradictory.statusCode).toBe(400)
  expect(contradictory.body).toContain('“never supported a prosecution from the outset” cannot also be a reason')
  expect(contradictory.body).toContain('Enter the date the retraction statement was taken')
  expect(contradictory.body).toContain('href="#retractionTakenOn-day"')
  const res = await b.post(`/cases/${id}/withdrawal`, {
    ...form,
    reasons: ['fear_of_court', 'other'],
    'retractionTakenOn-day': '21',
    'retractionTakenOn-month': '10',
    'retractionTakenOn-year': '2026',
    retractionTakenBy: 'DC Invented 4321',
    maintainsAccountTrue: 'yes',
    pressureSuspected: 'no',
    // Typed and then "No" chosen: the details are not kept.
    pressureDetails: 'Typed before choosing no',
    victimsOwnWords: 'I <b>cannot</b> face court',
  })
  expect(res.statusCode).toBe(303)
  const page = await b.get(`/cases/${id}/withdrawal`)
  expect(page.body).toContain('Withdrew support on 20 October 2026')
  expect(page.body).toContain('Yes, and withdrew later')
  expect(page.body).toContain('Fear of giving evidence or of court')
  expect(page.body).toContain('Worried about the trial date')
  expect(page.body).toContain('21 October 2026 by DC Invented 4321')
  expect(page.body).toContain('I &lt;b&gt;cannot&lt;/b&gt; face court')
  expect(page.body).not.toContain('Typed before choosing no')
  expect(page.body).toContain('Record re-engagement')
  expect(page.body).toContain('Not yet considered')
})

test('a statement not taken: the page drops the statement’s fields the browser still posts', async () => {
  const id = await newCase()
  const b = await signedIn(t, 'oic.north')
  const res = await b.post(`/cases/${id}/withdrawal`, {
    'withdrawnOn-day': '20',
    'withdrawnOn-month': '10',
    'withdrawnOn-year': '2026',
    everSupported: 'no',
    reasons: ['never_supported'],
    retractionStatementTaken: 'no',
    retractionTakenBy: 'left over',
    pressureSuspected: 'unknown',
  })
  expect(res.statusCode).toBe(303)
  expect((await view(id)).withdrawals[0]).toMatchObject({ everSupported: false, retraction: null })
})

test('the evidence-led prosecution page: each side sees its own questions and records them', async () => {
  const id = await newCase()
  await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
  const { id: wid } = (await withdraw(id, valid)).json()
  const url = `/cases/${id}/withdrawal/${wid}/elp`
  const police = await signedIn(t, 'oic.north')
  const form = await police.get(url)
  expect(form.statusCode).toBe(200)
  expect(form.body).toContain('Police view on an evidence-led prosecution')
  expect(form.body).not.toContain('CPS view on an evidence-led prosecution')
  const empty = await police.post(url, {})
  expect(empty.statusCode).toBe(400)
  expect(empty.body).toContain('href="#policeView"')
  expect((await police.post(url, { policeView: 'Body-worn video of the first account' })).statusCode).toBe(303)
  const prosecutor = await signedIn(t, 'prosecutor')
  // Not allocated the case, the prosecutor is asked why first, then sent back to the page.
  const asked = await prosecutor.get(url)
  expect(asked.statusCode).toBe(303)
  const stated = await prosecutor.post(`/cases/${id}/reason`, { reason: 'covering', next: url })
  expect(stated.headers.location).toBe(url)
  expect((await prosecutor.get(url)).body).toContain('Body-worn video of the first account')
  expect((await prosecutor.post(url, { cpsView: 'Strong enough', decision: 'not_proceed' })).statusCode).toBe(303)
  const page = await police.get(`/cases/${id}/withdrawal`)
  expect(page.body).toContain('Do not proceed with an evidence-led prosecution')
})

test('migration 0014 keeps older withdrawals valid: the generic delay reads as a legacy reason, the new facts as not recorded', async () => {
  const folder = path.join(import.meta.dirname, '../../db/migrations')
  const files = (await readdir(folder)).filter((f) => f.endsWith('.sql')).sort()
  const db = await openPglite()
  try {
    const apply = async (name: string) => {
      for (const s of (await readFile(path.join(folder, name), 'utf8')).split(/^--;\s*$/m)) {
        if (s.trim()) await db.query(s)
      }
    }
    for (const f of files.filter((f) => f < '0014')) await apply(f)
    // A row as 0005 allowed it, without the case and user it would hang off (their checks are not the point).
    await db.query('SET session_replication_role = replica')
    await db.query(
      `INSERT INTO withdrawals (case_id, stage, withdrawn_on, reasons, details, retraction_statement_taken, recorded_by, recorded_at)
       VALUES (gen_random_uuid(), 'investigation', '2026-01-10', ARRAY['delay', 'fear_of_court'], NULL, true, gen_random_uuid(), now())`,
    )
    await db.query('SET session_replication_role = DEFAULT')
    for (const f of files.filter((f) => f >= '0014')) await apply(f)
    const [row] = await db.query<{ reasons: string[]; ever_supported: boolean | null; retraction_taken_on: string | null }>(
      'SELECT reasons, ever_supported, retraction_taken_on FROM withdrawals',
    )
    expect(row).toEqual({ reasons: ['delay', 'fear_of_court'], ever_supported: null, retraction_taken_on: null })
    expect(row.reasons.map((c) => labelOf(ALL_WITHDRAWAL_REASONS, c))).toEqual([
      'Delay (where it arose not recorded)',
      'Fear of giving evidence or of court',
    ])
  } finally {
    await db.close()
  }
})

describe('a case file with two victims: each victim’s withdrawals are their own', () => {
  const victimDetails = (firstName: string) => ({
    firstName,
    lastName: 'Invented',
    phone: '07700 900982',
    preferredLanguage: 'English',
    interpreterNeeded: false,
    vulnerable: false,
  })
  /** Victim A takes over the ISVA referral made before any victim was recorded; victim B is recorded after. */
  async function twoVictims() {
    const id = await newCase()
    await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north']))
    const referral = await api(t, token, {
      method: 'POST',
      url: `/api/v1/cases/${id}/support/referrals`,
      payload: {
        serviceId: t.demo.orgs.isva,
        kind: 'isva',
        consentGiven: true,
        consentRecordedOn: '2026-10-05',
        shared: ['case_summary', 'victim_details', 'communication_plan', 'outcome'],
      },
    })
    expect(referral.statusCode, referral.body).toBe(201)
    const north = await t.ctx('oic.north')
    const a = await saveVictimDetails(north, id, victimDetails('Avery'))
    const b = await saveVictimDetails(north, id, victimDetails('Blake'), { another: true })
    return { id, a: a.id, b: b.id }
  }
  const under = (id: string, victimId: string) => `/api/v1/cases/${id}/victims/${victimId}/withdrawals`

  test('victim A withdraws and victim B does not; B may withdraw on their own, each with one open withdrawal', async () => {
    const { id, a, b } = await twoVictims()
    const recorded = await api(t, token, { method: 'POST', url: under(id, a), payload: valid })
    expect(recorded.statusCode, recorded.body).toBe(201)
    const aView = (await api(t, token, { method: 'GET', url: under(id, a) })).json()
    expect(aView).toMatchObject({ withdrawn: true, withdrawals: [{ id: recorded.json().id }] })
    expect((await api(t, token, { method: 'GET', url: under(id, b) })).json()).toEqual({ withdrawn: false, withdrawals: [] })

    // The page under B shows none and offers B's own form, posting to B's address.
    const police = await signedIn(t, 'oic.north')
    const bPage = await police.get(`/cases/${id}/victims/${b}/withdrawal`)
    expect(bPage.statusCode).toBe(200)
    expect(bPage.body).toContain('Blake Invented')
    expect(bPage.body).toContain('The victim has not withdrawn support.')
    expect(bPage.body).toContain(`action="/cases/${id}/victims/${b}/withdrawal"`)
    const aPage = await police.get(`/cases/${id}/victims/${a}/withdrawal`)
    expect(aPage.body).toContain(`action="/cases/${id}/victims/${a}/withdrawal/reengagement"`)
    expect(aPage.body).toContain(`href="/cases/${id}/victims/${a}/withdrawal/${recorded.json().id}/elp"`)

    // One open withdrawal per victim: A's second is refused, B's first is not.
    expect((await api(t, token, { method: 'POST', url: under(id, a), payload: valid })).statusCode).toBe(409)
    const bPosted = await police.post(`/cases/${id}/victims/${b}/withdrawal`, {
      'withdrawnOn-day': '22',
      'withdrawnOn-month': '10',
      'withdrawnOn-year': '2026',
      everSupported: 'no',
      reasons: ['never_supported'],
      retractionStatementTaken: 'no',
    })
    expect(bPosted.statusCode).toBe(303)
    expect(bPosted.headers.location).toBe(`/cases/${id}/victims/${b}/withdrawal`)
    expect((await api(t, token, { method: 'POST', url: under(id, b), payload: noStatement })).statusCode).toBe(409)
    const bView = (await api(t, token, { method: 'GET', url: under(id, b) })).json()
    expect(bView.withdrawals.map((w: { withdrawnOn: string }) => w.withdrawnOn)).toEqual(['2026-10-22'])

    // Re-engagement under B follows B's withdrawal only.
    const reengaged = await api(t, token, {
      method: 'POST',
      url: `${under(id, b)}/reengagement`,
      payload: { reengagedOn: '2026-10-28' },
    })
    expect(reengaged.statusCode).toBe(200)
    expect((await api(t, token, { method: 'GET', url: under(id, a) })).json().withdrawn).toBe(true)
    expect((await api(t, token, { method: 'GET', url: under(id, b) })).json().withdrawn).toBe(false)

    const victimsOf = await t.db.query<{ victim_id: string; withdrawn_on: string }>(
      'SELECT victim_id, withdrawn_on FROM withdrawals WHERE case_id = $1 ORDER BY withdrawn_on',
      [id],
    )
    expect(victimsOf).toEqual([
      { victim_id: a, withdrawn_on: '2026-10-20' },
      { victim_id: b, withdrawn_on: '2026-10-22' },
    ])
    const events = await t.db.query<{ type: string; data: { victimId: string } }>(
      "SELECT type, data FROM case_events WHERE case_id = $1 AND type LIKE 'withdrawal.%' ORDER BY id",
      [id],
    )
    expect(events.map((e) => [e.type, e.data.victimId])).toEqual([
      ['withdrawal.recorded', a],
      ['withdrawal.recorded', b],
      ['withdrawal.reengaged', b],
    ])
  })

  test('the case’s old address asks which victim: 409 several_victims in the API, a choice of victims on the page', async () => {
    const { id, a, b } = await twoVictims()
    const before = await count(t.db, 'withdrawals')
    for (const res of [
      await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/withdrawals` }),
      await withdraw(id, valid),
      await api(t, token, {
        method: 'POST',
        url: `/api/v1/cases/${id}/withdrawals/reengagement`,
        payload: { reengagedOn: '2026-10-28' },
      }),
    ]) {
      expect(res.statusCode, res.body).toBe(409)
      expect(res.json().code).toBe('several_victims')
    }
    expect(await count(t.db, 'withdrawals')).toBe(before)

    const page = await (await signedIn(t, 'oic.north')).get(`/cases/${id}/withdrawal`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Which victim?')
    expect(page.body).toContain(`href="/cases/${id}/victims/${a}/withdrawal"`)
    expect(page.body).toContain(`href="/cases/${id}/victims/${b}/withdrawal"`)
  })

  test('an evidence-led prosecution reaches a withdrawal only under its own victim', async () => {
    const { id, a, b } = await twoVictims()
    const { id: wid } = (await api(t, token, { method: 'POST', url: under(id, a), payload: valid })).json()
    const viaB = await api(t, token, { method: 'POST', url: `${under(id, b)}/${wid}/elp`, payload: { policeView: 'x' } })
    expect(viaB.statusCode).toBe(404)
    const police = await signedIn(t, 'oic.north')
    expect((await police.get(`/cases/${id}/victims/${b}/withdrawal/${wid}/elp`)).statusCode).toBe(404)
    expect((await police.post(`/cases/${id}/victims/${b}/withdrawal/${wid}/elp`, { policeView: 'x' })).statusCode).toBe(404)
    expect(await t.db.query('SELECT 1 FROM withdrawal_elp WHERE case_id = $1', [id])).toEqual([])
    // On the old address the case's victims must be chosen first.
    const old = await elp(id, wid, { policeView: 'x' })
    expect(old.statusCode).toBe(409)
    expect(old.json().code).toBe('several_victims')

    const viaA = await api(t, token, { method: 'POST', url: `${under(id, a)}/${wid}/elp`, payload: { policeView: 'x' } })
    expect(viaA.statusCode, viaA.body).toBe(200)
    const page = await police.get(`/cases/${id}/victims/${a}/withdrawal/${wid}/elp`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`action="/cases/${id}/victims/${a}/withdrawal/${wid}/elp"`)
    const [event] = await t.db.query<{ data: { victimId: string } }>(
      "SELECT data FROM case_events WHERE case_id = $1 AND type = 'withdrawal.elp_considered'",
      [id],
    )
    expect(event.data.victimId).toBe(a)
  })

  test('the ISVA supporting victim A sees no withdrawal under either victim, and is told nothing of victim B', async () => {
    const { id, a, b } = await twoVictims()
    await api(t, token, { method: 'POST', url: under(id, a), payload: valid })
    const isva = await t.token('isva')
    expect((await api(t, isva, { method: 'GET', url: under(id, a) })).statusCode).toBe(404)
    expect((await api(t, isva, { method: 'GET', url: under(id, b) })).statusCode).toBe(404)
    // The old address is A's for this ISVA, who knows of one victim: still no withdrawals.
    expect((await api(t, isva, { method: 'GET', url: `/api/v1/cases/${id}/withdrawals` })).statusCode).toBe(404)
    const before = await count(t.db, 'withdrawals')
    // For its own victim it is told why it cannot record one; of the other victim, nothing.
    const own = await api(t, isva, { method: 'POST', url: under(id, a), payload: noStatement })
    expect(own.statusCode).toBe(403)
    expect(own.json().code).toBe('isva_independent')
    expect((await api(t, isva, { method: 'POST', url: under(id, b), payload: noStatement })).statusCode).toBe(404)
    expect(await count(t.db, 'withdrawals')).toBe(before)
    const browser = await signedIn(t, 'isva')
    expect((await browser.get(`/cases/${id}/victims/${b}/withdrawal`)).statusCode).toBe(404)
    expect((await browser.get(`/cases/${id}/victims/${a}/withdrawal`)).statusCode).toBe(404)
  })

  test('bad input under a victim writes nothing', async () => {
    const { id, a } = await twoVictims()
    const before = [await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]
    const res = await api(t, token, { method: 'POST', url: under(id, a), payload: { ...noStatement, reasons: [] } })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0].field).toBe('reasons')
    expect([await count(t.db, 'withdrawals'), await count(t.db, 'case_events')]).toEqual(before)
  })
})
