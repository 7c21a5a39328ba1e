import type { Sql } from '../../db/client.ts'
import type { Deadline } from '../../platform/deadlines/deadlines.ts'
import { ACTION_STATES, type ActionState, PLAN_STATES, type PlanState, themeLabel } from './reference.ts'
import type { Action, ActionInput, Approval, MoreTimeRequest, Plan, Review } from './schema.ts'

/** SQL for action plans, their actions, requests for more time and DCP approvals; nothing else. */

export interface StoredPlan {
  id: string
  caseId: string
  number: number
  state: PlanState
  chargingReferralId: string | null
  issuedAt: Date
  issuedBy: string
  reopenedAt: Date | null
}

const PLAN_COLUMNS = `id, case_id AS "caseId", number, state, charging_referral_id AS "chargingReferralId", issued_at AS "issuedAt",
  issued_by AS "issuedBy", reopened_at AS "reopenedAt"`

export async function lockCaseRow(sql: Sql, caseId: string): Promise<void> {
  await sql.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId])
}

/** The plan with the police now (issued, or admin finalised waiting for them), if any. */
export async function openPlan(sql: Sql, caseId: string): Promise<StoredPlan | undefined> {
  const [row] = await sql.query<StoredPlan>(
    `SELECT ${PLAN_COLUMNS} FROM action_plans WHERE case_id = $1 AND state IN ('issued', 'admin_finalised') FOR UPDATE`,
    [caseId],
  )
  return row
}

export async function planOfCase(sql: Sql, caseId: string, planId: string): Promise<StoredPlan | undefined> {
  const [row] = await sql.query<StoredPlan>(
    `SELECT ${PLAN_COLUMNS} FROM action_plans WHERE case_id = $1 AND id::text = $2 FOR UPDATE`,
    [caseId, planId],
  )
  return row
}

export async function nextPlanNumber(sql: Sql, caseId: string): Promise<number> {
  const [{ n }] = await sql.query<{ n: number }>(
    'SELECT coalesce(max(number), 0)::int + 1 AS n FROM action_plans WHERE case_id = $1',
    [caseId],
  )
  return n
}

/**
 * Whether the next plan needs a District Crown Prosecutor's approval: the case has a Full Code
 * Test referral submitted, and a plan has already been issued since (the first such).
 */
