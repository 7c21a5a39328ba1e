import { expect, test } from 'vitest'
import { loadConfig } from './config.ts'

test('defaults serve the embedded demo on loopback port 3000', () => {
  const c = loadConfig({})
  expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, demoPassword: 'casebridge-demo' })
  expect(c.sessionIdleMinutes).toBe(30)
  expect(c.cookieSecure).toBe(false)
})

test('a server deployment must set a cookie secret shared by every instance, and gets secure cookies', () => {
  expect(() => loadConfig({ DATABASE_URL: 'postgres://db/casebridge' })).toThrow(/COOKIE_SECRET/)
  const c = loadConfig({ DATABASE_URL: 'postgres://db/casebridge', COOKIE_SECRET: 's'.repeat(32) })
  expect(c.cookieSecure).toBe(true)
  expect(c.cookieSecret).toBe('s'.repeat(32))
})

test('bad settings are named', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
  expect(() => loadConfig({ DEMO_PASSWORD: 'short' })).toThrow(/DEMO_PASSWORD/)
})
