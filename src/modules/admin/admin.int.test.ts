import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, Browser, count, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { insertTeam } from './queries.ts'

let t: TestApp
let admin: Browser
beforeAll(async () => {
  t = await startTestApp()
  admin = await signedIn(t, 'admin.north')
})
afterAll(() => t.close())

const newUser = (over: Record<string, string | string[]> = {}) => ({
  displayName: 'DC Lee Harmon',
  username: 'lee.harmon',
  email: 'lee.harmon@casebridge-demo.example',
  phone: '01632 960050',
  roles: ['investigator'],
  teamId: '',
  password: 'a-long-first-password',
  ...over,
})

test('an administrator sees the users of their own organisation only', async () => {
  const res = await admin.get('/admin/users')
  expect(res.statusCode).toBe(200)
  expect(res.body).toContain('DC Sam Okafor')
  expect(res.body).toContain('01632 960001')
  expect(res.body).not.toContain('DC Jo Whitfield') // Southmere
  expect(res.body).not.toContain('Alex Moreno') // CPS
})

test('an administrator adds a user to their organisation, who can then sign in', async () => {
  const res = await admin.post('/admin/users', newUser())
  expect(res.statusCode).toBe(303)
  const [row] = await t.db.query<{ organisation_id: string; roles: string[]; password_hash: string }>(
    "SELECT organisation_id, roles, password_hash FROM users WHERE username = 'lee.harmon'",
  )
  expect(row.organisation_id).toBe(t.demo.orgs.north)
  expect(row.roles).toEqual(['investigator'])
  expect(row.password_hash).toMatch(/^\$argon2id\$/)
  expect((await admin.get(res.headers.location as string)).body).toContain('User added')
  const lee = new Browser(t.app)
  expect((await lee.post('/sign-in', { username: 'lee.harmon', password: 'a-long-first-password' })).statusCode).toBe(303)
})

test('roles another kind of organisation holds, and teams of another organisation, are refused', async () => {
  const southTeam = await insertTeam(t.db, t.demo.orgs.south, 'Southmere only team')
  const before = await count(t.db, 'users')
  const res = await admin.post('/admin/users', newUser({ username: 'x.one', roles: ['prosecutor'], teamId: southTeam }))
  expect(res.statusCode).toBe(400)
  expect(res.body).toContain('Select only roles that people in your organisation can hold')
  expect(res.body).toContain('Select a team from your organisation')
  expect(await count(t.db, 'users')).toBe(before)
})

test('bad details are each named, the password is not echoed back, and nothing is written', async () => {
  const before = await count(t.db, 'users')
  const res = await admin.post(
    '/admin/users',
    newUser({ username: 'lee.harmon', email: 'not-an-email', phone: '12', password: 'short', roles: [] }),
  )
  expect(res.statusCode).toBe(400)
  for (const message of [
    'Enter an email address in the correct format',
    'Enter a direct phone number',
    'Password must be 12 characters or more',
    'Select at least one role',
  ]) {
    expect(res.body).toContain(message)
  }
  expect(res.body).not.toContain('value="short"')
  expect(await count(t.db, 'users')).toBe(before)
})

test('the username must be free', async () => {
  const res = await admin.post('/admin/users', newUser({ username: 'oic.south' }))
  expect(res.body).toContain('This username is already in use')
})

test('people who are not administrators cannot manage users', async () => {
  const oic = await signedIn(t, 'oic.north')
  expect((await oic.get('/admin/users')).statusCode).toBe(403)
  expect((await oic.get('/admin/users/new')).statusCode).toBe(403)
  const before = await count(t.db, 'users')
  expect((await oic.post('/admin/users', newUser({ username: 'sneaky' }))).statusCode).toBe(403)
  expect(await count(t.db, 'users')).toBe(before)
})

test('the users list is audited as a consultation', async () => {
  await admin.get('/admin/users')
  const rows = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'users.listed' AND actor_id = $1", [
    t.demo.users['admin.north'],
  ])
  expect(rows.length).toBeGreaterThan(0)
})

test('an administrator changes a user’s contact details, roles and team', async () => {
  const id = t.demo.users['supervisor.north']
  const page = await admin.get(`/admin/users/${id}`)
  expect(page.statusCode).toBe(200)
  expect(page.body).toContain('Manage DS Priya Lang')
  const [team] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.north])
  const res = await admin.post(`/admin/users/${id}`, {
    displayName: 'DI Priya Lang',
    email: 'priya.lang@casebridge-demo.example',
    phone: '01632 960077',
    roles: ['police_supervisor', 'investigator'],
    teamId: team.id,
  })
  expect(res.statusCode).toBe(303)
  expect((await admin.get(res.headers.location as string)).body).toContain('Changes saved')
  const [row] = await t.db.query<{ display_name: string; phone: string; roles: string[] }>(
    'SELECT display_name, phone, roles FROM users WHERE id = $1',
    [id],
  )
  expect(row).toEqual({ display_name: 'DI Priya Lang', phone: '01632 960077', roles: ['police_supervisor', 'investigator'] })
})

