import { isUuid, type Sql } from '../../db/client.ts'
import { labelOf } from '../../platform/codes.ts'
import { STAGES, type Stage } from '../cases/stage.ts'
import { ALL_WITHDRAWAL_REASONS, ELP_DECISIONS, PRESSURE_ANSWERS } from './reasons.ts'
import { AFTER_CHARGE } from './rules.ts'
import type { ElpConsideration, RecordElp, RecordReengagement, RecordWithdrawal, Withdrawal } from './schema.ts'

interface Row {
  id: string
  stage: Stage
  withdrawn_on: string
  ever_supported: boolean | null
  reasons: string[]
  details: string | null
  retraction_statement_taken: boolean
  retraction_taken_on: string | null
  retraction_taken_by: string | null
  maintains_account_true: boolean | null
  pressure_suspected: string | null
  pressure_details: string | null
  victims_own_words: string | null
  recorded_by: string
  reengaged_on: string | null
  reengagement_note: string | null
}

interface ElpRow {
  withdrawal_id: string
  police_view: string | null
  police_view_by: string | null
  police_view_at: Date | null
  cps_view: string | null
  cps_view_by: string | null
  cps_view_at: Date | null
  decision: string | null
  decision_by: string | null
  decision_at: Date | null
  result: string | null
  result_by: string | null
  result_at: Date | null
}

const part = <T>(value: T | null, by: string | null, at: Date | null) =>
  value === null || at === null ? null : { value, by: by ?? '', at: new Date(at).toISOString() }

const toElp = (r: ElpRow): ElpConsideration => ({
  policeView: part(r.police_view, r.police_view_by, r.police_view_at),
  cpsView: part(r.cps_view, r.cps_view_by, r.cps_view_at),
  decision: part(
    r.decision === null ? null : { code: r.decision, label: labelOf(ELP_DECISIONS, r.decision) },
    r.decision_by,
    r.decision_at,
  ),
  result: part(r.result, r.result_by, r.result_at),
})

const toWithdrawal = (r: Row, elp: ElpRow | undefined): Withdrawal => ({
  id: r.id,
  stage: { code: r.stage, label: STAGES[r.stage] ?? r.stage, afterCharge: AFTER_CHARGE.includes(r.stage) },
  withdrawnOn: r.withdrawn_on,
  everSupported: r.ever_supported,
  reasons: r.reasons.map((code) => ({ code, label: labelOf(ALL_WITHDRAWAL_REASONS, code) })),
  details: r.details,
  retractionStatementTaken: r.retraction_statement_taken,
  retraction: r.retraction_statement_taken
    ? {
        takenOn: r.retraction_taken_on,
        takenBy: r.retraction_taken_by,
        maintainsAccountTrue: r.maintains_account_true,
        pressureSuspected:
          r.pressure_suspected === null
            ? null
            : { code: r.pressure_suspected, label: labelOf(PRESSURE_ANSWERS, r.pressure_suspected) },
        pressureDetails: r.pressure_details,
        victimsOwnWords: r.victims_own_words,
      }
    : null,
  recordedBy: r.recorded_by,
  reengagedOn: r.reengaged_on,
  reengagementNote: r.reengagement_note,
  elp: elp ? toElp(elp) : null,
})

/** One victim's withdrawals, newest first (victimId null: the case's victim, not yet recorded). */
export async function withdrawalsOf(sql: Sql, caseId: string, victimId: string | null): Promise<Withdrawal[]> {
  const rows = await sql.query<Row>(
    `SELECT w.id, w.stage, w.withdrawn_on, w.ever_supported, w.reasons, w.details, w.retraction_statement_taken,
            w.retraction_taken_on, w.retraction_taken_by, w.maintains_account_true, w.pressure_suspected,
            w.pressure_details, w.victims_own_words, u.display_name AS recorded_by, w.reengaged_on, w.reengagement_note
       FROM withdrawals w JOIN users u ON u.id = w.recorded_by
      WHERE w.case_id = $1 AND w.victim_id IS NOT DISTINCT FROM $2 ORDER BY w.withdrawn_on DESC, w.recorded_at DESC`,
    [caseId, victimId],
  )
  const elps = await sql.query<ElpRow>(
    `SELECT e.withdrawal_id, e.police_view, pv.display_name AS police_view_by, e.police_view_at,
            e.cps_view, cv.display_name AS cps_view_by, e.cps_view_at,
            e.decision, d.display_name AS decision_by, e.decision_at,
            e.result, r.display_name AS result_by, e.result_at
       FROM withdrawal_elp e
       JOIN withdrawals w ON w.id = e.withdrawal_id
       LEFT JOIN users pv ON pv.id = e.police_view_by
       LEFT JOIN users cv ON cv.id = e.cps_view_by
       LEFT JOIN users d ON d.id = e.decision_by
       LEFT JOIN users r ON r.id = e.result_by
      WHERE e.case_id = $1 AND w.victim_id IS NOT DISTINCT FROM $2`,
    [caseId, victimId],
  )
  return rows.map((r) =>
    toWithdrawal(
      r,
      elps.find((e) => e.withdrawal_id === r.id),
    ),
  )
}

/** The victim's open withdrawal (victimId null: the case's victim, not yet recorded). */
export async function openWithdrawal(
  sql: Sql,
  caseId: string,
  victimId: string | null,
): Promise<{ id: string; withdrawn_on: string } | undefined> {
  const [row] = await sql.query<{ id: string; withdrawn_on: string }>(
    'SELECT id, withdrawn_on FROM withdrawals WHERE case_id = $1 AND victim_id IS NOT DISTINCT FROM $2 AND reengaged_on IS NULL FOR UPDATE',
    [caseId, victimId],
  )
  return row
}

