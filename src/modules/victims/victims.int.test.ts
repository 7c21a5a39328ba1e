import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { splitStatements } from '../../db/migrate.ts'
import { api, auditWrites, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { createCase } from '../cases/service.ts'
import { CHARACTERISTIC_KEYS, FROM_DATE_OF_BIRTH, NOT_ASKED, PREFERS_NOT_TO_SAY } from './characteristics.ts'
import { CONTACT_RULE, VULNERABLE_REASON_RULE } from './schema.ts'
import { AGE_BAND_NEEDS_NO_DATE_RULE, AGE_FROM_DATE_OF_BIRTH_RULE, ETHNICITY_DETAIL_RULE } from './service.ts'

let t: TestApp
let oic: Browser
let south: Browser
let token: string
let southToken: string
let urns = 0

beforeAll(async () => {
  t = await startTestApp()
  oic = await signedIn(t, 'oic.north')
  south = await signedIn(t, 'oic.south')
  token = await t.token('oic.north')
  southToken = await t.token('oic.south')
})
afterAll(() => t.close())

async function newCase(username = 'oic.north'): Promise<string> {
  const ctx = await t.ctx(username)
  const force = username === 'oic.south' ? '92' : '91'
  const urn = `${force}VC${String(10000 + urns++)}26`
  return (await createCase(ctx, t.caseInput(username as 'oic.north', { urn }))).id
}

/** Personal data that must never reach a URL, an event or an audit row. */
const PERSONAL = ['Alexandra', 'Quill', 'Lexi', '07700 900982', 'alex.quill@example.com', 'Flat 2', '1994-03-27', 'Welsh']

const form = (over: Record<string, string> = {}) => ({
  firstName: 'Alexandra',
  lastName: 'Quill',
  otherNames: 'Lexi',
  'dateOfBirth-day': '27',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '1994',
  phone: '07700 900982',
  email: 'alex.quill@example.com',
  postalAddress: 'Flat 2\n1 Example Street\nNorthvale',
  preferredLanguage: 'Welsh',
  interpreterNeeded: 'yes',
  vulnerable: 'no',
  vulnerableReason: '',
  needs: 'Breaks every hour during interviews',
  ...over,
})

const body = (over: Record<string, unknown> = {}) => ({
  firstName: 'Alexandra',
  lastName: 'Quill',
  otherNames: null,
  dateOfBirth: '1994-03-27',
  phone: '07700 900982',
  email: null,
  postalAddress: null,
  preferredLanguage: 'Welsh',
  interpreterNeeded: false,
  vulnerable: true,
  vulnerableReason: 'Learning disability',
  needs: null,
  ...over,
})

/** Every question answered for a victim whose date of birth is recorded (so age comes from it). */
const allAnswered = (over: Record<string, string> = {}) => ({
  age: FROM_DATE_OF_BIRTH,
  disability: 'no',
  genderReassignment: 'same',
  marriageCivilPartnership: 'never',
  pregnancyMaternity: 'neither',
  ethnicity: 'white_british',
  religion: PREFERS_NOT_TO_SAY,
  sex: 'female',
  sexualOrientation: 'bisexual',
  ...over,
})

const TABLES = ['victims', 'victim_characteristics', 'case_events'] as const
async function nothingWritten(action: () => Promise<unknown>) {
  const counts = async () => Promise.all([...TABLES.map((table) => count(t.db, table)), auditWrites(t.db)])
  const before = await counts()
  await action()
  expect(await counts()).toEqual(before)
}

const events = (caseId: string) =>
  t.db.query<{ type: string; data: Record<string, unknown> }>(
    'SELECT type, data FROM case_events WHERE case_id = $1 ORDER BY id',
    [caseId],
  )
const audits = (caseId: string) =>
  t.db.query<{ action: string; justification: string | null; subject: string; details: Record<string, unknown> }>(
    "SELECT action, justification, subject, details FROM audit_log WHERE case_id = $1 AND action LIKE 'victim.%' ORDER BY id",
    [caseId],
  )

describe('the victim pages', () => {
  test('a case without a victim says so and offers to record one', async () => {
    const id = await newCase()
    const res = await oic.get(`/cases/${id}/victim`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('No victim recorded')
    expect(res.body).toContain(`href="/cases/${id}/victim/details"`)
    expect(res.body).toContain(`aria-current="page" href="/cases/${id}/victim">Victim</a>`)
  })

  test('recording a victim through the form: saved, shown with a task list, on the timeline, without personal data in the URL', async () => {
    const id = await newCase()
    const res = await oic.post(`/cases/${id}/victim/details`, form())
    expect(res.statusCode).toBe(303)
    const location = res.headers.location as string
    // Saved, the victim has their own address in the case file, which holds only ids.
    const [{ victimId }] = await t.db.query<{ victimId: string }>('SELECT id AS "victimId" FROM victims WHERE case_id = $1', [id])
    expect(location).toBe(`/cases/${id}/victims/${victimId}?done=details`)
    for (const p of PERSONAL) expect(location).not.toContain(p)

    const page = await oic.get(location)
    expect(page.body).toContain('The victim’s details have been saved')
    expect(page.body).toContain('Alexandra Quill')
    expect(page.body).toContain('27 March 1994 (age 32)')
    expect(page.body).toContain('Flat 2<br')
    expect(page.body).toContain('victims of sexual offences always have enhanced rights')
    expect(page.body).toContain('govuk-task-list')
    // Age is answered by the date of birth, but nobody has started on the questions.
    expect(page.body).toMatch(/Protected characteristics[\s\S]*1 of 9 answered[\s\S]*Not yet started/)

    expect(await events(id)).toEqual([
      { type: 'case.created', data: { offences: ['19C'] } },
      { type: 'victim.recorded', data: {} },
    ])
    const casePage = await oic.get(`/cases/${id}`)
    expect(casePage.body).toContain('Victim recorded')
  })

  test('the details form shows what is recorded, and saving a change records which fields changed', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    const edit = await oic.get(`/cases/${id}/victim/details`)
    expect(edit.body).toContain('Change the victim’s details')
    expect(edit.body).toContain('value="Alexandra"')
    expect(edit.body).toContain('value="27"')
    expect(edit.body).toMatch(/value="yes" checked/)

    const unchanged = await oic.post(`/cases/${id}/victim/details`, form())
    expect(unchanged.statusCode).toBe(303)
    expect((await events(id)).map((e) => e.type)).toEqual(['case.created', 'victim.recorded'])

    await oic.post(`/cases/${id}/victim/details`, form({ phone: '07700 900123', vulnerable: 'yes', vulnerableReason: 'Aged 17' }))
    const last = (await events(id)).at(-1)
    expect(last).toEqual({ type: 'victim.updated', data: { fields: ['phone', 'vulnerable', 'vulnerableReason'] } })
    const [, updated] = await audits(id).then((rows) => rows.filter((r) => r.action !== 'victim.viewed'))
    expect(updated).toMatchObject({
      action: 'victim.updated',
      justification: 'case of own force',
      details: { channel: 'web', fields: ['phone', 'vulnerable', 'vulnerableReason'] },
    })
  })

  test('bad input is sent back with the GOV.UK error summary, the rule, and what was typed; nothing is written', async () => {
    const id = await newCase()
    await nothingWritten(async () => {
      const future = await oic.post(`/cases/${id}/victim/details`, form({ 'dateOfBirth-year': '2027' }))
      expect(future.statusCode).toBe(400)
      expect(future.body).toContain('govuk-error-summary')
      expect(future.body).toContain('The date of birth must be in the past')
      expect(future.body).toContain('href="#dateOfBirth-day"')
      expect(future.body).toContain('value="2027"')
      expect(future.body).toContain('value="Alexandra"')

      const noContact = await oic.post(`/cases/${id}/victim/details`, form({ phone: '', email: '', postalAddress: '' }))
      expect(noContact.statusCode).toBe(400)
      expect(noContact.body).toContain(CONTACT_RULE)
      expect(noContact.body).toContain('href="#phone"')
      expect(noContact.body).toContain('id="contact-error"')

      const empty = await oic.post(`/cases/${id}/victim/details`, {})
      for (const anchor of ['firstName', 'lastName', 'phone', 'preferredLanguage', 'interpreterNeeded', 'vulnerable']) {
        expect(empty.body).toContain(`href="#${anchor}"`)
      }

      const noReason = await oic.post(`/cases/${id}/victim/details`, form({ vulnerable: 'yes', vulnerableReason: ' ' }))
      expect(noReason.body).toContain(VULNERABLE_REASON_RULE)
      const notADate = await oic.post(`/cases/${id}/victim/details`, form({ 'dateOfBirth-day': '30', 'dateOfBirth-month': '2' }))
      expect(notADate.body).toContain('The date of birth must be a real date')
    })
  })

  test('characteristics: every question starts "not yet asked"; one "prefers not to say" still completes the list', async () => {
    const id = await newCase()
    expect((await oic.get(`/cases/${id}/victim/characteristics`)).statusCode).toBe(409) // no victim yet
    await oic.post(`/cases/${id}/victim/details`, form())

    const blank = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(blank.statusCode).toBe(200)
    for (const key of CHARACTERISTIC_KEYS.filter((k) => k !== 'age')) {
      expect(blank.body).toMatch(new RegExp(`name="${key}" type="radio" value="${NOT_ASKED}" checked`))
    }
    // With a date of birth recorded, age is not asked: it comes from the date.
    expect(blank.body).not.toContain('name="age"')
    expect(blank.body).toContain('Taken from the victim’s date of birth: 32, in the 25 to 34 band.')

    const partial = await oic.post(`/cases/${id}/victim/characteristics`, { sex: 'female', religion: PREFERS_NOT_TO_SAY })
    expect(partial.headers.location).toMatch(new RegExp(`^/cases/${id}/victims/[0-9a-f-]{36}\\?done=characteristics$`))
    const inProgress = await oic.get(`/cases/${id}/victim`)
    expect(inProgress.body).toMatch(/3 of 9 answered[\s\S]*In progress/)
    expect(inProgress.body).toMatch(/Age\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*25 to 34 \(from the date of birth\)/)
    expect(inProgress.body).toMatch(/Religion or belief\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Prefers not to say/)
    expect(inProgress.body).toMatch(/Disability\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Not yet asked/)

    await oic.post(`/cases/${id}/victim/characteristics`, allAnswered())
    const done = await oic.get(`/cases/${id}/victim`)
    expect(done.body).toMatch(/9 of 9 answered[\s\S]*Completed/)
    const again = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(again.body).toMatch(new RegExp(`name="religion" type="radio" value="${PREFERS_NOT_TO_SAY}" checked`))
    expect(again.body).toMatch(/name="sex" type="radio" value="female" checked/)

    const [first, second] = (await events(id)).filter((e) => e.type === 'victim.characteristics_updated')
    expect(first.data).toEqual({ characteristics: ['religion', 'sex'], answered: 3 })
    expect(second.data.answered).toBe(9)
  })

  test('an answer from no list is refused with the rule named, and nothing is written', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    await nothingWritten(async () => {
      const res = await oic.post(`/cases/${id}/victim/characteristics`, allAnswered({ ethnicity: 'martian' }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain('Select an answer for race (ethnic group) from the list')
      expect(res.body).toContain('href="#ethnicity"')
      expect(res.body).toMatch(/name="sex" type="radio" value="female" checked/) // what was chosen is kept
    })
  })
})

describe('the victim API', () => {
  test('GET before a victim is recorded answers { victim: null }', async () => {
    const id = await newCase()
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ victim: null })
  })

  test('PUT records the victim; characteristics default to "not_asked", "prefers_not_to_say" is kept distinct', async () => {
    const id = await newCase()
    const put = await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body() })
    expect(put.statusCode).toBe(200)
    const { victim } = put.json()
    expect(victim).toMatchObject({
      firstName: 'Alexandra',
      dateOfBirth: '1994-03-27',
      age: 32,
      enhancedRights: true,
      intimidated: true,
      vulnerable: true,
      vulnerableReason: 'Learning disability',
      ageBand: { code: '25_to_34', label: '25 to 34', source: 'date_of_birth' },
      characteristicsCompleteness: { answered: 1, total: 9, status: 'not_started', toAskAgain: [] },
      characteristicsRecorded: {},
      ethnicity: { value: NOT_ASKED, broadGroup: null, detailRecorded: false, sdeCode: null },
    })
    expect(victim.characteristics).toEqual({
      ...Object.fromEntries(CHARACTERISTIC_KEYS.map((k) => [k, NOT_ASKED])),
      age: FROM_DATE_OF_BIRTH,
    })

    const partial = await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${id}/victim/characteristics`,
      payload: { religion: PREFERS_NOT_TO_SAY, sex: 'female' },
    })
    expect(partial.json().victim.characteristics).toMatchObject({
      religion: PREFERS_NOT_TO_SAY,
      sex: 'female',
      disability: NOT_ASKED,
    })
    expect(partial.json().victim.characteristicsCompleteness).toEqual({
      answered: 3,
      total: 9,
      status: 'in_progress',
      toAskAgain: [],
    })

    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim/characteristics`, payload: allAnswered() })
    const got = await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })
    expect(got.json().victim.characteristicsCompleteness).toEqual({ answered: 9, total: 9, status: 'completed', toAskAgain: [] })
    expect(got.json().victim.characteristics.religion).toBe(PREFERS_NOT_TO_SAY)

    // Enhanced rights and "intimidated" are not answers: a client cannot unset them.
    const unset = await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${id}/victim`,
      payload: { ...body(), enhancedRights: false, intimidated: false },
    })
    expect(unset.json().victim).toMatchObject({ enhancedRights: true, intimidated: true })
  })

  test('bad bodies get 400 problem JSON naming each rule, and nothing is written', async () => {
    const id = await newCase()
    await nothingWritten(async () => {
      const future = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${id}/victim`,
        payload: body({ dateOfBirth: '2026-11-02' }),
      })
      expect(future.statusCode).toBe(400)
      expect(future.json().errors).toEqual([{ field: 'dateOfBirth', message: 'The date of birth must be in the past' }])

      const noContact = await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body({ phone: '' }) })
      expect(noContact.json().errors).toEqual([{ field: 'contact', message: CONTACT_RULE }])

      const badEmail = await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body({ email: 'nope' }) })
      expect(badEmail.json().errors.map((e: { field: string }) => e.field)).toEqual(['email'])
    })
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body() })
    await nothingWritten(async () => {
      const unknown = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${id}/victim/characteristics`,
        payload: allAnswered({ sexualOrientation: 'unknown' }),
      })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json().errors).toEqual([
        { field: 'sexualOrientation', message: 'Select an answer for sexual orientation from the list' },
      ])
    })
  })

  test('reading is audited as a consultation with its justification; changes as alterations; no personal data anywhere in either log', async () => {
    const id = await newCase()
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body({ email: 'alex.quill@example.com' }) })
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim/characteristics`, payload: allAnswered() })
    await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })
    const rows = await audits(id)
    expect(rows.map((r) => [r.action, r.justification])).toEqual([
      ['victim.recorded', 'case of own force'],
      ['victim.characteristics_updated', 'case of own force'],
      ['victim.viewed', 'case of own force'],
    ])
    expect(rows.map((r) => r.details)).toEqual([
      expect.objectContaining({ kind: 'alteration', channel: 'api' }),
      expect.objectContaining({ kind: 'alteration', channel: 'api' }),
      { kind: 'consultation', channel: 'api' },
    ])
    const logged = JSON.stringify([rows, await events(id)])
    for (const p of [...PERSONAL, 'bisexual', 'Learning disability']) expect(logged).not.toContain(p)
  })

  test('completeness counts the victims of the caller’s cases only', async () => {
    const get = async (tok: string) => (await api(t, tok, { method: 'GET', url: '/api/v1/victims/completeness' })).json()
    const northBefore = await get(token)
    const southBefore = await get(southToken)
    const [complete, partial, untouched] = [await newCase(), await newCase(), await newCase()]
    for (const id of [complete, partial, untouched]) {
      await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body() })
    }
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${complete}/victim/characteristics`, payload: allAnswered() })
    await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${partial}/victim/characteristics`,
      payload: { sex: PREFERS_NOT_TO_SAY },
    })
    expect(await get(token)).toEqual({
      victims: northBefore.victims + 3,
      complete: northBefore.complete + 1,
      incomplete: northBefore.incomplete + 2,
    })
    expect(await get(southToken)).toEqual(southBefore)
    const analyst = await get(await t.token('analyst'))
    expect(analyst).toEqual({ victims: 0, complete: 0, incomplete: 0 })
  })
})

