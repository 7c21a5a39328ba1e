import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, Browser, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

/**
 * The escape test over every free-text field. Markup goes into every free-text string of every
 * request body the OpenAPI document describes (so a field added later is planted without anyone
 * touching this file), and into the few fields only a form takes; then every page the app serves
 * is opened as each role that may see the case. No page may carry the markup raw, and each
 * planted field must show up escaped somewhere, so the test cannot pass by showing nothing.
 */

type Schema = {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  maxLength?: number
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
  oneOf?: Schema[]
}
type Json = Record<string, unknown>
type OpenApi = { paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: Schema }> } }>> }

/** Free text: a string with no enum, constant, format or pattern to give it a meaning. */
function textBranch(s: Schema): Schema | undefined {
  const branches = s.anyOf ?? s.oneOf
  if (branches) {
    const real = branches.filter((b) => b.type !== 'null')
    return real.length === 1 ? textBranch(real[0]) : undefined
  }
  const plain = s.type === 'string' && s.enum === undefined && s.const === undefined
  return plain && s.format === undefined && s.pattern === undefined ? s : undefined
}

const isObject = (s: Schema) => s.type === 'object' || s.properties !== undefined
/** A union member is named by its constants, e.g. `[status=on_bail]`. */
const variantName = (s: Schema) =>
  `[${Object.entries(s.properties ?? {})
    .filter(([, p]) => p.const !== undefined)
    .map(([k, p]) => `${k}=${String(p.const)}`)
    .join(',')}]`
const join = (pointer: string, name: string) => (pointer && !name.startsWith('[') ? `${pointer}.${name}` : `${pointer}${name}`)

/** Every free-text field of a body, as a pointer like `actions[].description` or `[outcome=done].details`. */
function freeText(s: Schema, pointer = ''): { pointer: string; maxLength?: number }[] {
  const text = textBranch(s)
  if (text) return [{ pointer, maxLength: text.maxLength }]
  const branches = s.anyOf ?? s.oneOf
  if (branches) {
    const real = branches.filter((b) => b.type !== 'null')
    return real.flatMap((b) => freeText(b, real.length > 1 && isObject(b) ? join(pointer, variantName(b)) : pointer))
  }
  if (isObject(s)) return Object.entries(s.properties ?? {}).flatMap(([k, p]) => freeText(p, join(pointer, k)))
  if (s.type === 'array' && s.items) return freeText(s.items, `${pointer}[]`)
  return []
}

/**
 * A victim's sections and a crime's outcome have two addresses (src/modules/victims/paths.ts,
 * src/modules/cases/crime-paths.ts) served by one handler and schema: the address under the
 * victim or crime counts as its twin at the case's address, both in the API and in forms.
 */
function caseAddress(path: string): string {
  return path
    .replace(/\/crimes\/(?:\{crimeId\}|:crimeId)(?=\/outcome)/, '')
    .replace(/\/victims\/(?:\{victimId\}|:victimId)((?:\/details|\/characteristics)?)(?=(\/|$))/, (_m, rest, next) =>
      rest || next === '' ? `/victim${rest}` : '',
    )
}
const opAtCaseAddress = (key: string) => {
  const [method, path, ...rest] = key.split(' ')
  return [method, caseAddress(path), ...rest].join(' ')
}

/** Fields whose text has a shape the API checks, so markup is refused (see the test below): filled with valid values. */
const SHAPED: Record<string, string> = {
  'post /cases urn': 'a URN, checked against the URN pattern',
  'post /cases crimeReference': 'a crime reference number: letters, numbers, spaces, hyphens and slashes',
  'post /cases/{id}/crimes crimeReference': 'a crime reference number',
  'put /cases/{id}/crimes/{crimeId} crimeReference': 'a crime reference number',
  'post /cases/search urn': 'the start of a URN',
  'put /cases/{id}/victim phone': 'a phone number',
  'put /cases/{id}/victim email': 'an email address',
  'post /cases/{id}/victims phone': 'a phone number (the same schema as the victim’s details)',
  'post /cases/{id}/victims email': 'an email address (the same schema as the victim’s details)',
}

/** Planted fields no page shows (the reason is part of the list). */
const NOT_SHOWN: Record<string, string> = {
  'post /cases/search name': 'a search, not stored case data: the search form’s echo is checked below',
}

/**
 * Every form post that is not an API route, and how its free text is covered: by the API
 * operation that runs the same service and schema, by a form post planted here, or not at all
 * because it takes no free text that is kept. A new form fails the test until it is listed.
 */
