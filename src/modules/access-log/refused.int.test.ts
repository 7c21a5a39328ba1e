import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { api, type Browser, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { createCase } from '../cases/service.ts'

/**
 * Refused looks (docs/decisions/0009): a signed-in user refused a case that exists leaves a row
 * against the case, written although the request's own transaction rolls back, and shown to the
 * case's overseers; the refused user's answer is exactly what it was.
 */
let t: TestApp
let caseId: string
let south: Browser
let southToken: string
beforeAll(async () => {
  t = await startTestApp()
  const oic = await t.ctx('oic.north')
  caseId = (await createCase(oic, t.caseInput('oic.north'))).id
  await t.db.transaction((tx) => markReferred(tx, caseId, t.demo.orgs.cps, t.clock.now(), oic.actor.id))
  south = await signedIn(t, 'oic.south')
  southToken = await t.token('oic.south')
})
afterAll(() => t.close())

type Row = {
  actor_id: string
  case_id: string | null
  action: string
  subject: string
  justification: string | null
  victim_data: boolean
  details: Record<string, unknown>
}
const refusals = (actor: string) =>
  t.db.query<Row>(
    "SELECT actor_id, case_id, action, subject, justification, victim_data, details FROM audit_log WHERE action = 'case.refused' AND actor_id = $1 ORDER BY id",
    [t.demo.users[actor]],
  )
const rowsBy = async (actor: string) =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log WHERE actor_id = $1', [t.demo.users[actor]]))[0].n

/** The same answer whatever the case: pages differ only in their per-request CSP nonce. */
const sameAnswer = (body: string) =>
  body.replace(/nonce="[^"]*"/g, 'nonce=""').replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf"')

const ROUTES: { name: string; channel: 'web' | 'api'; method: 'GET' | 'POST'; url: (id: string) => string; attempted: string }[] =
  [
    { name: 'case page', channel: 'web', method: 'GET', url: (id) => `/cases/${id}`, attempted: 'view' },
    { name: 'victim page', channel: 'web', method: 'GET', url: (id) => `/cases/${id}/victim`, attempted: 'view_victim' },
    { name: 'suspects page', channel: 'web', method: 'GET', url: (id) => `/cases/${id}/suspects`, attempted: 'view' },
    { name: 'case API', channel: 'api', method: 'GET', url: (id) => `/api/v1/cases/${id}`, attempted: 'view' },
    { name: 'victim API', channel: 'api', method: 'GET', url: (id) => `/api/v1/cases/${id}/victim`, attempted: 'view_victim' },
    {
      name: 'admin finalisation API',
      channel: 'api',
      method: 'POST',
      url: (id) => `/api/v1/cases/${id}/admin-finalisation`,
      attempted: 'admin_finalise',
    },
  ]

const ask = (channel: 'web' | 'api', method: 'GET' | 'POST', url: string) =>
  channel === 'web'
    ? method === 'GET'
      ? south.get(url)
      : south.post(url, {})
    : api(t, southToken, { method, url, ...(method === 'POST' && { payload: {} }) })

describe('a look at a case of another force', () => {
  test.each(ROUTES)(
    'through the $name is refused with the same 404 as a case that does not exist, and logged',
    async ({ channel, method, url, attempted }) => {
      const before = await refusals('oic.south')
      const refused = await ask(channel, method, url(caseId))
      const missing = await ask(channel, method, url(randomUUID()))
      expect(refused.statusCode).toBe(404)
      expect(missing.statusCode).toBe(404)
      expect(sameAnswer(refused.body)).toBe(sameAnswer(missing.body))
      expect(refused.headers['content-type']).toBe(missing.headers['content-type'])

      const after = await refusals('oic.south')
      expect(after).toHaveLength(before.length + 1)
      expect(after[after.length - 1]).toEqual({
        actor_id: t.demo.users['oic.south'],
        case_id: caseId,
        action: 'case.refused',
        subject: 'attempt to open a case without a relation to it',
        justification: null,
        victim_data: false,
        details: { kind: 'refusal', channel, attempted, status: 404 },
      })
    },
  )

  test('a malformed or unknown case id writes nothing against a case', async () => {
    const before = await rowsBy('oic.south')
    for (const id of [randomUUID(), 'not-a-case', '0']) {
      expect((await south.get(`/cases/${id}`)).statusCode).toBe(404)
      expect((await api(t, southToken, { method: 'GET', url: `/api/v1/cases/${id}` })).statusCode).toBe(404)
    }
    expect(await rowsBy('oic.south')).toBe(before)
  })

  test('the refused request’s own writes are rolled back; only the refusal is kept', async () => {
    await south.get(`/cases/${caseId}`)
    const [{ n }] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE case_id = $1 AND actor_id = $2 AND action <> 'case.refused'",
      [caseId, t.demo.users['oic.south']],
    )
    expect(n).toBe(0)
  })

  test('nothing from the address beyond the case id is kept', async () => {
    await south.get(`/cases/${caseId}/victim?name=Zephyrine`)
    const rows = await refusals('oic.south')
    expect(JSON.stringify(rows)).not.toContain('Zephyrine')
    expect(JSON.stringify(rows)).not.toContain('/cases/')
  })

  test('an ISVA with no referral on the case is refused and logged the same way', async () => {
    const isva = await signedIn(t, 'isva')
    expect((await isva.get(`/cases/${caseId}`)).statusCode).toBe(404)
    expect((await refusals('isva')).map((r) => r.details.attempted)).toEqual(['view'])
  })
})

