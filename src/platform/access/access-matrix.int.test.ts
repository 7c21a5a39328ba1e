import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { insertOrganisation, insertUser } from '../../modules/admin/queries.ts'
import { requestAdvice } from '../../modules/advice/service.ts'
import { markReferred } from '../../modules/cases/queries.ts'
import { createCase } from '../../modules/cases/service.ts'
import { refer } from '../../modules/charging/service.ts'
import { recordWithdrawal } from '../../modules/withdrawal/service.ts'
import { api, type Browser, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { endOfLondonDay } from '../clock.ts'
import { openDeadline, sideOwner } from '../deadlines/deadlines.ts'
import { sweepAll } from '../deadlines/sweeper.ts'

/**
 * The access matrix: every case route × every role × own organisation and another.
 * Later issues add rows to ROUTES (and users to USERS when new roles arrive). A user with
 * no relation to a case must get 404, exactly as if it did not exist.
 */

type CaseKey = 'northCase' | 'northReferred' | 'southCase'
type Ids = Record<CaseKey, string>

const USERS = [
  'oic.north',
  'supervisor.north',
  'oic.south',
  'prosecutor',
  'dcp',
  'prosecutor.other', // a prosecutor in another CPS Area
  'isva',
  'analyst',
  'admin.north',
] as const
type User = (typeof USERS)[number]

/** Who may see each case: everyone else must get 404. */
const ALLOWED: Record<CaseKey, User[]> = {
  northCase: ['oic.north', 'supervisor.north'],
  northReferred: ['oic.north', 'supervisor.north', 'prosecutor', 'dcp'],
  southCase: ['oic.south'],
}

/** Each case's withdrawal, for the routes about one withdrawal (made below). */
const withdrawalOf: Record<string, string> = {}

const ROUTES: { name: string; channel: 'page' | 'api'; url: (id: string) => string }[] = [
  { name: 'case page', channel: 'page', url: (id) => `/cases/${id}` },
  { name: 'case API', channel: 'api', url: (id) => `/api/v1/cases/${id}` },
  { name: 'suspects page', channel: 'page', url: (id) => `/cases/${id}/suspects` },
  { name: 'add a suspect page', channel: 'page', url: (id) => `/cases/${id}/suspects/new` },
  { name: 'suspects API', channel: 'api', url: (id) => `/api/v1/cases/${id}/suspects` },
  { name: 'victim page', channel: 'page', url: (id) => `/cases/${id}/victim` },
  { name: 'victim details form', channel: 'page', url: (id) => `/cases/${id}/victim/details` },
  { name: 'victim API', channel: 'api', url: (id) => `/api/v1/cases/${id}/victim` },
  { name: 'support page', channel: 'page', url: (id) => `/cases/${id}/support` },
  { name: 'support API', channel: 'api', url: (id) => `/api/v1/cases/${id}/support` },
  { name: 'withdrawal page', channel: 'page', url: (id) => `/cases/${id}/withdrawal` },
  { name: 'withdrawal API', channel: 'api', url: (id) => `/api/v1/cases/${id}/withdrawals` },
  {
    name: 'evidence-led prosecution page',
    channel: 'page',
    url: (id) => `/cases/${id}/withdrawal/${withdrawalOf[id]}/elp`,
  },
  { name: 'outcome page', channel: 'page', url: (id) => `/cases/${id}/outcome` },
  { name: 'outcome API', channel: 'api', url: (id) => `/api/v1/cases/${id}/outcome` },
  { name: 'communication page', channel: 'page', url: (id) => `/cases/${id}/communication` },
  { name: 'communication plan form', channel: 'page', url: (id) => `/cases/${id}/communication/plan` },
  { name: 'record a contact form', channel: 'page', url: (id) => `/cases/${id}/communication/contacts` },
  { name: 'communication API', channel: 'api', url: (id) => `/api/v1/cases/${id}/communication` },
  { name: 'action plans page', channel: 'page', url: (id) => `/cases/${id}/action-plans` },
  { name: 'action plans API', channel: 'api', url: (id) => `/api/v1/cases/${id}/action-plans` },
  { name: 'advice and charging page', channel: 'page', url: (id) => `/cases/${id}/advice` },
  { name: 'advice and charging API', channel: 'api', url: (id) => `/api/v1/cases/${id}/advice` },
  { name: 'charging referrals API', channel: 'api', url: (id) => `/api/v1/cases/${id}/charging/referrals` },
]

let t: TestApp
let ids: Ids
const browsers = new Map<User, Browser>()
const tokens = new Map<User, string>()

beforeAll(async () => {
  t = await startTestApp()
  const otherArea = await insertOrganisation(t.db, { kind: 'cps_area', name: 'CPS Other Area' })
  t.demo.users['prosecutor.other'] = await insertUser(t.db, otherArea, {
    username: 'prosecutor.other',
    displayName: 'Other Prosecutor',
    email: 'other@casebridge-demo.example',
    phone: '01632 960100',
    roles: ['prosecutor'],
    teamId: null,
    password: PASSWORD,
  })
  const north = await t.ctx('oic.north')
  const south = await t.ctx('oic.south')
  const make = (ctx: typeof north, urn: string) => createCase(ctx, t.caseInput(ctx.actor.username as 'oic.north', { urn }))
  ids = {
    northCase: (await make(north, '91MX0000126')).id,
    northReferred: (await make(north, '91MX0000226')).id,
    southCase: (await make(south, '92MX0000126')).id,
  }
  await markReferred(t.db, ids.northReferred, t.demo.orgs.cps, t.clock.now(), north.actor.id)
  for (const u of USERS) {
    browsers.set(u, await signedIn(t, u))
    tokens.set(u, await t.token(u))
  }
})
afterAll(() => t.close())

beforeAll(async () => {
  for (const c of Object.keys(ids) as CaseKey[]) {
    const ctx = await t.ctx(c === 'southCase' ? 'oic.south' : 'oic.north')
    const body = { withdrawnOn: '2026-10-20', everSupported: true, reasons: ['delay_police'], retractionStatementTaken: false }
    withdrawalOf[ids[c]] = (await recordWithdrawal(ctx, ids[c], body)).id
  }
})

describe.each(ROUTES)('$name', (route) => {
  const cells = (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) => USERS.map((u) => ({ c, u, allowed: ALLOWED[c].includes(u) })))
  test.each(cells)('$u on $c → allowed: $allowed', async ({ c, u, allowed }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(allowed ? 200 : 404)
    if (!allowed) {
      // Nothing about the case leaks into the 404: not its URN, not its force.
      expect(res.body).not.toContain('91MX')
      expect(res.body).not.toContain('92MX')
    }
  })
})