const FORMS: Record<string, { api: string } | { form: string[] } | { none: string }> = {
  '/sign-in': { none: 'credentials, never shown (the echo of a wrong username is checked below)' },
  '/sign-out': { none: 'no fields' },
  // Adding and changing a user share one schema; the change is planted.
  '/admin/users': { form: ['form: display name'] },
  '/admin/users/:id': { form: ['form: display name'] },
  '/admin/users/:id/:action': { none: 'unlock, disable or enable: no fields' },
  '/admin/system-clients/:id/disable': { none: 'no fields' },
  '/admin/teams': { form: ['form: team name'] },
  '/admin/teams/:id': { form: ['form: team name'] },
  '/access-log': { none: 'finds a case by URN; not stored' },
  '/cases': { api: 'post /cases' },
  '/cases/search': { api: 'post /cases/search' },
  '/cases/:id/details': { api: 'put /cases/{id}/details' },
  '/cases/:id/suspects/new': { api: 'post /cases/{id}/suspects' },
  '/cases/:id/suspects/:suspectId/status': { api: 'post /cases/{id}/suspects/{suspectId}/statuses' },
  '/cases/:id/support/referrals': { api: 'post /cases/{id}/support/referrals' },
  '/cases/:id/support/referrals/:referralId/end': { form: ['form: reason a referral ended'] },
  '/cases/:id/support/offers': { api: 'post /cases/{id}/support/offers' },
  '/cases/:id/support/referrals/:referralId/consent': { api: 'put /cases/{id}/support/referrals/{referralId}/consent' },
  '/cases/:id/support/referrals/:referralId/isva': { none: 'an ISVA names themselves: no fields' },
  '/cases/:id/support/wishes': { api: 'post /cases/{id}/support/wishes' },
  '/cases/:id/support/wishes/:wishId/acted-on': { none: 'no fields' },
  '/cases/:id/victim/details': { api: 'put /cases/{id}/victim' },
  '/cases/:id/victim/characteristics': { api: 'put /cases/{id}/victim/characteristics' },
  '/cases/:id/victims': { api: 'post /cases/{id}/victims' },
  '/cases/:id/crimes': { api: 'post /cases/{id}/crimes' },
  '/cases/:id/crimes/:crimeId': { api: 'put /cases/{id}/crimes/{crimeId}' },
  '/cases/:id/action-plans': { api: 'post /cases/{id}/action-plans' },
  '/cases/:id/action-plans/approvals': { api: 'post /cases/{id}/action-plans/approvals' },
  '/cases/:id/action-plans/:planId/actions/:actionId/response': {
    api: 'post /cases/{id}/action-plans/{planId}/actions/{actionId}/responses',
  },
  '/cases/:id/action-plans/:planId/review': { api: 'post /cases/{id}/action-plans/{planId}/reviews' },
  '/cases/:id/action-plans/:planId/actions/:actionId/more-time': {
    api: 'post /cases/{id}/action-plans/{planId}/actions/{actionId}/more-time-decision',
  },
  '/cases/:id/advice/request': { api: 'post /cases/{id}/advice/requests' },
  '/cases/:id/advice/requests/:requestId/advice': { api: 'post /cases/{id}/advice/requests/{requestId}/advice' },
  '/cases/:id/advice/requests/:subjectId/triage': { api: 'post /cases/{id}/advice/requests/{requestId}/triage' },
  '/cases/:id/advice/not-sought': { api: 'post /cases/{id}/advice/not-sought' },
  '/cases/:id/admin-finalisation': { api: 'post /cases/{id}/admin-finalisation' },
  '/cases/:id/withdrawal': { api: 'post /cases/{id}/withdrawals' },
  '/cases/:id/withdrawal/reengagement': { api: 'post /cases/{id}/withdrawals/reengagement' },
  '/cases/:id/withdrawal/:withdrawalId/elp': { api: 'post /cases/{id}/withdrawals/{withdrawalId}/elp' },
  '/cases/:id/outcome': { api: 'post /cases/{id}/outcome' },
  '/cases/:id/outcome/reopen': { api: 'post /cases/{id}/outcome/reopen' },
  '/cases/:id/outcome/authorise': { none: 'a supervisor authorises: no fields' },
  '/cases/:id/outcome/decline': { api: 'post /cases/{id}/outcome/decline' },
  '/cases/:id/communication/plan': { api: 'put /cases/{id}/communication/plan' },
  '/cases/:id/communication/contacts': { api: 'post /cases/{id}/communication/contacts' },
  '/cases/:id/charging/referral': { api: 'post /cases/{id}/charging/referrals' },
  '/cases/:id/restriction': { api: 'put /cases/{id}/restriction' },
  '/cases/:id/restriction/lift': { api: 'post /cases/{id}/restriction/lift' },
  '/cases/:id/charging/referrals/:subjectId/triage': { api: 'post /cases/{id}/charging/referrals/{referralId}/triage' },
  '/cases/:id/reason': { api: 'post /cases/{id}/access-reasons' },
}

