import type { Sql } from '../../db/client.ts'
import type { ReferralState, Test } from './reference.ts'
import type { ReferForCharge } from './schema.ts'

export async function openReferral(sql: Sql, caseId: string) {
  const [row] = await sql.query<{ id: string; state: ReferralState }>(
    `SELECT id, state FROM charging_referrals WHERE case_id = $1 AND state IN ('awaiting_triage', 'accepted', 'action_plan') FOR UPDATE`,
    [caseId],
  )
  return row
}

export async function insertReferral(sql: Sql, r: ReferForCharge & { caseId: string; areaId: string; at: Date; by: string }) {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO charging_referrals (case_id, cps_area_id, test, threshold_grounds, threshold_further_evidence,
                                     threshold_evidence_expected, threshold_seriousness, threshold_bail_reasons, threshold_public_interest,
                                     mg_forms, submitted_at, submitted_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      r.caseId,
      r.areaId,
      r.test,
      r.thresholdGrounds,
      r.thresholdFurtherEvidence,
      r.thresholdEvidenceExpected ?? null,
      r.thresholdSeriousness,
      r.thresholdBailReasons,
      r.thresholdPublicInterest,
      r.mgForms,
      r.at,
      r.by,
    ],
  )
  return id
}

/** The case is finalised: a referral still with the CPS or the police is decided. */
export async function decideOpenReferrals(sql: Sql, caseId: string, at: Date) {
  await sql.query(
    `UPDATE charging_referrals SET state = 'decided', decided_at = $2
      WHERE case_id = $1 AND state IN ('awaiting_triage', 'accepted', 'action_plan')`,
    [caseId, at],
  )
}

export interface ReferralRow {
  id: string
  test: Test
  threshold_grounds: string | null
  threshold_further_evidence: string | null
  threshold_evidence_expected: string | null
  threshold_seriousness: string | null
  threshold_bail_reasons: string | null
  threshold_public_interest: string | null
  mg_forms: string[]
  state: ReferralState
  cps_area: string
  submitted_at: Date
  submitted_by: string
  decided_at: Date | null
}

/** Newest first. */
export async function referralsOf(sql: Sql, caseId: string) {
  return sql.query<ReferralRow>(
    `SELECT r.id, r.test, r.threshold_grounds, r.threshold_further_evidence, r.threshold_evidence_expected,
            r.threshold_seriousness, r.threshold_bail_reasons, r.threshold_public_interest, r.mg_forms, r.state, a.name AS cps_area,
            r.submitted_at, u.display_name AS submitted_by, r.decided_at
       FROM charging_referrals r
       JOIN organisations a ON a.id = r.cps_area_id
       JOIN users u ON u.id = r.submitted_by
      WHERE r.case_id = $1 ORDER BY r.submitted_at DESC, r.id`,
    [caseId],
  )
}
