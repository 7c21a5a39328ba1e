/**
 * Escalation ladders, one per kind of clock: the single place that says who hears about a clock
 * and when. Each ladder has three steps, agreed between police and CPS (recommendation 4 of the
 * inspection asked for "a clear escalation and performance management process"):
 *
 *   reminder   `remindWorkingDays` before the due date, to the owner ("due soon" from then);
 *   level 1    once the due time has passed, to the owner and `level1` ("overdue");
 *   level 2    `criticalWorkingDays` after the due date, to `level2` ("critically overdue").
 *
 * A kind with empty `level1` and `level2` is a clock people watch in their queues without anyone
 * being chased (the admin-finalisation wait).
 */

/** Who a step reaches, resolved against the case when the step is taken. */
export type Recipient =
  | 'owner' // the person who must act, named when the clock opened
  | 'case_supervisor' // the police supervisor named on the case
  | 'police_team_lead' // the lead (detective inspector) of the case's police team
  | 'reviewing_prosecutor'
  | 'cps_unit_lead' // the lead (District Crown Prosecutor) of the case's CPS unit
  | 'cps_managers' // every CPS manager in the Area the case is referred to

export interface Ladder {
  /** What the clock is, as people say it: "Action plan target". */
  label: string
  remindWorkingDays: number
  criticalWorkingDays: number
  level1: readonly Recipient[]
  level2: readonly Recipient[]
  /** The page where the work is done, under /cases/:id. */
  section: string
  /** The days the clock was set in, which its due wording counts ahead of the due time. */
  counted: 'days' | 'working days'
}

export const LADDERS = {
  victim_update: {
    label: 'Agreed update to the victim',
    remindWorkingDays: 1,
    criticalWorkingDays: 2,
    level1: ['case_supervisor'],
    level2: ['police_team_lead'],
    section: 'communication',
    counted: 'days',
  },
  advice_response: {
    label: 'Early advice from the CPS',
    remindWorkingDays: 3,
    criticalWorkingDays: 5,
    level1: ['cps_unit_lead'],
    level2: ['cps_managers'],
    section: 'advice',
    counted: 'days',
  },
  triage_response: {
    label: 'Police response to a CPS triage rejection',
    remindWorkingDays: 2,
    criticalWorkingDays: 5,
    level1: ['case_supervisor'],
    level2: ['police_team_lead'],
    section: 'advice',
    counted: 'working days',
  },
  charging_decision: {
    label: 'CPS charging decision',
    remindWorkingDays: 3,
    criticalWorkingDays: 10,
    level1: ['cps_unit_lead'],
    level2: ['cps_managers'],
    // Charging referrals are shown with early advice, on the advice and charging page.
    section: 'advice',
    counted: 'days',
  },
  action_target: {
    label: 'Action plan target',
    remindWorkingDays: 2,
    criticalWorkingDays: 5,
    level1: ['case_supervisor'],
    level2: ['police_team_lead'],
    section: 'action-plans',
    counted: 'working days',
  },
  action_plan_review: {
    label: 'Action plan review',
    remindWorkingDays: 2,
    criticalWorkingDays: 5,
    level1: ['cps_unit_lead'],
    level2: ['cps_managers'],
    section: 'action-plans',
    counted: 'working days',
  },
  more_time_decision: {
    label: 'Request for more time on an action',
    remindWorkingDays: 1,
    criticalWorkingDays: 3,
    level1: ['cps_unit_lead'],
    level2: ['cps_managers'],
    section: 'action-plans',
    counted: 'working days',
  },
  outcome_authorisation: {
    label: 'Supervisor’s authorisation of a police decision to take no further action',
    remindWorkingDays: 1,
    criticalWorkingDays: 3,
    level1: ['police_team_lead'],
    level2: ['police_team_lead'],
    section: 'outcome',
    counted: 'working days',
  },
  victim_wish: {
    label: 'Victim’s wish passed on by their ISVA',
    remindWorkingDays: 0,
    criticalWorkingDays: 2,
    level1: ['case_supervisor'],
    level2: ['police_team_lead'],
    section: 'support',
    counted: 'working days',
  },
  admin_finalise_wait: {
    label: 'Police response to action plan (admin finalisation possible after)',
    remindWorkingDays: 10,
    criticalWorkingDays: 0,
    level1: [],
    level2: [],
    section: 'action-plans',
    counted: 'days',
  },
} as const satisfies Record<string, Ladder>

export type DeadlineKind = keyof typeof LADDERS
export const DEADLINE_KINDS = Object.keys(LADDERS) as [DeadlineKind, ...DeadlineKind[]]

export function ladderOf(kind: string): Ladder {
  const ladder = (LADDERS as Record<string, Ladder>)[kind]
  if (!ladder) throw new Error(`No escalation ladder for deadline kind ${kind}`)
  return ladder
}
