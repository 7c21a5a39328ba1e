import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDeadline, sideOwner } from '../../platform/deadlines/deadlines.ts'
import { api, type Browser, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { stateReason } from '../access-reasons/service.ts'
import { insertTeam, insertUser } from '../admin/queries.ts'
import { refer } from '../support/service.ts'
import { addSuspect } from '../suspects/service.ts'
import { saveVictimDetails } from '../victims/service.ts'
import { markReferred } from './queries.ts'
import { createCase } from './service.ts'

/**
 * Finding cases: every filter, sort, pagination and search, always inside the user's scope.
 * Names are personal data: they must never reach a URL or the audit log.
 */

let t: TestApp
const ids = { a: '', b: '', c: '', south: '' }
let named: string[]
let team2 = ''
let cpsUnit = ''
let officer2 = ''
const tokens = new Map<string, string>()
const browsers = new Map<string, Browser>()

const NAMES = ['Harriet', 'Vance', 'Dominic', 'Thorne', 'Nadia', 'Okonjo']
const USERS = ['oic.north', 'supervisor.north', 'oic.south', 'prosecutor', 'dcp', 'isva', 'analyst', 'admin.north'] as const

const victim = (firstName: string, lastName: string) => ({
  firstName,
  lastName,
  dateOfBirth: '1990-05-01',
  phone: '07700 900982',
  preferredLanguage: 'English',
  interpreterNeeded: false,
  vulnerable: false,
})
const suspect = (firstName: string, lastName: string) => ({
  status: 'identified',
  firstName,
  lastName,
  effectiveDate: '2026-10-02',
})

beforeAll(async () => {
  t = await startTestApp()
  team2 = await insertTeam(t.db, t.demo.orgs.north, 'Second RASSO team')
  cpsUnit = (await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.cps]))[0].id
  officer2 = await insertUser(t.db, t.demo.orgs.north, {
    username: 'oic2.north',
    displayName: 'DC Kit Bramley',
    email: 'oic2.north@casebridge-demo.example',
    phone: '01632 960050',
    roles: ['investigator'],
    teamId: team2,
    password: PASSWORD,
  })
  const north = await t.ctx('oic.north')
  const south = await t.ctx('oic.south')
  const make = async (ctx: typeof north, over: Record<string, unknown>) => {
    t.clock.advance(60_000)
    return (await createCase(ctx, t.caseInput(ctx.actor.username as 'oic.north', over))).id
  }
  // A: rape, investigation (victim and suspect recorded), reported 1 October, DC Sam Okafor.
  ids.a = await make(north, { urn: '91FD0000126' })
  await saveVictimDetails(north, ids.a, victim('Harriet', 'Vance'))
  await addSuspect(north, ids.a, suspect('Dominic', 'Thorne'))
  // B: not rape, with the CPS, reported 15 September, the second officer and team, an overdue clock.
  ids.b = await make(north, {
    urn: '91FD0000226',
    offences: ['20A'],
    offenceDateFrom: '2026-09-10',
    dateReported: '2026-09-15',
    dateRecorded: '2026-09-15',
    officerInChargeId: officer2,
    teamId: team2,
  })
  // B is the second team's: DC Sam Okafor, recording its victim, says why (docs/decisions/0010).
  await stateReason(north, ids.b, { reason: 'covering' })
  await saveVictimDetails(north, ids.b, victim('Nadia', 'Okonjo'))
  await markReferred(t.db, ids.b, t.demo.orgs.cps, t.clock.now(), north.actor.id)
  await t.db.query('UPDATE cases SET reviewing_prosecutor_id = $2, cps_unit_id = $3 WHERE id = $1', [
    ids.b,
    t.demo.users.prosecutor,
    cpsUnit,
  ])
  const at = t.clock.now()
  await openDeadline(t.db, {
    kind: 'victim_update',
    caseId: ids.b,
    subjectId: randomUUID(),
    dueAt: new Date(at.getTime() - 1),
    at,
    ...(await sideOwner(t.db, ids.b, 'police')),
  })
  // C: rape, reported stage, reported 20 October; its clock is not yet due.
  ids.c = await make(north, { urn: '91FD0000326', dateReported: '2026-10-20', dateRecorded: '2026-10-20' })
  await openDeadline(t.db, {
    kind: 'victim_update',
    caseId: ids.c,
    subjectId: randomUUID(),
    dueAt: new Date(at.getTime() + 86_400_000),
    at,
    ...(await sideOwner(t.db, ids.c, 'police')),
  })
  // Another force's case with the same victim and suspect names, referred to the same CPS Area.
  ids.south = await make(south, { urn: '92FD0000126' })
  await saveVictimDetails(south, ids.south, victim('Harriet', 'Vance'))
  await addSuspect(south, ids.south, suspect('Dominic', 'Thorne'))
  await markReferred(t.db, ids.south, t.demo.orgs.cps, t.clock.now(), south.actor.id)
  // The ISVA service supports A's victim (case summary only) and B's (with the victim's details).
  const referral = (shared: string[]) => ({
    serviceId: t.demo.orgs.isva,
    kind: 'isva',
    consentGiven: true,
    consentRecordedOn: '2026-10-05',
    shared,
  })
  await refer(north, ids.a, referral([]))
  await refer(north, ids.b, referral(['victim_details']))
  // Enough not-rape cases in the south for two pages.
  for (let i = 0; i < 26; i++) await make(south, { urn: `92PG${10000 + i}26`, offences: ['20A'] })
  named = Object.values(ids)
  for (const u of USERS) {
    tokens.set(u, await t.token(u))
    browsers.set(u, await signedIn(t, u))
  }
})
afterAll(() => t.close())

