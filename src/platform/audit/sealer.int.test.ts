import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCli } from '../../cli/commands.ts'
import type { Db } from '../../db/client.ts'
import { createTestDatabase, type TestDb } from '../../db/test-database.ts'
import { accessToCase } from '../../modules/access-log/queries.ts'
import { fixedClock } from '../clock.ts'
import { type AuditEntry, appendAudit, appendAuditRows, GENESIS_HASH } from './audit.ts'
import { isSettled, markSealable, sealAudit, sealUpTo } from './sealer.ts'
import { verifyAuditChain } from './verify.ts'

/** These tests check the chain inside the database; anchor.int.test.ts checks it against checkpoints outside. */
const UNCHECKED = { state: 'unchecked' } as const

const NOW = new Date('2026-11-02T10:00:00Z')
const clock = fixedClock(NOW)
const onServer = process.env.TEST_ENGINE === 'postgresql'

let db: TestDb
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db.close())

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: NOW,
  actorId: null,
  action: 'case.viewed',
  caseId: randomUUID(),
  subject: 'case record',
  justification: 'case of own force',
  details: { kind: 'consultation', channel: 'api' },
  ...over,
})
const write = (target: Db, over: Partial<AuditEntry> = {}) => target.transaction((tx) => appendAudit(tx, entry(over)))

type Row = { id: number; prev_hash: string | null; hash: string | null }
const allRows = (target: Db = db) => target.query<Row>('SELECT id::int AS id, prev_hash, hash FROM audit_log ORDER BY id')
const head = async () =>
  (await db.query<{ id: number; hash: string }>('SELECT last_id::int AS id, last_hash AS hash FROM audit_chain_head'))[0]

/** A request's transaction that has written its audit row and waits to be told to commit or roll back. */
function openWriter(target: Db, over: Partial<AuditEntry> = {}) {
  let written!: () => void
  const ready = new Promise<void>((resolve) => {
    written = resolve
  })
  let decide!: (commit: boolean) => void
  const decision = new Promise<boolean>((resolve) => {
    decide = resolve
  })
  const done = target
    .transaction(async (tx) => {
      await appendAudit(tx, entry(over))
      written()
      if (!(await decision)) throw new Error('rolled back on purpose')
    })
    .then(
      () => 'committed',
      () => 'rolled back',
    )
  return {
    ready,
    commit: () => {
      decide(true)
      return done
    },
    rollback: () => {
      decide(false)
      return done
    },
  }
}

/** What a database administrator could do by switching the guard off: the chain must still tell. */
async function tamper(sql: string, params: unknown[] = []) {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
    await tx.query(sql, params)
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
  })
}

describe('the sealer', () => {
  test('a request’s row is written unsealed and chained later, in id order, from the genesis hash', async () => {
    await write(db)
    await db.transaction((tx) =>
      appendAuditRows(tx, [entry({ action: 'case.found_by_name' }), entry({ action: 'case.found_by_name', justification: 'b' })]),
    )
    await write(db, { action: 'case.updated', details: { kind: 'alteration', channel: 'web', z: 1, a: [2, 1] } })
    const before = await allRows()
    expect(before).toHaveLength(4)
    expect(before.every((r) => r.hash === null && r.prev_hash === null)).toBe(true)
    // Several rows in one write take ids in the order given.
    const justifications = await db.query<{ justification: string }>(
      "SELECT justification FROM audit_log WHERE action = 'case.found_by_name' ORDER BY id",
    )
    expect(justifications.map((j) => j.justification)).toEqual(['case of own force', 'b'])

    expect(await sealAudit(db)).toEqual({ sealed: 4, settled: true })
    const after = await allRows()
    expect(after[0].prev_hash).toBe(GENESIS_HASH)
    for (let i = 1; i < after.length; i++) expect(after[i].prev_hash).toBe(after[i - 1].hash)
    expect(await head()).toEqual({ id: after[3].id, hash: after[3].hash })
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 4, unsealed: 0, checkpoint: UNCHECKED })
  })

  test('sealing again changes nothing, and sealing in small batches chains the same way', async () => {
    const before = await allRows()
    expect(await sealAudit(db)).toEqual({ sealed: 0, settled: true })
    expect(await allRows()).toEqual(before)

    for (let i = 0; i < 7; i++) await write(db)
    const mark = await markSealable(db)
    expect(await isSettled(db, mark)).toBe(true)
    expect(await sealUpTo(db, mark.upTo, 3)).toBe(7)
    expect(await sealUpTo(db, mark.upTo, 3)).toBe(0)
    expect(await verifyAuditChain(db)).toEqual({ ok: true, rows: 11, unsealed: 0, checkpoint: UNCHECKED })
  })

  test('rows written after the mark wait for the next one', async () => {
    const mark = await markSealable(db)
    await write(db)
    expect(await sealUpTo(db, mark.upTo)).toBe(0)
    expect(await verifyAuditChain(db, { now: NOW })).toMatchObject({ ok: true, unsealed: 1 })
    expect((await sealAudit(db)).sealed).toBe(1)
  })

  test('a rolled-back request leaves no row and no hole in the chain', async () => {
    const w = openWriter(db)
    await w.ready
    expect(await w.rollback()).toBe('rolled back')
    await write(db)
    expect((await sealAudit(db)).sealed).toBe(1)
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealed: 0 })
  })

  test('the access log shows a row whether it is sealed or not', async () => {
    const caseId = randomUUID()
    await write(db, { caseId })
    expect((await accessToCase(db, caseId, 'all', { limit: 10, offset: 0 })).total).toBe(1)
    await sealAudit(db)
    expect((await accessToCase(db, caseId, 'all', { limit: 10, offset: 0 })).entries).toHaveLength(1)
  })
})

