import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../cli/commands.ts'
import { migrate } from '../../db/migrate.ts'
import { createTestDatabase } from '../../db/test-database.ts'
import { accessToCase } from '../../modules/access-log/queries.ts'
import { signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { appendAudit, appendAuditRows, canonicalJson, GENESIS_HASH, rowHash } from './audit.ts'
import { sealAudit } from './sealer.ts'
import { verifyAuditChain } from './verify.ts'

/** These tests check the chain inside the database; anchor.int.test.ts checks it against checkpoints outside. */
const UNCHECKED = { state: 'unchecked' } as const

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  // Some ordinary use, so the chain has consultations, alterations and sign-ins in it.
  const b = await signedIn(t, 'oic.north')
  const list = await b.get('/cases')
  const caseUrl = list.body.match(/href="(\/cases\/[0-9a-f-]{36})"/)?.[1] as string
  await b.get(caseUrl)
})
afterAll(() => t.close())

async function verify() {
  const lines: string[] = []
  const code = await runCli(['audit', 'verify'], t.db, t.clock, { out: (l) => lines.push(l), err: (l) => lines.push(l) })
  return { code, output: lines.join('\n') }
}

/** What a database administrator could do by switching the guard off: the chain must still tell. */
async function tamper(sql: string, params: unknown[]) {
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
    await tx.query(sql, params)
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
  })
}

describe('the audit log', () => {
  test('records a consultation of a case with who, when, what and the justification', async () => {
    const [row] = await t.db.query<{
      actor_id: string
      subject: string
      justification: string
      case_id: string
      occurred_at: Date
    }>("SELECT actor_id, subject, justification, case_id, occurred_at FROM audit_log WHERE action = 'case.viewed'")
    expect(row.actor_id).toBe(t.demo.users['oic.north'])
    expect(row.case_id).toMatch(/^[0-9a-f-]{36}$/)
    // The case file lists its victims by name, so the page is a consultation of their names too.
    expect(row.subject).toMatch(/^case record and timeline(, names of the case’s victims)?$/)
    expect(row.justification).toBe('case of own force')
    expect(row.occurred_at.toISOString()).toBe(t.clock.now().toISOString())
  })

  test('the database refuses to update, delete or truncate audit rows', async () => {
    await expect(t.db.query("UPDATE audit_log SET subject = 'changed'")).rejects.toThrow(/append-only/)
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/)
  })

  test('audit verify passes on an untouched log, sealed or not yet', async () => {
    const before = await verify()
    expect(before.code).toBe(0)
    expect(before.output).toMatch(/Audit log intact: 0 rows verified\.\n\d+ rows from the last few minutes are not sealed yet/)
    expect((await sealAudit(t.db)).sealed).toBeGreaterThan(0)
    const { code, output } = await verify()
    expect(code).toBe(0)
    expect(output).toMatch(/Audit log intact: \d+ rows verified/)
  })

  test('chains each row to the one before, across transactions', async () => {
    await t.db.transaction(async (tx) => {
      await appendAudit(tx, {
        at: t.clock.now(),
        actorId: null,
        action: 'sign_in.failed',
        details: { b: 1, a: { z: 2, y: [1, 2] } },
      })
    })
    await sealAudit(t.db)
    const rows = await t.db.query<{ prev_hash: string; hash: string }>('SELECT prev_hash, hash FROM audit_log ORDER BY id')
    expect(rows[0].prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash)
    expect(rows.every((r) => r.hash !== null)).toBe(true)
    expect((await verifyAuditChain(t.db)).ok).toBe(true)
  })

  test('an altered row is found and named, and the CLI exits non-zero', async () => {
    const [{ id }] = await t.db.query<{ id: number }>(
      "SELECT id::int AS id FROM audit_log WHERE action = 'case.viewed' ORDER BY id LIMIT 1",
    )
    await tamper("UPDATE audit_log SET justification = 'nothing to see' WHERE id = $1", [id])
    const report = await verifyAuditChain(t.db)
    expect(report).toMatchObject({ ok: false, badRowId: id })
    const { code, output } = await verify()
    expect(code).toBe(1)
    expect(output).toContain(`BROKEN at row ${id}`)
  })
})