type List = { total: number; cases: { id: string }[] }
const get = async (user: string, qs = '') => {
  const res = await api(t, tokens.get(user), { method: 'GET', url: `/api/v1/cases${qs}` })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as List
}
const search = async (user: string, body: Record<string, unknown>, qs = '') => {
  const res = await api(t, tokens.get(user), { method: 'POST', url: `/api/v1/cases/search${qs}`, payload: body })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as List
}
/** The named cases in a list, in the list's order (demo and bulk cases are ignored). */
const which = (list: List) => list.cases.map((c) => c.id).filter((id) => named.includes(id))
const key = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0]
const keys = (list: List) => which(list).map(key)

describe('filters narrow the list', () => {
  test('by stage, one or several', async () => {
    expect(keys(await get('oic.north', '?stage=reported'))).toEqual(['c'])
    expect(keys(await get('oic.north', '?stage=investigation&stage=with_cps'))).toEqual(['b', 'a'])
    expect((await get('oic.north', '?stage=charged')).total).toBe(0)
  })

  test('by team: the police team, or for the CPS the unit', async () => {
    expect(keys(await get('oic.north', `?team=${team2}`))).toEqual(['b'])
    const rasso = (await t.db.query<{ id: string }>('SELECT team_id AS id FROM cases WHERE id = $1', [ids.a]))[0].id
    expect(keys(await get('oic.north', `?team=${rasso}`))).toEqual(['c', 'a'])
    expect(keys(await get('prosecutor', `?team=${cpsUnit}`))).toEqual(['b'])
  })

  test('by officer in charge', async () => {
    expect(keys(await get('oic.north', `?officer=${officer2}`))).toEqual(['b'])
    expect(keys(await get('oic.north', `?officer=${t.demo.users['oic.north']}`))).toEqual(['c', 'a'])
  })

  test('by rape flag and by overdue deadlines', async () => {
    expect(keys(await get('oic.north', '?rape=true'))).toEqual(['c', 'a'])
    expect(keys(await get('oic.north', '?rape=false'))).toEqual(['b'])
    expect(keys(await get('oic.north', '?overdue=true'))).toEqual(['b'])
    expect(keys(await get('oic.north', '?overdue=false'))).toEqual(['c', 'a'])
    expect(keys(await get('oic.north', '?overdue=true&rape=true'))).toEqual([])
  })

  test('only my cases: officer in charge or supervisor, or the reviewing prosecutor', async () => {
    expect(keys(await get('oic.north', '?mine=true'))).toEqual(['c', 'a'])
    expect(keys(await get('supervisor.north', '?mine=true'))).toEqual(['c', 'b', 'a'])
    expect(keys(await get('prosecutor', '?mine=true'))).toEqual(['b'])
    expect((await get('dcp', '?mine=true')).total).toBe(0)
  })

  test('bad filters are refused with the field named', async () => {
    for (const qs of ['?stage=bogus', '?team=x', '?sort=victim', '?order=up', '?page=0', '?rape=perhaps']) {
      const res = await api(t, tokens.get('oic.north'), { method: 'GET', url: `/api/v1/cases${qs}` })
      expect(res.statusCode, qs).toBe(400)
    }
    expect((await browsers.get('oic.north')?.get('/cases?stage=bogus'))?.statusCode).toBe(400)
  })
})

