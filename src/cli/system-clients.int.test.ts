import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCase } from '../modules/cases/service.ts'
import { api, Browser, count, signedIn, startTestApp, type TestApp } from '../testing/harness.ts'
import { runCli } from './commands.ts'

// System clients (docs/decisions/0011): another organisation's system calling the API under its own name.

let t: TestApp
let northCase: string
let southCase: string
let clientId: string
let token: string
const NAME = 'Northvale records management'

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, t.db, t.clock, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

beforeAll(async () => {
  t = await startTestApp()
  northCase = (await createCase(await t.ctx('oic.north'), t.caseInput('oic.north'))).id
  southCase = (await createCase(await t.ctx('oic.south'), t.caseInput('oic.south'))).id
  const made = await cli('system', 'create', '--org', 'Northvale Police', '--name', NAME, '--roles', 'investigator')
  expect(made.err).toEqual([])
  expect(made.code).toBe(0)
  clientId = made.out[0].match(/\(([0-9a-f-]{36})\)/)?.[1] as string
  const issued = await cli('token', 'create', '--system', NAME)
  expect(issued.code).toBe(0)
  token = issued.out[issued.out.length - 1]
})
afterAll(() => t.close())

describe('creating a system client from the command line', () => {
  test('makes a users row with no password or team, and an audited alteration by the CLI', async () => {
    const [row] = await t.db.query<{
      organisation_id: string
      display_name: string
      roles: string[]
      password_hash: string | null
      team_id: string | null
      system_client: boolean
    }>('SELECT organisation_id, display_name, roles, password_hash, team_id, system_client FROM users WHERE id = $1', [clientId])
    expect(row).toEqual({
      organisation_id: t.demo.orgs.north,
      display_name: NAME,
      roles: ['investigator'],
      password_hash: null,
      team_id: null,
      system_client: true,
    })
    const [audit] = await t.db.query<{ actor_id: string | null; details: Record<string, unknown> }>(
      "SELECT actor_id, details FROM audit_log WHERE action = 'system_client.created'",
    )
    expect(audit.actor_id).toBeNull()
    expect(audit.details).toMatchObject({ kind: 'alteration', via: 'cli', userId: clientId, roles: ['investigator'] })
  })

  test('takes the organisation by id as well as by name', async () => {
    const made = await cli('system', 'create', '--org', t.demo.orgs.cps, '--name', 'CPS case management', '--roles', 'prosecutor')
    expect(made.code).toBe(0)
  })

  test('refuses roles its organisation kind cannot give, administrator, a taken name and an unknown organisation', async () => {
    const users = await count(t.db, 'users')
    const wrongKind = await cli('system', 'create', '--org', 'Northvale Police', '--name', 'X', '--roles', 'prosecutor')
    expect(wrongKind.code).toBe(2)
    expect(wrongKind.err.join()).toContain('--roles: A system client of this organisation can act only as')
    const admin = await cli('system', 'create', '--org', 'Northvale Police', '--name', 'X', '--roles', 'administrator')
    expect(admin.code).toBe(2)
    const unknownRole = await cli('system', 'create', '--org', 'Northvale Police', '--name', 'X', '--roles', 'wizard')
    expect(unknownRole.code).toBe(2)
    const noRoles = await cli('system', 'create', '--org', 'Northvale Police', '--name', 'X')
    expect(noRoles.err.join()).toContain('--roles')
    const taken = await cli(
      'system',
      'create',
      '--org',
      'Southmere Constabulary',
      '--name',
      NAME.toUpperCase(),
      '--roles',
      'investigator',
    )
    expect(taken.code).toBe(2)
    expect(taken.err.join()).toContain('--name: A system client already has this name')
    const noOrg = await cli('system', 'create', '--org', 'Nowhere', '--name', 'X', '--roles', 'investigator')
    expect(noOrg.code).toBe(1)
    expect(await count(t.db, 'users')).toBe(users)
  })
})

describe('tokens: a person’s and a system’s are never confused', () => {
  test('--user refuses a system client, --system refuses a person, and one of the two is required', async () => {
    const tokens = await count(t.db, 'api_tokens')
    const [{ username }] = await t.db.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [clientId])
    const asUser = await cli('token', 'create', '--user', username)
    expect(asUser.code).toBe(1)
    expect(asUser.err.join()).toContain('is a system client: use --system')
    const asSystem = await cli('token', 'create', '--system', 'oic.north')
    expect(asSystem.code).toBe(1)
    expect(asSystem.err.join()).toContain('"oic.north" is a person: use --user')
    expect((await cli('token', 'create', '--system', 'No such system')).err.join()).toContain('No active system client is named')
    expect((await cli('token', 'create')).code).toBe(2)
    expect((await cli('token', 'create', '--user', 'oic.north', '--system', NAME)).code).toBe(2)
    expect(await count(t.db, 'api_tokens')).toBe(tokens)
  })
})

