import { afterAll, beforeAll, expect, test } from 'vitest'
import { Browser, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

test('rapid repeated sign-in attempts from one address are slowed down with a clear page', async () => {
  const b = new Browser(t.app)
  const statuses: number[] = []
  for (let i = 0; i < 21; i++) statuses.push((await b.post('/sign-in', { username: `guess${i}`, password: 'guess' })).statusCode)
  expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
  const limited = await b.post('/sign-in', { username: 'oic.north', password: 'x' })
  expect(limited.statusCode).toBe(429)
  expect(limited.body).toContain('Too many attempts')
  // Other pages are not limited.
  expect((await b.get('/sign-in')).statusCode).toBe(200)
})