describe('sorting', () => {
  test('newest first by default; by URN, date reported, stage and officer either way', async () => {
    expect(keys(await get('oic.north'))).toEqual(['c', 'b', 'a'])
    expect(keys(await get('oic.north', '?sort=newest&order=asc'))).toEqual(['a', 'b', 'c'])
    expect(keys(await get('oic.north', '?sort=urn'))).toEqual(['a', 'b', 'c'])
    expect(keys(await get('oic.north', '?sort=urn&order=desc'))).toEqual(['c', 'b', 'a'])
    expect(keys(await get('oic.north', '?sort=reported&order=asc'))).toEqual(['b', 'a', 'c'])
    expect(keys(await get('oic.north', '?sort=stage&order=asc'))).toEqual(['c', 'a', 'b']) // in the order cases move on
    expect(keys(await get('oic.north', '?sort=officer&order=asc'))).toEqual(['b', 'c', 'a']) // Bramley before Okafor
  })

  test('the page’s headers are links that sort, with aria-sort, keeping the filters', async () => {
    const page = await browsers.get('oic.north')?.get('/cases?rape=true&sort=urn&order=asc')
    const body = page?.body ?? ''
    expect(body).toMatch(/aria-sort="ascending">\s*<a[^>]+href="\/cases\?rape=true&amp;sort=urn&amp;order=desc">URN<\/a>/)
    expect(body).toMatch(/aria-sort="none">\s*<a[^>]+href="\/cases\?rape=true&amp;sort=reported&amp;order=asc">Date reported/)
    expect(body.indexOf('91FD0000126')).toBeLessThan(body.indexOf('91FD0000326'))
  })
})

describe('pagination', () => {
  test('25 a page, and every page link keeps the filters and sort', async () => {
    const first = await get('oic.south', '?rape=false&sort=urn')
    expect(first.cases).toHaveLength(25)
    expect(first.total).toBe(26)
    const second = await get('oic.south', '?rape=false&sort=urn&page=2')
    expect(second.cases).toHaveLength(1)
    const page = (await browsers.get('oic.south')?.get('/cases?rape=false&sort=urn&order=asc'))?.body ?? ''
    expect(page).toContain('govuk-pagination')
    expect(page).toContain('href="/cases?rape=false&amp;sort=urn&amp;order=asc&amp;page=2"')
    const last = (await browsers.get('oic.south')?.get('/cases?rape=false&sort=urn&order=asc&page=2'))?.body ?? ''
    expect(last).toContain('92PG1002526')
    expect(last).not.toContain('92FD0000126') // rape flagged: filtered out on every page
  })
})