/** A charge is final for a suspect (suspects/rules.ts), so one charged status means the case has a charge. */
export async function anySuspectCharged(sql: Sql, caseId: string): Promise<boolean> {
  const [row] = await sql.query<{ charged: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM suspect_statuses st JOIN suspects s ON s.id = st.suspect_id
                     WHERE s.case_id = $1 AND st.status = 'charged') AS charged`,
    [caseId],
  )
  return row.charged
}

export async function insertWithdrawal(
  sql: Sql,
  w: RecordWithdrawal & { caseId: string; victimId: string | null; stage: Stage; by: string; at: Date },
) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO withdrawals (case_id, victim_id, stage, withdrawn_on, ever_supported, reasons, details, retraction_statement_taken,
                              retraction_taken_on, retraction_taken_by, maintains_account_true, pressure_suspected,
                              pressure_details, victims_own_words, recorded_by, recorded_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
    [
      w.caseId,
      w.victimId,
      w.stage,
      w.withdrawnOn,
      w.everSupported,
      w.reasons,
      w.details || null,
      w.retractionStatementTaken,
      w.retractionTakenOn ?? null,
      w.retractionTakenBy || null,
      w.maintainsAccountTrue ?? null,
      w.pressureSuspected ?? null,
      w.pressureDetails || null,
      w.victimsOwnWords || null,
      w.by,
      w.at,
    ],
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

/**
 * The withdrawal, locked, with what its evidence-led prosecution consideration holds so far;
 * undefined unless it is this victim's, of this case.
 */
export async function lockWithdrawalForElp(sql: Sql, caseId: string, victimId: string | null, withdrawalId: string) {
  if (!isUuid(withdrawalId)) return undefined
  const [row] = await sql.query<{
    id: string
    police_view: string | null
    cps_view: string | null
    decision: 'proceed' | 'not_proceed' | null
    result: string | null
  }>(
    `SELECT w.id, e.police_view, e.cps_view, e.decision, e.result
       FROM withdrawals w LEFT JOIN withdrawal_elp e ON e.withdrawal_id = w.id
      WHERE w.id = $1 AND w.case_id = $2 AND w.victim_id IS NOT DISTINCT FROM $3 FOR UPDATE OF w`,
    [withdrawalId, caseId, victimId],
  )
  return row
}

/** Writes the parts given, each with who and when; parts not given keep what was recorded. */
export async function saveElp(sql: Sql, e: RecordElp & { withdrawalId: string; caseId: string; by: string; at: Date }) {
  const has = (v: unknown) => v !== undefined
  await sql.query(
    `INSERT INTO withdrawal_elp (withdrawal_id, case_id, police_view, police_view_by, police_view_at, cps_view, cps_view_by,
                                 cps_view_at, decision, decision_by, decision_at, result, result_by, result_at)
     VALUES ($1, $2, $3, CASE WHEN $4 THEN $11::uuid END, CASE WHEN $4 THEN $12::timestamptz END,
             $5, CASE WHEN $6 THEN $11::uuid END, CASE WHEN $6 THEN $12::timestamptz END,
             $7, CASE WHEN $8 THEN $11::uuid END, CASE WHEN $8 THEN $12::timestamptz END,
             $9, CASE WHEN $10 THEN $11::uuid END, CASE WHEN $10 THEN $12::timestamptz END)
     ON CONFLICT (withdrawal_id) DO UPDATE SET
       police_view = CASE WHEN $4 THEN EXCLUDED.police_view ELSE withdrawal_elp.police_view END,
       police_view_by = CASE WHEN $4 THEN EXCLUDED.police_view_by ELSE withdrawal_elp.police_view_by END,
       police_view_at = CASE WHEN $4 THEN EXCLUDED.police_view_at ELSE withdrawal_elp.police_view_at END,
       cps_view = CASE WHEN $6 THEN EXCLUDED.cps_view ELSE withdrawal_elp.cps_view END,
       cps_view_by = CASE WHEN $6 THEN EXCLUDED.cps_view_by ELSE withdrawal_elp.cps_view_by END,
       cps_view_at = CASE WHEN $6 THEN EXCLUDED.cps_view_at ELSE withdrawal_elp.cps_view_at END,
       decision = CASE WHEN $8 THEN EXCLUDED.decision ELSE withdrawal_elp.decision END,
       decision_by = CASE WHEN $8 THEN EXCLUDED.decision_by ELSE withdrawal_elp.decision_by END,
       decision_at = CASE WHEN $8 THEN EXCLUDED.decision_at ELSE withdrawal_elp.decision_at END,
       result = CASE WHEN $10 THEN EXCLUDED.result ELSE withdrawal_elp.result END,
       result_by = CASE WHEN $10 THEN EXCLUDED.result_by ELSE withdrawal_elp.result_by END,
       result_at = CASE WHEN $10 THEN EXCLUDED.result_at ELSE withdrawal_elp.result_at END`,
    [
      e.withdrawalId,
      e.caseId,
      e.policeView ?? null,
      has(e.policeView),
      e.cpsView ?? null,
      has(e.cpsView),
      e.decision ?? null,
      has(e.decision),
      e.result ?? null,
      has(e.result),
      e.by,
      e.at,
    ],
  )
}