describe('the national standard: detailed ethnic group, optional date of birth, who recorded each answer', () => {
  const characteristicsOf = (caseId: string) =>
    t.db.query<{ characteristic: string; value: string }>(
      `SELECT vc.characteristic, vc.value FROM victim_characteristics vc JOIN victims v ON v.id = vc.victim_id
        WHERE v.case_id = $1 ORDER BY vc.characteristic`,
      [caseId],
    )

  test('a victim whose date of birth is not known is recorded, and their age band is asked with the characteristics', async () => {
    const id = await newCase()
    const res = await oic.post(
      `/cases/${id}/victim/details`,
      form({ 'dateOfBirth-day': '', 'dateOfBirth-month': '', 'dateOfBirth-year': '' }),
    )
    expect(res.statusCode).toBe(303)
    const page = await oic.get(`/cases/${id}/victim`)
    expect(page.body).toMatch(/Date of birth\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Not known/)
    expect(page.body).toMatch(/0 of 9 answered[\s\S]*Not yet started/)

    const formPage = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(formPage.body).toContain('The victim’s date of birth is not known. Which age band are they in?')
    for (const band of ['under_13', '13_to_15', '16_to_17', '18_to_24', '65_and_over']) {
      expect(formPage.body).toContain(`name="age" type="radio" value="${band}"`)
    }
    expect(formPage.body).toMatch(new RegExp(`name="age" type="radio" value="${NOT_ASKED}" checked`))

    await oic.post(`/cases/${id}/victim/characteristics`, { age: '16_to_17' })
    const after = await oic.get(`/cases/${id}/victim`)
    expect(after.body).toMatch(/Age\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*16 to 17<br>/)
    const { victim } = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json()
    expect(victim).toMatchObject({
      dateOfBirth: null,
      age: null,
      ageBand: { code: '16_to_17', label: '16 to 17', source: 'recorded' },
      characteristicsCompleteness: { answered: 1 },
    })
    expect(victim.characteristics.age).toBe('16_to_17')

    // Once a date of birth is recorded, age comes from it and the stored band is not used.
    await oic.post(`/cases/${id}/victim/details`, form())
    const dated = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json().victim
    expect(dated).toMatchObject({ age: 32, ageBand: { code: '25_to_34', source: 'date_of_birth' } })
    expect(dated.characteristics.age).toBe(FROM_DATE_OF_BIRTH)
    expect(dated.characteristicsRecorded.age).toBeUndefined()
  })

  test('through the API: no date of birth is null; age answers must agree with whether a date is recorded', async () => {
    const undated = await newCase()
    const put = await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${undated}/victim`,
      payload: body({ dateOfBirth: null }),
    })
    expect(put.statusCode).toBe(200)
    expect(put.json().victim).toMatchObject({ dateOfBirth: null, age: null, ageBand: null })
    const left = await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${undated}/victim`,
      payload: { ...body(), dateOfBirth: undefined },
    })
    expect(left.statusCode).toBe(200)

    const dated = await newCase()
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${dated}/victim`, payload: body() })
    await nothingWritten(async () => {
      const bandWithDate = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${dated}/victim/characteristics`,
        payload: allAnswered({ age: '25_to_34' }),
      })
      expect(bandWithDate.statusCode).toBe(400)
      expect(bandWithDate.json().errors).toEqual([{ field: 'age', message: AGE_FROM_DATE_OF_BIRTH_RULE }])
      const dateWithout = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${undated}/victim/characteristics`,
        payload: allAnswered(),
      })
      expect(dateWithout.json().errors).toEqual([{ field: 'age', message: AGE_BAND_NEEDS_NO_DATE_RULE }])
      const notADate = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${dated}/victim`,
        payload: body({ dateOfBirth: '1994-02-30' }),
      })
      expect(notADate.json().errors).toEqual([{ field: 'dateOfBirth', message: 'The date of birth must be a real date' }])
    })
    // "Prefers not to say" answers age when no date is given.
    const declined = await api(t, token, {
      method: 'PUT',
      url: `/api/v1/cases/${undated}/victim/characteristics`,
      payload: allAnswered({ age: PREFERS_NOT_TO_SAY }),
    })
    expect(declined.json().victim.characteristicsCompleteness).toMatchObject({ answered: 9, status: 'completed' })
  })

  test('ethnic group is recorded at the detailed level and shown at both levels, with the police code', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    const formPage = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(formPage.body).toMatch(/Asian, Asian British or Asian Welsh\s*<\/legend>/)
    expect(formPage.body).toContain('id="ethnicity" name="ethnicity" type="radio" value="asian_bangladeshi"')
    expect((formPage.body.match(/name="ethnicity" type="radio"/g) ?? []).length).toBe(21) // 19 categories, declined, not asked

    await oic.post(`/cases/${id}/victim/characteristics`, { ethnicity: 'asian_pakistani' })
    const page = await oic.get(`/cases/${id}/victim`)
    expect(page.body).toMatch(/Race \(ethnic group\)\s*<\/dt>\s*<dd class="govuk-summary-list__value">\s*Pakistani<br>/)
    expect(page.body).toContain('Broad group: Asian, Asian British or Asian Welsh')
    const { victim } = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json()
    expect(victim.ethnicity).toEqual({
      value: 'asian_pakistani',
      label: 'Pakistani',
      broadGroup: { code: 'asian', label: 'Asian, Asian British or Asian Welsh' },
      detailRecorded: true,
      sdeCode: 'A2',
    })
    // The old broad values are refused as new answers.
    const broad = await oic.post(`/cases/${id}/victim/characteristics`, { ethnicity: 'asian' })
    expect(broad.statusCode).toBe(400)
    expect(broad.body).toContain('Select an answer for race (ethnic group) from the list')
    expect(broad.body).toContain('href="#ethnicity"')
  })

  test('each answer shows when and by whom it was recorded; an unchanged answer keeps its time', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    await oic.post(`/cases/${id}/victim/characteristics`, { sex: 'female', religion: PREFERS_NOT_TO_SAY })
    const first = t.clock.now().toISOString()
    // Later the same morning (within the session's idle time); the clock only moves forward.
    t.clock.advance(10 * 60_000)
    await oic.post(`/cases/${id}/victim/characteristics`, { sex: 'female', religion: 'none' })
    const { victim } = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json()
    const by = { id: t.demo.users['oic.north'], name: 'DC Sam Okafor' }
    expect(victim.characteristicsRecorded).toEqual({
      sex: { recordedAt: first, recordedBy: by },
      religion: { recordedAt: t.clock.now().toISOString(), recordedBy: by },
    })
    const page = await oic.get(`/cases/${id}/victim`)
    expect(page.body).toMatch(
      /Sex\s*<\/dt>[\s\S]*?Female<br><span class="govuk-hint[^"]*">Recorded on 2 November 2026 at 10:00am by DC Sam Okafor/,
    )
    expect(page.body).toMatch(/Religion or belief\s*<\/dt>[\s\S]*?Recorded on 2 November 2026 at 10:10am by DC Sam Okafor/)
    const formPage = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(formPage.body).toContain('What is the victim’s sex? Recorded on 2 November 2026 at 10:00am by DC Sam Okafor.')
  })

  test('an answer of the broad group only (from before the detailed list) reads as such, is to ask again, and is kept until asked', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    await oic.post(`/cases/${id}/victim/characteristics`, allAnswered())
    await t.db.query(
      `UPDATE victim_characteristics SET value = 'white_detail_not_recorded'
        WHERE characteristic = 'ethnicity' AND victim_id = (SELECT id FROM victims WHERE case_id = $1)`,
      [id],
    )
    const page = await oic.get(`/cases/${id}/victim`)
    expect(page.body).toContain('White (detailed category not recorded)')
    expect(page.body).toContain('Only the broad group was recorded: ask the victim again')
    expect(page.body).toMatch(/8 of 9 answered; ethnic group to ask again[\s\S]*In progress/)

    const formPage = await oic.get(`/cases/${id}/victim/characteristics`)
    expect(formPage.body).toMatch(/name="ethnicity" type="radio" value="white_detail_not_recorded" checked/)
    expect(formPage.body).toContain('White (detailed category not recorded): keep until the victim is asked again')

    // Saving the form with it unchanged keeps it; another broad-only value cannot be given.
    const kept = await oic.post(`/cases/${id}/victim/characteristics`, {
      ...allAnswered(),
      ethnicity: 'white_detail_not_recorded',
      sex: 'male',
    })
    expect(kept.statusCode).toBe(303)
    expect((await characteristicsOf(id)).find((r) => r.characteristic === 'ethnicity')?.value).toBe('white_detail_not_recorded')
    await nothingWritten(async () => {
      const other = await api(t, token, {
        method: 'PUT',
        url: `/api/v1/cases/${id}/victim/characteristics`,
        payload: allAnswered({ ethnicity: 'black_detail_not_recorded' }),
      })
      expect(other.statusCode).toBe(400)
      expect(other.json().errors).toEqual([{ field: 'ethnicity', message: ETHNICITY_DETAIL_RULE }])
    })
    const { victim } = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json()
    expect(victim.ethnicity).toMatchObject({ broadGroup: { code: 'white' }, detailRecorded: false, sdeCode: null })
    expect(victim.characteristicsCompleteness).toEqual({
      answered: 8,
      total: 9,
      status: 'in_progress',
      toAskAgain: ['ethnicity'],
    })

    await oic.post(`/cases/${id}/victim/characteristics`, { ...allAnswered(), ethnicity: 'white_irish' })
    const asked = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json().victim
    expect(asked.characteristicsCompleteness).toMatchObject({ answered: 9, toAskAgain: [] })
  })

  test('migration 0013 on answers in the old shape: broad groups kept as broad-only, "confirmed" age dropped, times kept', async () => {
    const id = await newCase()
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${id}/victim`, payload: body() })
    const [{ id: victimId }] = await t.db.query<{ id: string }>('SELECT id FROM victims WHERE case_id = $1', [id])
    const other = await newCase()
    await api(t, token, { method: 'PUT', url: `/api/v1/cases/${other}/victim`, payload: body() })
    const [{ id: otherId }] = await t.db.query<{ id: string }>('SELECT id FROM victims WHERE case_id = $1', [other])
    const by = t.demo.users['oic.north']
    const old = [
      [victimId, 'age', 'confirmed'],
      [victimId, 'ethnicity', 'mixed'],
      [victimId, 'sex', 'female'],
      [victimId, 'religion', 'other'], // "other" is a religion answer, not an ethnic group
      [otherId, 'age', PREFERS_NOT_TO_SAY],
      [otherId, 'ethnicity', 'other'],
    ]
    for (const [v, key, value] of old) {
      await t.db.query(
        `INSERT INTO victim_characteristics (victim_id, characteristic, value, updated_at, updated_by)
         VALUES ($1, $2, $3, '2025-05-01T09:00:00Z', $4)`,
        [v, key, value, by],
      )
    }
    const sql = await readFile(new URL('../../db/migrations/0013_characteristics_standard.sql', import.meta.url), 'utf8')
    const run = () =>
      t.db.transaction(async (tx) => {
        for (const statement of splitStatements(sql)) await tx.query(statement)
      })
    await run()
    const rows = async () =>
      t.db.query<{ victim_id: string; characteristic: string; value: string; updated_at: Date }>(
        'SELECT victim_id, characteristic, value, updated_at FROM victim_characteristics WHERE victim_id = ANY ($1::uuid[]) ORDER BY victim_id = $2 DESC, characteristic',
        [[victimId, otherId], victimId],
      )
    const after = await rows()
    expect(after.map((r) => [r.victim_id === victimId ? 'first' : 'other', r.characteristic, r.value])).toEqual([
      ['first', 'ethnicity', 'mixed_detail_not_recorded'],
      ['first', 'religion', 'other'],
      ['first', 'sex', 'female'],
      ['other', 'age', PREFERS_NOT_TO_SAY],
      ['other', 'ethnicity', 'other_detail_not_recorded'],
    ])
    for (const r of after) expect(r.updated_at.toISOString()).toBe('2025-05-01T09:00:00.000Z')
    // Running it again changes nothing.
    await run()
    expect(await rows()).toEqual(after)

    const { victim } = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${id}/victim` })).json()
    expect(victim.ethnicity).toMatchObject({
      label: 'Mixed or Multiple ethnic groups (detailed category not recorded)',
      broadGroup: { code: 'mixed' },
    })
    expect(victim.characteristics.age).toBe(FROM_DATE_OF_BIRTH)
    expect(victim.characteristicsCompleteness.toAskAgain).toEqual(['ethnicity'])
    const nullable = await t.db.query<{ is_nullable: string }>(
      "SELECT is_nullable FROM information_schema.columns WHERE table_name = 'victims' AND column_name = 'date_of_birth'",
    )
    expect(nullable).toEqual([{ is_nullable: 'YES' }])
  })
})