export async function needsApproval(sql: Sql, caseId: string): Promise<boolean> {
  const [{ needed }] = await sql.query<{ needed: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM charging_referrals r JOIN action_plans p ON p.case_id = r.case_id AND p.issued_at >= r.submitted_at
        WHERE r.case_id = $1 AND r.test = 'full_code') AS needed`,
    [caseId],
  )
  return needed
}

export async function unusedApproval(sql: Sql, caseId: string): Promise<{ id: string } | undefined> {
  const [row] = await sql.query<{ id: string }>(
    'SELECT id FROM action_plan_approvals WHERE case_id = $1 AND plan_id IS NULL FOR UPDATE',
    [caseId],
  )
  return row
}

export async function insertApproval(
  sql: Sql,
  a: { caseId: string; theme: string; reason: string; at: Date; by: string },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO action_plan_approvals (case_id, theme, reason, approved_at, approved_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [a.caseId, a.theme, a.reason, a.at, a.by],
  )
  return id
}

export async function useApproval(sql: Sql, approvalId: string, planId: string): Promise<void> {
  await sql.query('UPDATE action_plan_approvals SET plan_id = $2 WHERE id = $1', [approvalId, planId])
}

/** The charging referral with the CPS now (not decided, rejected or withdrawn), if any. */
export async function openReferral(sql: Sql, caseId: string): Promise<{ id: string; test: string } | undefined> {
  const [row] = await sql.query<{ id: string; test: string }>(
    `SELECT id, test FROM charging_referrals WHERE case_id = $1 AND state IN ('awaiting_triage', 'accepted', 'action_plan')
      ORDER BY submitted_at DESC LIMIT 1 FOR UPDATE`,
    [caseId],
  )
  return row
}

export async function setReferralState(sql: Sql, id: string, state: 'action_plan' | 'accepted'): Promise<void> {
  await sql.query('UPDATE charging_referrals SET state = $2 WHERE id = $1', [id, state])
}

export async function insertPlan(
  sql: Sql,
  p: { caseId: string; number: number; referralId: string | null; reviewDate: string; at: Date; by: string },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO action_plans (case_id, number, charging_referral_id, review_date, issued_at, issued_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [p.caseId, p.number, p.referralId, p.reviewDate, p.at, p.by],
  )
  return id
}

export async function insertAction(sql: Sql, planId: string, number: number, a: ActionInput): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO action_plan_actions (plan_id, number, description, owner_id, target_date, original_target_date)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
    [planId, number, a.description, a.ownerId, a.targetDate],
  )
  return id
}

/** Police officers (investigators and supervisors) of a force, who may own an action. */
export async function policeOfForce(sql: Sql, forceId: string) {
  return sql.query<{ id: string; name: string }>(
    `SELECT id, display_name AS name FROM users
      WHERE organisation_id = $1 AND roles && ARRAY['investigator', 'police_supervisor']::text[] AND disabled_at IS NULL
        AND NOT system_client
      ORDER BY display_name`,
    [forceId],
  )
}

export interface StoredAction {
  id: string
  planId: string
  number: number
  state: ActionState
  targetDate: string
  ownerId: string
}

export async function actionOfPlan(sql: Sql, planId: string, actionId: string): Promise<StoredAction | undefined> {
  const [row] = await sql.query<StoredAction>(
    `SELECT id, plan_id AS "planId", number, state, target_date::text AS "targetDate", owner_id AS "ownerId"
       FROM action_plan_actions WHERE plan_id = $1 AND id::text = $2 FOR UPDATE`,
    [planId, actionId],
  )
  return row
}

export async function answerAction(
  sql: Sql,
  id: string,
  r: { state: 'done' | 'cannot_be_done'; response: string; at: Date; by: string },
): Promise<void> {
  await sql.query(
    'UPDATE action_plan_actions SET state = $2, response = $3, responded_at = $4, responded_by = $5 WHERE id = $1',
    [id, r.state, r.response, r.at, r.by],
  )
}

export async function setTarget(sql: Sql, actionId: string, targetDate: string): Promise<void> {
  await sql.query('UPDATE action_plan_actions SET target_date = $2 WHERE id = $1', [actionId, targetDate])
}

export async function outstandingActions(sql: Sql, planId: string): Promise<number> {
  const [{ n }] = await sql.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM action_plan_actions WHERE plan_id = $1 AND state = 'outstanding'",
    [planId],
  )
  return n
}

export interface PendingMoreTime {
  id: string
  actionId: string
  proposedDate: string
}

export async function pendingMoreTime(sql: Sql, actionId: string): Promise<PendingMoreTime | undefined> {
  const [row] = await sql.query<PendingMoreTime>(
    `SELECT id, action_id AS "actionId", proposed_date::text AS "proposedDate"
       FROM action_more_time_requests WHERE action_id = $1 AND decision IS NULL FOR UPDATE`,
    [actionId],
  )
  return row
}

export async function pendingMoreTimeOfPlan(sql: Sql, planId: string): Promise<number> {
  const [{ n }] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM action_more_time_requests m JOIN action_plan_actions a ON a.id = m.action_id
      WHERE a.plan_id = $1 AND m.decision IS NULL`,
    [planId],
  )
  return n
}

export async function insertMoreTime(
  sql: Sql,
  m: { actionId: string; proposedDate: string; reason: string; at: Date; by: string },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO action_more_time_requests (action_id, proposed_date, reason, requested_at, requested_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [m.actionId, m.proposedDate, m.reason, m.at, m.by],
  )
  return id
}

export async function decideMoreTime(
  sql: Sql,
  id: string,
  d: { decision: 'agreed' | 'refused' | 'withdrawn'; note: string | null; at: Date; by: string },
): Promise<void> {
  await sql.query(
    'UPDATE action_more_time_requests SET decision = $2, decision_note = $3, decided_at = $4, decided_by = $5 WHERE id = $1',
    [id, d.decision, d.note, d.at, d.by],
  )
}

export async function markResponded(sql: Sql, planId: string, at: Date): Promise<void> {
  await sql.query("UPDATE action_plans SET state = 'responded', responded_at = $2 WHERE id = $1", [planId, at])
}

export async function markAdminFinalised(sql: Sql, planId: string, at: Date, by: string): Promise<void> {
  await sql.query(
    "UPDATE action_plans SET state = 'admin_finalised', admin_finalised_at = $2, admin_finalised_by = $3 WHERE id = $1",
    [planId, at, by],
  )
}

/** The latest target date in force among the plan's unanswered actions (agreed extensions included). */
export async function latestOpenTarget(sql: Sql, planId: string): Promise<string | null> {
  const [{ latest }] = await sql.query<{ latest: string | null }>(
    "SELECT max(target_date)::text AS latest FROM action_plan_actions WHERE plan_id = $1 AND state = 'outstanding'",
    [planId],
  )
  return latest
}

