import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { appendAudit } from '../../platform/audit/audit.ts'
import { api, type Browser, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { markReferred } from '../cases/queries.ts'
import { createCase } from '../cases/service.ts'
import { saveVictimDetails } from '../victims/service.ts'
import { accessToCase } from './queries.ts'

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
      subject: 'victim identity, contact details and needs',
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
    expect(text).toMatch(
      /Alex Moreno\s+CPS Vale and Mere\s+Looked at: victim identity, contact details and needs\s+case referred to own CPS Area/,
    )
    expect(text).toMatch(/Changed: case record/)
    const index = (needle: string) => rows.findIndex((r) => r.includes(needle))
    expect(index('victim identity')).toBeLessThan(index('Changed: case record')) // newest first
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

/**
 * The victim filter must hold every read of the victim's data, whichever page or API call made
 * it, and every name search whose results included the case. A fresh case keeps the counts exact.
 */
describe('who has seen the victim’s data', () => {
  let found: string // the case of a victim with an unusual name
  let other: string // another case, whose victim shares the first name only
  const victim = (firstName: string, lastName: string) => ({
    firstName,
    lastName,
    otherNames: null,
    dateOfBirth: '1990-05-14',
    phone: '07700 900123',
    email: null,
    postalAddress: null,
    preferredLanguage: 'English',
    interpreterNeeded: false,
    vulnerable: false,
    vulnerableReason: null,
    needs: null,
  })
  beforeAll(async () => {
    const oic = await t.ctx('oic.north')
    found = (await createCase(oic, t.caseInput('oic.north'))).id
    other = (await createCase(oic, t.caseInput('oic.north'))).id
    await t.db.transaction((tx) => markReferred(tx, found, t.demo.orgs.cps, t.clock.now(), oic.actor.id))
    await saveVictimDetails(oic, found, victim('Zephyrine', 'Quarrington'))
    await saveVictimDetails(oic, other, victim('Zephyrine', 'Ostrowska'))
  })

  const victimLog = (caseId: string) => accessToCase(t.db, caseId, 'victim', { limit: 1000, offset: 0 })

  const READS: { name: string; channel: 'web' | 'api'; url: (id: string) => string; action: string }[] = [
    { name: 'victim page', channel: 'web', url: (id) => `/cases/${id}/victim`, action: 'victim.viewed' },
    { name: 'victim details form', channel: 'web', url: (id) => `/cases/${id}/victim/details`, action: 'victim.viewed' },
    {
      name: 'protected characteristics form',
      channel: 'web',
      url: (id) => `/cases/${id}/victim/characteristics`,
      action: 'victim.viewed',
    },
    { name: 'victim API', channel: 'api', url: (id) => `/api/v1/cases/${id}/victim`, action: 'victim.viewed' },
    { name: 'communication page', channel: 'web', url: (id) => `/cases/${id}/communication`, action: 'communication.viewed' },
    {
      name: 'communication plan form',
      channel: 'web',
      url: (id) => `/cases/${id}/communication/plan`,
      action: 'communication.viewed',
    },
    {
      name: 'communication API',
      channel: 'api',
      url: (id) => `/api/v1/cases/${id}/communication`,
      action: 'communication.viewed',
    },
    { name: 'withdrawal page', channel: 'web', url: (id) => `/cases/${id}/withdrawal`, action: 'withdrawal.viewed' },
    { name: 'withdrawals API', channel: 'api', url: (id) => `/api/v1/cases/${id}/withdrawals`, action: 'withdrawal.viewed' },
    { name: 'support page', channel: 'web', url: (id) => `/cases/${id}/support`, action: 'support.viewed' },
    { name: 'support API', channel: 'api', url: (id) => `/api/v1/cases/${id}/support`, action: 'support.viewed' },
  ]

  test.each(READS)('a read through the $name is under the victim filter', async ({ channel, url, action }) => {
    // The prosecutor is not allocated the case, so states why (docs/decisions/0010) before reading its victim.
    let read: () => Promise<{ statusCode: number }>
    if (channel === 'web') {
      const b = await signedIn(t, 'prosecutor')
      expect((await b.post(`/cases/${found}/reason`, { reason: 'review' })).statusCode).toBe(303)
      read = () => b.get(url(found))
    } else {
      const token = await t.token('prosecutor')
      const stated = await api(t, token, {
        method: 'POST',
        url: `/api/v1/cases/${found}/access-reasons`,
        payload: { reason: 'review' },
      })
      expect(stated.statusCode).toBe(201)
      read = () => api(t, token, { method: 'GET', url: url(found) })
    }
    const before = await victimLog(found)
    const res = await read()
    expect(res.statusCode).toBe(200)
    const after = await victimLog(found)
    // Signing in and the read itself: only the read is about this case's victim.
    expect(after.total).toBe(before.total + 1)
    expect(after.entries[0]).toMatchObject({ action, kind: 'consultation', channel, who: 'Alex Moreno' })
  })

  test('reads of the case that are not the victim’s data stay out of the victim filter; the case page, naming the victims, is in it', async () => {
    const before = await victimLog(found)
    const b = await signedIn(t, 'oic.north')
    for (const url of [`/cases/${found}/suspects`, `/cases/${found}/outcome`, `/cases/${found}/advice`]) {
      expect((await b.get(url)).statusCode).toBe(200)
    }
    expect((await victimLog(found)).total).toBe(before.total)
    // The case's page names its victims (the case file lists them), so reading it is in the filter.
    expect((await b.get(`/cases/${found}`)).statusCode).toBe(200)
    expect((await victimLog(found)).total).toBe(before.total + 1)
  })

  test('a name search whose results include the case is recorded against it, without the name', async () => {
    const before = await victimLog(found)
    const beforeOther = await victimLog(other)
    const b = await signedIn(t, 'oic.north')
    const saved = await b.post('/cases/search', { q: 'zeph quar' })
    expect(saved.statusCode).toBe(303)
    const list = await b.get(saved.headers.location as string)
    expect(list.body).toContain(`/cases/${found}`)
    expect(list.body).not.toContain(`/cases/${other}`)

    const after = await victimLog(found)
    expect(after.total).toBe(before.total + 1)
    expect(after.entries[0]).toMatchObject({
      action: 'case.found_by_name',
      subject: 'case in the results of a name search',
      justification: 'case of own force',
      who: 'DC Sam Okafor',
      channel: 'web',
    })
    // The other case was not in the results, so nothing is recorded against it.
    expect((await victimLog(other)).total).toBe(beforeOther.total)

    // Through the API too, and a search that returns both cases is recorded against both.
    const res = await api(t, await t.token('oic.north'), {
      method: 'POST',
      url: '/api/v1/cases/search',
      payload: { name: 'Zephyrine' },
    })
    expect(res.statusCode).toBe(200)
    expect((res.json().cases as { id: string }[]).map((c) => c.id)).toEqual(expect.arrayContaining([found, other]))
    expect((await victimLog(found)).entries[0]).toMatchObject({ action: 'case.found_by_name', channel: 'api' })
    expect((await victimLog(other)).entries[0]).toMatchObject({ action: 'case.found_by_name', channel: 'api' })

    // The names searched for are nowhere in the audit log.
    const leaks = await t.db.query(
      "SELECT id FROM audit_log WHERE concat_ws(' ', subject, justification, details::text) ~* '(zeph|quar|ostrow)'",
    )
    expect(leaks).toEqual([])
  })

  test('a search by URN alone is not a name search and records nothing against the case', async () => {
    const before = await victimLog(found)
    const [{ urn: foundUrn }] = await t.db.query<{ urn: string }>('SELECT urn FROM cases WHERE id = $1', [found])
    const b = await signedIn(t, 'oic.north')
    const saved = await b.post('/cases/search', { q: foundUrn })
    expect((await b.get(saved.headers.location as string)).body).toContain(`/cases/${found}`)
    expect((await victimLog(found)).total).toBe(before.total)
  })

  test('the page shows the name search and the victim’s reads under the filter, and says what the filter covers', async () => {
    const b = await signedIn(t, 'supervisor.north')
    const page = await b.get(`/cases/${found}/access-log?show=victim`)
    expect(page.body).toContain('Looked at: case in the results of a name search')
    expect(page.body).toContain('Looked at: victim’s withdrawals of support')
    expect(page.body).toContain('Looked at: support referrals and offers')
    expect(page.body).toContain('Looked at: victim communication plan, victim contact log, victim language and interpreter need')
    expect(page.body).toContain('every name search whose results included this case')
  })
})

describe('the access log in the API', () => {
  /** The page's rows as who, what and how, to compare with the API's. */
  const pageRows = (html: string) =>
    [...html.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)]
      .map((m) =>
        [...m[1].matchAll(/<td class="govuk-table__cell">([\s\S]*?)<\/td>/g)].map((c) => c[1].replace(/<[^>]+>/g, ' ').trim()),
      )
      .filter((cells) => cells.length === 5)
      .map(([, who, what, why, how]) => ({ who: who.replace(/\s+/g, ' '), what: what.replace(/\s+/g, ' '), why, how }))
  const LABELS: Record<string, string> = { consultation: 'Looked at', alteration: 'Changed' }
  type Entry = {
    kind: string | null
    action: string
    subject: string | null
    justification: string | null
    attempted: string | null
    channel: string | null
    who: string | null
    organisation: string | null
  }
  // The refusals are the 403s and 404s of the access matrix above (refused.int.test.ts).
  const apiRows = (entries: Entry[]) =>
    entries.map((e) => ({
      who: [e.who ?? 'System', e.organisation].filter(Boolean).join(' '),
      what:
        e.kind === 'refusal'
          ? `Refused ${e.subject} Tried: ${e.attempted?.replaceAll('_', ' ')}`
          : `${(e.kind && LABELS[e.kind]) || 'Recorded'}: ${e.subject ?? e.action}`,
      why: e.kind === 'refusal' ? 'No access: refused' : (e.justification ?? 'Not recorded'),
      how: e.channel === 'api' ? 'API' : 'Web',
    }))

  test('returns the same rows as the page, filtered to the victim or not', async () => {
    const b = await signedIn(t, 'supervisor.north')
    const token = await t.token('supervisor.north')
    for (const show of ['victim', 'all'] as const) {
      const page = await b.get(`/cases/${caseId}/access-log${show === 'victim' ? '?show=victim' : ''}`)
      const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/access-log?show=${show}` })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body).toMatchObject({ case: { id: caseId, urn }, show, page: 1, pageSize: 25 })
      // Reading the log through the page is itself recorded, under "all" only: the API sees that row first.
      const entries: Entry[] = show === 'all' ? body.entries.slice(1) : body.entries
      if (show === 'all') expect(body.entries[0]).toMatchObject({ action: 'case.access_log_viewed', channel: 'web' })
      expect(entries.length).toBeGreaterThan(0)
      expect(apiRows(entries)).toEqual(pageRows(page.body).slice(0, entries.length))
      expect(body.total).toBe(show === 'all' ? Number(page.body.match(/(\d+) records?,/)?.[1]) + 1 : entries.length)
    }
  })

  test('reading it through the API is itself audited', async () => {
    const token = await t.token('dcp')
    expect((await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/access-log?show=victim` })).statusCode).toBe(200)
    const [row] = await t.db.query<{ subject: string; justification: string; channel: string; victim_data: boolean }>(
      `SELECT subject, justification, details->>'channel' AS channel, victim_data FROM audit_log
        WHERE action = 'case.access_log_viewed' AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [t.demo.users.dcp],
    )
    expect(row).toEqual({
      subject: 'access log of the victim’s details',
      justification: 'manager in the CPS Area the case is referred to',
      channel: 'api',
      victim_data: false,
    })
  })

  test('the same access rule as the page: another force’s supervisor gets 404, a case officer 403', async () => {
    for (const [username, status] of [
      ['supervisor.south', 404],
      ['oic.south', 404],
      ['isva', 404],
      ['oic.north', 403],
      ['prosecutor', 403],
      ['admin.north', 200],
    ] as const) {
      const res = await api(t, await t.token(username), { method: 'GET', url: `/api/v1/cases/${caseId}/access-log` })
      expect(res.statusCode, username).toBe(status)
      if (status === 404) expect(res.body).not.toContain(urn)
    }
    const south = await signedIn(t, 'supervisor.south')
    const page = await south.get(`/cases/${caseId}/access-log`)
    expect(page.statusCode).toBe(404)
    expect(page.body).not.toContain(urn)
  })

  test('a bad filter or page is a 400 naming the parameter', async () => {
    const token = await t.token('supervisor.north')
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${caseId}/access-log?show=everything&page=0` })
    expect(res.statusCode).toBe(400)
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['page', 'show'])
  })

  test('is in the OpenAPI document with its query parameters', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    const op = doc.paths['/cases/{id}/access-log'].get
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(['id', 'show', 'page'])
    expect(op.parameters[1].schema.enum).toEqual(['all', 'victim', 'refused'])
    expect(Object.keys(op.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['case', 'show', 'total', 'entries']),
    )
  })
})
