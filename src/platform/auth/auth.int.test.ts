import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { Browser, count, PASSWORD, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { MINUTE } from '../clock.ts'
import { SESSION_COOKIE } from './identify.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

async function auditActions(userId: string | null) {
  const rows = await t.db.query<{ action: string }>(
    'SELECT action FROM audit_log WHERE actor_id IS NOT DISTINCT FROM $1 ORDER BY id',
    [userId],
  )
  return rows.map((r) => r.action)
}

describe('signing in', () => {
  test('a correct username and password starts a session and lands on the case list', async () => {
    const b = new Browser(t.app)
    const res = await b.post('/sign-in', { username: 'OIC.North', password: PASSWORD })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/cases')
    const list = await b.get('/cases')
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain('DC Sam Okafor')
    expect(await auditActions(t.demo.users['oic.north'])).toContain('sign_in')
  })

  test('each sign-in issues a new session id and ends the one the browser held', async () => {
    const b = await signedIn(t, 'supervisor.north')
    const first = b.cookie(SESSION_COOKIE)
    await b.post('/sign-in', { username: 'supervisor.north', password: PASSWORD })
    const second = b.cookie(SESSION_COOKIE)
    expect(second).toBeDefined()
    expect(second).not.toBe(first)
    const stale = new Browser(t.app)
    const res = await stale.request({ method: 'GET', url: '/cases', cookies: { [SESSION_COOKIE]: first as string } })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/sign-in')
  })

  test('a wrong password shows the same message as an unknown username, and both are audited', async () => {
    const b = new Browser(t.app)
    const wrong = await b.post('/sign-in', { username: 'prosecutor', password: 'not-the-password' })
    const unknown = await b.post('/sign-in', { username: 'nobody.here', password: 'not-the-password' })
    expect(wrong.statusCode).toBe(401)
    expect(unknown.statusCode).toBe(401)
    const message = (html: string) => html.match(/<ul class="govuk-list govuk-error-summary__list">[\s\S]*?<\/ul>/)?.[0]
    expect(message(wrong.body)).toBeDefined()
    expect(message(wrong.body)).toBe(message(unknown.body))
    expect(wrong.body).toContain('value="prosecutor"') // what the user typed is kept
    expect(await auditActions(t.demo.users.prosecutor)).toContain('sign_in.failed')
    const anonymous = await t.db.query<{ details: { reason: string } }>(
      "SELECT details FROM audit_log WHERE action = 'sign_in.failed' AND actor_id IS NULL",
    )
    expect(anonymous.map((r) => r.details.reason)).toContain('unknown username')
    // The unknown username itself is never stored: it may be someone's password typed in the wrong box.
    const all = await t.db.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a')
    expect(all.some((r) => r.row.includes('nobody.here'))).toBe(false)
  })

  test('an empty form shows both field errors', async () => {
    const res = await new Browser(t.app).post('/sign-in', { username: '', password: '' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Enter your username')
    expect(res.body).toContain('Enter your password')
    expect(res.body).toContain('<title>Error: Sign in')
  })

  test('five wrong passwords lock the account for 15 minutes, even against the right password', async () => {
    const b = new Browser(t.app)
    for (let i = 0; i < 5; i++) await b.post('/sign-in', { username: 'dcp', password: `wrong-${i}` })
    expect(await auditActions(t.demo.users.dcp)).toContain('account.locked')
    expect((await b.post('/sign-in', { username: 'dcp', password: PASSWORD })).statusCode).toBe(401)
    t.clock.advance(16 * MINUTE)
    expect((await b.post('/sign-in', { username: 'dcp', password: PASSWORD })).statusCode).toBe(303)
  })
})

describe('sessions', () => {
  test('a session ends after 30 idle minutes, and activity keeps it alive', async () => {
    const b = await signedIn(t, 'oic.south')
    t.clock.advance(20 * MINUTE)
    expect((await b.get('/session/keep-alive')).statusCode).toBe(204)
    t.clock.advance(20 * MINUTE)
    expect((await b.get('/cases')).statusCode).toBe(200)
    t.clock.advance(31 * MINUTE)
    const res = await b.get('/cases')
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/sign-in?expired=1')
    expect(await auditActions(t.demo.users['oic.south'])).toContain('session.expired')
    expect((await b.get('/sign-in?expired=1')).body).toContain('You were signed out because you had not done anything')
  })

  test('signed-in pages carry the timeout warning with the configured times', async () => {
    const b = await signedIn(t, 'oic.north')
    const page = await b.get('/cases')
    expect(page.body).toContain('data-idle-minutes="30"')
    expect(page.body).toContain('data-warning-minutes="5"')
    expect(page.body).toContain('You’re about to be signed out')
  })

  test('signing out ends the session: the old cookie no longer works', async () => {
    const b = await signedIn(t, 'isva')
    const token = b.cookie(SESSION_COOKIE) as string
    const res = await b.post('/sign-out', {})
    expect(res.headers.location).toBe('/signed-out')
    const again = new Browser(t.app)
    const after = await again.request({ method: 'GET', url: '/cases', cookies: { [SESSION_COOKIE]: token } })
    expect(after.statusCode).toBe(302)
    expect(await auditActions(t.demo.users.isva)).toContain('sign_out')
  })

  test('pages need a signed-in user', async () => {
    for (const url of ['/cases', '/cases/new', '/admin/users']) {
      const res = await t.app.inject({ method: 'GET', url })
      expect(res.statusCode, url).toBe(302)
      expect(res.headers.location).toBe('/sign-in')
    }
  })
})

describe('forms and headers', () => {
  test('a form posted without its CSRF token is refused and writes nothing', async () => {
    const b = await signedIn(t, 'oic.north')
    const before = await count(t.db, 'cases')
    const res = await b.post(
      '/cases',
      {
        urn: '91CS1234526',
        offences: '19C',
        'dateReported-day': '1',
        'dateReported-month': '10',
        'dateReported-year': '2026',
      },
      { csrf: false },
    )
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('This form has expired')
    expect(await count(t.db, 'cases')).toBe(before)
  })

  test('pages carry security headers, a CSP nonce on the inline script, and no-store', async () => {
    const b = await signedIn(t, 'oic.north')
    const res = await b.get('/cases')
    expect(res.headers['cache-control']).toBe('no-store')
    const csp = String(res.headers['content-security-policy'])
    const nonce = csp.match(/script-src[^;]*'nonce-([^']+)'/)?.[1]
    expect(nonce).toBeDefined()
    expect(res.body).toContain(`<script nonce="${nonce}">`)
    expect(csp).toContain("frame-ancestors 'none'")
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const session = res.cookies.find((c) => c.name === SESSION_COOKIE)
    expect(session).toBeUndefined() // the session cookie is set once, at sign-in
  })

  test('the session cookie is HttpOnly and SameSite', async () => {
    const res = await new Browser(t.app).post('/sign-in', { username: 'analyst', password: PASSWORD })
    const c = res.cookies.find((x) => x.name === SESSION_COOKIE)
    expect(c?.httpOnly).toBe(true)
    expect(c?.sameSite).toBe('Lax')
  })
})
