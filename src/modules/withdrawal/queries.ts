import type { Sql } from '../../db/client.ts'
import { labelOf } from '../../platform/codes.ts'
import { STAGES, type Stage } from '../cases/stage.ts'
import { WITHDRAWAL_REASONS } from './reasons.ts'
import type { RecordReengagement, RecordWithdrawal, Withdrawal } from './schema.ts'

interface Row {
  id: string
  stage: Stage
  withdrawn_on: string
  reasons: string[]
  details: string | null
  retraction_statement_taken: boolean
  recorded_by: string
  reengaged_on: string | null
  reengagement_note: string | null
}

const toWithdrawal = (r: Row): Withdrawal => ({
  id: r.id,
  stage: { code: r.stage, label: STAGES[r.stage] },
  withdrawnOn: r.withdrawn_on,
  reasons: r.reasons.map((code) => ({ code, label: labelOf(WITHDRAWAL_REASONS, code) })),
  details: r.details,
  retractionStatementTaken: r.retraction_statement_taken,
  recordedBy: r.recorded_by,
  reengagedOn: r.reengaged_on,
  reengagementNote: r.reengagement_note,
})

/** Newest first. */
export async function withdrawalsOf(sql: Sql, caseId: string): Promise<Withdrawal[]> {
  const rows = await sql.query<Row>(
    `SELECT w.id, w.stage, w.withdrawn_on, w.reasons, w.details, w.retraction_statement_taken, u.display_name AS recorded_by,
            w.reengaged_on, w.reengagement_note
       FROM withdrawals w JOIN users u ON u.id = w.recorded_by
      WHERE w.case_id = $1 ORDER BY w.withdrawn_on DESC, w.recorded_at DESC`,
    [caseId],
  )
  return rows.map(toWithdrawal)
}

export async function openWithdrawal(sql: Sql, caseId: string): Promise<{ id: string; withdrawn_on: string } | undefined> {
  const [row] = await sql.query<{ id: string; withdrawn_on: string }>(
    'SELECT id, withdrawn_on FROM withdrawals WHERE case_id = $1 AND reengaged_on IS NULL FOR UPDATE',
    [caseId],
  )
  return row
}

export async function insertWithdrawal(sql: Sql, w: RecordWithdrawal & { caseId: string; stage: Stage; by: string; at: Date }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO withdrawals (case_id, stage, withdrawn_on, reasons, details, retraction_statement_taken, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [w.caseId, w.stage, w.withdrawnOn, w.reasons, w.details || null, w.retractionStatementTaken, w.by, w.at],
  )
  return id
}

export async function recordReengagement(sql: Sql, id: string, r: RecordReengagement & { by: string; at: Date }) {
  await sql.query(
    `UPDATE withdrawals SET reengaged_on = $2, reengagement_note = $3, reengagement_recorded_by = $4, reengagement_recorded_at = $5
      WHERE id = $1`,
    [id, r.reengagedOn, r.note || null, r.by, r.at],
  )
}
