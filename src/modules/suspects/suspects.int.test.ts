import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { createCase } from '../cases/service.ts'

let t: TestApp
let oic: Browser
let token: string
let caseId: string
let otherCaseId: string

beforeAll(async () => {
  t = await startTestApp()
  oic = await signedIn(t, 'oic.north')
  token = await t.token('oic.north')
  const ctx = await t.ctx('oic.north')
  const make = (urn: string) => createCase(ctx, t.caseInput('oic.north', { urn }))
  caseId = (await make('91SU0000126')).id
  otherCaseId = (await make('91SU0000226')).id
})
afterAll(() => t.close())

// Not audit_log: re-showing a form with its errors is itself an audited consultation.
const TABLES = ['suspects', 'suspect_statuses', 'case_events'] as const

/** Runs `action` and checks it changed none of the suspect tables nor the case timeline. */
async function nothingWritten(action: () => Promise<unknown>) {
  const counts = async () => Promise.all(TABLES.map((table) => count(t.db, table)))
  const before = await counts()
  await action()
  expect(await counts()).toEqual(before)
}

const identified = (over: Record<string, string> = {}) => ({
  status: 'identified',
  firstName: 'Morgan',
  lastName: 'Testperson',
  'dateOfBirth-day': '27',
  'dateOfBirth-month': '3',
  'dateOfBirth-year': '1990',
  'effectiveDate-day': '3',
  'effectiveDate-month': '10',
  'effectiveDate-year': '2026',
  ...over,
})

const statusForm = (status: string, date: [string, string, string], extra: Record<string, string> = {}) => ({
  status,
  'effectiveDate-day': date[0],
  'effectiveDate-month': date[1],
  'effectiveDate-year': date[2],
  ...extra,
})

