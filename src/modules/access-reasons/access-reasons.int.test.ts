import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { insertUser } from '../admin/queries.ts'
import { markReferred } from '../cases/queries.ts'
import { createCase } from '../cases/service.ts'
import { saveVictimDetails } from '../victims/service.ts'

/**
 * A legitimate relationship for every look at a victim (issue 10 item 2, docs/decisions/0010):
 * those with a direct part see the victims; anyone else with access says why, once a session.
 */
let t: TestApp
let caseId: string
let urn: string
let victimId: string
const OTHER_TEAM = 'dc.othernorth'
const SECRET = 'Covering Operation <b>Larch</b> & "friends"'

beforeAll(async () => {
  t = await startTestApp()
  const team = (
    await t.db.query<{ id: string }>('INSERT INTO teams (organisation_id, name) VALUES ($1, $2) RETURNING id', [
      t.demo.orgs.north,
      'Public protection unit',
    ])
  )[0].id
  await insertUser(t.db, t.demo.orgs.north, {
    username: OTHER_TEAM,
    displayName: 'DC Rowan Teague',
    email: 'rowan.teague@casebridge-demo.example',
    phone: '',
    roles: ['investigator'],
    teamId: team,
    password: 'test-password-1',
  })
  const oic = await t.ctx('oic.north')
  const c = await createCase(oic, t.caseInput('oic.north'))
  caseId = c.id
  urn = c.urn
  await t.db.transaction((tx) => markReferred(tx, caseId, t.demo.orgs.cps, t.clock.now(), oic.actor.id))
  const v = await saveVictimDetails(oic, caseId, {
    firstName: 'Quillon',
    lastName: 'Invented',
    phone: '07700 900982',
    preferredLanguage: 'English',
    interpreterNeeded: false,
    vulnerable: false,
  })
  victimId = v.id
})
afterAll(() => t.close())

const victimPages = () => [
  `/cases/${caseId}/victim`,
  `/cases/${caseId}/victims/${victimId}`,
  `/cases/${caseId}/victims/${victimId}/communication`,
  `/cases/${caseId}/victims/${victimId}/support`,
  `/cases/${caseId}/victims/${victimId}/withdrawal`,
]

describe('users with a direct part see the victims as today', () => {
  test.each(['oic.north', 'supervisor.north', 'inspector.north'])('%s (the case’s team) sees the victim', async (u) => {
    const b = await signedIn(t, u)
    expect((await b.get(`/cases/${caseId}`)).body).toContain('Quillon')
    for (const url of victimPages()) expect((await b.get(url)).statusCode, url).toBe(200)
  })
})

