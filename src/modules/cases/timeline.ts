import type { Sql } from '../../db/client.ts'
import { type Stage, stageAfter } from './stage.ts'

/**
 * The case timeline. Every change to a case appends one typed event here in the same
 * transaction as the change, so the timeline, notifications and measures never disagree.
 */

export const EVENT_LABELS = {
  'case.created': 'Case created',
  'case.details_updated': 'Case details changed',
  'case.reclassified': 'Offences changed',
  'case.finalised': 'Case finalised',
  'case.reopened': 'Case reopened',
  'crime.added': 'Crime added to the case file',
  'crime.updated': 'Crime’s reference, offences or victim corrected',
  'crime.finalised': 'Outcome recorded for a crime',
  'crime.reopened': 'Crime’s outcome reopened',
  'outcome.proposed': 'Police decision to take no further action proposed for a supervisor’s authorisation',
  'outcome.authorised': 'Police decision to take no further action authorised by a supervisor',
  'outcome.not_authorised': 'Police decision to take no further action not authorised by a supervisor',
  'support.referred': 'Referred to a support service, with the victim’s consent',
  'support.ended': 'Support referral ended',
  'support.offered': 'Support offered',
  'support.consent_changed': 'What the victim agrees to share with their support service changed',
  'support.isva_named': 'ISVA named on the referral',
  'support.wish_passed_on': 'The victim’s ISVA passed on a wish from the victim',
  'support.wish_acknowledged': 'The officer acted on the wish the ISVA passed on',
  'withdrawal.recorded': 'Victim withdrew support',
  'withdrawal.reengaged': 'Victim re-engaged',
  'withdrawal.elp_considered': 'Evidence-led prosecution considered after the withdrawal',
  'case.referred_to_cps': 'Referred to the CPS',
  'suspect.added': 'Suspect added',
  'suspect.status_changed': 'Suspect’s status changed',
  'victim.recorded': 'Victim recorded',
  'victim.updated': 'Victim’s details changed',
  'victim.characteristics_updated': 'Victim’s protected characteristics recorded',
  'communication.plan_agreed': 'Communication plan agreed with the victim',
  'communication.plan_changed': 'Communication plan changed',
  'communication.contact_recorded': 'Contact with the victim recorded',
  'communication.update_missed': 'Agreed update to the victim missed',
  'advice.requested': 'Early advice requested from the CPS',
  'advice.not_sought': 'Early advice considered and not sought',
  'advice.triaged': 'CPS triaged the request for early advice',
  'advice.given': 'Early advice given by the CPS',
  'charging.referred': 'Referred to the CPS for a charging decision',
  'charging.triaged': 'CPS triaged the charging referral',
  'action_plan.approved': 'Further action plan approved by a District Crown Prosecutor',
  'action_plan.issued': 'Action plan issued',
  'action_plan.action_responded': 'Police responded to an action',
  'action_plan.more_time_agreed': 'More time agreed for an action',
  'action_plan.responded': 'Police responded to every action in the plan',
  'action_plan.reviewed': 'Action plan reviewed by the CPS',
  'action_plan.closed': 'Action plan closed at a review: the file is back with the CPS',
  'case.admin_finalised': 'Admin finalised by the CPS (not a decision on the evidence)',
  'case.admin_reopened': 'Reopened after admin finalisation: police responded',
  'case.restricted': 'Case restricted to the people named',
  'case.restriction_changed': 'People who may open the restricted case changed',
  'case.unrestricted': 'Restriction lifted',
} as const
export type CaseEventType = keyof typeof EVENT_LABELS

export interface CaseEvent {
  id: number
  type: CaseEventType
  occurredAt: Date
  actorId: string | null
  actorName: string | null
  data: Record<string, unknown>
}

export async function appendEvent(
  tx: Sql,
  caseId: string,
  e: { type: CaseEventType; at: Date; by: string | null; data?: Record<string, unknown> },
): Promise<void> {
  await tx.query('INSERT INTO case_events (case_id, type, occurred_at, actor_id, data) VALUES ($1, $2, $3, $4, $5)', [
    caseId,
    e.type,
    e.at,
    e.by,
    JSON.stringify(e.data ?? {}),
  ])
  // The stage is a projection of the timeline, kept in step in the same transaction.
  const [c] = await tx.query<{ stage: Stage }>('SELECT stage FROM cases WHERE id = $1 FOR UPDATE', [caseId])
  const next = stageAfter(c.stage, e.type, e.data)
  if (next !== c.stage) await tx.query('UPDATE cases SET stage = $2 WHERE id = $1', [caseId, next])
}

/** Newest first, as the MOJ timeline shows it. */
export async function eventsForCase(sql: Sql, caseId: string): Promise<CaseEvent[]> {
  return sql.query<CaseEvent>(
    `SELECT e.id, e.type, e.occurred_at AS "occurredAt", e.actor_id AS "actorId", u.display_name AS "actorName", e.data
       FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.case_id = $1 ORDER BY e.id DESC`,
    [caseId],
  )
}

/** Which events a support service may see, by what the victim agreed to share. Never suspects or evidence. */
const SUPPORT_VISIBLE: [RegExp, string][] = [
  [/^case\.(created|referred_to_cps|details_updated)$/, 'case_summary'],
  [/^crime\.(added|updated)$/, 'case_summary'],
  // Withdrawal is evidence and ISVAs are never part of it: no withdrawal event reaches a support service.
  [/^support\./, 'case_summary'],
  [/^victim\./, 'victim_details'],
  [/^communication\./, 'communication_plan'],
  [/^case\.(finalised|reopened|admin_finalised|admin_reopened)$/, 'outcome'],
  [/^crime\.(finalised|reopened)$/, 'outcome'],
]

export function visibleToSupport(eventType: string, shared: string[]): boolean {
  return SUPPORT_VISIBLE.some(([pattern, part]) => pattern.test(eventType) && shared.includes(part))
}
