import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { insertOrganisation, insertUser } from '../../modules/admin/queries.ts'
import { requestAdvice } from '../../modules/advice/service.ts'
import { markReferred } from '../../modules/cases/queries.ts'
import { createCase } from '../../modules/cases/service.ts'
import { refer } from '../../modules/charging/service.ts'
import { refer as referForSupport } from '../../modules/support/service.ts'
import { addSuspect } from '../../modules/suspects/service.ts'
import { saveVictimDetails } from '../../modules/victims/service.ts'
import { recordWithdrawal } from '../../modules/withdrawal/service.ts'
import { api, type Browser, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { endOfLondonDay } from '../clock.ts'
import { openDeadline, sideOwner } from '../deadlines/deadlines.ts'
import { LADDERS } from '../deadlines/ladders.ts'
import { sweepAll } from '../deadlines/sweeper.ts'
import { SHAREABLE_CODES, type Shareable } from './consent.ts'

/**
 * The access matrix: every case route × every role × own organisation and another.
 * Later issues add rows to ROUTES (and users to USERS when new roles arrive). A user with
 * no relation to a case must get 404, exactly as if it did not exist.
 */

type CaseKey = 'northCase' | 'northLimited' | 'northReferred' | 'southCase'
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

/**
 * Who may see each case: everyone else must get 404. The ISVA's service has an ISVA referral on
 * northCase and northLimited (what the victim agreed to share on each is SHARED, below) and only
 * SARC referrals on the others, which give no access to the case.
 */
const ALLOWED: Record<CaseKey, User[]> = {
  northCase: ['oic.north', 'supervisor.north', 'isva'],
  northLimited: ['oic.north', 'supervisor.north', 'isva'],
  northReferred: ['oic.north', 'supervisor.north', 'prosecutor', 'dcp'],
  southCase: ['oic.south'],
}

/**
 * Of those, who has no direct part in the case (policy.ts directPart): the CPS Area's lawyers on
 * northReferred, which no triage has allocated to a unit or a prosecutor. They must say why before
 * any of its victim data (docs/decisions/0010), so each of their browsers and tokens below states
 * a reason before the rows are tried; the test 'without a stated reason' tries them without one.
 */
const NOT_DIRECT: Record<CaseKey, User[]> = {
  northCase: [],
  northLimited: [],
  northReferred: ['prosecutor', 'dcp'],
  southCase: [],
}

/**
 * What the victim agreed the ISVA's service may see, on the cases it has an ISVA referral for:
 * everything on northCase, only the case summary on northLimited. The police and CPS are not
 * affected by what a victim shares with their support service.
 */
const SHARED: Partial<Record<CaseKey, readonly Shareable[]>> = {
  northCase: SHAREABLE_CODES,
  northLimited: ['case_summary'],
}

/**
 * The ISVA's answer on a case they support, by the policy's rule (policy.ts decide), in its order:
 * what is hidden from support services is 404 and what ISVAs never do is 403, whatever is shared;
 * past those, a row that needs a part of the case the victim did not share is refused for want of
 * consent (403, consent_not_given). `refused` is the row's answer with everything shared.
 */
type IsvaAnswer = { status: 200 | 403 | 404; consent?: true }
function isvaGets(c: CaseKey, refused: 403 | 404 | undefined, needs: Shareable | undefined): IsvaAnswer {
  if (refused) return { status: refused }
  if (needs && !SHARED[c]?.includes(needs)) return { status: 403, consent: true }
  return { status: 200 }
}
const CONSENT_REFUSAL = 'The victim has not agreed to share'

/** Any of the matrix cases' URNs (a whole URN, so a random token that happens to hold "91MX" is no match). */
const MATRIX_URN = /9[12]MX000\d{2}26/

/**
 * On PostgreSQL the reads are sampled: one user per case and expected answer (and the ISVA
 * always), as the writes are everywhere. The policy is the same code on both engines and PGlite
 * tries every cell; the second engine is here for the SQL (lists, queues, the writes), which the
 * sample still reaches.
 */
const SAMPLED = process.env.TEST_ENGINE === 'postgresql'
function sampled<T extends { c: string; u: string; status: number }>(cells: T[]): T[] {
  if (!SAMPLED) return cells
  const seen = new Set<string>()
  return cells.filter(({ c, u, status }) => {
    const key = `${c} ${status} ${u === 'isva' ? u : ''}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** A well-formed id of nothing. */
const UNKNOWN = '00000000-0000-4000-8000-000000000001'

/** Each case's withdrawal, support referral and suspect, for the routes about one of them (made below). */
const withdrawalOf: Record<string, string> = {}
const referralOf: Record<string, string> = {}
const suspectOf: Record<string, string> = {}

/**
 * What the ISVA with consent to share everything gets where it differs from 200: casework between
 * police and CPS is hidden (404); forms for what ISVAs never do are refused (403). `needs`: the
 * part of the case the row shows, which an ISVA sees only if the victim agreed to share it
 * (SHAREABLE in consent.ts; isvaGets above). Every row about a victim's section that the ISVA is
 * not hidden from must say what it needs, or the route guard below fails (consentUndeclared).
 */
type IsvaGets = 403 | 404
type ReadRow = { name: string; channel: 'page' | 'api'; url: (id: string) => string; isva?: IsvaGets; needs?: Shareable }
const CASE_ROUTES: ReadRow[] = [
  { name: 'case page', channel: 'page', url: (id) => `/cases/${id}` },
  { name: 'case API', channel: 'api', url: (id) => `/api/v1/cases/${id}` },
  // Reads no victim data: anyone who may see the case may open it (a direct part is told they need none).
  { name: 'state a reason form', channel: 'page', url: (id) => `/cases/${id}/reason` },
  { name: 'suspects page', channel: 'page', url: (id) => `/cases/${id}/suspects`, isva: 404 },
  { name: 'add a suspect page', channel: 'page', url: (id) => `/cases/${id}/suspects/new`, isva: 404 },
  { name: 'suspects API', channel: 'api', url: (id) => `/api/v1/cases/${id}/suspects`, isva: 404 },
  { name: 'victim page', channel: 'page', url: (id) => `/cases/${id}/victim`, needs: 'victim_details' },
  // ISVAs read what the victim shares but never change it, so the form is not theirs.
  {
    name: 'victim details form',
    channel: 'page',
    url: (id) => `/cases/${id}/victim/details`,
    isva: 403,
    needs: 'victim_details',
  },
  { name: 'victim API', channel: 'api', url: (id) => `/api/v1/cases/${id}/victim`, needs: 'victim_details' },
  // Their names are the victim's details.
  { name: 'victims of the case file API', channel: 'api', url: (id) => `/api/v1/cases/${id}/victims`, needs: 'victim_details' },
  { name: 'crimes of the case file API', channel: 'api', url: (id) => `/api/v1/cases/${id}/crimes` },
  // The ISVA's victim is the victim of this crime, so the ISVA may know of it.
  { name: 'a crime API', channel: 'api', url: (id) => `/api/v1/cases/${id}/crimes/${crimeOf[id]?.id}` },
  // The support the ISVA gives: theirs whatever else the victim shares.
  { name: 'support page', channel: 'page', url: (id) => `/cases/${id}/support`, needs: 'case_summary' },
  { name: 'support API', channel: 'api', url: (id) => `/api/v1/cases/${id}/support`, needs: 'case_summary' },
  { name: 'withdrawal page', channel: 'page', url: (id) => `/cases/${id}/withdrawal`, isva: 404 },
  { name: 'withdrawal API', channel: 'api', url: (id) => `/api/v1/cases/${id}/withdrawals`, isva: 404 },
  {
    name: 'evidence-led prosecution page',
    channel: 'page',
    url: (id) => `/cases/${id}/withdrawal/${withdrawalOf[id]}/elp`,
    // Part of the withdrawal record, which a support service is not told exists.
    isva: 404,
  },
  { name: 'outcome page', channel: 'page', url: (id) => `/cases/${id}/outcome`, needs: 'outcome' },
  { name: 'outcome API', channel: 'api', url: (id) => `/api/v1/cases/${id}/outcome`, needs: 'outcome' },
  { name: 'communication page', channel: 'page', url: (id) => `/cases/${id}/communication`, needs: 'communication_plan' },
  {
    name: 'communication plan form',
    channel: 'page',
    url: (id) => `/cases/${id}/communication/plan`,
    isva: 403,
    needs: 'communication_plan',
  },
  // The ISVA's own contacts with the victim: any engaged ISVA records them, whatever else is shared.
  { name: 'record a contact form', channel: 'page', url: (id) => `/cases/${id}/communication/contacts`, needs: 'case_summary' },
  {
    name: 'communication API',
    channel: 'api',
    url: (id) => `/api/v1/cases/${id}/communication`,
    needs: 'communication_plan',
  },
  { name: 'action plans page', channel: 'page', url: (id) => `/cases/${id}/action-plans`, isva: 404 },
  { name: 'action plans API', channel: 'api', url: (id) => `/api/v1/cases/${id}/action-plans`, isva: 404 },
  { name: 'advice and charging page', channel: 'page', url: (id) => `/cases/${id}/advice`, isva: 404 },
  { name: 'advice and charging API', channel: 'api', url: (id) => `/api/v1/cases/${id}/advice`, isva: 404 },
  { name: 'charging referrals API', channel: 'api', url: (id) => `/api/v1/cases/${id}/charging/referrals`, isva: 404 },
]

/** Each case's victim (recorded below) and its one crime, for the addresses under the victim and the crime. */
const victimOf: Record<string, string> = {}
const crimeOf: Record<string, { id: string; reference: string }> = {}

/**
 * A victim's sections have two addresses (src/modules/victims/paths.ts): under the named victim,
 * and the case's old one for its one victim. Every row about a victim's section is tried at both,
 * with the same answers: the victim here is the one the ISVA supports.
 */
const VICTIM_SECTION = /^(\/api\/v1)?\/cases\/([^/?]+)(\/victim(?=[/?]|$)|(?=\/(communication|support|withdrawal)))/
const OUTCOME = /^(\/api\/v1)?\/cases\/([^/?]+)(?=\/outcome)/
function withVictimAddresses<R extends { name: string; url: (id: string) => string }>(rows: R[]): R[] {
  // Each twin right after its row: the write matrix's order matters (what gives the CPS the case comes last).
  // A crime's outcome has the same two addresses: under the crime, and the case's for its one crime.
  const twin = (r: R, pattern: RegExp, under: (id: string) => string, name: string): R => ({
    ...r,
    name: `${r.name}, ${name}`,
    url: (id: string) => r.url(id).replace(pattern, (_m, api = '', c) => `${api}/cases/${c}/${under(id)}`),
  })
  return rows.flatMap((r) => {
    const url = r.url(UNKNOWN)
    if (VICTIM_SECTION.test(url)) return [r, twin(r, VICTIM_SECTION, (id) => `victims/${victimOf[id]}`, 'under the victim')]
    if (OUTCOME.test(url)) return [r, twin(r, OUTCOME, (id) => `crimes/${crimeOf[id]?.id}`, 'under the crime')]
    return [r]
  })
}
const ROUTES = withVictimAddresses(CASE_ROUTES)

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
    northLimited: (await make(north, '91MX0000326')).id,
    northReferred: (await make(north, '91MX0000226')).id,
    southCase: (await make(south, '92MX0000126')).id,
  }
  await markReferred(t.db, ids.northReferred, t.demo.orgs.cps, t.clock.now(), north.actor.id)
  const refer = (ctx: typeof north, c: CaseKey, kind: 'isva' | 'sarc') =>
    referForSupport(ctx, ids[c], {
      serviceId: t.demo.orgs.isva,
      kind,
      consentGiven: true,
      consentRecordedOn: '2026-10-01',
      shared: [...(SHARED[c] ?? SHAREABLE_CODES)],
    })
  referralOf[ids.northCase] = (await refer(north, 'northCase', 'isva')).id
  referralOf[ids.northLimited] = (await refer(north, 'northLimited', 'isva')).id
  referralOf[ids.northReferred] = (await refer(north, 'northReferred', 'sarc')).id
  referralOf[ids.southCase] = (await refer(south, 'southCase', 'sarc')).id
  for (const c of Object.keys(ids) as CaseKey[]) {
    const [k] = await t.db.query<{ id: string; reference: string }>(
      'SELECT id, crime_reference AS reference FROM crimes WHERE case_id = $1',
      [ids[c]],
    )
    crimeOf[ids[c]] = k
  }
  // Recording each case's victim after the referrals gives them to the victim, as a real case would.
  for (const c of Object.keys(ids) as CaseKey[]) {
    const ctx = c === 'southCase' ? south : north
    const victim = { firstName: 'Matrix', lastName: 'Victim', phone: '07700 900000', preferredLanguage: 'English' }
    victimOf[ids[c]] = (await saveVictimDetails(ctx, ids[c], { ...victim, interpreterNeeded: false, vulnerable: false })).id
  }
  for (const u of USERS) {
    browsers.set(u, await signedIn(t, u))
    tokens.set(u, await t.token(u))
  }
  for (const c of Object.keys(ids) as CaseKey[]) {
    for (const u of NOT_DIRECT[c]) await stateReason(u, ids[c], browsers.get(u) as Browser, tokens.get(u) as string)
  }
})
afterAll(() => t.close())

/** States a reason for the case in this browser (the page's form) and with this token (the API). */
async function stateReason(u: User, caseId: string, b: Browser, token: string) {
  const page = await b.post(`/cases/${caseId}/reason`, { reason: 'review' })
  expect(page.statusCode, `${u} states a reason on the page`).toBe(303)
  const res = await api(t, token, {
    method: 'POST',
    url: `/api/v1/cases/${caseId}/access-reasons`,
    payload: { reason: 'review' },
  })
  expect(res.statusCode, `${u} states a reason through the API`).toBe(201)
}

beforeAll(async () => {
  for (const c of Object.keys(ids) as CaseKey[]) {
    const ctx = await t.ctx(c === 'southCase' ? 'oic.south' : 'oic.north')
    const body = { withdrawnOn: '2026-10-20', everSupported: true, reasons: ['delay_police'], retractionStatementTaken: false }
    withdrawalOf[ids[c]] = (await recordWithdrawal(ctx, ids[c], body)).id
    suspectOf[ids[c]] = (await addSuspect(ctx, ids[c], { status: 'not_identified' })).id
  }
})

describe.each(ROUTES)('$name', (route) => {
  const cells = sampled(
    (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) =>
      USERS.map((u): { c: CaseKey; u: User } & IsvaAnswer => {
        if (!ALLOWED[c].includes(u)) return { c, u, status: 404 }
        return { c, u, ...(u === 'isva' ? isvaGets(c, route.isva, route.needs) : { status: 200 }) }
      }),
    ),
  )
  test.each(cells)('$u on $c → $status', async ({ c, u, status, consent }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (status === 404) {
      // Nothing about the case leaks into the 404: not its URN, not its force.
      expect(res.body).not.toMatch(MATRIX_URN)
    }
    if (consent) expectConsentRefusal(route.channel, res)
  })
})

/** A refusal for want of the victim's consent says so: the API by its code, a page in words. */
function expectConsentRefusal(channel: 'page' | 'api', res: { body: string; json: () => { code?: string } }) {
  if (channel === 'api') expect(res.json().code).toBe('consent_not_given')
  expect(res.body).toContain(CONSENT_REFUSAL)
}

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
  // A referral needs someone to charge.
  const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Invented', effectiveDate: '2026-10-02' }
  await addSuspect(north, ids.northReferred, suspect)
  subjects.referral = (await refer(north, ids.northReferred, { test: 'full_code', mgForms: ['MG3'] })).id
})
const POLICE_CASEWORK: User[] = ['oic.north', 'supervisor.north', 'oic.south']
const CPS_CASEWORK: User[] = ['prosecutor', 'dcp', 'prosecutor.other']
const POLICE_AND_CPS: User[] = [...POLICE_CASEWORK, ...CPS_CASEWORK]
/**
 * isva: what the ISVA with consent gets on northCase (casework between police and CPS is hidden
 * from support services, so 404 unless said). state: what those allowed get instead of 200 where
 * the form needs something the case does not have yet (still past access: never 403 or 404).
 * An unknown plan or action is a 404 for those allowed too (subjectUnknown): those rows still
 * tell the unrelated (404) from the other side (403).
 */
const ONE_SIDE_ROUTES: (ReadRow & { may: User[]; state?: 409; subjectUnknown?: true })[] = [
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
  // The request is awaiting triage, so advice cannot be given yet.
  {
    name: 'give early advice form',
    channel: 'page',
    url: (id) => `/cases/${id}/advice/requests/${subjects.request}/advice`,
    may: CPS_CASEWORK,
    state: 409,
  },
  { name: 'change case details form', channel: 'page', url: (id) => `/cases/${id}/details`, may: POLICE_CASEWORK, isva: 403 },
  { name: 'add a victim form', channel: 'page', url: (id) => `/cases/${id}/victims/new`, may: POLICE_AND_CPS, isva: 403 },
  { name: 'add a crime form', channel: 'page', url: (id) => `/cases/${id}/crimes/new`, may: POLICE_CASEWORK, isva: 403 },
  {
    name: 'change a crime form',
    channel: 'page',
    url: (id) => `/cases/${id}/crimes/${crimeOf[id]?.id}`,
    may: POLICE_CASEWORK,
    isva: 403,
  },
  {
    name: 'protected characteristics form',
    channel: 'page',
    url: (id) => `/cases/${id}/victim/characteristics`,
    // ISVAs read what the victim shares but never change it, so the form is not theirs.
    may: POLICE_AND_CPS,
    isva: 403,
    needs: 'victim_details',
  },
  {
    name: 'suspect status form',
    channel: 'page',
    url: (id) => `/cases/${id}/suspects/${suspectOf[id]}/status`,
    may: [...POLICE_CASEWORK, ...CPS_CASEWORK],
  },
  // Restricting a case (issue 10 item 2) is a police supervisor's; the matrix's cases stay unrestricted.
  { name: 'restriction page', channel: 'page', url: (id) => `/cases/${id}/restriction`, may: ['supervisor.north'], isva: 403 },
  { name: 'issue an action plan form', channel: 'page', url: (id) => `/cases/${id}/action-plans/new`, may: CPS_CASEWORK },
  {
    name: 'administrative finalisation form',
    channel: 'page',
    url: (id) => `/cases/${id}/admin-finalisation`,
    may: CPS_CASEWORK,
  },
  {
    name: 'review an action plan form',
    channel: 'page',
    url: (id) => `/cases/${id}/action-plans/${UNKNOWN}/review`,
    may: CPS_CASEWORK,
    subjectUnknown: true,
  },
  // The form looks the plan up before asking whether this user may respond, so with no plan
  // everyone related gets 404 as well.
  {
    name: 'respond to an action form',
    channel: 'page',
    url: (id) => `/cases/${id}/action-plans/${UNKNOWN}/actions/${UNKNOWN}/response`,
    may: POLICE_AND_CPS,
    subjectUnknown: true,
  },
]

const ONE_SIDE = withVictimAddresses(ONE_SIDE_ROUTES)

describe.each(ONE_SIDE)('$name', (route) => {
  const cells = sampled(
    (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) =>
      USERS.map((u): { c: CaseKey; u: User; status: number; consent?: true } => {
        if (!ALLOWED[c].includes(u)) return { c, u, status: 404 }
        if (u === 'isva') {
          const answer = isvaGets(c, route.may.includes(u) ? undefined : (route.isva ?? 404), route.needs)
          if (answer.status !== 200) return { c, u, ...answer }
        } else if (!route.may.includes(u)) return { c, u, status: 403 }
        return { c, u, status: route.subjectUnknown ? 404 : (route.state ?? 200) }
      }),
    ),
  )
  test.each(cells)('$u on $c → $status', async ({ c, u, status, consent }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (status === 404) {
      expect(res.body).not.toMatch(MATRIX_URN)
    }
    if (consent) expectConsentRefusal(route.channel, res)
  })
})

/**
 * Every row about a victim's section (the rows VICTIM_SECTION recognises, at both addresses), and
 * the case file's list of victims and the form to add one, which name them too.
 */
const VICTIM_ROWS = withVictimAddresses(
  [...CASE_ROUTES, ...ONE_SIDE_ROUTES].filter(
    (r) => VICTIM_SECTION.test(r.url(UNKNOWN)) || /\/victims(\/new)?$/.test(r.url(UNKNOWN)),
  ),
)

describe('without a stated reason', () => {
  const cells = (Object.keys(NOT_DIRECT) as CaseKey[]).flatMap((c) => NOT_DIRECT[c].map((u) => ({ c, u })))

  test('the rows cover every victim section at both its addresses', () => {
    const id = ids.northReferred
    const urls = VICTIM_ROWS.map((r) => r.url(id).replace('/api/v1', ''))
    const under = `/cases/${id}/victims/${victimOf[id]}`
    for (const section of ['communication', 'support', 'withdrawal']) {
      expect(urls).toContain(`/cases/${id}/${section}`)
      expect(urls).toContain(`${under}/${section}`)
    }
    expect(urls).toContain(`/cases/${id}/victim`)
    expect(urls).toContain(under)
    expect(cells.length).toBeGreaterThan(0)
  })

  test.each(cells)('$u on $c, in a new session and with a new token, is asked why on every victim row', async ({ c, u }) => {
    const b = await signedIn(t, u)
    const token = await t.token(u)
    for (const route of VICTIM_ROWS) {
      const url = route.url(ids[c])
      const res = route.channel === 'page' ? await b.get(url) : await api(t, token, { method: 'GET', url })
      if (route.channel === 'page') {
        expect(res.statusCode, `${route.name}: ${url}`).toBe(303)
        expect(res.headers.location).toBe(`/cases/${ids[c]}/reason?next=${encodeURIComponent(url)}`)
      } else {
        expect(res.statusCode, `${route.name}: ${url}`).toBe(403)
        expect(res.json().code).toBe('reason_needed')
      }
      expect(res.body, route.name).not.toContain('Matrix') // the victim's name
    }
  })

  test('those with a direct part are never asked, in a new session or with a new token', async () => {
    for (const c of Object.keys(ALLOWED) as CaseKey[]) {
      for (const u of ALLOWED[c].filter((u) => !NOT_DIRECT[c].includes(u))) {
        // The ISVA is never asked why, but sees the victim only with the victim's consent.
        const { status } = u === 'isva' ? isvaGets(c, undefined, 'victim_details') : { status: 200 }
        const res = await api(t, await t.token(u), { method: 'GET', url: `/api/v1/cases/${ids[c]}/victim` })
        expect(res.statusCode, `${u} on ${c}`).toBe(status)
        if (status === 403) expect(res.json().code, `${u} on ${c}`).toBe('consent_not_given')
        expect((await (await signedIn(t, u)).get(`/cases/${ids[c]}/victim`)).statusCode, `${u} on ${c}`).toBe(status)
      }
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
  northLimited: ['supervisor.north', 'admin.north'],
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
  const cells = sampled(
    (Object.keys(ALLOWED) as CaseKey[]).flatMap((c) =>
      USERS.map((u) => ({ c, u, status: OVERSEES[c].includes(u) ? 200 : ALLOWED[c].includes(u) ? 403 : 404 })),
    ),
  )
  test.each(cells)('$u on $c → $status', async ({ c, u, status }) => {
    const url = route.url(ids[c])
    const res =
      route.channel === 'page' ? await (browsers.get(u) as Browser).get(url) : await api(t, tokens.get(u), { method: 'GET', url })
    expect(res.statusCode).toBe(status)
    if (status === 404) {
      expect(res.body).not.toMatch(MATRIX_URN)
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
      const otherForce = u.endsWith('north') || u === 'prosecutor' || u === 'dcp' ? '92' : '91'
      expect(res.body).not.toMatch(new RegExp(`${otherForce}MX000\\d{2}26`))
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
    const north = [ids.northCase, ids.northLimited, ids.northReferred].sort()
    expect((await urns('oic.north', 'scope=mine')).sort()).toEqual(north)
    expect((await urns('supervisor.north', 'scope=mine')).sort()).toEqual(north)
    expect(await urns('oic.south', 'scope=mine')).toEqual([ids.southCase])
    expect(await urns('prosecutor', 'scope=mine')).toEqual([ids.northReferred])
    expect(await urns('dcp', 'scope=organisation')).toEqual([ids.northReferred])
    expect(await urns('prosecutor.other', 'scope=mine')).toEqual([])
  })
})

/**
 * The write matrix: every form post and API write about one case. Almost every service reads its
 * input before it opens the case (so a malformed body is a 400 for anyone, case or no case, and
 * proves nothing about access): the bodies here are well formed and then refused by a rule the
 * service checks after access (a date in the future, nothing waiting to authorise, an unknown
 * wish), so those allowed get a 400 or 409 and nothing is written. Where no such rule exists the
 * write is harmless to the rows after it (a contact, a wish passed on, the same details again).
 * Writes that would give the CPS the case (early advice, a charging referral) come last, and
 * within each row the refusals are tried before anyone allowed.
 *
 * The policy decides by relation and role, not by the user, so each row tries one user of each
 * expected answer on each case (the ISVA always, whose relation this issue changed), not all
 * nine: the full product would triple the cells and test nothing new.
 */
const FUTURE = '2099-01-01'
const PAST = '2026-01-01'
const dateForm = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year }
}
const RULES = {
  police: 'Only the police force investigating the case can do this',
  cps: 'Only the CPS Area the case is referred to can do this',
  supervisor: 'Only a police supervisor can authorise a police decision to take no further action',
  dcp: 'Only a District Crown Prosecutor can approve this',
  isvaOnly: 'Only the victim’s ISVA passes on their wishes this way',
  isva: 'ISVAs support the victim and are not part of the investigation, so they cannot do this',
  isvaWithdrawal: 'ISVAs are independent of the investigation and never record a withdrawal',
  restrict: 'Only a police supervisor of the investigating force can restrict a case or change its restriction',
}
type Body = Record<string, unknown>
type WriteRoute = {
  name: string
  channel: 'page' | 'api'
  method: 'POST' | 'PUT'
  url: (id: string) => string
  body: (id: string) => Body
  /** Who the policy lets do this, on a case they are related to. */
  may: User[]
  /** What the others related to the case are told (by user where it differs). */
  rule?: string | ((u: User) => string)
  /** The ISVA with consent, on northCase: allowed when in `may`, else 404 (hidden) or the refusal given. */
  isva?: 404 | string
  /** For a write the ISVA may do: the part of the case the victim must have shared (as for reads; isvaGets). */
  needs?: Shareable
  /** The plan or action named does not exist, so those allowed may get 404 too (or 409 where no plan can be). */
  subjectUnknown?: true
}
const pageAndApi = (
  r: Omit<WriteRoute, 'channel' | 'method' | 'url' | 'body'>,
  page: { url: (id: string) => string; form: (id: string) => Body },
  apiRoute: { method?: 'POST' | 'PUT'; url: (id: string) => string; json: (id: string) => Body },
): WriteRoute[] => [
  { ...r, name: `${r.name} (form)`, channel: 'page', method: 'POST', url: page.url, body: page.form },
  { ...r, name: `${r.name} (API)`, channel: 'api', method: apiRoute.method ?? 'POST', url: apiRoute.url, body: apiRoute.json },
]
const none = () => ({})
const policeRule = (u: User) => (CPS_CASEWORK.includes(u) ? RULES.police : RULES.supervisor)
const plan = {
  preferredChannel: 'phone',
  updateEveryDays: 7,
  safeTimes: 'Weekday evenings',
  messagesMayBeLeft: false,
  throughIsva: false,
  nfaPreference: 'other',
  nfaDetails: 'By letter',
}
const contact = {
  contactedAt: '2026-11-01T10:00:00Z',
  channel: 'phone',
  madeBy: 'police',
  plannedUpdate: false,
  summary: 'Called',
}

const CASE_WRITES: WriteRoute[] = [
  // Outcomes (recommendation 3 and the counting rules): an outcome dated in the future; nothing
  // awaits authorisation and nothing is finalised, so authorise, decline and reopen are 409s.
  ...pageAndApi(
    { name: 'record an outcome', may: POLICE_CASEWORK, rule: RULES.police },
    { url: (id) => `/cases/${id}/outcome`, form: () => ({ code: '15', ...dateForm('finalisedOn', FUTURE) }) },
    { url: (id) => `/api/v1/cases/${id}/outcome`, json: () => ({ code: '15', finalisedOn: FUTURE }) },
  ),
  ...pageAndApi(
    { name: 'authorise a decision to take no further action', may: ['supervisor.north'], rule: policeRule, isva: 404 },
    { url: (id) => `/cases/${id}/outcome/authorise`, form: none },
    { url: (id) => `/api/v1/cases/${id}/outcome/authorise`, json: none },
  ),
  ...pageAndApi(
    { name: 'decline a decision to take no further action', may: ['supervisor.north'], rule: policeRule, isva: 404 },
    { url: (id) => `/cases/${id}/outcome/decline`, form: () => ({ declineReason: 'Not yet' }) },
    { url: (id) => `/api/v1/cases/${id}/outcome/decline`, json: () => ({ reason: 'Not yet' }) },
  ),
  ...pageAndApi(
    { name: 'reopen a case', may: POLICE_CASEWORK, rule: RULES.police },
    { url: (id) => `/cases/${id}/outcome/reopen`, form: () => ({ reason: 'New evidence' }) },
    { url: (id) => `/api/v1/cases/${id}/outcome/reopen`, json: () => ({ reason: 'New evidence' }) },
  ),

  // Support and ISVA independence.
  ...pageAndApi(
    { name: 'refer to a support service', may: POLICE_AND_CPS },
    {
      url: (id) => `/cases/${id}/support/referrals`,
      form: () => ({ serviceId: t.demo.orgs.isva, kind: 'isva', consentGiven: 'yes', ...dateForm('consentRecordedOn', FUTURE) }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/support/referrals`,
      json: () => ({ serviceId: t.demo.orgs.isva, kind: 'isva', consentGiven: true, consentRecordedOn: FUTURE }),
    },
  ),
  ...pageAndApi(
    { name: 'change what the victim agrees to share', may: POLICE_AND_CPS },
    {
      url: (id) => `/cases/${id}/support/referrals/${referralOf[id]}/consent`,
      form: (id) => ({ ...dateForm(`consent-${referralOf[id]}`, FUTURE), shared: [...SHAREABLE_CODES] }),
    },
    {
      method: 'PUT',
      url: (id) => `/api/v1/cases/${id}/support/referrals/${referralOf[id]}/consent`,
      json: () => ({ consentRecordedOn: FUTURE, shared: [...SHAREABLE_CODES] }),
    },
  ),
  // The ISVA names themself (harmless: they are the victim's ISVA on northCase).
  ...pageAndApi(
    { name: 'name oneself as the victim’s ISVA', may: ['isva'], rule: RULES.isvaOnly, needs: 'case_summary' },
    { url: (id) => `/cases/${id}/support/referrals/${referralOf[id]}/isva`, form: none },
    { url: (id) => `/api/v1/cases/${id}/support/referrals/${referralOf[id]}/isva`, json: none },
  ),
  // A wish passed on is a task for the officer: harmless to the rows after it.
  ...pageAndApi(
    { name: 'pass on the victim’s wish', may: ['isva'], rule: RULES.isvaOnly, needs: 'case_summary' },
    { url: (id) => `/cases/${id}/support/wishes`, form: () => ({ wish: 'stop' }) },
    { url: (id) => `/api/v1/cases/${id}/support/wishes`, json: () => ({ wish: 'stop' }) },
  ),
  ...pageAndApi(
    // No such wish of this victim: those allowed are told it is not there.
    { name: 'act on a wish passed on', may: POLICE_AND_CPS, isva: RULES.isvaWithdrawal, subjectUnknown: true },
    { url: (id) => `/cases/${id}/support/wishes/${UNKNOWN}/acted-on`, form: none },
    { url: (id) => `/api/v1/cases/${id}/support/wishes/${UNKNOWN}/acted-on`, json: none },
  ),
  ...pageAndApi(
    { name: 'record support offered', may: [...POLICE_AND_CPS, 'isva'], needs: 'case_summary' },
    {
      url: (id) => `/cases/${id}/support/offers`,
      form: () => ({ ...dateForm('offeredOn', FUTURE), support: 'isva', accepted: 'yes' }),
    },
    { url: (id) => `/api/v1/cases/${id}/support/offers`, json: () => ({ offeredOn: FUTURE, support: 'isva', accepted: true }) },
  ),
  {
    name: 'end a support referral (form)',
    channel: 'page',
    method: 'POST',
    url: (id) => `/cases/${id}/support/referrals/${UNKNOWN}/end`,
    body: () => ({ reason: 'Support finished' }),
    may: POLICE_AND_CPS,
    subjectUnknown: true,
  },

  // Withdrawal (recommendation 3) and evidence-led prosecution. Every case has a withdrawal on record.
  ...pageAndApi(
    { name: 'record a withdrawal', may: POLICE_AND_CPS, isva: RULES.isvaWithdrawal },
    {
      url: (id) => `/cases/${id}/withdrawal`,
      form: () => ({
        ...dateForm('withdrawnOn', FUTURE),
        everSupported: 'yes',
        reasons: 'delay_police',
        retractionStatementTaken: 'no',
      }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/withdrawals`,
      json: () => ({ withdrawnOn: FUTURE, everSupported: true, reasons: ['delay_police'], retractionStatementTaken: false }),
    },
  ),
  ...pageAndApi(
    { name: 'record a re-engagement', may: POLICE_AND_CPS, isva: RULES.isvaWithdrawal },
    { url: (id) => `/cases/${id}/withdrawal/reengagement`, form: () => dateForm('reengagedOn', FUTURE) },
    { url: (id) => `/api/v1/cases/${id}/withdrawals/reengagement`, json: () => ({ reengagedOn: FUTURE }) },
  ),
  ...pageAndApi(
    { name: 'evidence-led prosecution consideration', may: POLICE_AND_CPS, isva: 404 },
    { url: (id) => `/cases/${id}/withdrawal/${withdrawalOf[id]}/elp`, form: none },
    { url: (id) => `/api/v1/cases/${id}/withdrawals/${withdrawalOf[id]}/elp`, json: none },
  ),

  // Communication: police and CPS agree the plan, never an ISVA; an ISVA records only their own
  // contacts (this one is a police contact, so the ISVA's is a 400 past access).
  ...pageAndApi(
    { name: 'agree the communication plan', may: POLICE_AND_CPS },
    {
      url: (id) => `/cases/${id}/communication/plan`,
      form: () => ({ ...plan, updateEveryDays: undefined, updates: '7', messagesMayBeLeft: 'no', throughIsva: 'no' }),
    },
    { method: 'PUT', url: (id) => `/api/v1/cases/${id}/communication/plan`, json: () => plan },
  ),
  ...pageAndApi(
    { name: 'record a contact', may: [...POLICE_AND_CPS, 'isva'], needs: 'case_summary' },
    {
      url: (id) => `/cases/${id}/communication/contacts`,
      form: () => ({
        ...dateForm('contactedOn', '2026-11-01'),
        contactedTime: '10:00',
        channel: 'phone',
        madeBy: 'police',
        plannedUpdate: 'no',
        summary: 'Called',
      }),
    },
    { url: (id) => `/api/v1/cases/${id}/communication/contacts`, json: () => contact },
  ),

  // Stating why one needs a case's victims: anyone who may see the case may (nothing is written for
  // a direct part); another reason from one who stated one already is harmless to the rows after it.
  ...pageAndApi(
    { name: 'state a reason to see the victims', may: [...POLICE_AND_CPS, 'isva'], needs: 'case_summary' },
    { url: (id) => `/cases/${id}/reason`, form: () => ({ reason: 'review' }) },
    { url: (id) => `/api/v1/cases/${id}/access-reasons`, json: () => ({ reason: 'review' }) },
  ),

  // The victim: characteristics first, while no victim is recorded (409).
  ...pageAndApi(
    { name: 'record protected characteristics', may: POLICE_AND_CPS },
    { url: (id) => `/cases/${id}/victim/characteristics`, form: none },
    { method: 'PUT', url: (id) => `/api/v1/cases/${id}/victim/characteristics`, json: none },
  ),
  ...pageAndApi(
    { name: 'record the victim', may: POLICE_AND_CPS },
    {
      url: (id) => `/cases/${id}/victim/details`,
      form: () => ({
        firstName: 'Alex',
        lastName: 'Example',
        phone: '07700 900982',
        preferredLanguage: 'English',
        interpreterNeeded: 'no',
        vulnerable: 'no',
      }),
    },
    {
      method: 'PUT',
      url: (id) => `/api/v1/cases/${id}/victim`,
      json: () => ({
        firstName: 'Alex',
        lastName: 'Example',
        phone: '07700 900982',
        preferredLanguage: 'English',
        interpreterNeeded: false,
        vulnerable: false,
      }),
    },
  ),

  // The crimes of the case file: a second crime with the first one's reference, and a victim of no
  // case, are refused after access, so nothing is written.
  ...pageAndApi(
    { name: 'add a crime', may: POLICE_CASEWORK, rule: RULES.police, isva: RULES.isva },
    {
      url: (id) => `/cases/${id}/crimes`,
      form: (id) => ({ crimeReference: crimeOf[id]?.reference, offences: '19C', victimId: victimOf[id] }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/crimes`,
      json: (id) => ({ crimeReference: crimeOf[id]?.reference, offences: ['19C'], victimId: victimOf[id] }),
    },
  ),
  ...pageAndApi(
    { name: 'change a crime', may: POLICE_CASEWORK, rule: RULES.police, isva: RULES.isva },
    {
      url: (id) => `/cases/${id}/crimes/${crimeOf[id]?.id}`,
      form: () => ({ crimeReference: 'X/1', offences: '19C', victimId: UNKNOWN }),
    },
    {
      method: 'PUT',
      url: (id) => `/api/v1/cases/${id}/crimes/${crimeOf[id]?.id}`,
      json: () => ({ crimeReference: 'X/1', offences: ['19C'], victimId: UNKNOWN }),
    },
  ),

  // Restricting: naming someone of no organisation of the case is refused after access (400);
  // there is no restriction to lift (409). So none of the matrix's cases is ever restricted.
  ...pageAndApi(
    { name: 'restrict a case', may: ['supervisor.north'], rule: RULES.restrict, isva: RULES.isva },
    { url: (id) => `/cases/${id}/restriction`, form: () => ({ reason: 'Matrix', namedUserIds: [UNKNOWN] }) },
    {
      method: 'PUT',
      url: (id) => `/api/v1/cases/${id}/restriction`,
      json: () => ({ reason: 'Matrix', namedUserIds: [UNKNOWN] }),
    },
  ),
  ...pageAndApi(
    { name: 'lift a restriction', may: ['supervisor.north'], rule: RULES.restrict, isva: RULES.isva },
    { url: (id) => `/cases/${id}/restriction/lift`, form: () => ({ liftReason: 'Matrix' }) },
    { url: (id) => `/api/v1/cases/${id}/restriction/lift`, json: () => ({ reason: 'Matrix' }) },
  ),

  // Earlier issues' casework, for the guard below: the same details again; suspects dated in the future.
  ...pageAndApi(
    { name: 'change case details', may: POLICE_CASEWORK, rule: RULES.police },
    { url: (id) => `/cases/${id}/details`, form: (id) => caseDetailsForm(id) },
    { method: 'PUT', url: (id) => `/api/v1/cases/${id}/details`, json: (id) => caseDetails(id) },
  ),
  ...pageAndApi(
    { name: 'add a suspect', may: POLICE_AND_CPS, isva: 404 },
    { url: (id) => `/cases/${id}/suspects/new`, form: () => ({ ...suspect, ...dateForm('effectiveDate', FUTURE) }) },
    { url: (id) => `/api/v1/cases/${id}/suspects`, json: () => ({ ...suspect, effectiveDate: FUTURE }) },
  ),
  ...pageAndApi(
    { name: 'record a suspect’s status', may: POLICE_AND_CPS, isva: 404 },
    {
      url: (id) => `/cases/${id}/suspects/${suspectOf[id]}/status`,
      form: () => ({ ...suspect, ...dateForm('effectiveDate', FUTURE) }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/suspects/${suspectOf[id]}/statuses`,
      json: () => ({ ...suspect, effectiveDate: FUTURE }),
    },
  ),
  // Triage naming a unit that does not exist; advice on a request still awaiting triage (409).
  ...pageAndApi(
    { name: 'triage a request for early advice', may: CPS_CASEWORK, rule: RULES.cps, isva: 404 },
    {
      url: (id) => `/cases/${id}/advice/requests/${subjects.request}/triage`,
      form: () => ({ decision: 'accept', unitId: UNKNOWN, prosecutorId: UNKNOWN }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/advice/requests/${subjects.request}/triage`,
      json: () => ({ decision: 'accept', unitId: UNKNOWN, prosecutorId: UNKNOWN }),
    },
  ),
  ...pageAndApi(
    { name: 'triage a charging referral', may: CPS_CASEWORK, rule: RULES.cps, isva: 404 },
    {
      url: (id) => `/cases/${id}/charging/referrals/${subjects.referral}/triage`,
      form: () => ({ decision: 'accept', unitId: UNKNOWN, prosecutorId: UNKNOWN }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/charging/referrals/${subjects.referral}/triage`,
      json: () => ({ decision: 'accept', unitId: UNKNOWN, prosecutorId: UNKNOWN }),
    },
  ),
  ...pageAndApi(
    { name: 'give early advice', may: CPS_CASEWORK, rule: RULES.cps, isva: 404 },
    { url: (id) => `/cases/${id}/advice/requests/${subjects.request}/advice`, form: () => ({ advice: 'Advice' }) },
    { url: (id) => `/api/v1/cases/${id}/advice/requests/${subjects.request}/advice`, json: () => ({ advice: 'Advice' }) },
  ),
  // Action plans: a plan with dates in the past; no plan to approve or finalise; unknown actions.
  ...pageAndApi(
    { name: 'issue an action plan', may: CPS_CASEWORK, rule: RULES.cps, isva: 404 },
    {
      url: (id) => `/cases/${id}/action-plans`,
      form: () => ({
        rows: '1',
        action1Description: 'Obtain CCTV',
        action1Owner: t.demo.users['oic.north'],
        ...dateForm('action1Target', PAST),
        ...dateForm('reviewDate', PAST),
      }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/action-plans`,
      json: () => ({
        actions: [{ description: 'Obtain CCTV', ownerId: t.demo.users['oic.north'], targetDate: PAST }],
        reviewDate: PAST,
      }),
    },
  ),
  ...pageAndApi(
    { name: 'approve a further action plan', may: ['dcp'], rule: RULES.dcp, isva: 404 },
    { url: (id) => `/cases/${id}/action-plans/approvals`, form: () => ({ theme: 'other', reason: 'Needed' }) },
    { url: (id) => `/api/v1/cases/${id}/action-plans/approvals`, json: () => ({ theme: 'other', reason: 'Needed' }) },
  ),
  ...pageAndApi(
    { name: 'respond to an action', may: POLICE_CASEWORK, rule: RULES.police, isva: 404, subjectUnknown: true },
    {
      url: (id) => `/cases/${id}/action-plans/${UNKNOWN}/actions/${UNKNOWN}/response`,
      form: () => ({ outcome: 'done', details: 'Done' }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/action-plans/${UNKNOWN}/actions/${UNKNOWN}/responses`,
      json: () => ({ outcome: 'done', details: 'Done' }),
    },
  ),
  ...pageAndApi(
    { name: 'decide on more time for an action', may: CPS_CASEWORK, rule: RULES.cps, isva: 404, subjectUnknown: true },
    { url: (id) => `/cases/${id}/action-plans/${UNKNOWN}/actions/${UNKNOWN}/more-time`, form: () => ({ decision: 'agreed' }) },
    {
      url: (id) => `/api/v1/cases/${id}/action-plans/${UNKNOWN}/actions/${UNKNOWN}/more-time-decision`,
      json: () => ({ decision: 'agreed' }),
    },
  ),
  ...pageAndApi(
    { name: 'review an action plan', may: CPS_CASEWORK, rule: RULES.cps, isva: 404, subjectUnknown: true },
    { url: (id) => `/cases/${id}/action-plans/${UNKNOWN}/review`, form: () => planReview },
    { url: (id) => `/api/v1/cases/${id}/action-plans/${UNKNOWN}/reviews`, json: () => planReview },
  ),
  ...pageAndApi(
    { name: 'administrative finalisation', may: CPS_CASEWORK, rule: RULES.cps, isva: 404 },
    { url: (id) => `/cases/${id}/admin-finalisation`, form: none },
    { url: (id) => `/api/v1/cases/${id}/admin-finalisation`, json: none },
  ),
  // Last, in this order: a charging referral (409 while early advice is not considered), then
  // advice not sought, then a request for early advice, which refers the case to the CPS.
  ...pageAndApi(
    { name: 'refer for a charging decision', may: POLICE_CASEWORK, rule: RULES.police, isva: 404 },
    { url: (id) => `/cases/${id}/charging/referral`, form: () => ({ test: 'full_code', mgForms: 'MG3' }) },
    { url: (id) => `/api/v1/cases/${id}/charging/referrals`, json: () => ({ test: 'full_code', mgForms: ['MG3'] }) },
  ),
  ...pageAndApi(
    { name: 'record early advice not sought', may: POLICE_CASEWORK, rule: RULES.police, isva: 404 },
    { url: (id) => `/cases/${id}/advice/not-sought`, form: () => ({ reasons: 'ready_for_charging', details: 'Ready' }) },
    {
      url: (id) => `/api/v1/cases/${id}/advice/not-sought`,
      json: () => ({ reasons: ['ready_for_charging'], details: 'Ready' }),
    },
  ),
  ...pageAndApi(
    { name: 'request early advice', may: POLICE_CASEWORK, rule: RULES.police, isva: 404 },
    { url: (id) => `/cases/${id}/advice/request`, form: () => adviceRequest },
    { url: (id) => `/api/v1/cases/${id}/advice/requests`, json: () => adviceRequest },
  ),
  // Last, because a second victim makes the case's old victim addresses ask which victim.
  ...pageAndApi(
    { name: 'add a victim', may: POLICE_AND_CPS, isva: RULES.isva },
    {
      url: (id) => `/cases/${id}/victims`,
      form: () => ({
        firstName: 'Added',
        lastName: 'Victim',
        phone: '07700 900983',
        preferredLanguage: 'English',
        interpreterNeeded: 'no',
        vulnerable: 'no',
      }),
    },
    {
      url: (id) => `/api/v1/cases/${id}/victims`,
      json: () => ({
        firstName: 'Added',
        lastName: 'Victim',
        phone: '07700 900983',
        preferredLanguage: 'English',
        interpreterNeeded: false,
        vulnerable: false,
      }),
    },
  ),
]
const WRITES = withVictimAddresses(CASE_WRITES)
const suspect = { status: 'identified', firstName: 'Sam', lastName: 'Example' }
const planReview = { outcome: 'close', progress: 'Progress', stillNeeded: 'Nothing', closeReason: 'Decide on the file' }
const adviceRequest = {
  factualSummary: 'a',
  enquiriesDone: 'b',
  enquiriesOngoing: 'c',
  enquiriesPlanned: 'd',
  issues: 'e',
  questions: 'f',
}
const caseDetails = (id: string) => {
  const { urn: _urn, ...details } = t.caseInput(id === ids.southCase ? 'oic.south' : 'oic.north')
  return details
}
const caseDetailsForm = (id: string) => {
  const d = caseDetails(id)
  return {
    offences: d.offences,
    ...dateForm('offenceDateFrom', d.offenceDateFrom),
    ...dateForm('dateReported', d.dateReported),
    ...dateForm('dateRecorded', d.dateRecorded),
    officerInChargeId: d.officerInChargeId,
    supervisorId: d.supervisorId,
  }
}

type Expected = { status: 'allowed' | 403 | 404; rule?: string; or404?: true; consent?: true }
function expected(route: WriteRoute, c: CaseKey, u: User): Expected {
  if (!ALLOWED[c].includes(u)) return { status: 404 }
  if (u === 'isva' && !route.may.includes(u)) {
    return route.isva === 404 ? { status: 404 } : { status: 403, rule: route.isva ?? RULES.isva }
  }
  if (u === 'isva' && isvaGets(c, undefined, route.needs).consent) return { status: 403, rule: CONSENT_REFUSAL, consent: true }
  if (route.may.includes(u)) return route.subjectUnknown ? { status: 'allowed', or404: true } : { status: 'allowed' }
  return { status: 403, rule: typeof route.rule === 'function' ? route.rule(u) : (route.rule ?? RULES.police) }
}
const ORDER = { 404: 0, 403: 1, allowed: 2 }

describe('writes', () => {
  describe.each(WRITES)('$name', (route) => {
    // One user per case and expected answer (see above), refusals first.
    const seen = new Set<string>()
    const cells = (Object.keys(ALLOWED) as CaseKey[])
      .flatMap((c) => USERS.map((u) => ({ c, u, ...expected(route, c, u) })))
      .filter(({ c, u, status, rule }) => {
        const key = `${c} ${status} ${rule} ${u === 'isva' ? u : ''}`
        if (seen.has(key)) return false
        seen.add(key)
        return true
      })
      .sort((a, b) => ORDER[a.status] - ORDER[b.status])
    test.each(cells)('$u on $c → $status', async ({ c, u, status, rule, or404, consent }) => {
      const url = route.url(ids[c])
      const body = route.body(ids[c])
      const res =
        route.channel === 'page'
          ? await (browsers.get(u) as Browser).post(url, formOf(body))
          : await api(t, tokens.get(u), { method: route.method, url, payload: body })
      if (status === 'allowed') {
        expect(res.statusCode, res.body).not.toBe(403)
        if (!or404) expect(res.statusCode, res.body).not.toBe(404)
        expect(res.statusCode, res.body).toBeLessThan(500)
      } else expect(res.statusCode, res.body).toBe(status)
      if (status === 404) {
        expect(res.body).not.toMatch(MATRIX_URN)
      }
      if (rule) expect(route.channel === 'api' ? res.json().title : res.body).toContain(rule)
      if (consent) expectConsentRefusal(route.channel, res)
    })
  })
})

const formOf = (body: Body): Record<string, string | string[]> =>
  Object.fromEntries(
    Object.entries(body)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]),
  )

/**
 * Routes that are not about one case, so in no matrix above: the case list, search and new case
 * (the case list test and the record-a-case test), queues and notifications (their own test),
 * reports across cases, administration, sign-in, assets and health. A route added anywhere
 * else must be added to a matrix or, if it is truly not about one case, here with its reason.
 */
const NOT_ABOUT_ONE_CASE = [
  'GET /',
  'GET /health',
  'GET /assets/*',
  'GET /assets/govuk/*',
  'GET /assets/moj/*',
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /signed-out',
  'GET /session/keep-alive',
  'GET /api/v1/openapi.json',
  // Lists and search: scoped by the same policy in SQL (caseScope), tested by the case list test.
  'GET /cases',
  'POST /cases/search',
  'GET /api/v1/cases',
  'POST /api/v1/cases/search',
  // Recording a case: the record-a-case test.
  'GET /cases/new',
  'POST /cases',
  'POST /api/v1/cases',
  // Queues and notifications: the work queues test.
  'GET /queue',
  'GET /api/v1/queue',
  'GET /notifications',
  'GET /api/v1/notifications',
  // Finding a case's access log by URN (a POST so the URN stays out of URLs); figures across cases.
  'GET /access-log',
  'POST /access-log',
  // The reasons stated this week on the overseer's force's or Area's cases (the access reasons test).
  'GET /access-log/review',
  'GET /api/v1/access-log/review',
  'GET /victims/completeness',
  'GET /api/v1/victims/completeness',
  'GET /api/v1/victims/completeness/report',
  'GET /assurance/action-plans',
  'GET /assurance/action-plans.csv',
  'GET /assurance/action-plans/print',
  'GET /api/v1/assurance/action-plans',
  // Administration of users and teams (ids here are users and teams, not cases).
  'GET /admin/teams',
  'GET /admin/teams/:id',
  'GET /admin/teams/new',
  'POST /admin/teams',
  'POST /admin/teams/:id',
  'GET /admin/users',
  'GET /admin/users/:id',
  'GET /admin/users/new',
  'POST /admin/users',
  'POST /admin/users/:id',
  'POST /admin/users/:id/:action',
  'POST /admin/system-clients/:id/disable',
  // Lookups for API clients: the caller's own organisation's staff and teams, and code lists (the lookups test).
  'GET /api/v1/lookups/people',
  'GET /api/v1/lookups/teams',
  'GET /api/v1/lookups/cps-areas',
  'GET /api/v1/lookups/codes',
]

// A route's shape: parameters and ids alike become ':', the query string goes.
const shape = (url: string) =>
  url
    .split('?')[0]
    .replace(/:[A-Za-z]+/g, ':')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':')

/** The routes among `routes` that no matrix covers and that are not listed as about no one case. */
function uncovered(routes: { method: string; url: string }[]): string[] {
  const id = ids.northReferred
  const covered = new Set([
    ...[...ROUTES, ...ONE_SIDE, ...OVERSIGHT].map((r) => `GET ${shape(r.url(id))}`),
    ...WRITES.map((r) => `${r.method} ${shape(r.url(id))}`),
  ])
  const listed = new Set(NOT_ABOUT_ONE_CASE.map((r) => shape(r)))
  const missing = routes
    .filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
    .map((r) => `${r.method} ${shape(r.url)}`)
    .filter((r) => !covered.has(r) && !listed.has(r))
  return [...new Set(missing)]
}

test('every page and API route is in a matrix, or listed as not about one case', () => {
  for (const r of NOT_ABOUT_ONE_CASE) {
    expect(r, 'a case route belongs in a matrix').not.toMatch(/ (\/api\/v1)?\/cases\/:id/)
  }
  expect(t.routes.length, 'the app lists its routes').toBeGreaterThan(100)
  expect(uncovered(t.routes)).toEqual([])
  expect(consentUndeclared([...ROUTES, ...ONE_SIDE], WRITES), 'rows that do not say what the ISVA needs shared').toEqual([])
})

/**
 * The rows whose answer for the ISVA turns on what the victim shared but that do not say what
 * they need: reads about a victim's section that the ISVA is not hidden from (ONE_SIDE rows hide
 * it unless they say otherwise), and writes the ISVA may do.
 */
function consentUndeclared(reads: (ReadRow & { may?: User[] })[], writes: WriteRoute[]): string[] {
  const hidden = (r: ReadRow & { may?: User[] }) => (r.may ? !r.may.includes('isva') && (r.isva ?? 404) === 404 : r.isva === 404)
  return [
    ...reads.filter((r) => VICTIM_SECTION.test(r.url(UNKNOWN)) && !hidden(r) && !r.needs),
    ...writes.filter((r) => r.may.includes('isva') && !r.needs),
  ].map((r) => r.name)
}

test('every clock links to a page that exists: each ladder’s section is a case page the app serves', () => {
  const pages = new Set(t.routes.filter((r) => r.method === 'GET').map((r) => r.url))
  const missing = Object.entries(LADDERS)
    .filter(([, ladder]) => !pages.has(`/cases/:id/${ladder.section}`))
    .map(([kind, ladder]) => `${kind} → /cases/:id/${ladder.section}`)
  expect(missing).toEqual([])
})

test('a route added without rows fails the guard, page or API, read or write', () => {
  const added = [
    { method: 'GET', url: '/cases/:id/new-section' },
    { method: 'POST', url: '/api/v1/cases/:id/new-section/:thingId' },
  ]
  expect(uncovered([...t.routes, ...added])).toEqual(['GET /cases/:/new-section', 'POST /api/v1/cases/:/new-section/:'])
})

test('a row about a victim’s section, or a write the ISVA may do, added without what it needs fails the guard', () => {
  const reads: (ReadRow & { may?: User[] })[] = [
    { name: 'new victim section', channel: 'page', url: (id) => `/cases/${id}/victim/new-section` },
    {
      name: 'new communication form',
      channel: 'page',
      url: (id) => `/cases/${id}/communication/new`,
      may: POLICE_CASEWORK,
      isva: 403,
    },
    // Hidden from support services: what the victim shares does not matter.
    { name: 'new withdrawal form', channel: 'page', url: (id) => `/cases/${id}/withdrawal/new`, may: POLICE_CASEWORK },
  ]
  const write: WriteRoute = {
    name: 'new ISVA write',
    channel: 'api',
    method: 'POST',
    url: (id) => `/api/v1/cases/${id}/support/new`,
    body: none,
    may: ['isva'],
  }
  expect(consentUndeclared([...ROUTES, ...ONE_SIDE, ...reads], [...WRITES, write])).toEqual([
    'new victim section',
    'new communication form',
    'new ISVA write',
  ])
})