describe('an investigator of another team of the force', () => {
  let b: Browser
  beforeAll(async () => {
    b = await signedIn(t, OTHER_TEAM)
  })

  test('is asked why before any victim data, and sees no victim name on the overview', async () => {
    const overview = await b.get(`/cases/${caseId}`)
    expect(overview.statusCode).toBe(200)
    expect(overview.body).not.toContain('Quillon')
    expect(overview.body).toContain('Victim 1')
    expect(overview.body).toContain(`/cases/${caseId}/reason?next=%2Fcases%2F${caseId}`)
    for (const url of victimPages()) {
      const res = await b.get(url)
      expect(res.statusCode, url).toBe(303)
      expect(res.headers.location).toBe(`/cases/${caseId}/reason?next=${encodeURIComponent(url)}`)
      expect(res.body).not.toContain('Quillon')
    }
    const audited = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND actor_id = (SELECT id FROM users WHERE username = $2) AND victim_data',
      [caseId, OTHER_TEAM],
    )
    expect(audited[0].n).toBe(0)
  })

  test('the reason page works without JavaScript, and refuses an empty reason or other without words', async () => {
    const next = `/cases/${caseId}/victims/${victimId}`
    const form = await b.get(`/cases/${caseId}/reason?next=${encodeURIComponent(next)}`)
    expect(form.statusCode).toBe(200)
    expect(form.body).toContain('Why do you need to see this case’s victims?')
    expect(form.body).toContain(`name="next" value="${next}"`)
    const before = await count(t.db, 'access_reasons')
    const empty = await b.post(`/cases/${caseId}/reason`, { next })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('govuk-error-summary')
    expect(empty.body).toContain('href="#reason"')
    const other = await b.post(`/cases/${caseId}/reason`, { reason: 'other', detail: '  ', next })
    expect(other.statusCode).toBe(400)
    expect(other.body).toContain('href="#detail"')
    expect(other.body).toContain('Say why you need to see this case’s victims')
    expect(await count(t.db, 'access_reasons')).toBe(before)
    expect((await b.get(next)).statusCode).toBe(303)
  })

  test('`next` is only ever a page of this case on this site', async () => {
    for (const bad of [
      'https://evil.example/',
      '//evil.example',
      `/cases/${caseId}//evil.example`,
      '/cases',
      `/cases/${caseId}x`,
      `/cases/${caseId}/../admin`,
    ]) {
      const form = await b.get(`/cases/${caseId}/reason?next=${encodeURIComponent(bad)}`)
      expect(form.body, bad).toContain(`name="next" value="/cases/${caseId}"`)
    }
  })

  test('states a reason, then sees the victim; the audit rows carry the reason as justification', async () => {
    const next = `/cases/${caseId}/victims/${victimId}`
    const stated = await b.post(`/cases/${caseId}/reason`, { reason: 'other', detail: SECRET, next })
    expect(stated.statusCode).toBe(303)
    expect(stated.headers.location).toBe(next)
    const page = await b.get(next)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Quillon')
    for (const url of victimPages()) expect((await b.get(url)).statusCode, url).toBe(200)
    expect((await b.get(`/cases/${caseId}`)).body).toContain('Quillon')
    const rows = await t.db.query<{ justification: string; reason: string | null }>(
      `SELECT justification, details->>'statedReason' AS reason FROM audit_log
        WHERE case_id = $1 AND actor_id = (SELECT id FROM users WHERE username = $2) AND victim_data`,
      [caseId, OTHER_TEAM],
    )
    expect(rows.length).toBeGreaterThanOrEqual(6)
    for (const r of rows) {
      expect(r.justification).toBe('Other reason')
      expect(r.reason).not.toBeNull()
    }
    // The free text stays in its own table: never in the audit log.
    const leaked = await t.db.query("SELECT 1 FROM audit_log WHERE details::text LIKE '%Larch%' OR justification LIKE '%Larch%'")
    expect(leaked).toHaveLength(0)
  })

  test('a new session asks again', async () => {
    const again = await signedIn(t, OTHER_TEAM)
    expect((await again.get(`/cases/${caseId}/victim`)).statusCode).toBe(303)
    expect((await again.get(`/cases/${caseId}`)).body).not.toContain('Quillon')
  })

  test('“who has seen this record” flags the looks with the reason, its words escaped', async () => {
    const sup = await signedIn(t, 'supervisor.north')
    const log = await sup.get(`/cases/${caseId}/access-log?show=victim`)
    expect(log.statusCode).toBe(200)
    expect(log.body).toContain('Reason stated')
    expect(log.body).toContain('Covering Operation &lt;b&gt;Larch&lt;/b&gt; &amp; &quot;friends&quot;')
    expect(log.body).not.toContain('<b>Larch</b>')
  })

  test('the weekly review lists it for the force’s supervisor and not for others', async () => {
    const sup = await signedIn(t, 'supervisor.north')
    const review = await sup.get('/access-log/review')
    expect(review.statusCode).toBe(200)
    expect(review.body).toContain(urn)
    expect(review.body).toContain('DC Rowan Teague')
    expect(review.body).toContain('Other reason')
    expect(review.body).not.toContain('<b>Larch</b>')
    expect((await (await signedIn(t, 'supervisor.south')).get('/access-log/review')).body).not.toContain(urn)
    for (const u of ['oic.north', OTHER_TEAM, 'prosecutor', 'isva', 'analyst']) {
      expect((await (await signedIn(t, u)).get('/access-log/review')).statusCode, u).toBe(403)
    }
    const dcp = await api(t, await t.token('dcp'), { method: 'GET', url: '/api/v1/access-log/review' })
    expect(dcp.statusCode).toBe(200)
    expect(dcp.json().entries.map((e: { urn: string }) => e.urn)).toContain(urn) // the case is referred to the DCP's Area
    const api403 = await api(t, await t.token('oic.north'), { method: 'GET', url: '/api/v1/access-log/review' })
    expect(api403.statusCode).toBe(403)
  })
})

describe('the API: a reason per token', () => {
  test('a CPS lawyer not allocated gets 403 reason_needed, states one, then sees the victim', async () => {
    const token = await t.token('prosecutor')
    const refused = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victims` })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().code).toBe('reason_needed')
    expect(refused.body).not.toContain('Quillon')
    const overview = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}` })
    expect(overview.json().victimNamesWithheld).toBe(true)
    expect(overview.body).not.toContain('Quillon')
    const before = await count(t.db, 'access_reasons')
    const bad = await api(t, token, {
      method: 'POST',
      url: `/api/v1/cases/${caseId}/access-reasons`,
      payload: { reason: 'other' },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([{ field: 'detail', message: 'Say why you need to see this case’s victims' }])
    expect(await count(t.db, 'access_reasons')).toBe(before)
    const stated = await api(t, token, {
      method: 'POST',
      url: `/api/v1/cases/${caseId}/access-reasons`,
      payload: { reason: 'duty' },
    })
    expect(stated.statusCode).toBe(201)
    expect(stated.json().label).toBe('Duty or out-of-hours response')
    const seen = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victims/${victimId}` })
    expect(seen.statusCode).toBe(200)
    expect(seen.body).toContain('Quillon')
    // Another token is another session.
    const other = await api(t, await t.token('prosecutor'), { method: 'GET', url: `/api/v1/cases/${caseId}/victim` })
    expect(other.json().code).toBe('reason_needed')
  })

  test('an outsider still gets 404, never a reason form', async () => {
    const token = await t.token('oic.south')
    expect((await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/victim` })).statusCode).toBe(404)
    expect(
      (await api(t, token, { method: 'POST', url: `/api/v1/cases/${caseId}/access-reasons`, payload: { reason: 'duty' } }))
        .statusCode,
    ).toBe(404)
    const b = await signedIn(t, 'oic.south')
    expect((await b.get(`/cases/${caseId}/reason`)).statusCode).toBe(404)
  })
})
