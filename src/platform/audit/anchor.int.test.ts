import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../cli/commands.ts'
import { signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { ANCHOR_FILE, type AnchorStore, checkpointer } from './anchor.ts'
import { rowHash, type StoredAuditRow } from './audit.ts'
import { sealAudit } from './sealer.ts'
import { verifyAuditChain } from './verify.ts'

/**
 * The chain anchored outside the database (docs/decisions/0009): what a superuser can do to the
 * rows and the head inside it, a signed checkpoint outside it still shows.
 */
const KEY = 'an-anchor-key-for-tests-only-0123456789'
const folders: string[] = []
async function newStore(key = KEY): Promise<AnchorStore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'casebridge-anchors-'))
  folders.push(dir)
  return { dir, key }
}
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true })
})

async function cli(t: TestApp, store: AnchorStore, ...argv: string[]) {
  const lines: string[] = []
  const code = await runCli(argv, t.db, t.clock, { out: (l) => lines.push(l), err: (l) => lines.push(l) }, async () => store)
  return { code, output: lines.join('\n') }
}

/** Some ordinary use, so there are rows to seal. */
async function use(t: TestApp) {
  const b = await signedIn(t, 'oic.north')
  await b.get('/cases')
}

/**
 * What a superuser can do: switch the guard off, change a row, re-hash every row after it so the
 * chain holds again, cut the newest `cut` rows and move the head to the new end.
 */
async function rewrite(t: TestApp, cut: number) {
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
    const rows = await tx.query<StoredAuditRow>(
      `SELECT id::int AS id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data, prev_hash, hash
         FROM audit_log WHERE hash IS NOT NULL ORDER BY id`,
    )
    const kept = rows.slice(0, rows.length - cut)
    if (cut > 0) await tx.query('DELETE FROM audit_log WHERE id > $1', [kept[kept.length - 1].id])
    const from = Math.floor(kept.length / 2)
    kept[from] = { ...kept[from], subject: 'case list' === kept[from].subject ? 'work queue' : 'case list' }
    let prev = kept[from].prev_hash as string
    for (const row of kept.slice(from)) {
      const hash = rowHash({ ...row, prev_hash: prev })
      await tx.query('UPDATE audit_log SET subject = $2, prev_hash = $3, hash = $4 WHERE id = $1', [
        row.id,
        row.subject,
        prev,
        hash,
      ])
      prev = hash
    }
    await tx.query('UPDATE audit_chain_head SET last_id = $1, last_hash = $2', [kept[kept.length - 1].id, prev])
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
  })
}

