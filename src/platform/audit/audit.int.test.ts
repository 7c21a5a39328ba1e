import { createHash, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../cli/commands.ts'
import { migrate } from '../../db/migrate.ts'
import { createTestDatabase } from '../../db/test-database.ts'
import { accessToCase } from '../../modules/access-log/queries.ts'
import { signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { appendAudit, appendAuditRows, canonicalJson, GENESIS_HASH } from './audit.ts'
import { verifyAuditChain } from './verify.ts'

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
    expect(row.subject).toBe('case record and timeline')
    expect(row.justification).toBe('case of own force')
    expect(row.occurred_at.toISOString()).toBe(t.clock.now().toISOString())
  })

  test('the database refuses to update, delete or truncate audit rows', async () => {
    await expect(t.db.query("UPDATE audit_log SET subject = 'changed'")).rejects.toThrow(/append-only/)
    await expect(t.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    await expect(t.db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/)
  })

  test('audit verify passes on an untouched log', async () => {
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
    const rows = await t.db.query<{ prev_hash: string; hash: string }>('SELECT prev_hash, hash FROM audit_log ORDER BY id')
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash)
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
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 3 })
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
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5 })
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
      expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 5 })
    } finally {
      await db.close()
    }
  })
})
