import { mkdtemp, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { anchorKey } from './anchor.ts'

const folders: string[] = []
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true })
})

test('the embedded database makes its checkpoint key once, keeps it in its data folder, and reuses it', async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'casebridge-key-'))
  folders.push(dataDir)
  const config = { dataDir, databaseUrl: undefined, auditAnchorKey: undefined }
  const key = await anchorKey(config)
  expect(key).toMatch(/^[0-9a-f]{64}$/)
  expect(await anchorKey(config)).toBe(key)
  expect((await stat(path.join(dataDir, 'audit-anchor.key'))).mode & 0o777).toBe(0o600)
})

test('a configured key is used as it is; a server deployment without one is refused', async () => {
  const dataDir = path.join(os.tmpdir(), 'casebridge-never-made')
  expect(await anchorKey({ dataDir, databaseUrl: 'postgres://db/x', auditAnchorKey: 'k'.repeat(32) })).toBe('k'.repeat(32))
  await expect(anchorKey({ dataDir, databaseUrl: 'postgres://db/x', auditAnchorKey: undefined })).rejects.toThrow(
    /AUDIT_ANCHOR_KEY is required/,
  )
})