/** Fields whose text is evidence or the reasons for a decision: never on an ISVA's page. */
const EVIDENCE =
  /^(post|put) \/cases\/\{id\}\/(withdrawals|suspects|outcome|advice|charging|action-plans|admin-finalisation)|^form: reason a referral ended/

/** The roles whose pages are read: each demo role that may see the case, and the administrator for the admin pages. */
const READERS = ['oic.north', 'supervisor.north', 'prosecutor', 'dcp', 'isva', 'admin.north'] as const

// A tag per field (X12Y) so a failure names the field. Three ways out of the text: an element,
// a script and a meta refresh (the one an outside check used), each after a quote that would
// end an attribute.
const payload = (tag: string, maxLength = Number.POSITIVE_INFINITY) => {
  const full = `"><b>${tag}</b><script>${tag}</script><meta http-equiv="refresh" content="0;url=//x.example/">`
  return full.length <= maxLength ? full : `"><b>${tag}</b><script>${tag}</script>`
}
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
const RAW = /<b>X\d+Y|<script>X\d+Y|<meta http-equiv="refresh"/i

let t: TestApp
let doc: OpenApi
const tokens: Record<string, string> = {}
/** Every free-text field the document describes: `post /cases/{id}/suspects [status=identified].firstName`. */
const derived = new Set<string>()
const tags = new Map<string, string>()
const planted = new Set<string>()
const shaped = new Set<string>()
const ids = {
  case: '',
  suspects: [] as string[],
  requests: [] as string[],
  referrals: [] as string[],
  withdrawals: [] as string[],
  wishes: [] as string[],
  supportReferrals: [] as string[],
  plans: [] as string[],
  actions: {} as Record<string, string[]>,
  victims: [] as string[],
  crimes: [] as string[],
}

const tagFor = (field: string) => {
  if (!tags.has(field)) tags.set(field, `X${tags.size + 1}Y`)
  return tags.get(field) as string
}

function bodySchema(op: string): Schema {
  const [method, path] = op.split(' ')
  const schema = doc.paths[path]?.[method]?.requestBody?.content['application/json'].schema
  if (!schema) throw new Error(`the OpenAPI document has no body for ${op}`)
  return schema
}

/**
 * A body for an API operation: `base` holds the values with a meaning (dates, codes, ids) and
 * every free-text field of the operation's schema gets markup. Returns the fields it filled.
 */
function fillBody(op: string, base: Json): { body: Json; fields: string[] } {
  const schema = bodySchema(op)
  const fields: string[] = []
  const fill = (s: Schema, value: unknown, pointer: string): unknown => {
    const text = textBranch(s)
    if (text) {
      const field = `${op} ${pointer}`
      if (field in SHAPED) return value
      fields.push(field)
      return payload(tagFor(field), text.maxLength)
    }
    const branches = (s.anyOf ?? s.oneOf)?.filter((b) => b.type !== 'null')
    if (branches) {
      const objects = branches.filter(isObject)
      if (objects.length > 1) {
        // The union member whose constants the base names, e.g. { outcome: 'done' }.
        const v = (value ?? {}) as Json
        const fits = (b: Schema) =>
          Object.entries(b.properties ?? {}).every(
            ([k, p]) =>
              (p.const === undefined || v[k] === p.const) &&
              (p.enum === undefined || v[k] === undefined || p.enum.includes(v[k])),
          )
        const member = objects.find((b) => fits(b))
        if (!member) throw new Error(`${op}: no member of ${pointer || 'the body'} matches ${JSON.stringify(value)}`)
        return fill(member, value, join(pointer, variantName(member)))
      }
      const match = branches.find((b) => (Array.isArray(value) ? b.type === 'array' : isObject(b))) ?? branches[0]
      return value === undefined || value === null ? value : fill(match, value, pointer)
    }
    if (isObject(s)) {
      const out: Json = { ...(value as Json) }
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        const filled = fill(p, out[k], join(pointer, k))
        if (filled !== undefined) out[k] = filled
      }
      return out
    }
    if (s.type === 'array' && s.items && Array.isArray(value)) return value.map((v) => fill(s.items as Schema, v, `${pointer}[]`))
    return value
  }
  return { body: fill(schema, base, '') as Json, fields }
}

const apiPath = (path: string, params: Record<string, string>) =>
  `/api/v1${path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? `{${name}}`)}`