async function addByApi(body: Record<string, unknown>, onCase = caseId) {
  const res = await api(t, token, { method: 'POST', url: `/api/v1/cases/${onCase}/suspects`, payload: body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; displayName: string; status: { status: string } }
}

const suspectIdFrom = (location: string) => location.match(/#suspect-([0-9a-f-]{36})$/)?.[1] as string

describe('suspects in the browser', () => {
  let suspectId: string

  test('the suspects page of a case with none says so and offers to add one', async () => {
    const res = await oic.get(`/cases/${caseId}/suspects`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('No suspects have been recorded for this case.')
    const viaApi = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` })
    expect(viaApi.json()).toEqual({ suspects: [] })
    expect(res.body).toContain(`href="/cases/${caseId}/suspects/new"`)
    expect(res.body).toMatch(
      /moj-sub-navigation__link[^>]*aria-current="page"[^>]*>\s*Suspects|aria-current="page"[^>]*>Suspects/,
    )
  })

  test('an identified suspect is added and listed with name, date of birth and an "Identified" tag', async () => {
    expect((await oic.get(`/cases/${caseId}/suspects/new`)).statusCode).toBe(200)
    const res = await oic.post(`/cases/${caseId}/suspects/new`, identified())
    expect(res.statusCode).toBe(303)
    const location = res.headers.location as string
    expect(location).toMatch(new RegExp(`^/cases/${caseId}/suspects\\?done=added#suspect-`))
    expect(location).not.toContain('Morgan') // ids only in URLs
    suspectId = suspectIdFrom(location)
    const page = await oic.get(location.split('#')[0])
    expect(page.body).toContain('Suspect added')
    expect(page.body).toContain('Morgan Testperson')
    expect(page.body).toContain('27 March 1990')
    expect(page.body).toMatch(/govuk-tag govuk-tag--blue">Identified</)
    expect(page.body).toContain('3 October 2026')
  })

  test('an empty form names the missing choice, writes nothing, and keeps the page', async () => {
    await nothingWritten(async () => {
      const res = await oic.post(`/cases/${caseId}/suspects/new`, {})
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('govuk-error-summary')
      expect(res.body).toContain('href="#status"')
      expect(res.body).toContain('Select whether the suspect has been identified')
    })
  })

  test('identified without a name or date is refused field by field, keeping what was typed', async () => {
    await nothingWritten(async () => {
      const res = await oic.post(
        `/cases/${caseId}/suspects/new`,
        identified({
          firstName: 'Alex',
          lastName: '',
          'effectiveDate-day': '',
          'effectiveDate-month': '',
          'effectiveDate-year': '',
        }),
      )
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('href="#lastName"')
      expect(res.body).toContain('Enter the suspect’s last name')
      expect(res.body).toContain('href="#effectiveDate-day"')
      expect(res.body).toContain('Enter the date identified')
      expect(res.body).toContain('value="Alex"')
      expect(res.body).toContain('value="1990"')
      expect(res.body).toMatch(/value="identified" checked/)
    })
  })

  test('a date of birth in the future is refused', async () => {
    await nothingWritten(async () => {
      const res = await oic.post(`/cases/${caseId}/suspects/new`, identified({ 'dateOfBirth-year': '2030' }))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('The date of birth must be in the past')
      expect(res.body).toContain('href="#dateOfBirth-day"')
    })
  })

  test('the status form offers only the statuses that may come next', async () => {
    const res = await oic.get(`/cases/${caseId}/suspects/${suspectId}/status`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Morgan Testperson')
    const offered = [...res.body.matchAll(/name="status" type="radio" value="(\w+)"/g)].map((m) => m[1])
    // Never "charged": for rape the CPS decides, and only its charging decision records a charge.
    expect(offered).toEqual(['arrested', 'interviewed_under_caution'])
  })

  test('arrested, then on bail with a return date and conditions, shows on the suspects page', async () => {
    const arrested = await oic.post(`/cases/${caseId}/suspects/${suspectId}/status`, statusForm('arrested', ['5', '10', '2026']))
    expect(arrested.statusCode).toBe(303)
    const bail = await oic.post(
      `/cases/${caseId}/suspects/${suspectId}/status`,
      statusForm('on_bail', ['6', '10', '2026'], {
        'bailReturnDate-day': '4',
        'bailReturnDate-month': '1',
        'bailReturnDate-year': '2027',
        bailConditions: 'Not to contact the victim',
      }),
    )
    expect(bail.statusCode).toBe(303)
    expect(bail.headers.location).toBe(`/cases/${caseId}/suspects?done=status#suspect-${suspectId}`)
    const page = await oic.get((bail.headers.location as string).split('#')[0])
    expect(page.body).toContain('Status recorded')
    expect(page.body).toMatch(/govuk-tag--yellow">On bail</)
    expect(page.body).toContain('4 January 2027')
    expect(page.body).toContain('Not to contact the victim')
    expect(page.body).toContain('moj-timeline')
    expect(page.body).toContain('6 October 2026')
    expect(page.body).toContain('5 October 2026')
  })

  test('bail returning before the date bailed is refused with the rule, keeping what was typed', async () => {
    await nothingWritten(async () => {
      const res = await oic.post(
        `/cases/${caseId}/suspects/${suspectId}/status`,
        statusForm('on_bail', ['20', '10', '2026'], {
          'bailReturnDate-day': '19',
          'bailReturnDate-month': '10',
          'bailReturnDate-year': '2026',
        }),
      )
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('The bail return date must be after the date bailed')
      expect(res.body).toContain('href="#bailReturnDate-day"')
      expect(res.body).toContain('value="19"')
      expect(res.body).toMatch(/value="on_bail" checked/)
    })
  })

  test('a bail status without its return date is refused', async () => {
    await nothingWritten(async () => {
      const res = await oic.post(`/cases/${caseId}/suspects/${suspectId}/status`, statusForm('on_bail', ['20', '10', '2026']))
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Enter the bail return date')
    })
  })

  test('a date before the previous status, or in the future, is refused', async () => {
    await nothingWritten(async () => {
      const before = await oic.post(`/cases/${caseId}/suspects/${suspectId}/status`, statusForm('charged', ['1', '10', '2026']))
      expect(before.statusCode).toBe(400)
      expect(before.body).toContain(
        'The date it happened cannot be before 6 October 2026, when the suspect was recorded as on bail',
      )
      const future = await oic.post(`/cases/${caseId}/suspects/${suspectId}/status`, statusForm('charged', ['3', '11', '2026']))
      expect(future.body).toContain('The date it happened must be today or in the past')
    })
  })

  test('a suspect not yet identified cannot be interviewed under caution or charged, then is identified by name', async () => {
    const res = await oic.post(`/cases/${caseId}/suspects/new`, { status: 'not_identified', firstName: 'Ignored' })
    expect(res.statusCode).toBe(303)
    const unknownId = suspectIdFrom(res.headers.location as string)
    const list = await oic.get(`/cases/${caseId}/suspects`)
    expect(list.body).toContain('Suspect 2 (not identified)')
    expect(list.body).not.toContain('Ignored')
    // Not identified since the case was reported.
    const [first] = await t.db.query<{ effective_date: string }>(
      'SELECT effective_date FROM suspect_statuses WHERE suspect_id = $1',
      [unknownId],
    )
    expect(first.effective_date).toBe('2026-10-01')

    const url = `/cases/${caseId}/suspects/${unknownId}/status`
    await nothingWritten(async () => {
      for (const status of ['interviewed_under_caution', 'charged']) {
        const refused = await oic.post(url, statusForm(status, ['10', '10', '2026']))
        expect(refused.statusCode).toBe(400)
        expect(refused.body).toContain('A suspect who is not identified cannot be')
        expect(refused.body).toContain('record them as identified first')
      }
      const nameless = await oic.post(url, statusForm('identified', ['10', '10', '2026']))
      expect(nameless.body).toContain('Enter the suspect’s first name')
    })

    const form = await oic.get(url)
    expect([...form.body.matchAll(/name="status" type="radio" value="(\w+)"/g)].map((m) => m[1])).toEqual(['identified'])
    const named = await oic.post(url, statusForm('identified', ['10', '10', '2026'], { firstName: 'Robin', lastName: 'Example' }))
    expect(named.statusCode).toBe(303)
    const after = await oic.get(`/cases/${caseId}/suspects`)
    expect(after.body).toContain('Robin Example')
    expect(after.body).not.toContain('Suspect 2 (not identified)')
  })

  test('the case timeline says suspects were added and a status changed', async () => {
    const page = await oic.get(`/cases/${caseId}`)
    expect(page.body).toContain('Suspect added')
    expect(page.body).toContain('Suspect’s status changed')
  })
})

describe('the suspects API', () => {
  test('GET lists suspects with current status and history, newest first', async () => {
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` })
    expect(res.statusCode).toBe(200)
    const [morgan] = res.json().suspects
    expect(morgan).toMatchObject({ number: 1, firstName: 'Morgan', lastName: 'Testperson', dateOfBirth: '1990-03-27' })
    expect(morgan.status).toMatchObject({
      status: 'on_bail',
      label: 'On bail',
      effectiveDate: '2026-10-06',
      bailReturnDate: '2027-01-04',
      bailConditions: 'Not to contact the victim',
      recordedBy: 'DC Sam Okafor',
    })
    expect(morgan.history.map((h: { status: string }) => h.status)).toEqual(['on_bail', 'arrested', 'identified'])
  })

  test('POST adds a suspect (201); statuses follow, including release under investigation', async () => {
    const added = await addByApi({
      status: 'identified',
      firstName: 'Casey',
      lastName: 'Sample',
      effectiveDate: '2026-10-02',
    })
    expect(added.status.status).toBe('identified')
    const url = `/api/v1/cases/${caseId}/suspects/${added.id}/statuses`
    const arrested = await api(t, token, { method: 'POST', url, payload: { status: 'arrested', effectiveDate: '2026-10-10' } })
    expect(arrested.statusCode).toBe(201)
    const rui = await api(t, token, {
      method: 'POST',
      url,
      payload: { status: 'released_under_investigation', effectiveDate: '2026-10-11' },
    })
    expect(rui.statusCode).toBe(201)
    expect(rui.json().status).toMatchObject({
      status: 'released_under_investigation',
      effectiveDate: '2026-10-11',
      bailReturnDate: null,
    })
    // The police cannot record a charge by hand: for rape the CPS decides.
    await nothingWritten(async () => {
      const charged = await api(t, token, { method: 'POST', url, payload: { status: 'charged', effectiveDate: '2026-11-02' } })
      expect(charged.statusCode).toBe(400)
      expect(charged.json().errors).toEqual([
        {
          field: 'status',
          message: 'For rape the CPS decides whether to charge: a suspect is recorded as charged only by a CPS charging decision',
        },
      ])
    })
  })

  test('refused transitions answer 400 problem JSON naming the rule, and write nothing', async () => {
    const unknown = await addByApi({ status: 'not_identified' })
    const url = `/api/v1/cases/${caseId}/suspects/${unknown.id}/statuses`
    await nothingWritten(async () => {
      const res = await api(t, token, { method: 'POST', url, payload: { status: 'charged', effectiveDate: '2026-10-20' } })
      expect(res.statusCode).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json().errors).toEqual([
        { field: 'status', message: 'A suspect who is not identified cannot be charged: record them as identified first' },
      ])
      const bad = await api(t, token, { method: 'POST', url, payload: { status: 'on_bail', effectiveDate: '2026-02-30' } })
      expect(
        bad
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['bailReturnDate', 'effectiveDate'])
      const noName = await api(t, token, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/suspects`,
        payload: { status: 'identified', effectiveDate: '2026-10-20' },
      })
      expect(
        noName
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['firstName', 'lastName'])
    })
  })

  test('a suspect of another case is not found, on every route', async () => {
    const elsewhere = await addByApi(
      { status: 'identified', firstName: 'Other', lastName: 'Case', effectiveDate: '2026-10-02' },
      otherCaseId,
    )
    await nothingWritten(async () => {
      const viaApi = await api(t, token, {
        method: 'POST',
        url: `/api/v1/cases/${caseId}/suspects/${elsewhere.id}/statuses`,
        payload: { status: 'arrested', effectiveDate: '2026-10-10' },
      })
      expect(viaApi.statusCode).toBe(404)
      expect(viaApi.body).not.toContain('Other')
      expect((await oic.get(`/cases/${caseId}/suspects/${elsewhere.id}/status`)).statusCode).toBe(404)
      const viaForm = await oic.post(
        `/cases/${caseId}/suspects/${elsewhere.id}/status`,
        statusForm('arrested', ['10', '10', '2026']),
      )
      expect(viaForm.statusCode).toBe(404)
      expect((await oic.get(`/cases/${caseId}/suspects/not-a-uuid/status`)).statusCode).toBe(404)
    })
  })

  test('another force gets 404 on every suspects route; the CPS sees them once the case is referred', async () => {
    const south = await t.token('oic.south')
    const [suspect] = (await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` })).json().suspects
    await nothingWritten(async () => {
      for (const res of [
        await api(t, south, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` }),
        await api(t, south, {
          method: 'POST',
          url: `/api/v1/cases/${caseId}/suspects`,
          payload: { status: 'not_identified' },
        }),
        await api(t, south, {
          method: 'POST',
          url: `/api/v1/cases/${caseId}/suspects/${suspect.id}/statuses`,
          payload: { status: 'charged', effectiveDate: '2026-11-01' },
        }),
      ]) {
        expect(res.statusCode).toBe(404)
        expect(res.body).not.toContain('Morgan')
      }
    })
    const prosecutor = await t.token('prosecutor')
    expect((await api(t, prosecutor, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` })).statusCode).toBe(404)
    await markReferred(t.db, caseId, t.demo.orgs.cps, t.clock.now(), t.demo.users['oic.north'])
    const seen = await api(t, prosecutor, { method: 'GET', url: `/api/v1/cases/${caseId}/suspects` })
    expect(seen.statusCode).toBe(200)
    expect(seen.json().suspects[0].firstName).toBe('Morgan')
  })
})

describe('records kept', () => {
  test('viewing is audited as a consultation with the relation as justification', async () => {
    await oic.get(`/cases/${caseId}/suspects`)
    const [row] = await t.db.query<{ justification: string; subject: string; details: { channel: string; shown: number } }>(
      "SELECT justification, subject, details FROM audit_log WHERE action = 'suspects.viewed' AND case_id = $1 ORDER BY id DESC LIMIT 1",
      [caseId],
    )
    expect(row).toMatchObject({ justification: 'case of own force', subject: 'suspects and their status history' })
    expect(row.details.channel).toBe('web')
  })

  test('every change has its audit row and timeline event, carrying ids and statuses but never names', async () => {
    const audits = await t.db.query<{ action: string; details: { suspectId: string; status: string } }>(
      "SELECT action, details FROM audit_log WHERE case_id = $1 AND action LIKE 'suspect.%' AND action <> 'suspect.viewed' ORDER BY id",
      [caseId],
    )
    const events = await t.db.query<{ type: string; data: Record<string, unknown> }>(
      "SELECT type, data FROM case_events WHERE case_id = $1 AND type LIKE 'suspect.%' ORDER BY id",
      [caseId],
    )
    const statuses = await count(t.db, 'suspect_statuses')
    const otherCaseStatuses = (
      await t.db.query('SELECT 1 FROM suspect_statuses st JOIN suspects s ON s.id = st.suspect_id WHERE s.case_id <> $1', [
        caseId,
      ])
    ).length
    // One event and one alteration per status written on this case.
    expect(events).toHaveLength(statuses - otherCaseStatuses)
    expect(audits.map((a) => a.action)).toEqual(events.map((e) => e.type))
    expect(events[0]).toEqual({
      type: 'suspect.added',
      data: { suspectId: expect.any(String), status: 'identified', effectiveDate: '2026-10-03' },
    })
    expect(events.find((e) => e.data.status === 'on_bail')?.data).toMatchObject({ bailReturnDate: '2027-01-04' })
    // Names, and bail conditions (free text that may name people), stay out of both.
    const written = JSON.stringify([events, audits])
    for (const name of ['Morgan', 'Testperson', 'Robin', 'Example', 'Casey', 'Sample', 'Not to contact']) {
      expect(written).not.toContain(name)
    }
  })

  test('the status history is append-only', async () => {
    await expect(t.db.query("UPDATE suspect_statuses SET status = 'charged'")).rejects.toThrow(/append-only/)
    await expect(t.db.query('DELETE FROM suspect_statuses')).rejects.toThrow(/append-only/)
  })

  test('the OpenAPI document describes the suspect endpoints from the same schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(Object.keys(doc.paths['/cases/{id}/suspects']).sort()).toEqual(['get', 'post'])
    const statuses = doc.paths['/cases/{id}/suspects/{suspectId}/statuses'].post
    expect(statuses.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'suspectId'])
    expect(statuses.responses['201']).toBeDefined()
    const variants = statuses.requestBody.content['application/json'].schema.oneOf as { properties: Record<string, unknown> }[]
    expect(variants.some((v) => 'bailReturnDate' in v.properties)).toBe(true)
    expect(doc.paths['/cases/{id}/suspects'].post.requestBody.content['application/json'].schema.oneOf).toHaveLength(2)
  })
})