// Concurrency needs a second connection, which a PostgreSQL server has and PGlite (one connection)
// has not: on PGlite these are not defined at all, rather than reported as skipped.
if (onServer)
  describe('the sealer with other instances writing and sealing at the same time', () => {
    test('a lower id that commits last is not overtaken: nothing past it is sealed until it commits', async () => {
      const other = db.reopen()
      try {
        await sealAudit(db)
        const slow = openWriter(db)
        await slow.ready // holds the lower id, not yet committed
        await write(other) // takes the next id and commits first
        // The committed row is visible but the mark cannot settle while the slow transaction runs.
        expect(await sealAudit(db, { waitMs: 200 })).toEqual({ sealed: 0, settled: false })
        expect(await sealAudit(other, { waitMs: 200 })).toEqual({ sealed: 0, settled: false })
        const waiting = await db.query<Row>('SELECT id::int AS id, prev_hash, hash FROM audit_log WHERE hash IS NULL ORDER BY id')
        expect(waiting).toHaveLength(1)

        expect(await slow.commit()).toBe('committed')
        expect((await sealAudit(other)).sealed).toBe(2)
        const rows = await allRows()
        const [a, b] = rows.slice(-2)
        expect(b.id).toBeGreaterThan(a.id)
        expect(b.prev_hash).toBe(a.hash)
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealed: 0 })
      } finally {
        await other.close()
      }
    })

    test('two instances writing and sealing at once keep one chain with every committed row in it once', async () => {
      const other = db.reopen()
      try {
        const before = (await allRows()).length
        let writing = true
        const writers = [db, other, db, other].map(async (pool, n) => {
          let written = 0
          for (let i = 0; i < 60; i++) {
            // Every fifth request fails after writing its row: the row must not appear.
            await pool
              .transaction(async (tx) => {
                await appendAudit(tx, entry())
                if ((i + n) % 5 === 0) throw new Error('rolled back on purpose')
              })
              .then(
                () => written++,
                () => {},
              )
          }
          return written
        })
        const sealers = [db, other].map(async (pool) => {
          let sealed = 0
          while (writing) sealed += (await sealAudit(pool, { waitMs: 500 })).sealed
          return sealed
        })
        const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0)
        writing = false
        const sealedConcurrently = (await Promise.all(sealers)).reduce((a, b) => a + b, 0)
        const last = (await sealAudit(db)).sealed
        expect(written).toBe(4 * 48)
        expect(sealedConcurrently + last).toBe(written)
        const rows = await allRows()
        expect(rows).toHaveLength(before + written)
        expect(rows.every((r) => r.hash !== null)).toBe(true)
        expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(rows.length)
        expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: rows.length, unsealed: 0 })
      } finally {
        await other.close()
      }
    })
  })