/** Sends an operation's body with markup in every free-text field; the fields count as planted once it succeeds. */
async function plant(user: string, op: string, params: Record<string, string>, base: Json = {}) {
  const { body, fields } = fillBody(op, base)
  const [method, path] = op.split(' ')
  const res = await api(t, tokens[user], {
    method: method.toUpperCase() as 'POST' | 'PUT',
    url: apiPath(path, params),
    payload: body,
  })
  if (res.statusCode >= 300) throw new Error(`${user} ${op} → ${res.statusCode}: ${res.body}`)
  for (const f of fields) planted.add(f)
  for (const f of Object.keys(SHAPED)) if (f.startsWith(`${op} `)) shaped.add(f)
  return res.body ? (res.json() as Json) : {}
}

/**
 * Markup in only the named free-text fields, for bodies whose parts different people give (the
 * police view and the CPS view of an evidence-led prosecution).
 */
async function plantOnly(user: string, op: string, params: Record<string, string>, base: Json, pointers: string[]) {
  const body: Json = { ...base }
  for (const p of pointers) body[p] = payload(tagFor(`${op} ${p}`))
  const [method, path] = op.split(' ')
  const res = await api(t, tokens[user], { method: method.toUpperCase() as 'POST', url: apiPath(path, params), payload: body })
  if (res.statusCode >= 300) throw new Error(`${user} ${op} → ${res.statusCode}: ${res.body}`)
  for (const p of pointers) planted.add(`${op} ${p}`)
}

/** A plain API call, for steps with no free text of their own. */
async function call(user: string, method: 'GET' | 'POST', url: string, payload?: Json) {
  const res = await api(t, tokens[user], { method, url: `/api/v1${url}`, payload })
  if (res.statusCode >= 300) throw new Error(`${user} ${method} ${url} → ${res.statusCode}: ${res.body}`)
  return res.json()
}

/** A form post with markup, for the fields only a form takes. */
async function plantForm(b: Browser, url: string, field: string, form: Record<string, string | string[]>, textField: string) {
  const res = await b.post(url, { ...form, [textField]: payload(tagFor(field), 100) })
  if (res.statusCode !== 303) throw new Error(`form ${url} → ${res.statusCode}`)
  planted.add(field)
}

