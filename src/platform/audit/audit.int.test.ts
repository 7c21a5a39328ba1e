import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../cli/commands.ts'
import { signedIn, startTestApp, type TestApp } from '../../testing/harness.ts'
import { appendAudit } from './audit.ts'
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