describe('the filter panel', () => {
  test('shows the options, the selected filters as tags that remove them, and Clear filters', async () => {
    const body = (await browsers.get('oic.north')?.get(`/cases?stage=reported&stage=with_cps&officer=${officer2}&overdue=true`))
      ?.body
    expect(body).toContain('moj-filter')
    expect(body).toContain('Selected filters')
    expect(body).toContain('href="/cases">Clear filters</a>')
    // Removing "Reported" keeps the other filters.
    expect(body).toContain(`href="/cases?stage=with_cps&amp;officer=${officer2}&amp;overdue=true"`)
    expect(body).toMatch(/<option value="[^"]+" selected>DC Kit Bramley<\/option>/)
    expect(body).toContain('Only my cases')
    expect(body).not.toContain('DC Jo Whitfield') // another force's officer
  })

  test('CPS users filter by the officers of the cases they can see, of any force, and by their units', async () => {
    const body = (await browsers.get('prosecutor')?.get('/cases'))?.body
    expect(body).toContain('DC Kit Bramley')
    expect(body).toContain('DC Jo Whitfield')
    expect(body).toMatch(/<option value="[^"]+">CPS RASSO unit|RASSO unit<\/option>/)
  })

  test('lists are audited as consultations with their filters, never names', async () => {
    await get('oic.north', `?stage=reported&rape=true&team=${team2}&sort=urn`)
    const [row] = await t.db.query<{ details: Record<string, unknown>; justification: string }>(
      "SELECT details, justification FROM audit_log WHERE action = 'cases.listed' ORDER BY id DESC LIMIT 1",
    )
    expect(row.justification).toBe('cases in own scope')
    expect(row.details).toMatchObject({
      kind: 'consultation',
      channel: 'api',
      page: 1,
      filters: { stage: ['reported'], rape: true, team: team2, sort: 'urn', order: 'asc' },
    })
  })
})