beforeAll(async () => {
  t = await startTestApp()
  for (const u of ['oic.north', 'supervisor.north', 'prosecutor', 'dcp', 'isva']) tokens[u] = await t.token(u)
  doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const schema = op.requestBody?.content['application/json']?.schema
      if (!schema) continue
      for (const f of freeText(schema)) derived.add(opAtCaseAddress(`${method} ${path} ${f.pointer}`))
    }
  }

  const { users, orgs, teams } = t.demo
  const oic = 'oic.north'
  const id = String((await plant(oic, 'post /cases', {}, t.caseInput(oic, { teamId: teams['north-rasso'] }))).id)
  ids.case = id
  const c = { id }

  await plant(oic, 'put /cases/{id}/victim', c, {
    dateOfBirth: '1990-05-01',
    phone: '07700 900982',
    email: 'victim@example.com',
    interpreterNeeded: true,
    vulnerable: true,
  })

  // One suspect identified from the start, then bailed; one identified later.
  const a = String((await plant(oic, 'post /cases/{id}/suspects', c, { status: 'identified', effectiveDate: '2026-10-20' })).id)
  await call(oic, 'POST', `/cases/${id}/suspects/${a}/statuses`, { status: 'arrested', effectiveDate: '2026-10-21' })
  await plant(
    oic,
    'post /cases/{id}/suspects/{suspectId}/statuses',
    { id, suspectId: a },
    {
      status: 'on_bail',
      effectiveDate: '2026-10-22',
      bailReturnDate: '2026-12-01',
    },
  )
  const b = String((await call(oic, 'POST', `/cases/${id}/suspects`, { status: 'not_identified' })).id)
  await plant(
    oic,
    'post /cases/{id}/suspects/{suspectId}/statuses',
    { id, suspectId: b },
    {
      status: 'identified',
      dateOfBirth: '1980-02-03',
      effectiveDate: '2026-10-25',
    },
  )
  ids.suspects = [a, b]

  await plant(oic, 'put /cases/{id}/communication/plan', c, {
    preferredChannel: 'phone',
    updateEveryDays: 1,
    messagesMayBeLeft: false,
    throughIsva: false,
    nfaPreference: 'other',
  })

  // Early advice: one request sent back with reasons, a second accepted and answered.
  const [unit] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [orgs.cps])
  const accept = { decision: 'accept', unitId: unit.id, prosecutorId: users.prosecutor }
  const reject = (codes: Schema) => ({ decision: 'reject', reasons: [{ code: codes.enum?.[0] }], respondBy: '2026-11-20' })
  const triageCodes = (path: string) => bodySchema(`post ${path}`).properties?.reasons.items?.properties?.code as Schema
  const r1 = String((await plant(oic, 'post /cases/{id}/advice/requests', c)).id)
  // Referred, the case is the DCP's Area's; until triage allocates it to their unit the DCP has no
  // direct part, so says why before the victims: the words show on the access log and the review.
  await plant('dcp', 'post /cases/{id}/access-reasons', c, { reason: 'other' })
  const adviceTriage = '/cases/{id}/advice/requests/{requestId}/triage'
  await plant('dcp', `post ${adviceTriage}`, { id, requestId: r1 }, reject(triageCodes(adviceTriage)))
  const r2 = String((await plant(oic, 'post /cases/{id}/advice/requests', c)).id)
  await call('dcp', 'POST', `/cases/${id}/advice/requests/${r2}/triage`, accept)
  await plant('prosecutor', 'post /cases/{id}/advice/requests/{requestId}/advice', { id, requestId: r2 })
  ids.requests = [r1, r2]
  await plant(oic, 'post /cases/{id}/advice/not-sought', c, { reasons: ['ready_for_charging'] })

  // Charging: a Threshold Test referral sent back, then a Full Code Test referral accepted.
  const f1 = String(
    (
      await plant(oic, 'post /cases/{id}/charging/referrals', c, {
        test: 'threshold',
        mgForms: ['MG3'],
        thresholdEvidenceExpected: '2027-01-15',
      })
    ).id,
  )
  const chargingTriage = '/cases/{id}/charging/referrals/{referralId}/triage'
  await plant('dcp', `post ${chargingTriage}`, { id, referralId: f1 }, reject(triageCodes(chargingTriage)))
  const f2 = String((await call(oic, 'POST', `/cases/${id}/charging/referrals`, { test: 'full_code', mgForms: ['MG3'] })).id)
  await call('dcp', 'POST', `/cases/${id}/charging/referrals/${f2}/triage`, accept)
  ids.referrals = [f1, f2]

  // An action plan answered every way there is, then a DCP's approval and a second plan.
  const action = (days: number) => ({ ownerId: users[oic], targetDate: `2026-12-${String(days).padStart(2, '0')}` })
  const p1 = String(
    (
      await plant('prosecutor', 'post /cases/{id}/action-plans', c, {
        actions: [action(1), action(2), action(3)],
        reviewDate: '2026-12-10',
      })
    ).id,
  )
  const plans = async () =>
    (await call(oic, 'GET', `/cases/${id}/action-plans`)).plans as { id: string; actions: { id: string }[] }[]
  const [x1, x2, x3] = (await plans()).find((p) => p.id === p1)?.actions.map((x) => x.id) ?? []
  const respond = '/cases/{id}/action-plans/{planId}/actions/{actionId}/responses'
  await plant(oic, `post ${respond}`, { id, planId: p1, actionId: x1 }, { outcome: 'done' })
  await plant(oic, `post ${respond}`, { id, planId: p1, actionId: x2 }, { outcome: 'cannot_be_done' })
  await plant(oic, `post ${respond}`, { id, planId: p1, actionId: x3 }, { outcome: 'more_time', proposedDate: '2026-12-20' })
  await plant(
    'prosecutor',
    'post /cases/{id}/action-plans/{planId}/actions/{actionId}/more-time-decision',
    {
      id,
      planId: p1,
      actionId: x3,
    },
    { decision: 'refused' },
  )
  await call(oic, 'POST', `/cases/${id}/action-plans/${p1}/actions/${x3}/responses`, { outcome: 'done', details: 'Done' })
  await plant('dcp', 'post /cases/{id}/action-plans/approvals', c, { theme: 'other' })
  const p2 = String(
    (await plant('prosecutor', 'post /cases/{id}/action-plans', c, { actions: [action(4)], reviewDate: '2026-12-11' })).id,
  )
  // Reviewed once with a next review date, then closed at a second review.
  const reviews = 'post /cases/{id}/action-plans/{planId}/reviews'
  await plant('prosecutor', reviews, { id, planId: p2 }, { outcome: 'next_review', nextReviewDate: '2026-12-14' })
  await plant('prosecutor', reviews, { id, planId: p2 }, { outcome: 'close' })
  ids.plans = [p1, p2]
  ids.actions = Object.fromEntries((await plans()).map((p) => [p.id, p.actions.map((x) => x.id)]))

  const withdrawal = String(
    (
      await plant(oic, 'post /cases/{id}/withdrawals', c, {
        withdrawnOn: '2026-10-30',
        everSupported: true,
        reasons: ['fear_of_court'],
        retractionStatementTaken: true,
        retractionTakenOn: '2026-10-31',
        maintainsAccountTrue: true,
        pressureSuspected: 'yes',
      })
    ).id,
  )
  const elp = 'post /cases/{id}/withdrawals/{withdrawalId}/elp'
  await plantOnly(oic, elp, { id, withdrawalId: withdrawal }, {}, ['policeView'])
  await plantOnly('prosecutor', elp, { id, withdrawalId: withdrawal }, { decision: 'proceed' }, ['cpsView', 'result'])
  ids.withdrawals = [withdrawal]
  await plant(oic, 'post /cases/{id}/withdrawals/reengagement', c, { reengagedOn: '2026-11-01' })

  // Support: one referral ended (its reason is typed only in a form), and the ISVA with the
  // victim's consent to share everything, so the ISVA reads as much as an ISVA can.
  const referral = (kind: string, shared: string[]) => ({
    serviceId: orgs.isva,
    kind,
    consentGiven: true,
    consentRecordedOn: '2026-10-30',
    shared,
  })
  await plant(oic, 'post /cases/{id}/support/referrals', c, referral('sarc', []))
  const [ended] = (await call(oic, 'GET', `/cases/${id}/support`)).referrals as { id: string }[]
  const police = await signedIn(t, oic)
  await police.get(`/cases/${id}/support`)
  await plantForm(police, `/cases/${id}/support/referrals/${ended.id}/end`, 'form: reason a referral ended', {}, 'reason')
  const sharable = bodySchema('post /cases/{id}/support/referrals').properties?.shared.items?.enum as string[]
  await plant(oic, 'post /cases/{id}/support/referrals', c, referral('isva', sharable))
  await plant(oic, 'post /cases/{id}/support/offers', c, { offeredOn: '2026-10-30', support: 'isva', accepted: true })

  // The ISVA names themselves and passes on a wish; the victim narrows what they share, then shares all again.
  const active = (await call(oic, 'GET', `/cases/${id}/support`)).referrals as {
    id: string
    kind: string
    endedAt: string | null
  }[]
  const isvaReferral = active.find((r) => r.kind === 'isva' && !r.endedAt)?.id ?? ''
  ids.supportReferrals = active.map((r) => r.id)
  await call('isva', 'POST', `/cases/${id}/support/referrals/${isvaReferral}/isva`)
  ids.wishes = [String((await plant('isva', 'post /cases/{id}/support/wishes', c, { wish: 'stop' })).id)]
  const consent = 'put /cases/{id}/support/referrals/{referralId}/consent'
  await plant(oic, consent, { id, referralId: isvaReferral }, { consentRecordedOn: '2026-11-01', shared: [] })
  await plant(oic, consent, { id, referralId: isvaReferral }, { consentRecordedOn: '2026-11-02', shared: sharable })

  // A supervisor's outcome (in force at once), reopened; then an officer's proposal a supervisor declines.
  const outcome = { code: '15', finalisedOn: '2026-11-02', victimToldOn: '2026-11-02', cpsAgreedOn: '2026-11-01' }
  await plant('supervisor.north', 'post /cases/{id}/outcome', c, outcome)
  await plant(oic, 'post /cases/{id}/outcome/reopen', c)
  await call(oic, 'POST', `/cases/${id}/outcome`, { ...outcome, rationale: 'Proposed again' })
  await plant('supervisor.north', 'post /cases/{id}/outcome/decline', c)
  await plant(oic, 'post /cases/search', {})

  // A restriction naming everyone whose pages are read, then lifted, so the case is open again: both
  // reasons show in the restriction page's history, to the supervisor.
  const everyone = ['oic.north', 'supervisor.north', 'prosecutor', 'dcp', 'isva', 'admin.north'].map((u) => users[u])
  await plant('supervisor.north', 'put /cases/{id}/restriction', c, { namedUserIds: everyone })
  await plant('supervisor.north', 'post /cases/{id}/restriction/lift', c)

  // Names typed by an administrator reach case pages too: the case's team and its supervisor.
  const admin = await signedIn(t, 'admin.north')
  await admin.get('/admin/users')
  await plantForm(admin, `/admin/teams/${teams['north-rasso']}`, 'form: team name', { leadId: '' }, 'name')
  const [sup] = await t.db.query<{ email: string; phone: string; roles: string[]; team_id: string | null }>(
    'SELECT email, phone, roles, team_id FROM users WHERE id = $1',
    [users['supervisor.north']],
  )
  await plantForm(
    admin,
    `/admin/users/${users['supervisor.north']}`,
    'form: display name',
    { email: sup.email, phone: sup.phone, roles: sup.roles, teamId: sup.team_id ?? '' },
    'displayName',
  )

  // A planned update made after it was due, so the reason it was missed is shown.
  t.clock.set('2026-11-06T10:00:00Z')
  await plant(oic, 'post /cases/{id}/communication/contacts', c, {
    contactedAt: '2026-11-06T09:00:00Z',
    channel: 'phone',
    madeBy: 'police',
    plannedUpdate: true,
    victimToldWhy: true,
  })

  // Last, since a second victim makes the case's own victim addresses ask which: a further
  // victim with markup in every field, and a crime of theirs, so the case file lists both.
  const second = await plant(oic, 'post /cases/{id}/victims', c, {
    dateOfBirth: '1991-06-02',
    phone: '07700 900983',
    email: 'second@example.com',
    interpreterNeeded: false,
    vulnerable: true,
  })
  const victimId = String((second.victim as Json).id)
  await plant(oic, 'post /cases/{id}/crimes', c, { crimeReference: 'NC/9/26', offences: ['19C'], victimId })
  ids.victims = ((await call(oic, 'GET', `/cases/${id}/victims`)).victims as { id: string }[]).map((v) => v.id)
  ids.crimes = ((await call(oic, 'GET', `/cases/${id}/crimes`)).crimes as { id: string }[]).map((k) => k.id)
  const correction = { crimeReference: 'NC/1/26', offences: ['19C'], victimId: ids.victims[0] }
  await plant(oic, 'put /cases/{id}/crimes/{crimeId}', { id, crimeId: ids.crimes[0] }, correction)
}, 60_000)
afterAll(() => t.close())

