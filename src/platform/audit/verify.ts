import type { Db, Sql } from '../../db/client.ts'
import { ANCHOR_FILE, type AnchorStore, type CheckpointsRead, readCheckpoints } from './anchor.ts'
import { GENESIS_HASH, rowHash, type StoredAuditRow } from './audit.ts'

/** What the checkpoints outside the database said: none asked for, none written yet, or the latest matched. */
export type CheckpointCheck = { state: 'unchecked' } | { state: 'none' } | { state: 'matched'; lastId: number; at: string }

export type ChainReport =
  | { ok: true; rows: number; unsealed: number; checkpoint: CheckpointCheck }
  /** badRowId is null when the fault is in the checkpoints rather than at a row. */
  | { ok: false; rows: number; unsealed: number; badRowId: number | null; reason: string }

const BATCH = 5000

/**
 * How long a row may wait for the sealer before `audit verify` calls it a failure. The sweeper
 * seals every SWEEP_SECONDS (60 by default) once the transactions running at the time have ended;
 * only a long-running write transaction or a stopped sealer keeps rows waiting longer.
 */
export const SEAL_GRACE_MINUTES = 10

/**
 * Walks the whole log in id order, recomputing every sealed row's hash; stops at the first broken
 * link. Sealed rows come first and unsealed ones after them (the sealer seals in id order), so a
 * sealed row after an unsealed one, an unsealed row older than the grace period, or a chain that
 * ends before the head the sealer recorded is a failure too.
 */
export async function verifyAuditChain(
  sql: Sql | Db,
  opts: { now?: Date; graceMinutes?: number; anchors?: AnchorStore } = {},
): Promise<ChainReport> {
  // Read before the snapshot is taken: every checkpoint then names a row sealed and committed
  // before it, so the snapshot sees that row. Read after, a checkpoint written meanwhile could
  // name a row the snapshot cannot see.
  const checkpoints: CheckpointsRead | null = opts.anchors ? await readCheckpoints(opts.anchors) : null
  // One snapshot for the whole walk, so a sealer running meanwhile cannot make the rows read
  // later disagree with those read earlier.
  if ('transaction' in sql) {
    return sql.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY')
      return walk(tx, opts, checkpoints)
    })
  }
  return walk(sql, opts, checkpoints)
}

async function walk(
  sql: Sql,
  opts: { now?: Date; graceMinutes?: number },
  checkpoints: CheckpointsRead | null,
): Promise<ChainReport> {
  const anchored = checkpoints?.state === 'found' ? checkpoints.latest : null
  let anchoredRowHash: string | null | undefined // undefined: the row was not found
  const oldest = (opts.now ?? new Date()).getTime() - (opts.graceMinutes ?? SEAL_GRACE_MINUTES) * 60_000
  let prevHash = GENESIS_HASH
  let lastSealedId = 0
  let lastId = -1
  let rows = 0
  let unsealed = 0
  const fail = (badRowId: number | null, reason: string): ChainReport => ({ ok: false, rows, unsealed, badRowId, reason })
  for (;;) {
    const batch = await sql.query<StoredAuditRow>(
      `SELECT id::int AS id, occurred_at, actor_id, action, case_id, subject, justification, details, victim_data, prev_hash, hash
         FROM audit_log WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
      [lastId],
    )
    for (const row of batch) {
      lastId = row.id
      if (row.id === anchored?.lastId) anchoredRowHash = row.hash
      if (row.hash === null || row.prev_hash === null) {
        if (row.occurred_at.getTime() < oldest) {
          return fail(
            row.id,
            `it has waited more than ${opts.graceMinutes ?? SEAL_GRACE_MINUTES} minutes to be sealed (is the sweeper running?)`,
          )
        }
        unsealed++
        continue
      }
      if (unsealed > 0) {
        return fail(row.id, 'it was sealed while a row before it was not (rows were sealed out of order)')
      }
      if (row.prev_hash !== prevHash) {
        return fail(row.id, 'does not follow the row before it (a row was removed or altered)')
      }
      if (rowHash({ ...row, prev_hash: row.prev_hash }) !== row.hash) {
        return fail(row.id, 'its content does not match its hash (the row was altered)')
      }
      prevHash = row.hash
      lastSealedId = row.id
      rows++
    }
    if (batch.length < BATCH) break
  }
  // A pure chain cannot show that its last rows were cut off; the head the sealer recorded can.
  const [head] = await sql.query<{ id: number; hash: string }>(
    'SELECT last_id::int AS id, last_hash AS hash FROM audit_chain_head',
  )
  if (head && (head.id !== lastSealedId || head.hash !== prevHash)) {
    return fail(
      head.id,
      head.id > lastSealedId
        ? 'the chain ends before this row, the last the sealer sealed (rows were removed from the end)'
        : 'the sealer’s record of the end of the chain does not match the last sealed row',
    )
  }
  // The head above is inside the database, so whoever can rewrite the rows can move it too; a
  // checkpoint outside cannot be moved by them (anchor.ts, docs/decisions/0009).
  if (checkpoints?.state === 'bad') {
    return fail(null, `line ${checkpoints.line} of ${ANCHOR_FILE} is not a valid checkpoint: ${checkpoints.reason}`)
  }
  if (anchored) {
    if (anchoredRowHash === undefined) {
      return fail(
        anchored.lastId,
        `it is missing, but the checkpoint written outside the database at ${anchored.at} names it as sealed (rows were removed from the end)`,
      )
    }
    if (anchoredRowHash !== anchored.hash) {
      return fail(
        anchored.lastId,
        `its hash is not the one in the checkpoint written outside the database at ${anchored.at} (the chain was rewritten)`,
      )
    }
  }
  const checkpoint: CheckpointCheck = !checkpoints
    ? { state: 'unchecked' }
    : anchored
      ? { state: 'matched', lastId: anchored.lastId, at: anchored.at }
      : { state: 'none' }
  return { ok: true, rows, unsealed, checkpoint }
}