describe('access', () => {
  test('another force gets 404 on every victim page and endpoint, and can change nothing', async () => {
    const id = await newCase()
    await oic.post(`/cases/${id}/victim/details`, form())
    await nothingWritten(async () => {
      for (const url of [`/cases/${id}/victim`, `/cases/${id}/victim/details`, `/cases/${id}/victim/characteristics`]) {
        const res = await south.get(url)
        expect(res.statusCode, url).toBe(404)
        expect(res.body).not.toContain('Alexandra')
      }
      expect((await south.post(`/cases/${id}/victim/details`, form({ firstName: 'Changed' }))).statusCode).toBe(404)
      expect(
        (await south.post(`/cases/${id}/victim/details`, form({ phone: '', email: '', postalAddress: '' }))).statusCode,
      ).toBe(404)
      expect((await south.post(`/cases/${id}/victim/characteristics`, allAnswered())).statusCode).toBe(404)
      expect((await south.post(`/cases/${id}/victim/characteristics`, { sex: 'nonsense' })).statusCode).toBe(404)
      const calls = [
        { method: 'GET' as const, url: `/api/v1/cases/${id}/victim` },
        { method: 'PUT' as const, url: `/api/v1/cases/${id}/victim`, payload: body() },
        { method: 'PUT' as const, url: `/api/v1/cases/${id}/victim/characteristics`, payload: allAnswered() },
      ]
      for (const call of calls) expect((await api(t, southToken, call)).statusCode, call.url).toBe(404)
    })
  })
})