describe('a refusal to someone who may know the case', () => {
  test('a 403 is logged as an attempt at something the user may not do', async () => {
    const oic = await signedIn(t, 'oic.north')
    expect((await oic.get(`/cases/${caseId}/access-log`)).statusCode).toBe(403)
    const [row] = await refusals('oic.north')
    expect(row).toMatchObject({
      case_id: caseId,
      subject: 'attempt at something on the case the user may not do',
      details: { kind: 'refusal', channel: 'web', attempted: 'view_access_log', status: 403 },
    })
  })

  test('working on the case, with forms offered or withheld by the policy, logs no refusal', async () => {
    const prosecutor = await signedIn(t, 'prosecutor')
    // Not allocated the case, the prosecutor is asked why before its victim (docs/decisions/0010): not a refusal.
    expect((await prosecutor.get(`/cases/${caseId}/victim`)).statusCode).toBe(303)
    expect((await prosecutor.post(`/cases/${caseId}/reason`, { reason: 'review' })).statusCode).toBe(303)
    for (const url of [`/cases/${caseId}`, `/cases/${caseId}/victim`, `/cases/${caseId}/action-plans`]) {
      expect((await prosecutor.get(url)).statusCode).toBe(200)
    }
    expect(await refusals('prosecutor')).toEqual([])
  })
})

describe('the owning organisation sees the attempts', () => {
  test('on “who has seen this record”, flagged as refused, and filtered to refusals only', async () => {
    const supervisor = await signedIn(t, 'supervisor.north')
    const all = await supervisor.get(`/cases/${caseId}/access-log`)
    expect(all.statusCode).toBe(200)
    expect(all.body).toMatch(/govuk-tag--red">Refused<\/strong> attempt to open a case without a relation to it/)
    expect(all.body).toContain('Southmere Constabulary')

    const only = await supervisor.get(`/cases/${caseId}/access-log?show=refused`)
    expect(only.body).toContain('Showing refused attempts only')
    const rows = [...only.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1)
    expect(rows.length).toBeGreaterThan(0)
    for (const [row] of rows) expect(row).toContain('Refused')
    expect(only.body).not.toContain('Looked at:')
  })

  test('in the API access log, with what was attempted', async () => {
    const res = await api(t, await t.token('dcp'), { method: 'GET', url: `/api/v1/cases/${caseId}/access-log?show=refused` })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.show).toBe('refused')
    expect(body.total).toBeGreaterThan(0)
    for (const e of body.entries) expect(e.kind).toBe('refusal')
    expect(body.entries).toContainEqual(
      expect.objectContaining({
        who: 'DC Jo Whitfield',
        organisation: 'Southmere Constabulary',
        attempted: 'view',
        channel: 'api',
      }),
    )
  })

  test('the victim filter leaves refusals out: nobody saw the victim’s data', async () => {
    const supervisor = await signedIn(t, 'supervisor.north')
    expect((await supervisor.get(`/cases/${caseId}/access-log?show=victim`)).body).not.toContain('Refused')
  })
})