describe('checkpoints of the chain outside the database', () => {
  let t: TestApp
  let store: AnchorStore
  beforeAll(async () => {
    t = await startTestApp()
    store = await newStore()
    await use(t)
  })
  afterAll(() => t.close())

  test('before any checkpoint, audit verify passes and says it could not check against one', async () => {
    await sealAudit(t.db)
    const { code, output } = await cli(t, store, 'audit', 'verify')
    expect(code).toBe(0)
    expect(output).toMatch(/Audit log intact: \d+ rows verified/)
    expect(output).toContain(`No checkpoint has been written outside the database yet (${store.dir})`)
  })

  test('audit seal writes a signed checkpoint of the end of the chain, and verify checks against it', async () => {
    await use(t)
    const sealed = await cli(t, store, 'audit', 'seal')
    expect(sealed.code).toBe(0)
    const [head] = await t.db.query<{ id: number; hash: string }>(
      'SELECT last_id::int AS id, last_hash AS hash FROM audit_chain_head',
    )
    expect(sealed.output).toContain(`Checkpoint of row ${head.id} written to ${store.dir}`)
    const lines = (await readFile(path.join(store.dir, ANCHOR_FILE), 'utf8')).trim().split('\n')
    expect(JSON.parse(lines[lines.length - 1])).toEqual({
      lastId: head.id,
      hash: head.hash,
      at: t.clock.now().toISOString(),
      sig: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    const { code, output } = await cli(t, store, 'audit', 'verify')
    expect(code).toBe(0)
    expect(output).toContain(`It matches the latest checkpoint written outside the database (row ${head.id}`)
  })

  test('a checkpoint with a wrong signature is reported, even when the chain is intact', async () => {
    const forged = await newStore()
    await cli(t, forged, 'audit', 'seal')
    await use(t)
    await sealAudit(t.db)
    const [head] = await t.db.query<{ id: number; hash: string }>(
      'SELECT last_id::int AS id, last_hash AS hash FROM audit_chain_head',
    )
    const line = { lastId: head.id, hash: head.hash, at: t.clock.now().toISOString(), sig: 'ab'.repeat(32) }
    await appendFile(path.join(forged.dir, ANCHOR_FILE), `${JSON.stringify(line)}\n`)
    const { code, output } = await cli(t, forged, 'audit', 'verify')
    expect(code).toBe(1)
    expect(output).toContain(`Audit log BROKEN: line 2 of ${ANCHOR_FILE} is not a valid checkpoint: its signature is wrong`)

    // Checked with another key, every checkpoint is a forgery.
    const otherKey = await cli(t, { dir: store.dir, key: 'a-different-key-of-thirty-two-characters' }, 'audit', 'verify')
    expect(otherKey.code).toBe(1)
    expect(otherKey.output).toMatch(/line 1 of .* signature is wrong/)

    await appendFile(path.join(forged.dir, ANCHOR_FILE), 'not json\n')
    expect((await cli(t, { ...forged }, 'audit', 'verify')).output).toContain('is not a valid checkpoint')
  })

  test('a row rewritten, the chain re-hashed and the newest rows cut passes inside the database, and fails against the checkpoint', async () => {
    await use(t)
    const sealed = await cli(t, store, 'audit', 'seal')
    const anchored = Number(sealed.output.match(/Checkpoint of row (\d+)/)?.[1])
    expect(anchored).toBeGreaterThan(0)
    await rewrite(t, 3)

    // Inside the database alone the forgery holds: this is what the checkpoint is for.
    expect(await verifyAuditChain(t.db, { now: t.clock.now() })).toMatchObject({ ok: true, checkpoint: { state: 'unchecked' } })

    const { code, output } = await cli(t, store, 'audit', 'verify')
    expect(code).toBe(1)
    expect(output).toContain(
      `Audit log BROKEN at row ${anchored}: it is missing, but the checkpoint written outside the database at ${t.clock.now().toISOString()} names it as sealed (rows were removed from the end)`,
    )
  })
})

describe('a rewrite without a cut', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())

  test('changes the hash of the row the checkpoint names', async () => {
    const store = await newStore()
    await use(t)
    const sealed = await cli(t, store, 'audit', 'seal')
    const anchored = Number(sealed.output.match(/Checkpoint of row (\d+)/)?.[1])
    await rewrite(t, 0)
    expect((await verifyAuditChain(t.db, { now: t.clock.now() })).ok).toBe(true)
    const { code, output } = await cli(t, store, 'audit', 'verify')
    expect(code).toBe(1)
    expect(output).toContain(`Audit log BROKEN at row ${anchored}: its hash is not the one in the checkpoint`)
    expect(output).toContain('(the chain was rewritten)')
  })

  test('the sweeper’s checkpointer writes only when the end has moved, and no more often than configured', async () => {
    const fresh = await startTestApp()
    try {
      const store = await newStore()
      const write = checkpointer(async () => store, 5)
      await use(fresh)
      await sealAudit(fresh.db)
      const first = await write(fresh.db, fresh.clock.now())
      expect(first).not.toBeNull()
      expect(await write(fresh.db, fresh.clock.now())).toBeNull() // the end has not moved
      await use(fresh)
      await sealAudit(fresh.db)
      const soon = new Date(fresh.clock.now().getTime() + 4 * 60_000)
      expect(await write(fresh.db, soon)).toBeNull() // moved, but within 5 minutes of the last
      const later = new Date(fresh.clock.now().getTime() + 5 * 60_000)
      expect((await write(fresh.db, later))?.lastId).toBeGreaterThan(first?.lastId as number)
      const lines = (await readFile(path.join(store.dir, ANCHOR_FILE), 'utf8')).trim().split('\n')
      expect(lines).toHaveLength(2)
    } finally {
      await fresh.close()
    }
  })
})
