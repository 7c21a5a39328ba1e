import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { SHAREABLE_CODES } from '../../platform/access/consent.ts'
import { api, auditWrites, type Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { refer } from '../support/service.ts'
import { markReferred } from './queries.ts'
import { createCase } from './service.ts'

/**
 * Restricted cases (issue 10 item 2): only the people named may open the case at all; everyone
 * else, even of the investigating force, gets the same 404 as for another force's case, and the
 * case is gone from their lists and searches. Refused looks are still logged for the named overseers.
 */
let t: TestApp
let caseId: string
let otherId: string
const browsers: Record<string, Browser> = {}
const tokens: Record<string, string> = {}
const USERS = ['oic.north', 'supervisor.north', 'inspector.north', 'prosecutor', 'dcp', 'isva', 'admin.north'] as const
const URN = '91RC0000126'

beforeAll(async () => {
  t = await startTestApp()
  const oic = await t.ctx('oic.north')
  caseId = (await createCase(oic, t.caseInput('oic.north', { urn: URN }))).id
  otherId = (await createCase(oic, t.caseInput('oic.north', { urn: '91RC0000226' }))).id
  for (const id of [caseId, otherId]) {
    await t.db.transaction((tx) => markReferred(tx, id, t.demo.orgs.cps, t.clock.now(), oic.actor.id))
    await refer(oic, id, {
      serviceId: t.demo.orgs.isva,
      kind: 'isva',
      consentGiven: true,
      consentRecordedOn: '2026-10-01',
      shared: [...SHAREABLE_CODES],
    })
  }
  for (const u of USERS) {
    browsers[u] = await signedIn(t, u)
    tokens[u] = await t.token(u)
  }
})
afterAll(() => t.close())

/** The same answer whatever the case: pages differ only in their per-request nonce and CSRF token. */
const sameAnswer = (body: string) =>
  body.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')
const user = (u: string) => t.demo.users[u]
const restrict = (as: string, payload: Record<string, unknown>, id = caseId) =>
  api(t, tokens[as], { method: 'PUT', url: `/api/v1/cases/${id}/restriction`, payload })
const lift = (as: string, payload: Record<string, unknown>, id = caseId) =>
  api(t, tokens[as], { method: 'POST', url: `/api/v1/cases/${id}/restriction/lift`, payload })
const TABLES = ['case_restrictions', 'case_restriction_people', 'case_restriction_changes', 'case_events']
const counts = () => Promise.all([...TABLES.map((table) => count(t.db, table)), auditWrites(t.db)])
const listed = async (u: string) => {
  const res = await api(t, tokens[u], { method: 'GET', url: '/api/v1/cases' })
  return (res.json().cases as { id: string }[]).map((c) => c.id)
}

describe('before any restriction', () => {
  test('the police supervisor is offered the restriction page; others are refused by a rule, or do not know the case', async () => {
    const show = await browsers['supervisor.north'].get(`/cases/${caseId}`)
    expect(show.body).toContain(`/cases/${caseId}/restriction`)
    expect((await browsers['oic.north'].get(`/cases/${caseId}`)).body).not.toContain('/restriction')
    const page = await browsers['supervisor.north'].get(`/cases/${caseId}/restriction`)
    expect(page.statusCode).toBe(200)
    // People to name, grouped by organisation: the force, the CPS Area and the engaged service.
    for (const name of [
      'Northvale Police',
      'CPS Vale and Mere',
      'Vale Sexual Violence Support',
      'DC Sam Okafor',
      'Alex Moreno',
    ]) {
      expect(page.body).toContain(name)
    }
    expect(page.body).not.toContain('DC Jo Whitfield') // another force
    expect((await browsers['oic.north'].get(`/cases/${caseId}/restriction`)).statusCode).toBe(403)
    expect((await browsers.prosecutor.get(`/cases/${caseId}/restriction`)).statusCode).toBe(403)
    const res = await restrict('oic.north', { reason: 'x', namedUserIds: [] })
    expect(res.statusCode).toBe(403)
    expect(res.json().code).toBe('supervisor_restriction_only')
    expect((await restrict('isva', { reason: 'x', namedUserIds: [] })).statusCode).toBe(403)
  })

  test('bad input: an empty reason, an unknown or ineligible person, a malformed id: field errors, nothing written', async () => {
    const before = await counts()
    const empty = await restrict('supervisor.north', { reason: '   ', namedUserIds: [user('oic.north')] })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().errors).toEqual([{ field: 'reason', message: 'Enter the reason' }])
    const outsider = await restrict('supervisor.north', { reason: 'Staff member involved', namedUserIds: [user('oic.south')] })
    expect(outsider.statusCode).toBe(400)
    expect(outsider.json().errors[0].field).toBe('namedUserIds')
    const unknown = await restrict('supervisor.north', {
      reason: 'Staff member involved',
      namedUserIds: ['00000000-0000-4000-8000-000000000009'],
    })
    expect(unknown.statusCode).toBe(400)
    expect((await restrict('supervisor.north', { reason: 'Why', namedUserIds: ['nobody'] })).statusCode).toBe(400)
    const form = await browsers['supervisor.north'].post(`/cases/${caseId}/restriction`, {
      reason: '',
      namedUserIds: [user('oic.north')],
    })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('govuk-error-summary')
    expect(form.body).toContain('href="#reason"')
    expect(form.body).toMatch(new RegExp(`value="${user('oic.north')}" checked`))
    expect((await lift('supervisor.north', { reason: 'Nothing to lift' })).statusCode).toBe(409)
    expect(await counts()).toEqual(before)
  })
})