describe('search', () => {
  const pageSearch = async (user: string, q: string) => {
    const b = browsers.get(user) as Browser
    await b.get('/cases')
    const res = await b.post('/cases/search', { q })
    return { b, res }
  }

  test('by victim name on the page: posted, kept server-side, and the address carries only an id', async () => {
    const { b, res } = await pageSearch('oic.north', 'harriet')
    expect(res.statusCode).toBe(303)
    const location = res.headers.location as string
    expect(location).toMatch(/^\/cases\?search=[0-9a-f-]{36}$/)
    const page = await b.get(location)
    expect(page.body).toContain('91FD0000126')
    expect(page.body).not.toContain('92FD0000126') // the other force's Harriet Vance
    expect(page.body).not.toContain('91FD0000226')
    // The filter form keeps the search; its tag removes it.
    expect(page.body).toContain(`name="search" value="${location.split('=')[1]}"`)
    const filtered = await b.get(`${location}&stage=reported`)
    expect(filtered.body).not.toContain('91FD0000126')
  })

  test('by victim or suspect name: every word starts a first or last name, ignoring case', async () => {
    expect(keys(await search('oic.north', { name: 'VANCE harr' }))).toEqual(['a'])
    expect(keys(await search('oic.north', { name: 'Dominic Thorne' }))).toEqual(['a'])
    expect(keys(await search('oic.north', { name: 'thor' }))).toEqual(['a'])
    expect(keys(await search('oic.north', { name: 'okonjo' }))).toEqual(['b'])
    expect(keys(await search('oic.north', { name: 'Harriet Thorne' }))).toEqual([]) // not one person
    expect(keys(await search('oic.north', { name: 'arriet' }))).toEqual([]) // starts of names only
    expect(keys(await search('oic.north', { name: '%a_' }))).toEqual([]) // wildcards are letters
  })

  test('only within scope: another force’s case with the same names never appears', async () => {
    expect(keys(await search('oic.south', { name: 'Harriet Vance' }))).toEqual(['south'])
    expect(keys(await search('oic.south', { name: 'Dominic' }))).toEqual(['south'])
    expect(keys(await search('prosecutor', { name: 'Harriet' }))).toEqual(['south']) // A is not referred
    expect(keys(await search('prosecutor', { name: 'Nadia' }))).toEqual(['b'])
    for (const u of ['analyst', 'admin.north']) expect((await search(u, { name: 'Harriet' })).total).toBe(0)
  })

  test('an ISVA finds a victim by name only where the victim shared their details, and never by a suspect', async () => {
    expect(keys(await get('isva', '?sort=urn'))).toEqual(['a', 'b'])
    expect(keys(await search('isva', { name: 'Nadia Okonjo' }))).toEqual(['b'])
    expect(keys(await search('isva', { name: 'Harriet' }))).toEqual([]) // A's victim shared the case summary only
    expect(keys(await search('isva', { name: 'Dominic Thorne' }))).toEqual([])
    expect(keys(await search('isva', { urn: '91FD' }, '?sort=urn'))).toEqual(['a', 'b'])
    const box = (await browsers.get('isva')?.get('/cases'))?.body
    expect(box).toContain('the victim’s first or last name')
    expect(box).not.toContain('a suspect’s')
  })

  test('by URN, exactly or by its start, written with spaces or slashes', async () => {
    expect(keys(await search('oic.north', { urn: '91FD0000126' }))).toEqual(['a'])
    expect(keys(await search('oic.north', { urn: '91 fd 0000 2' }))).toEqual(['b'])
    expect(keys(await search('oic.north', { urn: '91/FD' }))).toEqual(['c', 'b', 'a'])
    expect((await search('oic.north', { urn: '92FD' })).total).toBe(0)
    expect(keys(await search('oic.north', { urn: '91FD', name: 'harriet' }))).toEqual(['a'])
    const { b, res } = await pageSearch('oic.north', '91 FD 00003')
    const page = await b.get(res.headers.location as string)
    expect(page.body).toContain('91FD0000326')
    expect(page.body).not.toContain('91FD0000126')
  })

  test('search and filters combine in the API, with filters in the query and names in the body', async () => {
    expect(keys(await search('oic.north', { urn: '91FD' }, '?rape=true&sort=urn'))).toEqual(['a', 'c'])
  })

  test('empty or malformed searches are refused, and nothing is stored', async () => {
    const before = await t.db.query('SELECT id FROM case_searches')
    for (const body of [{}, { name: 'a' }, { urn: '9' }, { urn: 'ABCD' }]) {
      const res = await api(t, tokens.get('oic.north'), { method: 'POST', url: '/api/v1/cases/search', payload: body })
      expect(res.statusCode, JSON.stringify(body)).toBe(400)
    }
    const { res } = await pageSearch('oic.north', '')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Enter a URN or a name to search for')
    expect(res.body).toContain('href="#q"')
    expect(await t.db.query('SELECT id FROM case_searches')).toHaveLength(before.length)
  })

  test('a search id works only for the user who made it, and only for a day', async () => {
    const { res } = await pageSearch('oic.north', 'Nadia')
    const location = res.headers.location as string
    // Same force, other user: the id is no search at all, and says nothing of what was searched.
    const other = await browsers.get('supervisor.north')?.get(location)
    expect(other?.statusCode).toBe(200)
    expect(other?.body).toContain('That search is no longer available')
    expect(other?.body).not.toContain('Nadia')
    expect(other?.body).toContain('91FD0000126') // the unsearched list
    const south = await browsers.get('oic.south')?.get(location)
    expect(south?.body).not.toContain('91FD')
    expect((await browsers.get('oic.north')?.get(location))?.body).not.toContain('That search is no longer available')
    t.clock.advance(86_400_000 + 1000)
    // Sessions end after 30 idle minutes too: sign everyone in again.
    for (const u of USERS) browsers.set(u, await signedIn(t, u))
    expect((await browsers.get('oic.north')?.get(location))?.body).toContain('That search is no longer available')
    expect((await browsers.get('oic.north')?.get('/cases?search=not-an-id'))?.statusCode).toBe(200)
  })

  test('searches are audited by kind only; names reach no URL and no audit row', async () => {
    const locations: string[] = []
    for (const q of ['Harriet Vance', 'Dominic', 'Okonjo', '91FD']) {
      const { res } = await pageSearch('oic.north', q)
      locations.push(res.headers.location as string)
    }
    await search('oic.north', { name: 'Thorne', urn: '91FD' })
    for (const l of locations) for (const n of NAMES) expect(l.toLowerCase()).not.toContain(n.toLowerCase())
    const rows = await t.db.query<{ action: string; details: Record<string, unknown> }>(
      "SELECT action, details FROM audit_log WHERE action = 'cases.searched' ORDER BY id DESC LIMIT 5",
    )
    expect(rows.map((r) => r.details.by)).toEqual(['urn and name', 'urn', 'name', 'name', 'name'])
    expect(rows[0].details).toEqual({ kind: 'consultation', channel: 'api', by: 'urn and name' })
    const all = await t.db.query<{ text: string }>(
      "SELECT concat_ws(' ', action, subject, justification, details::text) AS text FROM audit_log",
    )
    for (const { text } of all) for (const n of NAMES) expect(text.toLowerCase()).not.toContain(n.toLowerCase())
    const events = await t.db.query<{ text: string }>('SELECT data::text AS text FROM case_events')
    for (const { text } of events) for (const n of NAMES) expect(text.toLowerCase()).not.toContain(n.toLowerCase())
  })
})

