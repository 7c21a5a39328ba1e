import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { appendAudit } from '../../platform/audit/audit.ts'
import { type Browser, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { createCase } from '../cases/service.ts'

let t: TestApp
let caseId: string
let urn: string
beforeAll(async () => {
  t = await startTestApp()
  const oic = await t.ctx('oic.north')
  const c = await createCase(oic, t.caseInput('oic.north'))
  caseId = c.id
  urn = c.urn
  await t.db.transaction((tx) => markReferred(tx, caseId, t.demo.orgs.cps, t.clock.now(), oic.actor.id))
  const b = await signedIn(t, 'oic.north')
  await b.get(`/cases/${caseId}`)
  // A consultation of the victim's details, as the victim pages record it.
  await t.db.transaction((tx) =>
    appendAudit(tx, {
      at: t.clock.now(),
      actorId: t.demo.users.prosecutor,
      action: 'victim.viewed',
      caseId,
      subject: 'victim’s details',
      justification: 'case referred to own CPS Area',
      details: { kind: 'consultation', channel: 'web' },
    }),
  )
})
afterAll(() => t.close())

const EXPECTED: [string, number][] = [
  ['supervisor.north', 200],
  ['admin.north', 200], // oversees without seeing the case itself
  ['dcp', 200], // the case is referred to the DCP's Area
  ['oic.north', 403], // may see the case, not the log
  ['prosecutor', 403],
  ['oic.south', 404],
  ['isva', 404],
  ['analyst', 404],
]

describe('who has seen this record', () => {
  test.each(EXPECTED)('%s gets %i', async (username, status) => {
    const b = await signedIn(t, username)
    expect((await b.get(`/cases/${caseId}/access-log`)).statusCode).toBe(status)
  })

  test('lists each access with who, their organisation, what, why and how, newest first', async () => {
    const b = await signedIn(t, 'supervisor.north')
    const page = await b.get(`/cases/${caseId}/access-log`)
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].map((m) =>
      m[1].replace(/<[^>]+>/g, ' '),
    )
    const text = rows.join('\n')
    expect(text).toMatch(/DC Sam Okafor\s+Northvale Police\s+Looked at: case record and timeline\s+case of own force\s+Web/)
    expect(text).toMatch(/Alex Moreno\s+CPS Vale and Mere\s+Looked at: victim’s details\s+case referred to own CPS Area/)
    expect(text).toMatch(/Changed: case record/)
    const index = (needle: string) => rows.findIndex((r) => r.includes(needle))
    expect(index('victim’s details')).toBeLessThan(index('Changed: case record')) // newest first
    expect(text).toContain('Looked at: access log of the case') // the views above, by the oversight roles
  })

  test('can show access to the victim’s details only', async () => {
    const b = await signedIn(t, 'admin.north')
    const page = await b.get(`/cases/${caseId}/access-log?show=victim`)
    expect(page.body).toContain('Alex Moreno')
    expect(page.body).not.toContain('case record and timeline')
    expect(page.body).toContain('1 record,')
  })

  test('reading the log is itself recorded', async () => {
    const rows = await t.db.query<{ justification: string }>(
      "SELECT justification FROM audit_log WHERE action = 'case.access_log_viewed' AND actor_id = $1",
      [t.demo.users['admin.north']],
    )
    expect(rows.map((r) => r.justification)).toContain('administrator of own organisation')
  })

  test('an administrator finds a case by URN, sent by POST so it stays out of the address', async () => {
    const admin: Browser = await signedIn(t, 'admin.north')
    expect((await admin.get('/access-log')).statusCode).toBe(200)
    const found = await admin.post('/access-log', { urn })
    expect(found.statusCode).toBe(303)
    expect(found.headers.location).toBe(`/cases/${caseId}/access-log`)
    const southCase = await createCase(await t.ctx('oic.south'), t.caseInput('oic.south'))
    for (const bad of [southCase.urn, '91ZZ9999926']) {
      const res = await admin.post('/access-log', { urn: bad })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('There is no case with this URN that you oversee')
    }
    expect((await admin.post('/access-log', { urn: 'nonsense' })).body).toContain('Enter the URN in the police format')
  })

  test('people with no oversight role cannot use the search', async () => {
    const oic = await signedIn(t, 'oic.north')
    expect((await oic.get('/access-log')).statusCode).toBe(403)
    expect((await oic.post('/access-log', { urn })).statusCode).toBe(403)
  })
})
