import { afterAll, beforeAll, expect, test } from 'vitest'
import { api, signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

test('an unknown page is a proper 404 page', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/no-such-page' })
  expect(res.statusCode).toBe(404)
  expect(res.body).toContain('Page not found')
  expect(res.headers['content-type']).toContain('text/html')
})

test('an unknown API route is a 404 problem', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/nothing' })
  expect(res.statusCode).toBe(404)
  expect(res.json()).toMatchObject({ status: 404, title: 'Not found' })
})

test('an unexpected error shows a 500 page with a reference, and no stack trace or detail', async () => {
  const fresh = await startTestApp()
  try {
    // Break the schema under the running app, so the case list fails the way a bad query would.
    const b = await signedIn(fresh, 'oic.north')
    const token = await fresh.token('oic.north')
    await fresh.db.query('ALTER TABLE cases RENAME TO cases_gone')
    const res = await b.get('/cases')
    expect(res.statusCode).toBe(500)
    expect(res.body).toContain('Sorry, there is a problem with the service')
    const reference = res.body.match(/class="cb-reference">([0-9a-f-]{36})</)?.[1]
    expect(reference).toBeDefined()
    expect(res.body).not.toMatch(/cases_gone|at .*\.ts:\d+|relation/)
    const apiRes = await api(fresh, token, { method: 'GET', url: '/api/v1/cases' })
    expect(apiRes.statusCode).toBe(500)
    expect(apiRes.json()).toMatchObject({ status: 500, reference: expect.any(String) })
    expect(apiRes.body).not.toContain('cases_gone')
  } finally {
    await fresh.close()
  }
})

test('static assets are served from the GOV.UK and MOJ packages under /assets', async () => {
  for (const url of [
    '/assets/govuk/govuk-frontend.min.css',
    '/assets/moj/moj-frontend.min.css',
    '/assets/casebridge.js',
    '/assets/images/favicon.svg',
  ]) {
    const res = await t.app.inject({ method: 'GET', url })
    expect(res.statusCode, url).toBe(200)
  }
})
