import path from 'node:path'
import { expect, test } from 'vitest'
import { loadConfig } from './config.ts'

test('defaults serve the embedded demo on loopback port 3000', () => {
  const c = loadConfig({})
  expect(c).toMatchObject({ host: '127.0.0.1', port: 3000, databaseUrl: undefined, demoPassword: 'casebridge-demo' })
  expect(c.sessionIdleMinutes).toBe(30)
  expect(c.cookieSecure).toBe(false)
  // The embedded demo keeps its checkpoints, and the key it makes for them, in its data folder.
  expect(c.auditAnchorDir).toBe(path.resolve('data/audit-anchors'))
  expect(c.auditAnchorKey).toBeUndefined()
  expect(c.auditAnchorMinutes).toBe(0)
})

test('a server deployment must set a cookie secret and an audit anchor key shared by every instance, and gets secure cookies', () => {
  expect(() => loadConfig({ DATABASE_URL: 'postgres://db/casebridge' })).toThrow(/COOKIE_SECRET[\s\S]*AUDIT_ANCHOR_KEY/)
  expect(() => loadConfig({ DATABASE_URL: 'postgres://db/casebridge', COOKIE_SECRET: 's'.repeat(32) })).toThrow(
    /AUDIT_ANCHOR_KEY: required/,
  )
  const c = loadConfig({
    DATABASE_URL: 'postgres://db/casebridge',
    COOKIE_SECRET: 's'.repeat(32),
    AUDIT_ANCHOR_KEY: 'k'.repeat(32),
  })
  expect(c.auditAnchorKey).toBe('k'.repeat(32))
  expect(c.cookieSecure).toBe(true)
  expect(c.cookieSecret).toBe('s'.repeat(32))
})

test('bad settings are named', () => {
  expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
  expect(() => loadConfig({ DEMO_PASSWORD: 'short' })).toThrow(/DEMO_PASSWORD/)
  expect(() => loadConfig({ AUDIT_ANCHOR_KEY: 'short' })).toThrow(/AUDIT_ANCHOR_KEY/)
  expect(() => loadConfig({ AUDIT_ANCHOR_MINUTES: '-1' })).toThrow(/AUDIT_ANCHOR_MINUTES/)
})
