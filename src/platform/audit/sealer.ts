import type { Db } from '../../db/client.ts'
import { rowHash, type StoredAuditRow } from './audit.ts'

/**
 * The sealer chains audit rows after their transactions commit (docs/decisions/0008).
 *
 * Rows take ids from a sequence when inserted but commit in any order, so id 5 may commit after
 * id 6, or never (rolled back). The chain runs in id order, so sealing row 6 before row 5 has
 * committed would leave row 5 behind the end of the chain for ever. The sealer therefore seals
 * only up to a mark it knows to be settled:
 *
 * 1. It reads the sequence: every id at or below `upTo` has been handed out.
 * 2. Then it takes a transaction id of its own, `afterXid`. A writer takes its transaction id
 *    before its row id (audit_log_next_id() in migration 0018), so every transaction holding an
 *    id at or below `upTo` has a transaction id below `afterXid`.
 * 3. Once the oldest running transaction is newer than `afterXid` (the snapshot's xmin), every
 *    one of them has committed or rolled back: each id up to `upTo` is a visible row or will
 *    never exist. No wall-clock guess is involved, so a slow request cannot be overtaken.
 *
 * Sealing is one short transaction per batch under the chain's advisory lock, continuing from
 * the head kept in audit_chain_head, so any number of instances may run it at once: a second
 * sealer waits for the lock and then finds the rows sealed.
 */

export const CHAIN_LOCK = 7312002
export const SEAL_BATCH = 1000

export interface SealMark {
  /** The highest id handed out when the mark was taken. */
  upTo: number
  /** A transaction id newer than that of every transaction that holds an id up to `upTo`. */
  afterXid: string
}

export async function markSealable(db: Db): Promise<SealMark> {
  return db.transaction(async (tx) => {
    const [{ upTo }] = await tx.query<{ upTo: number }>(
      'SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::bigint AS "upTo" FROM audit_log_id_seq',
    )
    // A separate, later statement: the transaction id must be taken after the sequence is read.
    const [{ xid }] = await tx.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid')
    return { upTo: Number(upTo), afterXid: xid }
  })
}

/** Whether every transaction that may hold an id up to the mark has ended. */
export async function isSettled(db: Db, mark: SealMark): Promise<boolean> {
  const [{ settled }] = await db.query<{ settled: boolean }>(
    'SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS settled',
    [mark.afterXid],
  )
  return settled
}

/** Chains every unsealed row up to `upTo` onto the end of the chain, in id order, in batches. */
export async function sealUpTo(db: Db, upTo: number, batch = SEAL_BATCH): Promise<number> {
  let sealed = 0
  for (;;) {
    const n = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK])
      const [head] = await tx.query<{ id: number; hash: string }>(
        'SELECT last_id::bigint AS id, last_hash AS hash FROM audit_chain_head',
      )
      // Rows behind the head (id <= head.id) could only be there if the mark were wrong; they
      // are left unsealed, where `audit verify` reports them, rather than forked into the chain.
      const rows = await tx.query<StoredAuditRow>(
        `SELECT id::bigint AS id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data
           FROM audit_log WHERE hash IS NULL AND id > $1 AND id <= $2 ORDER BY id LIMIT ${batch}`,
        [head.id, upTo],
      )
      if (rows.length === 0) return 0
      const ids: number[] = []
      const prevs: string[] = []
      const hashes: string[] = []
      let prev = head.hash
      for (const row of rows) {
        const hash = rowHash({ ...row, prev_hash: prev })
        ids.push(row.id)
        prevs.push(prev)
        hashes.push(hash)
        prev = hash
      }
      const updated = await tx.query(
        `UPDATE audit_log a SET prev_hash = v.prev_hash, hash = v.hash
           FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, prev_hash, hash)
          WHERE a.id = v.id AND a.hash IS NULL
         RETURNING a.id`,
        [ids, prevs, hashes],
      )
      if (updated.length !== rows.length) throw new Error('audit rows were sealed by someone else during sealing')
      await tx.query('UPDATE audit_chain_head SET last_id = $1, last_hash = $2', [ids[ids.length - 1], prev])
      return rows.length
    })
    sealed += n
    if (n < batch) return sealed
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Takes a mark, waits up to `waitMs` for it to settle (request transactions take milliseconds)
 * and seals up to it. If a long transaction keeps it from settling, nothing is sealed this time:
 * the next round takes a new mark.
 */
export async function sealAudit(db: Db, opts: { waitMs?: number } = {}): Promise<{ sealed: number; settled: boolean }> {
  const waitMs = opts.waitMs ?? 2000
  const mark = await markSealable(db)
  const until = Date.now() + waitMs
  while (!(await isSettled(db, mark))) {
    if (Date.now() >= until) return { sealed: 0, settled: false }
    await sleep(10)
  }
  return { sealed: await sealUpTo(db, mark.upTo), settled: true }
}