describe('a system client at work', () => {
  test('its token reads a case of its force, audited as the system', async () => {
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${northCase}` })
    expect(res.statusCode).toBe(200)
    const rows = await t.db.query<{ details: Record<string, unknown>; justification: string }>(
      'SELECT details, justification FROM audit_log WHERE actor_id = $1 AND case_id = $2',
      [clientId, northCase],
    )
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.details).toMatchObject({ actor: 'system', channel: 'api' })
    // A person's rows carry nothing extra.
    await api(t, await t.token('oic.north'), { method: 'GET', url: `/api/v1/cases/${northCase}` })
    const [person] = await t.db.query<{ details: Record<string, unknown> }>(
      'SELECT details FROM audit_log WHERE actor_id = $1 AND case_id = $2 LIMIT 1',
      [t.demo.users['oic.north'], northCase],
    )
    expect(person.details).not.toHaveProperty('actor')
  })

  test('another force’s case is a 404, as for anyone, and the refusal is logged as the system', async () => {
    const res = await api(t, token, { method: 'GET', url: `/api/v1/cases/${southCase}` })
    expect(res.statusCode).toBe(404)
    const [refusal] = await t.db.query<{ details: Record<string, unknown> }>(
      "SELECT details FROM audit_log WHERE actor_id = $1 AND case_id = $2 AND action = 'case.refused'",
      [clientId, southCase],
    )
    expect(refusal.details).toMatchObject({ actor: 'system', kind: 'refusal', status: 404 })
  })

  test('"who has seen this record" names it as a system client, on the page and in the API', async () => {
    const b = await signedIn(t, 'supervisor.north')
    const page = await b.get(`/cases/${northCase}/access-log`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`${NAME} (system client)`)
    const res = await api(t, await t.token('supervisor.north'), { method: 'GET', url: `/api/v1/cases/${northCase}/access-log` })
    const entries = res.json().entries as { who: string | null; systemClient: boolean; channel: string }[]
    const mine = entries.filter((e) => e.systemClient)
    expect(mine.length).toBeGreaterThan(0)
    for (const e of mine) expect(e).toMatchObject({ who: `${NAME} (system client)`, channel: 'api' })
    expect(entries.filter((e) => e.who === NAME)).toEqual([])
    expect(entries.find((e) => e.who === 'DC Sam Okafor')?.systemClient).toBe(false)
  })

  test('it is offered nowhere as a person to give work to', async () => {
    const people = await api(t, token, { method: 'GET', url: '/api/v1/lookups/people' })
    expect(people.statusCode).toBe(200)
    expect(people.body).not.toContain(clientId)
  })
})

test('it cannot sign in: refused with the same message as a wrong password, without locking', async () => {
  const [{ username }] = await t.db.query<{ username: string }>('SELECT username FROM users WHERE id = $1', [clientId])
  const b = new Browser(t.app)
  const system = await b.post('/sign-in', { username, password: 'any-password-at-all' })
  const wrong = await b.post('/sign-in', { username: 'prosecutor', password: 'not-the-password' })
  expect(system.statusCode).toBe(401)
  const message = (html: string) => html.match(/<ul class="govuk-list govuk-error-summary__list">[\s\S]*?<\/ul>/)?.[0]
  expect(message(system.body)).toBeDefined()
  expect(message(system.body)).toBe(message(wrong.body))
  const [audit] = await t.db.query<{ details: { reason: string } }>(
    "SELECT details FROM audit_log WHERE action = 'sign_in.failed' AND actor_id = $1",
    [clientId],
  )
  expect(audit.details.reason).toBe('system client')
  const [row] = await t.db.query<{ failed_sign_ins: number }>('SELECT failed_sign_ins FROM users WHERE id = $1', [clientId])
  expect(row.failed_sign_ins).toBe(0)
})

describe('administrators', () => {
  test('see their organisation’s system clients apart from its people, and not another’s', async () => {
    const north = await (await signedIn(t, 'admin.north')).get('/admin/users')
    const [people, systems] = north.body.split('System clients')
    expect(systems).toContain(NAME)
    expect(people).not.toContain(NAME)
    expect(systems).not.toContain('CPS case management')
    // A system client is not a person to edit.
    expect((await (await signedIn(t, 'admin.north')).get(`/admin/users/${clientId}`)).statusCode).toBe(404)
  })

  test('another organisation’s administrator cannot disable it; its own can, and its token then gets a 401', async () => {
    const made = await cli(
      'admin',
      'create',
      '--org',
      'Southmere Constabulary',
      '--username',
      'admin.south',
      '--name',
      'Sam Example',
      '--email',
      'sam@southmere.example',
      '--phone',
      '01632 960300',
    )
    const password = made.out.join('\n').match(/One-time password[^:]*: (\S+)/)?.[1] as string
    const south = new Browser(t.app)
    expect((await south.post('/sign-in', { username: 'admin.south', password })).statusCode).toBe(303)
    expect((await south.post(`/admin/system-clients/${clientId}/disable`, {})).statusCode).toBe(404)
    expect((await south.get('/admin/users')).body).not.toContain(NAME)
    const investigator = await signedIn(t, 'oic.north')
    expect((await investigator.post(`/admin/system-clients/${clientId}/disable`, {})).statusCode).toBe(403)
    expect((await api(t, token, { method: 'GET', url: `/api/v1/cases/${northCase}` })).statusCode).toBe(200)

    const admin = await signedIn(t, 'admin.north')
    const res = await admin.post(`/admin/system-clients/${clientId}/disable`, {})
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/admin/users?done=system_disabled')
    expect((await api(t, token, { method: 'GET', url: `/api/v1/cases/${northCase}` })).statusCode).toBe(401)
    const [audit] = await t.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      "SELECT actor_id, details FROM audit_log WHERE action = 'system_client.disabled'",
    )
    expect(audit).toMatchObject({ actor_id: t.demo.users['admin.north'], details: { userId: clientId } })
    expect((await admin.get('/admin/users')).body).toContain('Disabled')
    // A disabled system client is given no new token either.
    expect((await cli('token', 'create', '--system', NAME)).code).toBe(1)
    // Its rows seal into the chain and verify like anyone's.
    expect((await cli('audit', 'seal')).code).toBe(0)
    expect(await cli('audit', 'verify')).toMatchObject({ code: 0, err: [] })
  })
})
