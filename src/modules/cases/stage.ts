import { outcome } from '../outcomes/codes.ts'

/**
 * The stage of a case is derived from its timeline, never typed in: each event may move the
 * case on. appendEvent folds every new event through `stageAfter` and stores the result on
 * the case, so lists can filter by stage without replaying timelines.
 */

export const STAGES = {
  reported: 'Reported',
  investigation: 'Investigation',
  early_advice: 'Early advice',
  with_cps: 'With CPS for decision',
  action_plan_outstanding: 'Action plan outstanding',
  charged: 'Charged',
  no_further_action: 'No further action',
  admin_finalised: 'Admin finalised',
  at_court: 'At court',
  finalised: 'Finalised',
} as const
export type Stage = keyof typeof STAGES

/** Events that mean investigation has started; they move a newly reported case on, and nothing else. */
const INVESTIGATIVE = /^(suspect|victim)\./

/**
 * Event types that set the stage outright. Later issues add theirs here (early advice,
 * action plans, charge, NFA, admin finalisation, court, outcomes) with a test for each.
 */
const MOVES: Record<string, Stage> = {
  'case.referred_to_cps': 'with_cps',
  'case.reopened': 'investigation',
  'advice.requested': 'early_advice',
  'advice.given': 'investigation',
  'charging.referred': 'with_cps',
  'action_plan.issued': 'action_plan_outstanding',
  'action_plan.responded': 'with_cps',
  'action_plan.closed': 'with_cps',
  'case.admin_finalised': 'admin_finalised',
  'case.admin_reopened': 'action_plan_outstanding',
}

/** A triage rejection sends the request back to the police, so the case is under investigation again. */
const TRIAGE = /^(advice|charging)\.triaged$/

export function stageAfter(current: Stage, eventType: string, data: Record<string, unknown> = {}): Stage {
  // A finalised case's stage follows from its crimes' Home Office outcomes (outcomes/codes.ts
  // stageOfOutcomes), carried on the event; an event from before crimes, from its one code.
  if (eventType === 'case.finalised') {
    if (typeof data.stage === 'string' && data.stage in STAGES) return data.stage as Stage
    return outcome(String(data.code))?.stage ?? 'finalised'
  }
  if (TRIAGE.test(eventType) && data.decision === 'rejected') return 'investigation'
  const moved = MOVES[eventType]
  if (moved) return moved
  if (current === 'reported' && INVESTIGATIVE.test(eventType)) return 'investigation'
  return current
}

export function stageOf(events: (string | { type: string; data?: Record<string, unknown> })[]): Stage {
  return events.reduce<Stage>(
    (stage, e) => (typeof e === 'string' ? stageAfter(stage, e) : stageAfter(stage, e.type, e.data)),
    'reported',
  )
}
