import type { Sql } from '../../db/client.ts'
import type { Actor } from '../../platform/access/actor.ts'
import { restrictedFrom } from '../../platform/access/policy.ts'

/** SQL for the quarterly assurance return of action plans; nothing else. */

export interface ReturnCase {
  id: string
  urn: string
  /** Restricted from the reader (src/platform/access/policy.ts restrictedFrom): counted, never named. */
  restricted: boolean
  plans: number
  furtherPlansInQuarter: number
}

/**
 * Rape cases of the Area with a second or later action plan issued in [from, to): the cases
 * "with two or more action plans" in that quarter. `plans` counts every plan issued by the end
 * of the quarter.
 */
export async function casesWithFurtherPlans(sql: Sql, actor: Actor, from: Date, to: Date): Promise<ReturnCase[]> {
  const params: unknown[] = [actor.organisationId, from, to]
  const restricted = restrictedFrom(actor, params)
  return sql.query<ReturnCase>(
    `SELECT c.id, c.urn, ${restricted} AS restricted,
            (SELECT count(*)::int FROM action_plans p WHERE p.case_id = c.id AND p.issued_at < $3) AS plans,
            (SELECT count(*)::int FROM action_plans p WHERE p.case_id = c.id AND p.number >= 2
                AND p.issued_at >= $2 AND p.issued_at < $3) AS "furtherPlansInQuarter"
       FROM cases c
      WHERE c.cps_area_id = $1 AND c.rape_flag
        AND EXISTS (SELECT 1 FROM action_plans p WHERE p.case_id = c.id AND p.number >= 2 AND p.issued_at >= $2 AND p.issued_at < $3)
      ORDER BY c.urn`,
    params,
  )
}

export interface ReturnApproval {
  caseId: string
  theme: string
  reason: string
  approvedAt: Date
  approvedBy: string
  planNumber: number | null
}

/** Every DCP approval on these cases recorded before the end of the quarter, oldest first. */
export async function approvalsOfCases(sql: Sql, caseIds: string[], to: Date): Promise<ReturnApproval[]> {
  if (caseIds.length === 0) return []
  return sql.query<ReturnApproval>(
    `SELECT a.case_id AS "caseId", a.theme, a.reason, a.approved_at AS "approvedAt", u.display_name AS "approvedBy",
            p.number AS "planNumber"
       FROM action_plan_approvals a JOIN users u ON u.id = a.approved_by LEFT JOIN action_plans p ON p.id = a.plan_id
      WHERE a.case_id = ANY ($1::uuid[]) AND a.approved_at < $2
      ORDER BY a.approved_at`,
    [caseIds, to],
  )
}
