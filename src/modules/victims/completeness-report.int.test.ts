import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { referForCharge } from '../../testing/referral.ts'
import { recordNotSought } from '../advice/service.ts'
import { createCase } from '../cases/service.ts'
import { refer } from '../charging/service.ts'
import { addSuspect } from '../suspects/service.ts'
import { triage } from '../triage/service.ts'
import { FROM_DATE_OF_BIRTH, PREFERS_NOT_TO_SAY } from './characteristics.ts'
import { REPORT_DEFINITION, saveCharacteristics, saveVictimDetails } from './service.ts'

/*
 * The completeness report on a fixed world. The clock is 2 November 2026, in 2026-27 Q3
 * (October to December). Northvale, quarter 2026-27 Q3:
 *   A  RASSO team, recorded 1 October: every question answered (ethnic group White British); referred to the CPS
 *   B  RASSO team, recorded 1 November: no date of birth, age band and sex given, ethnic group "White" at the broad level only
 *   F  a second team, recorded 15 October: date of birth only
 *   E  recorded in the quarter with no victim: not counted
 * Northvale, 2026-27 Q2: C recorded 30 September, complete. Southmere, Q3: S, referred to the CPS.
 */

let t: TestApp
const ids: Record<string, string> = {}

const details = (over: Record<string, unknown> = {}) => ({
  firstName: 'Sam',
  lastName: 'Testvictim',
  dateOfBirth: '1990-05-01',
  phone: '07700 900111',
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
  ...over,
})
const everything = {
  age: FROM_DATE_OF_BIRTH,
  disability: 'no',
  genderReassignment: 'same',
  marriageCivilPartnership: 'never',
  pregnancyMaternity: 'neither',
  ethnicity: 'white_british',
  religion: PREFERS_NOT_TO_SAY,
  sex: 'female',
  sexualOrientation: 'straight',
}