describe('the guard on the table', () => {
  test('refuses every update but sealing an unsealed row, and refuses delete and truncate', async () => {
    await write(db)
    const [{ id }] = await db.query<{ id: number }>('SELECT id::int AS id FROM audit_log WHERE hash IS NULL')
    const h = 'a'.repeat(64)
    const refused = [
      ["UPDATE audit_log SET subject = 'changed' WHERE id = $1", [id]],
      ["UPDATE audit_log SET prev_hash = $2, hash = $2, subject = 'changed' WHERE id = $1", [id, h]],
      ['UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1', [id, h, 'not a hash']],
      ['UPDATE audit_log SET hash = $2 WHERE id = $1', [id, h]],
      ['DELETE FROM audit_log WHERE id = $1', [id]],
    ] as const
    for (const [sql, params] of refused)
      await expect(db.query(sql, [...params])).rejects.toThrow(/append-only|audit_log_sealed_whole/)
    await expect(db.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/)

    await sealAudit(db)
    const [sealed] = await db.query<{ id: number }>('SELECT id::int AS id FROM audit_log ORDER BY id DESC LIMIT 1')
    for (const [sql, params] of [
      ['UPDATE audit_log SET prev_hash = NULL, hash = NULL WHERE id = $1', [sealed.id]],
      ['UPDATE audit_log SET prev_hash = $2, hash = $2 WHERE id = $1', [sealed.id, h]],
    ] as const) {
      await expect(db.query(sql, [...params])).rejects.toThrow(/append-only/)
    }
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, unsealed: 0 })
  })
})

describe('audit verify', () => {
  const verifyCli = async (args: string[] = []) => {
    const lines: string[] = []
    const code = await runCli(['audit', 'verify', ...args], db, clock, { out: (l) => lines.push(l), err: (l) => lines.push(l) })
    return { code, output: lines.join('\n') }
  }

  test('names a sealed row that was changed, then one that was deleted', async () => {
    for (let i = 0; i < 3; i++) await write(db)
    await sealAudit(db)
    const rows = await allRows()
    const [, middle, next] = rows.slice(-3)
    await tamper("UPDATE audit_log SET justification = 'nothing to see' WHERE id = $1", [middle.id])
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badRowId: middle.id })
    const { code, output } = await verifyCli()
    expect(code).toBe(1)
    expect(output).toContain(`BROKEN at row ${middle.id}`)
    await tamper("UPDATE audit_log SET justification = 'case of own force' WHERE id = $1", [middle.id])
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true })

    await tamper('DELETE FROM audit_log WHERE id = $1', [middle.id])
    expect(await verifyAuditChain(db)).toMatchObject({ ok: false, badRowId: next.id })
  })

  test('names the end of the chain when the last sealed rows were cut off', async () => {
    const fresh = await createTestDatabase()
    try {
      for (let i = 0; i < 3; i++) await write(fresh)
      await sealAudit(fresh)
      const rows = await allRows(fresh)
      await fresh.transaction(async (tx) => {
        await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change')
        await tx.query('DELETE FROM audit_log WHERE id = $1', [rows[2].id])
        await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change')
      })
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: false, badRowId: rows[2].id })
    } finally {
      await fresh.close()
    }
  })

  test('fails on a row left unsealed longer than the grace period, and on a row behind the end of the chain', async () => {
    const fresh = await createTestDatabase()
    try {
      await write(fresh)
      await sealAudit(fresh)
      // Written 11 minutes before "now" and never sealed, as if no sweeper were running.
      await write(fresh, { at: new Date(NOW.getTime() - 11 * 60_000) })
      const [{ id: old }] = await fresh.query<{ id: number }>('SELECT id::int AS id FROM audit_log WHERE hash IS NULL')
      expect(await verifyAuditChain(fresh, { now: NOW })).toMatchObject({ ok: false, badRowId: old })
      expect(await verifyAuditChain(fresh, { now: NOW, graceMinutes: 15 })).toMatchObject({ ok: true, unsealed: 1 })
      await sealAudit(fresh)
      expect(await verifyAuditChain(fresh, { now: NOW })).toMatchObject({ ok: true, unsealed: 0 })

      // A row whose id falls behind the sealed end of the chain (what sealing past an
      // uncommitted id would leave) is never sealed, and verify names the sealed row after it.
      const w = openWriter(fresh)
      await w.ready
      await w.rollback()
      const [{ gap }] = await fresh.query<{ gap: number }>('SELECT last_value::int AS gap FROM audit_log_id_seq')
      await write(fresh)
      await sealAudit(fresh)
      await fresh.query(
        `INSERT INTO audit_log (id, occurred_at, action, details, victim_data) VALUES ($1, $2, 'case.viewed', '{}', false)`,
        [gap, NOW],
      )
      expect(await sealAudit(fresh)).toEqual({ sealed: 0, settled: true })
      expect(await verifyAuditChain(fresh, { now: NOW })).toMatchObject({ ok: false, badRowId: gap + 1 })
    } finally {
      await fresh.close()
    }
  })
})
