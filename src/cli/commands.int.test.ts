import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, Browser, startTestApp, type TestApp } from '../testing/harness.ts'
import { runCli } from './commands.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

async function cli(...argv: string[]) {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, t.db, t.clock, { out: (l) => out.push(l), err: (l) => err.push(l) })
  return { code, out, err }
}

test('the first administrator of a new organisation is made from the command line and can sign in', async () => {
  expect((await cli('org', 'create', '--kind', 'police_force', '--name', 'Westholm Police', '--force-code', '93')).code).toBe(0)
  const made = await cli(
    'admin',
    'create',
    '--org',
    'Westholm Police',
    '--username',
    'first.admin',
    '--name',
    'Pat Example',
    '--email',
    'pat@westholm.example',
    '--phone',
    '01632 960200',
  )
  expect(made.code).toBe(0)
  const password = made.out.join('\n').match(/One-time password[^:]*: (\S+)/)?.[1] as string
  expect(password.length).toBeGreaterThanOrEqual(20)
  const b = new Browser(t.app)
  expect((await b.post('/sign-in', { username: 'first.admin', password })).statusCode).toBe(303)
  expect((await b.get('/admin/users')).body).toContain('Pat Example')
  const [audit] = await t.db.query("SELECT 1 FROM audit_log WHERE action = 'administrator.created'")
  expect(audit).toBeDefined()
})

test('admin create names what is wrong and writes nothing', async () => {
  const noOrg = await cli(
    'admin',
    'create',
    '--org',
    'Nowhere',
    '--username',
    'x.y',
    '--name',
    'X',
    '--email',
    'x@y.example',
    '--phone',
    '01632 960201',
  )
  expect(noOrg.code).toBe(1)
  expect(noOrg.err.join()).toContain('No organisation is named "Nowhere"')
  const bad = await cli(
    'admin',
    'create',
    '--org',
    'Northvale Police',
    '--username',
    'oic.north',
    '--name',
    'X',
    '--email',
    'nope',
    '--phone',
    '01632 960201',
  )
  expect(bad.code).toBe(2)
  expect(bad.err.join('\n')).toContain('--email')
})

test('an API token is printed once, stored only as a hash, and works as a bearer token', async () => {
  const made = await cli('token', 'create', '--user', 'prosecutor', '--label', 'case management system')
  expect(made.code).toBe(0)
  const token = made.out[made.out.length - 1]
  const stored = await t.db.query<{ token_hash: string; label: string }>('SELECT token_hash, label FROM api_tokens')
  expect(stored.some((r) => r.token_hash === token)).toBe(false)
  expect(stored.map((r) => r.label)).toContain('case management system')
  expect((await api(t, token, { method: 'GET', url: '/api/v1/cases' })).statusCode).toBe(200)
  expect((await cli('token', 'create', '--user', 'nobody')).code).toBe(1)
})

test('an unknown command prints the usage and exits 2', async () => {
  const res = await cli('frobnicate')
  expect(res.code).toBe(2)
  expect(res.err.join()).toContain('Usage: npm run cli')
})

test('a police force is told which CPS Area serves it; only a force and an Area can be paired', async () => {
  await cli('org', 'create', '--kind', 'police_force', '--name', 'Eastmarsh Police', '--force-code', '94')
  expect((await cli('org', 'serve', '--org', 'Eastmarsh Police', '--cps-area', 'Vale Sexual Violence Support')).code).toBe(1)
  expect((await cli('org', 'serve', '--org', 'CPS Vale and Mere', '--cps-area', 'CPS Vale and Mere')).err).toEqual([
    'No police force is named "CPS Vale and Mere"',
  ])
  const done = await cli('org', 'serve', '--org', 'Eastmarsh Police', '--cps-area', 'CPS Vale and Mere')
  expect(done.code).toBe(0)
  const [row] = await t.db.query<{ cps_area_id: string }>("SELECT cps_area_id FROM organisations WHERE name = 'Eastmarsh Police'")
  expect(row.cps_area_id).toBe(t.demo.orgs.cps)
})
