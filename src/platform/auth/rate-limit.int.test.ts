import { afterAll, beforeAll, expect, test } from 'vitest'
import { Browser, PASSWORD, startTestApp, type TestApp } from '../../testing/harness.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

test('rapid sign-in attempts at one username are slowed down, without blocking colleagues on the same network', async () => {
  const b = new Browser(t.app)
  const statuses: number[] = []
  for (let i = 0; i < 10; i++)
    statuses.push((await b.post('/sign-in', { username: 'nobody', password: `guess-${i}` })).statusCode)
  expect(statuses).toEqual(Array(10).fill(401))
  const limited = await b.post('/sign-in', { username: 'nobody', password: 'guess' })
  expect(limited.statusCode).toBe(429)
  expect(limited.body).toContain('Too many attempts')
  const colleague = await new Browser(t.app).post('/sign-in', { username: 'oic.north', password: PASSWORD })
  expect(colleague.statusCode).toBe(303)
})