beforeAll(async () => {
  t = await startTestApp()
  const north = await t.ctx('oic.north')
  const south = await t.ctx('oic.south')
  const at = (recorded: string, reported = recorded) => ({
    offenceDateFrom: '2026-06-01',
    dateReported: reported,
    dateRecorded: recorded,
  })
  ids.A = (await createCase(north, t.caseInput('oic.north', at('2026-10-01')))).id
  ids.B = (await createCase(north, t.caseInput('oic.north', at('2026-11-01', '2026-10-20')))).id
  ids.F = (await createCase(north, t.caseInput('oic.north', at('2026-10-15')))).id
  ids.E = (await createCase(north, t.caseInput('oic.north', at('2026-10-02')))).id
  ids.C = (await createCase(north, t.caseInput('oic.north', at('2026-09-30')))).id
  ids.S = (await createCase(south, t.caseInput('oic.south', at('2026-10-05')))).id

  const [team] = await t.db.query<{ id: string }>(
    "INSERT INTO teams (organisation_id, name) VALUES ($1, 'Child abuse investigation team') RETURNING id",
    [t.demo.orgs.north],
  )
  await t.db.query('UPDATE cases SET team_id = $1 WHERE id = $2', [team.id, ids.F])

  await saveVictimDetails(north, ids.A, details())
  await saveCharacteristics(north, ids.A, everything)
  await saveVictimDetails(north, ids.B, details({ dateOfBirth: null }))
  await saveCharacteristics(north, ids.B, { age: '18_to_24', sex: 'female' })
  // As migration 0013 leaves an answer given when only the broad group was asked.
  await t.db.query(
    `INSERT INTO victim_characteristics (victim_id, characteristic, value, updated_at, updated_by)
     SELECT id, 'ethnicity', 'white_detail_not_recorded', now(), $2 FROM victims WHERE case_id = $1`,
    [ids.B, t.demo.users['oic.north']],
  )
  await saveVictimDetails(north, ids.F, details())
  await saveVictimDetails(north, ids.C, details())
  await saveCharacteristics(north, ids.C, everything)
  await saveVictimDetails(south, ids.S, details())
  await saveCharacteristics(south, ids.S, { ...everything, ethnicity: 'black_african' })

  await referForCharge(t, ids.A)
  await recordNotSought(south, ids.S, { reasons: ['ready_for_charging'], details: 'The file is complete.' })
  await addSuspect(south, ids.S, { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' })
  const { id: referral } = await refer(south, ids.S, { test: 'full_code', mgForms: ['MG3', 'MG5', 'MG11'] })
  await triage(await t.ctx('dcp'), 'charging', ids.S, referral, {
    decision: 'accept',
    unitId: t.demo.teams['cps-rasso'],
    prosecutorId: t.demo.users.prosecutor,
  })
})
afterAll(() => t.close())

const report = async (username: string, quarter?: string) =>
  api(t, await t.token(username), {
    method: 'GET',
    url: `/api/v1/victims/completeness/report${quarter === undefined ? '' : `?quarter=${quarter}`}`,
  })

const answered = (figures: { characteristics: { key: string; answered: number }[] }) =>
  Object.fromEntries(figures.characteristics.map((c) => [c.key, c.answered]))

describe('the completeness report through the API', () => {
  test('a police supervisor sees their own force for the current financial quarter, per characteristic, force and team', async () => {
    const res = await report('supervisor.north')
    expect(res.statusCode).toBe(200)
    const r = res.json()
    expect(r.organisation).toEqual({ id: t.demo.orgs.north, name: 'Northvale Police' })
    expect(r.quarter).toEqual({
      code: '2026-27-Q3',
      label: '2026-27 Q3: October to December 2026',
      from: '2026-10-01',
      to: '2026-12-31',
    })
    expect(r.definition).toBe(REPORT_DEFINITION)
    expect(r.total).toMatchObject({ victims: 3, complete: 1, ethnicityToAskAgain: 1 })
    expect(answered(r.total)).toEqual({
      age: 3, // a date of birth (A, F) or an age band (B)
      disability: 1,
      genderReassignment: 1,
      marriageCivilPartnership: 1,
      pregnancyMaternity: 1,
      ethnicity: 1, // B's broad-only answer is not an answer to the detailed question
      religion: 1, // "prefers not to say" is an answer
      sex: 2,
      sexualOrientation: 1,
    })
    expect(r.total.characteristics.find((c: { key: string }) => c.key === 'sex')).toEqual({
      key: 'sex',
      name: 'Sex',
      answered: 2,
      notAnswered: 1,
    })
    expect(r.forces).toHaveLength(1)
    const [force] = r.forces
    expect(force).toMatchObject({ id: t.demo.orgs.north, name: 'Northvale Police', victims: 3, complete: 1 })
    expect(force.teams.map((x: { name: string; victims: number; complete: number }) => [x.name, x.victims, x.complete])).toEqual([
      ['Child abuse investigation team', 1, 0],
      ['RASSO investigation team', 2, 1],
    ])
    expect(answered(force.teams[0])).toMatchObject({ age: 1, sex: 0, ethnicity: 0 })

    const white = r.ethnicity.broadGroups.find((g: { code: string }) => g.code === 'white')
    expect(white).toMatchObject({ victims: 2, detailRecorded: 1, broadOnly: 1 })
    expect(white.categories.find((c: { code: string }) => c.code === 'white_british').victims).toBe(1)
    expect(r.ethnicity.broadGroups.map((g: { code: string }) => g.code)).toEqual(['asian', 'black', 'mixed', 'white', 'other'])
    expect(r.ethnicity).toMatchObject({ prefersNotToSay: 0, notAsked: 1 })
  })

  test('a case counts in the quarter its crime was recorded: 30 September is in Q2', async () => {
    const r = (await report('supervisor.north', '2026-27-Q2')).json()
    expect(r.quarter).toMatchObject({ from: '2026-07-01', to: '2026-09-30' })
    expect(r.total).toMatchObject({ victims: 1, complete: 1 })
    const q4 = (await report('supervisor.north', '2026-27-Q4')).json()
    expect(q4.total).toMatchObject({ victims: 0, complete: 0 })
    expect(q4.forces).toEqual([])
  })

  test('another force’s supervisor sees only their own force', async () => {
    const r = (await report('supervisor.south')).json()
    expect(r.forces.map((f: { name: string }) => f.name)).toEqual(['Southmere Constabulary'])
    expect(r.total).toMatchObject({ victims: 1, complete: 1 })
  })

  test('a CPS manager sees the cases referred to their Area, by force and CPS unit', async () => {
    const r = (await report('dcp')).json()
    expect(r.organisation.name).toBe('CPS Vale and Mere')
    expect(r.total).toMatchObject({ victims: 2, complete: 2 })
    expect(
      r.forces.map((f: { name: string; victims: number; teams: { name: string }[] }) => [
        f.name,
        f.victims,
        f.teams.map((x) => x.name),
      ]),
    ).toEqual([
      ['Northvale Police', 1, ['RASSO unit']],
      ['Southmere Constabulary', 1, ['RASSO unit']],
    ])
    const black = r.ethnicity.broadGroups.find((g: { code: string }) => g.code === 'black')
    expect(black).toMatchObject({ victims: 1, detailRecorded: 1 })
  })

  test.each(['oic.north', 'prosecutor', 'analyst', 'isva', 'admin.north'])(
    '%s is told it does not exist (404)',
    async (username) => {
      expect((await report(username)).statusCode).toBe(404)
    },
  )

  test('a quarter that is not one gets 400 problem JSON naming the field', async () => {
    for (const quarter of ['2026-Q3', '2026-28-Q1', 'Q5']) {
      const res = await report('supervisor.north', quarter)
      expect(res.statusCode, quarter).toBe(400)
      expect(res.json().errors).toEqual([{ field: 'quarter', message: 'Choose a quarter, for example 2026-27-Q3' }])
    }
  })

  test('reading it is audited as a consultation of counts, naming no case', async () => {
    await report('supervisor.north', '2026-27-Q3')
    const [row] = await t.db.query<{ case_id: string | null; justification: string; details: Record<string, unknown> }>(
      "SELECT case_id, justification, details FROM audit_log WHERE action = 'victims.completeness_report_viewed' ORDER BY id DESC LIMIT 1",
    )
    expect(row).toMatchObject({ case_id: null, justification: 'cases of own force', details: { quarter: '2026-27-Q3' } })
  })

  test('the older all-cases measure uses the same rule: a broad-only ethnic group is not complete', async () => {
    const res = await api(t, await t.token('oic.north'), { method: 'GET', url: '/api/v1/victims/completeness' })
    // Demo victim (nothing answered) + A, B, C, F: A and C complete.
    expect(res.json()).toEqual({ victims: 5, complete: 2, incomplete: 3 })
  })
})

describe('the completeness page', () => {
  test('supervisors reach it from the navigation; it says what is counted, with a table per force by team', async () => {
    const supervisor = await signedIn(t, 'supervisor.north')
    const home = await supervisor.get('/cases')
    expect(home.body).toContain('href="/victims/completeness"')
    const page = await supervisor.get('/victims/completeness')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<h1 class="govuk-heading-l">Protected characteristics completeness</h1>')
    expect(page.body).toContain('Figures count victims')
    expect(page.body).toContain('2026-27 Q3: October to December 2026 runs from 1 October 2026 to 31 December 2026')
    expect(page.body).toMatch(/value="2026-27-Q3" selected/)
    expect(page.body).toContain('value="2025-26-Q4"')
    expect(page.body).toMatch(/data-testid="complete">1 of 3 \(33%\)/)
    expect(page.body).toContain('Northvale Police (all teams)')
    expect(page.body).toContain('Child abuse investigation team')
    expect(page.body).toMatch(/Sex<\/th>\s*<td class="govuk-table__cell govuk-table__cell--numeric">2 of 3 \(67%\)/)
    expect(page.body).toContain('Detailed category not recorded')
    expect(page.body).not.toContain('Testvictim')

    const q2 = await supervisor.get('/victims/completeness?quarter=2026-27-Q2')
    expect(q2.body).toMatch(/data-testid="victims">1</)
  })

  test('a quarter that is not one is sent back with the error summary', async () => {
    const supervisor = await signedIn(t, 'supervisor.north')
    const res = await supervisor.get('/victims/completeness?quarter=2026-Q3')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('govuk-error-summary')
    expect(res.body).toContain('href="#quarter"')
  })

  test('an investigator has no link to it and gets 404', async () => {
    const oic = await signedIn(t, 'oic.north')
    expect((await oic.get('/cases')).body).not.toContain('href="/victims/completeness"')
    expect((await oic.get('/victims/completeness')).statusCode).toBe(404)
  })
})

test('the OpenAPI document describes the report with its quarter parameter', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
  const op = doc.paths['/victims/completeness/report'].get
  expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['quarter'])
  expect(JSON.stringify(op.responses['200'])).toContain('ethnicityToAskAgain')
})