describe('a restricted case', () => {
  beforeAll(async () => {
    const res = await browsers['supervisor.north'].post(`/cases/${caseId}/restriction`, {
      reason: 'An officer of the force is a suspect',
      namedUserIds: [user('oic.north'), user('dcp')],
    })
    expect(res.statusCode).toBe(303)
  })

  test('is opened by the people named, the restricting supervisor always among them', async () => {
    for (const u of ['oic.north', 'supervisor.north', 'dcp']) {
      expect((await browsers[u].get(`/cases/${caseId}`)).statusCode, u).toBe(200)
      expect((await api(t, tokens[u], { method: 'GET', url: `/api/v1/cases/${caseId}` })).statusCode, u).toBe(200)
      expect(await listed(u)).toContain(caseId)
    }
    expect((await browsers['supervisor.north'].get(`/cases/${caseId}`)).body).toContain('Restricted')
  })

  test.each(['inspector.north', 'prosecutor', 'isva', 'admin.north'])(
    'is a 404 to %s, the same as a case that does not exist, on page and API, and gone from their list and search',
    async (u) => {
      const missing = '00000000-0000-4000-8000-000000000001'
      for (const path of ['', '/victim', '/support', '/access-log', '/restriction']) {
        const page = await browsers[u].get(`/cases/${caseId}${path}`)
        expect(page.statusCode, `${u} ${path}`).toBe(404)
        expect(page.body).not.toContain('91RC')
        expect(sameAnswer(page.body)).toBe(sameAnswer((await browsers[u].get(`/cases/${missing}${path}`)).body))
      }
      for (const path of ['', '/victim', '/access-log']) {
        expect((await api(t, tokens[u], { method: 'GET', url: `/api/v1/cases/${caseId}${path}` })).statusCode, path).toBe(404)
      }
      expect((await restrict(u, { reason: 'x', namedUserIds: [] })).statusCode).toBe(404)
      // The other case of the same force and Area is still theirs (the admin oversees only).
      if (u !== 'admin.north') expect(await listed(u)).toContain(otherId)
      expect(await listed(u)).not.toContain(caseId)
      expect((await browsers[u].get('/cases')).body).not.toContain(caseId)
      const search = await api(t, tokens[u], { method: 'POST', url: '/api/v1/cases/search', payload: { urn: '91RC' } })
      expect((search.json().cases as { id: string }[]).map((c) => c.id)).not.toContain(caseId)
    },
  )

  test('a refused look is logged and shown to the named overseers, and the reason never reaches the timeline or the audit log', async () => {
    await browsers['inspector.north'].get(`/cases/${caseId}`)
    const log = await api(t, tokens['supervisor.north'], {
      method: 'GET',
      url: `/api/v1/cases/${caseId}/access-log?show=refused`,
    })
    expect(log.statusCode).toBe(200)
    const entries = log.json().entries as { who: string; attempted: string }[]
    expect(entries.some((e) => e.who === 'DI Amara Kent' && e.attempted === 'view')).toBe(true)
    const events = await t.db.query<{ type: string; data: unknown }>(
      "SELECT type, data FROM case_events WHERE case_id = $1 AND type LIKE 'case.%restrict%'",
      [caseId],
    )
    expect(events).toEqual([{ type: 'case.restricted', data: {} }])
    const audit = await t.db.query('SELECT * FROM audit_log WHERE case_id = $1', [caseId])
    expect(JSON.stringify(audit)).not.toContain('An officer of the force')
    expect(JSON.stringify(audit)).toContain('case.restricted')
  })

  test('the supervisor changes who is named: the prosecutor may open it, the DCP no longer', async () => {
    const res = await restrict('supervisor.north', {
      reason: 'The prosecutor now reviews the case',
      namedUserIds: [user('oic.north'), user('prosecutor')],
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().restricted).toBe(true)
    expect((res.json().named as { name: string }[]).map((p) => p.name).sort()).toEqual(
      ['Alex Moreno', 'DC Sam Okafor', 'DS Priya Lang'].sort(),
    )
    expect((await browsers.prosecutor.get(`/cases/${caseId}`)).statusCode).toBe(200)
    expect((await browsers.dcp.get(`/cases/${caseId}`)).statusCode).toBe(404)
    // The named investigator may not change the restriction.
    expect((await restrict('oic.north', { reason: 'x', namedUserIds: [] })).statusCode).toBe(403)
    const page = await browsers['supervisor.north'].get(`/cases/${caseId}/restriction`)
    expect(page.body).toContain('The prosecutor now reviews the case')
    expect(page.body).toContain('An officer of the force is a suspect')
  })

  test('lifting needs a reason; once lifted everyone the organisations’ rules allow opens it again', async () => {
    const before = await counts()
    const form = await browsers['supervisor.north'].post(`/cases/${caseId}/restriction/lift`, { liftReason: '' })
    expect(form.statusCode).toBe(400)
    expect(form.body).toContain('href="#liftReason"')
    expect(await counts()).toEqual(before)
    const res = await lift('supervisor.north', { reason: 'The investigation of the officer has ended' })
    expect(res.statusCode).toBe(200)
    expect(res.json().restricted).toBe(false)
    expect((await lift('supervisor.north', { reason: 'Again' })).statusCode).toBe(409)
    for (const u of ['inspector.north', 'dcp', 'isva'])
      expect((await browsers[u].get(`/cases/${caseId}`)).statusCode, u).toBe(200)
    expect(await listed('inspector.north')).toContain(caseId)
    const types = await t.db.query<{ type: string }>(
      "SELECT type FROM case_events WHERE case_id = $1 AND type LIKE 'case.%restrict%' ORDER BY id",
      [caseId],
    )
    expect(types.map((e) => e.type)).toEqual(['case.restricted', 'case.restriction_changed', 'case.unrestricted'])
  })
})