test('every free-text field in the API document is planted with markup, or has a shape that refuses it', () => {
  const covered = [...planted, ...shaped].filter((f) => !f.startsWith('form: ')).sort()
  expect(covered).toEqual([...derived].sort())
})

test('fields with a shape refuse markup, so they need no planting', async () => {
  const bad = payload('X0Y')
  const refused = async (user: string, method: 'POST' | 'PUT', url: string, body: Json, field: string) => {
    const res = await api(t, tokens[user], { method, url: `/api/v1${url}`, payload: body })
    expect(res.statusCode, field).toBe(400)
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field)
  }
  await refused('oic.north', 'POST', '/cases', t.caseInput('oic.north', { urn: bad }), 'urn')
  await refused('oic.north', 'POST', '/cases', t.caseInput('oic.north', { crimeReference: bad }), 'crimeReference')
  const crime = { crimeReference: bad, offences: ['19C'], victimId: ids.victims[0] }
  await refused('oic.north', 'POST', `/cases/${ids.case}/crimes`, crime, 'crimeReference')
  await refused('oic.north', 'PUT', `/cases/${ids.case}/crimes/${ids.crimes[0]}`, crime, 'crimeReference')
  await refused('oic.north', 'POST', '/cases/search', { urn: bad }, 'urn')
  const victim = { firstName: 'A', lastName: 'B', dateOfBirth: '1990-05-01', preferredLanguage: 'English' }
  const more = { interpreterNeeded: false, vulnerable: false }
  await refused('oic.north', 'PUT', `/cases/${ids.case}/victim`, { ...victim, ...more, phone: bad }, 'phone')
  await refused('oic.north', 'PUT', `/cases/${ids.case}/victim`, { ...victim, ...more, email: bad }, 'email')
  expect(Object.keys(SHAPED).sort()).toEqual([...shaped].sort())
})

