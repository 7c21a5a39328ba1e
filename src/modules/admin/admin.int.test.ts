import { afterAll, beforeAll, expect, test } from 'vitest'
import { Browser, count, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
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