describe('the audit chain after a deletion', () => {
  test('a removed row breaks the chain at the row after it', async () => {
    const fresh = await startTestApp()
    try {
      await sealAudit(fresh.db)
      const rows = await fresh.db.query<{ id: number }>('SELECT id::int AS id FROM audit_log ORDER BY id')
      expect(rows.length).toBeGreaterThan(2)
      const victim = rows[1].id
      await fresh.db.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
        await tx.query('DELETE FROM audit_log WHERE id = $1', [victim])
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
      })
      expect(await verifyAuditChain(fresh.db)).toMatchObject({ ok: false, badRowId: rows[2].id })
    } finally {
      await fresh.close()
    }
  })
})

describe('migration 0015 (the victim-data flag) on a log written before it', () => {
  test('audit verify still passes, old rows keep their place in the access log, and the flag is in the chain', async () => {
    const db = await createTestDatabase({ migrated: false })
    try {
      await migrate(db, { before: '0015' })
      // Rows as the writer before 0015 made them: no flag, hashed over the eight fields.
      const caseId = randomUUID()
      let prev = GENESIS_HASH
      const old = [
        { action: 'case.viewed', subject: 'case record and timeline' },
        { action: 'withdrawal.viewed', subject: 'victim’s withdrawals of support' },
        { action: 'victim.viewed', subject: 'victim identity, contact details and needs, victim protected characteristics' },
      ]
      for (const [n, o] of old.entries()) {
        const at = new Date(`2026-10-0${n + 1}T09:00:00Z`)
        const details = { kind: 'consultation', channel: 'web' }
        const fields = [n + 1, at.toISOString(), null, o.action, caseId, o.subject, 'case of own force', details]
        const hash = createHash('sha256').update(prev).update('\n').update(canonicalJson(fields)).digest('hex')
        await db.query(
          `INSERT INTO audit_log (id, occurred_at, actor_id, action, case_id, subject, justification, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [n + 1, at, null, o.action, caseId, o.subject, 'case of own force', JSON.stringify(details), prev, hash],
        )
        prev = hash
      }
      await db.query("SELECT setval('audit_log_id_seq', 3)")

      expect(await migrate(db)).toContain('0015_audit_victim_data.sql')
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 3, unsealed: 0, checkpoint: UNCHECKED })
      const lines: string[] = []
      expect(await runCli(['audit', 'verify'], db, t.clock, { out: (l) => lines.push(l), err: (l) => lines.push(l) })).toBe(0)
      expect(lines.join('\n')).toContain('Audit log intact: 3 rows verified')

      // New rows after old ones: classified, and the chain runs on across the two.
      await db.transaction((tx) =>
        appendAuditRows(tx, [
          { at: t.clock.now(), actorId: null, action: 'support.viewed', caseId, subject: 'support referrals and offers' },
          { at: t.clock.now(), actorId: null, action: 'outcome.viewed', caseId, subject: 'case outcome' },
        ]),
      )
      expect(await verifyAuditChain(db, { now: t.clock.now() })).toEqual({
        ok: true,
        rows: 3,
        unsealed: 2,
        checkpoint: UNCHECKED,
      })
      expect(await sealAudit(db)).toEqual({ sealed: 2, settled: true })
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5, unsealed: 0, checkpoint: UNCHECKED })
      const flags = await db.query<{ action: string; victim_data: boolean | null }>(
        'SELECT action, victim_data FROM audit_log ORDER BY id',
      )
      expect(flags.map((f) => f.victim_data)).toEqual([null, null, null, true, false])

      // The victim filter takes the old rows by their action and the new ones by their flag.
      const { entries } = await accessToCase(db, caseId, 'victim', { limit: 10, offset: 0 })
      expect(entries.map((e) => e.action)).toEqual(['support.viewed', 'victim.viewed', 'withdrawal.viewed'])

      // Changing the flag, old row or new, breaks the chain at that row.
      for (const [id, value] of [
        [1, true],
        [4, null],
        [5, true],
      ] as const) {
        await db.transaction(async (tx) => {
          await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
          const [{ was }] = await tx.query<{ was: boolean | null }>('SELECT victim_data AS was FROM audit_log WHERE id = $1', [
            id,
          ])
          await tx.query('UPDATE audit_log SET victim_data = $2 WHERE id = $1', [id, value])
          expect(await verifyAuditChain(tx)).toMatchObject({ ok: false, badRowId: id })
          await tx.query('UPDATE audit_log SET victim_data = $2 WHERE id = $1', [id, was])
          await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
        })
      }
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5, unsealed: 0, checkpoint: UNCHECKED })
    } finally {
      await db.close()
    }
  })
})

describe('migration 0018 (the sealer) on a log chained before it', () => {
  test('audit verify still passes, and new rows are sealed onto the end of the old chain', async () => {
    const db = await createTestDatabase({ migrated: false })
    try {
      await migrate(db, { before: '0018' })
      // Rows as the writer before 0018 made them: chained at insert, under the lock, with the flag.
      const caseId = randomUUID()
      let prev = GENESIS_HASH
      const old = [
        { action: 'case.viewed', subject: 'case record and timeline', victim: false },
        { action: 'victim.viewed', subject: 'victim identity, contact details and needs', victim: true },
        { action: 'case.updated', subject: 'case details', victim: false },
      ]
      for (const [n, o] of old.entries()) {
        const row = {
          id: n + 1,
          occurred_at: new Date(`2026-10-0${n + 1}T09:00:00Z`),
          actor_id: null,
          action: o.action,
          case_id: caseId,
          subject: o.subject,
          justification: 'case of own force',
          details: { kind: 'consultation', channel: 'web' },
          victim_data: o.victim,
          prev_hash: prev,
        }
        const hash = rowHash(row)
        await db.query(
          `INSERT INTO audit_log (id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            row.id,
            row.occurred_at,
            null,
            row.action,
            caseId,
            row.subject,
            row.justification,
            JSON.stringify(row.details),
            o.victim,
            prev,
            hash,
          ],
        )
        prev = hash
      }
      await db.query("SELECT setval('audit_log_id_seq', 3)")

      expect(await migrate(db)).toContain('0018_audit_sealer.sql')
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 3, unsealed: 0, checkpoint: UNCHECKED })
      const [headRow] = await db.query<{ id: number; hash: string }>(
        'SELECT last_id::int AS id, last_hash AS hash FROM audit_chain_head',
      )
      expect(headRow).toEqual({ id: 3, hash: prev })
      // The old rows are as they were: the migration rewrote and re-hashed nothing.
      const [{ last }] = await db.query<{ last: string }>('SELECT hash AS last FROM audit_log WHERE id = 3')
      expect(last).toBe(prev)

      await db.transaction((tx) =>
        appendAuditRows(tx, [
          { at: t.clock.now(), actorId: null, action: 'support.viewed', caseId, subject: 'support referrals and offers' },
          { at: t.clock.now(), actorId: null, action: 'outcome.viewed', caseId, subject: 'case outcome' },
        ]),
      )
      expect(await verifyAuditChain(db, { now: t.clock.now() })).toEqual({
        ok: true,
        rows: 3,
        unsealed: 2,
        checkpoint: UNCHECKED,
      })
      expect(await sealAudit(db)).toEqual({ sealed: 2, settled: true })
      const rows = await db.query<{ id: number; prev_hash: string; victim_data: boolean }>(
        'SELECT id::int AS id, prev_hash, victim_data FROM audit_log ORDER BY id',
      )
      expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5])
      expect(rows[3].prev_hash).toBe(prev)
      expect(rows.map((r) => r.victim_data)).toEqual([false, true, false, true, false])
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5, unsealed: 0, checkpoint: UNCHECKED })

      // An old row is as protected as a new one.
      await expect(db.query("UPDATE audit_log SET subject = 'changed' WHERE id = 1")).rejects.toThrow(/append-only/)
      await expect(db.query('UPDATE audit_log SET prev_hash = NULL, hash = NULL WHERE id = 1')).rejects.toThrow(/append-only/)
    } finally {
      await db.close()
    }
  })
})