test('every form post is covered: by its API twin, by a form planted here, or it keeps no free text', () => {
  const posts = [
    ...new Set(t.routes.filter((r) => r.method === 'POST' && !r.url.startsWith('/api/')).map((r) => caseAddress(r.url))),
  ]
  expect(posts.sort()).toEqual(Object.keys(FORMS).sort())
  for (const [form, how] of Object.entries(FORMS)) {
    if ('api' in how) {
      const [method, path] = how.api.split(' ')
      expect(doc.paths[path]?.[method], `${form} → ${how.api}`).toBeDefined()
    }
    if ('form' in how) for (const field of how.form) expect([...planted], form).toContain(field)
  }
})

/** Each page address with its parameters filled by every id of the kind (an action's by its plan's). */
function pages(): string[] {
  const values = (url: string, name: string, chosen: Record<string, string>): string[] => {
    if (name === 'id' && url.startsWith('/admin/users')) return [t.demo.users['supervisor.north']]
    if (name === 'id' && url.startsWith('/admin/teams')) return [t.demo.teams['north-rasso']]
    if (name === 'id') return [ids.case]
    if (name === 'suspectId') return ids.suspects
    if (name === 'requestId') return ids.requests
    if (name === 'subjectId') return url.includes('/charging/') ? ids.referrals : ids.requests
    if (name === 'planId') return ids.plans
    if (name === 'withdrawalId') return ids.withdrawals
    if (name === 'victimId') return ids.victims
    if (name === 'crimeId') return ids.crimes
    if (name === 'actionId') return ids.actions[chosen.planId] ?? []
    throw new Error(`no ids to fill :${name} in ${url}: add them to this test`)
  }
  // /signed-out ends the session and shows no case data.
  const skip = (url: string) =>
    url.startsWith('/api/') || url.startsWith('/assets/') || url.includes('*') || url === '/signed-out'
  const templates = [...new Set(t.routes.filter((r) => r.method === 'GET' && !skip(r.url)).map((r) => r.url))]
  return templates.flatMap((template) => {
    let filled: { url: string; chosen: Record<string, string> }[] = [{ url: template, chosen: {} }]
    for (const [, name] of template.matchAll(/:(\w+)/g)) {
      filled = filled.flatMap(({ url, chosen }) =>
        values(template, name, chosen).map((v) => ({ url: url.replace(`:${name}`, v), chosen: { ...chosen, [name]: v } })),
      )
    }
    return filled.map((f) => f.url)
  })
}

