import type { Sql } from '../../db/client.ts'
import { GENESIS_HASH, rowHash, type StoredAuditRow } from './audit.ts'

export type ChainReport = { ok: true; rows: number } | { ok: false; rows: number; badRowId: number; reason: string }

const BATCH = 5000

/** Walks the whole log in id order, recomputing every hash; stops at the first broken link. */
export async function verifyAuditChain(sql: Sql): Promise<ChainReport> {
  let prevHash = GENESIS_HASH
  let lastId = -1
  let rows = 0
  for (;;) {
    const batch = await sql.query<StoredAuditRow>(
      `SELECT id::int AS id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data, prev_hash, hash
         FROM audit_log WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [lastId],
    )
    for (const row of batch) {
      if (row.prev_hash !== prevHash) {
        return { ok: false, rows, badRowId: row.id, reason: 'does not follow the row before it (a row was removed or altered)' }
      }
      if (rowHash(row) !== row.hash) {
        return { ok: false, rows, badRowId: row.id, reason: 'its content does not match its hash (the row was altered)' }
      }
      prevHash = row.hash
      lastId = row.id
      rows++
    }
    if (batch.length < BATCH) return { ok: true, rows }
  }
}