export async function actionIdsOfPlan(sql: Sql, planId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>('SELECT id FROM action_plan_actions WHERE plan_id = $1', [planId])
  return rows.map((r) => r.id)
}

/** Requests for more time on the plan's actions still waiting for the prosecutor. */
export async function pendingMoreTimeIdsOfPlan(sql: Sql, planId: string): Promise<string[]> {
  const rows = await sql.query<{ id: string }>(
    `SELECT m.id FROM action_more_time_requests m JOIN action_plan_actions a ON a.id = m.action_id
      WHERE a.plan_id = $1 AND m.decision IS NULL FOR UPDATE OF m`,
    [planId],
  )
  return rows.map((r) => r.id)
}

export async function insertReview(
  sql: Sql,
  r: {
    planId: string
    progress: string
    stillNeeded: string
    nextReviewDate: string | null
    closeReason: string | null
    at: Date
    by: string
  },
): Promise<string> {
  const [{ id }] = await sql.query<{ id: string }>(
    `INSERT INTO action_plan_reviews (plan_id, progress, still_needed, next_review_date, close_reason, reviewed_at, reviewed_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.planId, r.progress, r.stillNeeded, r.nextReviewDate, r.closeReason, r.at, r.by],
  )
  return id
}

export async function setReviewDate(sql: Sql, planId: string, reviewDate: string): Promise<void> {
  await sql.query('UPDATE action_plans SET review_date = $2 WHERE id = $1', [planId, reviewDate])
}

export async function markClosed(sql: Sql, planId: string, at: Date): Promise<void> {
  await sql.query("UPDATE action_plans SET state = 'closed', closed_at = $2 WHERE id = $1", [planId, at])
}

async function reviewsOf(sql: Sql, caseId: string): Promise<(Review & { planId: string })[]> {
  const rows = await sql.query<{
    id: string
    plan_id: string
    progress: string
    still_needed: string
    next_review_date: string | null
    close_reason: string | null
    reviewed_at: Date
    reviewed_by: string
  }>(
    `SELECT r.id, r.plan_id, r.progress, r.still_needed, r.next_review_date::text AS next_review_date, r.close_reason,
            r.reviewed_at, u.display_name AS reviewed_by
       FROM action_plan_reviews r JOIN action_plans p ON p.id = r.plan_id JOIN users u ON u.id = r.reviewed_by
      WHERE p.case_id = $1 ORDER BY r.reviewed_at, r.id`,
    [caseId],
  )
  return rows.map((r) => ({
    id: r.id,
    planId: r.plan_id,
    progress: r.progress,
    stillNeeded: r.still_needed,
    nextReviewDate: r.next_review_date,
    closeReason: r.close_reason,
    reviewedAt: r.reviewed_at.toISOString(),
    reviewedBy: r.reviewed_by,
  }))
}

export async function markReopened(sql: Sql, planId: string, at: Date): Promise<void> {
  await sql.query("UPDATE action_plans SET state = 'issued', reopened_at = $2 WHERE id = $1", [planId, at])
}

// ---- Reading a case's plans for the page and the API ----

interface ApprovalRow {
  id: string
  theme: string
  reason: string
  approved_at: Date
  approved_by: string
  plan_number: number | null
}
const toApproval = (r: ApprovalRow): Approval => ({
  id: r.id,
  theme: { code: r.theme, label: themeLabel(r.theme) },
  reason: r.reason,
  approvedAt: r.approved_at.toISOString(),
  approvedBy: r.approved_by,
  planNumber: r.plan_number,
})

export async function approvalsOf(sql: Sql, caseId: string): Promise<Approval[]> {
  const rows = await sql.query<ApprovalRow>(
    `SELECT a.id, a.theme, a.reason, a.approved_at, u.display_name AS approved_by, p.number AS plan_number
       FROM action_plan_approvals a JOIN users u ON u.id = a.approved_by LEFT JOIN action_plans p ON p.id = a.plan_id
      WHERE a.case_id = $1 ORDER BY a.approved_at`,
    [caseId],
  )
  return rows.map(toApproval)
}

type Clock = Pick<Deadline, 'kind' | 'subjectId' | 'dueAt' | 'state'>

/**
 * Every plan of the case, newest first, with its actions, requests for more time and running
 * clocks. `clocks` are the case's running action-target and admin-finalise-wait clocks, read by
 * the caller through the deadline engine (the one owner of the deadlines table) and matched here
 * by subject.
 */
export async function plansOf(sql: Sql, caseId: string, clocks: readonly Clock[], now: Date): Promise<Plan[]> {
  const plans = await sql.query<{
    id: string
    number: number
    state: PlanState
    review_date: string
    issued_at: Date
    issued_by: string
    responded_at: Date | null
    admin_finalised_at: Date | null
    closed_at: Date | null
  }>(
    `SELECT p.id, p.number, p.state, p.review_date::text AS review_date, p.issued_at, u.display_name AS issued_by, p.responded_at,
            p.admin_finalised_at, p.closed_at
       FROM action_plans p JOIN users u ON u.id = p.issued_by WHERE p.case_id = $1 ORDER BY p.number DESC`,
    [caseId],
  )
  if (plans.length === 0) return []
  const actions = await sql.query<{
    id: string
    plan_id: string
    number: number
    description: string
    owner_id: string
    owner_name: string
    target_date: string
    original_target_date: string
    state: ActionState
    response: string | null
    responded_at: Date | null
    responded_by: string | null
  }>(
    `SELECT a.id, a.plan_id, a.number, a.description, a.owner_id, o.display_name AS owner_name, a.target_date::text AS target_date,
            a.original_target_date::text AS original_target_date, a.state, a.response, a.responded_at, r.display_name AS responded_by
       FROM action_plan_actions a JOIN action_plans p ON p.id = a.plan_id JOIN users o ON o.id = a.owner_id
       LEFT JOIN users r ON r.id = a.responded_by
      WHERE p.case_id = $1 ORDER BY a.number`,
    [caseId],
  )
  const moreTime = await sql.query<{
    id: string
    action_id: string
    proposed_date: string
    reason: string
    requested_at: Date
    requested_by: string
    decision: MoreTimeRequest['decision']
    decision_note: string | null
    decided_at: Date | null
    decided_by: string | null
  }>(
    `SELECT m.id, m.action_id, m.proposed_date::text AS proposed_date, m.reason, m.requested_at, q.display_name AS requested_by,
            m.decision, m.decision_note, m.decided_at, d.display_name AS decided_by
       FROM action_more_time_requests m JOIN action_plan_actions a ON a.id = m.action_id JOIN action_plans p ON p.id = a.plan_id
       JOIN users q ON q.id = m.requested_by LEFT JOIN users d ON d.id = m.decided_by
      WHERE p.case_id = $1 ORDER BY m.requested_at`,
    [caseId],
  )
  const clockOf = (kind: string, subject: string) => clocks.find((c) => c.kind === kind && c.subjectId === subject)
  const approvals = await approvalsOf(sql, caseId)
  const reviews = await reviewsOf(sql, caseId)
  return plans.map((p) => {
    const wait = clockOf('admin_finalise_wait', p.id)
    return {
      id: p.id,
      number: p.number,
      state: { code: p.state, label: PLAN_STATES[p.state] },
      reviewDate: p.review_date,
      issuedAt: p.issued_at.toISOString(),
      issuedBy: p.issued_by,
      respondedAt: p.responded_at?.toISOString() ?? null,
      adminFinalisedAt: p.state === 'admin_finalised' ? (p.admin_finalised_at?.toISOString() ?? null) : null,
      closedAt: p.closed_at?.toISOString() ?? null,
      adminFinaliseFrom: wait?.state === 'open' ? wait.dueAt.toISOString() : null,
      adminFinaliseWhy: null,
      reviews: reviews.filter((r) => r.planId === p.id).map(({ planId: _p, ...r }) => r),
      approval: approvals.find((a) => a.planNumber === p.number) ?? null,
      actions: actions
        .filter((a) => a.plan_id === p.id)
        .map((a): Action => {
          const clock = clockOf('action_target', a.id)
          return {
            id: a.id,
            number: a.number,
            description: a.description,
            owner: { id: a.owner_id, name: a.owner_name },
            targetDate: a.target_date,
            originalTargetDate: a.original_target_date,
            state: { code: a.state, label: ACTION_STATES[a.state] },
            response: a.response,
            respondedAt: a.responded_at?.toISOString() ?? null,
            respondedBy: a.responded_by,
            clock: clock
              ? {
                  dueAt: clock.dueAt.toISOString(),
                  overdue: clock.state === 'open' && now > clock.dueAt,
                  paused: clock.state === 'paused',
                }
              : null,
            moreTime: moreTime
              .filter((m) => m.action_id === a.id)
              .map((m) => ({
                id: m.id,
                proposedDate: m.proposed_date,
                reason: m.reason,
                requestedAt: m.requested_at.toISOString(),
                requestedBy: m.requested_by,
                decision: m.decision,
                decisionNote: m.decision_note,
                decidedAt: m.decided_at?.toISOString() ?? null,
                decidedBy: m.decided_by,
              })),
          }
        }),
    }
  })
}