test('no page shows planted markup raw, and every planted field shows escaped on some page', async () => {
  const urls = pages()
  expect(urls).toContain(`/cases/${ids.case}/support`)
  const seen: string[] = []
  const raw: string[] = []
  const isvaPages: string[] = []
  for (const user of READERS) {
    const b = await signedIn(t, user)
    for (const url of urls) {
      const res = await b.get(url)
      if (!String(res.headers['content-type']).startsWith('text/html')) continue
      const hit = res.body.match(RAW)
      if (hit) raw.push(`${user} ${url}: ${res.body.slice(Math.max(0, (hit.index ?? 0) - 80), (hit.index ?? 0) + 80)}`)
      seen.push(res.body.toLowerCase())
      if (user === 'isva' && res.statusCode === 200) isvaPages.push(`${url}\n${res.body}`)
    }
  }
  expect(raw).toEqual([])
  // ISVAs are independent and never part of the evidence: none of the text of a withdrawal, a
  // suspect, a decision's reasons or the casework reaches an ISVA's page, whatever was shared.
  expect(isvaPages.length).toBeGreaterThan(5)
  const evidence = [...planted].filter((f) => EVIDENCE.test(f))
  expect(evidence.length).toBeGreaterThan(10)
  const leaked = evidence.filter((f) => isvaPages.some((page) => page.includes(escapeHtml(`<b>${tags.get(f)}</b>`))))
  expect(leaked).toEqual([])
  const all = seen.join('\n')
  const missing = [...planted]
    .filter((f) => !(f in NOT_SHOWN))
    .filter((f) => !all.includes(escapeHtml(`"><b>${tags.get(f)}</b>`).toLowerCase()))
  expect(missing).toEqual([])
})

test('a form drawn again after a mistake shows what was typed escaped', async () => {
  const b = await signedIn(t, 'oic.north')
  // The case file holds two victims, so the forms are each victim's own.
  const v = `/cases/${ids.case}/victims/${ids.victims[0]}`
  const check = (body: string, tag: string) => {
    expect(body).not.toMatch(RAW)
    expect(body).toContain(escapeHtml(`"><b>${tag}</b>`))
  }
  await b.get(`${v}/details`)
  const victim = await b.post(`${v}/details`, {
    firstName: payload('X901Y'),
    lastName: payload('X902Y'),
    postalAddress: payload('X903Y'),
    needs: payload('X904Y'),
    email: 'not an email',
  })
  expect(victim.statusCode).toBe(400)
  for (const tag of ['X901Y', 'X902Y', 'X903Y', 'X904Y']) check(victim.body, tag)

  await b.get(`${v}/communication/contacts`)
  const contact = await b.post(`${v}/communication/contacts`, { summary: payload('X905Y') })
  expect(contact.statusCode).toBe(400)
  check(contact.body, 'X905Y')

  // A search is kept for a day and its text put back in the search box.
  const search = await b.post('/cases/search', { q: payload('X906Y') })
  if (search.statusCode === 303) check((await b.get(String(search.headers.location))).body, 'X906Y')
  else check(search.body, 'X906Y')

  const signIn = await new Browser(t.app).post('/sign-in', {
    username: payload('X907Y'),
    password: 'wrong',
  })
  expect(signIn.body).not.toMatch(RAW)
})
