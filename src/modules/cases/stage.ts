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
const INVESTIGATIVE = /^(suspect|victim|support|contact)\./

/**
 * Event types that set the stage outright. Later issues add theirs here (early advice,
 * action plans, charge, NFA, admin finalisation, court, outcomes) with a test for each.
 */
const MOVES: Record<string, Stage> = {
  'case.referred_to_cps': 'with_cps',
}

export function stageAfter(current: Stage, eventType: string): Stage {
  const moved = MOVES[eventType]
  if (moved) return moved
  if (current === 'reported' && INVESTIGATIVE.test(eventType)) return 'investigation'
  return current
}

export function stageOf(eventTypes: string[]): Stage {
  return eventTypes.reduce<Stage>(stageAfter, 'reported')
}