test.each(USERS)('the case list for %s holds exactly the cases they may see', async (u) => {
  const expected = (Object.keys(ALLOWED) as CaseKey[]).filter((c) => ALLOWED[c].includes(u)).map((c) => ids[c])
  const res = await api(t, tokens.get(u), { method: 'GET', url: '/api/v1/cases?page=1' })
  expect(res.statusCode).toBe(200)
  const seen = (res.json().cases as { id: string }[]).map((c) => c.id).filter((id) => Object.values(ids).includes(id))
  expect(seen.sort()).toEqual(expected.sort())
  const page = await (browsers.get(u) as Browser).get('/cases')
  for (const c of Object.keys(ids) as CaseKey[]) {
    expect(page.body.includes(ids[c]), `${u} list shows ${c}`).toBe(expected.includes(ids[c]))
  }
})

test('a malformed or unknown case id is a 404, never an error', async () => {
  const b = browsers.get('oic.north') as Browser
  expect((await b.get('/cases/not-a-uuid')).statusCode).toBe(404)
  expect((await b.get('/cases/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
})

test('only police investigators and supervisors may record a case, and only for their own force', async () => {
  const creators: Partial<Record<User, string>> = { 'oic.north': '91', 'supervisor.north': '91', 'oic.south': '92' }
  for (const u of USERS) {
    const force = creators[u]
    const body = t.caseInput(force === '92' ? 'oic.south' : 'oic.north')
    const res = await api(t, tokens.get(u), { method: 'POST', url: '/api/v1/cases', payload: body })
    expect(res.statusCode, u).toBe(force ? 201 : 403)
    if (force) expect(res.json().force.name).toBe(force === '91' ? 'Northvale Police' : 'Southmere Constabulary')
  }
})

/**
 * Forms for one side only: users who may see the case but not do this get 403 (they know the
 * case exists); users with no relation get 404. The triage pages need a request and a referral
 * on the referred case, made here.
 */
const subjects = { request: '', referral: '' }
beforeAll(async () => {
  const north = await t.ctx('oic.north')
  const request = {
    factualSummary: 'a',
    enquiriesDone: 'b',
    enquiriesOngoing: 'c',
    enquiriesPlanned: 'd',
    issues: 'e',
    questions: 'f',
  }
  subjects.request = (await requestAdvice(north, ids.northReferred, request)).id
  subjects.referral = (await refer(north, ids.northReferred, { test: 'full_code', mgForms: ['MG3'] })).id
})
const POLICE_CASEWORK: User[] = ['oic.north', 'supervisor.north', 'oic.south']
const CPS_CASEWORK: User[] = ['prosecutor', 'dcp', 'prosecutor.other']
const ONE_SIDE: { name: string; channel: 'page' | 'api'; url: (id: string) => string; may: User[] }[] = [
  { name: 'request early advice form', channel: 'page', url: (id) => `/cases/${id}/advice/request`, may: POLICE_CASEWORK },
  { name: 'early advice not sought form', channel: 'page', url: (id) => `/cases/${id}/advice/not-sought`, may: POLICE_CASEWORK },
  { name: 'charging referral form', channel: 'page', url: (id) => `/cases/${id}/charging/referral`, may: POLICE_CASEWORK },
  { name: 'triage options API', channel: 'api', url: (id) => `/api/v1/cases/${id}/triage-options`, may: CPS_CASEWORK },
  {
    name: 'triage of a request for early advice',
    channel: 'page',
    url: (id) => `/cases/${id}/advice/requests/${subjects.request}/triage`,
    may: CPS_CASEWORK,
  },
  {
    name: 'triage of a charging referral',
    channel: 'page',
    url: (id) => `/cases/${id}/charging/referrals/${subjects.referral}/triage`,
    may: CPS_CASEWORK,
  },
]

describe.each(ONE_SIDE)('$name', (route) => {
  const cells = (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) =>
    USERS.map((u) => ({ c, u, status: !ALLOWED[c].includes(u) ? 404 : route.may.includes(u) ? 200 : 403 })),
  )
  test.each(cells)('$u on $c → $status', async ({ c, u, status }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (status === 404) {
      expect(res.body).not.toContain('91MX')
      expect(res.body).not.toContain('92MX')
    }
  })
})

/**
 * Who has seen the record: the case's supervisors, CPS managers and its organisations'
 * administrators (who oversee without seeing the case itself). Anyone else who may see the case
 * gets 403; everyone else 404.
 */
const OVERSEES: Record<CaseKey, User[]> = {
  northCase: ['supervisor.north', 'admin.north'],
  northReferred: ['supervisor.north', 'admin.north', 'dcp'],
  southCase: [],
}
const OVERSIGHT: { name: string; channel: 'page' | 'api'; url: (id: string) => string }[] = [
  { name: 'access log page', channel: 'page', url: (id) => `/cases/${id}/access-log` },
  { name: 'access log page, victim filter', channel: 'page', url: (id) => `/cases/${id}/access-log?show=victim` },
  { name: 'access log API', channel: 'api', url: (id) => `/api/v1/cases/${id}/access-log` },
  { name: 'access log API, victim filter', channel: 'api', url: (id) => `/api/v1/cases/${id}/access-log?show=victim` },
]

describe.each(OVERSIGHT)('$name', (route) => {
  const cells = (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) =>
    USERS.map((u) => ({ c, u, status: OVERSEES[c].includes(u) ? 200 : ALLOWED[c].includes(u) ? 403 : 404 })),
  )
  test.each(cells)('$u on $c → $status', async ({ c, u, status }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (status === 404) {
      expect(res.body).not.toContain('91MX')
      expect(res.body).not.toContain('92MX')
    }
  })
})

/**
 * Work queues and notifications are not case routes (no case id in the address), so they are not
 * rows of ROUTES: instead, with a clock on every case (both sides of the referred one), swept
 * until escalated, each user's queues and notifications hold only cases they may see.
 */
const QUEUE_ROUTES: { name: string; channel: 'page' | 'api'; url: string }[] = [
  { name: 'my work queue page', channel: 'page', url: '/queue' },
  { name: 'team work queue page', channel: 'page', url: '/queue?scope=team' },
  { name: 'organisation work queue page', channel: 'page', url: '/queue?scope=organisation' },
  { name: 'my work queue API', channel: 'api', url: '/api/v1/queue' },
  { name: 'team work queue API', channel: 'api', url: '/api/v1/queue?scope=team' },
  { name: 'organisation work queue API', channel: 'api', url: '/api/v1/queue?scope=organisation' },
  { name: 'notifications page', channel: 'page', url: '/notifications' },
  { name: 'notifications API', channel: 'api', url: '/api/v1/notifications' },
]
/** Who has which queue: the rest get 403 for that queue (pages for people with no queue at all say so, with a 200). */
const QUEUES: Record<'mine' | 'team' | 'organisation', User[]> = {
  mine: ['oic.north', 'supervisor.north', 'oic.south', 'prosecutor', 'dcp', 'prosecutor.other'],
  team: ['oic.north', 'supervisor.north', 'oic.south', 'prosecutor', 'dcp'],
  organisation: ['supervisor.north', 'dcp'],
}

describe('work queues and notifications', () => {
  beforeAll(async () => {
    const open = (caseId: string, side: 'police' | 'cps', kind: 'action_target' | 'charging_decision', owner?: string) =>
      t.db.transaction(async (tx) =>
        openDeadline(tx, {
          kind,
          caseId,
          subjectId: crypto.randomUUID(),
          dueAt: endOfLondonDay('2026-10-30'),
          at: t.clock.now(),
          ...(await sideOwner(tx, caseId, side, owner)),
        }),
      )
    for (const c of Object.keys(ids) as CaseKey[]) await open(ids[c], 'police', 'action_target')
    await open(ids.northReferred, 'cps', 'charging_decision', t.demo.users.prosecutor)
    await sweepAll(t.db, t.clock.now())
  })

  describe.each(QUEUE_ROUTES)('$name', (route) => {
    test.each([...USERS])('%s sees only cases they may see', async (u) => {
      const res =
        route.channel === 'page'
          ? await (browsers.get(u) as Browser).get(route.url)
          : await api(t, tokens.get(u), { method: 'GET', url: route.url })
      const scope = route.url.includes('organisation') ? 'organisation' : route.url.includes('team') ? 'team' : 'mine'
      const hasQueue = route.url.includes('notifications') || QUEUES[scope].includes(u)
      const noQueueAtAll = !QUEUES.mine.includes(u)
      if (!hasQueue) expect(res.statusCode).toBe(route.channel === 'page' && noQueueAtAll ? 200 : 403)
      else expect(res.statusCode).toBe(200)
      for (const c of Object.keys(ids) as CaseKey[]) {
        if (!ALLOWED[c].includes(u)) expect(res.body.includes(ids[c]), `${u} ${route.name} shows ${c}`).toBe(false)
      }
      expect(res.body).not.toContain(u.endsWith('north') || u === 'prosecutor' || u === 'dcp' ? '92MX' : '91MX')
    })
  })

  test('each queue holds the clocks it should', async () => {
    // Which cases each queue shows, once each: the demo data's own cases carry clocks of their
    // own (early advice, a charging referral), so they are left out.
    const demo = (await t.db.query<{ id: string }>("SELECT id FROM cases WHERE urn LIKE '91NV%' OR urn LIKE '92SM%'")).map(
      (r) => r.id,
    )
    const urns = async (u: User, qs: string) =>
      ((await api(t, tokens.get(u), { method: 'GET', url: `/api/v1/queue?${qs}` })).json().items as { caseId: string }[])
        .map((i) => i.caseId)
        .filter((id, n, all) => !demo.includes(id) && all.indexOf(id) === n)
    expect((await urns('oic.north', 'scope=mine')).sort()).toEqual([ids.northCase, ids.northReferred].sort())
    expect((await urns('supervisor.north', 'scope=mine')).sort()).toEqual([ids.northCase, ids.northReferred].sort())
    expect(await urns('oic.south', 'scope=mine')).toEqual([ids.southCase])
    expect(await urns('prosecutor', 'scope=mine')).toEqual([ids.northReferred])
    expect(await urns('dcp', 'scope=organisation')).toEqual([ids.northReferred])
    expect(await urns('prosecutor.other', 'scope=mine')).toEqual([])
  })
})