describe('access stays filtered by caseScope for every role', () => {
  const VISIBLE: Record<(typeof USERS)[number], (keyof typeof ids)[]> = {
    'oic.north': ['a', 'b', 'c'],
    'supervisor.north': ['a', 'b', 'c'],
    'oic.south': ['south'],
    prosecutor: ['b', 'south'],
    dcp: ['b', 'south'],
    isva: ['a', 'b'],
    analyst: [],
    'admin.north': [],
  }
  const queries = () => [
    '',
    '?rape=true',
    '?overdue=true',
    '?mine=true',
    `?officer=${officer2}`,
    `?team=${cpsUnit}`,
    '?sort=officer',
    '?stage=reported&stage=with_cps&stage=investigation',
  ]

  test.each(USERS)('%s sees, filters and searches only their own cases', async (u) => {
    const allowed = VISIBLE[u].map((k) => ids[k])
    for (const qs of queries()) {
      for (const id of which(await get(u, qs))) expect(allowed, `${u} ${qs}`).toContain(id)
    }
    for (const body of [{ name: 'Harriet' }, { name: 'Dominic' }, { name: 'Nadia' }, { urn: '91FD' }, { urn: '92FD' }]) {
      for (const id of which(await search(u, body))) expect(allowed, `${u} ${JSON.stringify(body)}`).toContain(id)
    }
    expect(which(await get(u, '?sort=urn')).sort()).toEqual([...allowed].sort())
  })
})

test('the OpenAPI document describes the filters and the search body', async () => {
  const doc = (await api(t, undefined, { method: 'GET', url: '/api/v1/openapi.json' })).json()
  const names = doc.paths['/cases'].get.parameters.map((p: { name: string }) => p.name)
  expect(names).toEqual(['stage', 'team', 'officer', 'rape', 'overdue', 'mine', 'sort', 'order', 'page'])
  const stage = doc.paths['/cases'].get.parameters[0].schema
  expect(JSON.stringify(stage)).toContain('with_cps')
  const body = doc.paths['/cases/search'].post.requestBody.content['application/json'].schema
  expect(Object.keys(body.properties)).toEqual(['urn', 'name'])
})
