import type { Sql } from '../../db/client.ts'
import { type NotSoughtReason, notSoughtLabel, REQUEST_STATES, type RequestState } from './reference.ts'
import type { NotSought, RecordNotSought, RequestAdvice } from './schema.ts'

/** The Area that serves a police force, or null when none is set. */
export async function servingArea(sql: Sql, forceId: string): Promise<{ id: string; name: string } | undefined> {
  const [row] = await sql.query<{ id: string; name: string }>(
    `SELECT a.id, a.name FROM organisations f JOIN organisations a ON a.id = f.cps_area_id AND a.kind = 'cps_area'
      WHERE f.id = $1`,
    [forceId],
  )
  return row
}

/** The Area the case is referred to now, if any. */
export async function currentArea(sql: Sql, caseId: string): Promise<string | null> {
  const [row] = await sql.query<{ cps_area_id: string | null }>('SELECT cps_area_id FROM cases WHERE id = $1', [caseId])
  return row?.cps_area_id ?? null
}

/**
 * The case goes to the Area: from now its prosecutors see it. A case moving to another Area
 * leaves its earlier prosecutor and unit behind.
 */
export async function referToArea(sql: Sql, caseId: string, areaId: string) {
  await sql.query(
    `UPDATE cases SET reviewing_prosecutor_id = CASE WHEN cps_area_id = $2 THEN reviewing_prosecutor_id END,
            cps_unit_id = CASE WHEN cps_area_id = $2 THEN cps_unit_id END, cps_area_id = $2
      WHERE id = $1`,
    [caseId, areaId],
  )
}

const NO_SUSPECT: NotSoughtReason = 'suspect_not_identified'

/** Early advice was considered: a request that is with the CPS or answered, or a record that it was not sought. */
export async function howConsidered(
  sql: Sql,
  caseId: string,
  suspectIdentified: boolean,
): Promise<'requested' | 'not_sought' | null> {
  // "Not sought: no suspect identified" stops counting once a suspect is identified: the reason
  // has gone, so early advice must be considered again.
  const [row] = await sql.query<{ requested: boolean; not_sought: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM advice_requests WHERE case_id = $1 AND state IN ('awaiting_triage', 'accepted', 'answered')) AS requested,
            EXISTS (SELECT 1 FROM advice_not_sought WHERE case_id = $1
                     AND (NOT $2::boolean OR reasons <> ARRAY[$3]::text[])) AS not_sought`,
    [caseId, suspectIdentified, NO_SUSPECT],
  )
  return row.requested ? 'requested' : row.not_sought ? 'not_sought' : null
}

export async function openRequest(sql: Sql, caseId: string) {
  const [row] = await sql.query<{ id: string; state: RequestState }>(
    `SELECT id, state FROM advice_requests WHERE case_id = $1 AND state IN ('awaiting_triage', 'accepted') FOR UPDATE`,
    [caseId],
  )
  return row
}

export async function requestForUpdate(sql: Sql, caseId: string, id: string) {
  const [row] = await sql.query<{ id: string; state: RequestState; cps_area_id: string }>(
    'SELECT id, state, cps_area_id FROM advice_requests WHERE id = $1 AND case_id = $2 FOR UPDATE',
    [id, caseId],
  )
  return row
}

export async function insertRequest(sql: Sql, r: RequestAdvice & { caseId: string; areaId: string; at: Date; by: string }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO advice_requests (case_id, cps_area_id, factual_summary, enquiries_done, enquiries_ongoing, enquiries_planned,
                                  issues, questions, requested_at, requested_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [
      r.caseId,
      r.areaId,
      r.factualSummary,
      r.enquiriesDone,
      r.enquiriesOngoing,
      r.enquiriesPlanned,
      r.issues,
      r.questions,
      r.at,
      r.by,
    ],
  )
  return id
}

export async function answerRequest(sql: Sql, id: string, advice: string, at: Date, by: string) {
  await sql.query(
    "UPDATE advice_requests SET state = 'answered', advice = $2, answered_at = $3, answered_by = $4 WHERE id = $1",
    [id, advice, at, by],
  )
}

export async function insertNotSought(sql: Sql, n: RecordNotSought & { caseId: string; at: Date; by: string }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO advice_not_sought (case_id, reasons, details, recorded_at, recorded_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [n.caseId, n.reasons, n.details, n.at, n.by],
  )
  return id
}

export interface RequestRow {
  id: string
  state: RequestState
  cps_area: string
  requested_at: Date
  requested_by: string
  factual_summary: string
  enquiries_done: string
  enquiries_ongoing: string
  enquiries_planned: string
  issues: string
  questions: string
  advice: string | null
  answered_at: Date | null
  answered_by: string | null
}

/** Newest first. */
export async function requestsOf(sql: Sql, caseId: string) {
  const rows = await sql.query<RequestRow>(
    `SELECT r.id, r.state, a.name AS cps_area, r.requested_at, u.display_name AS requested_by, r.factual_summary,
            r.enquiries_done, r.enquiries_ongoing, r.enquiries_planned, r.issues, r.questions, r.advice, r.answered_at,
            w.display_name AS answered_by
       FROM advice_requests r
       JOIN organisations a ON a.id = r.cps_area_id
       JOIN users u ON u.id = r.requested_by
       LEFT JOIN users w ON w.id = r.answered_by
      WHERE r.case_id = $1 ORDER BY r.requested_at DESC, r.id`,
    [caseId],
  )
  return rows.map((r) => ({ ...r, stateLabel: REQUEST_STATES[r.state] }))
}

/** Newest first. */
export async function notSoughtOf(sql: Sql, caseId: string): Promise<NotSought[]> {
  const rows = await sql.query<{ id: string; reasons: string[]; details: string; recorded_at: Date; recorded_by: string }>(
    `SELECT n.id, n.reasons, n.details, n.recorded_at, u.display_name AS recorded_by
       FROM advice_not_sought n JOIN users u ON u.id = n.recorded_by
      WHERE n.case_id = $1 ORDER BY n.recorded_at DESC, n.id`,
    [caseId],
  )
  return rows.map((r) => ({
    id: r.id,
    reasons: r.reasons.map((code) => ({ code, label: notSoughtLabel(code) })),
    details: r.details,
    recordedAt: r.recorded_at.toISOString(),
    recordedBy: r.recorded_by,
  }))
}