test('another organisation’s users do not exist for an administrator', async () => {
  const south = t.demo.users['oic.south']
  expect((await admin.get(`/admin/users/${south}`)).statusCode).toBe(404)
  expect((await admin.post(`/admin/users/${south}/disable`, {})).statusCode).toBe(404)
  expect((await admin.post(`/admin/users/${south}`, { ...newUser(), roles: ['investigator'] })).statusCode).toBe(404)
  expect((await admin.get('/admin/users/not-an-id')).statusCode).toBe(404)
  const [row] = await t.db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM users WHERE id = $1', [south])
  expect(row.disabled_at).toBeNull()
})

test('a locked account is unlocked by an administrator', async () => {
  const b = new Browser(t.app)
  for (let i = 0; i < t.config.lockoutThreshold; i++) await b.post('/sign-in', { username: 'analyst', password: `wrong-${i}` })
  const page = await admin.get(`/admin/users/${t.demo.users.analyst}`)
  expect(page.body).toContain('Unlock account')
  await admin.post(`/admin/users/${t.demo.users.analyst}/unlock`, {})
  expect((await b.post('/sign-in', { username: 'analyst', password: PASSWORD })).statusCode).toBe(303)
})

test('disabling an account signs the person out at once and stops their API tokens', async () => {
  const person = await signedIn(t, 'oic.north')
  const token = await t.token('oic.north')
  const res = await admin.post(`/admin/users/${t.demo.users['oic.north']}/disable`, {})
  expect(res.headers.location).toBe('/admin/users?done=disable')
  expect((await person.get('/cases')).statusCode).toBe(302)
  expect((await api(t, token, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(401)
  expect((await new Browser(t.app).post('/sign-in', { username: 'oic.north', password: PASSWORD })).statusCode).toBe(401)
  await admin.post(`/admin/users/${t.demo.users['oic.north']}/enable`, {})
  expect((await new Browser(t.app).post('/sign-in', { username: 'oic.north', password: PASSWORD })).statusCode).toBe(303)
})

test('administrators cannot disable themselves or drop their own administrator role', async () => {
  const self = t.demo.users['admin.north']
  expect((await admin.post(`/admin/users/${self}/disable`, {})).statusCode).toBe(409)
  const res = await admin.post(`/admin/users/${self}`, {
    displayName: 'Jordan Reeve',
    email: 'admin.north@casebridge-demo.example',
    phone: '01632 960008',
    roles: ['analyst'],
    teamId: '',
  })
  expect(res.statusCode).toBe(400)
  expect(res.body).toContain('You cannot remove your own administrator role')
})

test('an administrator adds a team with a lead who holds the lead role, and changes it; rules are named', async () => {
  const before = await count(t.db, 'teams')
  const bad = await admin.post('/admin/teams', { name: 'RASSO investigation team', leadId: t.demo.users['oic.north'] })
  expect(bad.statusCode).toBe(400)
  expect(bad.body).toContain('A team with this name already exists')
  expect(bad.body).toContain('Select a lead who is a police supervisor in your organisation')
  // Another force's supervisor cannot lead one of ours either.
  const foreign = await admin.post('/admin/teams', { name: 'Online harms', leadId: t.demo.users['supervisor.south'] })
  expect(foreign.statusCode).toBe(400)
  expect(await count(t.db, 'teams')).toBe(before)

  const res = await admin.post('/admin/teams', { name: 'Online harms', leadId: t.demo.users['inspector.north'] })
  expect(res.statusCode).toBe(303)
  const list = await admin.get(res.headers.location as string)
  expect(list.body).toContain('Team added')
  expect(list.body).toContain('DI Amara Kent')
  const [team] = await t.db.query<{ id: string; lead_id: string }>("SELECT id, lead_id FROM teams WHERE name = 'Online harms'")
  expect(team.lead_id).toBe(t.demo.users['inspector.north'])

  expect((await admin.post(`/admin/teams/${team.id}`, { name: 'Online harms unit', leadId: '' })).statusCode).toBe(303)
  const [changed] = await t.db.query<{ name: string; lead_id: string | null }>('SELECT name, lead_id FROM teams WHERE id = $1', [
    team.id,
  ])
  expect(changed).toEqual({ name: 'Online harms unit', lead_id: null })
  const [{ n }] = await t.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM audit_log WHERE action IN ('team.created', 'team.updated')",
  )
  expect(n).toBe(2)
})

test('another organisation’s team is not found, and only administrators manage teams', async () => {
  const [south] = await t.db.query<{ id: string }>('SELECT id FROM teams WHERE organisation_id = $1', [t.demo.orgs.south])
  expect((await admin.get(`/admin/teams/${south.id}`)).statusCode).toBe(404)
  expect((await admin.post(`/admin/teams/${south.id}`, { name: 'Taken over' })).statusCode).toBe(404)
  const oic = await signedIn(t, 'oic.north')
  expect((await oic.get('/admin/teams')).statusCode).toBe(403)
})