test('the OpenAPI document describes the victim endpoints from the same schemas the forms use', async () => {
  const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
  expect(Object.keys(doc.paths['/cases/{id}/victim']).sort()).toEqual(['get', 'put'])
  expect(Object.keys(doc.paths['/cases/{id}/victim/characteristics'])).toEqual(['put'])
  expect(Object.keys(doc.paths['/victims/completeness'])).toEqual(['get'])
  const details = doc.paths['/cases/{id}/victim'].put.requestBody.content['application/json'].schema
  expect(details.required).toEqual(
    expect.arrayContaining(['firstName', 'lastName', 'preferredLanguage', 'interpreterNeeded', 'vulnerable']),
  )
  expect(details.required).not.toContain('dateOfBirth')
  expect(Object.keys(doc.paths['/victims/completeness/report'])).toEqual(['get'])
  const characteristics = doc.paths['/cases/{id}/victim/characteristics'].put.requestBody.content['application/json'].schema
  expect(Object.keys(characteristics.properties)).toEqual(CHARACTERISTIC_KEYS)
  expect(characteristics.properties.religion.enum).toEqual(expect.arrayContaining([NOT_ASKED, PREFERS_NOT_TO_SAY, 'christian']))
  expect(characteristics.properties.religion.default).toBe(NOT_ASKED)
  const victim = doc.paths['/cases/{id}/victim'].get.responses['200'].content['application/json'].schema
  expect(JSON.stringify(victim)).toContain('characteristicsCompleteness')
  expect(doc.paths['/cases/{id}/victim'].put.responses['400']).toBeDefined()
})
